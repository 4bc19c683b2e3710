"""Applying keys to a DatasetBuilder: creation, overwriting, sequences, private tags, provenance."""

from __future__ import annotations

from io import BytesIO

import pytest
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.filewriter import dcmwrite

from img2dcm.errors import KeyPathError
from img2dcm.keys import apply_key, check_key, split_key
from img2dcm.profile.model import KeySpec
from img2dcm.provenance import DatasetBuilder, Source, SourceKind


def apply(builder: DatasetBuilder, *keys: str, origin: str = "argv") -> DatasetBuilder:
    for key in keys:
        path, value = split_key(key)
        apply_key(builder, KeySpec(path, value, origin))
    return builder


def build(*keys: str) -> Dataset:
    return apply(DatasetBuilder(), *keys).dataset


def roundtrip(dataset: Dataset) -> Dataset:
    """Write as explicit VR little endian dataset and read back."""
    buffer = BytesIO()
    dcmwrite(buffer, dataset, enforce_file_format=False, implicit_vr=False, little_endian=True)
    buffer.seek(0)
    return dcmread(buffer, force=True)


def refused(builder: DatasetBuilder, key: str) -> str:
    path, value = split_key(key)
    with pytest.raises(KeyPathError) as info:
        apply_key(builder, KeySpec(path, value, "argv"))
    message = str(info.value)
    assert path in message
    assert "\n" not in message
    return message


# -- top level ------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["PatientName", "(0010,0010)", "0010,0010", "10,10"])
def test_every_tag_spelling_sets_the_attribute(spelling: str) -> None:
    ds = build(f"{spelling}=Doe^John")
    assert ds.PatientName == "Doe^John"
    assert ds["PatientName"].VR == "PN"


def test_later_keys_overwrite_earlier_ones() -> None:
    ds = build("PatientID=1", "PatientID=2")
    assert ds.PatientID == "2"


def test_key_overwrites_an_existing_value() -> None:
    builder = DatasetBuilder()
    builder.put("StudyDescription", "from template", Source(SourceKind.TEMPLATE, "t.dcm"))
    apply(builder, "StudyDescription=mine")
    assert builder.dataset.StudyDescription == "mine"
    assert builder.source_of("StudyDescription") == Source(SourceKind.KEY, "argv")


@pytest.mark.parametrize("key", ["PatientName", "PatientName="])
def test_absent_value_clears_an_existing_element_to_zero_length(key: str) -> None:
    builder = DatasetBuilder()
    builder.put("PatientName", "Doe", Source(SourceKind.TEMPLATE))
    apply(builder, key)
    assert "PatientName" in builder.dataset
    assert builder.dataset["PatientName"].is_empty
    assert roundtrip(builder.dataset)["PatientName"].is_empty


def test_zero_length_numeric_element_is_written() -> None:
    ds = roundtrip(build("Rows"))
    assert "Rows" in ds and ds["Rows"].is_empty


def test_backslash_gives_several_values() -> None:
    ds = roundtrip(build("ImageType=DERIVED\\SECONDARY"))
    assert list(ds.ImageType) == ["DERIVED", "SECONDARY"]


def test_numeric_values_are_stored_as_numbers() -> None:
    ds = build("Rows=512", "InstanceNumber=7", "FrameTime=33.3", "FrameIncrementPointer=FrameTime")
    assert ds.Rows == 512 and isinstance(ds.Rows, int)
    assert ds.InstanceNumber == 7
    back = roundtrip(ds)
    assert back.Rows == 512
    assert back.InstanceNumber == 7
    assert float(back.FrameTime) == pytest.approx(33.3)
    assert back.FrameIncrementPointer == 0x00181063


def test_unicode_stays_str_until_written() -> None:
    ds = build("SpecificCharacterSet=ISO_IR 192", "PatientName=Müller^André")
    assert ds.PatientName == "Müller^André"
    assert str(roundtrip(ds).PatientName) == "Müller^André"


def test_us_or_ss_follows_pixel_representation() -> None:
    assert build("SmallestImagePixelValue=5")["SmallestImagePixelValue"].VR == "US"
    ds = build("PixelRepresentation=1", "SmallestImagePixelValue=-5")
    assert ds["SmallestImagePixelValue"].VR == "SS"
    assert roundtrip(ds).SmallestImagePixelValue == -5


def test_bad_value_is_refused_and_nothing_changes() -> None:
    builder = DatasetBuilder()
    message = refused(builder, "StudyDate=20230230")
    assert message == "bad value for key 'StudyDate': '20230230' is not a real calendar date (DA)"
    assert "StudyDate" not in builder.dataset
    assert builder.provenance == {}


