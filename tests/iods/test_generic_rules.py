"""The generic completion rules driven by table data, each checked against dciodvfy.

- Patient Orientation is type 2 in IODs without the Image Plane module, whatever the
  dataset carries (a CT/MR template's Image Orientation (Patient) does not excuse it).
- A 1C/2C attribute that is present but empty while its condition fails is removed.
- Laterality: Image Laterality ``U`` unless Laterality or Image Laterality is given,
  for any Body Part Examined.
- An optional (U/C) module present through any attribute gets its type 2 inserted
  and its type 1 invented.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.dataset import Dataset

from img2dcm.iods.check import check_dataset
from img2dcm.iods.complete import complete
from img2dcm.iods.model import DefaultContext, IodTable, Module, Rule, literal, value_is
from img2dcm.iods.tables import ALL_TABLES
from img2dcm.profile.model import Checks
from img2dcm.provenance import DatasetBuilder, Source, SourceKind
from tests.iods import NOW, fake_image, run, still_families, write
from tests.tools import dciodvfy

OP_KEYS = {
    "ImageLaterality": "R",
    "AcquisitionDeviceTypeCodeSequence[0].CodeValue": "409898007",
    "AcquisitionDeviceTypeCodeSequence[0].CodingSchemeDesignator": "SCT",
    "AcquisitionDeviceTypeCodeSequence[0].CodeMeaning": "Fundus Camera",
}
CT_ORIENTATION = {"ImageOrientationPatient": ["1", "0", "0", "0", "1", "0"], "ImagePositionPatient": ["0", "0", "0"]}
NOT_IN_IOD = "not present in standard DICOM IOD"  # the template's CT attributes, not ours to judge


def _keys(family: str) -> dict[str, object] | None:
    return OP_KEYS if family == "ophthalmic-photography" else None


def _errors_and_warnings(path: Path, tolerated: tuple[str, ...] = ()) -> list[str]:
    result = dciodvfy(path)
    return result.errors + [w for w in result.warnings if not any(t in w for t in tolerated)]


# ------------------------------------------------------------------------- Patient Orientation


@pytest.mark.parametrize("table", ALL_TABLES, ids=lambda t: t.name)
def test_patient_orientation_is_type_2_in_every_table(table: IodTable) -> None:
    assert table.rule("PatientOrientation").type == "2"


@pytest.mark.parametrize("family", still_families())
def test_patient_orientation_is_inserted_beside_a_template_image_orientation(family: str, tmp_path: Path) -> None:
    ctx = run(family, [fake_image("grey8")], keys=_keys(family), template=CT_ORIENTATION)
    ds = ctx.builder.dataset
    assert "PatientOrientation" in ds and ds["PatientOrientation"].is_empty
    assert dciodvfy(write(ctx, tmp_path / "out.dcm")).errors == []


def test_unknown_iods_still_guess_patient_orientation_from_the_dataset() -> None:
    ds = Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"  # CT: no table, generic checks
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    assert not [f for f in check_dataset(ds) if f.attribute == "PatientOrientation"]
    del ds.ImageOrientationPatient
    assert [f.severity for f in check_dataset(ds) if f.attribute == "PatientOrientation"] == ["error"]


# ------------------------------------------------------------- empty and condition not met


def test_empty_conditional_attribute_is_removed_whatever_its_name() -> None:
    """A synthetic table: the rule is generic, not tied to any keyword."""
    table = IodTable(uid="1.2.3", name="Test", family="test", section="-", modules=(
        Module("Test", "-", (
            Rule("PatientComments", "2C", condition=value_is("PatientSex", "F")),
            Rule("StudyComments", "2C", condition=value_is("PatientSex", "M")),
            Rule("PatientSex", "3"),
        )),
    ))
    builder = DatasetBuilder()
    builder.put("PatientSex", "M", Source(SourceKind.KEY))
    builder.put_empty("PatientComments", Source(SourceKind.TEMPLATE))
    builder.put_empty("StudyComments", Source(SourceKind.TEMPLATE))
    changes = complete(builder, table, Checks(), DefaultContext(NOW, lambda: "2.25.1"))
    assert "PatientComments" not in builder.dataset  # condition fails: removed
    assert "StudyComments" in builder.dataset  # condition holds: an empty 2C is fine
    assert changes == ["empty PatientComments removed (type 2C, condition not met: PatientSex value 1 is F)"]


def test_empty_planar_configuration_on_a_grey_image_is_removed(tmp_path: Path) -> None:
    ctx = run("secondary-capture", [fake_image("grey8")], template={"PlanarConfiguration": None})
    assert "PlanarConfiguration" not in ctx.builder.dataset
    assert any("empty PlanarConfiguration removed" in note for note in ctx.builder.notes)
    assert _errors_and_warnings(write(ctx, tmp_path / "out.dcm")) == []


def test_empty_op_dilation_attributes_are_removed_when_pupil_not_dilated(tmp_path: Path) -> None:
    template = {"PupilDilated": "NO", "MydriaticAgentSequence": None, "DegreeOfDilation": None}
    ctx = run("ophthalmic-photography", [fake_image("grey8")], keys=OP_KEYS, template=template)
    ds = ctx.builder.dataset
    assert "MydriaticAgentSequence" not in ds and "DegreeOfDilation" not in ds
    assert _errors_and_warnings(write(ctx, tmp_path / "out.dcm")) == []


# --------------------------------------------------------------------------------- Laterality

BODY_PARTS = [None, "CHEST", "WHOLE BODY", "SKIN", "HAND"]
UNKNOWN_TERM = ("Unrecognized defined term",)  # dciodvfy on WHOLE BODY / SKIN: not ours to fix


@pytest.mark.parametrize("family", ["secondary-capture", "multiframe-secondary-capture", "vl-photographic"])
@pytest.mark.parametrize("laterality", ["absent", "empty"])
@pytest.mark.parametrize("body_part", BODY_PARTS)
def test_image_laterality_u_satisfies_any_body_part(family: str, laterality: str, body_part: str | None,
                                                    tmp_path: Path) -> None:
    template: dict[str, object] = {"BodyPartExamined": body_part} if body_part else {}
    if laterality == "empty":
        template["Laterality"] = None
    ctx = run(family, [fake_image("grey8")], template=template or None)
    ds = ctx.builder.dataset
    assert ds.ImageLaterality == "U" and "Laterality" not in ds
    assert [f for f in ctx.findings if f.severity == "error"] == []
    assert _errors_and_warnings(write(ctx, tmp_path / "out.dcm"), UNKNOWN_TERM) == []


@pytest.mark.parametrize("body_part", [None, "HAND", "WHOLE BODY"])
def test_a_laterality_value_is_kept_and_nothing_invented(body_part: str | None, tmp_path: Path) -> None:
    template: dict[str, object] = {"Laterality": "L", **({"BodyPartExamined": body_part} if body_part else {})}
    ctx = run("secondary-capture", [fake_image("grey8")], template=template)
    ds = ctx.builder.dataset
    assert ds.Laterality == "L" and "ImageLaterality" not in ds
    assert _errors_and_warnings(write(ctx, tmp_path / "out.dcm"), UNKNOWN_TERM) == []


@pytest.mark.parametrize("image_laterality", ["", "R"])
def test_empty_laterality_beside_image_laterality_is_removed(image_laterality: str, tmp_path: Path) -> None:
    ctx = run("secondary-capture", [fake_image("grey8")],
              template={"Laterality": None, "ImageLaterality": image_laterality or None, "BodyPartExamined": "CHEST"})
    ds = ctx.builder.dataset
    assert "Laterality" not in ds and ds.get("ImageLaterality") == (image_laterality or None)
    assert _errors_and_warnings(write(ctx, tmp_path / "out.dcm")) == []


def test_laterality_value_beside_image_laterality_is_reported() -> None:
    ctx = run("secondary-capture", [fake_image("grey8")], template={"Laterality": "L", "ImageLaterality": "L"})
    assert [(f.severity, f.attribute) for f in ctx.findings] == [("error", "Laterality")]


# -------------------------------------------------------------------------- optional modules


@pytest.mark.parametrize("family", ["secondary-capture", "multiframe-secondary-capture"])
@pytest.mark.parametrize("attribute", ["ManufacturerModelName", "StationName", "SoftwareVersions"])
def test_optional_general_equipment_gets_manufacturer_once_present(family: str, attribute: str,
                                                                   tmp_path: Path) -> None:
    ctx = run(family, [fake_image("grey8")], keys={attribute: "X1"})
    ds = ctx.builder.dataset
    assert "Manufacturer" in ds and ds["Manufacturer"].is_empty
    assert ctx.builder.source_of("Manufacturer").kind is SourceKind.INSERTED_EMPTY
    assert _errors_and_warnings(write(ctx, tmp_path / "out.dcm")) == []


@pytest.mark.parametrize("family", ["secondary-capture", "multiframe-secondary-capture"])
def test_optional_general_equipment_is_not_added_when_absent(family: str) -> None:
    assert "Manufacturer" not in run(family, [fake_image("grey8")]).builder.dataset


def test_mandatory_general_equipment_is_always_completed() -> None:
    ds = run("vl-photographic", [fake_image("grey8")]).builder.dataset
    assert "Manufacturer" in ds


def test_check_reports_type2_of_a_present_optional_module() -> None:
    ctx = run("secondary-capture", [fake_image("grey8")], checks=Checks(enabled=False),
              keys={"ManufacturerModelName": "X1"})
    assert [f.message for f in ctx.findings if f.attribute == "Manufacturer"] == [
        "missing (type 2C, General Equipment module present)"]


def test_optional_module_type1_is_invented_and_type2_inserted_only_when_present() -> None:
    """A synthetic U module: its type 1/2 attributes bind only once one attribute is there."""
    module = Module("Test", "-", (
        Rule("StationName", "1", default=literal("S1")),
        Rule("Manufacturer", "2"),
        Rule("SoftwareVersions", "3"),
    ))
    table = IodTable(uid="1.2.3", name="Test", family="test", section="-", modules=(module.used_as("U"),))
    assert [r.type for r in table.rules] == ["1C", "2C", "3"]
    dctx = DefaultContext(NOW, lambda: "2.25.1")
    empty = DatasetBuilder()
    assert complete(empty, table, Checks(), dctx) == [] and len(empty.dataset) == 0
    builder = DatasetBuilder()
    builder.put("SoftwareVersions", "1.0", Source(SourceKind.KEY))
    complete(builder, table, Checks(), dctx)
    assert builder.dataset.StationName == "S1" and builder.dataset["Manufacturer"].is_empty
    mandatory = IodTable(uid="1.2.3", name="Test", family="test", section="-", modules=(module,))
    assert [r.type for r in mandatory.rules] == ["1", "2", "3"]


def test_unknown_module_usage_is_refused() -> None:
    with pytest.raises(ValueError, match="usage"):
        Module("Test", "-", ()).used_as("X")
