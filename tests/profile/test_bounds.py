"""Profiles are input too: alias bombs, recursive aliases and huge files are refused at once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from img2dcm.errors import ProfileError
from img2dcm.profile.bounds import MAX_DOCUMENT_BYTES, MAX_EXPANDED_NODES
from img2dcm.profile.load import load_profile
from tests.tools import run_cli

LAUGHS = "version: 1\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi")
)


def test_billion_laughs_is_refused_in_well_under_a_second_with_file_and_line(tmp_path: Path) -> None:
    profile = tmp_path / "laughs.yaml"
    profile.write_text(LAUGHS, encoding="utf-8")
    started = time.monotonic()
    result = run_cli("validate", profile)
    assert time.monotonic() - started < 5  # minutes before the fix; generous for a loaded machine
    assert result.code == 1
    assert f"{profile}:" in result.stderr and f"more than {MAX_EXPANDED_NODES} values" in result.stderr


@pytest.mark.parametrize("text", ["version: 1\nkeys: &k\n  a: *k\n", "version: 1\nx: &a [1, *a]\n"])
def test_recursive_alias_is_refused(tmp_path: Path, text: str) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=r"p\.yaml:2: \(yaml\): alias refers to itself"):
        load_profile(profile)


def test_profile_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    profile = tmp_path / "big.yaml"
    profile.write_text("version: 1\n" + "#" * MAX_DOCUMENT_BYTES + "\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"big\.yaml:1: \(yaml\): file is \d+ bytes, more than"):
        load_profile(profile)


def test_modest_aliases_stay_allowed(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text('version: 1\nx-name: &n "DOE^JOHN"\nkeys:\n  PatientName: *n\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="unknown field"):  # aliases pass; the stray field does not
        load_profile(profile)
    profile.write_text('version: 1\nkeys:\n  PatientName: &n "DOE^JOHN"\n  ReferringPhysicianName: *n\n',
                       encoding="utf-8")
    assert {k.value for k in load_profile(profile).keys} == {"DOE^JOHN"}


def test_manifest_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from img2dcm.batch import manifest

    table = tmp_path / "rows.csv"
    table.write_text("file,PatientID\n" + "a.jpg,P1\n" * 100, encoding="utf-8")
    monkeypatch.setattr(manifest, "MAX_MANIFEST_BYTES", 100)
    with pytest.raises(manifest.ManifestError, match=r"rows\.csv:1: \(file\): manifest is \d+ bytes, more than the 100"):
        manifest.read_table(table)
