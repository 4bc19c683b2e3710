"""``img2dcm validate --format github``: one ``::error file=F,line=L::`` annotation per problem."""

from __future__ import annotations

from pathlib import Path

from img2dcm.cli.validate import github_annotation
from tests.tools import SC_PROFILE, run_cli


def test_broken_profile_gives_annotations_on_its_lines(tmp_path: Path) -> None:
    profile = tmp_path / "broken.yaml"
    profile.write_text("version: 1\noutput:\n  sop_class: nope\nkeys:\n  PatientName: x\n  Bogus: y\n",
                       encoding="utf-8")
    result = run_cli("validate", "--format", "github", profile)
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"::error file={profile},line=3::output.sop_class: 'nope' is not one of")
    profile.write_text("version: 1\nkeys:\n  PatientName: x\n  Bogus: y\n", encoding="utf-8")
    result = run_cli("validate", "--format", "github", profile)
    assert result.code == 1
    assert result.stdout.startswith(f"::error file={profile},line=4::keys[\"Bogus\"]: ")


def test_valid_profile_prints_nothing_and_exits_0() -> None:
    result = run_cli("validate", "--format", "github", SC_PROFILE)
    assert (result.code, result.stdout, result.stderr) == (0, "", "")


def test_missing_profile_is_annotated_without_a_line(tmp_path: Path) -> None:
    missing = tmp_path / "gone.yaml"
    result = run_cli("validate", "--format", "github", missing)
    assert result.code == 1
    assert result.stdout == f"::error file={missing}::profile file not found\n"


def test_annotation_escapes_workflow_command_characters() -> None:
    line = github_annotation("a,b:c.yaml", "a,b:c.yaml:7: keys: 100% wrong\nsecond line")
    assert line == "::error file=a%2Cb%3Ac.yaml,line=7::keys: 100%25 wrong%0Asecond line"
