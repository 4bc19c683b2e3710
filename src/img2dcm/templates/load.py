"""Load the template named by a profile and clean it up (pipeline step 1)."""

from __future__ import annotations

import logging

from pydicom.dataset import Dataset

from img2dcm.errors import TemplateError
from img2dcm.profile.model import TemplateOptions
from img2dcm.templates.cleanup import cleanup_template
from img2dcm.templates.dicom import load_dicom
from img2dcm.templates.dump import load_dump
from img2dcm.templates.xml import load_xml

logger = logging.getLogger(__name__)

#: Template kinds accepted in ``TemplateOptions.kind``.
KINDS: tuple[str, ...] = ("dicom", "xml", "dump")


def load_template(options: TemplateOptions) -> Dataset:
    """Read the template of ``options.kind`` and remove what describes its own pixels."""
    if options.kind == "dicom":
        ds = load_dicom(options.path)
    elif options.kind == "xml":
        ds = load_xml(options.path, options.validate, options.check_namespace)
    elif options.kind == "dump":
        ds = load_dump(options.path)
    else:
        raise TemplateError(
            f"unknown template kind '{options.kind}' (expected one of {', '.join(KINDS)})",
            options.path,
        )
    removed = cleanup_template(ds)
    logger.info("template %s: %d attributes removed by cleanup", options.path, len(removed))
    return ds
