"""Issue 15 item 5: a value the target set cannot write unambiguously fails, or gets a set that can.

Two-byte sets can hold 0x5C (the value separator) inside a character: JIS X 0208 'к' is
0x27 0x5C in ISO 2022 IR 87, GB18030 '齖' ends in 0x5C. Readers split on it before decoding,
so a binding (template or key) set fails in one line, and a set merely adopted from a study
file gives way to ISO_IR 192. A lone surrogate (bytes that were not UTF-8) is no character.
"""

from __future__ import annotations

from pathlib import Path

from pydicom import dcmread

from tests.e2e.test_templates_and_sources import JPEG, apply, assert_valid
from tests.tools import CORPUS, run_cli

CHARSET = CORPUS / "dicom" / "charset"
JAPANESE = CHARSET / "chrH31.dcm"  # \ISO 2022 IR 87
CHINESE = CHARSET / "chrX2.dcm"  # GB18030


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("E:")]


def test_cyrillic_ka_under_an_iso_2022_ir_87_template_fails_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    result = apply(tmp_path, out, template={"dicom": str(JAPANESE)}, keys={"PatientName": "Иванк^Петр"})
    assert result.code == 1 and not out.exists()
    assert errors(result.stderr) == [
        f"E: {tmp_path / 'profile.yaml'}:2: PatientName: 'Иванк^Петр' from the key encoded in Specific Character "
        f"Set '\\ISO 2022 IR 87' of the template {JAPANESE} holds the byte of the value separator '\\' (0x5C) "
        "inside a two-byte character, which readers split into two values; use a template with ISO_IR 192 or "
        "change the value"]


def test_cyrillic_without_ka_is_written_in_the_templates_set(tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    assert apply(tmp_path, out, template={"dicom": str(JAPANESE)}, keys={"PatientName": "Иван^Петр"}).code == 0
    assert_valid(out)
    written = dcmread(out)
    assert list(written.SpecificCharacterSet) == ["", "ISO 2022 IR 87"] and str(written.PatientName) == "Иван^Петр"


def test_gb18030_template_refuses_a_character_ending_in_0x5c(tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    result = apply(tmp_path, out, template={"dicom": str(CHINESE)}, keys={"StudyDescription": "齖"})
    assert result.code == 1 and "holds the byte of the value separator" in result.stderr


def test_an_adopted_set_gives_way_to_utf8_for_an_ambiguous_value(tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    result = apply(tmp_path, out, sources={"study_from": str(JAPANESE)}, keys={"StudyDescription": "к"})
    assert result.code == 0, result.stderr
    assert_valid(out)
    written = dcmread(out)
    assert written.SpecificCharacterSet == "ISO_IR 192"
    assert str(written.PatientName) == "Yamada^Tarou=山田^太郎=やまだ^たろう" and written.StudyDescription == "к"


def test_a_lone_surrogate_in_a_profile_key_is_an_invalid_profile(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text('version: 1\nkeys:\n  PatientName: "A\\udc80B"\n', encoding="utf-8")
    result = run_cli("validate", profile)
    assert result.code != 0
    assert "contains U+DC80, a lone surrogate, which is not a character" in result.stderr + result.stdout


def test_a_lone_surrogate_on_the_command_line_fails_and_is_never_written_as_a_question_mark(tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    result = run_cli("-k", "PatientName=A\udcffB", JPEG, out)  # b"\xff" in argv, as Python passes it
    assert result.code == 1 and not out.exists()
    assert errors(result.stderr) == ["E: command line -k #1: bad value for key 'PatientName': contains U+DCFF, a "
                                     "lone surrogate, which is not a character (the text was not valid UTF-8 or "
                                     "UTF-16)"]
