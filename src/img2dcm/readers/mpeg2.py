"""MPEG-2 video (ISO/IEC 13818-2) in a program stream or as an elementary stream: header facts only.

From the first sequence header and sequence extension we take size, frame rate,
profile/level, chroma format; the number of frames is the number of picture
start codes, counted over the file (exact, unlike dcm4che's estimate from the
last GOP time code). Start codes from 13818-2 Table 6-1, 13818-1 Table 2-18.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

PACK_START = b"\x00\x00\x01\xba"  # program stream pack header (13818-1 §2.5.3.3)
SEQUENCE_HEADER = b"\x00\x00\x01\xb3"
EXTENSION_START = b"\x00\x00\x01\xb5"
PICTURE_START = b"\x00\x00\x01\x00"
SEQUENCE_END = b"\x00\x00\x01\xb7"  # 13818-2 Table 6-1
PROGRAM_END = b"\x00\x00\x01\xb9"  # MPEG_program_end_code, 13818-1 §2.5.3.2
#: extension_start_code_identifier of the picture coding extension (13818-2 Table 6-2).
PICTURE_CODING_EXTENSION_ID = 8
#: picture_structure of a frame picture (13818-2 Table 6-14); 1 and 2 are fields.
FRAME_PICTURE = 3
#: frame_rate_code -> frames per second (13818-2 Table 6-4).
FRAME_RATES = {
    1: Fraction(24000, 1001), 2: Fraction(24), 3: Fraction(25), 4: Fraction(30000, 1001),
    5: Fraction(30), 6: Fraction(50), 7: Fraction(60000, 1001), 8: Fraction(60),
}
#: profile_and_level_indication fields (13818-2 Tables 8-2, 8-3).
PROFILES = {1: "High", 2: "Spatially Scalable", 3: "SNR Scalable", 4: "Main", 5: "Simple"}
LEVELS = {4: "High", 6: "High 1440", 8: "Main", 10: "Low"}
CHROMA = {1: "4:2:0", 2: "4:2:2", 3: "4:4:4"}
#: Program stream ids of audio streams (13818-1 Table 2-22: 110x xxxx).
AUDIO_STREAM_IDS = range(0xC0, 0xE0)


class Mpeg2Error(ValueError):
    """The stream is unusable; the message is user-facing."""


@dataclass(frozen=True)
class Mpeg2Video:
    container: str  # "program stream", "MPEG-1 system stream" or "elementary stream"
    width: int
    height: int
    frame_rate: Fraction
    profile: str
    level: str
    chroma: str
    frames: int
    has_audio: bool
    ended: bool  # the stream's end code is there (not truncated)


def looks_like_mpeg2(prefix: bytes) -> bool:
    return prefix.startswith(PACK_START) or prefix.startswith(SEQUENCE_HEADER)


def read_mpeg2(data: bytes) -> Mpeg2Video:
    """Facts of the first video sequence; Mpeg2Error when there is none or it is MPEG-1."""
    if data[:4] == PACK_START:
        container = "program stream" if data[4] >> 6 == 1 else "MPEG-1 system stream"
    else:
        container = "elementary stream"
    at = data.find(SEQUENCE_HEADER)
    if at < 0 or at + 12 > len(data):
        raise Mpeg2Error("no MPEG video sequence header (00 00 01 B3) found")
    b = data[at + 4 : at + 12]
    width = (b[0] << 4) | (b[1] >> 4)
    height = ((b[1] & 0x0F) << 8) | b[2]
    rate_code = b[3] & 0x0F
    ext = data.find(EXTENSION_START, at + 12)
    if ext < 0 or ext + 10 > len(data) or data[ext + 4] >> 4 != 1:
        raise Mpeg2Error("MPEG-1 video (no MPEG-2 sequence extension): DICOM's MPEG-2 syntaxes need MPEG-2 Main Profile")
    e = data[ext + 4 : ext + 10]
    indication = ((e[0] & 0x0F) << 4) | (e[1] >> 4)
    chroma_code = (e[1] >> 1) & 0x03
    width |= (((e[1] & 0x01) << 1) | (e[2] >> 7)) << 12
    height |= ((e[2] >> 5) & 0x03) << 12
    if rate_code not in FRAME_RATES:
        raise Mpeg2Error(f"invalid MPEG-2 frame_rate_code {rate_code}")
    escape, profile_code, level_code = indication >> 7, (indication >> 4) & 0x07, indication & 0x0F
    profile = "escape" if escape else PROFILES.get(profile_code, f"reserved {profile_code}")
    level = LEVELS.get(level_code, f"reserved {level_code}")
    return Mpeg2Video(
        container, width, height, FRAME_RATES[rate_code], profile, level,
        CHROMA.get(chroma_code, f"reserved {chroma_code}"), count_pictures(data), _has_audio(data, container),
        _ended(data, container),
    )


def pack_header_size(data: bytes, pos: int) -> int:
    """An MPEG-2 pack header is 14 bytes plus stuffing ('01' marker bits); MPEG-1's is 12 ('0010')."""
    return 14 + (data[pos + 13] & 0x07) if data[pos + 4] >> 6 == 1 else 12


def _ended(data: bytes, container: str) -> bool:
    """False when the last pack of a program stream runs past the end of the file.

    Encoders need not write an end code (ffmpeg writes none), so we walk the last
    pack: its header (13818-1 Table 2-33, stuffing in the low 3 bits of byte 13)
    and the packets after it, each ``00 00 01 id`` plus a 16-bit length. An
    elementary stream has no lengths to check.
    """
    if container == "elementary stream":
        return True
    size = len(data)
    pos = data.rfind(PACK_START, max(0, size - (1 << 16)))
    if pos < 0 or pos + 14 > size:
        return pos < 0
    pos += pack_header_size(data, pos)
    while pos + 4 <= size:
        if bytes(data[pos : pos + 3]) != b"\x00\x00\x01":
            return False
        if data[pos + 3] in (0xB9, 0xBA):  # program end, or a pack header cut short
            return data[pos + 3] == 0xB9 or (pos + 14 <= size and pos + pack_header_size(data, pos) == size)
        if pos + 6 > size:
            return False
        pos += 6 + int.from_bytes(data[pos + 4 : pos + 6], "big")
    return pos == size


def count_pictures(data: bytes) -> int:
    """Frames in the whole stream: frame pictures, plus field pictures in pairs.

    Each picture header is followed by its picture coding extension (13818-2
    §6.2.3.1), whose picture_structure says frame (3) or top/bottom field (1, 2).
    C-speed ``find`` over the mapped file; nothing is read into memory.
    """
    frames, fields = 0, 0
    pos = data.find(PICTURE_START)
    while pos >= 0:
        following = data.find(PICTURE_START, pos + 4)
        ext = data.find(EXTENSION_START, pos + 4, following if following >= 0 else len(data))
        is_coding_ext = ext >= 0 and ext + 7 <= len(data) and data[ext + 4] >> 4 == PICTURE_CODING_EXTENSION_ID
        structure = data[ext + 6] & 0x03 if is_coding_ext else FRAME_PICTURE
        if structure == FRAME_PICTURE:
            frames += 1
        else:
            fields += 1
        pos = following
    return frames + (fields + 1) // 2


def _has_audio(data: bytes, container: str) -> bool:
    """Any PES packet with an audio stream id in the first few packs of a program stream."""
    if container == "elementary stream":
        return False
    window = data[: 1 << 20]
    return any(window.find(b"\x00\x00\x01" + bytes([sid])) >= 0 for sid in AUDIO_STREAM_IDS)
