"""Output file names from ``batch.output_path``: input fields and dataset keywords, made safe.

Every field value is sanitised (no separators, no control characters, no leading
dots), so a value can never climb out of the output folder; the template itself
is checked once, before any input is converted.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path, PurePosixPath

from pydicom.datadict import tag_for_keyword
from pydicom.dataset import Dataset

from img2dcm.batch.inputs import InputItem
from img2dcm.errors import ConversionError, UsageError

INPUT_FIELDS = ("stem", "name", "ext", "relpath")
UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
MAX_PART = 120
EMPTY = "unknown"  # a field without a value still gives a usable name


@lru_cache(maxsize=8)
def template_fields(template: str) -> list[str]:
    """The field names of ``template``; raise UsageError for a template that cannot work."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise UsageError(f"batch.output_path '{template}': {exc}") from None
    for name in fields:
        if name not in INPUT_FIELDS and not tag_for_keyword(name):
            raise UsageError(f"batch.output_path '{template}': unknown field {{{name}}} "
                             f"(use {', '.join('{' + f + '}' for f in INPUT_FIELDS)} or a DICOM keyword)")
    literal = "".join(text for text, _, _, _ in string.Formatter().parse(template))
    if template.startswith("/") or ".." in PurePosixPath(literal).parts:
        raise UsageError(f"batch.output_path '{template}': must stay inside the output folder")
    return fields


def safe_part(value: str) -> str:
    """One path segment made from any text."""
    text = UNSAFE.sub("_", value).strip().lstrip(".").strip()
    return text[:MAX_PART] or EMPTY


def field_values(item: InputItem, dataset: Dataset, fields: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in fields:
        if name == "stem":
            values[name] = safe_part(item.path.stem)
        elif name == "name":
            values[name] = safe_part(item.path.name)
        elif name == "ext":
            values[name] = safe_part(item.path.suffix.lstrip(".")) if item.path.suffix else ""
        elif name == "relpath":
            values[name] = "/".join(safe_part(part) for part in PurePosixPath(item.relpath).parts)
        else:
            element = dataset.data_element(name) if name in dataset else None
            values[name] = safe_part(str(element.value)) if element is not None and element.value is not None else EMPTY
    return values


def output_path(template: str, folder: Path, item: InputItem, dataset: Dataset) -> Path:
    """Where ``item``'s object goes; raise ConversionError if it would leave ``folder``."""
    text = template.format_map(field_values(item, dataset, template_fields(template)))
    parts = [part for part in PurePosixPath(text).parts if part not in ("", "/", ".")]
    if not parts or ".." in parts:
        raise ConversionError(f"output name '{text}' from batch.output_path would leave the output folder",
                              item.path)
    return folder.joinpath(*parts)
