"""Secondary Capture Image IOD — PS3.3 §A.8.1 (Table A.8-1), SOP Class 1.2.840.10008.5.1.4.1.1.7.

Single frame, any pixel format and photometric interpretation. Modality is type 3
in the SC Equipment module (§C.8.6.1); we write OT when nothing else supplied one.
General Equipment is U (Table A.8-1): completed only once one of its attributes is there.
"""

from __future__ import annotations

from img2dcm.iods import modules as m
from img2dcm.iods.model import Fixed, IodTable, literal

TABLE = IodTable(
    uid="1.2.840.10008.5.1.4.1.1.7",
    name="Secondary Capture Image",
    family="secondary-capture",
    section="A.8.1",
    modules=(
        m.PATIENT,
        m.GENERAL_STUDY,
        m.general_series("OT", fixed_modality=False, modality_type="3"),
        m.GENERAL_EQUIPMENT.used_as("U"),
        m.SC_EQUIPMENT,
        m.GENERAL_IMAGE,
        m.IMAGE_PIXEL,
        m.SOP_COMMON,
    ),
    max_frames=1,
    fixed=(Fixed("Modality", literal("OT"), overwrite=False),),
)
