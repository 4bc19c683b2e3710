"""`img2dcm apply` on folders: manifest rows, series tree, resume, interruption, workers, collisions."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from pydicom import dcmread

from tests.tools import CORPUS, ROOT, dciodvfy, run_cli

JPEGS = ["pillow_flower.jpg", "ljt_testorig.jpg", "mozilla_jpg-gray.jpg"]
BMP = CORPUS / "bmp" / "good" / "imagers_Info_4_Bit.bmp"
IMG2DCM = [sys.executable, "-m", "img2dcm"]
#: Attributes that hold the run's time: equal within a run, different between runs.
RUN_TIME = {"StudyDate", "StudyTime", "ContentDate", "ContentTime", "InstanceCreationDate", "InstanceCreationTime",
            "SeriesDate", "SeriesTime", "AcquisitionDate", "AcquisitionTime", "AcquisitionDateTime"}


def make_photos(folder: Path) -> dict[str, Path]:
    """A clinic's folder: two visits as subfolders, mixed formats, and a file that is not an image."""
    visit1, visit2 = folder / "visit1", folder / "visit2"
    visit1.mkdir(parents=True)
    visit2.mkdir()
    files = {
        "a": visit1 / "a.jpg", "b": visit1 / "b.jpg", "c": visit2 / "c.jpg", "d": visit2 / "d.bmp",
        "e": visit2 / "e.png",
    }
    shutil.copy(CORPUS / "jpeg" / JPEGS[0], files["a"])
    shutil.copy(CORPUS / "jpeg" / JPEGS[1], files["b"])
    shutil.copy(CORPUS / "jpeg" / JPEGS[2], files["c"])
    shutil.copy(BMP, files["d"])
    Image.new("RGB", (32, 24), (200, 30, 60)).save(files["e"])
    (visit2 / "notes.txt").write_text("not an image\n")
    return files


def write_profile(folder: Path, **batch: object) -> Path:
    lines = ["version: 1", "output: {sop_class: vl-photographic}", "uids: {root: 1.2.826.0.1.3680043.10.999}",
             "keys: {InstitutionName: Dermatology Clinic}", "batch:"]
    settings = {"output_path": "{PatientID}/{StudyInstanceUID}/{SeriesInstanceUID}/{SOPInstanceUID}.dcm", **batch}
    lines += [f"  {name}: {json.dumps(value)}" for name, value in settings.items()]
    profile = folder / "site.yaml"
    profile.write_text("\n".join(lines) + "\n")
    return profile


MANIFEST = """file,PatientID,PatientName,AccessionNumber,BodyPartExamined
visit1/a.jpg,P001,Doe^Jane,ACC1,ARM
visit1/b.jpg,P001,Doe^Jane,ACC1,LEG
visit2/c.jpg,P002,Müller^Jürgen,ACC2,HAND
visit2/d.bmp,P002,Müller^Jürgen,ACC2,HAND
visit2/e.png,P002,Müller^Jürgen,ACC2,FOOT
"""


