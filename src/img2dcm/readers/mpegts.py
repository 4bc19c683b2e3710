"""MPEG-2 transport streams (ISO/IEC 13818-1) carrying H.264 or HEVC: the facts DICOM needs.

PS3.5 §8.2.8/§8.2.11 allow MPEG-TS as the container of AVC and HEVC. We read the
PAT and PMT (§2.4.4) to find the video and audio elementary streams, count the
video PES packets that start an access unit (one picture each, as encoders
packetise AVC/HEVC for TS), take the frame duration from the most common step
between sorted PTS values, and parse the first sequence parameter set for
profile, level, chroma format, bit depth and picture size.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from img2dcm.readers.nal import NalError, Sps, avc_sps, hevc_sps

PACKET = 188
SYNC = 0x47
#: PMT stream_type values (13818-1 Table 2-34 and its amendments).
AVC, HEVC, MPEG2_VIDEO = 0x1B, 0x24, 0x02
AUDIO_TYPES = {0x03: "MPEG-1 audio", 0x04: "MPEG-2 audio", 0x0F: "AAC", 0x11: "AAC (LATM)", 0x81: "AC-3"}
#: SPS nal_unit_type: H.264 Table 7-1, H.265 Table 7-1.
AVC_SPS_TYPE, HEVC_SPS_TYPE = 7, 33
#: PTS clock (13818-1 §2.4.3.7).
PTS_HZ = 90000
#: Bytes of video payload searched for the first SPS.
SPS_WINDOW = 1 << 20


class TsError(ValueError):
    """The transport stream is unusable; the message is user-facing."""


@dataclass
class TransportStream:
    video_type: int = 0
    audio: list[str] = field(default_factory=list)
    pictures: int = 0
    frame_ticks: int = 0  # 90 kHz
    sps: Sps | None = None


def looks_like_ts(prefix: bytes) -> bool:
    """A sync byte with a plausible header (GIF also starts with 0x47: 'GIF')."""
    return len(prefix) >= 4 and prefix[0] == SYNC and not prefix.startswith(b"GIF") and (prefix[3] >> 4) & 0x03 != 0


def read_ts(data: bytes, size: int) -> TransportStream:
    if size < PACKET or size % PACKET:
        raise TsError(f"{size} bytes is not a whole number of 188-byte transport packets (truncated?)")
    pmt_pid, video_pid = -1, -1
    stream = TransportStream()
    payload = bytearray()
    pts: list[int] = []
    for pos in range(0, size, PACKET):
        if data[pos] != SYNC:
            raise TsError(f"transport stream sync lost at offset {pos}")
        start, pid = data[pos + 1] & 0x40, ((data[pos + 1] & 0x1F) << 8) | data[pos + 2]
        control = (data[pos + 3] >> 4) & 0x03
        if not control & 0x01:
            continue  # adaptation field only
        body = pos + 4 + (1 + data[pos + 4] if control & 0x02 else 0)
        if body >= pos + PACKET:
            continue
        if pid == 0 and start and pmt_pid < 0:
            pmt_pid = _pat(bytes(data[body : pos + PACKET]))
        elif pid == pmt_pid and start and video_pid < 0:
            video_pid = _pmt(bytes(data[body : pos + PACKET]), stream)
        elif pid == video_pid:
            chunk = bytes(data[body : pos + PACKET])
            if start:
                stream.pictures += 1
                chunk = _pes_payload(chunk, pts)
            if stream.sps is None and len(payload) < SPS_WINDOW:
                payload += chunk
                stream.sps = _find_sps(bytes(payload), stream.video_type)
    if video_pid < 0:
        raise TsError("no H.264 or HEVC video stream in the transport stream's program map")
    steps = Counter(b - a for a, b in zip(sorted(pts), sorted(pts)[1:], strict=False) if b > a)
    stream.frame_ticks = steps.most_common(1)[0][0] if steps else 0
    return stream


def _section(packet_payload: bytes) -> bytes:
    pointer = packet_payload[0]
    return packet_payload[1 + pointer :]


def _pat(payload: bytes) -> int:
    """The PMT PID of the first program (13818-1 Table 2-30)."""
    section = _section(payload)
    length = ((section[1] & 0x0F) << 8) | section[2]
    for at in range(8, 3 + length - 4, 4):
        number = (section[at] << 8) | section[at + 1]
        if number != 0:
            return ((section[at + 2] & 0x1F) << 8) | section[at + 3]
    raise TsError("the transport stream's PAT lists no program")


def _pmt(payload: bytes, stream: TransportStream) -> int:
    """The video PID; audio stream types are noted (13818-1 Table 2-33)."""
    section = _section(payload)
    length = ((section[1] & 0x0F) << 8) | section[2]
    end = 3 + length - 4
    at = 12 + (((section[10] & 0x0F) << 8) | section[11])
    video = -1
    while at + 5 <= end:
        kind, pid = section[at], ((section[at + 1] & 0x1F) << 8) | section[at + 2]
        info = ((section[at + 3] & 0x0F) << 8) | section[at + 4]
        if kind in (AVC, HEVC, MPEG2_VIDEO) and video < 0:
            video, stream.video_type = pid, kind
        elif kind in AUDIO_TYPES:
            stream.audio.append(AUDIO_TYPES[kind])
        at += 5 + info
    if stream.video_type == MPEG2_VIDEO:
        raise TsError("MPEG-2 video in a transport stream: DICOM's MPEG-2 syntaxes take a program stream (.mpg)")
    return video


def _pes_payload(chunk: bytes, pts: list[int]) -> bytes:
    """The bytes after a PES header; its PTS is collected (13818-1 Table 2-21)."""
    if chunk[:3] != b"\x00\x00\x01" or len(chunk) < 9:
        return chunk
    flags, header = chunk[7], chunk[8]
    if flags & 0x80 and len(chunk) >= 14:
        p = chunk[9:14]
        pts.append(((p[0] >> 1) & 0x07) << 30 | p[1] << 22 | (p[2] >> 1) << 15 | p[3] << 7 | p[4] >> 1)
    return chunk[9 + header :]


def _find_sps(es: bytes, video_type: int) -> Sps | None:
    """The first SPS NAL unit in the Annex B bytes so far, once it is complete."""
    at = es.find(b"\x00\x00\x01")
    while at >= 0:
        nal_start = at + 3
        following = es.find(b"\x00\x00\x01", nal_start)
        if nal_start >= len(es):
            return None
        kind = es[nal_start] & 0x1F if video_type == AVC else (es[nal_start] >> 1) & 0x3F
        if kind == (AVC_SPS_TYPE if video_type == AVC else HEVC_SPS_TYPE):
            if following < 0:
                return None  # not complete yet
            nal = es[nal_start:following].rstrip(b"\x00")
            try:
                return avc_sps(nal) if video_type == AVC else hevc_sps(nal)
            except NalError as exc:
                raise TsError(str(exc)) from None
        at = following
    return None
