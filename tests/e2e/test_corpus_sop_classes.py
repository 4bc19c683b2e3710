"""Every convertible corpus image × every SOP class family: valid where the IOD permits it.

The expectation is written here from the standard (PS3.3 §A.8.2–A.8.5 bits,
§C.8.12.1 / §C.8.17.2 / §A.8.5.4 photometric-per-transfer-syntax rules,
§A.41/§A.42 OP bit depths), independently of our IOD tables. Permitted
combinations must give zero dciodvfy errors and zero non-DICOMDIR warnings;
the others must fail with a message naming a family that accepts the image.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom import dcmread

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions, JpegOptions
from img2dcm.readers import read_image
from img2dcm.readers.base import PixelDescription
from tests.tools import SC_PROFILE, CorpusRow, dciodvfy, manifest, run_cli

LOSSY_JPEG = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.55"}
FAMILIES = ("secondary-capture", "multiframe-secondary-capture", "vl-photographic", "ophthalmic-photography")
OP_KEYS = ("keys.ImageLaterality=R",
           "keys.AcquisitionDeviceTypeCodeSequence[0].CodeValue=409898007",
           "keys.AcquisitionDeviceTypeCodeSequence[0].CodingSchemeDesignator=SCT",
           "keys.AcquisitionDeviceTypeCodeSequence[0].CodeMeaning=Fundus Camera")


def permitted(family: str, px: PixelDescription) -> bool:
    """What the standard allows for this pixel format in this IOD family."""
    if family == "secondary-capture":
        return True  # §A.8.1 adds no pixel constraint
    if px.samples_per_pixel == 3:
        colour = "YBR_FULL_422" if px.transfer_syntax in LOSSY_JPEG else "RGB"
        if px.photometric_interpretation != colour:
            return False
    bits = (px.bits_allocated, px.bits_stored)
    if family == "multiframe-secondary-capture":
        if px.samples_per_pixel == 1:
            return bits == (8, 8) or (px.bits_allocated == 16 and 9 <= px.bits_stored <= 16)
        return bits == (8, 8)
    if family == "vl-photographic":
        return bits == (8, 8)
    return bits in ((8, 8), (16, 16))  # ophthalmic photography 8 / 16 bit


def convertible() -> list[tuple[CorpusRow, PixelDescription]]:
    rows = []
    for row in manifest("jpeg/") + manifest("jpegls/") + manifest("bmp/"):
        try:
            # as the example profile reads them: progressive JPEG passed through (DCMTK's way)
            rows.append((row, read_image(row.file, InputOptions(jpeg=JpegOptions(progressive="accept"))).pixels))
        except InputError:
            continue  # rejected inputs are covered by the corpus tests
    return rows


CASES = [(row, pixels, family) for row, pixels in convertible() for family in FAMILIES]


@pytest.mark.parametrize("row,pixels,family", CASES, ids=[f"{r.path}-{f}" for r, _, f in CASES])
def test_every_permitted_combination_is_valid(row: CorpusRow, pixels: PixelDescription, family: str,
                                              tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    sets = ["--set", f"output.sop_class={family}"]
    if family == "ophthalmic-photography":
        for key in OP_KEYS:
            sets += ["--set", key]
    result = run_cli("apply", SC_PROFILE, *sets, row.file, out)
    assert "Traceback" not in result.stderr
    if not permitted(family, pixels):
        assert result.code == 1, f"{family} accepted {pixels}"
        assert "secondary-capture" in result.stderr, result.stderr
        assert not out.exists()
        return
    assert result.code == 0, result.stderr
    check = dciodvfy(out)
    assert check.errors == [] and check.warnings == [], check.output
    assert dcmread(out).file_meta.TransferSyntaxUID == pixels.transfer_syntax


def test_the_matrix_is_not_empty() -> None:
    assert len({row.path for row, _, _ in CASES}) > 120
