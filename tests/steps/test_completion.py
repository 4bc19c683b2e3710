"""CompleteIod: type 2 inserted empty, type 1 invented, and ONE error naming what is missing."""

from __future__ import annotations

import pytest

from img2dcm.errors import ConversionError
from img2dcm.profile.model import Checks
from tests.iods import fake_image, run

OP_KEYS = {
    "ImageLaterality": "R",
    "AcquisitionDeviceTypeCodeSequence[0].CodeValue": "409898007",
    "AcquisitionDeviceTypeCodeSequence[0].CodingSchemeDesignator": "SCT",
    "AcquisitionDeviceTypeCodeSequence[0].CodeMeaning": "Fundus Camera",
}

TYPE2_GENERIC = ("PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyDate",
                 "StudyTime", "ReferringPhysicianName", "StudyID", "AccessionNumber",
                 "SeriesNumber", "InstanceNumber", "PatientOrientation")


def test_sc_gets_dcmtk_type2_set_empty_and_conversion_type_wsd() -> None:
    ds = run("secondary-capture", [fake_image("rgb8")]).builder.dataset
    for keyword in TYPE2_GENERIC:
        assert keyword in ds and ds[keyword].is_empty, keyword
    assert ds.ConversionType == "WSD"


def test_sc_keeps_a_template_conversion_type() -> None:
    ds = run("secondary-capture", [fake_image("rgb8")], template={"ConversionType": "SI"}).builder.dataset
    assert ds.ConversionType == "SI"


def test_image_laterality_u_is_invented_unless_a_laterality_has_a_value() -> None:
    ctx = run("secondary-capture", [fake_image("rgb8")])
    assert ctx.builder.dataset.ImageLaterality == "U"
    assert ctx.builder.source_of("ImageLaterality").kind.value == "invented"
    assert "Laterality" not in ctx.builder.dataset
    for given, expected in (({"Laterality": "L"}, None), ({"ImageLaterality": "R"}, "R"),
                            ({"BodyPartExamined": "HEAD"}, "U"), ({"Laterality": None}, "U")):
        ds = run("vl-photographic", [fake_image("grey8")], keys=given).builder.dataset
        assert ds.get("ImageLaterality") == expected, given
        assert ("Laterality" in ds) == bool(given.get("Laterality")), given  # an empty one is dropped


def test_empty_laterality_kept_when_insert_type2_is_off() -> None:
    ds = run("secondary-capture", [fake_image("grey8")], keys={"Laterality": None, **{k: None for k in TYPE2_GENERIC}},
             checks=Checks(insert_type2=False)).builder.dataset
    assert "Laterality" in ds and "ImageLaterality" not in ds


def test_provenance_records_invented_and_inserted_empty() -> None:
    builder = run("secondary-capture", [fake_image("grey8")]).builder
    assert builder.source_of("ConversionType").kind.value == "invented"
    assert builder.source_of("PatientName").kind.value == "inserted empty"


def test_op_without_laterality_and_device_fails_listing_exactly_both() -> None:
    with pytest.raises(ConversionError) as caught:
        run("ophthalmic-photography", [fake_image("grey8")])
    message = str(caught.value)
    assert message.startswith("missing for Ophthalmic Photography 8 Bit Image: ImageLaterality (keys: {ImageLaterality: R|L|B}), "
                              "AcquisitionDeviceTypeCodeSequence (keys: {'AcquisitionDeviceTypeCodeSequence[0].CodeValue': '409898007'")
    listed = [part.split(" (")[0] for part in message.split(": ", 1)[1].split("), ")]
    assert listed == ["ImageLaterality", "AcquisitionDeviceTypeCodeSequence"]


