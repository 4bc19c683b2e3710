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
    "MF Grayscale Byte SC Image Functional Groups": frozenset((
        "ConcatenationFrameOffsetNumber", "ConcatenationUID", "ContentDate", "ContentTime",
        "EncapsulatedPixelDataValueTotalLength", "InConcatenationNumber", "InConcatenationTotalNumber",
        "InstanceNumber", "NumberOfFrames", "PerFrameFunctionalGroupsSequence", "RepresentativeFrameNumber",
        "SOPInstanceUIDOfConcatenationSource", "SharedFunctionalGroupsSequence", "StereoPairsPresent",
    )),
    "Multi-frame Dimension": frozenset((
        "DimensionIndexSequence", "DimensionOrganizationSequence", "DimensionOrganizationType",
    )),
    "MF Grayscale Word SC Image Functional Groups": frozenset((
        "ConcatenationFrameOffsetNumber", "ConcatenationUID", "ContentDate", "ContentTime",
        "EncapsulatedPixelDataValueTotalLength", "InConcatenationNumber", "InConcatenationTotalNumber",
        "InstanceNumber", "NumberOfFrames", "PerFrameFunctionalGroupsSequence", "RepresentativeFrameNumber",
        "SOPInstanceUIDOfConcatenationSource", "SharedFunctionalGroupsSequence", "StereoPairsPresent",
    )),
    "MF True Color SC Image Functional Groups": frozenset((
        "ConcatenationFrameOffsetNumber", "ConcatenationUID", "ContentDate", "ContentTime",
        "EncapsulatedPixelDataValueTotalLength", "InConcatenationNumber", "InConcatenationTotalNumber",
        "InstanceNumber", "NumberOfFrames", "PerFrameFunctionalGroupsSequence", "RepresentativeFrameNumber",
        "SOPInstanceUIDOfConcatenationSource", "SharedFunctionalGroupsSequence", "StereoPairsPresent",
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

#: SOP Class UID -> (IOD name, the modules of its Annex A table, every usage).
IOD_MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "1.2.840.10008.5.1.4.1.1.7": ("Secondary Capture Image", (
        "Patient",  # M
        "Clinical Trial Subject",  # U
        "General Study",  # M
        "Patient Study",  # U
        "Clinical Trial Study",  # U
        "General Series",  # M
        "Clinical Trial Series",  # U
        "Frame of Reference",  # C
        "Synchronization",  # U
        "General Equipment",  # U
        "SC Equipment",  # M
        "General Acquisition",  # M
        "General Image",  # M
        "General Reference",  # U
        "Enhanced Patient Orientation",  # U
        "Image Plane",  # U
        "Image Pixel",  # M
        "Device",  # U
        "Specimen",  # U
        "SC Image",  # M
        "Overlay Plane",  # U
        "Modality LUT",  # U
        "VOI LUT",  # U
        "ICC Profile",  # U
        "SOP Common",  # M
        "Common Instance Reference",  # U
    )),
    "1.2.840.10008.5.1.4.1.1.7.1": ("Multi-frame Single Bit SC Image", (
        "Patient",  # M
        "Clinical Trial Subject",  # U
        "General Study",  # M
        "Patient Study",  # U
        "Clinical Trial Study",  # U
        "General Series",  # M
        "Clinical Trial Series",  # U
        "General Equipment",  # U
        "SC Equipment",  # M
        "General Acquisition",  # M
        "General Image",  # M
        "General Reference",  # U
        "Enhanced Patient Orientation",  # U
        "Image Pixel",  # M
        "Cine",  # C
        "Multi-frame",  # M
        "Frame Pointers",  # U
        "Device",  # U
        "Specimen",  # U
        "SC Image",  # U
        "SC Multi-frame Image",  # M
        "SC Multi-frame Vector",  # C
        "SOP Common",  # M
        "Common Instance Reference",  # U
        "Frame Extraction",  # C
    )),
    "1.2.840.10008.5.1.4.1.1.7.2": ("Multi-frame Grayscale Byte SC Image", (
        "Patient",  # M
        "Clinical Trial Subject",  # U
        "General Study",  # M
        "Patient Study",  # U
        "Clinical Trial Study",  # U
        "General Series",  # M
        "Clinical Trial Series",  # U
        "General Equipment",  # U
        "SC Equipment",  # M
        "Frame of Reference",  # C
        "Synchronization",  # U
        "General Acquisition",  # M
        "General Image",  # M
        "General Reference",  # U
        "Enhanced Patient Orientation",  # U
        "Image Pixel",  # M
        "Cine",  # C
        "Multi-frame",  # M
        "Frame Pointers",  # U
        "Device",  # U
        "MF Grayscale Byte SC Image Functional Groups",  # U
        "Multi-frame Dimension",  # U
        "Specimen",  # U
        "SC Image",  # U
        "SC Multi-frame Image",  # M
        "SC Multi-frame Vector",  # C
        "VOI LUT",  # C
        "SOP Common",  # M
        "Common Instance Reference",  # U
        "Frame Extraction",  # C
    )),
    "1.2.840.10008.5.1.4.1.1.7.3": ("Multi-frame Grayscale Word SC Image", (
        "Patient",  # M
        "Clinical Trial Subject",  # U
        "General Study",  # M
        "Patient Study",  # U
        "Clinical Trial Study",  # U
        "General Series",  # M
        "Clinical Trial Series",  # U
        "General Equipment",  # U
        "SC Equipment",  # M
        "Frame of Reference",  # C
        "Synchronization",  # U
        "General Acquisition",  # M
        "General Image",  # M
        "General Reference",  # U
        "Enhanced Patient Orientation",  # U
        "Image Pixel",  # M
        "Cine",  # C
        "Multi-frame",  # M
        "Frame Pointers",  # U
        "Device",  # U
        "MF Grayscale Word SC Image Functional Groups",  # U
        "Multi-frame Dimension",  # U
        "Specimen",  # U
        "SC Image",  # U
        "SC Multi-frame Image",  # M
        "SC Multi-frame Vector",  # C
        "VOI LUT",  # C
        "SOP Common",  # M
        "Common Instance Reference",  # U
        "Frame Extraction",  # C
    )),
    "1.2.840.10008.5.1.4.1.1.7.4": ("Multi-frame True Color SC Image", (
        "Patient",  # M
        "Clinical Trial Subject",  # U
        "General Study",  # M
        "Patient Study",  # U
        "Clinical Trial Study",  # U
        "General Series",  # M
        "Clinical Trial Series",  # U
        "Frame of Reference",  # C
        "Synchronization",  # U
        "General Equipment",  # U
        "SC Equipment",  # M
        "General Acquisition",  # M
        "General Image",  # M
        "General Reference",  # U
        "Enhanced Patient Orientation",  # U
        "Image Pixel",  # M
        "Cine",  # C
        "Multi-frame",  # M
        "Frame Pointers",  # U
        "Device",  # U
        "MF True Color SC Image Functional Groups",  # U
        "Multi-frame Dimension",  # U
        "Specimen",  # U
        "SC Image",  # U
        "SC Multi-frame Image",  # M
        "SC Multi-frame Vector",  # C
        "ICC Profile",  # U
        "SOP Common",  # M
        "Common Instance Reference",  # U
        "Frame Extraction",  # C
    )),
    "1.2.840.10008.5.1.4.1.1.77.1.4": ("VL Photographic Image", (
        "Patient",  # M
        "Clinical Trial Subject",  # U
        "General Study",  # M
        "Patient Study",  # U
        "Clinical Trial Study",  # U
        "General Series",  # M
        "Clinical Trial Series",  # U
        "General Equipment",  # M
        "VL Photographic Equipment",  # U
        "General Acquisition",  # M
        "General Image",  # M
        "General Reference",  # U
        "Image Pixel",  # M
        "Acquisition Context",  # M
        "Device",  # U
        "Specimen",  # C
        "VL Image",  # M
        "VL Photographic Acquisition",  # U
        "VL Photographic Geolocation",  # U
        "Overlay Plane",  # U
        "ICC Profile",  # U
        "SOP Common",  # M
        "Common Instance Reference",  # U
    )),
    "1.2.840.10008.5.1.4.1.1.77.1.5.1": ("Ophthalmic Photography 8 Bit Image", (
        "Patient",  # M
        "Clinical Trial Subject",  # U
        "General Study",  # M
        "Patient Study",  # U
        "Clinical Trial Study",  # U
        "General Series",  # M
        "Ophthalmic Photography Series",  # M
        "Clinical Trial Series",  # U
        "Synchronization",  # M
        "General Equipment",  # M
        "General Acquisition",  # M
        "General Image",  # M
        "General Reference",  # U
        "Image Pixel",  # M
        "Enhanced Contrast Bolus",  # C
        "Cine",  # C
        "Multi-frame",  # M
        "Device",  # U
        "Acquisition Context",  # U
        "Ophthalmic Photography Image",  # M
        "Ocular Region Imaged",  # M
        "Ophthalmic Photography Acquisition Parameters",  # M
        "Ophthalmic Photographic Parameters",  # M
        "ICC Profile",  # U
        "SOP Common",  # M
        "Common Instance Reference",  # U
        "Frame Extraction",  # C
    )),
    "1.2.840.10008.5.1.4.1.1.77.1.5.2": ("Ophthalmic Photography 16 Bit Image", (
        "Patient",  # M
        "Clinical Trial Subject",  # U
        "General Study",  # M
        "Patient Study",  # U
        "Clinical Trial Study",  # U
        "General Series",  # M
        "Ophthalmic Photography Series",  # M
        "Clinical Trial Series",  # U
        "Synchronization",  # M
        "General Equipment",  # M
        "General Acquisition",  # M
        "General Image",  # M
        "General Reference",  # U
        "Image Pixel",  # M
        "Enhanced Contrast Bolus",  # C
        "Cine",  # C
        "Multi-frame",  # M
        "Device",  # U
        "Acquisition Context",  # U
        "Ophthalmic Photography Image",  # M
        "Ocular Region Imaged",  # M
        "Ophthalmic Photography Acquisition Parameters",  # M
        "Ophthalmic Photographic Parameters",  # M
        "ICC Profile",  # U
        "SOP Common",  # M
        "Common Instance Reference",  # U
        "Frame Extraction",  # C
    )),
}
