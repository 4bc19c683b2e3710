"""JPEG 2000 (ISO/IEC 15444-1) and HTJ2K (15444-15) reader: headers only, the codestream passes through.

Raw codestreams (.j2k/.j2c/.jhc) are used whole; JP2/JPH files are cut down to
the contents of their codestream box (PS3.5 §A.4.4 forbids the JP2 header).
The headers choose the transfer syntax (PS3.5 §8.2.4, §8.2.15 and §10.18) and
the photometric interpretation (§8.2.4: the multi-component transform decides);
what DICOM cannot describe is refused with the reason.
"""

from __future__ import annotations

import functools
import mmap
from pathlib import Path

from img2dcm.profile.model import InputOptions
from img2dcm.readers.base import LossyFacts, PixelDescription, SourceImage
from img2dcm.readers.j2k_boxes import ENUM_SYCC, SIGNATURE_BOX, BoxError, Boxes, walk_boxes
from img2dcm.readers.j2k_codestream import (
    PROGRESSIONS,
    RSIZ_PART2,
    WAVELET_REVERSIBLE,
    Codestream,
    CodestreamError,
    parse_codestream,
)
from img2dcm.readers.mapped import parse_mapped
from img2dcm.readers.segments import file_frame

#: Transfer syntaxes (PS3.6 Table A-1).
TS_J2K_LOSSLESS = "1.2.840.10008.1.2.4.90"
TS_J2K = "1.2.840.10008.1.2.4.91"
TS_HTJ2K_LOSSLESS = "1.2.840.10008.1.2.4.201"
TS_HTJ2K_RPCL_LOSSLESS = "1.2.840.10008.1.2.4.202"
TS_HTJ2K = "1.2.840.10008.1.2.4.203"
TS_NAMES = {
    TS_J2K_LOSSLESS: "JPEG 2000 Image Compression (Lossless Only)",
    TS_J2K: "JPEG 2000 Image Compression",
    TS_HTJ2K_LOSSLESS: "High-Throughput JPEG 2000 Image Compression (Lossless Only)",
    TS_HTJ2K_RPCL_LOSSLESS: "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)",
    TS_HTJ2K: "High-Throughput JPEG 2000 Image Compression",
}
#: (high throughput, reversible) -> the syntax, before the RPCL check (PS3.5 §8.2.4, §8.2.15).
SYNTAX = {
    (False, True): TS_J2K_LOSSLESS,
    (False, False): TS_J2K,
    (True, True): TS_HTJ2K_LOSSLESS,
    (True, False): TS_HTJ2K,
}
#: Lossy Image Compression Method defined terms (PS3.3 §C.7.6.1.1.5.1).
METHOD = {False: "ISO_15444_1", True: "ISO_15444_15"}
#: .202: RPCL progression, a TLM marker, and enough decompositions for a base
#: resolution of at most 64 (PS3.5 §10.18).
RPCL, RPCL_BASE_MAX = PROGRESSIONS.index("RPCL"), 64
#: The largest sample precision we write (Image Pixel BitsAllocated 8 or 16).
MAX_BITS = 16
CODESTREAM_START = bytes.fromhex("ff4fff51")


class Reject(Exception):
    """Stop reading with a user-facing reason."""


