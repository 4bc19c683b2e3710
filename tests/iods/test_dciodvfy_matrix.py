"""Every SOP class x every pixel format it permits gives a file dciodvfy passes.

Zero errors and zero warnings other than the "needed to build DICOMDIR" ones;
a missing dciodvfy fails the test (tests.tools.require_tool), never skips it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from img2dcm.errors import ConversionError
from img2dcm.iods.model import PixelFacts
from img2dcm.iods.registry import FAMILIES, accepts
from img2dcm.profile.model import MultiFrameOptions
from tests.iods import ALL_KINDS, fake_image, run, still_families, write
from tests.tools import dciodvfy

OP_KEYS = {
    "ImageLaterality": "L",
    "AcquisitionDeviceTypeCodeSequence[0].CodeValue": "409898007",
    "AcquisitionDeviceTypeCodeSequence[0].CodingSchemeDesignator": "SCT",
    "AcquisitionDeviceTypeCodeSequence[0].CodeMeaning": "Fundus Camera",
}


def _facts(kind: str) -> PixelFacts:
    p = fake_image(kind).pixels
    return PixelFacts(p.samples_per_pixel, p.photometric_interpretation, p.bits_allocated,
                      p.bits_stored, p.high_bit, p.pixel_representation, p.planar_configuration,
                      p.transfer_syntax)


def _permitted(family: str, kind: str, frames: int = 1) -> bool:
    return any(accepts(t, _facts(kind), frames) for t in FAMILIES[family])


MATRIX = [(family, kind) for family in FAMILIES for kind in ALL_KINDS]


def assert_clean(path: Path) -> None:
    result = dciodvfy(path)
    assert result.errors == [] and result.warnings == [], result.output


@pytest.mark.parametrize(("family", "kind"), MATRIX)
def test_every_class_and_permitted_format_is_valid(tmp_path: Path, family: str, kind: str) -> None:
    keys = OP_KEYS if family == "ophthalmic-photography" else None
    if not _permitted(family, kind):
        with pytest.raises(ConversionError):
            run(family, [fake_image(kind)], keys=keys)
        return
    ctx = run(family, [fake_image(kind)], keys=keys)
    assert [f for f in ctx.findings if f.severity == "error"] == []
    assert_clean(write(ctx, tmp_path / "out.dcm"))


def test_the_matrix_covers_each_class() -> None:
    """Guard: every SOP class we write is reached by at least one corpus-like format."""
    from img2dcm.iods.tables import ALL_TABLES

    reached = {t.uid for family in FAMILIES for kind in ALL_KINDS
               for t in FAMILIES[family] if accepts(t, _facts(kind))}
    still = {t.uid for family in still_families() for t in FAMILIES[family]}
    assert reached == still and still < {t.uid for t in ALL_TABLES}  # video: tests/codecs/test_video.py


@pytest.mark.parametrize("kind", ["grey8", "grey16", "rgb8", "bit1", "jpeg-ybr", "jls-rgb"])
@pytest.mark.parametrize("increment", ["frame-time", "page-number"])
def test_multiframe_sc_with_three_frames_is_valid(tmp_path: Path, kind: str, increment: str) -> None:
    ctx = run("multiframe-secondary-capture", [fake_image(kind, name=f"{i}.img") for i in range(3)],
              multiframe=MultiFrameOptions(increment=increment, frame_time=40.0))
    assert ctx.builder.dataset.NumberOfFrames == 3
    assert ctx.findings == []
    assert_clean(write(ctx, tmp_path / "mf.dcm"))


@pytest.mark.parametrize("kind", ["grey8", "rgb8", "jpeg-ybr", "grey16"])
@pytest.mark.parametrize("frames", [1, 2])
def test_op_single_and_multi_frame_is_valid(tmp_path: Path, kind: str, frames: int) -> None:
    ctx = run("ophthalmic-photography", [fake_image(kind, frames=frames)], keys=OP_KEYS)
    assert ctx.findings == []
    assert_clean(write(ctx, tmp_path / "op.dcm"))


def test_16_bit_grey_word_sc_file_has_bits_stored_16(tmp_path: Path) -> None:
    ctx = run("multiframe-secondary-capture", [fake_image("grey16")])
    path = write(ctx, tmp_path / "word.dcm")
    assert_clean(path)
    import pydicom

    ds = pydicom.dcmread(path)
    assert (ds.SOPClassUID, ds.BitsStored) == ("1.2.840.10008.5.1.4.1.1.7.3", 16)
