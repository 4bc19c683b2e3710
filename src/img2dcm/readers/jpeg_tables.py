"""JPEG and JPEG-LS facts from the standards, as tables: processes, transfer syntaxes, identifiers.

Every value here is copied from a standard (cited beside it); the reader's
modules look things up here instead of spelling codes out in ``if`` chains.
"""

from __future__ import annotations

from dataclasses import dataclass

from img2dcm.readers.jpeg_markers import APP0, SOF55, SOF57

#: Transfer syntax UIDs and names. Source: DICOM PS3.6 Table A-1.
TS_JPEG_BASELINE = "1.2.840.10008.1.2.4.50"
TS_JPEG_EXTENDED = "1.2.840.10008.1.2.4.51"
TS_JPEG_PROGRESSIVE = "1.2.840.10008.1.2.4.55"
TS_JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57"
TS_JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70"
TS_JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80"
TS_JPEG_LS_NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81"
TS_NAMES: dict[str, str] = {
    TS_JPEG_BASELINE: "JPEG Baseline (Process 1)",
    TS_JPEG_EXTENDED: "JPEG Extended (Process 2 & 4)",
    TS_JPEG_PROGRESSIVE: "JPEG Full Progression, Non-Hierarchical (Process 10 & 12) (Retired)",
    TS_JPEG_LOSSLESS: "JPEG Lossless, Non-Hierarchical (Process 14)",
    TS_JPEG_LOSSLESS_SV1: "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
    TS_JPEG_LS_LOSSLESS: "JPEG-LS Lossless Image Compression",
    TS_JPEG_LS_NEAR_LOSSLESS: "JPEG-LS Lossy (Near-Lossless) Image Compression",
}

#: Lossy Image Compression Method defined terms. Source: PS3.3 §C.7.6.1.1.5.1.
METHOD_JPEG = "ISO_10918_1"
METHOD_JPEG_LS = "ISO_14495_1"


@dataclass(frozen=True)
class SofKind:
    """What one frame-header marker means for us."""

    name: str  # marker name, e.g. SOF2
    process: str  # T.81 Table B.1 description
    transfer_syntax: str | None  # None: we cannot pass it through
    unsupported: tuple[str, ...] = ()  # why not, e.g. ("lossless", "arithmetic coding")


#: Frame-header markers. Source: ITU-T T.81 Table B.1 (SOF0..SOF15, JPG) and
#: ITU-T T.87 Table C.1 (SOF55), ITU-T T.870 (SOF57). Transfer syntaxes from PS3.5 §8.2.1 and §8.2.3.
SOF_KINDS: dict[int, SofKind] = {
    0xC0: SofKind("SOF0", "baseline DCT", TS_JPEG_BASELINE),
    0xC1: SofKind("SOF1", "extended sequential DCT, Huffman coding", TS_JPEG_EXTENDED),
    0xC2: SofKind("SOF2", "progressive DCT, Huffman coding", TS_JPEG_PROGRESSIVE),
    # .57 until the scans are read: every scan with predictor 1 and no point transform -> .70.
    0xC3: SofKind("SOF3", "lossless (sequential), Huffman coding", TS_JPEG_LOSSLESS),
    0xC5: SofKind("SOF5", "differential sequential DCT, Huffman coding", None, ("hierarchical",)),
    0xC6: SofKind("SOF6", "differential progressive DCT, Huffman coding", None, ("hierarchical",)),
    0xC7: SofKind("SOF7", "differential lossless (sequential), Huffman coding", None, ("hierarchical",)),
    0xC8: SofKind("JPG", "reserved for JPEG extensions", None, ("JPEG extension",)),
    0xC9: SofKind("SOF9", "extended sequential DCT, arithmetic coding", None, ("arithmetic-coded",)),
    0xCA: SofKind("SOF10", "progressive DCT, arithmetic coding", None, ("arithmetic-coded",)),
    0xCB: SofKind("SOF11", "lossless (sequential), arithmetic coding", None, ("arithmetic-coded",)),
    0xCD: SofKind("SOF13", "differential sequential DCT, arithmetic coding", None, ("hierarchical", "arithmetic-coded")),
    0xCE: SofKind("SOF14", "differential progressive DCT, arithmetic coding", None, ("hierarchical", "arithmetic-coded")),
    0xCF: SofKind(
        "SOF15", "differential lossless (sequential), arithmetic coding", None,
        ("hierarchical", "arithmetic-coded"),
    ),
    SOF55: SofKind("SOF55", "JPEG-LS", TS_JPEG_LS_LOSSLESS),
    SOF57: SofKind("SOF57", "JPEG-LS extensions (ITU-T T.870)", None, ("JPEG-LS part 2",)),
}

#: Allowed sample precision per frame type. Source: T.81 §B.2.2 (P), T.87 §C.2.2.
PRECISION: dict[int, tuple[int, ...]] = {
    0xC0: (8,),
    0xC1: (8, 12),
    0xC2: (8, 12),
    0xC3: tuple(range(2, 17)),
    SOF55: tuple(range(2, 17)),
}

#: APPn identifiers we act on (JFIF 1.02 §"JFIF marker", Adobe TN 5116 "APP14",
#: ICC.1 Annex B.4, EXIF 2.32 §4.5.4, HP/T.87 "mrfx", SPIFF T.84 Annex F).
ID_JFIF = b"JFIF\x00"
ID_JFXX = b"JFXX\x00"
ID_ADOBE = b"Adobe"
ID_ICC = b"ICC_PROFILE\x00"
ID_EXIF = b"Exif\x00\x00"
ID_MRFX = b"mrfx"
ID_SPIFF = b"SPIFF\x00"

APP1, APP2, APP8, APP14 = APP0 + 1, APP0 + 2, APP0 + 8, APP0 + 14

#: Bytes an APP0 'JFIF' payload needs for libjpeg to count it (jdmarker.c APP0_DATA_LEN).
JFIF_MIN_PAYLOAD = 14

#: Component identifiers libjpeg writes for untransformed RGB (cjpeg -rgb): ASCII R, G, B.
RGB_IDS = (0x52, 0x47, 0x42)
#: Component identifiers JFIF 1.02 prescribes for Y, Cb, Cr.
YCBCR_IDS = (1, 2, 3)

#: App-segment policies (JpegOptions.app_segments).
APP_POLICIES = ("strip", "keep", "keep-colour")