class Jpeg2000Reader:
    """JPEG 2000 Part 1 and HTJ2K files, raw or boxed; frames are a byte range of the file."""

    name = "jpeg2000"
    #: Only HTJ2K codestreams are accepted by the htj2k reader.
    require_ht = False

    def accepts(self, prefix: bytes) -> bool:
        """A raw codestream (SOC then SIZ) or a JP2-family signature box."""
        return prefix.startswith(CODESTREAM_START) or prefix[:12] == SIGNATURE_BOX

    def read(self, path: Path, options: InputOptions) -> SourceImage:
        path = Path(path)
        return parse_mapped(path, "JPEG 2000", 12, functools.partial(self._read, path),
                            (Reject, BoxError, CodestreamError))

    def _read(self, path: Path, data: mmap.mmap, size: int) -> SourceImage:
        notes: list[str] = []
        warnings: list[str] = []
        if bytes(data[:12]) == SIGNATURE_BOX:
            boxes = walk_boxes(data, size)  # type: ignore[arg-type]
            notes.append(
                f"{boxes.brand} file: codestream box at offset {boxes.codestream_offset}, "
                f"{boxes.codestream_length} bytes; the other boxes are not stored (PS3.5 A.4.4)"
            )
        else:
            boxes = Boxes("codestream", 0, size)
        stream = parse_codestream(data, boxes.codestream_offset, boxes.codestream_length)  # type: ignore[arg-type]
        if not stream.has_eoc:
            warnings.append("the codestream does not end with an EOC marker (truncated?)")
        if self.require_ht and not stream.high_throughput:
            raise Reject("not an HTJ2K codestream (no Rsiz bit 14 or CAP Part 15); input format is set to htj2k")
        pixels = describe(stream, boxes, notes)
        frame = file_frame(path, ((boxes.codestream_offset, boxes.codestream_length),))
        return SourceImage(
            path=path,
            format="htj2k" if stream.high_throughput else "jpeg2000",
            pixels=pixels,
            frames=(frame,),
            notes=tuple(notes),
            warnings=tuple(warnings),
        )


class Htj2kReader(Jpeg2000Reader):
    """``input.format: htj2k``: the same reader, refusing Part 1 codestreams."""

    name = "htj2k"
    require_ht = True

    def accepts(self, prefix: bytes) -> bool:
        """An HT codestream (Rsiz bit 14), or a JPH file (brand 'jph ' in its file type box)."""
        if prefix.startswith(CODESTREAM_START):
            return len(prefix) >= 8 and bool(int.from_bytes(prefix[6:8], "big") & 0x4000)
        return prefix[:12] == SIGNATURE_BOX and prefix[16:24] == b"ftypjph "


def describe(stream: Codestream, boxes: Boxes, notes: list[str]) -> PixelDescription:
    """The Image Pixel module and transfer syntax, or Reject naming what DICOM cannot carry."""
    check_describable(stream)
    comps = stream.components
    bits, signed = comps[0].bits, comps[0].signed
    wavelets = {coding.wavelet for coding in stream.codings}
    mcts = {coding.mct for coding in stream.codings if coding.component is None}
    if len(mcts) > 1:
        raise Reject("tile-parts use different multi-component transforms: one photometric interpretation cannot describe them")
    if not mcts:
        raise Reject("the codestream has no COD marker (coding style), which its main header must have")
    mct = mcts.pop() or 0
    reversible_wavelet = wavelets == {WAVELET_REVERSIBLE}
    quantised = any(style != 0 for style in stream.quantisation)
    reversible = reversible_wavelet and not quantised
    ht = stream.high_throughput
    main = stream.main
    notes.append(
        f"codestream: {stream.columns}x{stream.rows}, {len(comps)} component(s), {bits}-bit "
        f"{'signed' if signed else 'unsigned'}, {stream.tiles} tile(s) in {stream.tile_parts} tile-part(s), "
        f"{'HTJ2K (Part 15)' if ht else 'Part 1'}, wavelet {'5/3 reversible' if reversible_wavelet else '9/7 irreversible' if wavelets == {0} else 'mixed'}, "
        f"quantisation {'none' if not quantised else 'scalar'}, MCT {mct}, "
        f"progression {PROGRESSIONS[main.progression] if main.progression is not None and main.progression < 5 else main.progression}, "
        f"{main.levels} decomposition level(s), TLM {'present' if stream.has_tlm else 'absent'}"
    )
    photometric, why = photometric_for(stream, mct, reversible_wavelet, boxes)
    if photometric == "YBR_RCT" and not reversible:
        raise Reject("reversible colour transform (RCT) with quantisation: no DICOM transfer syntax allows YBR_RCT for lossy JPEG 2000")
    syntax = SYNTAX[(ht, reversible)]
    if syntax == TS_HTJ2K_LOSSLESS and rpcl_options(stream):
        syntax = TS_HTJ2K_RPCL_LOSSLESS
    notes.append(f"colour: {why} -> {photometric}")
    notes.append(f"transfer syntax: {syntax} {TS_NAMES[syntax]}")
    if reversible:
        notes.append(
            "lossless: reversible 5/3 wavelet without quantisation (a codestream truncated by its encoder "
            "would look the same; see docs/input-codecs.md)"
        )
    return PixelDescription(
        rows=stream.rows,
        columns=stream.columns,
        samples_per_pixel=len(comps),
        photometric_interpretation=photometric,
        bits_allocated=8 if bits <= 8 else 16,
        bits_stored=bits,
        high_bit=bits - 1,
        transfer_syntax=syntax,
        pixel_representation=1 if signed else 0,
        planar_configuration=0 if len(comps) == 3 else None,
        lossy=None if reversible else LossyFacts(METHOD[ht]),
    )


