"""JPEG (ITU-T T.81) and JPEG-LS (ITU-T T.87) reader: headers only, pixels pass through.

The code stream is never decoded. We read the frame and scan headers to choose
the transfer syntax and describe the Image Pixel module, then hand the writer
one frame made of byte ranges of the file: SOI..EOI minus the APPn/COM segments
the policy drops. Behaviour mirrors DCMTK 3.7.0 img2dcm's JPEG plugin except
where docs/input-jpeg.md lists a deliberate difference.
"""

from __future__ import annotations

import functools
import logging
import math
import mmap
import os
import struct
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions, JpegOptions
from img2dcm.readers.base import ExifFacts, Frame, LossyFacts, PixelDescription, SourceImage
from img2dcm.readers.exif import ExifError, exif_field_names, parse_exif
from img2dcm.readers.jpeg_markers import (
    APP0,
    APP15,
    COM,
    DAC,
    DHP,
    DHT,
    SOF55,
    SOF57,
    SOS,
    MarkerError,
    MarkerWalk,
    Segment,
    walk_markers,
)
from img2dcm.readers.segments import merge_ranges, open_ranges

log = logging.getLogger(__name__)

#: Transfer syntax UIDs and names. Source: DICOM PS3.6 Table A-1.
TS_JPEG_BASELINE = "1.2.840.10008.1.2.4.50"
TS_JPEG_EXTENDED = "1.2.840.10008.1.2.4.51"
TS_JPEG_PROGRESSIVE = "1.2.840.10008.1.2.4.55"
TS_JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80"
TS_JPEG_LS_NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81"
TS_NAMES: dict[str, str] = {
    TS_JPEG_BASELINE: "JPEG Baseline (Process 1)",
    TS_JPEG_EXTENDED: "JPEG Extended (Process 2 & 4)",
    TS_JPEG_PROGRESSIVE: "JPEG Full Progression, Non-Hierarchical (Process 10 & 12) (Retired)",
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
    0xC3: SofKind("SOF3", "lossless (sequential), Huffman coding", None, ("lossless",)),
    0xC5: SofKind("SOF5", "differential sequential DCT, Huffman coding", None, ("hierarchical",)),
    0xC6: SofKind("SOF6", "differential progressive DCT, Huffman coding", None, ("hierarchical",)),
    0xC7: SofKind("SOF7", "differential lossless (sequential), Huffman coding", None, ("hierarchical", "lossless")),
    0xC8: SofKind("JPG", "reserved for JPEG extensions", None, ("JPEG extension",)),
    0xC9: SofKind("SOF9", "extended sequential DCT, arithmetic coding", None, ("arithmetic-coded",)),
    0xCA: SofKind("SOF10", "progressive DCT, arithmetic coding", None, ("arithmetic-coded",)),
    0xCB: SofKind("SOF11", "lossless (sequential), arithmetic coding", None, ("lossless", "arithmetic-coded")),
    0xCD: SofKind("SOF13", "differential sequential DCT, arithmetic coding", None, ("hierarchical", "arithmetic-coded")),
    0xCE: SofKind("SOF14", "differential progressive DCT, arithmetic coding", None, ("hierarchical", "arithmetic-coded")),
    0xCF: SofKind(
        "SOF15", "differential lossless (sequential), arithmetic coding", None,
        ("hierarchical", "lossless", "arithmetic-coded"),
    ),
    SOF55: SofKind("SOF55", "JPEG-LS", TS_JPEG_LS_LOSSLESS),
    SOF57: SofKind("SOF57", "JPEG-LS extensions (ITU-T T.870)", None, ("JPEG-LS part 2",)),
}

