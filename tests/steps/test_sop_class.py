"""ApplySopClass: the exact class from the pixels, class-fixed values, permission errors."""

from __future__ import annotations

import pytest

from img2dcm.errors import ConversionError
from img2dcm.steps.sop_class import ApplySopClass
from tests.iods import fake_image, make_context, pixel_module, run


def applied(family: str, kind: str):
    ctx = make_context(family, [fake_image(kind)])
    pixel_module(ctx)
    ApplySopClass(family).apply(ctx)
    return ctx


@pytest.mark.parametrize(("family", "kind", "uid"), [
    ("secondary-capture", "rgb8", "1.2.840.10008.5.1.4.1.1.7"),
    ("secondary-capture", "jpeg-12", "1.2.840.10008.5.1.4.1.1.7"),
    ("multiframe-secondary-capture", "bit1", "1.2.840.10008.5.1.4.1.1.7.1"),
    ("multiframe-secondary-capture", "grey8", "1.2.840.10008.5.1.4.1.1.7.2"),
    ("multiframe-secondary-capture", "jpeg-grey", "1.2.840.10008.5.1.4.1.1.7.2"),
    ("multiframe-secondary-capture", "grey12", "1.2.840.10008.5.1.4.1.1.7.3"),
    ("multiframe-secondary-capture", "grey16", "1.2.840.10008.5.1.4.1.1.7.3"),
    ("multiframe-secondary-capture", "rgb8", "1.2.840.10008.5.1.4.1.1.7.4"),
    ("multiframe-secondary-capture", "jpeg-ybr", "1.2.840.10008.5.1.4.1.1.7.4"),
    ("vl-photographic", "jpeg-ybr", "1.2.840.10008.5.1.4.1.1.77.1.4"),
    ("ophthalmic-photography", "grey8", "1.2.840.10008.5.1.4.1.1.77.1.5.1"),
    ("ophthalmic-photography", "grey16", "1.2.840.10008.5.1.4.1.1.77.1.5.2"),
])
def test_class_is_chosen_from_the_pixels(family: str, kind: str, uid: str) -> None:
    ctx = applied(family, kind)
    assert ctx.sop_class_uid == uid
    assert ctx.builder.dataset.SOPClassUID == uid
    assert ctx.builder.source_of("SOPClassUID").kind.value == "sop class"


def test_16_bit_grey_becomes_grayscale_word_with_bits_stored_16() -> None:
    ctx = run("multiframe-secondary-capture", [fake_image("grey16")])
    ds = ctx.builder.dataset
    assert ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.7.3"
    assert ds.BitsStored == 16 and ds.HighBit == 15


@pytest.mark.parametrize(("family", "modality"), [
    ("secondary-capture", "OT"),
    ("multiframe-secondary-capture", "OT"),
    ("vl-photographic", "XC"),
    ("ophthalmic-photography", "OP"),
])
def test_modality_is_always_written(family: str, modality: str) -> None:
    assert applied(family, "grey8").builder.dataset.Modality == modality


def test_sc_keeps_a_template_modality_but_vlp_and_op_overwrite_it() -> None:
    for family, expected in [("secondary-capture", "US"), ("vl-photographic", "XC"),
                             ("ophthalmic-photography", "OP")]:
        ctx = make_context(family, [fake_image("grey8")])
        ctx.builder.dataset.Modality = "US"
        pixel_module(ctx)
        ApplySopClass(family).apply(ctx)
        assert ctx.builder.dataset.Modality == expected, family


def test_grey_multiframe_sc_gets_rescale_and_presentation_lut() -> None:
    ds = applied("multiframe-secondary-capture", "grey8").builder.dataset
    assert (ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType) == (0, 1, "US")
    assert ds.PresentationLUTShape == "IDENTITY"


def test_colour_and_single_bit_multiframe_sc_get_no_rescale() -> None:
    for kind in ("rgb8", "bit1"):
        ds = applied("multiframe-secondary-capture", kind).builder.dataset
        assert "RescaleSlope" not in ds and "PresentationLUTShape" not in ds, kind


def test_op_grey_gets_presentation_lut_and_lossless_flag_00() -> None:
    ds = applied("ophthalmic-photography", "grey8").builder.dataset
    assert ds.PresentationLUTShape == "IDENTITY"
    assert ds.LossyImageCompression == "00"


def test_12_bit_jpeg_into_vl_photographic_names_secondary_capture() -> None:
    with pytest.raises(ConversionError, match=r"BitsAllocated does not fit.*use secondary-capture"):
        applied("vl-photographic", "jpeg-12")


def test_12_bit_grey_into_op_names_multiframe_secondary_capture() -> None:
    with pytest.raises(ConversionError) as caught:
        applied("ophthalmic-photography", "grey12")
    assert "multiframe-secondary-capture" in str(caught.value)
    assert "secondary-capture" in str(caught.value)


def test_rgb_in_lossy_jpeg_is_refused_for_vlp_naming_secondary_capture() -> None:
    image = fake_image("jpeg-ybr")
    pixels = image.pixels.__class__(**{**image.pixels.__dict__, "photometric_interpretation": "RGB"})
    image = image.__class__(image.path, image.format, pixels, image.frames)
    for family in ("vl-photographic", "ophthalmic-photography", "multiframe-secondary-capture"):
        ctx = make_context(family, [image])
        pixel_module(ctx)
        with pytest.raises(ConversionError, match=r"RGB is not permitted .*JPEG Baseline.*use secondary-capture"):
            ApplySopClass(family).apply(ctx)
    ctx = make_context("secondary-capture", [image])
    pixel_module(ctx)
    ApplySopClass("secondary-capture").apply(ctx)  # SC accepts any colour model


def test_ybr_in_jpeg_ls_is_refused_for_vlp() -> None:
    image = fake_image("jls-rgb")
    pixels = image.pixels.__class__(**{**image.pixels.__dict__, "photometric_interpretation": "YBR_FULL_422"})
    image = image.__class__(image.path, image.format, pixels, image.frames)
    ctx = make_context("vl-photographic", [image])
    pixel_module(ctx)
    with pytest.raises(ConversionError, match="YBR_FULL_422 is not permitted"):
        ApplySopClass("vl-photographic").apply(ctx)


def test_unknown_family_is_refused_at_construction() -> None:
    with pytest.raises(ConversionError, match="unknown SOP class 'ct'"):
        ApplySopClass("ct")