def check_describable(stream: Codestream) -> None:
    """Refuse what no DICOM Image Pixel module (or no syntax we write) can describe."""
    comps = stream.components
    if stream.rsiz & RSIZ_PART2 or stream.part2_markers:
        what = ", ".join(stream.part2_markers) or "Rsiz bit 15"
        raise Reject(f"JPEG 2000 Part 2 extensions ({what}): not stored by img2dcm (DICOM .92/.93 are not supported)")
    if len(comps) not in (1, 3):
        raise Reject(f"{len(comps)} components: only 1 (grey) or 3 (colour) samples per pixel can be stored")
    sub = [f"{c.dx}x{c.dy}" for c in comps if (c.dx, c.dy) != (1, 1)]
    if sub:
        raise Reject(
            f"subsampled components ({', '.join(sub)}): DICOM cannot describe subsampled JPEG 2000 here "
            "(Rows/Columns would not match the decoded components)"
        )
    if len({(c.bits, c.signed) for c in comps}) > 1:
        mixed = ", ".join(f"{c.bits}-bit {'signed' if c.signed else 'unsigned'}" for c in comps)
        raise Reject(f"components of mixed precision or sign ({mixed}): DICOM has one Bits Stored for all samples")
    if comps[0].bits > MAX_BITS:
        raise Reject(f"{comps[0].bits}-bit samples: img2dcm stores at most {MAX_BITS} bits per sample")
    if comps[0].signed and len(comps) == 3:
        raise Reject("signed colour samples: DICOM colour images are unsigned (PS3.5 Table 8.2.4-1)")


def photometric_for(stream: Codestream, mct: int, reversible_wavelet: bool, boxes: Boxes) -> tuple[str, str]:
    """PS3.5 §8.2.4: the MCT decides YBR_RCT / YBR_ICT; without MCT the components are the colour space."""
    if len(stream.components) == 1:
        return "MONOCHROME2", "1 component"
    if mct == 1:
        if reversible_wavelet:
            return "YBR_RCT", "3 components, reversible multi-component transform (RCT)"
        if any(coding.wavelet == WAVELET_REVERSIBLE for coding in stream.codings):
            raise Reject("multi-component transform with mixed 5/3 and 9/7 wavelets: neither YBR_RCT nor YBR_ICT describes it")
        return "YBR_ICT", "3 components, irreversible multi-component transform (ICT)"
    if boxes.enumerated_colour == ENUM_SYCC:
        return "YBR_FULL", "3 components, no MCT, JP2 colour box says sYCC"
    return "RGB", "3 components, no multi-component transform"


def rpcl_options(stream: Codestream) -> bool:
    """PS3.5 §10.18: RPCL progression, TLM present, base resolution at most 64."""
    main = stream.main
    return (
        main.progression == RPCL
        and stream.has_tlm
        and min(stream.rows, stream.columns) >> main.levels <= RPCL_BASE_MAX
    )


