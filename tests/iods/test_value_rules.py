"""Per-value rules (``Rule.positions``) and undecidable conditions, generic and in our tables.

- A value breaking a position's enumerated values, a required value, an exclusive value or
  a value allowed only under a condition is a violation (``Rule.value_violations``), which
  ``check_dataset`` reports.
- Completion replaces a violating value that came from anywhere but a key (a template) by
  the table's default, with a report note; a key's value is an error naming the key.
- A 1C with an undecidable condition (VL Content Time) keeps a value, drops an empty
  element and invents nothing.
- In our tables: VL and OP Image Type per PS3.3 §C.8.12.1.1.6 / §C.8.17.2.1.4, checked
  against dciodvfy.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.dataset import Dataset

from img2dcm.errors import ConversionError
from img2dcm.iods.check import check_dataset
from img2dcm.iods.complete import complete
from img2dcm.iods.model import (
    DefaultContext,
    IodTable,
    Module,
    Rule,
    ValuePosition,
    has_value,
    literal,
    undecidable,
    value_is,
)
from img2dcm.iods.tables import ALL_TABLES
from img2dcm.context import Context
from img2dcm.profile.model import Checks
from img2dcm.provenance import DatasetBuilder, Source, SourceKind
from img2dcm.steps.completion import CompleteIod
from img2dcm.steps.multiframe import MultiFrameAttributes
from img2dcm.steps.sop_class import ApplySopClass
from img2dcm.steps.validation import ValidateIod
from tests.iods import NOW, apply_keys, fake_image, lossy_step, make_context, pixel_module, run, still_families, write
from tests.tools import dciodvfy

OP_KEYS = {
    "ImageLaterality": "R",
    "AcquisitionDeviceTypeCodeSequence[0].CodeValue": "409898007",
    "AcquisitionDeviceTypeCodeSequence[0].CodingSchemeDesignator": "SCT",
    "AcquisitionDeviceTypeCodeSequence[0].CodeMeaning": "Fundus Camera",
}
#: A complete Source Image Sequence item (PS3.3 §C.8.17.2: Purpose of Reference is type 1 in OP).
SOURCE_IMAGE_KEYS = {
    "SourceImageSequence[0].ReferencedSOPClassUID": "1.2.840.10008.5.1.4.1.1.77.1.5.1",
    "SourceImageSequence[0].ReferencedSOPInstanceUID": "1.2.3.4.5",
    "SourceImageSequence[0].PurposeOfReferenceCodeSequence[0].CodeValue": "121322",
    "SourceImageSequence[0].PurposeOfReferenceCodeSequence[0].CodingSchemeDesignator": "DCM",
    "SourceImageSequence[0].PurposeOfReferenceCodeSequence[0].CodeMeaning":
        "Source image for image processing operation",
}
DCTX = DefaultContext(now=NOW, new_uid=lambda: "1.2.3.9")


def run_with_template(family: str, template: Dataset, keys: dict[str, object] | None = None,
                      kind: str = "grey8", checks: Checks = Checks()) -> Context:
    """The pipeline's order with ``template`` adopted as a template (provenance TEMPLATE)."""
    ctx = make_context(family, [fake_image(kind)], checks)
    ctx.builder.adopt(template, Source(SourceKind.TEMPLATE, "t.dcm"))
    pixel_module(ctx)
    ApplySopClass(family).apply(ctx)
    MultiFrameAttributes(ctx.profile.output.multiframe).apply(ctx)
    if keys:
        apply_keys(ctx, keys)
    CompleteIod(checks).apply(ctx)
    lossy_step(ctx)
    ValidateIod().apply(ctx)
    return ctx


def dataset(**values: object) -> Dataset:
    ds = Dataset()
    for keyword, value in values.items():
        setattr(ds, keyword, value)
    return ds


# ------------------------------------------------------------------ generic: a synthetic table

#: Any multi-valued attribute will do: the rules never name a keyword.
SYNTHETIC = IodTable(uid="1.2.3", name="Test IOD", family="test", section="-", modules=(
    Module("Test", "-", (
        Rule("SoftwareVersions", "1", default=literal(("A", "X")), positions=(
            ValuePosition(0, ("A", "B"), required=True, only_if=(("B", has_value("DeviceSerialNumber")),)),
            ValuePosition(1, required=True),
            ValuePosition(2, required=True, condition=value_is("SoftwareVersions", "B"), exclusive=True),
        )),
        Rule("PatientComments", "1C", condition=undecidable("PatientComments", "the moon is full"),
             exclusive=True),
    )),
))
RULE = SYNTHETIC.rule("SoftwareVersions")


