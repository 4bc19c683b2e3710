"""One object from several inputs: content hashes for deterministic UIDs, taken while reading.

Large inputs are hashed through one mmap call on worker threads; the UIDs must be exactly
those the batch's file hashing gives. Random UIDs (the classic command line) hash nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom import dcmread

from img2dcm import run
from img2dcm.batch.grouping import Candidate, file_sha256
from img2dcm.batch.inputs import InputItem
from img2dcm.profile.load import load_profile
from tests.tools import CORPUS, ROOT, run_cli

MF_PROFILE = ROOT / "profiles" / "examples" / "multiframe-secondary-capture.yaml"


def big_jpeg(path: Path, tag: bytes) -> Path:
    """The small corpus JPEG with 20 comment segments of 64 KB: over the 1 MiB mmap threshold."""
    source = (CORPUS / "jpeg" / "ljt_testorig.jpg").read_bytes()
    comment = b"\xff\xfe\xff\xff" + (tag * 65533)[:65533]
    path.write_bytes(source[:2] + comment * 20 + source[2:])
    assert path.stat().st_size > run.MAPPED_HASH_SIZE
    return path


def test_large_inputs_hashed_while_read_give_the_batch_uids(tmp_path: Path) -> None:
    inputs = [big_jpeg(tmp_path / "a.jpg", b"a"), big_jpeg(tmp_path / "b.jpg", b"b")]
    result = run_cli("apply", MF_PROFILE, *inputs, tmp_path / "mf.dcm")
    assert result.code == 0, result.stderr
    profile = load_profile(MF_PROFILE)
    items = tuple(InputItem(p, p.parent) for p in inputs)
    expected = run.single_identity(profile, Candidate(inputs=items, sha256=tuple(map(file_sha256, inputs))))
    assert expected is not None
    assert dcmread(tmp_path / "mf.dcm").SOPInstanceUID == expected.sop_uid
    big_jpeg(inputs[1], b"c")  # new content, new instance
    assert run_cli("apply", MF_PROFILE, *inputs, tmp_path / "mf2.dcm").code == 0
    assert dcmread(tmp_path / "mf2.dcm").SOPInstanceUID != expected.sop_uid


def test_random_uids_hash_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_hashing(path: Path) -> str:
        raise AssertionError(f"{path} was hashed")

    monkeypatch.setattr(run, "digest_or_empty", no_hashing)
    source = CORPUS / "jpeg" / "ljt_testorig.jpg"
    result = run_cli("-nsc", source, source, tmp_path / "mf.dcm")
    assert result.code == 0, result.stderr
    assert dcmread(tmp_path / "mf.dcm").NumberOfFrames == 2


def test_an_unreadable_input_among_several_is_named(tmp_path: Path) -> None:
    source = CORPUS / "jpeg" / "ljt_testorig.jpg"
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(source.read_bytes()[:200])
    result = run_cli("apply", MF_PROFILE, source, broken, tmp_path / "mf.dcm")
    assert result.code == 1
    assert str(broken) in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "mf.dcm").exists()
