"""The classic command line end to end, through a subprocess like a user runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pydicom
import pytest
import yaml

from tests.tools import dciodvfy

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
JPEG = CORPUS / "jpeg" / "ljt_testorig.jpg"
BMP = CORPUS / "bmp" / "good" / "rgb24.bmp"
#: Attributes that legitimately differ between two runs.
VOLATILE_VRS = {"UI", "DA", "TM", "DT"}
OPH_KEYS = ["-k", "ImageLaterality=R", "-k", "AcquisitionDeviceTypeCodeSequence[0].CodeValue=409898007",
            "-k", "AcquisitionDeviceTypeCodeSequence[0].CodingSchemeDesignator=SCT",
            "-k", "AcquisitionDeviceTypeCodeSequence[0].CodeMeaning=Fundus Camera"]


def img2dcm(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "img2dcm", *map(str, args)], capture_output=True, cwd=cwd,
                          timeout=60, check=False)


def stable(ds: pydicom.Dataset) -> dict[str, object]:
    """Attributes that must be identical between equivalent runs (no UIDs, dates, times)."""
    result: dict[str, object] = {}
    for elem in ds:
        if elem.VR in VOLATILE_VRS or elem.tag == 0x7FE00010:
            continue
        value = [stable(item) for item in elem.value] if elem.VR == "SQ" else elem.value
        if elem.tag == 0xFFFCFFFC:  # its length follows the (random) UID lengths; only presence is stable
            value = "present"
        result[elem.keyword or str(elem.tag)] = value
    return result


def test_converts_a_jpeg_into_a_valid_secondary_capture(tmp_path: Path) -> None:
    out = tmp_path / "sc.dcm"
    result = img2dcm(JPEG, out)
    assert result.returncode == 0, result.stderr.decode()
    ds = pydicom.dcmread(out)
    assert ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.7"
    assert ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.4.50"
    check = dciodvfy(out)
    assert check.errors == [] and check.warnings == [], check.output


def test_options_among_parameters_and_bmp_input(tmp_path: Path) -> None:
    result = img2dcm("-i", "BMP", BMP, "-k", "PatientID=P7", tmp_path / "b.dcm", "-nsc")
    assert result.returncode == 0, result.stderr.decode()
    ds = pydicom.dcmread(tmp_path / "b.dcm")
    assert ds.PatientID == "P7" and ds.SOPClassUID.startswith("1.2.840.10008.5.1.4.1.1.7.")


def test_dash_writes_the_file_to_stdout() -> None:
    result = img2dcm(JPEG, "-")
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout[128:132] == b"DICM"


def test_usage_error_exit_2_usage_line_and_one_error_line() -> None:
    result = img2dcm("--bogus", JPEG, "out.dcm")
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert lines == ["usage: img2dcm [options] imgfile-in... dcmfile-out", "E: Unknown option --bogus"]


def test_conversion_error_exit_1_names_the_file_without_traceback(tmp_path: Path) -> None:
    result = img2dcm(tmp_path / "missing.jpg", tmp_path / "o.dcm")
    err = result.stderr.decode()
    assert result.returncode == 1
    assert "missing.jpg" in err and err.startswith("E: ") and "Traceback" not in err
    assert not (tmp_path / "o.dcm").exists()


def test_wrong_input_format_is_a_conversion_error(tmp_path: Path) -> None:
    result = img2dcm("-i", "BMP", JPEG, tmp_path / "o.dcm")
    assert result.returncode == 1 and "Traceback" not in result.stderr.decode()


def test_write_dataset_has_no_preamble_and_no_meta(tmp_path: Path) -> None:
    assert img2dcm("-F", JPEG, tmp_path / "d.dcm").returncode == 0
    data = (tmp_path / "d.dcm").read_bytes()
    assert data[:2] == b"\x08\x00" and b"DICM" not in data[:200] and b"\x02\x00\x10\x00" not in data[:300]


def test_padding_create_aligns_the_file(tmp_path: Path) -> None:
    assert img2dcm("+p", "256", "16", JPEG, tmp_path / "p.dcm").returncode == 0
    data = (tmp_path / "p.dcm").read_bytes()
    assert len(data) % 256 == 0
    assert pydicom.dcmread(tmp_path / "p.dcm").get((0xFFFC, 0xFFFC)) is not None


def test_undefined_lengths_reach_the_file(tmp_path: Path) -> None:
    assert img2dcm("-vlp", "-e", JPEG, tmp_path / "e.dcm").returncode == 0
    ds = pydicom.dcmread(tmp_path / "e.dcm")
    sequences = [e for e in ds if e.VR == "SQ"]
    assert sequences and all(e.is_undefined_length for e in sequences)


def test_group_length_create_writes_every_group_length(tmp_path: Path) -> None:
    result = img2dcm("+g", JPEG, tmp_path / "g.dcm")
    assert result.returncode == 0, result.stderr.decode()
    ds = pydicom.dcmread(tmp_path / "g.dcm")
    groups = {elem.tag.group for elem in ds}
    assert all((group, 0x0000) in ds for group in groups)
    assert dciodvfy(tmp_path / "g.dcm").errors == []


def test_group_length_remove_leaves_only_the_meta_group_length(tmp_path: Path) -> None:
    assert img2dcm("-g", JPEG, tmp_path / "g.dcm").returncode == 0
    ds = pydicom.dcmread(tmp_path / "g.dcm")
    assert not [e for e in ds if e.tag.element == 0]
    assert (0x0002, 0x0000) in ds.file_meta


def test_dry_run_writes_nothing_and_reports_json(tmp_path: Path) -> None:
    result = img2dcm("--dry-run", "--format", "json", JPEG, tmp_path / "o.dcm")
    assert result.returncode == 0, result.stderr.decode()
    assert not (tmp_path / "o.dcm").exists()
    json.loads(result.stdout)


def test_version_lists_our_and_library_versions() -> None:
    result = img2dcm(JPEG, "--version")
    out = result.stdout.decode()
    assert result.returncode == 0 and "img2dcm " in out and "pydicom" in out and "PyYAML" in out


def test_log_config_json_dictconfig_routes_messages_to_a_file(tmp_path: Path) -> None:
    log_file = tmp_path / "log.txt"
    config = {"version": 1, "formatters": {"plain": {"format": "%(levelname)s %(message)s"}},
              "handlers": {"file": {"class": "logging.FileHandler", "filename": str(log_file),
                                    "formatter": "plain"}},
              "root": {"level": "INFO", "handlers": ["file"]}}
    (tmp_path / "log.json").write_text(json.dumps(config), encoding="utf-8")
    result = img2dcm("-lc", tmp_path / "log.json", JPEG, tmp_path / "o.dcm")
    assert result.returncode == 0, result.stderr.decode()
    assert "INFO" in log_file.read_text(encoding="utf-8")


def test_verbose_and_quiet(tmp_path: Path) -> None:
    verbose = img2dcm("-v", JPEG, tmp_path / "v.dcm").stderr.decode()
    assert "I: " in verbose and "written" in verbose
    quiet = img2dcm("-q", tmp_path / "missing.jpg", tmp_path / "q.dcm")
    assert quiet.returncode == 1 and quiet.stderr == b""


def test_command_file_with_quotes(tmp_path: Path) -> None:
    (tmp_path / "args").write_text(f'-k "StudyDescription=two words"\n"{JPEG}" out.dcm', encoding="utf-8")
    result = img2dcm("@args", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert pydicom.dcmread(tmp_path / "out.dcm").StudyDescription == "two words"


@pytest.mark.parametrize("options", [
    ["-nsc", "-k", "PatientName=Bond^James", "-k", "SeriesNumber=7", "-k", "(0008,1030)"],
    ["-oph", *OPH_KEYS, "-rc", "-e"],
    ["-vlp", "-ka", "--no-checks", "-i2", "-k", "InstanceNumber=3"],
    ["-g", "+p", "64", "8", "-F", "--no-exif", "-dp", "-de"],
    ["-stf", CORPUS / "dicom" / "charset" / "chrH31.dcm", "-ii"],
    ["-sef", CORPUS / "dicom" / "MR_small.dcm", "-df", CORPUS / "dicom" / "SC_rgb_small_odd.dcm", "-nsc"],
])
def test_emitted_profile_applies_to_the_same_attributes(tmp_path: Path, options: list[str | Path]) -> None:
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(JPEG, work / "in.jpg")
    classic = img2dcm(*options, "in.jpg", "classic.dcm", cwd=work)
    assert classic.returncode == 0, classic.stderr.decode()
    (work / "profiles").mkdir()
    emitted = img2dcm(*options, "--emit-profile", "profiles/p.yaml", "in.jpg", "applied.dcm", cwd=work)
    assert emitted.returncode == 0, emitted.stderr.decode()
    assert not (work / "applied.dcm").exists()
    profile_text = (work / "profiles" / "p.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(profile_text)["run"]["inputs"] == ["../in.jpg"]
    applied = img2dcm("apply", work / "profiles" / "p.yaml", cwd=tmp_path)  # paths from the profile's run
    assert applied.returncode == 0, applied.stderr.decode()
    assert stable(pydicom.dcmread(work / "applied.dcm", force=True)) == stable(
        pydicom.dcmread(work / "classic.dcm", force=True))
    if "+p" in options:
        multiple = int(options[options.index("+p") + 1])
        assert (work / "applied.dcm").stat().st_size % multiple == 0
        assert (work / "classic.dcm").stat().st_size % multiple == 0


def test_emit_profile_to_stdout_is_valid_yaml_with_absolute_paths(tmp_path: Path) -> None:
    result = img2dcm("-df", "t.dcm", "-k", "SeriesNumber=007", "--emit-profile", "-", "a.jpg", "b.dcm",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    data = yaml.safe_load(result.stdout)
    assert data["template"] == {"dicom": str(tmp_path / "t.dcm")}
    assert data["keys"] == {"SeriesNumber": "007"}  # stays text: never re-typed by YAML
    assert result.stdout.decode().startswith("# yaml-language-server")
