"""The classic command line parser: every option form, DCMTK syntax rules, usage errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from img2dcm.cli import classic
from img2dcm.cli.classic_options import ACTION, BY_FORM, OPTIONS
from img2dcm.cli.cmdfile import expand_command_files, split_words
from img2dcm.errors import EXIT_USAGE, UsageError

IO = ["in.jpg", "out.dcm"]


def mapping(*args: str) -> dict:
    return classic.parse([*args, *IO]).mapping


def field(data: dict, dotted: str):
    node = data
    for step in dotted.split("."):
        node = node[step]
    return node


# One row per profile-setting option: argv → (field, expected value).
CASES = [
    (["-i", "JPEG"], "input.format", "jpeg"),
    (["--input-format", "BMP"], "input.format", "bmp"),
    (["-i", "PNG"], "input.format", "png"),
    (["-i", "TIFF"], "input.format", "tiff"),
    (["-i", "JPEG2000"], "input.format", "jpeg2000"),
    (["-i", "HTJ2K"], "input.format", "htj2k"),
    (["-i", "VIDEO"], "input.format", "video"),
    (["-df", "t.dcm"], "template.dicom", "t.dcm"),
    (["--dataset-from", "t.dcm"], "template.dicom", "t.dcm"),
    (["-dx", "t.xml"], "template.xml", "t.xml"),
    (["--dataset-from-xml", "t.xml", "+Vd"], "template.validate", True),
    (["-dx", "t.xml", "--check-namespace"], "template.check_namespace", True),
    (["-dd", "t.dump"], "template.dump", "t.dump"),
    (["-df", "t.dcm", "+ta"], "template.keep", "all"),
    (["-dx", "t.xml", "--template-keep-private"], "template.keep_private", True),
    (["-dd", "t.dump", "+tv", "repair"], "template.invalid_values", "repair"),
    (["-stf", "s.dcm", "--source-invalid-values", "drop"], "sources.invalid_values", "drop"),
    (["-stf", "s.dcm"], "sources.study_from", "s.dcm"),
    (["--series-from", "s.dcm"], "sources.series_from", "s.dcm"),
    (["-ii"], "sources.increment_instance", True),
    (["--instance-inc"], "sources.increment_instance", True),
    (["-dp"], "input.jpeg.progressive", "reject"),
    (["--disable-ext"], "input.jpeg.extended", "reject"),
    (["-jf"], "input.jpeg.require_jfif", True),
    (["--keep-appn"], "input.jpeg.app_segments", "keep"),
    (["-rc"], "input.jpeg.comments", "remove"),
    (["--no-checks"], "checks.enabled", False),
    (["--do-checks"], "checks.enabled", True),
    (["-i2"], "checks.insert_type2", False),
    (["+i2"], "checks.insert_type2", True),
    (["-i1"], "checks.invent_type1", False),
    (["--invent-type1"], "checks.invent_type1", True),
    (["-Ct"], "charset.conversion", "transliterate"),
    (["--discard-illegal"], "charset.conversion", "discard"),
    (["-sc"], "output.sop_class", "secondary-capture"),
    (["-nsc"], "output.sop_class", "multiframe-secondary-capture"),
    (["--vl-photo"], "output.sop_class", "vl-photographic"),
    (["-oph"], "output.sop_class", "ophthalmic-photography"),
    (["+F"], "output.file_format", "file"),
    (["-F"], "output.file_format", "dataset"),
    (["--write-dataset"], "output.file_format", "dataset"),
    (["+g="], "output.group_length", "recalc"),
    (["+g"], "output.group_length", "create"),
    (["-g"], "output.group_length", "remove"),
    (["--group-length-remove"], "output.group_length", "remove"),
    (["+e"], "output.sequence_length", "explicit"),
    (["-e"], "output.sequence_length", "undefined"),
    (["-p"], "output.padding", {"file": 0, "item": 0}),
    (["+p", "8", "4"], "output.padding", {"file": 8, "item": 4}),
    (["--padding-create", "16", "0"], "output.padding", {"file": 16, "item": 0}),
    (["--uid-root", "1.2.3"], "uids.root", "1.2.3"),
    (["--no-exif"], "input.exif", False),
    (["--exif"], "input.exif", True),
    (["--compression", "jpeg2000"], "output.compression", "jpeg2000"),
    (["--no-verify"], "output.verify", False),
    (["--no-verify", "--verify"], "output.verify", True),
    (["--alpha", "flatten"], "input.alpha", "flatten"),
    (["--orientation", "ignore"], "input.orientation", "ignore"),
    (["--progressive", "accept"], "input.jpeg.progressive", "accept"),
    (["-dp", "--progressive", "decode"], "input.jpeg.progressive", "decode"),
    (["--cmyk", "decode"], "input.jpeg.cmyk", "decode"),
    (["--background", "0", "10", "255"], "input.background", [0, 10, 255]),
]


@pytest.mark.parametrize(("args", "dotted", "expected"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_option_sets_its_profile_field(args: list[str], dotted: str, expected: object) -> None:
    assert field(mapping(*args), dotted) == expected


def test_every_profile_option_of_the_table_is_covered_by_a_case() -> None:
    covered = {BY_FORM[arg].long for args, _, _ in CASES for arg in args if arg in BY_FORM}
    table = {o.long for o in OPTIONS if o.field not in (ACTION, "keys")}
    assert table - covered == set()


def test_every_option_produces_a_valid_profile() -> None:
    argv = ["-i", "JPEG", "-dx", "t.xml", "+Vd", "+Vn", "-sef", "s.dcm", "-ii", "-dp", "-de", "-jf", "-ka",
            "-rc", "--no-checks", "-i1", "-i2", "-Cd", "-k", "PatientName=A", "-oph", "-F", "-g", "-e",
            "+p", "4", "2", "--uid-root", "1.2", *IO]
    profile = classic.to_profile(classic.parse(argv), Path("/base"))
    assert profile.template is not None and profile.template.path == Path("/base/t.xml")
    assert profile.template.validate and profile.template.check_namespace
    assert profile.sources.series_from == Path("/base/s.dcm")
    assert profile.output.padding.file == 4 and profile.output.padding.item == 2
    assert profile.keys[0].origin == "command line -k #1"


def test_defaults_equal_dcmtk_defaults_except_sniffing() -> None:
    profile = classic.to_profile(classic.parse(IO), Path("/base"))
    assert profile.input.format == "auto"
    assert profile.output.sop_class == "secondary-capture"
    assert profile.output.group_length == "recalc" and profile.output.file_format == "file"


def test_rightmost_option_of_an_exclusive_group_wins() -> None:
    assert field(mapping("-vlp", "-nsc", "-oph"), "output.sop_class") == "ophthalmic-photography"
    assert field(mapping("+g", "-g", "+g="), "output.group_length") == "recalc"
    assert field(mapping("--no-checks", "--do-checks"), "checks.enabled") is True
    assert field(mapping("+p", "8", "8", "-p"), "output.padding") == {"file": 0, "item": 0}


def test_study_and_series_form_one_group_rightmost_wins_like_370() -> None:
    data = mapping("-sef", "a.dcm", "-stf", "b.dcm")
    assert data["sources"] == {"study_from": "b.dcm"}


def test_repeated_single_value_option_keeps_the_last() -> None:
    assert field(mapping("-df", "a.dcm", "-df", "b.dcm"), "template.dicom") == "b.dcm"


def test_options_may_stand_anywhere_among_parameters() -> None:
    parsed = classic.parse(["a.jpg", "-nsc", "b.jpg", "-k", "PatientID=7", "out.dcm", "-e"])
    assert parsed.inputs == ["a.jpg", "b.jpg"] and parsed.output == "out.dcm"
    assert parsed.mapping["output"] == {"sop_class": "multiframe-secondary-capture", "sequence_length": "undefined"}


def test_dash_alone_is_the_stdout_parameter() -> None:
    parsed = classic.parse(["a.jpg", "-"])
    assert parsed.output == "-" and "output" not in parsed.mapping["run"]


def test_keys_repeat_in_order_split_at_first_equals() -> None:
    parsed = classic.parse(["-k", "PatientName=A=B", "--key", "(0010,0020)", "-k", "StudyID=", *IO])
    assert parsed.mapping["keys"] == {"PatientName": "A=B", "(0010,0020)": None, "StudyID": None}
    assert list(parsed.mapping["keys"]) == ["PatientName", "(0010,0020)", "StudyID"]


def test_repeated_key_path_later_wins_and_takes_the_last_position() -> None:
    parsed = classic.parse(["-k", "PatientName=A", "-k", "PatientID=1", "-k", "PatientName=B", *IO])
    assert list(parsed.mapping["keys"].items()) == [("PatientID", "1"), ("PatientName", "B")]
    profile = classic.to_profile(parsed, Path("/"))
    assert [k.origin for k in profile.keys] == ["command line -k #2", "command line -k #3"]


def test_option_values_are_taken_blindly_like_dcmtk() -> None:
    assert classic.parse(["-k", "-x", *IO]).mapping["keys"] == {"-x": None}


@pytest.mark.parametrize(("argv", "message"), [
    ([], "Missing parameter imgfile-in"),
    (["a.jpg"], "Missing parameter dcmfile-out"),
    (["-foo", *IO], "Unknown option -foo"),
    (["-k"], "Missing value for option -k"),
    (["a.jpg", "+p", "8"], "Missing value for option +p"),
    (["+p", "x", "8", *IO], "Invalid value for option --padding-create (x 8)"),
    (["-i", "jpeg", *IO], "No plugin for selected input format available: jpeg"),
    (["-df", "a.dcm", "-dx", "b.xml", *IO], "--dataset-from-xml not allowed with --dataset-from"),
    (["-dx", "b.xml", "-dd", "c.txt", *IO], "--dataset-from-dump not allowed with --dataset-from-xml"),
    (["+Vd", *IO], "--validate-document only allowed with --dataset-from-xml"),
    (["+Vn", "-df", "a.dcm", *IO], "--check-namespace only allowed with --dataset-from-xml"),
    (["--format", "xml", *IO], "Invalid value for option --format (xml)"),
])
def test_usage_errors_name_the_problem(argv: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=None) as info:
        classic.parse(argv)
    assert info.value.message.startswith(message)


def test_schema_problems_are_usage_errors_naming_the_option() -> None:
    with pytest.raises(UsageError) as info:
        classic.to_profile(classic.parse(["--uid-root", "1.02", *IO]), Path("/"))
    assert info.value.message.startswith("command line --uid-root: uids.root:")


def test_negative_padding_is_rejected_by_the_schema() -> None:
    with pytest.raises(UsageError, match=r"command line \+p: output.padding.file"):
        classic.to_profile(classic.parse(["+p", "-8", "0", *IO]), Path("/"))


def test_main_usage_error_prints_usage_and_one_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert classic.main(["-nope", *IO]) == EXIT_USAGE
    err = capsys.readouterr().err.splitlines()
    assert err == [classic.USAGE, "E: Unknown option -nope"]


def test_help_lists_every_option_form(capsys: pytest.CaptureFixture[str]) -> None:
    assert classic.main(["-h"]) == 0
    out = capsys.readouterr().out
    for option in OPTIONS:
        for form in option.forms:
            assert form in out


def test_version_names_pydicom(capsys: pytest.CaptureFixture[str]) -> None:
    assert classic.main(["a.jpg", "--version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("img2dcm ") and "pydicom 3." in out


def test_command_file_words_and_double_quotes(tmp_path: Path) -> None:
    cmd = tmp_path / "args.txt"
    cmd.write_text('-k "PatientName=Bond James"\n  -nsc\t"" @inner\n', encoding="utf-8")
    assert expand_command_files(["-v", f"@{cmd}", "x"]) == ["-v", "-k", "PatientName=Bond James", "-nsc", "",
                                                            "@inner", "x"]


def test_command_file_options_are_parsed(tmp_path: Path) -> None:
    cmd = tmp_path / "args.txt"
    cmd.write_text('-vlp -k "StudyDescription=two words"', encoding="utf-8")
    parsed = classic.parse([f"@{cmd}", *IO])
    assert parsed.mapping["keys"] == {"StudyDescription": "two words"}
    assert parsed.mapping["output"]["sop_class"] == "vl-photographic"


def test_command_file_errors_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read command file"):
        expand_command_files([f"@{tmp_path / 'missing'}"])
    with pytest.raises(UsageError, match="missing closing double quote"):
        split_words('-k "open', "f")


def test_arguments_prints_the_expanded_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cmd = tmp_path / "args.txt"
    cmd.write_text('-nsc -k "A=b c"', encoding="utf-8")
    classic.print_arguments(classic.parse(["--arguments", f"@{cmd}", *IO]).argv)
    err = capsys.readouterr().err
    assert err.startswith("I: calling 'img2dcm' with 6 arguments: '--arguments' '--new-sc' '--key' 'A=b c'")


@pytest.mark.parametrize(("args", "level"), [
    ([], 30), (["-q"], 50), (["-v"], 20), (["--debug"], 10), (["-ll", "trace"], 5), (["-ll", "error"], 40),
    (["-v", "-q"], 50), (["-ll", "debug", "-v"], 20),
])
def test_log_level_options_rightmost_wins(args: list[str], level: int) -> None:
    assert classic.log_level(classic.parse([*args, *IO])) == level


def test_bad_log_level_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--log-level"):
        classic.log_level(classic.parse(["-ll", "loud", *IO]))


def test_log4cplus_config_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "log.cfg"
    config.write_text("log4cplus.rootLogger = DEBUG, console\n", encoding="utf-8")
    with pytest.raises(UsageError, match="log4cplus configuration files are not supported"):
        classic.load_log_config(config)


def test_emit_profile_needs_no_parameters() -> None:
    parsed = classic.parse(["-nsc", "--emit-profile", "-"])
    assert parsed.inputs == [] and "run" not in parsed.mapping
