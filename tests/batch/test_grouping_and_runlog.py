"""Grouping into studies and series, deterministic UIDs, the run log and the worker pool."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from pydicom.uid import UID

from img2dcm.batch import executors
from img2dcm.batch.executors import Stop, run_pool
from img2dcm.batch.grouping import Candidate, Grouper, base_dataset, profile_fingerprint
from img2dcm.batch.inputs import InputItem
from img2dcm.batch.item import FAILED, WRITTEN, ItemRecord, ItemTask, RunSettings
from img2dcm.batch.manifest import load_manifest
from img2dcm.batch.runlog import RunLog, done_before, latest_records
from img2dcm.profile.load import load_profile
from img2dcm.profile.model import BatchOptions, KeySpec, Profile
from img2dcm.uids import derived_uid
from tests.tools import CORPUS, SC_PROFILE


def candidate(root: Path, relative: str, digest: str = "0" * 64, **kw: object) -> Candidate:
    return Candidate(inputs=(InputItem(root / relative, root),), sha256=(digest,), **kw)  # type: ignore[arg-type]


def test_series_follow_the_folder_and_studies_the_patient_numbers_follow_input_order(tmp_path: Path) -> None:
    profile = Profile(uid_root="1.2.3")
    grouper = Grouper(profile, base_dataset(profile))
    ids = [grouper.assign(candidate(tmp_path, name)) for name in ("x/1.jpg", "y/1.jpg", "x/2.jpg", "x/3.jpg")]
    assert [(i.series_number, i.instance_number) for i in ids] == [(1, 1), (2, 1), (1, 2), (1, 3)]
    assert len({i.study_uid for i in ids}) == 1 and len({i.series_uid for i in ids}) == 2
    assert len({i.sop_uid for i in ids}) == 4
    assert all(UID(u).is_valid and u.startswith("1.2.3.") and len(u) <= 64
               for i in ids for u in (i.study_uid, i.series_uid, i.sop_uid))


def test_values_come_from_the_row_then_the_keys(tmp_path: Path) -> None:
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "m.csv").write_text("file,PatientID\na.jpg,P1\nb.jpg,P2\n")
    manifest = load_manifest(tmp_path / "m.csv")
    profile = Profile(keys=(KeySpec("PatientID", "FROM-KEYS"),), batch=BatchOptions(series_by=("PatientID",)))
    grouper = Grouper(profile, base_dataset(profile))
    ids = [grouper.assign(candidate(tmp_path, n, row=manifest.row_for(tmp_path / n))) for n in ("a.jpg", "b.jpg", "c.jpg")]
    assert len({i.study_uid for i in ids}) == 3  # P1, P2, FROM-KEYS
    assert [i.series_number for i in ids] == [1, 1, 1]


def test_deterministic_uids_depend_on_content_path_row_and_profile_only(tmp_path: Path) -> None:
    profile = Profile(uid_root="1.2.3")

    def sop(p: Profile, relative: str = "a/1.jpg", digest: str = "0" * 64, root: Path = tmp_path) -> str:
        return Grouper(p, base_dataset(p)).assign(candidate(root, relative, digest)).sop_uid

    assert sop(profile) == sop(profile)
    assert sop(profile, root=tmp_path / "moved") == sop(profile)  # the tree moved: same UIDs
    assert sop(profile, digest="1" * 64) != sop(profile)
    assert sop(profile, relative="a/2.jpg") != sop(profile)
    assert sop(replace(profile, keys=(KeySpec("PatientID", "X"),))) != sop(profile)
    assert sop(replace(profile, name="renamed", description="d", source="elsewhere.yaml")) == sop(profile)
    assert sop(replace(profile, uid_mode="random")) != sop(replace(profile, uid_mode="random"))


def test_the_fingerprint_counts_a_template_by_content_not_place(tmp_path: Path) -> None:
    profile = load_profile(SC_PROFILE)
    assert profile_fingerprint(profile) == profile_fingerprint(replace(profile, source="x"))
    assert derived_uid(None, "a") == derived_uid(None, "a") != derived_uid(None, "a", "")


def test_resume_trusts_only_a_whole_unchanged_output(tmp_path: Path) -> None:
    output = tmp_path / "o.dcm"
    output.write_bytes(b"1234")
    log = RunLog(tmp_path / "run.jsonl")
    record = ItemRecord("in.jpg", "ab", str(output), "1.2", WRITTEN, "ok", 0.1, bytes=4)
    log.append(record.log_line())
    log.handle.write('{"input": "in.jpg", "status": "fail')  # a line torn by a kill
    log.close()
    latest = latest_records(tmp_path / "run.jsonl")["in.jpg"]
    assert done_before(latest, "ab")
    assert not done_before(latest, "cd")  # input changed
    output.write_bytes(b"12")  # cut short by a crash
    assert not done_before(latest, "ab")
    output.unlink()
    assert not done_before(latest, "ab")
    assert json.loads(record.log_line())["bytes"] == 4


def test_a_worker_that_dies_fails_only_its_item_and_the_pool_goes_on(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    real = executors.convert_item

    def fragile(task: ItemTask, settings: RunSettings) -> ItemRecord:
        if task.candidate.first.path.name == "die.jpg":
            os._exit(9)  # as the kernel's OOM killer would end it
        return real(task, settings)

    monkeypatch.setattr(executors, "convert_item", fragile)
    source = CORPUS / "jpeg" / "ljt_testorig.jpg"
    names = ["a.jpg", "die.jpg", "b.jpg", "c.jpg"]
    for name in names:
        (tmp_path / name).write_bytes(source.read_bytes())
    profile = load_profile(SC_PROFILE)
    tasks = iter([ItemTask(candidate(tmp_path, n)) for n in names])
    out = tmp_path / "out"
    out.mkdir()
    records = list(run_pool(tasks, RunSettings(profile, out), 2, Stop()))
    by_name = {Path(r.input).name: r for r in records}
    assert set(by_name) == set(names)
    assert by_name["die.jpg"].status == FAILED and "worker process" in by_name["die.jpg"].message
    # the items that shared the dead pool are tried again alone, and convert
    assert sorted(n for n, r in by_name.items() if r.status == WRITTEN) == ["a.jpg", "b.jpg", "c.jpg"]
    assert all((out / f"{n[0]}.dcm").is_file() for n in ("a", "b", "c"))
    assert len(records) == 4


def test_the_progress_bar_shows_counts_and_failures_on_a_terminal() -> None:
    import io

    from rich.console import Console

    from img2dcm.batch.progress import ProgressDisplay, Summary

    screen = io.StringIO()
    display = ProgressDisplay(enabled=True, console=Console(file=screen, force_terminal=True, width=120))
    summary = Summary()
    display.start(3)
    for status in (WRITTEN, FAILED, WRITTEN):
        record = ItemRecord("x.jpg", "", None, None, status, "x.jpg: broken" if status == FAILED else "", 0.0)
        summary.add(record)
        if status == FAILED:
            display.failure(record.message)
        display.advance(summary)
    display.bar.refresh()
    display.stop()
    text = screen.getvalue()
    assert "E: x.jpg: broken" in text and "3/3" in text and "1 failed" in text
    assert summary.lines()[0] == "converted 2, failed 1, skipped 0"
