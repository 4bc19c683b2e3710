"""The optional extra ``img2dcm[net]``: a missing module is a one-line instruction, not an ImportError."""

from __future__ import annotations

import importlib.util

from img2dcm.errors import UsageError

#: module -> what needs it.
NET_MODULES = {"pynetdicom": "DIMSE (dicom://, dicoms://)", "httpx": "DICOMweb (http://, https://)"}


def require_net_extra() -> None:
    missing = [name for name in NET_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise UsageError(f"sending and worklist queries need {', '.join(missing)}: pip install 'img2dcm[net]'")
