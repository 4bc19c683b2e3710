"""What the two Ophthalmic Photography IODs (PS3.3 §A.41, §A.42) share."""

from __future__ import annotations

from img2dcm.iods import modules as m
from img2dcm.iods.model import Fixed, Module, literal, value_is

#: Modules of Tables A.41-1 / A.42-1 that carry attributes we handle
#: (OP Series §C.8.17.1 is General Series with Modality OP; Cine is C there).
MODULES: tuple[Module, ...] = (
    m.PATIENT,
    m.GENERAL_STUDY,
    m.general_series("OP", fixed_modality=True),
    m.SYNCHRONIZATION,
    m.GENERAL_EQUIPMENT,
    m.GENERAL_IMAGE,
    m.IMAGE_PIXEL,
    m.MULTI_FRAME_PLAIN,
    m.CINE.used_as("C"),
    m.OP_IMAGE,
    m.OCULAR_REGION_IMAGED,
    m.OP_PHOTOGRAPHIC_PARAMETERS,
    m.OP_ACQUISITION_PARAMETERS,
    m.SOP_COMMON,
)

#: Frame Time only: the Page Number Vector is not part of the OP IODs (dciodvfy confirms).
FRAME_INCREMENTS = ("frame-time",)

FIXED: tuple[Fixed, ...] = (
    Fixed("Modality", literal("OP")),
    Fixed("PresentationLUTShape", literal("IDENTITY"),
          when=value_is("PhotometricInterpretation", "MONOCHROME2")),
    Fixed("LossyImageCompression", m.LOSSY_FLAG, overwrite=False),
)
