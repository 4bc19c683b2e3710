"""The public Python API, called as a user would: import img2dcm, load a profile, convert, plan."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom.dataset import Dataset

import img2dcm
from tests.tools import CORPUS, ROOT, SC_PROFILE, dciodvfy, run_cli

JPEG = CORPUS / "jpeg" / "pillow_flower.jpg"
GREY = CORPUS / "jpeg" / "mozilla_jpg-gray.jpg"
TRUNCATED = CORPUS / "jpeg" / "pillow_truncated_jpeg.jpg"


def test_the_public_names_are_exported_and_import_img2dcm_stays_light() -> None:
    assert set(img2dcm.__all__) >= {"load_profile", "convert", "plan", "Profile", "Img2DcmError", "InputError",
                                    "ProfileError", "BatchError", "__version__"}
    for name in img2dcm.__all__:
        assert getattr(img2dcm, name) is not None
    assert issubclass(img2dcm.InputError, img2dcm.Img2DcmError)
    code = "import sys, img2dcm; print('pydicom' in sys.modules, 'numpy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert result.stdout.split() == ["False", "False"]


def test_profiles_load_from_files_and_mappings_with_the_cli_messages(tmp_path: Path) -> None:
    assert img2dcm.load_profile(SC_PROFILE).name == "secondary-capture"
    profile = img2dcm.load_profile({"version": 1, "output": {"sop_class": "vl-photographic"}})
    assert isinstance(profile, img2dcm.Profile) and profile.output.sop_class == "vl-photographic"
    with pytest.raises(img2dcm.ProfileError) as caught:
        img2dcm.load_profile({"version": 1, "outputs": {}})
    assert caught.value.problems == ["<mapping>: outputs: unknown field (allowed: batch, charset, checks, description, "
                                     "input, keys, name, output, run, send, sources, template, uids, version)"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\noutput: {sop_class: vl-foto}\n")
    with pytest.raises(img2dcm.ProfileError) as caught:
        img2dcm.load_profile(bad)
    cli = run_cli("validate", bad)
    assert caught.value.problems == cli.stderr.splitlines() and len(caught.value.problems) == 1


@pytest.mark.parametrize("kind", ["path", "str", "bytes", "file"])
def test_convert_in_memory_gives_complete_datasets_equal_to_the_written_file(
        tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    source = {"path": JPEG, "str": str(JPEG), "bytes": JPEG.read_bytes(), "file": JPEG.open("rb")}[kind]
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    [dataset] = img2dcm.convert(SC_PROFILE, source, keys={"PatientID": "API-1"})
    assert not list(private.iterdir())  # nothing left behind (bytes and files are spooled, then removed)
    assert isinstance(dataset, Dataset) and dataset.PatientID == "API-1"
    out = tmp_path / "cli.dcm"
    assert run_cli("apply", SC_PROFILE, JPEG, out).code == 0
    assert dataset.PixelData == dcmread(out).PixelData
    assert dataset.SOPInstanceUID != dcmread(out).SOPInstanceUID  # PatientID is part of the profile's name
    saved = tmp_path / "api.dcm"
    dataset.save_as(saved, enforce_file_format=True)
    assert dciodvfy(saved).errors == []
    decoded = dataset.pixel_array  # pylibjpeg decodes the fragment: the pixels are all there
    assert decoded.shape == (dataset.Rows, dataset.Columns, 3)


def test_several_inputs_give_a_series_or_one_multiframe_object() -> None:
    datasets = img2dcm.convert(SC_PROFILE, [JPEG, GREY])
    assert [int(ds.InstanceNumber) for ds in datasets] == [1, 2]
    assert len({ds.SeriesInstanceUID for ds in datasets}) == 1
    [multi] = img2dcm.convert(SC_PROFILE, [GREY, GREY], combine=True,
                              **{"output.sop_class": "multiframe-secondary-capture"})
    assert int(multi.NumberOfFrames) == 2


def test_errors_are_our_exceptions_with_one_line_naming_the_input(tmp_path: Path) -> None:
    with pytest.raises(img2dcm.InputError) as caught:
        img2dcm.convert(SC_PROFILE, b"not an image at all")
    assert str(caught.value).startswith("<input 0: 19 bytes>: unrecognised image format")
    assert "img2dcm-api-" not in str(caught.value)
    with pytest.raises(img2dcm.InputError, match="^upload.jpg: "):
        img2dcm.convert(SC_PROFILE, _named(b"\xff\xd8garbage"))
    with pytest.raises(img2dcm.UsageError, match="not a path, bytes or a binary file object"):
        img2dcm.convert(SC_PROFILE, [42])  # type: ignore[list-item]


def _named(data: bytes) -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.name = "/uploads/upload.jpg"  # type: ignore[attr-defined]
    return stream


def test_files_and_folders_are_written_as_the_command_line_writes_them(tmp_path: Path) -> None:
    [single] = img2dcm.convert(SC_PROFILE, JPEG, tmp_path / "one.dcm")
    assert single == tmp_path / "one.dcm" and dciodvfy(single).errors == []
    paths = img2dcm.convert(SC_PROFILE, [JPEG, GREY], f"{tmp_path / 'batch'}/")
    assert sorted(p.name for p in paths) == ["mozilla_jpg-gray.dcm", "pillow_flower.dcm"]
    with pytest.raises(img2dcm.BatchError) as caught:
        img2dcm.convert(SC_PROFILE, [JPEG, TRUNCATED], f"{tmp_path / 'partial'}/")
    assert [p.name for p in caught.value.written] == ["pillow_flower.dcm"]
    assert len(caught.value.failures) == 1 and str(TRUNCATED) in caught.value.failures[0]


def test_plan_returns_the_dry_run_report_as_data(tmp_path: Path) -> None:
    [report] = img2dcm.plan(SC_PROFILE, JPEG, keys={"PatientName": "Api^Test"})
    sources = {row["keyword"]: row["source"] for row in report["attributes"]}
    assert sources["PatientName"] == f"key ({SC_PROFILE} (with overrides))"
    assert report["sop_class"]["name"] == "Secondary Capture Image"
    assert report["inputs"] == [str(JPEG.absolute())] and report["output"] is None
    cli = run_cli("apply", SC_PROFILE, "--dry-run", "--format", "json", JPEG, tmp_path / "x.dcm")
    assert [s["title"] for s in report["steps"]] == [s["title"] for s in __import__("json").loads(cli.stdout)["steps"]]
    assert not list(tmp_path.iterdir())


def test_overrides_need_a_profile_the_api_loaded() -> None:
    from img2dcm.profile.model import Profile

    with pytest.raises(img2dcm.UsageError, match="load_profile"):
        img2dcm.convert(Profile(), JPEG, uids__mode="random")
    with pytest.raises(img2dcm.ProfileError, match="uids.mode"):
        img2dcm.convert(SC_PROFILE, JPEG, uids__mode="sometimes")


def test_the_docs_examples_run_unchanged(tmp_path: Path) -> None:
    """Every ```python block of docs/api.md, run in a fresh interpreter in an empty folder."""
    import re

    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 2
    for number, code in enumerate(blocks):
        folder = tmp_path / f"example{number}"
        folder.mkdir()
        result = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True,
                                env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, timeout=120)
        assert result.returncode == 0, f"block {number}:\n{result.stderr}"
    assert dciodvfy(tmp_path / "example0" / "photo.dcm").errors == []
    assert (tmp_path / "example0" / "out" / "photo.dcm").is_file()
    assert "unrecognised image format" in result.stdout
