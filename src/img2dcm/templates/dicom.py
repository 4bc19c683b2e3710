"""Load a DICOM file (template, study or series source) as a plain dataset."""

from __future__ import annotations

import mmap
import struct
from pathlib import Path
from typing import BinaryIO, cast

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


#: VRs restricted to the default character repertoire (PS3.5 §6.2): a non-ASCII value in one
#: of these was read leniently from a corrupt file and could not be written back.
ASCII_VRS: frozenset[str] = frozenset({"AE", "AS", "CS", "DA", "DS", "DT", "IS", "TM", "UI"})


def check_default_repertoire(ds: Dataset, path: str | Path) -> None:
    """Refuse values of ASCII-only VRs that are not ASCII (they would fail when written)."""
    for elem in ds.iterall():
        if elem.VR not in ASCII_VRS or elem.value is None:
            continue
        values = elem.value if isinstance(elem.value, (list, tuple)) else [elem.value]
        for value in values:
            if not str(value).isascii():
                raise TemplateError(f"{elem.tag} {elem.keyword or 'private'}: {elem.VR} value "
                                    f"{str(value)[:40]!r} is not plain ASCII", path)


def load_dicom(path: str | Path) -> Dataset:
    """Read ``path`` and return its data set without file meta information.

    Every element is converted from its raw form now, so a later change of
    SpecificCharacterSet (study/series import) cannot change how stored text decodes.
    """
    p = Path(path)
    try:
        if not p.is_file():
            raise TemplateError("file not found", p)
        empty = p.stat().st_size == 0
    except (OSError, ValueError) as exc:  # a name too long for the file system, a NUL in it
        raise TemplateError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", p) from None
    if empty:
        raise TemplateError("not a DICOM file (the file is empty)", p)
    try:
        # Read through a memory map: a file object's read(n) allocates n bytes first, so an
        # element length claiming 4 GiB in a small file would allocate 4 GiB (issue 14).
        with p.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
            try:
                read = dcmread(cast(BinaryIO, view), force=False)
            except InvalidDicomError:
                if not _looks_like_bare_dataset(view[:8]):
                    raise TemplateError("not a DICOM file", p) from None
                view.seek(0)
                read = dcmread(cast(BinaryIO, view), force=True)
            out = Dataset()
            for elem in read:  # iterating converts raw elements, recursively for sequences
                if elem.tag.group != 0x0002:  # meta elements misplaced in the body: never ours to copy
                    out.add(elem)
            for _ in out.iterall():
                pass
    except TemplateError:
        raise
    except Exception as exc:  # noqa: BLE001 - pydicom raises many types on malformed data
        raise TemplateError(f"cannot read DICOM file: {exc or type(exc).__name__}", p) from exc
    if len(out) == 0:
        raise TemplateError("not a DICOM file", p)
    check_default_repertoire(out, p)
    return out
