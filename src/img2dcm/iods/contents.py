"""What PS3.3 puts in the modules of the IODs we write: module -> top-level attributes, IOD -> modules.

Facts of the standard (PS3.3 2025 module tables, Annex A IOD tables), top level only: the
attributes nested in a sequence come with it. Every usage is listed (M, C and U), because
these tables answer "may this attribute appear in the IOD at all", not "is it required";
requirements are in :mod:`img2dcm.iods.modules`. Used to decide what a template may bring
(:mod:`img2dcm.templates.contribution`).
"""

from __future__ import annotations

#: Module name -> keywords of its top-level attributes (macros expanded).
MODULE_ATTRIBUTES: dict[str, frozenset[str]] = {
    "Patient": frozenset((
        "BreedRegistrationSequence", "DeidentificationMethod", "DeidentificationMethodCodeSequence",
        "EthnicGroupCodeSequence", "GeneticModificationsSequence", "GroupOfPatientsIdentificationSequence",
        "IssuerOfPatientID", "IssuerOfPatientIDQualifiersSequence", "OtherPatientIDsSequence",
        "OtherPatientNames", "PatientAlternativeCalendar", "PatientBirthDate",
        "PatientBirthDateInAlternativeCalendar", "PatientBirthTime", "PatientBreedCodeSequence",
        "PatientBreedDescription", "PatientComments", "PatientDeathDateInAlternativeCalendar", "PatientID",
        "PatientIdentityRemoved", "PatientName", "PatientSex", "PatientSpeciesCodeSequence",
        "PatientSpeciesDescription", "QualityControlSubject", "ReferencedPatientPhotoSequence",
        "ReferencedPatientSequence", "ResponsibleOrganization", "ResponsiblePerson", "ResponsiblePersonRole",
        "SourcePatientGroupIdentificationSequence", "StrainAdditionalInformation", "StrainCodeSequence",
        "StrainDescription", "StrainNomenclature", "StrainStockSequence", "TypeOfPatientID",
    )),
    "Clinical Trial Subject": frozenset((
        "ClinicalTrialProtocolEthicsCommitteeApprovalNumber", "ClinicalTrialProtocolEthicsCommitteeName",
        "ClinicalTrialProtocolID", "ClinicalTrialProtocolName", "ClinicalTrialSiteID",
        "ClinicalTrialSiteName", "ClinicalTrialSponsorName", "ClinicalTrialSubjectID",
        "ClinicalTrialSubjectReadingID", "IssuerOfClinicalTrialProtocolID", "IssuerOfClinicalTrialSiteID",
        "IssuerOfClinicalTrialSubjectID", "IssuerOfClinicalTrialSubjectReadingID",
        "OtherClinicalTrialProtocolIDsSequence",
    )),
    "General Study": frozenset((
        "AccessionNumber", "ConsultingPhysicianIdentificationSequence", "ConsultingPhysicianName",
        "IssuerOfAccessionNumberSequence", "NameOfPhysiciansReadingStudy", "PhysiciansOfRecord",
        "PhysiciansOfRecordIdentificationSequence", "PhysiciansReadingStudyIdentificationSequence",
        "ProcedureCodeSequence", "ReasonForPerformedProcedureCodeSequence", "ReferencedStudySequence",
        "ReferringPhysicianIdentificationSequence", "ReferringPhysicianName", "RequestingService",
        "RequestingServiceCodeSequence", "StudyDate", "StudyDescription", "StudyID", "StudyInstanceUID",
        "StudyTime",
    )),
    "Patient Study": frozenset((
        "AdditionalPatientHistory", "AdmissionID", "AdmittingDiagnosesCodeSequence",
        "AdmittingDiagnosesDescription", "Allergies", "IssuerOfAdmissionIDSequence",
        "IssuerOfServiceEpisodeIDSequence", "LastMenstrualDate", "MeasuredAPDimension",
        "MeasuredLateralDimension", "MedicalAlerts", "Occupation", "PatientAge", "PatientBodyMassIndex",
        "PatientSexNeutered", "PatientSize", "PatientSizeCodeSequence", "PatientState", "PatientWeight",
        "PregnancyStatus", "ReasonForVisit", "ReasonForVisitCodeSequence", "ServiceEpisodeDescription",
        "ServiceEpisodeID", "SmokingStatus",
    )),
    "Clinical Trial Study": frozenset((
        "ClinicalTrialTimePointDescription", "ClinicalTrialTimePointID",
        "ClinicalTrialTimePointTypeCodeSequence", "ConsentForClinicalTrialUseSequence",
        "IssuerOfClinicalTrialTimePointID", "LongitudinalTemporalEventType",
        "LongitudinalTemporalOffsetFromEvent",
    )),
    "General Series": frozenset((
        "AnatomicalOrientationType", "BodyPartExamined", "CommentsOnThePerformedProcedureStep",
        "LargestPixelValueInSeries", "Laterality", "Modality", "OperatorIdentificationSequence",
        "OperatorsName", "PatientPosition", "PerformedProcedureStepDescription",
        "PerformedProcedureStepEndDate", "PerformedProcedureStepEndTime", "PerformedProcedureStepID",
        "PerformedProcedureStepStartDate", "PerformedProcedureStepStartTime", "PerformedProtocolCodeSequence",
        "PerformingPhysicianIdentificationSequence", "PerformingPhysicianName", "ProtocolName",
        "ReferencedPerformedProcedureStepSequence", "RelatedSeriesSequence", "RequestAttributesSequence",
        "SeriesDate", "SeriesDescription", "SeriesDescriptionCodeSequence", "SeriesInstanceUID",
        "SeriesNumber", "SeriesTime", "SmallestPixelValueInSeries", "TreatmentSessionUID",
    )),
    "Clinical Trial Series": frozenset((
        "ClinicalTrialCoordinatingCenterName", "ClinicalTrialSeriesDescription", "ClinicalTrialSeriesID",
        "IssuerOfClinicalTrialSeriesID",
    )),
    "Frame of Reference": frozenset((
        "FrameOfReferenceUID", "PositionReferenceIndicator",
    )),
    "Synchronization": frozenset((
        "AcquisitionTimeSynchronized", "NTPSourceAddress", "SynchronizationChannel",
        "SynchronizationFrameOfReferenceUID", "SynchronizationTrigger", "TimeDistributionProtocol",
        "TimeSource", "TriggerSourceOrType",
    )),
    "General Equipment": frozenset((
        "DateOfInstallation", "DateOfLastCalibration", "DateOfManufacture", "DeviceSerialNumber", "DeviceUID",
        "GantryID", "InstitutionAddress", "InstitutionName", "InstitutionalDepartmentName",
        "InstitutionalDepartmentTypeCodeSequence", "Manufacturer", "ManufacturerDeviceClassUID",
        "ManufacturerModelName", "PixelPaddingValue", "SoftwareVersions", "SpatialResolution", "StationName",
        "TimeOfLastCalibration", "UDISequence",
    )),
    "SC Equipment": frozenset((
        "ConversionType", "DigitalImageFormatAcquired", "Modality", "SecondaryCaptureDeviceID",
        "SecondaryCaptureDeviceManufacturer", "SecondaryCaptureDeviceManufacturerModelName",
        "SecondaryCaptureDeviceSoftwareVersions", "VideoImageFormatAcquired",
    )),
    "General Acquisition": frozenset((
        "AcquisitionDate", "AcquisitionDateTime", "AcquisitionDuration", "AcquisitionNumber",
        "AcquisitionTime", "AcquisitionUID", "ImagesInAcquisition", "IrradiationEventUID",
    )),
    "General Image": frozenset((
        "AnatomicRegionSequence", "BurnedInAnnotation", "ContentDate", "ContentTime", "IconImageSequence",
        "ImageComments", "ImageLaterality", "ImageType", "InstanceNumber", "LossyImageCompression",
        "LossyImageCompressionMethod", "LossyImageCompressionRatio", "PatientOrientation",
        "PresentationLUTShape", "PrimaryAnatomicStructureSequence", "QualityControlImage",
        "RealWorldValueMappingSequence", "RecognizableVisualFeatures",
    )),
    "General Reference": frozenset((
        "DerivationCodeSequence", "DerivationDescription", "ReferencedImageSequence",
        "ReferencedInstanceSequence", "SourceImageSequence", "SourceInstanceSequence",
    )),
    "Enhanced Patient Orientation": frozenset((
        "PatientEquipmentRelationshipCodeSequence", "PatientOrientationCodeSequence",
    )),
    "Image Plane": frozenset((
        "ImageOrientationPatient", "ImagePositionPatient", "PixelSpacing", "SliceLocation", "SliceThickness",
        "SpacingBetweenSlices",
    )),
    "Image Pixel": frozenset((
        "BitsAllocated", "BitsStored", "BluePaletteColorLookupTableData",
        "BluePaletteColorLookupTableDescriptor", "ColorSpace", "Columns", "ExtendedOffsetTable",
        "ExtendedOffsetTableLengths", "GreenPaletteColorLookupTableData",
        "GreenPaletteColorLookupTableDescriptor", "HighBit", "ICCProfile", "LargestImagePixelValue",
        "PhotometricInterpretation", "PixelAspectRatio", "PixelData", "PixelDataProviderURL",
        "PixelPaddingRangeLimit", "PixelRepresentation", "PlanarConfiguration",
        "RedPaletteColorLookupTableData", "RedPaletteColorLookupTableDescriptor", "Rows", "SamplesPerPixel",
        "SmallestImagePixelValue",
    )),
    "Device": frozenset((
        "DeviceSequence",
    )),
    "Specimen": frozenset((
        "AlternateContainerIdentifierSequence", "ContainerComponentSequence", "ContainerDescription",
        "ContainerIdentifier", "ContainerTypeCodeSequence", "IssuerOfTheContainerIdentifierSequence",
        "SpecimenDescriptionSequence",
    )),
    "SC Image": frozenset((
        "DateOfSecondaryCapture", "DocumentClassCodeSequence", "NominalScannedPixelSpacing", "PixelSpacing",
        "PixelSpacingCalibrationDescription", "PixelSpacingCalibrationType", "SliceProgressionDirection",
        "TimeOfSecondaryCapture", "ViewCodeSequence",
    )),
    "Overlay Plane": frozenset((
        "OverlayBitPosition", "OverlayBitsAllocated", "OverlayColumns", "OverlayData", "OverlayDescription",
        "OverlayLabel", "OverlayOrigin", "OverlayRows", "OverlaySubtype", "OverlayType", "ROIArea", "ROIMean",
        "ROIStandardDeviation",
    )),
    "Modality LUT": frozenset((
        "ModalityLUTSequence", "RescaleIntercept", "RescaleSlope", "RescaleType",
    )),
    "VOI LUT": frozenset((
        "VOILUTFunction", "VOILUTSequence", "WindowCenter", "WindowCenterWidthExplanation", "WindowWidth",
    )),
    "ICC Profile": frozenset((
        "ColorSpace", "ICCProfile",
    )),
    "SOP Common": frozenset((
        "AuthorizationEquipmentCertificationNumber", "BarcodeValue", "CodingSchemeIdentificationSequence",
        "ContentQualification", "ContextGroupIdentificationSequence", "ContributingEquipmentSequence",
        "ConversionSourceAttributesSequence", "DigitalSignaturesSequence", "EncryptedAttributesSequence",
        "HL7StructuredDocumentReferenceSequence", "InstanceCoercionDateTime", "InstanceCreationDate",
        "InstanceCreationTime", "InstanceCreatorUID", "InstanceNumber", "InstanceOriginStatus",
        "LongitudinalTemporalInformationModified", "MACParametersSequence",
        "MappingResourceIdentificationSequence", "OriginalAttributesSequence",
        "OriginalSpecializedSOPClassUID", "PrivateDataElementCharacteristicsSequence", "QueryRetrieveView",
        "ReferencedDefinedProtocolSequence", "ReferencedPerformedProtocolSequence",
        "RelatedGeneralSOPClassUID", "SOPAuthorizationComment", "SOPAuthorizationDateTime", "SOPClassUID",
        "SOPInstanceStatus", "SOPInstanceUID", "SpecificCharacterSet", "SyntheticData",
        "TimezoneOffsetFromUTC",
    )),
    "Common Instance Reference": frozenset((
        "ReferencedSeriesSequence", "StudiesContainingOtherReferencedInstancesSequence",
    )),
    "Cine": frozenset((
        "ActualFrameDuration", "CineRate", "EffectiveDuration", "FrameDelay", "FrameTime", "FrameTimeVector",
        "ImageTriggerDelay", "MultiplexedAudioChannelsDescriptionCodeSequence", "PreferredPlaybackSequencing",
        "RecommendedDisplayFrameRate", "StartTrim", "StopTrim",
    )),
    "Multi-frame": frozenset((
        "EncapsulatedPixelDataValueTotalLength", "FrameIncrementPointer", "NumberOfFrames",
        "StereoPairsPresent",
    )),
    "Frame Pointers": frozenset((
        "FrameNumbersOfInterest", "FrameOfInterestDescription", "FrameOfInterestType",
        "RepresentativeFrameNumber",
    )),
    "SC Multi-frame Image": frozenset((
        "BurnedInAnnotation", "DigitizingDeviceTransportDirection", "FrameIncrementPointer", "Illumination",
        "NominalScannedPixelSpacing", "PixelSpacing", "PixelSpacingCalibrationDescription",
        "PixelSpacingCalibrationType", "PresentationLUTShape", "RecognizableVisualFeatures",
        "ReflectedAmbientLight", "RescaleIntercept", "RescaleSlope", "RescaleType", "RotationOfScannedFilm",
    )),
    "SC Multi-frame Vector": frozenset((
        "DisplayWindowLabelVector", "FrameLabelVector", "FramePrimaryAngleVector",
        "FrameSecondaryAngleVector", "FrameTimeVector", "PageNumberVector", "SliceLocationVector",
    )),
    "Frame Extraction": frozenset((
        "FrameExtractionSequence",
    )),
    "Multi-frame Functional Groups": frozenset((
        "ConcatenationFrameOffsetNumber", "ConcatenationUID", "ContentDate", "ContentTime",
        "EncapsulatedPixelDataValueTotalLength", "InConcatenationNumber", "InConcatenationTotalNumber",
        "InstanceNumber", "NumberOfFrames", "PerFrameFunctionalGroupsSequence", "RepresentativeFrameNumber",
        "SOPInstanceUIDOfConcatenationSource", "SharedFunctionalGroupsSequence", "StereoPairsPresent",
    )),
    "Multi-frame Dimension": frozenset((
        "DimensionIndexSequence", "DimensionOrganizationSequence", "DimensionOrganizationType",
    )),
    "VL Photographic Equipment": frozenset((
        "CameraOwnerName", "LensMake", "LensModel", "LensSerialNumber", "LensSpecification",
    )),
    "Acquisition Context": frozenset((
        "AcquisitionContextDescription", "AcquisitionContextSequence",
    )),
    "VL Image": frozenset((
        "AnatomicRegionSequence", "BitsAllocated", "BitsStored", "ChannelDescriptionCodeSequence",
        "ContentTime", "HighBit", "ImageLaterality", "ImageType", "ImagerPixelSpacing",
        "LossyImageCompression", "PhotometricInterpretation", "PixelRepresentation", "PixelSpacing",
        "PlanarConfiguration", "PrimaryAnatomicStructureSequence", "ReferencedImageSequence",
        "SamplesPerPixel", "ViewCodeSequence", "WindowCenter", "WindowWidth",
    )),
    "VL Photographic Acquisition": frozenset((
        "Acceleration", "ApertureValue", "BatteryLevel", "BrightnessValue", "CameraElevationAngle",
        "ColorFilterArrayPatternColumns", "ColorFilterArrayPatternRows", "ColorFilterArrayPatternValues",
        "Contrast", "CustomRendered", "DeviceSettingDescription", "DigitalZoomRatio", "EXIFVersion",
        "ExposureBiasValue", "ExposureMode", "ExposureProgram", "ExposureTimeInSeconds", "FNumber",
        "FileSource", "FlashEnergy", "FlashFiringStatus", "FlashFunctionPresent", "FlashMode",
        "FlashRedEyeMode", "FlashReturnStatus", "FocalLength", "FocalLengthIn35mmFilm", "GainControl",
        "Humidity", "ISOSpeed", "ISOSpeedLatitudeyyy", "ISOSpeedLatitudezzz", "InteroperabilityIndex",
        "InteroperabilityVersion", "LightSource", "MakerNote", "MaxApertureValue", "MeteringMode",
        "OECFColumnNames", "OECFColumns", "OECFRows", "OECFValues", "PhotographicExposureIndex",
        "PhotographicSensitivity", "Pressure", "PrimaryChromaticities", "RecommendedExposureIndex",
        "Saturation", "SceneCaptureType", "SceneType", "SelfTimerMode", "SensingMethod", "SensitivityType",
        "Sharpness", "ShutterSpeedValue", "SpatialFrequencyResponseColumnNames",
        "SpatialFrequencyResponseColumns", "SpatialFrequencyResponseRows", "SpatialFrequencyResponseValues",
        "SpectralSensitivity", "StandardOutputSensitivity", "SubjectArea", "SubjectDistance",
        "SubjectDistanceRange", "SubjectLocation", "Temperature", "WaterDepth", "WhiteBalance", "WhitePoint",
    )),
    "VL Photographic Geolocation": frozenset((
        "GPSAltitude", "GPSAltitudeRef", "GPSAreaInformation", "GPSDOP", "GPSDateStamp", "GPSDestBearing",
        "GPSDestBearingRef", "GPSDestDistance", "GPSDestDistanceRef", "GPSDestLatitude", "GPSDestLatitudeRef",
        "GPSDestLongitude", "GPSDestLongitudeRef", "GPSDifferential", "GPSImgDirection", "GPSImgDirectionRef",
        "GPSLatitude", "GPSLatitudeRef", "GPSLongitude", "GPSLongitudeRef", "GPSMapDatum", "GPSMeasureMode",
        "GPSProcessingMethod", "GPSSatellites", "GPSSpeed", "GPSSpeedRef", "GPSStatus", "GPSTimeStamp",
        "GPSTrack", "GPSTrackRef", "GPSVersionID",
    )),
    "Ophthalmic Photography Series": frozenset((
        "Modality",
    )),
    "Enhanced Contrast Bolus": frozenset((
        "ContrastBolusAgentSequence",
    )),
    "Ophthalmic Photography Image": frozenset((
        "AcquisitionDateTime", "BurnedInAnnotation", "CalibrationImage", "ContentDate", "ContentTime",
        "ImageType", "InstanceNumber", "LossyImageCompression", "LossyImageCompressionMethod",
        "LossyImageCompressionRatio", "PhotometricInterpretation", "PixelRepresentation", "PixelSpacing",
        "PlanarConfiguration", "PresentationLUTShape", "RecognizableVisualFeatures", "SamplesPerPixel",
        "SamplesPerPixelUsed", "SourceImageSequence",
    )),
    "Ocular Region Imaged": frozenset((
        "AnatomicRegionSequence", "ImageLaterality", "OphthalmicAnatomicReferencePointXCoordinate",
        "OphthalmicAnatomicReferencePointYCoordinate", "PrimaryAnatomicStructureSequence",
        "RelativeImagePositionCodeSequence",
    )),
    "Ophthalmic Photography Acquisition Parameters": frozenset((
        "DegreeOfDilation", "EmmetropicMagnification", "HorizontalFieldOfView", "IntraOcularPressure",
        "MydriaticAgentSequence", "PatientEyeMovementCommandCodeSequence", "PatientEyeMovementCommanded",
        "PupilDilated", "RefractiveStateSequence",
    )),
    "Ophthalmic Photographic Parameters": frozenset((
        "AcquisitionDeviceTypeCodeSequence", "CameraAngleOfView", "ChannelDescriptionCodeSequence",
        "DetectorType", "IlluminationTypeCodeSequence", "ImagePathFilterPassBand",
        "ImagePathFilterPassThroughWavelength", "ImagePathFilterTypeStackCodeSequence", "LensesCodeSequence",
        "LightPathFilterPassBand", "LightPathFilterPassThroughWavelength",
        "LightPathFilterTypeStackCodeSequence",
    )),
}

