"""VL Photographic Image IOD — PS3.3 §A.32.4 (Table A.32.4-1), SOP Class 1.2.840.10008.5.1.4.1.1.77.1.4.

Single frame; Modality XC (§C.7.3.1 defined terms for VL); VL Image module §C.8.12.1:
8-bit, MONOCHROME2 or 3-sample colour, photometric interpretation per §C.8.12.1.1.1.
"""

from __future__ import annotations

from img2dcm.iods import modules as m
from img2dcm.iods.model import Fixed, IodTable, PixelFormat, literal

_COLOUR = ("RGB", "YBR_FULL_422", "YBR_PARTIAL_420", "YBR_ICT", "YBR_RCT")

TABLE = IodTable(
    uid="1.2.840.10008.5.1.4.1.1.77.1.4",
    name="VL Photographic Image",
    family="vl-photographic",
    section="A.32.4",
    modules=(
        m.PATIENT,
        m.GENERAL_STUDY,
        m.general_series("XC", fixed_modality=True),
        m.GENERAL_EQUIPMENT,
        m.GENERAL_IMAGE,
        m.IMAGE_PIXEL,
        m.ACQUISITION_CONTEXT,
        m.VL_IMAGE,
        m.SOP_COMMON,
    ),
    pixel_formats=(
        PixelFormat(1, ("MONOCHROME2",), 8, (8, 8)),
        PixelFormat(3, _COLOUR, 8, (8, 8)),
    ),
    photometric_by_syntax=m.PHOTOMETRIC_BY_SYNTAX_PHOTO,
    max_frames=1,
    fixed=(Fixed("Modality", literal("XC")),),
)