def test_unknown_keyword_is_refused() -> None:
    assert "unknown DICOM keyword 'FooBar'" in refused(DatasetBuilder(), "FooBar=1")


def test_unknown_public_tag_is_refused_instead_of_guessing_un() -> None:
    message = refused(DatasetBuilder(), "(0010,9999)=1")
    assert "unknown tag (0010,9999)" in message
    assert "UN" in message


def test_unknown_public_tag_already_in_the_dataset_keeps_its_vr() -> None:
    builder = DatasetBuilder()
    builder.dataset.add_new(0x00109999, "LO", "old")
    apply(builder, "(0010,9999)=new")
    assert builder.dataset[0x00109999].value == "new"
    assert builder.dataset[0x00109999].VR == "LO"


# -- sequences ------------------------------------------------------------------------


def test_missing_items_are_created_up_to_the_index() -> None:
    ds = build("OtherPatientIDsSequence[1].PatientID=X")
    items = ds.OtherPatientIDsSequence
    assert len(items) == 2
    assert len(items[0]) == 0
    assert items[1].PatientID == "X"
    back = roundtrip(ds)
    assert len(back.OtherPatientIDsSequence) == 2
    assert back.OtherPatientIDsSequence[1].PatientID == "X"


def test_nested_code_sequence_is_created() -> None:
    ds = roundtrip(
        build(
            "AcquisitionDeviceTypeCodeSequence[0].CodeValue=409898007",
            "AcquisitionDeviceTypeCodeSequence[0].CodingSchemeDesignator=SCT",
            "AcquisitionDeviceTypeCodeSequence[0].CodeMeaning=Ultrasound unit",
        )
    )
    (item,) = ds.AcquisitionDeviceTypeCodeSequence
    assert item.CodeValue == "409898007"
    assert item.CodingSchemeDesignator == "SCT"
    assert item.CodeMeaning == "Ultrasound unit"


def test_referenced_image_uid_goes_into_the_item() -> None:
    ds = roundtrip(build("ReferencedImageSequence[0].ReferencedSOPClassUID=1.2.3"))
    assert ds.ReferencedImageSequence[0].ReferencedSOPClassUID == "1.2.3"


def test_existing_items_are_reused_not_replaced() -> None:
    ds = build(
        "ReferencedImageSequence[0].ReferencedSOPClassUID=1.2.3",
        "ReferencedImageSequence[0].ReferencedSOPInstanceUID=1.2.3.4",
    )
    assert len(ds.ReferencedImageSequence) == 1
    item = ds.ReferencedImageSequence[0]
    assert (item.ReferencedSOPClassUID, item.ReferencedSOPInstanceUID) == ("1.2.3", "1.2.3.4")


def test_three_levels_deep() -> None:
    key = "RequestAttributesSequence[0].ScheduledProtocolCodeSequence[1].CodeValue=ABC"
    ds = roundtrip(build(key))
    protocol = ds.RequestAttributesSequence[0].ScheduledProtocolCodeSequence
    assert len(protocol) == 2
    assert protocol[1].CodeValue == "ABC"


def test_wildcard_sets_every_existing_item() -> None:
    ds = build("OtherPatientIDsSequence[2].PatientID=C", "OtherPatientIDsSequence[*].IssuerOfPatientID=HOSP")
    assert [item.IssuerOfPatientID for item in ds.OtherPatientIDsSequence] == ["HOSP"] * 3


def test_wildcard_without_items_is_refused() -> None:
    builder = DatasetBuilder()
    message = refused(builder, "ReferencedImageSequence[*].ReferencedSOPClassUID=1.2")
    assert "cannot insert an unspecified number (wildcard) of items into sequence" in message
    apply(builder, "ReferencedImageSequence")
    assert "wildcard" in refused(builder, "ReferencedImageSequence[*].ReferencedSOPClassUID=1.2")


def test_nested_wildcard_without_items_is_refused_before_any_change() -> None:
    builder = DatasetBuilder()
    refused(builder, "RequestAttributesSequence[0].ScheduledProtocolCodeSequence[*].CodeValue=A")
    assert "RequestAttributesSequence" not in builder.dataset


def test_path_ending_in_a_sequence_creates_an_empty_sequence() -> None:
    ds = build("ReferencedImageSequence")
    assert ds["ReferencedImageSequence"].VR == "SQ"
    assert len(ds.ReferencedImageSequence) == 0
    assert len(roundtrip(ds).ReferencedImageSequence) == 0


