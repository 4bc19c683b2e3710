"""`img2dcm apply --dask`: a LocalCluster of 2 worker processes gives what a local run gives.

Same files byte for byte (with the run's time fixed), the same run log, one bad item never
stops the others, and the items of a worker that is lost are converted elsewhere.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydicom import dcmread

from img2dcm.batch.cluster import ClusterSpec, parse_spec, run_dask
from img2dcm.batch.executors import Stop
from img2dcm.batch.grouping import Candidate
from img2dcm.batch.inputs import InputItem
from img2dcm.batch.item import FAILED, WRITTEN, ItemRecord, ItemTask, RunSettings, convert_item
from img2dcm.batch.progress import ProgressDisplay
from img2dcm.batch.runner import RunOptions, run_batch
from img2dcm.profile.load import load_profile
from tests.e2e.test_batch import MANIFEST, RUN_TIME, make_photos, many_photos, outputs, write_profile
from tests.tools import CORPUS, ROOT, SC_PROFILE, run_cli

distributed = pytest.importorskip("distributed") if not os.environ.get("CI") else __import__("distributed")

NOW = datetime(2026, 5, 17, 9, 30, 15, 250000, tzinfo=timezone(timedelta(hours=2)))


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """Two worker processes, one thread each; a worker that dies twice under an item gives it up."""
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                         dashboard_address="127.0.0.1:0")
    yield local
    local.close()


@pytest.fixture()
def site(tmp_path: Path) -> dict[str, Path]:
    photos = tmp_path / "photos"
    make_photos(photos)
    (photos / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    return {"photos": photos, "profile": write_profile(tmp_path, manifest="photos/manifest.csv"),
            "root": tmp_path}


def log_records(path: Path, folder: Path) -> dict[str, dict[str, object]]:
    """Run-log records by input, outputs relative to their folder, without the per-item time."""
    records = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        data.pop("seconds")
        if data.get("output"):
            data["output"] = str(Path(data["output"]).relative_to(folder))
        records[data["input"]] = data
    return records


def batch(site: dict[str, Path], out: Path, **options: object) -> None:
    profile = load_profile(site["profile"])
    summary = run_batch(profile, [site["photos"]], out, RunOptions(now=NOW, **options),  # type: ignore[arg-type]
                        ProgressDisplay(enabled=False))
    assert summary.failed == 0 and summary.written == 5


def test_a_dask_run_writes_the_same_files_and_run_log_as_a_local_run(site: dict[str, Path], cluster) -> None:
    local, remote = site["root"] / "local", site["root"] / "dask"
    batch(site, local, jobs=1)
    batch(site, remote, dask=cluster.scheduler_address)
    ours = {p.relative_to(local): p.read_bytes() for p in local.rglob("*.dcm")}
    theirs = {p.relative_to(remote): p.read_bytes() for p in remote.rglob("*.dcm")}
    assert len(ours) == 5 and ours == theirs  # byte for byte, the same names
    log_local = log_records(local / "img2dcm-run.jsonl", local)
    log_dask = log_records(remote / "img2dcm-run.jsonl", remote)
    assert log_local == log_dask
    assert sorted(str(r["status"]) for r in log_dask.values()) == ["skipped"] + ["written"] * 5


def test_the_command_line_with_a_local_cluster_matches_jobs_one(site: dict[str, Path]) -> None:
    one, dask = site["root"] / "one", site["root"] / "dask"
    assert run_cli("apply", site["profile"], site["photos"], f"{one}/", "--jobs", "1").code == 0
    result = run_cli("apply", site["profile"], site["photos"], f"{dask}/", "--dask", "local:2")
    assert result.code == 0, result.stderr
    assert "I: converted 5, failed 0, skipped 1 (1 not an image)" in result.stderr
    assert not [line for line in result.stderr.splitlines() if not line.startswith(("I:", "W:"))], result.stderr
    a, b = outputs(one), outputs(dask)
    assert set(a) == set(b)
    for uid in a:
        assert a[uid].relative_to(one) == b[uid].relative_to(dask)
        first, second = dcmread(a[uid]), dcmread(b[uid])
        assert [e for e in first if e.keyword not in RUN_TIME] == [e for e in second if e.keyword not in RUN_TIME]
    assert log_records(one / "img2dcm-run.jsonl", one) == log_records(dask / "img2dcm-run.jsonl", dask)


def fragile(task: ItemTask, settings: RunSettings) -> ItemRecord:
    """Runs on the workers: ``die.jpg`` ends its worker process, as the kernel's OOM killer would."""
    if task.candidate.first.path.name == "die.jpg":
        os._exit(9)
    return convert_item(task, settings)


def slow(task: ItemTask, settings: RunSettings) -> ItemRecord:
    """Runs on the workers: slow enough that a worker is busy when it is killed."""
    time.sleep(0.3)
    return convert_item(task, settings)


def jpeg_tasks(folder: Path, names: list[str]) -> list[ItemTask]:
    source = (CORPUS / "jpeg" / "ljt_testorig.jpg").read_bytes()
    for name in names:
        (folder / name).write_bytes(source)
    return [ItemTask(Candidate(inputs=(InputItem(folder / n, folder),), sha256=("0" * 64,))) for n in names]