@pytest.mark.parametrize(("values", "extra", "expected"), [
    (["A", "X"], {}, []),
    (["A", "X", ""], {}, []),
    (["C", "X"], {}, ["value 1 'C' is not one of A, B"]),
    (["A"], {}, ["value 2 is required"]),
    (["A", "X", "Y"], {}, ["value 3 'Y' must be empty unless SoftwareVersions value 1 is B"]),
    (["B", "X", "Y"], {}, ["value 1 'B' is allowed only when DeviceSerialNumber has a value"]),
    (["B", "X", "Y"], {"DeviceSerialNumber": "7"}, []),
    (["B", "X"], {"DeviceSerialNumber": "7"}, ["value 3 is required (SoftwareVersions value 1 is B)"]),
])
def test_value_positions_report_each_violation(values: list[str], extra: dict[str, str], expected: list[str]) -> None:
    ds = dataset(SoftwareVersions=values, **extra)
    assert RULE.value_violations(ds) == expected


def test_absent_or_empty_attribute_has_no_value_violation() -> None:
    assert RULE.value_violations(Dataset()) == []
    assert RULE.value_violations(dataset(SoftwareVersions=None)) == []


def test_a_template_value_that_breaks_a_position_is_replaced_by_the_default_with_a_note() -> None:
    builder = DatasetBuilder()
    builder.adopt(dataset(SoftwareVersions=["C", "X"]), Source(SourceKind.TEMPLATE, "t.dcm"))
    changes = complete(builder, SYNTHETIC, Checks(), DCTX)
    assert list(builder.dataset.SoftwareVersions) == ["A", "X"]
    assert builder.source_of("SoftwareVersions").kind is SourceKind.INVENTED
    assert changes == ["SoftwareVersions 'C\\X' from the template is not allowed in Test IOD "
                       "(value 1 'C' is not one of A, B): written A\\X"]


def test_a_key_value_that_breaks_a_position_is_an_error_naming_the_key() -> None:
    builder = DatasetBuilder()
    builder.put("SoftwareVersions", ["C", "X"], Source(SourceKind.KEY, "p.yaml:3"))
    with pytest.raises(ConversionError) as caught:
        complete(builder, SYNTHETIC, Checks(), DCTX)
    assert str(caught.value) == ("not allowed in Test IOD: SoftwareVersions 'C\\X' (value 1 'C' is not one of A, B; "
                                 "keys: {SoftwareVersions: ...})")


def test_a_template_value_is_not_replaced_when_inventing_is_off() -> None:
    builder = DatasetBuilder()
    builder.adopt(dataset(SoftwareVersions=["C", "X"]), Source(SourceKind.TEMPLATE, "t.dcm"))
    with pytest.raises(ConversionError, match="not allowed in Test IOD: SoftwareVersions 'C\\\\X'"):
        complete(builder, SYNTHETIC, Checks(invent_type1=False), DCTX)


def test_check_dataset_reports_position_violations_as_errors() -> None:
    ds = run("ophthalmic-photography", [fake_image("grey8")], keys=OP_KEYS).builder.dataset
    ds.ImageType = ["ORIGINAL", "SECONDARY", "AXIAL"]
    findings = [(f.severity, f.message) for f in check_dataset(ds) if f.attribute == "ImageType"]
    assert findings == [("error", "value 2 'SECONDARY' is not one of PRIMARY"),
                        ("error", "value 3 'AXIAL' must be empty unless ImageType value 1 is DERIVED")]


@pytest.mark.parametrize(("given", "kept"), [("note", True), ("", False), (None, False)])
def test_undecidable_condition_keeps_a_value_drops_an_empty_one_and_invents_nothing(given: str | None,
                                                                                     kept: bool) -> None:
    builder = DatasetBuilder()
    template = Dataset() if given is None else dataset(PatientComments=given)
    builder.adopt(template, Source(SourceKind.TEMPLATE, "t.dcm"))
    changes = complete(builder, SYNTHETIC, Checks(), DCTX)
    assert ("PatientComments" in builder.dataset) is kept
    assert any(line.startswith("empty PatientComments removed (type 1C, condition not met: the moon is full")
               for line in changes) is (given == "")


# ------------------------------------------------------------------ our tables, with dciodvfy