_PATIENT_STUDY_SERIES = ("Patient", "Clinical Trial Subject", "General Study", "Patient Study",
                         "Clinical Trial Study", "General Series", "Clinical Trial Series")
_SC_EQUIPMENT = ("General Equipment", "SC Equipment", "General Acquisition")
_MF_SC_IMAGE = ("General Image", "General Reference", "Enhanced Patient Orientation", "Image Pixel", "Cine",
                "Multi-frame", "Frame Pointers", "Device")
_MF_SC_MODULES = ("Specimen", "SC Image", "SC Multi-frame Image", "SC Multi-frame Vector")
_INSTANCE = ("SOP Common", "Common Instance Reference")
_FRAME_OF_REFERENCE = ("Frame of Reference", "Synchronization")


#: Tables A.8-3 and A.8-4 (Multi-frame Grayscale Byte / Word SC Image). Each multi-frame SC
#: IOD has its own functional groups module (§A.8.x.5): they differ only in the macros nested
#: in the functional group sequences, so at the top level they are one.
_MF_GREY = (*_PATIENT_STUDY_SERIES, "General Equipment", "SC Equipment", *_FRAME_OF_REFERENCE,
            "General Acquisition", *_MF_SC_IMAGE, "Multi-frame Functional Groups", "Multi-frame Dimension",
            *_MF_SC_MODULES, "VOI LUT", *_INSTANCE, "Frame Extraction")


