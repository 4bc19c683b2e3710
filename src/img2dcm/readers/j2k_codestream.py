"""JPEG 2000 / HTJ2K codestream headers (ISO/IEC 15444-1 Annex A, 15444-15 Annex A): no decoding.

We read SIZ (image size, components, precision, sign), every COD/COC (wavelet,
multi-component transform, progression, levels, code-block size) and QCD/QCC
(quantisation style) in the main header *and* in every tile-part header, since
a tile-part may override the main header. CAP and Rsiz tell HTJ2K; TLM counts
for the .202 syntax. Tile-parts are skipped with their Psot lengths.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

#: Marker codes (15444-1 Table A.2; 15444-15 Table A.2 for CAP/CPF; 15444-2 Table A.3 for Part 2).
SOC, CAP, SIZ, COD, COC, TLM, CPF, QCD, QCC = 0xFF4F, 0xFF50, 0xFF51, 0xFF52, 0xFF53, 0xFF55, 0xFF59, 0xFF5C, 0xFF5D
SOT, SOD, EOC = 0xFF90, 0xFF93, 0xFFD9
#: Part 2 markers (multi-component transform, non-linearity, arbitrary wavelets...): DCO..ATK.
PART2_MARKERS = {0xFF70: "DCO", 0xFF72: "ADS", 0xFF74: "MCT", 0xFF75: "MCC", 0xFF76: "NLT",
                 0xFF77: "MCO", 0xFF78: "CBD", 0xFF79: "ATK"}
#: Rsiz bit 14: HTJ2K (15444-15 §A.2); bit 15: Part 2 extensions (15444-2 §A.2.1).
RSIZ_HT, RSIZ_PART2 = 0x4000, 0x8000
#: Pcap bit for Part 15 (bit 15 counted from the most significant, 15444-1 Amd / 15444-15 §A.3).
PCAP_PART15 = 1 << (32 - 15)
#: SGcod progression orders (15444-1 Table A.16).
PROGRESSIONS = ("LRCP", "RLCP", "RPCL", "PCRL", "CPRL")
#: SPcod wavelet (15444-1 Table A.20).
WAVELET_IRREVERSIBLE, WAVELET_REVERSIBLE = 0, 1
#: Sqcd quantisation style, low 5 bits (15444-1 Table A.28): 0 = none.
QUANT_NONE = 0


class CodestreamError(ValueError):
    """The codestream is unusable; the message is user-facing."""


@dataclass(frozen=True)
class ComponentSize:
    """One component in SIZ: precision, sign and sub-sampling."""

    bits: int
    signed: bool
    dx: int
    dy: int


@dataclass(frozen=True)
class Coding:
    """One COD (component None) or COC segment."""

    component: int | None
    progression: int | None  # COD only
    mct: int | None  # COD only
    levels: int
    code_block: tuple[int, int]  # width, height exponents + 2 (e.g. 64, 64)
    wavelet: int


@dataclass
class Codestream:
    """Everything the reader needs from the headers."""

    rsiz: int
    columns: int
    rows: int
    tile_size: tuple[int, int]
    tiles: int
    components: tuple[ComponentSize, ...]
    codings: list[Coding] = field(default_factory=list)
    quantisation: list[int] = field(default_factory=list)  # Sqcd/Sqcc styles
    pcap: int = 0
    has_tlm: bool = False
    part2_markers: list[str] = field(default_factory=list)
    tile_parts: int = 0
    has_eoc: bool = True

    @property
    def high_throughput(self) -> bool:
        return bool(self.rsiz & RSIZ_HT) or bool(self.pcap & PCAP_PART15)

    @property
    def main(self) -> Coding:
        """The main header's COD (required, 15444-1 §A.6.1)."""
        return self.codings[0]


