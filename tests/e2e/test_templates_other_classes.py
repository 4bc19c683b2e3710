"""Every corpus DICOM file as template for VL Photographic and Ophthalmic Photography.

The Secondary Capture runs are in test_templates_and_sources.py. Here each corpus dicom/
and dicom/charset/ file (CT, MR, NM, CR, SC objects) is the template of a VL Photographic
and of an Ophthalmic Photography image (the latter with Image Laterality and the device
type as keys), on a colour and on a grey JPEG: dciodvfy reports zero errors. The
template's Image Type gives way to the target IOD's rules (with a report note), an
empty VL Content Time is dropped and the template's Source Image Sequence never reaches
the output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydicom import dcmread

from tests.e2e.test_templates_and_sources import SOURCES, ids, write_profile
from tests.tools import CORPUS, dciodvfy, run_cli

IMAGES = {"colour": CORPUS / "jpeg" / "ljt_testorig.jpg", "grey": CORPUS / "jpeg" / "ljt_testimggray.jpg"}
OP_KEYS = {
    "ImageLaterality": "R",
    "AcquisitionDeviceTypeCodeSequence[0].CodeValue": "409898007",
    "AcquisitionDeviceTypeCodeSequence[0].CodingSchemeDesignator": "SCT",
    "AcquisitionDeviceTypeCodeSequence[0].CodeMeaning": "Fundus Camera",
}
#: Image Type each IOD allows (PS3.3 §C.8.12.1.1.6, §C.8.17.2.1.4), as (value 1, value 2, value 3).
ALLOWED = {
    "vl-photographic": ({"ORIGINAL", "DERIVED"}, {"PRIMARY", "SECONDARY"}, {"", "STEREO L", "STEREO R"}),
    "ophthalmic-photography": ({"ORIGINAL"}, {"PRIMARY"}, {""}),  # no corpus template brings a source image
}


def fields(family: str, source: Path) -> dict[str, object]:
    out: dict[str, object] = {"template": {"dicom": str(source)}, "output": {"sop_class": family}}
    if family == "ophthalmic-photography":
        out["keys"] = OP_KEYS
    return out


@pytest.mark.parametrize("image", list(IMAGES))
@pytest.mark.parametrize("family", list(ALLOWED))
@pytest.mark.parametrize("source", SOURCES, ids=ids(SOURCES))
def test_corpus_file_as_template_gives_a_valid_object(source: Path, family: str, image: str,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    result = run_cli("apply", write_profile(tmp_path, **fields(family, source)), IMAGES[image], out)
    assert result.code == 0, result.stderr
    checked = dciodvfy(out)
    assert checked.errors == [], checked.output
    written = dcmread(out)
    image_type = [str(v) for v in written.ImageType] + [""]
    for allowed, value in zip(ALLOWED[family], image_type):
        assert value in allowed, list(written.ImageType)
    assert "SourceImageSequence" not in written
    assert written.get("ContentTime", "x") != ""


def test_replaced_image_type_is_named_in_the_report(tmp_path: Path) -> None:
    source = CORPUS / "dicom" / "CT_small.dcm"
    profile = write_profile(tmp_path, **fields("vl-photographic", source))
    result = run_cli("apply", profile, "--dry-run", "--format", "json", IMAGES["colour"], tmp_path / "out.dcm")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    text = json.dumps(data)
    assert ("ImageType 'ORIGINAL\\\\PRIMARY\\\\AXIAL' from the template is not allowed in VL Photographic Image "
            "(value 3 'AXIAL' is not one of STEREO L, STEREO R): written DERIVED\\\\SECONDARY") in text
    rows = {row["keyword"]: row for row in data["attributes"]}
    assert rows["ImageType"]["source"].startswith("invented (the template's value is not allowed")


def test_op_replaces_a_ct_image_type_whole_and_keeps_the_template_content_date_and_time(tmp_path: Path) -> None:
    """CT_small's ORIGINAL\\PRIMARY\\AXIAL is replaced whole by the OP default, not trimmed."""
    out = tmp_path / "out.dcm"
    source = CORPUS / "dicom" / "CT_small.dcm"
    assert run_cli("apply", write_profile(tmp_path, **fields("ophthalmic-photography", source)),
                   IMAGES["grey"], out).code == 0
    written = dcmread(out)
    assert list(written.ImageType) == ["ORIGINAL", "PRIMARY"]
    assert written.ContentDate == "19970430" and written.ContentTime == "113008"  # the template's, with values