_OPHTHALMIC_PHOTOGRAPHY = (
    *_PATIENT_STUDY_SERIES[:6], "Ophthalmic Photography Series", "Clinical Trial Series", "Synchronization",
    "General Equipment", "General Acquisition", "General Image", "General Reference", "Image Pixel",
    "Enhanced Contrast Bolus", "Cine", "Multi-frame", "Device", "Acquisition Context",
    "Ophthalmic Photography Image", "Ocular Region Imaged", "Ophthalmic Photography Acquisition Parameters",
    "Ophthalmic Photographic Parameters", "ICC Profile", *_INSTANCE, "Frame Extraction",
)

#: Tables A.32.5-1, A.32.6-1 and A.32.7-1 (Video Endoscopic / Microscopic / Photographic Image):
#: the same frame of modules, Device only where the table lists it.
def _video(device: bool) -> tuple[str, ...]:
    return (*_PATIENT_STUDY_SERIES, "Synchronization", "General Equipment", "General Acquisition",
            "General Image", "General Reference", "Cine", "Multi-frame", "Image Pixel", "Acquisition Context",
            *(("Device",) if device else ()), "Specimen", "VL Image", "ICC Profile", *_INSTANCE, "Frame Extraction")


#: SOP Class UID -> (IOD name, the modules of its Annex A table, in its order, every usage).
IOD_MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "1.2.840.10008.5.1.4.1.1.7": ("Secondary Capture Image", (
        *_PATIENT_STUDY_SERIES, *_FRAME_OF_REFERENCE, *_SC_EQUIPMENT, "General Image", "General Reference",
        "Enhanced Patient Orientation", "Image Plane", "Image Pixel", "Device", "Specimen", "SC Image",
        "Overlay Plane", "Modality LUT", "VOI LUT", "ICC Profile", *_INSTANCE,
    )),
    "1.2.840.10008.5.1.4.1.1.7.1": ("Multi-frame Single Bit SC Image", (
        *_PATIENT_STUDY_SERIES, *_SC_EQUIPMENT, *_MF_SC_IMAGE, *_MF_SC_MODULES, *_INSTANCE, "Frame Extraction",
    )),
    "1.2.840.10008.5.1.4.1.1.7.2": ("Multi-frame Grayscale Byte SC Image", _MF_GREY),
    "1.2.840.10008.5.1.4.1.1.7.3": ("Multi-frame Grayscale Word SC Image", _MF_GREY),
    "1.2.840.10008.5.1.4.1.1.7.4": ("Multi-frame True Color SC Image", (
        *_PATIENT_STUDY_SERIES, *_FRAME_OF_REFERENCE, *_SC_EQUIPMENT, *_MF_SC_IMAGE,
        "Multi-frame Functional Groups", "Multi-frame Dimension", *_MF_SC_MODULES, "ICC Profile",
        *_INSTANCE, "Frame Extraction",
    )),
    "1.2.840.10008.5.1.4.1.1.77.1.4": ("VL Photographic Image", (
        *_PATIENT_STUDY_SERIES, "General Equipment", "VL Photographic Equipment", "General Acquisition",
        "General Image", "General Reference", "Image Pixel", "Acquisition Context", "Device", "Specimen",
        "VL Image", "VL Photographic Acquisition", "VL Photographic Geolocation", "Overlay Plane", "ICC Profile",
        *_INSTANCE,
    )),
    "1.2.840.10008.5.1.4.1.1.77.1.5.1": ("Ophthalmic Photography 8 Bit Image", _OPHTHALMIC_PHOTOGRAPHY),
    "1.2.840.10008.5.1.4.1.1.77.1.5.2": ("Ophthalmic Photography 16 Bit Image", _OPHTHALMIC_PHOTOGRAPHY),
    "1.2.840.10008.5.1.4.1.1.77.1.1.1": ("Video Endoscopic Image", _video(device=True)),
    "1.2.840.10008.5.1.4.1.1.77.1.2.1": ("Video Microscopic Image", _video(device=False)),
    "1.2.840.10008.5.1.4.1.1.77.1.4.1": ("Video Photographic Image", _video(device=True)),
}
