"""Multi-frame True Color SC Image IOD — PS3.3 §A.8.5, SOP Class 1.2.840.10008.5.1.4.1.1.7.4.

Image Pixel constraints §A.8.5.4: 3 samples, BitsAllocated/Stored 8, HighBit 7,
PixelRepresentation 0, PlanarConfiguration 0; photometric interpretation by
transfer syntax (RGB native/lossless, YBR_FULL_422 lossy JPEG, YBR_FULL also for RLE).
"""

from __future__ import annotations

from img2dcm.iods import modules as m
from img2dcm.iods.model import IodTable, PixelFormat
from img2dcm.iods.tables import _mf_sc

TABLE = IodTable(
    uid="1.2.840.10008.5.1.4.1.1.7.4",
    name="Multi-frame True Color Secondary Capture Image",
    family="multiframe-secondary-capture",
    section="A.8.5",
    modules=_mf_sc.MODULES,
    pixel_formats=(PixelFormat(3, m.COLOUR_PHOTOMETRICS, 8, (8, 8)),),
    photometric_by_syntax=m.PHOTOMETRIC_BY_SYNTAX_TRUE_COLOUR,
    max_frames=None,
    frame_increments=_mf_sc.FRAME_INCREMENTS,
    fixed=_mf_sc.FIXED,
)
