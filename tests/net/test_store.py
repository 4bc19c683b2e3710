"""C-STORE and C-ECHO against DCMTK storescp: byte-identical delivery, contexts, refusals, resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydicom import dcmread

from img2dcm.net import Delivery, RunLog, deliver, read_run_log
from img2dcm.profile.model import SendOptions
from tests.net.files import dataset_bytes, received
from tests.net.servers import free_port
from tests.tools import run_cli

FAST = SendOptions(retries=2, backoff=0.05, timeout=5)


def records(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("kind", ["jpeg", "native"])
def test_send_folder_arrives_byte_identical(kind, make_objects, storescp, tmp_path):
    paths = make_objects(5, kind)
    peer = storescp()
    log = tmp_path / "send.jsonl"
    result = run_cli("send", f"dicom://STORESCP@127.0.0.1:{peer.port}", paths[0].parent, "--run-log", log)
    assert result.code == 0, result.stderr
    assert "5 sent, 0 sent with a warning, 0 unsent" in result.stdout
    got = received(Path(peer.argv[peer.argv.index("-od") + 1]))
    assert len(got) == 5
    for path in paths:
        uid = dcmread(path, stop_before_pixels=True).SOPInstanceUID
        assert dataset_bytes(got[uid]) == dataset_bytes(path)
    rows = records(log)
    assert [r["status"] for r in rows] == ["sent"] * 5
    assert {r["destination"] for r in rows} == {f"dicom://STORESCP@127.0.0.1:{peer.port}"}
    assert all(set(r) == {"output", "destination", "status", "message", "seconds"} for r in rows)


def test_many_objects_share_one_association(make_objects, storescp):
    paths = make_objects(4, "jpeg") + make_objects(3, "native", folder="native")
    peer = storescp()
    with Delivery([f"dicom://STORESCP@127.0.0.1:{peer.port}"], FAST) as delivery:
        from img2dcm.net.contexts import read_header

        delivery.prepare([read_header(p) for p in paths])
        opened = []
        for path in paths:
            assert [r.status for r in delivery.send(path)] == ["sent"]
            opened.append(id(next(iter(delivery.sessions.values())).assoc))  # type: ignore[attr-defined]
    assert len(set(opened)) == 1


def test_peer_without_jpeg_context_fails_that_object_naming_sop_class_syntax_and_peer(make_objects, storescp):
    jpeg, native = make_objects(1, "jpeg")[0], make_objects(1, "native", folder="n")[0]
    peer = storescp(accept_all=False)  # storescp's default: uncompressed syntaxes only
    url = f"dicom://STORESCP@127.0.0.1:{peer.port}"
    out = {r.output: r for r in deliver([jpeg, native], [url], FAST)}
    bad = out[str(jpeg)]
    assert bad.status == "unsent"
    assert "Secondary Capture Image Storage" in bad.message
    assert "JPEG Baseline (Process 1)" in bad.message
    assert f"STORESCP@127.0.0.1:{peer.port}" in bad.message
    assert "after" not in bad.message  # a refusal by the peer is final, not retried
    assert out[str(native)].status == "sent"


def test_refused_association_is_unsent_with_a_one_line_reason(make_objects, tmp_path):
    paths = make_objects(3, "jpeg")
    port = free_port()  # nothing listens here
    log = tmp_path / "log.jsonl"
    result = run_cli("send", f"dicom://NOBODY@127.0.0.1:{port}", *paths, "--run-log", log, "--retries", "1")
    assert result.code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("E:")]
    assert f"NOBODY@127.0.0.1:{port}" in lines[-1] and "0 sent" in lines[-1] and "3 unsent" in lines[-1]
    assert "Traceback" not in result.stderr
    rows = records(log)
    assert [r["status"] for r in rows] == ["unsent"] * 3
    assert "connection refused" in rows[0]["message"] and "after 2 attempts" in rows[0]["message"]
    assert "not attempted" in rows[1]["message"]  # the peer was given up: no second round of retries


def test_peer_killed_in_the_middle_of_50_objects_then_resume_delivers_the_rest(make_objects, storescp, tmp_path):
    paths = make_objects(50, "native")
    folder = tmp_path / "pacs"
    peer = storescp(folder)
    url = f"dicom://STORESCP@127.0.0.1:{peer.port}"
    log = tmp_path / "img2dcm-run.jsonl"
    first = []
    for record in RunLog(log).append(deliver(paths, [url], FAST)):
        first.append(record)
        if len(first) == 20:
            peer.kill()  # SIGKILL with the association open
    statuses = [r.status for r in first]
    assert len(first) == 50 and statuses[:20] == ["sent"] * 20 and statuses[20:] == ["unsent"] * 30
    assert len(read_run_log(log).pending(url)) == 30

    storescp(folder, port=peer.port)  # the PACS is back, same address
    result = run_cli("send", url, "--resume", log)
    assert result.code == 0, result.stderr
    assert "30 sent" in result.stdout
    assert read_run_log(log).pending(url) == []
    assert len(received(folder)) == 50  # exactly 50 distinct instances, nothing lost
    again = run_cli("send", url, "--resume", log)
    assert "0 sent, 0 sent with a warning, 0 unsent" in again.stdout


def test_resume_reads_the_batch_run_log_written_items(make_objects, storescp, tmp_path):
    paths = make_objects(3, "jpeg")
    log = tmp_path / "img2dcm-run.jsonl"
    lines = [{"input": "a.jpg", "output": str(p), "status": "written"} for p in paths]
    lines.insert(1, {"input": "broken.jpg", "status": "failed", "message": "not an image"})
    log.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    peer = storescp()
    url = f"dicom://STORESCP@127.0.0.1:{peer.port}"
    result = run_cli("send", url, "--resume", log)
    assert result.code == 0, result.stderr
    assert "3 sent" in result.stdout
    assert len(records(log)) == 4 + 3


def test_echo_reports_round_trip_and_refusal(storescp):
    peer = storescp()
    ok = run_cli("echo", f"dicom://STORESCP@127.0.0.1:{peer.port}")
    assert ok.code == 0 and "C-ECHO ok in" in ok.stdout
    port = free_port()
    bad = run_cli("echo", f"dicom://STORESCP@127.0.0.1:{port}", "--timeout", "3")
    assert bad.code == 1
    assert bad.stderr.strip() == f"E: STORESCP@127.0.0.1:{port}: cannot connect: connection refused"


def test_timeout_of_a_silent_peer_is_a_per_object_failure(make_objects, tmp_path):
    import socket
    import threading

    paths = make_objects(2, "jpeg")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts TCP, never answers A-ASSOCIATE-RQ
    port = listener.getsockname()[1]
    accepted: list[socket.socket] = []

    def accept() -> None:
        try:
            while True:
                accepted.append(listener.accept()[0])
        except OSError:  # the listener was closed: the test is over
            pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        out = list(deliver(paths, [f"dicom://SILENT@127.0.0.1:{port}"], SendOptions(retries=0, timeout=0.5)))
    finally:
        for conn in accepted:
            conn.close()
        listener.close()
    assert [r.status for r in out] == ["unsent", "unsent"]
    assert "no answer within 0.5 s" in out[0].message


@pytest.mark.parametrize("text, problem", [
    ("dicom://127.0.0.1:104", "no called AE title"),
    ("ftp://x/y", "unknown destination scheme"),
    ("dicom://A@host:99999", "port"),
    ("https://user:pw@host/dicom-web", "credentials never go in the URL"),
])
def test_bad_destinations_are_one_line_usage_errors(text, problem):
    result = run_cli("echo", text)
    assert result.code == 2
    assert problem in result.stderr and text in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
