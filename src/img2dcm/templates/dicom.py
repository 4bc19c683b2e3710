"""Load a DICOM file (template, study or series source) as a plain dataset."""

from __future__ import annotations

import struct
from pathlib import Path

from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError

from img2dcm.errors import TemplateError

#: Groups a bare data set (no preamble, no meta header) plausibly starts with.
_FIRST_GROUPS: frozenset[int] = frozenset({0x0002, 0x0008})


def _looks_like_bare_dataset(head: bytes) -> bool:
    """True if ``head`` starts like a data set written without the 'DICM' preamble."""
    if len(head) < 8:
        return False
    group_le = struct.unpack("<H", head[:2])[0]
    group_be = struct.unpack(">H", head[:2])[0]
    return group_le in _FIRST_GROUPS or group_be in _FIRST_GROUPS


def load_dicom(path: str | Path) -> Dataset:
    """Read ``path`` and return its data set without file meta information.

    Every element is converted from its raw form now, so a later change of
    SpecificCharacterSet (study/series import) cannot change how stored text decodes.
    """
    p = Path(path)
    if not p.is_file():
        raise TemplateError("file not found", p)
    try:
        try:
            read = dcmread(p, force=False)
        except InvalidDicomError:
            with p.open("rb") as fh:
                head = fh.read(8)
            if not _looks_like_bare_dataset(head):
                raise TemplateError("not a DICOM file", p) from None
            read = dcmread(p, force=True)
        out = Dataset()
        for elem in read:  # iterating converts raw elements, recursively for sequences
            out.add(elem)
        for _ in out.iterall():
            pass
    except TemplateError:
        raise
    except (OSError, EOFError, ValueError, TypeError, KeyError, struct.error) as exc:
        raise TemplateError(f"cannot read DICOM file: {exc}", p) from exc
    if len(out) == 0:
        raise TemplateError("not a DICOM file", p)
    return out
