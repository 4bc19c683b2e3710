"""Inputs (files, folders, globs) and output names (fields, sanitising, never outside the folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.dataset import Dataset

from img2dcm.batch.inputs import InputItem, expand_inputs
from img2dcm.batch.naming import output_path, safe_part, template_fields
from img2dcm.errors import UsageError


def tree(root: Path) -> None:
    for name in ("b/2.jpg", "b/1.jpg", "a.jpg", "c/d/e.png", "z.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")


def test_folders_are_walked_in_sorted_order_files_before_subfolders(tmp_path: Path) -> None:
    tree(tmp_path)
    items = expand_inputs([tmp_path])
    assert [i.relative for i in items] == ["a.jpg", "z.txt", "b/1.jpg", "b/2.jpg", "c/d/e.png"]
    assert all(i.found and i.root == tmp_path for i in items)
    assert [i.relpath for i in items] == ["", "", "b", "b", "c/d"]


def test_globs_keep_their_fixed_folder_as_root_and_files_their_own(tmp_path: Path) -> None:
    tree(tmp_path)
    items = expand_inputs([Path(f"{tmp_path}/b/*.jpg"), tmp_path / "a.jpg", tmp_path / "missing.jpg"])
    assert [(i.relative, i.root, i.found) for i in items] == [
        ("1.jpg", tmp_path / "b", True), ("2.jpg", tmp_path / "b", True),
        ("a.jpg", tmp_path, False), ("missing.jpg", tmp_path, False)]
    assert expand_inputs([Path(f"{tmp_path}/**/*.png")])[0].relative == "c/d/e.png"


def test_excluded_and_repeated_files_are_left_out(tmp_path: Path) -> None:
    tree(tmp_path)
    assert tmp_path / "z.txt" not in [i.path for i in expand_inputs([tmp_path], frozenset({tmp_path / "z.txt"}))]
    twice = expand_inputs([tmp_path / "a.jpg", tmp_path])
    assert [i.relative for i in twice] == ["a.jpg", "z.txt", "b/1.jpg", "b/2.jpg", "c/d/e.png"]
    assert twice[0].found is False


def test_names_use_input_fields_and_dataset_keywords(tmp_path: Path) -> None:
    item = InputItem(tmp_path / "in" / "visit 1" / "IMG_01.JPG", tmp_path / "in")
    ds = Dataset()
    ds.PatientID = "P/01"
    ds.PatientName = ""
    target = output_path("{PatientID}/{relpath}/{stem}-{PatientName}.{ext}.dcm", tmp_path / "out", item, ds)
    assert target == tmp_path / "out" / "P_01" / "visit 1" / "IMG_01-unknown.JPG.dcm"


@pytest.mark.parametrize("value", ["..", "../..", "/etc/passwd", ".hidden", "a\x00b", "C:\\x"])
def test_no_value_can_leave_the_output_folder(tmp_path: Path, value: str) -> None:
    ds = Dataset()
    ds.PatientID = value
    target = output_path("{PatientID}/{stem}.dcm", tmp_path, InputItem(tmp_path / "a.jpg", tmp_path), ds)
    assert target.parent.parent == tmp_path and not target.parent.name.startswith(".")
    assert "/" not in safe_part(value) and "\x00" not in safe_part(value)


@pytest.mark.parametrize(("template", "message"), [
    ("../{stem}.dcm", "must stay inside"), ("/abs/{stem}.dcm", "must stay inside"),
    ("{Nonsense}.dcm", "unknown field {Nonsense}"), ("{stem.dcm", "batch.output_path"),
])
def test_bad_templates_are_usage_errors(template: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        template_fields(template)
