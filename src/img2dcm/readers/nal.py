"""H.264 and HEVC sequence parameter sets (ITU-T H.264 §7.3.2.1.1, H.265 §7.3.2.2): size, profile, level.

A transport stream carries no avcC/hvcC record, so profile, level, chroma format,
bit depth and picture size come from the first SPS NAL unit of the stream.
Only the syntax elements up to the picture size are read (Exp-Golomb codes, §9.1).
"""

from __future__ import annotations

from dataclasses import dataclass

#: profile_idc values whose SPS carries chroma_format_idc and bit depths (H.264 §7.3.2.1.1).
AVC_HIGH_PROFILES = frozenset({100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135})
#: (SubWidthC, SubHeightC) by chroma_format_idc (H.264 Table 6-1, H.265 Table 6-1).
CHROMA_SCALE = {0: (1, 1), 1: (2, 2), 2: (2, 1), 3: (1, 1)}


class NalError(ValueError):
    """The parameter set cannot be read; the message is user-facing."""


@dataclass(frozen=True)
class Sps:
    profile_idc: int
    level_idc: int
    chroma_format_idc: int
    bit_depth: int
    width: int
    height: int


class Bits:
    """MSB-first bit reader over an RBSP, with the Exp-Golomb codes of §9.1."""

    def __init__(self, rbsp: bytes) -> None:
        self.data, self.pos = rbsp, 0

    def u(self, count: int) -> int:
        value = 0
        for _ in range(count):
            if self.pos >= 8 * len(self.data):
                raise NalError("sequence parameter set ends early")
            value = (value << 1) | ((self.data[self.pos >> 3] >> (7 - (self.pos & 7))) & 1)
            self.pos += 1
        return value

    def ue(self) -> int:
        zeros = 0
        while self.u(1) == 0:
            zeros += 1
            if zeros > 31:
                raise NalError("bad Exp-Golomb code in the sequence parameter set")
        return (1 << zeros) - 1 + self.u(zeros)

    def se(self) -> int:
        code = self.ue()
        return (code + 1) // 2 if code & 1 else -(code // 2)


def rbsp(nal: bytes) -> bytes:
    """The NAL payload without emulation prevention bytes (00 00 03 -> 00 00)."""
    return nal.replace(b"\x00\x00\x03", b"\x00\x00")


def avc_sps(nal: bytes) -> Sps:
    """H.264 SPS (nal_unit_type 7; ``nal`` starts with its 1-byte header)."""
    bits = Bits(rbsp(nal[1:]))
    profile, _constraints, level = bits.u(8), bits.u(8), bits.u(8)
    bits.ue()  # seq_parameter_set_id
    chroma, depth = 1, 8
    if profile in AVC_HIGH_PROFILES:
        chroma = bits.ue()
        if chroma == 3:
            bits.u(1)  # separate_colour_plane_flag
        depth = bits.ue() + 8
        bits.ue()  # bit_depth_chroma_minus8
        bits.u(1)  # qpprime_y_zero_transform_bypass_flag
        if bits.u(1):  # seq_scaling_matrix_present_flag
            for index in range(8 if chroma != 3 else 12):
                if bits.u(1):
                    _skip_scaling_list(bits, 16 if index < 6 else 64)
    bits.ue()  # log2_max_frame_num_minus4
    poc_type = bits.ue()
    if poc_type == 0:
        bits.ue()
    elif poc_type == 1:
        bits.u(1)
        bits.se()
        bits.se()
        for _ in range(bits.ue()):
            bits.se()
    bits.ue()  # max_num_ref_frames
    bits.u(1)  # gaps_in_frame_num_value_allowed_flag
    width_mbs, height_units = bits.ue() + 1, bits.ue() + 1
    frame_mbs_only = bits.u(1)
    if not frame_mbs_only:
        bits.u(1)  # mb_adaptive_frame_field_flag
    bits.u(1)  # direct_8x8_inference_flag
    crop = (bits.ue(), bits.ue(), bits.ue(), bits.ue()) if bits.u(1) else (0, 0, 0, 0)
    sub_w, sub_h = CHROMA_SCALE.get(chroma, (1, 1))
    unit_w, unit_h = (1, 2 - frame_mbs_only) if chroma == 0 else (sub_w, sub_h * (2 - frame_mbs_only))
    width = width_mbs * 16 - unit_w * (crop[0] + crop[1])
    height = (2 - frame_mbs_only) * height_units * 16 - unit_h * (crop[2] + crop[3])
    return Sps(profile, level, chroma, depth, width, height)


def _skip_scaling_list(bits: Bits, size: int) -> None:
    last, following = 8, 8
    for _ in range(size):
        if following:
            following = (last + bits.se() + 256) % 256
        last = following or last


def hevc_sps(nal: bytes) -> Sps:
    """HEVC SPS (nal_unit_type 33; ``nal`` starts with its 2-byte header)."""
    bits = Bits(rbsp(nal[2:]))
    bits.u(4)  # sps_video_parameter_set_id
    sub_layers = bits.u(3)  # sps_max_sub_layers_minus1
    bits.u(1)
    bits.u(3)  # general_profile_space, general_tier_flag
    profile = bits.u(5)
    bits.u(32)
    bits.u(48)
    level = bits.u(8)
    present = [(bits.u(1), bits.u(1)) for _ in range(sub_layers)]
    if sub_layers:
        bits.u(2 * (8 - sub_layers))
    for profile_present, level_present in present:
        bits.u(88 if profile_present else 0)
        bits.u(8 if level_present else 0)
    bits.ue()  # sps_seq_parameter_set_id
    chroma = bits.ue()
    if chroma == 3:
        bits.u(1)
    width, height = bits.ue(), bits.ue()
    if bits.u(1):  # conformance_window_flag
        left, right, top, bottom = bits.ue(), bits.ue(), bits.ue(), bits.ue()
        sub_w, sub_h = CHROMA_SCALE.get(chroma, (1, 1))
        width -= sub_w * (left + right)
        height -= sub_h * (top + bottom)
    depth = bits.ue() + 8
    return Sps(profile, level, chroma, depth, width, height)