@pytest.mark.parametrize(("family", "template_type", "written"), [
    ("vl-photographic", ["ORIGINAL", "PRIMARY", "AXIAL"], ["DERIVED", "SECONDARY"]),
    ("vl-photographic", ["DERIVED", "SECONDARY", "OTHER"], ["DERIVED", "SECONDARY"]),
    ("vl-photographic", ["DERIVED", "PRIMARY", "STEREO L"], ["DERIVED", "SECONDARY"]),  # no Referenced Image
    ("vl-photographic", ["ORIGINAL", "PRIMARY"], ["ORIGINAL", "PRIMARY"]),
    ("vl-photographic", ["DERIVED", "PRIMARY", "", "ANYTHING"], ["DERIVED", "PRIMARY", "", "ANYTHING"]),
    ("ophthalmic-photography", ["DERIVED", "SECONDARY", "OTHER"], ["ORIGINAL", "PRIMARY"]),
    ("ophthalmic-photography", ["DERIVED", "PRIMARY"], ["ORIGINAL", "PRIMARY"]),
    ("ophthalmic-photography", ["DERIVED", "PRIMARY", "MONTAGE"], ["ORIGINAL", "PRIMARY"]),  # no Source Image
    ("ophthalmic-photography", ["ORIGINAL", "PRIMARY", "AXIAL"], ["ORIGINAL", "PRIMARY"]),
    ("ophthalmic-photography", ["ORIGINAL", "PRIMARY"], ["ORIGINAL", "PRIMARY"]),
])
def test_template_image_type_gives_way_to_the_target_iod(family: str, template_type: list[str],
                                                         written: list[str], tmp_path: Path) -> None:
    keys = OP_KEYS if family == "ophthalmic-photography" else None
    ctx = run_with_template(family, dataset(ImageType=template_type), keys=keys)
    ds = ctx.builder.dataset
    assert [str(v) for v in ds.ImageType] == written
    replaced = [n for n in ctx.builder.notes if "ImageType '" in n and "from the template is not allowed" in n]
    assert bool(replaced) is (template_type != written)
    assert [f for f in ctx.findings if f.severity == "error"] == []
    assert dciodvfy(write(ctx, tmp_path / "out.dcm")).errors == []


def test_op_derived_with_a_complete_source_image_sequence_from_keys_is_kept(tmp_path: Path) -> None:
    ctx = run_with_template("ophthalmic-photography", dataset(ImageType=["DERIVED", "PRIMARY", "MONTAGE"]),
                            keys={**OP_KEYS, **SOURCE_IMAGE_KEYS})
    ds = ctx.builder.dataset
    assert list(ds.ImageType) == ["DERIVED", "PRIMARY", "MONTAGE"]
    assert "AcquisitionDateTime" not in ds  # 1C only for ORIGINAL
    assert dciodvfy(write(ctx, tmp_path / "out.dcm")).errors == []


def test_op_derived_key_without_source_image_fails_naming_both() -> None:
    with pytest.raises(ConversionError) as caught:
        run("ophthalmic-photography", [fake_image("grey8")], keys={**OP_KEYS, "ImageType": "DERIVED\\PRIMARY"})
    message = str(caught.value)
    assert "missing for Ophthalmic Photography 8 Bit Image: SourceImageSequence" in message
    assert "not allowed in Ophthalmic Photography 8 Bit Image: ImageType 'DERIVED\\PRIMARY' " in message
    assert "value 3 is required (ImageType value 1 is DERIVED)" in message


def test_vl_image_type_key_outside_the_enumeration_fails() -> None:
    with pytest.raises(ConversionError, match="value 3 'AXIAL' is not one of STEREO L, STEREO R"):
        run("vl-photographic", [fake_image("grey8")], keys={"ImageType": "ORIGINAL\\PRIMARY\\AXIAL"})


@pytest.mark.parametrize(("date", "time", "expected_time"), [
    ("", "", None), ("20200101", "", None), (None, "", None), ("", "101010", "101010"), (None, None, None)])
def test_vl_content_time_kept_with_a_value_dropped_when_empty_never_invented(
        date: str | None, time: str | None, expected_time: str | None, tmp_path: Path) -> None:
    template = Dataset()
    if date is not None:
        template.ContentDate = date
    if time is not None:
        template.ContentTime = time
    ctx = run_with_template("vl-photographic", template)
    ds = ctx.builder.dataset
    assert ds.get("ContentTime") == expected_time
    assert ds.get("ContentDate") == date  # the date is left as the template gave it
    assert dciodvfy(write(ctx, tmp_path / "out.dcm")).errors == []


@pytest.mark.parametrize("table", ALL_TABLES, ids=lambda t: t.name)
def test_every_default_satisfies_its_own_positions(table: IodTable) -> None:
    """A table never replaces its own default (values 3+ of the defaults are absent)."""
    for rule in (r for r in table.rules if r.positions and r.default is not None):
        assert rule.value_violations(dataset(**{rule.keyword: rule.default.resolve(DCTX)})) == [], rule.keyword


@pytest.mark.parametrize("family", still_families())
def test_no_replacement_note_without_a_template(family: str) -> None:
    keys = OP_KEYS if family == "ophthalmic-photography" else None
    ctx = run(family, [fake_image("grey8")], keys=keys)
    assert not [n for n in ctx.builder.notes if "is not allowed in" in n]
