"""Load the template named by a profile and clean it up (pipeline step 1)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from pydicom.dataset import Dataset

from img2dcm.errors import TemplateError
from img2dcm.profile.model import TemplateOptions
from img2dcm.templates.cleanup import cleanup_template
from img2dcm.templates.dicom import load_dicom
from img2dcm.templates.dump import load_dump
from img2dcm.templates.xml import load_xml

logger = logging.getLogger(__name__)

#: Template kind (profile ``template`` key) -> the loader that reads it.
LOADERS: dict[str, Callable[[TemplateOptions], Dataset]] = {
    "dicom": lambda options: load_dicom(options.path),
    "xml": lambda options: load_xml(options.path, options.validate, options.check_namespace),
    "dump": lambda options: load_dump(options.path),
}


def load_template_cleaned(options: TemplateOptions) -> tuple[Dataset, list[str]]:
    """The template of ``options.kind`` without what describes its own pixels, and what was removed."""
    loader = LOADERS.get(options.kind)
    if loader is None:
        raise TemplateError(f"unknown template kind '{options.kind}' (expected one of {', '.join(LOADERS)})",
                            options.path)
    ds = loader(options)
    removed = cleanup_template(ds)
    logger.info("template %s: %d attributes removed by cleanup", options.path, len(removed))
    return ds, removed


def load_template(options: TemplateOptions) -> Dataset:
    """The cleaned template (see :func:`load_template_cleaned`)."""
    return load_template_cleaned(options)[0]


def template_for(options: TemplateOptions, family: str) -> tuple[Dataset, list[str]]:
    """The template as it enters the object of ``family``, and the report notes on the way.

    Cleanup, then what the target IOD admits (``keep``/``keep_private``), then every value
    valid for its VR (``invalid_values``; TemplateError under ``fail``).
    """
    from img2dcm.templates.contribution import describe_left_out, restrict
    from img2dcm.templates.values import enforce

    ds, removed = load_template_cleaned(options)
    left = restrict(ds, family, options.keep, options.keep_private)
    fixed = enforce(ds, options.invalid_values, str(options.path))
    notes = [f"template {options.path}: removed {', '.join(removed)} (they describe the template's own pixels)"]
    return ds, (notes if removed else []) + describe_left_out(str(options.path), left) + fixed
