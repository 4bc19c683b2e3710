"""``img2dcm apply … --send``: objects written, delivered byte-identical, worklist data from a manifest row."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pydicom import dcmread

from tests.net.conftest import JPEG_SOURCE
from tests.net.files import dataset_bytes, received
from tests.tools import dciodvfy, run_cli

SEND = "send: {retries: 1, backoff: 0.05, timeout: 5}\n"


def photos(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in names:
        shutil.copy(JPEG_SOURCE, folder / name)
    return folder


def site(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text("version: 1\noutput: {sop_class: secondary-capture}\n" + text, encoding="utf-8")
    return path


def log_records(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "img2dcm-run.jsonl").read_text(encoding="utf-8").splitlines()]


def test_apply_send_writes_and_delivers_every_object_byte_identical(tmp_path, storescp):
    folder = photos(tmp_path, ["a.jpg", "b.jpg", "c.jpg"])
    peer = storescp(tmp_path / "pacs")
    url = f"dicom://STORESCP@127.0.0.1:{peer.port}"
    out = tmp_path / "out"
    result = run_cli("apply", site(tmp_path, SEND), folder, f"{out}/", "--send", url, "--jobs", "2")
    assert result.code == 0, result.stderr
    assert f"I: STORESCP@127.0.0.1:{peer.port}: 3 sent, 0 sent with a warning, 0 unsent" in result.stderr
    written = sorted(out.rglob("*.dcm"))
    assert len(written) == 3
    got = received(tmp_path / "pacs")
    for path in written:
        assert dataset_bytes(got[dcmread(path, stop_before_pixels=True).SOPInstanceUID]) == dataset_bytes(path)
    sends = [r for r in log_records(out) if "destination" in r]
    assert sorted(r["output"] for r in sends) == sorted(str(p) for p in written)
    assert {(r["destination"], r["status"]) for r in sends} == {(url, "sent")}


def test_apply_resume_sends_what_stayed_unsent(tmp_path, storescp):
    from tests.net.servers import free_port

    folder = photos(tmp_path, ["a.jpg", "b.jpg"])
    port = free_port()  # the PACS is down during the conversion
    url = f"dicom://STORESCP@127.0.0.1:{port}"
    profile = site(tmp_path, f"send:\n  to: [{url}]\n  retries: 1\n  backoff: 0.05\n  timeout: 5\n")
    out = tmp_path / "out"
    first = run_cli("apply", profile, folder, f"{out}/")
    assert first.code == 1
    assert f"STORESCP@127.0.0.1:{port}: 0 sent, 0 sent with a warning, 2 unsent" in first.stderr
    assert len(list(out.rglob("*.dcm"))) == 2  # store-and-forward: the files are there
    storescp(tmp_path / "pacs", port=port)
    again = run_cli("apply", profile, folder, f"{out}/", "--resume")
    assert again.code == 0, again.stderr
    assert len(received(tmp_path / "pacs")) == 2
    third = run_cli("apply", profile, folder, f"{out}/", "--resume")
    assert third.code == 0 and len(received(tmp_path / "pacs")) == 2
    statuses = [r["status"] for r in log_records(out) if "destination" in r]
    assert statuses == ["unsent", "unsent", "sent", "sent"]  # nothing sent twice


def test_worklist_fills_patient_and_order_for_the_accession_in_the_manifest(tmp_path, worklist):
    folder = photos(tmp_path, ["a.jpg", "b.jpg"])
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"file,AccessionNumber\n{folder / 'a.jpg'},ACC-L1\n{folder / 'b.jpg'},ACC-U8\n",
                        encoding="utf-8")
    profile = site(tmp_path, f"sources:\n  worklist: {{url: '{worklist}', match: [AccessionNumber]}}\n")
    out = tmp_path / "out"
    result = run_cli("apply", profile, folder, f"{out}/", "--manifest", manifest, "--jobs", "1")
    assert result.code == 0, result.stderr
    by_accession = {dcmread(p).AccessionNumber: dcmread(p) for p in out.rglob("*.dcm")}
    assert str(by_accession["ACC-L1"].PatientName) == "Müller^Jürgen"
    assert by_accession["ACC-L1"].SpecificCharacterSet == "ISO_IR 100"
    assert str(by_accession["ACC-U8"].PatientName) == "Ωμέγα^Zoë"
    assert by_accession["ACC-U8"].RequestAttributesSequence[0].RequestedProcedureID == "RP-ACC-U8"
    for path in out.rglob("*.dcm"):
        assert dciodvfy(path).errors == []


def test_dry_run_performs_the_query_and_shows_worklist_provenance(tmp_path, worklist):
    label = worklist.removeprefix("dicom://")
    profile = site(tmp_path, f"sources:\n  worklist: {{url: '{worklist}', match: {{AccessionNumber: ACC-U8}}}}\n")
    result = run_cli("apply", profile, JPEG_SOURCE, tmp_path / "x.dcm", "--dry-run", "--format", "json")
    assert result.code == 0, result.stderr
    assert "Ωμέγα^Zoë" in result.stdout and f"worklist ({label})" in result.stdout
    assert not (tmp_path / "x.dcm").exists()


def test_a_worklist_with_two_candidates_fails_that_input_only(tmp_path, worklist):
    folder = photos(tmp_path, ["a.jpg"])
    profile = site(tmp_path, f"sources:\n  worklist: {{url: '{worklist}', match: {{AccessionNumber: ACC-TWIN}}}}\n")
    result = run_cli("apply", profile, folder, f"{tmp_path / 'out'}/")
    assert result.code == 1
    assert "2 worklist items match AccessionNumber=ACC-TWIN" in result.stderr and "PID-TA" in result.stderr
    assert not list((tmp_path / "out").rglob("*.dcm"))


def test_single_object_apply_send(tmp_path, storescp):
    peer = storescp(tmp_path / "pacs")
    target = tmp_path / "one.dcm"
    result = run_cli("apply", site(tmp_path, SEND), JPEG_SOURCE, target, "--send",
                     f"dicom://STORESCP@127.0.0.1:{peer.port}")
    assert result.code == 0, result.stderr
    assert dataset_bytes(next(iter(received(tmp_path / "pacs").values()))) == dataset_bytes(target)
    bad = run_cli("apply", site(tmp_path, SEND), JPEG_SOURCE, tmp_path / "two.dcm", "--send", "dicom://nohost")
    assert bad.code == 2 and "no called AE title" in bad.stderr and not (tmp_path / "two.dcm").exists()
