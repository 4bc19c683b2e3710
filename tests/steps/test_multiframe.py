"""MultiFrameAttributes: agreement of all frames, Number of Frames, Frame Increment Pointer."""

from __future__ import annotations

import dataclasses

import pytest
from pydicom.tag import Tag

from img2dcm.errors import ConversionError
from img2dcm.profile.model import MultiFrameOptions
from tests.iods import fake_image, run

NSC = "multiframe-secondary-capture"


def test_single_frame_nsc_has_number_of_frames_but_no_pointer() -> None:
    ds = run(NSC, [fake_image("grey8")]).builder.dataset
    assert ds.NumberOfFrames == 1
    for keyword in ("FrameIncrementPointer", "FrameTime", "PageNumberVector"):
        assert keyword not in ds, keyword


def test_several_inputs_get_frame_time_pointer() -> None:
    ds = run(NSC, [fake_image("grey8"), fake_image("grey8")]).builder.dataset
    assert ds.NumberOfFrames == 2
    assert ds.FrameIncrementPointer == Tag("FrameTime")
    assert float(ds.FrameTime) == 1000.0


def test_frame_time_comes_from_the_profile() -> None:
    ds = run(NSC, [fake_image("grey8", frames=2)], multiframe=MultiFrameOptions(frame_time=33.3)).builder.dataset
    assert str(ds.FrameTime) == "33.3"


def test_pages_get_a_page_number_vector() -> None:
    ds = run(NSC, [fake_image("rgb8", frames=3)],
             multiframe=MultiFrameOptions(increment="page-number")).builder.dataset
    assert ds.FrameIncrementPointer == Tag("PageNumberVector")
    assert list(ds.PageNumberVector) == [1, 2, 3]
    assert "FrameTime" not in ds


def test_frames_of_one_multi_page_image_count() -> None:
    ds = run(NSC, [fake_image("grey8", frames=2), fake_image("grey8", frames=3)]).builder.dataset
    assert ds.NumberOfFrames == 5


def test_op_single_frame_still_gets_pointer_and_frame_time() -> None:
    keys = {"ImageLaterality": "R", "AcquisitionDeviceTypeCodeSequence[0].CodeValue": "409898007",
            "AcquisitionDeviceTypeCodeSequence[0].CodingSchemeDesignator": "SCT",
            "AcquisitionDeviceTypeCodeSequence[0].CodeMeaning": "Fundus Camera"}
    ds = run("ophthalmic-photography", [fake_image("grey8")], keys=keys).builder.dataset
    assert ds.NumberOfFrames == 1
    assert ds.FrameIncrementPointer == Tag("FrameTime")
    assert float(ds.FrameTime) == 1000.0  # DCMTK writes 0


def test_op_refuses_page_numbers() -> None:
    with pytest.raises(ConversionError, match="'page-number' is not available in Ophthalmic Photography 8 Bit Image; use frame-time"):
        run("ophthalmic-photography", [fake_image("grey8", frames=2)],
            multiframe=MultiFrameOptions(increment="page-number"))


@pytest.mark.parametrize("family", ["secondary-capture", "vl-photographic"])
def test_single_frame_class_with_two_inputs_names_the_multiframe_classes(family: str) -> None:
    with pytest.raises(ConversionError) as caught:
        run(family, [fake_image("grey8"), fake_image("grey8")])
    message = str(caught.value)
    assert "holds one frame but 2 input(s) give 2 frames" in message
    assert message.endswith("use multiframe-secondary-capture or ophthalmic-photography")


def test_two_12_bit_frames_into_sc_name_only_the_class_that_fits() -> None:
    with pytest.raises(ConversionError, match=r"use multiframe-secondary-capture$"):
        run("secondary-capture", [fake_image("grey12", frames=2)])


@pytest.mark.parametrize(("field", "value", "label"), [
    ("rows", 7, "Rows"),
    ("samples_per_pixel", 3, "SamplesPerPixel"),
    ("photometric_interpretation", "MONOCHROME1", "PhotometricInterpretation"),
    ("bits_stored", 7, "BitsStored"),
    ("transfer_syntax", "1.2.840.10008.1.2.4.80", "transfer syntax"),
])
def test_frames_must_agree(field: str, value: object, label: str) -> None:
    first = fake_image("grey8", name="a.img")
    other = fake_image("grey8", name="b.img")
    other = dataclasses.replace(other, pixels=dataclasses.replace(other.pixels, **{field: value}))
    with pytest.raises(ConversionError, match=rf"^{label} differs between frames: a.img has .*, b.img has {value}"):
        run(NSC, [first, other])


def test_the_agreement_check_sees_the_last_frame_too() -> None:
    images = [fake_image("grey8", name=f"{i}.img") for i in range(3)]
    images[2] = dataclasses.replace(images[2], pixels=dataclasses.replace(images[2].pixels, columns=9))
    with pytest.raises(ConversionError, match="Columns differs between frames: 0.img has 8, 2.img has 9"):
        run(NSC, images)


def test_template_multiframe_leftovers_are_removed_for_single_frame_classes() -> None:
    template = {"NumberOfFrames": 4, "FrameIncrementPointer": Tag("FrameTime"), "FrameTime": "40"}
    ctx = run("secondary-capture", [fake_image("grey8")], template=template)
    for keyword in template:
        assert keyword not in ctx.builder.dataset
    assert ctx.findings == []
