"""PS3.3 modules shared by the IODs we write, as data (only the attributes we handle).

Types, conditions and enumerated values follow PS3.3 (2024 editions) and, where the
standard's condition cannot be evaluated from the dataset, dciodvfy's reading of it
(noted per rule). The per-SOP-class tables under :mod:`img2dcm.iods.tables` pick
from these and add their own modules.
"""

from __future__ import annotations

from img2dcm.iods.model import (
    MULTI_FRAME,
    Condition,
    Default,
    Module,
    Rule,
    ValuePosition,
    absent,
    all_of,
    code,
    has_value,
    literal,
    points_to,
    present,
    undecidable,
    value_is,
)

NEW_UID = Default("uid")
NOW_DATE = Default("date")
NOW_TIME = Default("time")
NOW_DATETIME = Default("datetime")
LOSSY_FLAG = Default("lossy_flag")
#: Written after completion by the lossy-compression step when a source was lossy.
LOSSY_STEP = Default("lossy_step")

#: PS3.3 §C.7.1.1 Patient Module.
PATIENT = Module("Patient", "C.7.1.1", (
    Rule("PatientName", "2"),
    Rule("PatientID", "2"),
    Rule("PatientBirthDate", "2"),
    Rule("PatientSex", "2", values=("M", "F", "O")),
    # A de-identified patient needs the method that removed the identity (no default: only
    # the user knows it; a template's YES without one is reported with this hint).
    Rule("DeidentificationMethod", "1C",
         condition=all_of(value_is("PatientIdentityRemoved", "YES"), absent("DeidentificationMethodCodeSequence")),
         hint="{DeidentificationMethod: ...} (the template says PatientIdentityRemoved YES)"),
))

#: PS3.3 §C.7.2.1 General Study Module.
GENERAL_STUDY = Module("General Study", "C.7.2.1", (
    Rule("StudyInstanceUID", "1", default=NEW_UID),
    Rule("StudyDate", "2"),
    Rule("StudyTime", "2"),
    Rule("ReferringPhysicianName", "2"),
    Rule("StudyID", "2"),
    Rule("AccessionNumber", "2"),
))

#: Laterality (0020,0060) is 2C "if the body part examined is a paired structure and Image
#: Laterality (0020,0062) is not sent" (PS3.3 §C.7.3.1). Pairedness cannot be read from
#: Body Part Examined, and dciodvfy treats every value it does not know (WHOLE BODY, SKIN…)
#: and an absent or empty one as paired, so we treat every body part as paired: required
#: unless Image Laterality is present. dciodvfy rejects any Laterality, even empty, next to
#: an Image Laterality ("present when condition unsatisfied"), hence ``exclusive``. Image
#: Laterality ``U`` (unknown) satisfies it for every body part — verified with dciodvfy for
#: Body Part Examined absent, empty, CHEST, WHOLE BODY, SKIN, HAND and BREAST; an empty
#: Laterality only draws a warning (paired) or an error (unpaired, e.g. CHEST).
LATERALITY = Rule(
    "Laterality", "2C",
    condition=absent("ImageLaterality"),
    values=("R", "L"),
    exclusive=True,
    satisfy=("ImageLaterality", "U"),
    warn_empty=True,
    hint="{ImageLaterality: R|L|U|B} or {Laterality: R|L}",
)


def general_series(modality: str, fixed_modality: bool, modality_type: str = "1") -> Module:
    """PS3.3 §C.7.3.1 General Series Module, with the IOD's modality as the default.

    The SC IODs pass ``modality_type="3"``: their SC Equipment module (§C.8.6.1)
    makes Modality optional, and dciodvfy only warns for DICOMDIR use.
    """
    return Module("General Series", "C.7.3.1", (
        Rule("Modality", modality_type, default=literal(modality),
             values=(modality,) if fixed_modality else ()),
        Rule("SeriesInstanceUID", "1", default=NEW_UID),
        Rule("SeriesNumber", "2"),
        LATERALITY,
    ))