def test_op_with_keys_is_completed_with_defaults() -> None:
    ds = run("ophthalmic-photography", [fake_image("grey8")], keys=OP_KEYS).builder.dataset
    assert ds.Modality == "OP"
    assert list(ds.ImageType) == ["ORIGINAL", "PRIMARY"]
    assert ds.SynchronizationTrigger == "NO TRIGGER" and ds.AcquisitionTimeSynchronized == "N"
    assert ds.InstanceNumber == 1
    assert ds.SynchronizationFrameOfReferenceUID.startswith("2.25.")
    assert (ds.ContentDate, ds.ContentTime) == ("20240517", "093015")  # with seconds
    assert ds.AcquisitionDateTime == "20240517093015"
    eye = ds.AnatomicRegionSequence[0]
    assert (eye.CodeValue, eye.CodingSchemeDesignator, eye.CodeMeaning) == ("81745001", "SCT", "Eye")
    assert ds.BurnedInAnnotation == "NO" and ds.LossyImageCompression == "00"
    for keyword in ("Manufacturer", "PatientEyeMovementCommanded", "HorizontalFieldOfView",
                    "RefractiveStateSequence", "EmmetropicMagnification", "IntraOcularPressure",
                    "PupilDilated", "IlluminationTypeCodeSequence", "LensesCodeSequence", "DetectorType"):
        assert keyword in ds and ds[keyword].is_empty, keyword
    assert "ImageLaterality" in ds and ds.ImageLaterality == "R"


def test_op_partial_anatomy_item_is_completed() -> None:
    keys = {**OP_KEYS, "AnatomicRegionSequence[0].CodeValue": "81745001"}
    ds = run("ophthalmic-photography", [fake_image("grey8")], keys=keys).builder.dataset
    item = ds.AnatomicRegionSequence[0]
    assert (item.CodingSchemeDesignator, item.CodeMeaning) == ("SCT", "Eye")


def test_op_partial_device_item_is_reported() -> None:
    keys = {"ImageLaterality": "L", "AcquisitionDeviceTypeCodeSequence[0].CodeValue": "409898007"}
    with pytest.raises(ConversionError, match=r"AcquisitionDeviceTypeCodeSequence\[0\].CodingSchemeDesignator .*"
                                              r"AcquisitionDeviceTypeCodeSequence\[0\].CodeMeaning"):
        run("ophthalmic-photography", [fake_image("grey8")], keys=keys)


def test_op_lossy_source_needs_no_ratio_before_the_lossy_step() -> None:
    ds = run("ophthalmic-photography", [fake_image("jpeg-ybr")], keys=OP_KEYS).builder.dataset
    assert ds.LossyImageCompression == "01"


def test_without_insert_type2_missing_type2_is_one_error() -> None:
    with pytest.raises(ConversionError) as caught:
        run("secondary-capture", [fake_image("grey8")], checks=Checks(insert_type2=False))
    message = str(caught.value)
    assert message.startswith("missing for Secondary Capture Image: PatientName (type 2, not inserted")
    for keyword in TYPE2_GENERIC:
        assert f"{keyword} (type 2" in message, keyword


def test_without_invent_type1_an_absent_default_is_an_error() -> None:
    with pytest.raises(ConversionError, match=r"ConversionType \(missing, not invented: invent_type1 is off"):
        run("secondary-capture", [fake_image("grey8")], checks=Checks(invent_type1=False))


def test_with_invent_type1_an_emptied_value_is_replaced() -> None:
    ds = run("multiframe-secondary-capture", [fake_image("grey8")], keys={"BurnedInAnnotation": None}).builder.dataset
    assert ds.BurnedInAnnotation == "NO"


def test_emptied_study_uid_is_regenerated_not_written_empty() -> None:
    ctx = run("secondary-capture", [fake_image("grey8")], keys={"StudyInstanceUID": None})
    assert ctx.builder.dataset.StudyInstanceUID.startswith("2.25.")


def test_emptied_study_uid_without_invention_is_rejected() -> None:
    with pytest.raises(ConversionError, match=r"StudyInstanceUID \(empty, not invented"):
        run("secondary-capture", [fake_image("grey8")], keys={"StudyInstanceUID": None},
            checks=Checks(invent_type1=False))


def test_emptied_pixel_attribute_is_rejected() -> None:
    with pytest.raises(ConversionError, match=r"missing for Secondary Capture Image: Rows \(keys"):
        run("secondary-capture", [fake_image("grey8")], keys={"Rows": None})


def test_no_checks_leaves_the_dataset_alone() -> None:
    ctx = run("secondary-capture", [fake_image("grey8")], checks=Checks(enabled=False))
    ds = ctx.builder.dataset
    assert "ConversionType" not in ds and "PatientName" not in ds
    assert any(f.attribute == "ConversionType" and f.severity == "error" for f in ctx.findings)
