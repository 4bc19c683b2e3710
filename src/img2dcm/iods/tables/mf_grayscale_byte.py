"""Multi-frame Grayscale Byte SC Image IOD — PS3.3 §A.8.3, SOP Class 1.2.840.10008.5.1.4.1.1.7.2.

Image Pixel constraints §A.8.3.4: 1 sample, MONOCHROME2, BitsAllocated/Stored 8, HighBit 7.
"""

from __future__ import annotations

from img2dcm.iods.model import IodTable, PixelFormat
from img2dcm.iods.tables import _mf_sc

TABLE = IodTable(
    uid="1.2.840.10008.5.1.4.1.1.7.2",
    name="Multi-frame Grayscale Byte Secondary Capture Image",
    family="multiframe-secondary-capture",
    section="A.8.3",
    modules=_mf_sc.MODULES,
    pixel_formats=(PixelFormat(1, ("MONOCHROME2",), 8, (8, 8)),),
    max_frames=None,
    frame_increments=_mf_sc.FRAME_INCREMENTS,
    fixed=_mf_sc.FIXED,
)
