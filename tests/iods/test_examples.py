"""Our example profiles and templates convert through the real pipeline into dciodvfy-clean files."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest

from tests.tools import ROOT, dciodvfy, run_cli

EXAMPLES = ROOT / "profiles" / "examples"
SAMPLES = EXAMPLES / "samples"


@pytest.mark.parametrize(("profile", "inputs", "sop_class"), [
    ("multiframe-secondary-capture", ["ljt_testorig.jpg", "ljt_testorig.jpg"], "1.2.840.10008.5.1.4.1.1.7.4"),
    ("vl-photographic", ["pillow_flower.jpg"], "1.2.840.10008.5.1.4.1.1.77.1.4"),
    ("ophthalmic-photography", ["pillow_flower.jpg"], "1.2.840.10008.5.1.4.1.1.77.1.5.1"),
    ("video-photographic", ["testsrc2_h264.mp4"], "1.2.840.10008.5.1.4.1.1.77.1.4.1"),
])
def test_example_profile_output_is_valid(tmp_path: Path, profile: str, inputs: list[str], sop_class: str) -> None:
    out = tmp_path / "out.dcm"
    result = run_cli("apply", EXAMPLES / f"{profile}.yaml", *[SAMPLES / name for name in inputs], out)
    assert result.code == 0, result.stderr
    assert pydicom.dcmread(out).SOPClassUID == sop_class
    check = dciodvfy(out)
    assert check.errors == [] and check.warnings == [], check.output


def test_the_batch_example_files_each_photo_under_its_patient_from_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("apply", EXAMPLES / "batch-manifest.yaml", SAMPLES / "clinic", f"{out}/")
    assert result.code == 0, result.stderr
    assert "I: converted 3, failed 0, skipped 1 (1 not an image)" in result.stderr
    written = sorted(out.rglob("*.dcm"))
    assert len(written) == 3
    patients = {}
    for path in written:
        ds = pydicom.dcmread(path)
        assert path.relative_to(out).parts[:3] == (ds.PatientID, ds.StudyInstanceUID, ds.SeriesInstanceUID)
        patients[ds.PatientID] = str(ds.PatientName)
        check = dciodvfy(path)
        assert check.errors == [], check.output
    assert patients == {"SAMPLE-0001": "Doe^Jane", "SAMPLE-0002": "Müller^Jürgen"}


def test_op_template_without_keys_lists_exactly_what_is_missing(tmp_path: Path) -> None:
    result = run_cli("-oph", "-dd", ROOT / "profiles" / "templates" / "op.dump",
                     SAMPLES / "pillow_flower.jpg", tmp_path / "op.dcm")
    assert result.code == 1
    assert "missing for Ophthalmic Photography 8 Bit Image: ImageLaterality (keys: {ImageLaterality: R|L|B}), " \
           "AcquisitionDeviceTypeCodeSequence (keys:" in result.stderr
    assert not (tmp_path / "op.dcm").exists()
