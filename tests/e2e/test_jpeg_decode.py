"""Progressive and CMYK JPEG decoded instead of passed through (input.jpeg.progressive / cmyk).

Decoded pixels must equal libjpeg-turbo's (Pillow's) decode of the file, be marked lossy
with the JPEG method, and be dciodvfy-clean in every family; the DCMTK behaviours stay
available (accept, -dp) and CMYK is refused by default naming the option.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms
from pydicom import dcmread

from tests.tools import CORPUS, dciodvfy, run_cli

PROGRESSIVE = CORPUS / "jpeg" / "ljt_testimgp.jpg"
CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # libgs-common (.ci/run)
OP_KEYS = ("-k", "ImageLaterality=R", "-k", "AcquisitionDeviceTypeCodeSequence[0].CodeValue=409898007",
           "-k", "AcquisitionDeviceTypeCodeSequence[0].CodingSchemeDesignator=SCT",
           "-k", "AcquisitionDeviceTypeCodeSequence[0].CodeMeaning=Fundus Camera")
FLAGS = {"-sc": (), "-nsc": (), "-vlp": (), "-oph": OP_KEYS}


def pillow_rgb(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


@pytest.mark.parametrize("flag", FLAGS)
def test_progressive_is_decoded_by_default(flag: str, tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    result = run_cli(flag, *FLAGS[flag], PROGRESSIVE, out)
    assert result.code == 0, result.stderr
    check = dciodvfy(out)
    assert check.errors == [] and check.warnings == [], check.output
    ds = dcmread(out)
    assert ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"
    assert ds.PhotometricInterpretation == "RGB"
    assert (ds.LossyImageCompression, ds.LossyImageCompressionMethod) == ("01", "ISO_10918_1")
    assert float(ds.LossyImageCompressionRatio) > 1
    assert np.array_equal(ds.pixel_array, pillow_rgb(PROGRESSIVE))


def test_progressive_decoded_then_compressed_and_reported(tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    report = run_cli(PROGRESSIVE, out, "--dry-run")
    assert "progressive JPEG decoded (input.jpeg.progressive decode)" in report.stdout
    result = run_cli(PROGRESSIVE, out, "--compression", "jpeg-ls")
    assert result.code == 0, result.stderr
    ds = dcmread(out)
    assert ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.4.80"
    assert ds.LossyImageCompression == "01"  # a lossless re-encoding of lossy pixels stays lossy
    assert np.array_equal(ds.pixel_array, pillow_rgb(PROGRESSIVE))


def test_dcmtk_behaviours_stay_available(tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    result = run_cli(PROGRESSIVE, out, "--progressive", "accept")
    assert result.code == 0 and "retired" in result.stderr
    assert dcmread(out).file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.4.55"
    out.unlink()
    result = run_cli(PROGRESSIVE, out, "-dp")
    assert result.code == 1 and "-dp" in result.stderr and not out.exists()
    result = run_cli(PROGRESSIVE, out, "--progressive", "accept", "-dp")  # one group: rightmost wins
    assert result.code == 1


def cmyk_jpeg(tmp_path: Path, icc: bytes | None = None) -> Path:
    values = np.random.default_rng(4).integers(0, 256, (24, 32, 4), dtype=np.uint8)
    path = tmp_path / "cmyk.jpg"
    extra = {"icc_profile": icc} if icc else {}
    Image.fromarray(values, "CMYK").save(path, quality=95, **extra)
    return path


def test_cmyk_is_refused_by_default_naming_the_option(tmp_path: Path) -> None:
    path = cmyk_jpeg(tmp_path)
    result = run_cli(path, tmp_path / "out.dcm")
    assert result.code == 1 and "input.jpeg.cmyk: decode" in result.stderr and "--cmyk decode" in result.stderr


def test_cmyk_decoded_with_pillows_formula_without_a_profile(tmp_path: Path) -> None:
    path = cmyk_jpeg(tmp_path)
    out = tmp_path / "out.dcm"
    result = run_cli(path, out, "--cmyk", "decode", "-vlp")
    assert result.code == 0, result.stderr
    ds = dcmread(out)
    assert (ds.PhotometricInterpretation, ds.LossyImageCompressionMethod) == ("RGB", "ISO_10918_1")
    assert np.array_equal(ds.pixel_array, pillow_rgb(path))
    assert "ICCProfile" not in ds
    check = dciodvfy(out)
    assert check.errors == [] and check.warnings == [], check.output


def test_cmyk_decoded_through_its_icc_profile(tmp_path: Path) -> None:
    path = cmyk_jpeg(tmp_path, CMYK_PROFILE.read_bytes())
    out = tmp_path / "out.dcm"
    result = run_cli(path, out, "--cmyk", "decode")
    assert result.code == 0, result.stderr
    ds = dcmread(out)
    with Image.open(path) as image:
        srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
        cmyk = ImageCms.ImageCmsProfile(io.BytesIO(CMYK_PROFILE.read_bytes()))
        expected = np.asarray(ImageCms.profileToProfile(image, cmyk, srgb, outputMode="RGB"))
    assert np.array_equal(ds.pixel_array, expected)
    assert not np.array_equal(expected, pillow_rgb(path))  # the profile really changed the result
    assert bytes(ds.ICCProfile)[36:40] == b"acsp"  # the sRGB profile of the converted pixels
    assert dciodvfy(out).errors == []
