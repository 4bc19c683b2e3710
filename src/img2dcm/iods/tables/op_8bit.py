"""Ophthalmic Photography 8 Bit Image IOD — PS3.3 §A.41 (Table A.41-1), SOP Class 1.2.840.10008.5.1.4.1.1.77.1.5.1.

OP Image §C.8.17.2: BitsAllocated/Stored 8, HighBit 7; photometric per §C.8.17.2.1.3.
"""

from __future__ import annotations

from img2dcm.iods import modules as m
from img2dcm.iods.model import IodTable, PixelFormat
from img2dcm.iods.tables import _op

TABLE = IodTable(
    uid="1.2.840.10008.5.1.4.1.1.77.1.5.1",
    name="Ophthalmic Photography 8 Bit Image",
    family="ophthalmic-photography",
    section="A.41",
    modules=_op.MODULES,
    pixel_formats=(
        PixelFormat(1, ("MONOCHROME2",), 8, (8, 8)),
        PixelFormat(3, ("RGB", "YBR_FULL_422", "YBR_PARTIAL_420", "YBR_ICT", "YBR_RCT"), 8, (8, 8)),
    ),
    photometric_by_syntax=m.PHOTOMETRIC_BY_SYNTAX_PHOTO,
    max_frames=None,
    frame_increments=_op.FRAME_INCREMENTS,
    fixed=_op.FIXED,
)
