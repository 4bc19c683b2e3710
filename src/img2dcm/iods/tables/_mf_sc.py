"""What the four Multi-frame Secondary Capture IODs (PS3.3 §A.8.2–§A.8.5) share."""

from __future__ import annotations

from img2dcm.iods import modules as m
from img2dcm.iods.model import Fixed, Module, literal

#: Modules of Tables A.8-2 .. A.8-5 that carry attributes we handle, with their usage
#: there (General Equipment U; Cine and SC Multi-frame Vector C, their conditions carried
#: by their 1C attributes).
MODULES: tuple[Module, ...] = (
    m.PATIENT,
    m.GENERAL_STUDY,
    m.general_series("OT", fixed_modality=False, modality_type="3"),
    m.GENERAL_EQUIPMENT.used_as("U"),
    m.SC_EQUIPMENT,
    m.GENERAL_IMAGE,
    m.IMAGE_PIXEL,
    m.CINE.used_as("C"),
    m.MULTI_FRAME_SC,
    m.SC_MULTI_FRAME_IMAGE,
    m.SC_MULTI_FRAME_VECTOR.used_as("C"),
    m.SOP_COMMON,
)

#: Frame Increment Pointer targets a multi-frame SC may use.
FRAME_INCREMENTS = ("frame-time", "page-number")

#: Modality OT unless supplied; the grey classes' rescale/Presentation LUT (§C.8.6.3).
FIXED: tuple[Fixed, ...] = (
    Fixed("Modality", literal("OT"), overwrite=False),
    Fixed("RescaleIntercept", literal("0"), when=m.SC_MULTI_FRAME_GREY_CONDITION),
    Fixed("RescaleSlope", literal("1"), when=m.SC_MULTI_FRAME_GREY_CONDITION),
    Fixed("RescaleType", literal("US"), when=m.SC_MULTI_FRAME_GREY_CONDITION),
    Fixed("PresentationLUTShape", literal("IDENTITY"), when=m.SC_MULTI_FRAME_GREY_CONDITION),
)
