"""Run-log reading and status mapping: the tables and rules behind sent / sent-with-warning / unsent."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from pydicom.dataset import Dataset
from pydicom.uid import UID

from img2dcm.errors import InputError
from img2dcm.net.contexts import ObjectHeader
from img2dcm.net.dicomweb import stow_outcome
from img2dcm.net.dimse import status_outcome
from img2dcm.net.runlog import read_run_log

DEST = "dicom://PACS@127.0.0.1:104"


def write_log(path: Path, *lines: object) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
                    encoding="utf-8")
    return path


def test_last_record_for_a_pair_wins_and_other_destinations_are_separate(tmp_path):
    a, b = str(tmp_path / "a.dcm"), str(tmp_path / "b.dcm")
    log = write_log(tmp_path / "log.jsonl",
                    {"output": a, "destination": DEST, "status": "unsent"},
                    {"output": b, "destination": DEST, "status": "sent"},
                    {"output": a, "destination": DEST, "status": "sent-with-warning"},
                    {"output": b, "destination": "http://x/dicom-web", "status": "unsent"})
    state = read_run_log(log)
    assert state.pending(DEST) == []
    assert state.pending("http://x/dicom-web") == [a, b]  # a never went there, b failed


def test_relative_outputs_resolve_against_the_log_folder_and_a_cut_last_line_is_ignored(tmp_path):
    log = write_log(tmp_path / "img2dcm-run.jsonl",
                    {"input": "x.jpg", "output": "x.dcm", "status": "written"},
                    {"input": "y.jpg", "status": "failed", "message": "bad"},
                    '{"output": "z.dcm", "destin')
    assert read_run_log(log).pending(DEST) == [str(tmp_path / "x.dcm")]


def test_a_broken_line_in_the_middle_is_an_error_naming_the_log(tmp_path):
    log = write_log(tmp_path / "log.jsonl", "{not json", {"output": "x.dcm", "status": "written"})
    with pytest.raises(InputError, match="line 1 is not JSON"):
        read_run_log(log)
    with pytest.raises(InputError, match="run log not found"):
        read_run_log(tmp_path / "missing.jsonl")


@pytest.mark.parametrize("code, status", [(0x0000, "sent"), (0xB000, "sent-with-warning"),
                                          (0xB007, "sent-with-warning"), (0x0001, "sent-with-warning"),
                                          (0xA700, "unsent"), (0xC123, "unsent"), (0x0122, "unsent")])
def test_c_store_status_table(code, status):
    response = Dataset()
    response.Status = code
    outcome = status_outcome(response)
    assert outcome.status == status and not outcome.transient
    if status != "sent":
        assert f"0x{code:04X}" in outcome.message


HEADER = ObjectHeader(Path("x.dcm"), UID("1.2.840.10008.5.1.4.1.1.7"), UID("1.2.3.4"), UID("1.2.840.10008.1.2.1"))


@pytest.mark.parametrize("code, body, status, transient", [
    (200, {}, "sent", False),
    (202, {"00081196": {"vr": "US", "Value": [0xB000]}}, "sent-with-warning", False),
    (202, {"00081198": {"vr": "SQ", "Value": [{"00081155": {"vr": "UI", "Value": ["1.2.3.4"]},
                                              "00081197": {"vr": "US", "Value": [0xC122]}}]}}, "unsent", False),
    (409, {}, "unsent", False),
    (503, {}, "unsent", True),
])
def test_stow_rs_response_table(code, body, status, transient):
    outcome = stow_outcome(httpx.Response(code, json=body), HEADER)
    assert (outcome.status, outcome.transient) == (status, transient)


def test_validate_names_unusable_destinations_with_file_and_line(tmp_path):
    from tests.tools import run_cli

    site = tmp_path / "site.yaml"
    site.write_text("version: 1\nsend:\n  to:\n    - dicom://127.0.0.1:104\n    - http://ok/dicom-web\n"
                    "sources:\n  worklist: {url: 'dicom://WL@h:0', match: [AccessionNumber]}\n", encoding="utf-8")
    result = run_cli("validate", site)
    assert result.code == 1
    assert f"{site}:4: send.to[0]: no called AE title" in result.stderr + result.stdout
    assert f"{site}:7: sources.worklist.url: the port is not a number from 1 to 65535" in result.stderr + result.stdout