#: PS3.3 §C.7.5.1 General Equipment Module. The type 3 attributes are listed so that an
#: optional (``U``) use of the module is seen to be present (dciodvfy then requires
#: Manufacturer; it does not yet know the four newest, from Device UID on, but they are PS3.3's).
GENERAL_EQUIPMENT = Module("General Equipment", "C.7.5.1", (
    Rule("Manufacturer", "2"),
    Rule("InstitutionName", "3"),
    Rule("InstitutionAddress", "3"),
    Rule("StationName", "3"),
    Rule("InstitutionalDepartmentName", "3"),
    Rule("ManufacturerModelName", "3"),
    Rule("DeviceSerialNumber", "3"),
    Rule("GantryID", "3"),
    Rule("SoftwareVersions", "3"),
    Rule("SpatialResolution", "3"),
    Rule("DateOfLastCalibration", "3"),
    Rule("TimeOfLastCalibration", "3"),
    Rule("PixelPaddingValue", "1C", condition=present("PixelPaddingRangeLimit")),
    Rule("DeviceUID", "3"),
    Rule("UDISequence", "3"),
    Rule("ManufacturerDeviceClassUID", "3"),
    Rule("InstitutionalDepartmentTypeCodeSequence", "3"),
))

def general_image(image_plane: bool | None) -> Module:
    """PS3.3 §C.7.6.1 General Image Module for an IOD with or without the Image Plane module.

    Patient Orientation is 2C "if the image does not require Image Orientation (Patient)
    and Image Position (Patient)": a property of the IOD, not of the dataset. Without the
    Image Plane module (§C.7.6.2; none of our IODs has it) it is type 2 — dciodvfy requires
    it for SC, MF SC, VLP and OP even when a CT/MR template brings Image Orientation
    (Patient). ``None`` (IOD unknown, generic checks) guesses from the dataset.
    """
    if image_plane is None:
        orientation = Rule("PatientOrientation", "2C", condition=absent("ImageOrientationPatient"))
    else:
        orientation = Rule("PatientOrientation", "3" if image_plane else "2")
    return Module("General Image", "C.7.6.1", (
        Rule("InstanceNumber", "2"),
        orientation,
        Rule("ImageLaterality", "3", values=("R", "L", "U", "B")),
        Rule("BurnedInAnnotation", "3", values=("YES", "NO")),
        Rule("LossyImageCompression", "3", values=("00", "01")),
    ))


#: General Image as our IODs use it (none includes the Image Plane module).
GENERAL_IMAGE = general_image(image_plane=False)

#: PS3.3 §C.7.6.3 Image Pixel Module (Pixel Data itself is the writer's business).
IMAGE_PIXEL = Module("Image Pixel", "C.7.6.3", (
    Rule("SamplesPerPixel", "1"),
    Rule("PhotometricInterpretation", "1"),
    Rule("Rows", "1"),
    Rule("Columns", "1"),
    Rule("BitsAllocated", "1"),
    Rule("BitsStored", "1"),
    Rule("HighBit", "1"),
    Rule("PixelRepresentation", "1", values=("0", "1")),
    Rule("PlanarConfiguration", "1C", condition=value_is("SamplesPerPixel", "3", "4"),
         values=("0", "1"), exclusive=True),
))

#: PS3.3 §C.12.1 SOP Common Module.
SOP_COMMON = Module("SOP Common", "C.12.1", (
    Rule("SOPClassUID", "1"),
    Rule("SOPInstanceUID", "1", default=NEW_UID),
))

#: PS3.3 §C.8.6.1 SC Equipment Module (Modality is type 3 here; we still write OT).
SC_EQUIPMENT = Module("SC Equipment", "C.8.6.1", (
    Rule("ConversionType", "1", default=literal("WSD"),
         hint="{ConversionType: WSD|DV|DI|DF|SD|SI|DRW|SYN}"),
))

#: PS3.3 §C.7.6.6 Multi-frame Module, as used by the multi-frame SC IODs: the Frame
#: Increment Pointer is 1C (more than one frame) and must be absent for one frame
#: (§C.8.6.3; dciodvfy reports it when present on a single frame).
MULTI_FRAME_SC = Module("Multi-frame", "C.7.6.6", (
    Rule("NumberOfFrames", "1"),
    Rule("FrameIncrementPointer", "1C", condition=MULTI_FRAME, exclusive=True),
))

#: PS3.3 §C.7.6.6 Multi-frame Module as is (Frame Increment Pointer type 1), used by OP.
MULTI_FRAME_PLAIN = Module("Multi-frame", "C.7.6.6", (
    Rule("NumberOfFrames", "1"),
    Rule("FrameIncrementPointer", "1"),
))