@pytest.fixture()
def site(tmp_path: Path) -> dict[str, Path]:
    photos = tmp_path / "photos"
    files = make_photos(photos)
    (photos / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    return {"photos": photos, "profile": write_profile(tmp_path, manifest="photos/manifest.csv"),
            "out": tmp_path / "out", **files}


def outputs(folder: Path) -> dict[str, Path]:
    return {str(dcmread(p, stop_before_pixels=True).SOPInstanceUID): p for p in folder.rglob("*.dcm")}


def run_log(folder: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (folder / "img2dcm-run.jsonl").read_text().splitlines()]


def test_a_folder_with_a_manifest_becomes_a_patient_study_series_tree(site: dict[str, Path]) -> None:
    result = run_cli("apply", site["profile"], site["photos"], f"{site['out']}/", "--jobs", "1")
    assert result.code == 0, result.stderr
    written = outputs(site["out"])
    assert len(written) == 5
    rows = {line.split(",")[0]: line.split(",") for line in MANIFEST.splitlines()[1:]}
    series: dict[str, list[int]] = {}
    for uid, path in written.items():
        ds = dcmread(path)
        relative = path.relative_to(site["out"]).parts
        assert relative == (ds.PatientID, ds.StudyInstanceUID, ds.SeriesInstanceUID, f"{uid}.dcm")
        assert dciodvfy(path).errors == [], path
        source = next(name for name, row in rows.items() if row[4] == ds.BodyPartExamined and row[1] == ds.PatientID)
        assert [ds.PatientID, str(ds.PatientName), ds.AccessionNumber] == rows[source][1:4]
        assert ds.InstitutionName == "Dermatology Clinic"
        series.setdefault(ds.SeriesInstanceUID, []).append(int(ds.InstanceNumber))
    # series_by defaults to the input's folder: visit1 (2 images) and visit2 (3 images)
    assert sorted(sorted(numbers) for numbers in series.values()) == [[1, 2], [1, 2, 3]]
    studies = {dcmread(p).StudyInstanceUID for p in written.values()}
    assert len(studies) == 2
    summary = [line for line in result.stderr.splitlines() if line.startswith("I: converted")]
    assert summary == ["I: converted 5, failed 0, skipped 1 (1 not an image)"]
    log = run_log(site["out"])
    assert sorted(r["status"] for r in log) == ["skipped"] + ["written"] * 5
    assert all(len(str(r["sha256"])) == 64 for r in log)


def test_the_report_names_the_manifest_row_as_the_source(site: dict[str, Path]) -> None:
    result = run_cli("apply", site["profile"], site["a"], f"{site['out']}/", "--dry-run", "--format", "json")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    sources = {row["keyword"]: row["source"] for row in data["attributes"]}
    manifest = site["photos"] / "manifest.csv"
    assert sources["PatientID"] == f"manifest ({manifest}:2)"
    assert sources["InstitutionName"].startswith("key (")
    assert sources["InstanceNumber"] == "generated (batch grouping)"
    assert not site["out"].exists()


def test_a_second_run_with_resume_writes_nothing(site: dict[str, Path]) -> None:
    assert run_cli("apply", site["profile"], site["photos"], f"{site['out']}/", "--jobs", "2").code == 0
    first = {p: p.stat().st_mtime_ns for p in site["out"].rglob("*.dcm")}
    assert len(first) == 5
    result = run_cli("apply", site["profile"], site["photos"], f"{site['out']}/", "--resume")
    assert result.code == 0, result.stderr
    assert {p: p.stat().st_mtime_ns for p in site["out"].rglob("*.dcm")} == first
    assert "I: converted 0, failed 0, skipped 6 (5 already converted (--resume), 1 not an image)" in result.stderr


def test_resume_redoes_a_changed_input_and_a_deleted_output(site: dict[str, Path]) -> None:
    assert run_cli("apply", site["profile"], site["photos"], f"{site['out']}/").code == 0
    before = outputs(site["out"])
    Image.new("RGB", (32, 24), (10, 200, 60)).save(site["e"])  # new content: a new SOP Instance UID
    victim = next(p for p in before.values() if dcmread(p).BodyPartExamined == "ARM")
    victim.unlink()
    result = run_cli("apply", site["profile"], site["photos"], f"{site['out']}/", "--resume")
    assert result.code == 0, result.stderr
    assert "I: converted 2," in result.stderr
    after = outputs(site["out"])
    assert len(after) == 6  # the old e.png object stays; the new one joins it
    assert victim.exists()


def test_a_rerun_gives_the_same_uids_and_random_mode_does_not(site: dict[str, Path], tmp_path: Path) -> None:
    assert run_cli("apply", site["profile"], site["photos"], f"{site['out']}/").code == 0
    again = tmp_path / "again"
    assert run_cli("apply", site["profile"], site["photos"], f"{again}/", "--jobs", "1").code == 0
    assert set(outputs(site["out"])) == set(outputs(again))
    random = tmp_path / "random"
    assert run_cli("apply", site["profile"], site["photos"], f"{random}/", "--set", "uids.mode=random").code == 0
    assert not set(outputs(random)) & set(outputs(again))


def test_jobs_one_and_two_write_the_same_objects(site: dict[str, Path], tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert run_cli("apply", site["profile"], site["photos"], f"{one}/", "--jobs", "1").code == 0
    assert run_cli("apply", site["profile"], site["photos"], f"{two}/", "--jobs", "2").code == 0
    a, b = outputs(one), outputs(two)
    assert set(a) == set(b)
    for uid in a:
        assert a[uid].relative_to(one) == b[uid].relative_to(two)
        first, second = dcmread(a[uid]), dcmread(b[uid])
        for elem in first:
            if elem.keyword not in RUN_TIME:
                assert second[elem.tag] == elem, elem.keyword
        assert len(first) == len(second)


def test_an_input_without_a_manifest_row_fails_naming_it_and_the_rest_convert(site: dict[str, Path]) -> None:
    stray = site["photos"] / "visit2" / "stray.jpg"
    shutil.copy(CORPUS / "jpeg" / JPEGS[1], stray)
    result = run_cli("apply", site["profile"], site["photos"], f"{site['out']}/")
    assert result.code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("E:")]
    assert len(errors) == 1 and str(stray) in errors[0] and "no row in the manifest" in errors[0]
    assert len(outputs(site["out"])) == 5
    failed = [r for r in run_log(site["out"]) if r["status"] == "failed"]
    assert [r["input"] for r in failed] == [str(stray)]


def test_manifest_problems_are_reported_by_line_and_column(site: dict[str, Path], tmp_path: Path) -> None:
    manifest = site["photos"] / "manifest.csv"
    manifest.write_text(MANIFEST.replace("P002,Müller^Jürgen,ACC2,FOOT", "P002,Müller^Jürgen,ACC2,FOOT-IS-MUCH-TOO-LONG")
                        + "visit2/missing.jpg,P9,X^Y,A9,ARM\nvisit1/a.jpg,P001,Doe^Jane,ACC1,ARM\n", encoding="utf-8")
    result = run_cli("validate", site["profile"])
    assert result.code == 1
    assert f"{manifest}:6: BodyPartExamined: bad value" in result.stderr
    assert f"{manifest}:7: file: no such input file: visit2/missing.jpg" in result.stderr
    assert f"{manifest}:8: file: visit1/a.jpg has another row at line 2" in result.stderr
    result = run_cli("apply", site["profile"], site["photos"], f"{site['out']}/")
    assert result.code == 1
    assert len(outputs(site["out"])) == 3  # a.jpg (duplicate rows) and e.png (bad value) fail
    assert f"{manifest}:7: file: no such input file" in result.stderr


def test_an_unknown_manifest_column_stops_the_run_before_anything_is_written(site: dict[str, Path]) -> None:
    manifest = site["photos"] / "manifest.csv"
    manifest.write_text(MANIFEST.replace("BodyPartExamined", "BodyPartExamind"), encoding="utf-8")
    result = run_cli("apply", site["profile"], site["photos"], f"{site['out']}/")
    assert result.code == 1
    assert f"E: {manifest}:1: BodyPartExamind: bad key path 'BodyPartExamind': unknown DICOM keyword" in result.stderr
    assert not list(site["out"].rglob("*.dcm")) if site["out"].exists() else True


def test_two_inputs_naming_one_output_both_fail_and_nothing_is_overwritten(site: dict[str, Path]) -> None:
    profile = write_profile(site["profile"].parent, manifest="photos/manifest.csv", output_path="{PatientID}.dcm")
    result = run_cli("apply", profile, site["photos"], f"{site['out']}/", "--jobs", "1")
    assert result.code == 1
    assert not list(site["out"].glob("*.dcm"))
    collided = [line for line in result.stderr.splitlines() if "map to the same output" in line]
    assert len(collided) == 5  # P001: a and b, P002: c and d, then e joins the P002 collision


def test_an_output_path_leaving_the_folder_is_refused(site: dict[str, Path]) -> None:
    profile = write_profile(site["profile"].parent, manifest="photos/manifest.csv", output_path="../{stem}.dcm")
    result = run_cli("apply", profile, site["photos"], f"{site['out']}/")
    assert result.code == 2 and "must stay inside the output folder" in result.stderr
    assert not list(site["profile"].parent.glob("*.dcm"))


def test_field_values_cannot_climb_out_of_the_output_folder(site: dict[str, Path]) -> None:
    manifest = site["photos"] / "manifest.csv"
    manifest.write_text(MANIFEST.replace("P001", "../../etc"), encoding="utf-8")
    result = run_cli("apply", site["profile"], site["photos"], f"{site['out']}/")
    assert result.code == 0, result.stderr
    assert all(site["out"] in p.parents for p in site["profile"].parent.rglob("*.dcm"))
    assert (site["out"] / "_.._etc").is_dir()


def test_globs_and_warnings_printed_once_with_a_count(tmp_path: Path) -> None:
    for index in range(4):
        shutil.copy(CORPUS / "jpeg" / "pillow_flower.jpg", tmp_path / f"p{index}.jpg")
    profile = ROOT / "profiles" / "examples" / "secondary-capture.yaml"
    result = run_cli("apply", profile, str(tmp_path / "p*.jpg"), f"{tmp_path / 'out'}/")
    assert result.code == 0, result.stderr
    assert len(list((tmp_path / "out").glob("p?.dcm"))) == 4
    warnings = [line for line in result.stderr.splitlines() if line.startswith("W:")]
    assert warnings == [f"W: JPEG file contains non-standard 4:2:0 subsampling (4 files, e.g. {tmp_path / 'p0.jpg'})"]


def test_bad_jobs_is_a_usage_error() -> None:
    profile = ROOT / "profiles" / "examples" / "secondary-capture.yaml"
    result = subprocess.run([*IMG2DCM, "apply", str(profile), "--jobs", "0", "a.jpg", "out/"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "must be 1 or more" in result.stderr


def many_photos(folder: Path, count: int) -> None:
    source = (CORPUS / "jpeg" / "pillow_flower.jpg").read_bytes()
    for index in range(count):
        # a distinct comment segment per file: distinct content, distinct UIDs
        (folder / f"img{index:03d}.jpg").write_bytes(source[:2] + b"\xff\xfe\x00\x06" + f"{index:04d}".encode()
                                                     + source[2:])


def test_a_run_killed_halfway_and_resumed_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    many_photos(photos, 120)
    profile = ROOT / "profiles" / "examples" / "secondary-capture.yaml"
    whole, halves = tmp_path / "whole", tmp_path / "halves"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([*IMG2DCM, "apply", str(profile), str(photos), f"{whole}/", "--jobs", "2"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    process = subprocess.Popen([*IMG2DCM, "apply", str(profile), str(photos), f"{halves}/", "--jobs", "2"],
                               stderr=subprocess.PIPE, text=True, env=env)
    log = halves / "img2dcm-run.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not log.exists() or len(log.read_text().splitlines()) < 10):
        time.sleep(0.01)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    partial = len(list(halves.glob("*.dcm")))
    assert 10 <= partial < 120, partial
    assert not [p for p in halves.iterdir() if p.name.startswith(".")]  # no temporary file left
    logged = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(logged) == partial and all(r["status"] == "written" for r in logged)
    resumed = subprocess.run([*IMG2DCM, "apply", str(profile), str(photos), f"{halves}/", "--resume"],
                             capture_output=True, text=True, env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert f"I: converted {120 - partial}, failed 0" in resumed.stderr
    assert {p.name for p in whole.glob("*.dcm")} == {p.name for p in halves.glob("*.dcm")}
    assert set(outputs(whole)) == set(outputs(halves))
    for path in whole.glob("*.dcm"):
        first, second = dcmread(path), dcmread(halves / path.name)
        assert first.SOPInstanceUID == second.SOPInstanceUID
        assert (first.StudyInstanceUID, first.SeriesInstanceUID, first.InstanceNumber) == \
               (second.StudyInstanceUID, second.SeriesInstanceUID, second.InstanceNumber)
