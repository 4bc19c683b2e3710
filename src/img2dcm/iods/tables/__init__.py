"""One IOD table per SOP class we write; each module cites the PS3.3 section it encodes."""

from __future__ import annotations

from img2dcm.iods.model import IodTable
from img2dcm.iods.tables import (
    mf_grayscale_byte,
    mf_grayscale_word,
    mf_single_bit,
    mf_true_colour,
    op_8bit,
    op_16bit,
    secondary_capture,
    video,
    vl_photographic,
)

#: Every table, in the order classes are tried within a family.
ALL_TABLES: tuple[IodTable, ...] = (
    secondary_capture.TABLE,
    mf_single_bit.TABLE,
    mf_grayscale_byte.TABLE,
    mf_grayscale_word.TABLE,
    mf_true_colour.TABLE,
    vl_photographic.TABLE,
    op_8bit.TABLE,
    op_16bit.TABLE,
    video.PHOTOGRAPHIC,
    video.ENDOSCOPIC,
    video.MICROSCOPIC,
)