#: PS3.3 §C.7.6.5 Cine Module: used when the Frame Increment Pointer names Frame Time.
CINE = Module("Cine", "C.7.6.5", (
    Rule("FrameTime", "1C", condition=points_to("FrameTime"), exclusive=True),
))

_MONOCHROME_MULTIBIT = all_of(
    value_is("PhotometricInterpretation", "MONOCHROME2"),
    Condition("not", (value_is("BitsStored", "1"),)),
)

#: PS3.3 §C.8.6.3 SC Multi-frame Image Module.
SC_MULTI_FRAME_IMAGE = Module("SC Multi-frame Image", "C.8.6.3", (
    Rule("BurnedInAnnotation", "1", default=literal("NO"), values=("YES", "NO")),
    Rule("PresentationLUTShape", "1C", condition=_MONOCHROME_MULTIBIT, values=("IDENTITY",)),
    Rule("RescaleIntercept", "1C", condition=_MONOCHROME_MULTIBIT, values=("0",)),
    Rule("RescaleSlope", "1C", condition=_MONOCHROME_MULTIBIT, values=("1",)),
    Rule("RescaleType", "1C", condition=_MONOCHROME_MULTIBIT, values=("US",)),
    Rule("FrameIncrementPointer", "1C", condition=MULTI_FRAME, exclusive=True),
    Rule("NominalScannedPixelSpacing", "1C", condition=value_is("ConversionType", "DF"),
         hint="{NominalScannedPixelSpacing: 0.1\\0.1} (required for Conversion Type DF)"),
))

#: The fixed values the grey multi-frame SC IODs imply (PS3.3 §C.8.6.3), set with the class.
SC_MULTI_FRAME_GREY_CONDITION = _MONOCHROME_MULTIBIT

#: PS3.3 §C.8.6.4 SC Multi-frame Vector Module: the vector a Frame Increment Pointer names.
SC_MULTI_FRAME_VECTOR = Module("SC Multi-frame Vector", "C.8.6.4", (
    Rule("PageNumberVector", "1C", condition=points_to("PageNumberVector"), exclusive=True),
))

#: PS3.3 §C.7.6.14 Acquisition Context Module.
ACQUISITION_CONTEXT = Module("Acquisition Context", "C.7.6.14", (
    Rule("AcquisitionContextSequence", "2"),
))

#: Image Type values 1 and 2 (PS3.3 §C.7.6.1.1.2): pixel data and patient examination
#: characteristics, enumerated values.
PIXEL_DATA_CHARACTERISTICS = ("ORIGINAL", "DERIVED")
EXAMINATION_CHARACTERISTICS = ("PRIMARY", "SECONDARY")

#: PS3.3 §C.8.12.1.1.6 (VL Image Type): values 1 and 2 as §C.7.6.1.1.2; value 3 is
#: zero length or, for one image of a stereoscopic pair, STEREO L / STEREO R, which then
#: needs the Referenced Image Sequence naming the other image (Table C.8-77); values 4 and
#: on are free. dciodvfy rejects a CT template's AXIAL or an SC's OTHER in value 3.
VL_IMAGE_TYPE = (
    ValuePosition(0, PIXEL_DATA_CHARACTERISTICS, required=True),
    ValuePosition(1, EXAMINATION_CHARACTERISTICS, required=True),
    ValuePosition(2, ("STEREO L", "STEREO R"), only_if=(
        ("STEREO L", has_value("ReferencedImageSequence")),
        ("STEREO R", has_value("ReferencedImageSequence")),
    )),
)

#: PS3.3 §C.8.12.1 VL Image Module (Table C.8-77). Content Time is 1C "if the image is part
#: of a series in which the images are temporally related", which the dataset cannot tell:
#: a given value is kept, an empty one (a template's) is dropped, nothing is invented (a
#: time without its date would be made up; dciodvfy rejects only the empty element).
#: Lossy Image Compression is type 2 — we fill 00 rather than leave it empty.
VL_IMAGE = Module("VL Image", "C.8.12.1", (
    Rule("ImageType", "1", default=literal(("DERIVED", "SECONDARY")),
         hint="{ImageType: DERIVED\\SECONDARY}", positions=VL_IMAGE_TYPE),
    Rule("ContentTime", "1C", exclusive=True, condition=undecidable(
        "ContentTime", "the image is part of a series of temporally related images")),
    Rule("ReferencedImageSequence", "1C", condition=value_is("ImageType", "STEREO L", "STEREO R", index=2),
         hint="{'ReferencedImageSequence[0].ReferencedSOPClassUID': ..., "
              "'ReferencedImageSequence[0].ReferencedSOPInstanceUID': ...} (the other image of the stereo pair)"),
    Rule("LossyImageCompression", "2", default=LOSSY_FLAG, values=("00", "01")),
))

