"""Multi-frame Single Bit SC Image IOD — PS3.3 §A.8.2, SOP Class 1.2.840.10008.5.1.4.1.1.7.1.

Image Pixel constraints §A.8.2.4: 1 sample, MONOCHROME2, BitsAllocated/Stored 1, HighBit 0.
"""

from __future__ import annotations

from img2dcm.iods.model import IodTable, PixelFormat
from img2dcm.iods.tables import _mf_sc

TABLE = IodTable(
    uid="1.2.840.10008.5.1.4.1.1.7.1",
    name="Multi-frame Single Bit Secondary Capture Image",
    family="multiframe-secondary-capture",
    section="A.8.2",
    modules=_mf_sc.MODULES,
    pixel_formats=(PixelFormat(1, ("MONOCHROME2",), 1, (1, 1)),),
    max_frames=None,
    frame_increments=_mf_sc.FRAME_INCREMENTS,
    fixed=_mf_sc.FIXED,
)
