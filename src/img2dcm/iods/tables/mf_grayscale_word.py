"""Multi-frame Grayscale Word SC Image IOD — PS3.3 §A.8.4, SOP Class 1.2.840.10008.5.1.4.1.1.7.3.

Image Pixel constraints §A.8.4.4: 1 sample, MONOCHROME2, BitsAllocated 16, BitsStored
9–16 (DCMTK wrongly refuses 16), HighBit BitsStored − 1, PixelRepresentation 0.
"""

from __future__ import annotations

from img2dcm.iods.model import IodTable, PixelFormat
from img2dcm.iods.tables import _mf_sc

TABLE = IodTable(
    uid="1.2.840.10008.5.1.4.1.1.7.3",
    name="Multi-frame Grayscale Word Secondary Capture Image",
    family="multiframe-secondary-capture",
    section="A.8.4",
    modules=_mf_sc.MODULES,
    pixel_formats=(PixelFormat(1, ("MONOCHROME2",), 16, (9, 16)),),
    max_frames=None,
    frame_increments=_mf_sc.FRAME_INCREMENTS,
    fixed=_mf_sc.FIXED,
)