def test_path_ending_in_an_existing_sequence_leaves_it_alone() -> None:
    builder = apply(DatasetBuilder(), "ReferencedImageSequence[0].ReferencedSOPClassUID=1.2")
    apply(builder, "ReferencedImageSequence")
    assert len(builder.dataset.ReferencedImageSequence) == 1


def test_path_ending_in_an_item_creates_empty_items() -> None:
    ds = build("ReferencedImageSequence[1]")
    assert len(ds.ReferencedImageSequence) == 2
    assert all(len(item) == 0 for item in ds.ReferencedImageSequence)
    assert len(roundtrip(ds).ReferencedImageSequence) == 2


def test_nested_sequence_leaf_is_created_inside_the_item() -> None:
    ds = build("RequestAttributesSequence[0].ScheduledProtocolCodeSequence")
    assert len(ds.RequestAttributesSequence[0].ScheduledProtocolCodeSequence) == 0


@pytest.mark.parametrize(
    "key",
    ["ReferencedImageSequence=1.2.3", "ReferencedImageSequence[0]=x", "RequestAttributesSequence[0].ScheduledProtocolCodeSequence=x"],
)
def test_value_into_a_sequence_or_item_is_refused(key: str) -> None:
    builder = DatasetBuilder()
    assert "cannot insert a value into a path ending with an item or sequence" in refused(builder, key)
    assert len(builder.dataset) == 0


def test_existing_non_sequence_cannot_be_entered() -> None:
    builder = DatasetBuilder()
    builder.dataset.add_new(0x00109999, "LO", "x")
    assert "non-sequence tag (0010,9999) is followed by more path" in refused(
        builder, "(0010,9999)[0].PatientID=1"
    )


def test_bad_value_deep_in_a_path_creates_nothing() -> None:
    builder = DatasetBuilder()
    refused(builder, "ReferencedImageSequence[3].ReferencedSOPClassUID=1.02")
    assert "ReferencedImageSequence" not in builder.dataset


# -- private tags ---------------------------------------------------------------------


def test_private_creator_is_lo_and_needs_no_reservation() -> None:
    ds = build("(0011,0010)=ACME 1.0")
    assert ds[0x00110010].VR == "LO"
    assert ds[0x00110010].value == "ACME 1.0"


def test_private_element_without_its_creator_is_refused() -> None:
    builder = DatasetBuilder()
    message = refused(builder, "(0011,1001)=0a")
    assert "missing private creator (0011,0010)" in message
    assert 0x00111001 not in builder.dataset
    assert "missing private creator (0011,0012)" in refused(apply(builder, "(0011,0010)=ACME"), "(0011,1201)=0a")


def test_private_element_with_empty_creator_is_refused() -> None:
    builder = apply(DatasetBuilder(), "(0011,0010)")
    assert "missing private creator (0011,0010)" in refused(builder, "(0011,1001)=0a")


def test_unknown_private_element_is_un_hex_bytes_like_dcmtk() -> None:
    ds = build("(0011,0010)=ACME", "(0011,1001)=0a\\ff\\00")
    assert ds[0x00111001].VR == "UN"
    assert ds[0x00111001].value == b"\x0a\xff\x00"
    assert roundtrip(ds)[0x00111001].value.startswith(b"\x0a\xff\x00")


def test_private_dictionary_gives_the_vr_when_the_creator_is_known() -> None:
    ds = roundtrip(build("(0029,0010)=SIEMENS CSA HEADER", "(0029,1008)=IMAGE NUM 4"))
    assert ds[0x00291008].VR == "CS"
    assert ds[0x00291008].value == "IMAGE NUM 4"


def test_private_value_is_checked_against_the_private_vr() -> None:
    builder = apply(DatasetBuilder(), "(0029,0010)=SIEMENS CSA HEADER")
    assert "may only contain upper-case" in refused(builder, "(0029,1008)=lower")


def test_private_tag_inside_an_item_needs_the_creator_in_that_item() -> None:
    builder = DatasetBuilder()
    assert "missing private creator (0011,0010)" in refused(builder, "ReferencedImageSequence[0].(0011,1001)=01")
    assert "ReferencedImageSequence" not in builder.dataset
    apply(builder, "ReferencedImageSequence[0].(0011,0010)=ACME", "ReferencedImageSequence[0].(0011,1001)=01")
    assert roundtrip(builder.dataset).ReferencedImageSequence[0][0x00111001].value.startswith(b"\x01")


