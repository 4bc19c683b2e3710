"""Transfer syntaxes grouped by what they do to colour (PS3.5 §8.2, UIDs from PS3.6 Table A-1).

The IOD tables say which photometric interpretations each group permits
(PS3.3 §C.8.12.1.1.1 VL Image, §C.8.17.2.1.3 OP Image, §A.8.5.4 MF True Colour SC).
"""

from __future__ import annotations

#: Transfer syntax UID -> group name used by ``IodTable.photometric_by_syntax``.
SYNTAX_GROUPS: dict[str, str] = {
    "1.2.840.10008.1.2": "native",
    "1.2.840.10008.1.2.1": "native",
    "1.2.840.10008.1.2.1.99": "native",  # deflated explicit VR LE
    "1.2.840.10008.1.2.2": "native",
    "1.2.840.10008.1.2.4.50": "jpeg-lossy",  # baseline, process 1
    "1.2.840.10008.1.2.4.51": "jpeg-lossy",  # extended, processes 2 & 4
    "1.2.840.10008.1.2.4.55": "jpeg-lossy",  # full progression (retired)
    "1.2.840.10008.1.2.4.57": "jpeg-lossless",  # process 14
    "1.2.840.10008.1.2.4.70": "jpeg-lossless",  # process 14 SV1
    "1.2.840.10008.1.2.4.80": "jpeg-ls",  # lossless
    "1.2.840.10008.1.2.4.81": "jpeg-ls",  # near-lossless: no colour transform either
    "1.2.840.10008.1.2.4.90": "j2k-reversible",
    "1.2.840.10008.1.2.4.91": "j2k-irreversible",
    "1.2.840.10008.1.2.4.201": "j2k-reversible",  # HTJ2K lossless
    "1.2.840.10008.1.2.4.202": "j2k-reversible",  # HTJ2K RPCL lossless
    "1.2.840.10008.1.2.4.203": "j2k-irreversible",  # HTJ2K: we choose it only for irreversible streams
    "1.2.840.10008.1.2.5": "rle",
    # Video (PS3.5 8.2.5-8.2.11): the stream's pictures, YBR_PARTIAL_420.
    **{uid: "video" for uid in (
        "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.100.1", "1.2.840.10008.1.2.4.101",
        "1.2.840.10008.1.2.4.101.1", "1.2.840.10008.1.2.4.102", "1.2.840.10008.1.2.4.102.1",
        "1.2.840.10008.1.2.4.103", "1.2.840.10008.1.2.4.103.1", "1.2.840.10008.1.2.4.104",
        "1.2.840.10008.1.2.4.104.1", "1.2.840.10008.1.2.4.105", "1.2.840.10008.1.2.4.105.1",
        "1.2.840.10008.1.2.4.106", "1.2.840.10008.1.2.4.106.1", "1.2.840.10008.1.2.4.107",
        "1.2.840.10008.1.2.4.108",
    )},
}


def syntax_group(transfer_syntax: str) -> str:
    """The group of a transfer syntax; unknown ones fall into ``other``."""
    return SYNTAX_GROUPS.get(transfer_syntax, "other")


def syntax_name(transfer_syntax: str) -> str:
    """A readable name for messages (pydicom's, else the UID)."""
    from pydicom.uid import UID

    name = UID(transfer_syntax).name if transfer_syntax else ""
    return name or transfer_syntax or "unknown transfer syntax"