#: Allowed sample precision per frame type. Source: T.81 §B.2.2 (P), T.87 §C.2.2.
PRECISION: dict[int, tuple[int, ...]] = {
    0xC0: (8,),
    0xC1: (8, 12),
    0xC2: (8, 12),
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

#: Component identifiers libjpeg writes for untransformed RGB (cjpeg -rgb): ASCII R, G, B.
RGB_IDS = (0x52, 0x47, 0x42)

#: App-segment policies (JpegOptions.app_segments).
APP_POLICIES = ("strip", "keep", "keep-colour")


@dataclass(frozen=True)
class Component:
    ident: int
    h: int
    v: int


@dataclass(frozen=True)
class FrameHeader:
    precision: int
    rows: int
    columns: int
    components: tuple[Component, ...]


@dataclass(frozen=True)
class Jfif:
    version: tuple[int, int]
    units: int
    x_density: int
    y_density: int


@dataclass(frozen=True)
class Colour:
    """The colour decision: PI, why, and the APP14 that must travel with the frame."""

    photometric: str
    reason: str
    keep_app14: Segment | None = None


class _Reject(Exception):
    """Internal: abort reading with a user-facing message (becomes InputError)."""


class JpegReader:
    """Reads JPEG and JPEG-LS headers; frames are lazy byte ranges of the file."""

    name = "jpeg"

    def accepts(self, prefix: bytes) -> bool:
        """SOI followed by the start of the next marker."""
        return prefix[:3] == b"\xff\xd8\xff"

    def read(self, path: Path, options: InputOptions) -> SourceImage:
        """Parse headers and describe one pass-through frame; InputError on bad input."""
        path = Path(path)
        if options.jpeg.app_segments not in APP_POLICIES:
            raise ValueError(f"unknown app_segments policy {options.jpeg.app_segments!r}")
        try:
            with open(path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size == 0:
                    return _Parse(path, b"", options).run()
                try:
                    mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
                except (OSError, ValueError):  # not mappable (special file system): read it
                    return _Parse(path, handle.read(), options).run()
                with mapped:
                    return _Parse(path, mapped, options).run()
        except (_Reject, MarkerError) as exc:
            raise InputError(str(exc), path) from None
        except InputError:
            raise
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror or exc}", path) from None
        except (struct.error, IndexError, ValueError, OverflowError, BufferError) as exc:
            raise InputError(f"malformed JPEG header data ({exc})", path) from None


class _Parse:
    """One read of one file; collects warnings and notes along the way."""

    def __init__(self, path: Path, data: bytes | mmap.mmap, options: InputOptions) -> None:
        self.path = path
        self.data = data
        self.options = options
        self.jpeg: JpegOptions = options.jpeg
        self.warnings: list[str] = []
        self.notes: list[str] = []

    # -- helpers ----------------------------------------------------------------

    def payload(self, seg: Segment) -> bytes:
        return bytes(self.data[seg.payload_offset : seg.end])

    def app_id(self, seg: Segment) -> str:
        """Printable identifier at the start of an APPn payload ('' if none)."""
        head = bytes(self.data[seg.payload_offset : min(seg.end, seg.payload_offset + 32)])
        ident = head.split(b"\x00", 1)[0]
        printable = bytearray()
        for byte in ident:
            if 0x20 <= byte < 0x7F:
                printable.append(byte)
            else:
                break
        return printable.decode("ascii")

    def label(self, seg: Segment) -> str:
        if APP0 <= seg.code <= APP15:
            ident = self.app_id(seg)
            return f"{seg.name} {ident}" if ident else seg.name
        return seg.name

    # -- the read -----------------------------------------------------------------

    def run(self) -> SourceImage:
        walk = walk_markers(self.data)
        self._note_walk(walk)
        segments = walk.segments

        if any(seg.code == DHP for seg in segments):
            raise _Reject("hierarchical JPEG (DHP marker) is not supported: no DICOM transfer syntax we pass through")
        sofs = [seg for seg in segments if seg.code in SOF_KINDS or (0xC0 <= seg.code <= 0xCF and seg.code not in (DHT, DAC))]
        if not sofs:
            raise _Reject("no frame header (SOFn marker) found: no image data in JPEG file")
        sof = sofs[0]
        if len(sofs) > 1:
            self.warnings.append(f"{len(sofs)} frame headers found; only the first ({sof.name}) is used")
        kind = SOF_KINDS[sof.code]
        self._check_process(kind)
        jpeg_ls = sof.code == SOF55
        frame = self._frame_header(sof, kind)

        first_sos = next((seg for seg in segments if seg.code == SOS), None)
        if first_sos is None:
            raise _Reject(f"no start-of-scan (SOS) marker found: the {'JPEG-LS' if jpeg_ls else 'JPEG'} stream has no scan data")

        apps = [seg for seg in segments if APP0 <= seg.code <= APP15]
        jfif = self._jfif(apps)
        if self.jpeg.require_jfif and jfif is None:
            raise _Reject("no valid JFIF APP0 marker found (a JFIF header is required: -jf / require_jfif)")

        if jpeg_ls:
            self._check_app8(apps)
            near = self._near(first_sos)
            transfer_syntax = TS_JPEG_LS_NEAR_LOSSLESS if near > 0 else TS_JPEG_LS_LOSSLESS
            lossy = LossyFacts(METHOD_JPEG_LS) if near > 0 else None
            colour = self._colour_jpeg_ls(frame)
            if self._adobe(apps) is not None:
                self.notes.append("Adobe APP14 not consulted for JPEG-LS (T.87 streams carry no colour transform)")
        else:
            assert kind.transfer_syntax is not None
            transfer_syntax = kind.transfer_syntax
            lossy = LossyFacts(METHOD_JPEG)
            colour = self._colour_jpeg(frame, apps, jfif is not None)
            if sof.code == 0xC2:
                self.warnings.append(
                    f"progressive JPEG: transfer syntax {transfer_syntax} (JPEG Full Progression) is retired; "
                    "some receivers may not accept it"
                )
        self.notes.append(f"process: {kind.name} ({kind.process}) -> {transfer_syntax} {TS_NAMES[transfer_syntax]}")
        self.notes.append(f"colour: {colour.reason} -> {colour.photometric}")

        samples = len(frame.components)
        precision = frame.precision
        pixels = PixelDescription(
            rows=frame.rows,
            columns=frame.columns,
            samples_per_pixel=samples,
            photometric_interpretation=colour.photometric,
            bits_allocated=8 if precision <= 8 else 16,
            bits_stored=precision,
            high_bit=precision - 1,
            transfer_syntax=transfer_syntax,
            pixel_representation=0,
            planar_configuration=0 if samples == 3 else None,
            pixel_aspect_ratio=self._aspect(jfif),
            lossy=lossy,
        )
        icc = self._icc(apps, sof)
        exif = self._exif(apps) if self.options.exif else None
        frames = [self._frame(walk, self._dropped(segments, colour))]
        image = SourceImage(
            path=self.path,
            format="jpeg-ls" if jpeg_ls else "jpeg",
            pixels=pixels,
            frames=frames,
            icc_profile=icc,
            exif=exif,
            notes=tuple(self.notes),
            warnings=tuple(self.warnings),
        )
        log.debug("%s: %s", self.path, "; ".join(image.notes))
        return image

    def _note_walk(self, walk: MarkerWalk) -> None:
        if walk.garbage:
            total = sum(count for _offset, count in walk.garbage)
            where = ", ".join(f"{count} at offset {offset}" for offset, count in walk.garbage[:3])
            more = ", ..." if len(walk.garbage) > 3 else ""
            self.warnings.append(f"garbage data found in JPEG file ({total} bytes between segments: {where}{more})")
        if walk.trailing:
            self.notes.append(f"{walk.trailing} bytes after EOI ignored")

    # -- frame header and process ------------------------------------------------------

    def _check_process(self, kind: SofKind) -> None:
        if kind.transfer_syntax is None:
            what = " and ".join(kind.unsupported)
            raise _Reject(f"JPEG encoding '{kind.name}: {kind.process}' not supported ({what} JPEG cannot be passed through)")
        if kind.name == "SOF2" and self.jpeg.progressive == "reject":
            raise _Reject("progressive JPEG found but progressive support is disabled (-dp)")
        if kind.name == "SOF1" and self.jpeg.extended == "reject":
            raise _Reject("extended sequential JPEG found but extended support is disabled (-de)")

    def _frame_header(self, sof: Segment, kind: SofKind) -> FrameHeader:
        body = self.payload(sof)
        if len(body) < 6:
            raise _Reject(f"bogus {sof.name} marker length {sof.size - 2} (frame header too short)")
        precision, rows, columns, count = struct.unpack_from(">BHHB", body, 0)
        if sof.size - 2 != 8 + 3 * count:
            raise _Reject(f"bogus {sof.name} marker length {sof.size - 2} (expected 8 + 3 x {count} components = {8 + 3 * count})")
        if rows == 0 or columns == 0:
            raise _Reject(f"invalid image size {columns}x{rows} in {sof.name} (width or height = 0; DNL is not supported)")
        if count not in (1, 3):
            extra = " (CMYK/YCCK or RGBA)" if count == 4 else ""
            raise _Reject(f"{count} image components{extra}: only 1 (grey) or 3 (colour) samples per pixel can be stored")
        allowed = PRECISION[sof.code]
        if precision not in allowed:
            span = f"{allowed[0]}..{allowed[-1]}" if len(allowed) > 2 else " or ".join(map(str, allowed))
            raise _Reject(f"{precision}-bit samples are not valid for {kind.name} ({kind.process}: {span} bits)")
        components = tuple(
            Component(body[6 + 3 * i], body[7 + 3 * i] >> 4, body[7 + 3 * i] & 0x0F) for i in range(count)
        )
        self.notes.append(
            f"frame: {columns}x{rows}, {count} component(s), {precision}-bit, "
            f"ids {','.join(str(c.ident) for c in components)}, sampling {_sampling(components)}"
        )
        return FrameHeader(precision, rows, columns, components)

    # -- colour ------------------------------------------------------------------------

    def _colour_jpeg(self, frame: FrameHeader, apps: Sequence[Segment], has_jfif: bool) -> Colour:
        comps = frame.components
        if len(comps) == 1:
            return Colour("MONOCHROME2", "1 component")
        ids = ",".join(_id_text(c.ident) for c in comps)
        sampling = _sampling(comps)
        facts = f"3 components, ids {ids}, sampling {sampling}, JFIF {'present' if has_jfif else 'absent'}"
        self._subsampling_warning(comps)

        adobe = self._adobe(apps)
        if adobe is not None:
            seg, transform = adobe
            if transform == 0:
                if has_jfif:
                    self.warnings.append(
                        "JFIF APP0 (implies YCbCr) and Adobe APP14 transform 0 (RGB) contradict each other; "
                        "following APP14: RGB"
                    )
                return Colour("RGB", f"{facts}, Adobe APP14 transform 0 (no colour transform)", seg)
            if transform != 1:
                self.warnings.append(
                    f"Adobe APP14 transform {transform} is not valid for 3 components; assuming YCbCr"
                )
            return Colour("YBR_FULL_422", f"{facts}, Adobe APP14 transform {transform} (YCbCr)")
        all_1x1 = all(c.h == 1 and c.v == 1 for c in comps)
        if tuple(c.ident for c in comps) == RGB_IDS and all_1x1:
            return Colour("RGB", f"{facts}, no Adobe APP14, ids 'R','G','B' unsubsampled")
        return Colour("YBR_FULL_422", f"{facts}, no Adobe APP14")

    def _subsampling_warning(self, comps: Sequence[Component]) -> None:
        """DCMTK 3.7.0's warnings for chroma subsampling that YBR_FULL_422 does not name."""
        luma = (comps[0].h, comps[0].v)
        chroma_1x1 = all((c.h, c.v) == (1, 1) for c in comps[1:])
        if chroma_1x1 and luma in ((1, 1), (2, 1)):
            return
        if chroma_1x1 and luma == (2, 2):
            self.warnings.append("JPEG file contains non-standard 4:2:0 subsampling")
        elif chroma_1x1 and luma == (4, 1):
            self.warnings.append("JPEG file contains non-standard 4:1:1 subsampling")
        else:
            self.warnings.append("JPEG file contains non-standard subsampling")

    def _colour_jpeg_ls(self, frame: FrameHeader) -> Colour:
        comps = frame.components
        sub = [c for c in comps if (c.h, c.v) != (1, 1)]
        if sub:
            raise _Reject(
                f"subsampled JPEG-LS components (sampling {_sampling(comps)}): "
                "DICOM cannot describe subsampled JPEG-LS data"
            )
        if len(comps) == 1:
            return Colour("MONOCHROME2", "JPEG-LS, 1 component")
        return Colour("RGB", "JPEG-LS, 3 components (no colour transform; any interleave mode)")

    def _adobe(self, apps: Sequence[Segment]) -> tuple[Segment, int] | None:
        """The first APP14 'Adobe' segment with its transform flag, if readable."""
        for seg in apps:
            if seg.code != APP14:
                continue
            body = self.payload(seg)
            if not body.startswith(ID_ADOBE):
                continue
            if len(body) < 12:
                self.warnings.append(f"Adobe APP14 at offset {seg.offset} is too short ({len(body)} bytes); ignored")
                continue
            return seg, body[11]
        return None

    # -- JFIF, JPEG-LS specifics -------------------------------------------------------------

    def _jfif(self, apps: Sequence[Segment]) -> Jfif | None:
        for seg in apps:
            if seg.code != APP0:
                continue
            body = self.payload(seg)
            if not body.startswith(ID_JFIF):
                continue
            if len(body) < 14:
                self.warnings.append(f"JFIF APP0 at offset {seg.offset} is too short; ignored")
                return None
            major, minor, units, xd, yd = struct.unpack_from(">BBBHH", body, 5)
            if units > 2:
                self.warnings.append(f"JFIF APP0 has invalid density units {units}; ignored")
                return None
            self.notes.append(f"JFIF {major}.{minor:02d}: units {units}, density {xd}x{yd}")
            return Jfif((major, minor), units, xd, yd)
        return None

    def _aspect(self, jfif: Jfif | None) -> tuple[int, int] | None:
        """JFIF densities as DICOM PixelAspectRatio (vertical, horizontal) when not 1:1.

        A pixel's width is 1/Xdensity and its height 1/Ydensity, so
        vertical:horizontal = Xdensity:Ydensity.
        """
        if jfif is None or jfif.x_density == 0 or jfif.y_density == 0 or jfif.x_density == jfif.y_density:
            return None
        divisor = math.gcd(jfif.x_density, jfif.y_density)
        ratio = (jfif.x_density // divisor, jfif.y_density // divisor)
        self.notes.append(f"pixel aspect ratio {ratio[0]}:{ratio[1]} (vertical:horizontal) from JFIF density")
        return ratio

    def _check_app8(self, apps: Sequence[Segment]) -> None:
        for seg in apps:
            if seg.code != APP8:
                continue
            body = self.payload(seg)
            if body.startswith(ID_SPIFF):
                raise _Reject("APP8 SPIFF header found: SPIFF-wrapped JPEG-LS cannot be stored in DICOM")
            if body.startswith(ID_MRFX):
                if len(body) != 5:
                    raise _Reject(f"APP8 'mrfx' segment has length {seg.size - 2}, expected 7")
                if body[4] != 0:
                    raise _Reject(
                        f"APP8 'mrfx' colour transform HP{body[4]} found: DICOM JPEG-LS must not use a colour transform"
                    )
                continue
            self.warnings.append(f"unknown APP8 segment '{self.app_id(seg)}' in JPEG-LS stream; passed over")

    def _near(self, sos: Segment) -> int:
        body = self.payload(sos)
        if not body:
            raise _Reject("bogus SOS marker length 2")
        count = body[0]
        if sos.size - 2 != 6 + 2 * count:
            raise _Reject(f"bogus SOS marker length {sos.size - 2} (expected 6 + 2 x {count} = {6 + 2 * count})")
        near, ilv = body[1 + 2 * count], body[2 + 2 * count]
        self.notes.append(f"JPEG-LS first scan: NEAR={near}, interleave mode {ilv}")
        return near

    # -- ICC and EXIF -----------------------------------------------------------------

    def _icc(self, apps: Sequence[Segment], sof: Segment) -> bytes | None:
        """Reassemble the APP2 ICC_PROFILE chunks (ICC.1 Annex B.4) in sequence order.

        Like Pillow, chunks that precede the frame header win; chunks after it
        are used only when none precede it (libjpeg would refuse duplicates).
        """
        icc_segs = [seg for seg in apps if seg.code == APP2 and self.payload(seg)[: len(ID_ICC)] == ID_ICC]
        early = [seg for seg in icc_segs if seg.offset < sof.offset]
        if early and len(early) < len(icc_segs):
            self.notes.append(f"{len(icc_segs) - len(early)} ICC_PROFILE chunk(s) after the frame header ignored")
            icc_segs = early
        chunks: list[tuple[int, int, bytes]] = []
        for seg in icc_segs:
            body = self.payload(seg)
            if len(body) < 14:
                self.warnings.append(f"ICC profile chunk at offset {seg.offset} is too short; no ICC profile used")
                return None
            chunks.append((body[12], body[13], body[14:]))
        if not chunks:
            return None
        totals = {total for _seq, total, _data in chunks}
        numbers = sorted(seq for seq, _total, _data in chunks)
        if len(totals) != 1 or numbers != list(range(1, len(chunks) + 1)) or len(chunks) != totals.pop():
            self.warnings.append(
                f"malformed ICC profile in APP2 (chunk numbers {','.join(map(str, numbers))} "
                f"of {'/'.join(str(t) for _s, t, _d in chunks)}); no ICC profile used"
            )
            return None
        profile = b"".join(data for _seq, _total, data in sorted(chunks, key=lambda c: c[0]))
        if not profile:
            self.warnings.append("empty ICC profile in APP2; no ICC profile used")
            return None
        self.notes.append(f"ICC profile: {len(profile)} bytes from {len(chunks)} APP2 chunk(s)")
        return profile

    def _exif(self, apps: Sequence[Segment]) -> ExifFacts | None:
        blocks = [seg for seg in apps if seg.code == APP1 and self.payload(seg).startswith(ID_EXIF)]
        if not blocks:
            return None
        if len(blocks) > 1:
            self.notes.append(f"{len(blocks)} EXIF APP1 segments; only the first is read")
        try:
            facts = parse_exif(self.payload(blocks[0])[len(ID_EXIF) :])
        except ExifError as exc:
            self.warnings.append(f"ignoring malformed EXIF data: {exc}")
            return None
        found = exif_field_names(facts)
        self.notes.append(f"EXIF: {', '.join(found) if found else 'none of the mapped fields'}")
        return facts

    # -- segments and the frame ----------------------------------------------------

    def _dropped(self, segments: Sequence[Segment], colour: Colour) -> list[Segment]:
        policy = self.jpeg.app_segments
        dropped: list[Segment] = []
        for seg in segments:
            if seg.code == COM:
                if self.jpeg.comments == "remove":
                    dropped.append(seg)
                continue
            if not APP0 <= seg.code <= APP15:
                continue
            if seg is colour.keep_app14:
                if policy == "strip":
                    self.notes.append(
                        "APP14 Adobe (transform 0) kept despite app_segments=strip, so decoders that ignore "
                        "DICOM attributes also see RGB"
                    )
                continue
            body_head = bytes(self.data[seg.payload_offset : min(seg.end, seg.payload_offset + 12)])
            if policy == "strip":
                dropped.append(seg)
            elif policy == "keep":
                if seg.code == APP0 and (body_head.startswith(ID_JFIF) or body_head.startswith(ID_JFXX)):
                    dropped.append(seg)
            else:  # keep-colour
                colour_seg = (seg.code == APP2 and body_head.startswith(ID_ICC)) or (
                    seg.code == APP14 and body_head.startswith(ID_ADOBE)
                )
                if not colour_seg:
                    dropped.append(seg)
        gone = {id(seg) for seg in dropped}
        kept = [self.label(seg) for seg in segments if id(seg) not in gone]
        self.notes.append(f"segments kept: {_tally(kept)}")
        if dropped:
            self.notes.append(
                f"segments dropped (app_segments={policy}, comments={self.jpeg.comments}): "
                f"{_tally([self.label(seg) for seg in dropped])} ({sum(seg.size for seg in dropped)} bytes)"
            )
        return dropped

    def _frame(self, walk: MarkerWalk, dropped: Sequence[Segment]) -> Frame:
        ranges: list[tuple[int, int]] = []
        cursor = 0
        for seg in sorted(dropped, key=lambda s: s.offset):
            ranges.append((cursor, seg.offset - cursor))
            cursor = seg.end
        ranges.append((cursor, walk.end - cursor))
        merged = merge_ranges(ranges)
        length = sum(size for _offset, size in merged)
        return Frame(length, functools.partial(open_ranges, self.path, merged))


def _sampling(comps: Sequence[Component]) -> str:
    return ",".join(f"{c.h}x{c.v}" for c in comps)


def _id_text(ident: int) -> str:
    """Component id as number, or as 'R' style when it is a printable letter."""
    return f"'{chr(ident)}'" if 0x41 <= ident <= 0x5A or 0x61 <= ident <= 0x7A else str(ident)


def _tally(labels: Sequence[str]) -> str:
    """'DQT x2, SOF0, ...' in order of first appearance."""
    counts = Counter(labels)
    seen: list[str] = []
    for label in labels:
        if label not in seen:
            seen.append(label)
    return ", ".join(f"{label} x{counts[label]}" if counts[label] > 1 else label for label in seen)


__all__ = ["JpegReader", "SOF_KINDS", "TS_NAMES"]
