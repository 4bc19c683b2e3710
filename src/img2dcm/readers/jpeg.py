"""JPEG (ITU-T T.81) and JPEG-LS (ITU-T T.87) reader: headers only, pixels pass through.

The code stream is not decoded, except progressive and CMYK streams whose policy
says ``decode`` (``jpeg_decode``: pass-through would give an object viewers cannot
show). Otherwise we read the frame and scan headers to choose
the transfer syntax and describe the Image Pixel module, then hand the writer
one frame made of byte ranges of the file: SOI..EOI minus the APPn/COM segments
the policy drops. Behaviour mirrors DCMTK 3.7.0 img2dcm's JPEG plugin except
where docs/input-jpeg.md lists a deliberate difference.

This module runs one read in order; the rules live beside it:
``jpeg_markers`` (the marker walk), ``jpeg_tables`` (standard-derived tables),
``jpeg_frame`` (SOFn and the coding process), ``jpeg_colour`` (the colour rule),
``jpegls`` (JPEG-LS checks), ``jpeg_appn`` (JFIF, ICC, EXIF and the APPn/COM
policy), ``jpeg_context`` (the state they share).
"""

from __future__ import annotations

import logging
import mmap
import os
import struct
from collections.abc import Sequence
from pathlib import Path

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers.base import Frame, LossyFacts, PixelDescription, SourceImage
from img2dcm.readers.jpeg_appn import (
    Jfif,
    dropped_segments,
    icc_profile,
    pixel_aspect_ratio,
    read_exif,
    read_jfif,
)
from img2dcm.readers.jpeg_colour import Colour, colour_for_jpeg, find_adobe_app14
from img2dcm.readers.jpeg_context import ReadContext, Reject
from img2dcm.readers.jpeg_frame import (
    Component,
    FrameHeader,
    check_process,
    first_frame_header,
    parse_frame_header,
)
from img2dcm.readers.jpeg_markers import (
    APP0,
    APP15,
    SOF3,
    SOF55,
    SOS,
    MarkerError,
    MarkerWalk,
    Segment,
    walk_markers,
)
from img2dcm.readers.jpeg_tables import (
    APP_POLICIES,
    ID_ADOBE,
    ID_EXIF,
    ID_ICC,
    ID_JFIF,
    ID_JFXX,
    ID_MRFX,
    ID_SPIFF,
    METHOD_JPEG,
    METHOD_JPEG_LS,
    PRECISION,
    RGB_IDS,
    SOF_KINDS,
    TS_JPEG_BASELINE,
    TS_JPEG_EXTENDED,
    TS_JPEG_LS_LOSSLESS,
    TS_JPEG_LS_NEAR_LOSSLESS,
    TS_JPEG_PROGRESSIVE,
    TS_NAMES,
    SofKind,
)
from img2dcm.readers.jpegls import check_app8, colour_for_jpeg_ls, first_scan_near
from img2dcm.readers.segments import file_frame

log = logging.getLogger(__name__)


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
                    return _read(ReadContext(path, b"", options))
                try:
                    mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
                except (OSError, ValueError):  # not mappable (special file system): read it
                    return _read(ReadContext(path, handle.read(), options))
                with mapped:
                    return _read(ReadContext(path, mapped, options))
        except (Reject, MarkerError) as exc:
            raise InputError(str(exc), path) from None
        except InputError:
            raise
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror or exc}", path) from None
        except (struct.error, IndexError, ValueError, OverflowError, BufferError) as exc:
            raise InputError(f"malformed JPEG header data ({exc})", path) from None



def _read(ctx: ReadContext) -> SourceImage:
    """Walk the markers, apply the rules in DCMTK's order, describe one pass-through frame."""
    walk = walk_markers(ctx.data)
    _note_walk(ctx, walk)
    segments = walk.segments

    sof = first_frame_header(ctx, segments)
    kind = SOF_KINDS[sof.code]
    check_process(ctx, kind)
    jpeg_ls = sof.code == SOF55
    decode = decode_reason(ctx, sof, kind)
    if decode is not None:
        from img2dcm.readers.jpeg_decode import decode_jpeg  # Pillow and numpy: only to decode

        return decode_jpeg(ctx.path, ctx.options, decode, ctx.payload(sof)[0])
    frame = parse_frame_header(ctx, sof, kind)

    first_sos = next((seg for seg in segments if seg.code == SOS), None)
    if first_sos is None:
        raise Reject(f"no start-of-scan (SOS) marker found: the {'JPEG-LS' if jpeg_ls else 'JPEG'} stream has no scan data")

    apps = [seg for seg in segments if APP0 <= seg.code <= APP15]
    jfif = read_jfif(ctx, apps)
    if ctx.jpeg.require_jfif and jfif is None:
        raise Reject("no valid JFIF APP0 marker found (a JFIF header is required: -jf / require_jfif)")

    if jpeg_ls:
        check_app8(ctx, apps)
        near = first_scan_near(ctx, first_sos)
        transfer_syntax = TS_JPEG_LS_NEAR_LOSSLESS if near > 0 else TS_JPEG_LS_LOSSLESS
        lossy = LossyFacts(METHOD_JPEG_LS) if near > 0 else None
        colour = colour_for_jpeg_ls(frame)
        if find_adobe_app14(ctx, apps) is not None:
            ctx.notes.append("Adobe APP14 not consulted for JPEG-LS (T.87 streams carry no colour transform)")
    elif sof.code == SOF3:
        from img2dcm.readers.jpeg_lossless import colour_for_lossless, lossless_coding

        coding = lossless_coding(ctx, segments)
        transfer_syntax, lossy = coding.transfer_syntax, coding.lossy
        colour = colour_for_lossless(ctx, frame, apps)
    else:
        assert kind.transfer_syntax is not None
        transfer_syntax = kind.transfer_syntax
        lossy = LossyFacts(METHOD_JPEG)
        colour = colour_for_jpeg(ctx, frame, apps)
        if sof.code == 0xC2:
            ctx.warnings.append(
                f"progressive JPEG: transfer syntax {transfer_syntax} (JPEG Full Progression) is retired; "
                "some receivers may not accept it"
            )
    ctx.notes.append(f"process: {kind.name} ({kind.process}) -> {transfer_syntax} {TS_NAMES[transfer_syntax]}")
    ctx.notes.append(f"colour: {colour.reason} -> {colour.photometric}")

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
        pixel_aspect_ratio=pixel_aspect_ratio(ctx, jfif),
        lossy=lossy,
    )
    icc = icc_profile(ctx, apps, sof)
    exif = read_exif(ctx, apps) if ctx.options.exif else None
    rewritten = _rewrite_component_ids(ctx, segments, colour.id_map) if colour.id_map else {}
    if colour.insert_after_soi:
        ctx.notes.append("APP14 Adobe (transform 0) inserted after SOI so decoders that look only for APP14 see RGB")
    frames = [_pass_through_frame(ctx, walk, dropped_segments(ctx, segments, colour), rewritten, colour.insert_after_soi)]
    image = SourceImage(
        path=ctx.path,
        format="jpeg-ls" if jpeg_ls else "jpeg",
        pixels=pixels,
        frames=frames,
        icc_profile=icc,
        exif=exif,
        notes=tuple(ctx.notes),
        warnings=tuple(ctx.warnings),
    )
    log.debug("%s: %s", ctx.path, "; ".join(image.notes))
    return image


