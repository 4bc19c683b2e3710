"""Load a DICOM file (template, study or series source) as a plain dataset."""

from __future__ import annotations

import logging
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydicom import dcmread
from pydicom.datadict import keyword_for_tag
from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError

from img2dcm.errors import TemplateError

logger = logging.getLogger(__name__)

#: pydicom warnings about values we check ourselves after the contribution rules
#: (templates/values.py): reported there, as an error or a note, for what is kept.
CHECKED_ELSEWHERE: tuple[str, ...] = ("Invalid value for VR",)


@contextmanager
def pydicom_warnings(source: str | Path) -> Iterator[None]:
    """Turn pydicom's warnings while reading ``source`` into ``W: source: message`` lines.

    pydicom's own text names its internal file and line; the user needs the file they gave.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    seen: set[str] = set()
    for warning in caught:
        text = str(warning.message).split(" Please see <")[0].strip()
        if text in seen or text.startswith(CHECKED_ELSEWHERE):
            continue
        seen.add(text)
        logger.warning("%s: %s", source, text)


#: Groups a bare data set (no preamble, no meta header) plausibly starts with.
_FIRST_GROUPS: frozenset[int] = frozenset({0x0002, 0x0008})


def _looks_like_bare_dataset(head: bytes) -> bool:
    """True if ``head`` starts like a data set written without the 'DICM' preamble."""
    if len(head) < 8:
        return False
    group_le = struct.unpack("<H", head[:2])[0]
    group_be = struct.unpack(">H", head[:2])[0]
    return group_le in _FIRST_GROUPS or group_be in _FIRST_GROUPS


#: Groups no data set element may use (PS3.5 §7.1: 0001, 0003, 0005, 0007 and FFFF are
#: illegal; 0000 is the command group of DIMSE messages, never stored in a file's data set).
ILLEGAL_GROUPS: frozenset[int] = frozenset({0x0000, 0x0001, 0x0003, 0x0005, 0x0007, 0xFFFF})

_UNDEFINED = 0xFFFFFFFF


class StructureError(ValueError):
    """The file's element structure is broken (truncated, illegal group, out of order)."""


def _tag_text(tag: int) -> str:
    name = keyword_for_tag(tag)
    return f"({tag >> 16:04x},{tag & 0xFFFF:04x})" + (f" {name}" if name else "")


def check_structure(ds: Dataset, where: str = "") -> None:
    """Refuse a data set that pydicom read only in part or that breaks the encoding rules.

    pydicom reads a value cut short by the end of the file as the bytes there are, and
    keeps elements in any order and in any group; a template must be whole and valid,
    so each level is checked before its raw elements are converted (StructureError says why).
    """
    raw_elements = ds._dict  # noqa: SLF001 - the raw elements are what tells truncation and order
    previous: tuple[int, int] | None = None
    for tag in sorted(raw_elements):
        raw = raw_elements[tag]
        label = where + _tag_text(tag)
        if tag >> 16 in ILLEGAL_GROUPS:
            raise StructureError(f"element {label} is in group {tag >> 16:04x}, which DICOM does not allow")
        if isinstance(raw, RawDataElement):
            value = raw.value
            if raw.length != _UNDEFINED and isinstance(value, bytes) and len(value) < raw.length:
                raise StructureError(f"truncated: {label} holds {len(value)} of its {raw.length} bytes")
            if previous is not None and raw.value_tell < previous[1]:
                raise StructureError(f"elements out of order: {label} comes after {where}{_tag_text(previous[0])}")
            previous = (tag, raw.value_tell)
        elem = ds[tag]
        if elem.VR == "SQ":
            for index, item in enumerate(elem.value or []):
                check_structure(item, f"{label}[{index}].")


def _check_end(ds: Dataset, size: int) -> None:
    """Refuse bytes after the last element that are too few to be one (a cut header)."""
    raws = [r for r in ds._dict.values() if isinstance(r, RawDataElement)]  # noqa: SLF001
    if not raws:
        return
    last = max(raws, key=lambda r: r.value_tell)
    if last.length == _UNDEFINED:
        return
    end = last.value_tell + last.length
    if 0 < size - end < 8:
        raise StructureError(f"truncated: the file ends inside an element header ({size - end} bytes after "
                         f"{_tag_text(last.tag)})")


def load_dicom(path: str | Path) -> Dataset:
    """Read ``path`` and return its data set without file meta information.

    Every element is converted from its raw form now, so a later change of
    SpecificCharacterSet (study/series import) cannot change how stored text decodes.
    """
    p = Path(path)
    if p.is_dir():
        raise TemplateError("is a folder, not a DICOM file", p)
    if not p.is_file():
        raise TemplateError("file not found", p)
    with pydicom_warnings(p):
        return _read(p)


def _read(p: Path) -> Dataset:
    """The data set of ``p``, every element converted and the structure checked."""
    try:
        try:
            read = dcmread(p, force=False)
        except InvalidDicomError:
            with p.open("rb") as fh:
                head = fh.read(8)
            if not _looks_like_bare_dataset(head):
                raise TemplateError("not a DICOM file", p) from None
            read = dcmread(p, force=True)
        _check_end(read, p.stat().st_size)
        check_structure(read)
        out = Dataset()
        for elem in read:  # iterating converts raw elements, recursively for sequences
            out.add(elem)
        for _ in out.iterall():
            pass
    except TemplateError:
        raise
    except StructureError as exc:
        raise TemplateError(f"not valid DICOM: {exc}", p) from None
    except (OSError, EOFError, ValueError, TypeError, KeyError, struct.error) as exc:
        raise TemplateError(f"cannot read DICOM file: {exc}", p) from exc
    if len(out) == 0:
        raise TemplateError("not a DICOM file", p)
    return out