def test_unknown_private_element_cannot_be_entered_as_a_sequence() -> None:
    builder = apply(DatasetBuilder(), "(0011,0010)=ACME")
    assert "non-sequence tag (0011,1001) is followed by more path" in refused(builder, "(0011,1001)[0].PatientID=1")


# -- provenance -----------------------------------------------------------------------


def test_top_level_key_is_attributed_to_its_origin() -> None:
    builder = DatasetBuilder()
    apply_key(builder, KeySpec("PatientID", "42", "profile.yaml:12"))
    assert builder.source_of("PatientID") == Source(SourceKind.KEY, "profile.yaml:12")


def test_nested_key_is_attributed_on_the_top_level_tag() -> None:
    builder = DatasetBuilder()
    apply_key(builder, KeySpec("OtherPatientIDsSequence[0].PatientID", "X", "-k #3"))
    assert builder.source_of("OtherPatientIDsSequence") == Source(SourceKind.KEY, "-k #3")
    assert builder.source_of("PatientID") is None


def test_nested_key_replaces_an_earlier_source() -> None:
    builder = DatasetBuilder()
    builder.put("ReferencedImageSequence", [Dataset()], Source(SourceKind.TEMPLATE, "t.dcm"))
    apply_key(builder, KeySpec("ReferencedImageSequence[0].ReferencedSOPClassUID", "1.2", "argv"))
    assert builder.source_of("ReferencedImageSequence") == Source(SourceKind.KEY, "argv")


def test_refused_key_records_no_provenance() -> None:
    builder = DatasetBuilder()
    with pytest.raises(KeyPathError):
        apply_key(builder, KeySpec("ReferencedImageSequence[0].ReferencedSOPClassUID", "x", "argv"))
    assert builder.provenance == {}


def test_empty_string_value_from_a_profile_means_zero_length() -> None:
    builder = DatasetBuilder()
    apply_key(builder, KeySpec("PatientName", "", "p.yaml:3"))
    assert builder.dataset["PatientName"].is_empty


# -- check_key (validate without a dataset) -------------------------------------------


def test_check_key_accepts_good_keys() -> None:
    check_key("AcquisitionDeviceTypeCodeSequence[0].CodeValue", "409898007")
    check_key("ReferencedImageSequence[*].ReferencedSOPClassUID", "1.2.3")
    check_key("ReferencedImageSequence", None)
    check_key("(0011,1001)", "anything")  # creator and VR come from the dataset later
    check_key("(0011,0010)", "ACME")


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        ("StudyDate", "2024-01-01", "DA (date) allows at most 8"),
        ("ReferencedImageSequence[0].ReferencedSOPClassUID", "1.02", "leading zero"),
        ("ReferencedImageSequence", "x", "cannot insert a value into a path ending with an item or sequence"),
        ("ReferencedImageSequence[0]", "x", "cannot insert a value"),
        ("FooBar", "1", "unknown DICOM keyword 'FooBar'"),
        ("(0011,0010)", "x" * 65, "LO (long string) allows at most 64"),
        ("(0010,9999)", "1", "unknown tag (0010,9999)"),
    ],
)
def test_check_key_refuses_bad_keys(path: str, value: str, reason: str) -> None:
    with pytest.raises(KeyPathError) as info:
        check_key(path, value)
    assert reason in str(info.value)
    assert path in str(info.value)


# -- round trip of everything at once -------------------------------------------------


def test_a_full_set_of_keys_round_trips_through_pydicom() -> None:
    ds = build(
        "PatientName=Doe^Jane",
        "PatientID=",
        "PatientBirthDate=19800101",
        "StudyTime=101010.5",
        "AcquisitionDateTime=20240101101010+0100",
        "PatientAge=044Y",
        "StudyInstanceUID=1.2.826.0.1.3680043.2.1125.1",
        "InstanceNumber=3",
        "PixelSpacing=0.5\\0.5",
        "WindowCenter=40",
        "Rows=2",
        "Columns=2",
        "RealWorldValueMappingSequence[0].RealWorldValueFirstValueMapped=0",
        "FrameIncrementPointer=(0018,1063)",
        "(0011,0010)=ACME",
        "(0011,1001)=01\\02",
    )
    back = roundtrip(ds)
    for element in ds:
        assert element.tag in back
    assert back.PatientName == "Doe^Jane"
    assert back["PatientID"].is_empty
    assert [float(v) for v in back.PixelSpacing] == [0.5, 0.5]
    assert back.RealWorldValueMappingSequence[0].RealWorldValueFirstValueMapped == 0
    assert back.AcquisitionDateTime == "20240101101010+0100"
