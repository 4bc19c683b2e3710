"""Profile loading: schema validation with FILE:LINE messages, typed defaults, paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from img2dcm.errors import ProfileError
from img2dcm.profile.load import apply_override, load_profile
from img2dcm.profile.model import Profile
from img2dcm.profile.schema import schema, schema_text

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str, name: str = "site.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    return caught.value.problems


def test_minimal_profile_gets_dcmtk_defaults(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, "version: 1\n"))
    defaults = Profile()
    assert profile.output == defaults.output
    assert profile.input == defaults.input
    assert profile.checks == defaults.checks
    assert profile.output.sop_class == "secondary-capture"
    assert profile.input.jpeg.app_segments == "strip"
    assert profile.charset_conversion == "strict"


def test_schema_defaults_match_the_model() -> None:
    props = schema()["properties"]
    jpeg = props["input"]["properties"]["jpeg"]["properties"]
    model = Profile()
    assert {k: v["default"] for k, v in jpeg.items()} == {
        "progressive": model.input.jpeg.progressive, "extended": model.input.jpeg.extended,
        "require_jfif": model.input.jpeg.require_jfif, "app_segments": model.input.jpeg.app_segments,
        "comments": model.input.jpeg.comments, "cmyk": model.input.jpeg.cmyk}
    inp = props["input"]["properties"]
    assert (inp["alpha"]["default"], tuple(inp["background"]["default"]), inp["orientation"]["default"]) == (
        model.input.alpha, model.input.background, model.input.orientation)
    output = props["output"]["properties"]
    assert (output["compression"]["default"], output["verify"]["default"]) == (
        model.output.compression, model.output.verify)
    assert output["sop_class"]["default"] == model.output.sop_class
    assert output["group_length"]["default"] == model.output.group_length
    assert output["sequence_length"]["default"] == model.output.sequence_length
    assert output["file_format"]["default"] == model.output.file_format
    checks = props["checks"]["properties"]
    assert all(checks[name]["default"] is True for name in ("enabled", "insert_type2", "invent_type1"))


def test_every_schema_property_has_a_description() -> None:
    missing: list[str] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if "description" not in sub:
                    missing.append(f"{path}.{name}")
                walk(sub, f"{path}.{name}")
            for sub in node.get("oneOf", []):
                walk(sub, path)

    walk(schema(), "")
    assert missing == []


def test_bad_enum_is_reported_with_file_line_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\nname: x\noutput:\n  sop_class: vl-foto\n")
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:4: output.sop_class: 'vl-foto' is not one of [")


def test_unknown_fields_are_errors_pointing_at_their_line(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\ninput:\n  format: jpeg\n  colour: yes\nfoo: 1\n")
    problems = problems_of(path)
    assert problems[0].startswith(f"{path}:4: input.colour: unknown field")
    assert problems[1].startswith(f"{path}:5: foo: unknown field")


def test_duplicate_keys_are_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\nkeys:\n  PatientName: A\n  PatientName: B\n")
    assert problems_of(path) == [f"{path}:4: keys.PatientName: key written twice (the last one would win silently)"]


def test_template_needs_exactly_one_kind(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\ntemplate: {dicom: a.dcm, xml: b.xml}\n")
    assert problems_of(path) == [f"{path}:2: template: give exactly one of dicom, xml, dump"]


def test_study_and_series_sources_exclude_each_other(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\nsources:\n  study_from: a.dcm\n  series_from: b.dcm\n")
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:3: sources:") and "exclude each other" in problem


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\nkeys: [unclosed\n")
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:") and "(yaml)" in problem


def test_missing_profile_file(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nope.yaml") == [f"{tmp_path / 'nope.yaml'}: profile file not found"]


def test_non_mapping_document(tmp_path: Path) -> None:
    path = write(tmp_path, "- a\n- b\n")
    assert problems_of(path)[-1] == f"{path}:1: (top level): a profile is a mapping of fields"


def test_paths_resolve_against_the_profile_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    path = write(tmp_path / "sub", "version: 1\ntemplate: {dump: t.dump}\nsources: {study_from: ../s.dcm}\n"
                 "run: {inputs: [a.jpg], output: out/}\n")
    profile = load_profile(path)
    assert profile.template is not None and profile.template.path == tmp_path / "sub" / "t.dump"
    assert profile.sources.study_from == tmp_path / "s.dcm"
    assert profile.run.inputs == (tmp_path / "sub" / "a.jpg",)


def test_keys_keep_order_values_and_origin_lines(tmp_path: Path) -> None:
    path = write(tmp_path, 'version: 1\nkeys:\n  PatientName: "Bond^James"\n  "(0008,1030)": null\n'
                 "  ImageType: [DERIVED, SECONDARY]\n  InstanceNumber: 7\n")
    keys = load_profile(path).keys
    assert [(k.path, k.value) for k in keys] == [
        ("PatientName", "Bond^James"), ("(0008,1030)", None), ("ImageType", "DERIVED\\SECONDARY"),
        ("InstanceNumber", "7")]
    assert [k.origin for k in keys] == [f"{path}:3", f"{path}:4", f"{path}:5", f"{path}:6"]


def test_set_overrides_fields_and_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\n")
    profile = load_profile(path, overrides=["output.sop_class=vl-photographic",
                                            "keys.Seq[0].CodeValue=123", "checks.enabled=false"])
    assert profile.output.sop_class == "vl-photographic"
    assert profile.checks.enabled is False
    assert [(k.path, k.value) for k in profile.keys] == [("Seq[0].CodeValue", "123")]


def test_set_override_is_validated(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\n")
    with pytest.raises(ProfileError) as caught:
        load_profile(path, overrides=["output.sop_class=nope"])
    assert "output.sop_class: 'nope' is not one of" in caught.value.problems[0]


def test_apply_override_needs_equals() -> None:
    with pytest.raises(ProfileError):
        apply_override({}, "output.sop_class")


def test_schema_is_shipped_in_the_package_and_linked_from_schemas() -> None:
    shipped = json.loads(schema_text())
    assert shipped["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert shipped["additionalProperties"] is False
    assert json.loads((ROOT / "schemas" / "profile.schema.json").read_text()) == shipped