def parse_codestream(data: bytes, start: int, length: int) -> Codestream:
    """Read the headers of the codestream at ``data[start:start + length]``."""
    end = start + length
    if length < 4 or struct.unpack_from(">HH", data, start) != (SOC, SIZ):
        raise CodestreamError("not a JPEG 2000 codestream (no SOC and SIZ markers at its start)")
    pos = start + 2
    stream: Codestream | None = None
    while True:  # main header
        marker, body, pos_next = _segment(data, pos, end)
        if marker == SOT:
            break
        if marker == SIZ:
            stream = _siz(body)
        else:
            assert stream is not None  # SIZ comes first (checked above)
            _header_marker(stream, marker, body, in_tile=False)
        pos = pos_next
    assert stream is not None
    if not stream.codings:
        raise CodestreamError("no COD marker in the main header (required by ISO/IEC 15444-1)")
    if not stream.quantisation:
        raise CodestreamError("no QCD marker in the main header (required by ISO/IEC 15444-1)")
    while pos < end:  # tile-parts
        marker = struct.unpack_from(">H", data, pos)[0] if pos + 2 <= end else 0
        if marker == EOC:
            return stream
        if marker != SOT:
            raise CodestreamError(f"expected a tile-part (SOT) or EOC at codestream offset {pos - start}, found {marker:04X}")
        _m, body, after = _segment(data, pos, end)
        psot = struct.unpack_from(">I", body, 2)[0]
        stream.tile_parts += 1
        head = after
        while _peek(data, head, end) != SOD:  # the tile-part header
            marker, tbody, head = _segment(data, head, end)
            _header_marker(stream, marker, tbody, in_tile=True)
        if psot == 0:  # the last tile-part runs to EOC
            stream.has_eoc = struct.unpack_from(">H", data, end - 2)[0] == EOC
            return stream
        if pos + psot > end:
            raise CodestreamError(f"tile-part at codestream offset {pos - start} runs past the end (truncated)")
        pos += psot
    stream.has_eoc = False
    return stream


def _peek(data: bytes, pos: int, end: int) -> int:
    if pos + 2 > end:
        raise CodestreamError("codestream ends inside a header (truncated)")
    return int(struct.unpack_from(">H", data, pos)[0])


def _segment(data: bytes, pos: int, end: int) -> tuple[int, bytes, int]:
    """(marker, body after the length field, offset after the segment)."""
    marker = _peek(data, pos, end)
    if marker >> 8 != 0xFF:
        raise CodestreamError(f"expected a marker at codestream offset {pos}, found {marker:04X}")
    if pos + 4 > end:
        raise CodestreamError("codestream ends inside a marker segment (truncated)")
    length = struct.unpack_from(">H", data, pos + 2)[0]
    if length < 2 or pos + 2 + length > end:
        raise CodestreamError(f"marker {marker:04X} at codestream offset {pos} has a bad length {length} (truncated?)")
    return marker, bytes(data[pos + 4 : pos + 2 + length]), pos + 2 + length


def _siz(body: bytes) -> Codestream:
    rsiz, xsiz, ysiz, xo, yo, xt, yt, xto, yto, csiz = struct.unpack_from(">HIIIIIIIIH", body, 0)
    if csiz == 0 or len(body) < 36 + 3 * csiz:
        raise CodestreamError("bad SIZ marker (too short for its components)")
    if xt == 0 or yt == 0 or xsiz <= xo or ysiz <= yo:
        raise CodestreamError(f"bad SIZ marker (image {xsiz - xo}x{ysiz - yo}, tiles {xt}x{yt})")
    comps = tuple(
        ComponentSize((body[36 + 3 * i] & 0x7F) + 1, bool(body[36 + 3 * i] & 0x80), body[37 + 3 * i], body[38 + 3 * i])
        for i in range(csiz)
    )
    tiles = -(-(xsiz - xto) // xt) * -(-(ysiz - yto) // yt)
    return Codestream(rsiz, xsiz - xo, ysiz - yo, (xt, yt), tiles, comps)


def _header_marker(stream: Codestream, marker: int, body: bytes, in_tile: bool) -> None:
    wide = len(stream.components) >= 257  # Ccoc/Cqcc take 2 bytes then (15444-1 Table A.23)
    if marker == COD:
        _scod, progression, _layers, mct, levels, xcb, ycb, _style, wavelet = struct.unpack_from(">BBHBBBBBB", body, 0)
        stream.codings.append(Coding(None, progression, mct, levels, (1 << (xcb + 2), 1 << (ycb + 2)), wavelet))
    elif marker == COC:
        at = 2 if wide else 1
        component = struct.unpack_from(">H" if wide else ">B", body, 0)[0]
        levels, xcb, ycb, _style, wavelet = struct.unpack_from(">BBBBB", body, at + 1)
        stream.codings.append(Coding(component, None, None, levels, (1 << (xcb + 2), 1 << (ycb + 2)), wavelet))
    elif marker == QCD:
        stream.quantisation.append(body[0] & 0x1F)
    elif marker == QCC:
        stream.quantisation.append(body[2 if wide else 1] & 0x1F)
    elif marker == CAP:
        stream.pcap = struct.unpack_from(">I", body, 0)[0]
    elif marker == TLM and not in_tile:
        stream.has_tlm = True
    elif marker in PART2_MARKERS:
        stream.part2_markers.append(PART2_MARKERS[marker])