#: PS3.3 §C.8.17.1 Ophthalmic Photography Series Module: Modality OP (via General Series).

#: PS3.3 §C.7.4.2 Synchronization Module.
SYNCHRONIZATION = Module("Synchronization", "C.7.4.2", (
    Rule("SynchronizationFrameOfReferenceUID", "1", default=NEW_UID),
    Rule("SynchronizationTrigger", "1", default=literal("NO TRIGGER"),
         values=("SOURCE", "EXTERNAL", "PASSTHRU", "NO TRIGGER")),
    Rule("AcquisitionTimeSynchronized", "1", default=literal("N"), values=("Y", "N")),
))

_DERIVED = value_is("ImageType", "DERIVED")

#: PS3.3 §C.8.17.2.1.4 (OP Image Type): value 1 ORIGINAL or DERIVED, value 2 PRIMARY only;
#: value 3 present (defined terms, e.g. MONTAGE) exactly when value 1 is DERIVED. A
#: DERIVED image needs a Source Image Sequence with items (below), which only the user
#: can give: a template's DERIVED without one is replaced by ORIGINAL\PRIMARY — the
#: photo we wrap is not derived from another DICOM image.
OP_IMAGE_TYPE = (
    ValuePosition(0, PIXEL_DATA_CHARACTERISTICS, required=True,
                  only_if=(("DERIVED", has_value("SourceImageSequence")),)),
    ValuePosition(1, ("PRIMARY",), required=True),
    ValuePosition(2, required=True, condition=_DERIVED, exclusive=True),
)

#: PS3.3 §C.8.17.2 Ophthalmic Photography Image Module (Pixel Spacing 1C "for fundus
#: cameras" and Samples per Pixel Used 1C are not decidable and left to the user).
#: Source Image Sequence is 2C there, but dciodvfy rejects an empty one (it checks the item
#: count against the General Reference Module, §C.12.4: "1-n Required by Module
#: definition"), so when required it needs a value: 1C here.
OP_IMAGE = Module("Ophthalmic Photography Image", "C.8.17.2", (
    Rule("ImageType", "1", default=literal(("ORIGINAL", "PRIMARY")),
         hint="{ImageType: ORIGINAL\\PRIMARY}", positions=OP_IMAGE_TYPE),
    Rule("InstanceNumber", "1", default=literal(1)),
    Rule("ContentDate", "1", default=NOW_DATE),
    Rule("ContentTime", "1", default=NOW_TIME),
    Rule("AcquisitionDateTime", "1C", condition=value_is("ImageType", "ORIGINAL"),
         default=NOW_DATETIME),
    Rule("SourceImageSequence", "1C", condition=_DERIVED,
         hint="{'SourceImageSequence[0].ReferencedSOPClassUID': ..., "
              "'SourceImageSequence[0].ReferencedSOPInstanceUID': ..., "
              "'SourceImageSequence[0].PurposeOfReferenceCodeSequence[0].CodeValue': ...} "
              "or {ImageType: ORIGINAL\\PRIMARY}"),
    Rule("LossyImageCompression", "1", default=LOSSY_FLAG, values=("00", "01")),
    Rule("LossyImageCompressionRatio", "1C", condition=value_is("LossyImageCompression", "01"),
         default=LOSSY_STEP),
    Rule("LossyImageCompressionMethod", "1C", condition=value_is("LossyImageCompression", "01"),
         default=LOSSY_STEP),
    Rule("PresentationLUTShape", "1C",
         condition=value_is("PhotometricInterpretation", "MONOCHROME2"), values=("IDENTITY",)),
    Rule("BurnedInAnnotation", "1", default=literal("NO"), values=("YES", "NO")),
))