def test_an_item_that_kills_its_workers_fails_alone_and_the_others_convert(tmp_path: Path, cluster) -> None:
    names = ["a.jpg", "die.jpg", "b.jpg", "c.jpg", "d.jpg"]
    out = tmp_path / "out"
    out.mkdir()
    settings = RunSettings(load_profile(SC_PROFILE), out)
    records = list(run_dask(iter(jpeg_tasks(tmp_path, names)), settings,
                            ClusterSpec(address=cluster.scheduler_address), Stop(), convert=fragile))
    by_name = {Path(r.input).name: r for r in records}
    assert len(records) == len(names) and set(by_name) == set(names)
    assert by_name["die.jpg"].status == FAILED and "worker process" in by_name["die.jpg"].message
    assert sorted(n for n, r in by_name.items() if r.status == WRITTEN) == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"]
    assert sorted(p.name for p in out.iterdir()) == ["a.dcm", "b.dcm", "c.dcm", "d.dcm"]


def test_the_items_of_a_lost_worker_are_converted_elsewhere(tmp_path: Path, cluster) -> None:
    names = [f"p{i:02d}.jpg" for i in range(12)]
    out = tmp_path / "out"
    out.mkdir()
    settings = RunSettings(load_profile(SC_PROFILE), out)
    with distributed.Client(cluster) as client:
        client.wait_for_workers(2, timeout=60)  # the previous test's dead workers are being restarted
        victim = next(iter(client.run(os.getpid).values()))
    records = []
    for record in run_dask(iter(jpeg_tasks(tmp_path, names)), settings,
                           ClusterSpec(address=cluster.scheduler_address), Stop(), convert=slow):
        records.append(record)
        if len(records) == 1:
            os.kill(victim, signal.SIGKILL)  # it is converting an item now
    assert sorted(Path(r.input).name for r in records) == names
    assert all(r.status == WRITTEN for r in records), [r.message for r in records if r.status != WRITTEN]
    assert len(list(out.glob("*.dcm"))) == 12


def test_ctrl_c_finishes_the_items_in_flight_and_resume_completes_the_job(tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    many_photos(photos, 60)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "img2dcm", "apply", str(SC_PROFILE), str(photos), f"{out}/", "--dask", "local:2"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    log = out / "img2dcm-run.jsonl"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and (not log.exists() or len(log.read_text().splitlines()) < 5):
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    _, stderr = process.communicate(timeout=90)
    assert process.returncode == 1, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    logged = [json.loads(line) for line in log.read_text().splitlines()]
    assert all(r["status"] == "written" for r in logged), logged
    assert len(list(out.glob("*.dcm"))) == len(logged) < 60
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left
    resumed = subprocess.run([*command, "--resume"], capture_output=True, text=True, env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert f"I: converted {60 - len(logged)}, failed 0" in resumed.stderr
    assert len(list(out.glob("*.dcm"))) == 60


def test_dask_options_are_checked_before_anything_runs(tmp_path: Path) -> None:
    assert parse_spec("local") == ClusterSpec()
    assert parse_spec("local:3") == ClusterSpec(workers=3)
    assert parse_spec("tcp://10.0.0.5:8786") == ClusterSpec(address="tcp://10.0.0.5:8786")
    assert parse_spec("/shared/scheduler.json") == ClusterSpec(scheduler_file=Path("/shared/scheduler.json"))
    result = subprocess.run([sys.executable, "-m", "img2dcm", "apply", str(SC_PROFILE), "a.jpg", "out/",
                             "--dask", "local:0"], capture_output=True, text=True)
    assert result.returncode == 2 and "must be 1 or more" in result.stderr
    single = run_cli("apply", SC_PROFILE, CORPUS / "jpeg" / "ljt_testorig.jpg", tmp_path / "one.dcm",
                     "--dask", "local")
    assert single.code == 2 and "--dask converts into a folder" in single.stderr
    assert not (tmp_path / "one.dcm").exists()


def test_an_unreachable_scheduler_is_one_line_naming_it(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a free port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jpg").write_bytes((CORPUS / "jpeg" / "ljt_testorig.jpg").read_bytes())
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = run_cli("apply", SC_PROFILE, tmp_path / "in", f"{tmp_path / 'out'}/", "--dask",
                         f"tcp://127.0.0.1:{port}")
    assert result.code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("E:")]
    assert len(errors) == 1 and f"Dask scheduler tcp://127.0.0.1:{port}: cannot connect" in errors[0], result.stderr
    assert "Traceback" not in result.stderr


def test_without_distributed_the_run_says_which_extra_to_install(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if img2dcm[dask] were not installed
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jpg").write_bytes((CORPUS / "jpeg" / "ljt_testorig.jpg").read_bytes())
    result = run_cli("apply", SC_PROFILE, tmp_path / "in", f"{tmp_path / 'out'}/", "--dask", "local:2")
    assert result.code == 1
    assert "E: --dask needs the 'distributed' package: pip install 'img2dcm[dask]'" in result.stderr
    assert not list((tmp_path / "out").glob("*.dcm"))
