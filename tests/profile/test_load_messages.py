"""Issue 15 item 6: profile problems are clean, bounded E: lines that say what to change."""

from __future__ import annotations

from pathlib import Path

from tests.tools import CORPUS, run_cli

JPEG = CORPUS / "jpeg" / "ljt_testimggray.jpg"


def stderr_of(tmp_path: Path, profile: Path) -> tuple[int, list[str]]:
    result = run_cli("apply", profile, JPEG, tmp_path / "out.dcm")
    assert not (tmp_path / "out.dcm").exists()
    return result.code, result.stderr.splitlines()


def test_deeply_nested_yaml_is_a_clean_error(tmp_path: Path) -> None:
    profile = tmp_path / "deep.yaml"
    profile.write_text("version: 1\nname: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    code, lines = stderr_of(tmp_path, profile)
    assert code == 1
    assert lines == [f"E: {profile}:1: (yaml): nested too deeply to be a profile (a profile is a few levels deep)"]


def test_a_huge_value_gives_a_bounded_message(tmp_path: Path) -> None:
    profile = tmp_path / "big.yaml"
    profile.write_text("version: 1\nname: [" + ",".join(['"' + "x" * 100 + '"'] * 5000) + "]\n", encoding="utf-8")
    code, lines = stderr_of(tmp_path, profile)
    assert code == 1 and len(lines) == 1 and len(lines[0]) < 400
    assert lines[0].startswith(f"E: {profile}:2: name: ") and "more characters)" in lines[0]


def test_many_problems_are_capped(tmp_path: Path) -> None:
    profile = tmp_path / "many.yaml"
    profile.write_text("version: 1\n" + "".join(f"field{i}: 1\n" for i in range(40)), encoding="utf-8")
    code, lines = stderr_of(tmp_path, profile)
    assert code == 1 and len(lines) == 21 and lines[-1] == "E: ... and 20 more problems"


def test_a_tab_separator_says_to_use_spaces(tmp_path: Path) -> None:
    profile = tmp_path / "tab.yaml"
    profile.write_text("version: 1\nname:\tx\n", encoding="utf-8")
    assert stderr_of(tmp_path, profile) == (1, [
        f"E: {profile}:2: (yaml): found character '\\t' that cannot start any token (a tab: YAML separates "
        "and indents with spaces only; replace the tab with spaces)"])


def test_utf16_says_to_save_as_utf8(tmp_path: Path) -> None:
    profile = tmp_path / "u16.yaml"
    profile.write_bytes("version: 1\n".encode("utf-16"))
    assert stderr_of(tmp_path, profile) == (1, [f"E: {profile}: the profile is UTF-16 encoded; save it as UTF-8"])


def test_other_non_utf8_bytes_say_where(tmp_path: Path) -> None:
    profile = tmp_path / "latin1.yaml"
    profile.write_bytes("version: 1\nname: Müller\n".encode("latin-1"))
    assert stderr_of(tmp_path, profile) == (1, [f"E: {profile}: byte 18 is not UTF-8 (0xfc); save the profile "
                                                "as UTF-8"])


def test_a_folder_as_profile_or_template_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    assert stderr_of(tmp_path, folder) == (1, [f"E: {folder}: is a folder, not a profile file"])
    for option, what in (("-df", "DICOM file"), ("-dx", "file"), ("-stf", "DICOM file")):
        result = run_cli(option, folder, JPEG, tmp_path / "out.dcm")
        assert result.code == 1 and f"{folder}: " in result.stderr and f"is a folder, not a {what}" in result.stderr
