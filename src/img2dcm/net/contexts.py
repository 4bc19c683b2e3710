"""Presentation contexts: each object's own transfer syntax, never a silent transcoding.

A native (uncompressed) object is also offered as Explicit and Implicit VR Little
Endian, which every SCP accepts (PS3.5 §10.1); converting between native syntaxes
loses nothing. A compressed object is offered in its own syntax only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydicom.filereader import read_file_meta_info
from pydicom.uid import UID, ExplicitVRLittleEndian, ImplicitVRLittleEndian

from img2dcm.errors import InputError

#: PS3.3 §C.4.1 (pynetdicom): at most 128 presentation contexts per association.
MAX_CONTEXTS = 128
NATIVE_FALLBACKS = (ExplicitVRLittleEndian, ImplicitVRLittleEndian)


@dataclass(frozen=True)
class ObjectHeader:
    """What sending needs to know about a file, read from its File Meta Information only."""

    path: Path
    sop_class: UID
    sop_instance: UID
    transfer_syntax: UID

    @property
    def native(self) -> bool:
        return not self.transfer_syntax.is_compressed

    def syntaxes(self) -> tuple[UID, ...]:
        """What we propose for this object, its own syntax first."""
        if not self.native:
            return (self.transfer_syntax,)
        return tuple(dict.fromkeys((self.transfer_syntax, *NATIVE_FALLBACKS)))

    def context_key(self) -> tuple[UID, tuple[UID, ...]]:
        return (self.sop_class, self.syntaxes())


def read_header(path: Path) -> ObjectHeader:
    """File Meta Information of a DICOM file (PS3.10); anything else is an input error."""
    try:
        meta = read_file_meta_info(path)
    except FileNotFoundError:
        raise InputError("file not found", path) from None
    except Exception as exc:  # noqa: BLE001 - pydicom raises several kinds for non-DICOM input
        raise InputError(f"not a DICOM file with File Meta Information ({exc})", path) from None
    missing = [k for k in ("MediaStorageSOPClassUID", "MediaStorageSOPInstanceUID", "TransferSyntaxUID")
               if not meta.get(k)]
    if missing:
        raise InputError(f"not sendable: File Meta Information lacks {', '.join(missing)}", path)
    return ObjectHeader(path, UID(meta.MediaStorageSOPClassUID), UID(meta.MediaStorageSOPInstanceUID),
                        UID(meta.TransferSyntaxUID))


def describe(uid: UID) -> str:
    """A UID with its name, for messages: ``'JPEG Baseline (Process 1)' (1.2.840.10008.1.2.4.50)``."""
    return f"'{uid.name}' ({uid})" if uid.name != uid else str(uid)