def decode_reason(ctx: ReadContext, sof: Segment, kind: SofKind) -> str | None:
    """"progressive" or "cmyk" when the policy says to decode this stream instead of passing it through."""
    if kind.name == "SOF2" and ctx.jpeg.progressive == "decode":
        return "progressive"
    body = ctx.payload(sof)
    if kind.name in ("SOF0", "SOF1", "SOF2") and len(body) >= 6 and body[5] == 4 and ctx.jpeg.cmyk == "decode":
        return "cmyk"
    return None


def _note_walk(ctx: ReadContext, walk: MarkerWalk) -> None:
    """Report bytes the marker walk stepped over: DCMTK warns about them too."""
    if walk.garbage:
        total = sum(count for _offset, count in walk.garbage)
        where = ", ".join(f"{count} at offset {offset}" for offset, count in walk.garbage[:3])
        more = ", ..." if len(walk.garbage) > 3 else ""
        ctx.warnings.append(f"garbage data found in JPEG file ({total} bytes between segments: {where}{more})")
    if walk.trailing:
        ctx.notes.append(f"{walk.trailing} bytes after EOI ignored")


def _rewrite_component_ids(
    ctx: ReadContext, segments: Sequence[Segment], id_map: dict[int, int]
) -> dict[Segment, bytes]:
    """New bytes for the SOF and SOS segments with component ids mapped (T.81 B.2.2, B.2.3).

    Ids appear nowhere else (tables are referenced by number), so decoding is unchanged.
    """
    rewritten: dict[Segment, bytes] = {}
    for seg in segments:
        if seg.code in SOF_KINDS:
            first, step, count_at = 10, 3, 9
        elif seg.code == SOS:
            first, step, count_at = 5, 2, 4
        else:
            continue
        data = bytearray(ctx.data[seg.offset : seg.end])
        for i in range(data[count_at]):
            at = first + step * i
            data[at] = id_map.get(data[at], data[at])
        rewritten[seg] = bytes(data)
    ctx.notes.append(f"component ids rewritten in {len(rewritten)} SOF/SOS segment(s): "
                     + ", ".join(f"{old}->{new}" for old, new in id_map.items()))
    return rewritten


def _pass_through_frame(
    ctx: ReadContext,
    walk: MarkerWalk,
    dropped: Sequence[Segment],
    rewritten: dict[Segment, bytes],
    inserted: bytes | None,
) -> Frame:
    """SOI..EOI minus the dropped segments, as lazy byte ranges of the file.

    ``rewritten`` maps a segment to the bytes that replace it; ``inserted``
    follows SOI.
    """
    ranges: list[tuple[int, int] | bytes] = [(0, 2), inserted or b""]
    cursor = 2
    edits: list[tuple[Segment, bytes | None]] = [(seg, None) for seg in dropped]
    edits += list(rewritten.items())
    for seg, data in sorted(edits, key=lambda edit: edit[0].offset):
        ranges.append((cursor, seg.offset - cursor))
        if data is not None:
            ranges.append(data)
        cursor = seg.end
    ranges.append((cursor, walk.end - cursor))
    return file_frame(ctx.path, ranges)


#: The names below were defined here before the reader was split; they stay importable.
__all__ = [
    "APP_POLICIES",
    "ID_ADOBE",
    "ID_EXIF",
    "ID_ICC",
    "ID_JFIF",
    "ID_JFXX",
    "ID_MRFX",
    "ID_SPIFF",
    "METHOD_JPEG",
    "METHOD_JPEG_LS",
    "PRECISION",
    "RGB_IDS",
    "SOF_KINDS",
    "TS_JPEG_BASELINE",
    "TS_JPEG_EXTENDED",
    "TS_JPEG_LS_LOSSLESS",
    "TS_JPEG_LS_NEAR_LOSSLESS",
    "TS_JPEG_PROGRESSIVE",
    "TS_NAMES",
    "Colour",
    "Component",
    "FrameHeader",
    "Jfif",
    "JpegReader",
    "SofKind",
]
