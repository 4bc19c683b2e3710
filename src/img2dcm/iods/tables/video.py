"""Video Endoscopic, Video Microscopic and Video Photographic Image IODs — PS3.3 §A.32.5, §A.32.6, §A.32.7.

SOP Classes 1.2.840.10008.5.1.4.1.1.77.1.1.1, .77.1.2.1 and .77.1.4.1. Modules of
Tables A.32.5-1 / A.32.6-1 / A.32.7-1 that carry attributes we handle: Cine and
Multi-frame are mandatory (Frame Increment Pointer -> Frame Time), Image Pixel
as the video syntaxes require it (PS3.5 §8.2.5-§8.2.11: YBR_PARTIAL_420, 8 bits),
VL Image and Acquisition Context. Only the video transfer syntaxes fit them,
and they fit no still-image class (``syntax_group`` "video").
"""

from __future__ import annotations

from img2dcm.iods import modules as m
from img2dcm.iods.model import Fixed, IodTable, Module, PixelFormat, Rule, literal

#: PS3.3 §C.8.12.1 Anatomic Region Sequence, type 1C; dciodvfy requires it for all three
#: video classes (observed with dicom3tools 1.00~20220618), so we do too. Nothing can
#: invent the anatomy: the profile's keys supply it, the hint says how.
VIDEO_ANATOMY = Module("VL Image", "C.8.12.1", (
    Rule("AnatomicRegionSequence", "1", code=True,
         hint="{'AnatomicRegionSequence[0].CodeValue': '818981001', "
              "'AnatomicRegionSequence[0].CodingSchemeDesignator': 'SCT', "
              "'AnatomicRegionSequence[0].CodeMeaning': 'Abdomen'}"),
))

#: Photometric interpretation per syntax group: video syntaxes only.
VIDEO_ONLY: dict[str, tuple[str, ...]] = {"video": ("YBR_PARTIAL_420",), "*": ()}


def video_table(uid: str, name: str, family: str, section: str, modality: str) -> IodTable:
    return IodTable(
        uid=uid,
        name=name,
        family=family,
        section=section,
        modules=(
            m.PATIENT,
            m.GENERAL_STUDY,
            m.general_series(modality, fixed_modality=True),
            m.GENERAL_EQUIPMENT,
            m.GENERAL_IMAGE,
            m.CINE,
            m.MULTI_FRAME_PLAIN,
            m.IMAGE_PIXEL,
            m.ACQUISITION_CONTEXT,
            m.VL_IMAGE,
            VIDEO_ANATOMY,
            m.SOP_COMMON,
        ),
        pixel_formats=(PixelFormat(3, ("YBR_PARTIAL_420",), 8, (8, 8)),),
        photometric_by_syntax=VIDEO_ONLY,
        max_frames=None,
        frame_increments=("frame-time",),
        fixed=(Fixed("Modality", literal(modality)),),
    )


ENDOSCOPIC = video_table("1.2.840.10008.5.1.4.1.1.77.1.1.1", "Video Endoscopic Image", "video-endoscopic", "A.32.5", "ES")
MICROSCOPIC = video_table("1.2.840.10008.5.1.4.1.1.77.1.2.1", "Video Microscopic Image", "video-microscopic", "A.32.6", "GM")
PHOTOGRAPHIC = video_table("1.2.840.10008.5.1.4.1.1.77.1.4.1", "Video Photographic Image", "video-photographic", "A.32.7", "XC")