#: PS3.3 §C.8.17.5 Ocular Region Imaged Module (General Anatomy Mandatory Macro).
#: SNOMED CT 81745001 "Eye" — DCMTK swaps value and meaning; we do not.
OCULAR_REGION_IMAGED = Module("Ocular Region Imaged", "C.8.17.5", (
    Rule("ImageLaterality", "1", values=("R", "L", "B"), hint="{ImageLaterality: R|L|B}"),
    Rule("AnatomicRegionSequence", "1", default=code("81745001", "SCT", "Eye"), code=True),
))

_DEVICE_HINT = (
    "{'AcquisitionDeviceTypeCodeSequence[0].CodeValue': '409898007', "
    "'AcquisitionDeviceTypeCodeSequence[0].CodingSchemeDesignator': SCT, "
    "'AcquisitionDeviceTypeCodeSequence[0].CodeMeaning': Fundus Camera}"
)

#: PS3.3 §C.8.17.3 Ophthalmic Photographic Parameters Module.
OP_PHOTOGRAPHIC_PARAMETERS = Module("Ophthalmic Photographic Parameters", "C.8.17.3", (
    Rule("AcquisitionDeviceTypeCodeSequence", "1", code=True, hint=_DEVICE_HINT),
    Rule("IlluminationTypeCodeSequence", "2", code=True),
    Rule("LightPathFilterTypeStackCodeSequence", "2", code=True),
    Rule("ImagePathFilterTypeStackCodeSequence", "2", code=True),
    Rule("LensesCodeSequence", "2", code=True),
    Rule("DetectorType", "2", values=("CCD", "CMOS", "PHOTO", "INT")),
))

#: PS3.3 §C.8.17.4 Ophthalmic Photography Acquisition Parameters Module.
OP_ACQUISITION_PARAMETERS = Module("Ophthalmic Photography Acquisition Parameters", "C.8.17.4", (
    Rule("PatientEyeMovementCommanded", "2", values=("YES", "NO")),
    Rule("PatientEyeMovementCommandCodeSequence", "1C",
         condition=value_is("PatientEyeMovementCommanded", "YES"), exclusive=True, code=True),
    Rule("HorizontalFieldOfView", "2"),
    Rule("RefractiveStateSequence", "2"),
    Rule("EmmetropicMagnification", "2"),
    Rule("IntraOcularPressure", "2"),
    Rule("PupilDilated", "2", values=("YES", "NO")),
    Rule("MydriaticAgentSequence", "2C", condition=value_is("PupilDilated", "YES"),
         exclusive=True),
    Rule("DegreeOfDilation", "2C", condition=value_is("PupilDilated", "YES"), exclusive=True),
))

#: Photometric interpretations per transfer-syntax group for the IODs that restrict them:
#: PS3.3 §C.8.12.1.1.1 (VL Image), §C.8.17.2.1.3 (OP Image), §A.8.5.4 (MF True Colour SC).
#: MONOCHROME2 is always allowed; lossy JPEG only as YBR_FULL_422; native and
#: lossless (incl. JPEG-LS, which may not signal a colour transform) only as RGB.
PHOTOMETRIC_BY_SYNTAX_PHOTO: dict[str, tuple[str, ...]] = {
    "native": ("MONOCHROME2", "RGB"),
    "jpeg-lossless": ("MONOCHROME2", "RGB"),
    "jpeg-ls": ("MONOCHROME2", "RGB"),
    "jpeg-lossy": ("MONOCHROME2", "YBR_FULL_422"),
    "j2k-reversible": ("MONOCHROME2", "YBR_RCT"),
    "j2k-irreversible": ("MONOCHROME2", "YBR_ICT"),
    "rle": ("MONOCHROME2", "RGB"),
    "*": ("MONOCHROME2", "RGB"),
}

#: MF True Colour SC additionally allows YBR_FULL with RLE (PS3.3 §A.8.5.4).
PHOTOMETRIC_BY_SYNTAX_TRUE_COLOUR: dict[str, tuple[str, ...]] = {
    **PHOTOMETRIC_BY_SYNTAX_PHOTO,
    "rle": ("MONOCHROME2", "RGB", "YBR_FULL"),
}

COLOUR_PHOTOMETRICS = ("RGB", "YBR_FULL", "YBR_FULL_422", "YBR_PARTIAL_420", "YBR_ICT", "YBR_RCT")
