"""Templates and study/series sources end to end, and the DCMTK 3.6.7 comparison (issue 6).

Every corpus dicom/ and dicom/charset/ file is used as DICOM template, as study
file and as series file: the output has zero dciodvfy errors and its names decode
to the same Unicode as pydicom's read of the source. Dump and dcm2xml templates,
a malicious XML template, provenance in the JSON dry run, and DCMTK's img2dcm
against ours for -df/-dx/-stf/-sef/-ii/-k with a table of documented fixes.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydicom import dcmread
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian

from img2dcm.templates.cleanup import CLEANUP_KEYWORDS
from img2dcm.templates.contribution import contributions
from tests.tools import CORPUS, dciodvfy, manifest, require_tool, run_cli

JPEG = CORPUS / "jpeg" / "ljt_testorig.jpg"
DUMPS = CORPUS / "dicom" / "dcmtk-templates"
SOURCES = [row.file for row in manifest("dicom/") if row.path.endswith(".dcm")]
TEXT_VRS = ("PN", "LO", "SH")

#: What -stf / -sef copy (reference §4).
STUDY_COPIED = ("PatientName", "PatientID", "PatientSex", "PatientBirthDate", "StudyInstanceUID", "StudyDate",
                "StudyTime", "ReferringPhysicianName", "StudyID", "AccessionNumber")
SERIES_COPIED = STUDY_COPIED + ("SeriesInstanceUID", "SeriesNumber", "Manufacturer")


def write_profile(folder: Path, **fields: Any) -> Path:
    """A YAML profile with ``fields`` (paths absolute), as a site would write it."""
    path = folder / "profile.yaml"
    path.write_text(yaml.safe_dump({"version": 1, **fields}, allow_unicode=True), encoding="utf-8")
    return path


def apply(folder: Path, out: Path, *extra: str, image: Path = JPEG, **fields: Any):
    return run_cli("apply", write_profile(folder, **fields), *extra, image, out)


def texts(ds: Dataset, names: tuple[str, ...] | None = None) -> dict[str, str]:
    """Top-level PN/LO/SH values as Unicode (all of them, or ``names``)."""
    out = {}
    for elem in ds:
        if elem.VR in TEXT_VRS and (names is None or elem.keyword in names) and elem.value not in (None, ""):
            out[elem.keyword] = str(elem.value)
    return out


#: dciodvfy errors that come from the IOD tables (src/img2dcm/iods, another work package, reported to
#: its owner), not from templates, keyed by corpus path. Asserted exactly, so an entry must be deleted
#: once the tables are fixed: this is not a skip. Empty since the tables require PatientOrientation,
#: drop an empty Laterality whose condition fails and invent Image Laterality U for any body part.
IOD_TABLE_GAPS: dict[str, list[str]] = {}


def template_texts(ds: Dataset, family: str = "secondary-capture") -> dict[str, str]:
    """The source's names a template passes on: those of the target IOD's modules, but not what cleanup removes."""
    allowed = contributions(family)[0]
    return {k: v for k, v in texts(ds).items() if k not in CLEANUP_KEYWORDS and k in allowed}


def assert_valid(path: Path, template: Path | None = None) -> None:
    """Zero dciodvfy errors (for a template: exactly its known IOD-table gaps)."""
    known = IOD_TABLE_GAPS.get(template.relative_to(CORPUS).as_posix(), []) if template else []
    result = dciodvfy(path)
    assert result.errors == known, result.output


def ids(paths: list[Path]) -> list[str]:
    return [p.relative_to(CORPUS).as_posix() for p in paths]


# ------------------------------------------------------------------------------------------ corpus


@pytest.mark.parametrize("source", SOURCES, ids=ids(SOURCES))
def test_corpus_file_as_dicom_template(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    result = apply(tmp_path, out, template={"dicom": str(source)})
    assert result.code == 0, result.stderr
    assert_valid(out, template=source)
    original, written = dcmread(source), dcmread(out)
    expected = template_texts(original)
    assert {k: v for k, v in texts(written).items() if k in expected} == expected
    assert written.get("SpecificCharacterSet") == original.get("SpecificCharacterSet")


@pytest.mark.parametrize("mode", ["study_from", "series_from"])
@pytest.mark.parametrize("source", SOURCES, ids=ids(SOURCES))
def test_corpus_file_as_study_or_series_source(source: Path, mode: str, tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    result = apply(tmp_path, out, sources={mode: str(source)})
    original = dcmread(source)
    needed = ("StudyInstanceUID",) + (("SeriesInstanceUID",) if mode == "series_from" else ())
    missing = [name for name in needed if not original.get(name)]
    if missing:  # DCMTK fails too: "Unable to read Study Instance UID (type 1) from file"
        assert result.code == 1 and not out.exists()
        assert f"{source}: " in result.stderr and f"{missing[0]} (type 1) is missing" in result.stderr
        return
    assert result.code == 0, result.stderr
    assert_valid(out)
    written = dcmread(out)
    copied = STUDY_COPIED if mode == "study_from" else SERIES_COPIED
    assert texts(written, copied) == texts(original, copied)
    for uid in needed:
        assert written[uid].value == original[uid].value
    if "SpecificCharacterSet" in original:  # adopted whole, multi-valued ISO 2022 sets included
        assert written.SpecificCharacterSet == original.SpecificCharacterSet


def test_multi_valued_iso2022_set_is_kept_whole_and_names_survive(tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    source = CORPUS / "dicom" / "charset" / "chrH31.dcm"
    assert apply(tmp_path, out, sources={"study_from": str(source)}).code == 0
    assert b"\x1b$B" in dcmread(out).get_item("PatientName").value  # JIS X 0208 escape sequence
    written = dcmread(out)
    assert list(written.SpecificCharacterSet) == ["", "ISO 2022 IR 87"]
    assert str(written.PatientName) == "Yamada^Tarou=山田^太郎=やまだ^たろう"


@pytest.mark.parametrize(("dump", "sop_class", "conversion_type"), [
    ("SC.dump", "secondary-capture", "SI"), ("VLP.dump", "vl-photographic", None)])
def test_dcmtk_dump_templates(dump: str, sop_class: str, conversion_type: str | None, tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    result = apply(tmp_path, out, template={"dump": str(DUMPS / dump)}, output={"sop_class": sop_class},
                   keys={"PatientName": "Müller^André"})
    assert result.code == 0, result.stderr
    assert_valid(out)
    assert dcmread(out).get_item("PatientName").value.rstrip(b" ") == "Müller^André".encode("latin-1")
    written = dcmread(out)
    assert written.SpecificCharacterSet == "ISO_IR 100"
    if conversion_type:
        assert written.ConversionType == conversion_type


XML_CASES = [("CT_small.dcm", []), ("charset/chrFren.dcm", ["+Xn"]), ("charset/chrRuss.dcm", []),
             ("charset/chrX1.dcm", ["+Xn"]), ("SC_rgb_small_odd.dcm", [])]


@pytest.mark.parametrize(("name", "flags"), XML_CASES, ids=[c[0] for c in XML_CASES])
def test_dcm2xml_output_as_xml_template(name: str, flags: list[str], tmp_path: Path) -> None:
    source = CORPUS / "dicom" / name
    xml = tmp_path / "t.xml"
    subprocess.run([require_tool("dcm2xml"), "+Wb", "+M", *flags, str(source), str(xml)], check=True,
                   capture_output=True, timeout=30)
    out = tmp_path / "out.dcm"
    template = {"xml": str(xml), "validate": True, "check_namespace": bool(flags)}
    result = apply(tmp_path, out, template=template)
    assert result.code == 0, result.stderr
    assert_valid(out, template=source)
    original, written = dcmread(source), dcmread(out)
    expected = template_texts(original)
    assert {k: v for k, v in texts(written).items() if k in expected} == expected


def test_xml_template_with_an_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    xml = tmp_path / "evil.xml"
    xml.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE file-format [<!ENTITY x SYSTEM "file://{secret}">]>\n'
                   '<file-format><data-set xfer="1.2.840.10008.1.2.1">\n'
                   '<element tag="0010,0010" vr="PN" name="PatientName">&x;</element>\n'
                   "</data-set></file-format>\n", encoding="utf-8")
    out = tmp_path / "out.dcm"
    result = apply(tmp_path, out, template={"xml": str(xml)})
    assert result.code == 1
    assert not out.exists() and list(tmp_path.glob("*.dcm*")) == []
    assert "refused" in result.stderr and str(xml) in result.stderr
    assert "TOP-SECRET" not in result.stderr + result.stdout


# ------------------------------------------------------------------------------------------ provenance


def test_dry_run_json_names_the_source_of_every_attribute(tmp_path: Path) -> None:
    template = CORPUS / "dicom" / "charset" / "chrFren.dcm"
    study = CORPUS / "dicom" / "charset" / "chrGerm.dcm"
    profile = write_profile(tmp_path, template={"dicom": str(template)},
                            sources={"study_from": str(study), "increment_instance": True},
                            keys={"StudyDescription": "Étude", "OtherPatientIDsSequence[0].PatientID": "X"})
    result = run_cli("apply", profile, "--dry-run", "--format", "json", JPEG, tmp_path / "out.dcm")
    assert result.code == 0, result.stderr
    assert not (tmp_path / "out.dcm").exists()
    rows = {row["keyword"]: row["source"] for row in json.loads(result.stdout)["attributes"]}
    lines = (tmp_path / "profile.yaml").read_text(encoding="utf-8").splitlines()
    key_line = next(n for n, text in enumerate(lines, 1) if text.strip().startswith("StudyDescription"))
    assert rows["SpecificCharacterSet"] == f"template ({template})"
    assert rows["TimezoneOffsetFromUTC"] == f"template ({template})"
    assert rows["PatientName"] == f"study file ({study})"
    assert rows["StudyInstanceUID"] == f"study file ({study})"
    assert rows["InstanceNumber"].startswith(f"computed (study file ({study})")
    assert rows["StudyDescription"] == f"key ({profile}:{key_line})"
    assert rows["OtherPatientIDsSequence"].startswith(f"key ({profile}:")
    assert rows["SOPInstanceUID"].startswith("generated")
    assert rows["Rows"] == f"reader (jpeg {JPEG.name})"
    assert rows["SOPClassUID"].startswith("sop class")
    assert rows["LossyImageCompression"].startswith("computed")
    kinds = {value.split(" (")[0] for value in rows.values()}
    assert {"template", "study file", "key", "generated", "reader", "sop class", "computed"} <= kinds


def test_dry_run_json_shows_series_file_inserted_empty_and_invented(tmp_path: Path) -> None:
    series = CORPUS / "dicom" / "CT_small.dcm"
    profile = write_profile(tmp_path, sources={"series_from": str(series)}, keys={"PatientComments": "Łódź"})
    result = run_cli("apply", profile, "--dry-run", "--format", "json", JPEG, tmp_path / "out.dcm")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    rows = {row["keyword"]: row["source"] for row in data["attributes"]}
    assert rows["SeriesInstanceUID"] == f"series file ({series})"
    assert rows["Manufacturer"] == f"series file ({series})"
    assert "inserted empty" in rows.values() or any(v.startswith("inserted empty") for v in rows.values())
    assert rows["SpecificCharacterSet"].startswith("invented")  # ISO_IR 100 of CT_small gave way to UTF-8
    assert any("ISO_IR 192" in note for note in data["detected"])


def test_dry_run_text_table_names_sources(tmp_path: Path) -> None:
    template = CORPUS / "dicom" / "charset" / "chrFren.dcm"
    profile = write_profile(tmp_path, template={"dicom": str(template)})
    result = run_cli("apply", profile, "--dry-run", JPEG, tmp_path / "out.dcm")
    assert result.code == 0, result.stderr
    assert "template" in result.stdout and "reader" in result.stdout and "generated" in result.stdout


# ------------------------------------------------------------------------------------------ DCMTK 3.6.7

#: Attributes that may differ whatever the options: new UIDs, implementation identity.
NEVER_COMPARED = {"SOPInstanceUID", "MediaStorageSOPInstanceUID", "ImplementationClassUID",
                  "ImplementationVersionName", "FileMetaInformationGroupLength",
                  "InstanceCreationDate", "InstanceCreationTime", "ContentDate", "ContentTime"}
DCMTK_UID_ROOT = "1.2.276.0.7230010.3."  # UIDs DCMTK generated (reference §6)

#: Documented fixes (docs/charsets.md, docs/templates.md): attribute -> why ours differs.
_TEMPLATE_INSTANCE = "it describes the template instance: left out under template.keep: iod (docs/templates.md)"
DOCUMENTED_FIXES = {
    "chrH31-stf": {"SpecificCharacterSet": "DCMTK keeps only the first value of '\\ISO 2022 IR 87' (empty), so "
                                           "it writes no set while PatientName keeps its ISO 2022 escapes"},
    "dx-chrFren": {"InstanceCreatorUID": _TEMPLATE_INSTANCE},
    "ii-template": {"InstanceCreatorUID": _TEMPLATE_INSTANCE},
}


def dcmtk(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([require_tool("/usr/bin/img2dcm"), *map(str, args)], capture_output=True, text=True,
                          timeout=60, cwd=cwd)


def raw_values(path: Path) -> dict[str, bytes | None]:
    """keyword -> raw value bytes (meta and data set; sequences as their encoded bytes)."""
    ds = dcmread(path)
    out: dict[str, bytes | None] = {}
    for holder in (ds.file_meta, ds):
        for tag in list(holder.keys()):
            raw = holder.get_item(tag)
            name = holder[tag].keyword or str(tag)
            value = raw.value if raw is not None and hasattr(raw, "value") else None
            out[name] = bytes(value) if isinstance(value, (bytes, bytearray)) else repr(holder[tag].value).encode()
    return out


def empty_uid_source(folder: Path) -> Path:
    ds = Dataset()
    ds.SOPClassUID, ds.SOPInstanceUID, ds.Modality = "1.2.840.10008.5.1.4.1.1.7", "1.2.3.4", "OT"
    ds.PatientName, ds.StudyInstanceUID = "Doe^Jane", ""
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    path = folder / "empty-uid.dcm"
    ds.save_as(path, enforce_file_format=True)
    return path


def no_instance_number_source(folder: Path) -> Path:
    ds = dcmread(CORPUS / "dicom" / "charset" / "chrGerm.dcm")
    del ds.InstanceNumber
    path = folder / "no-number.dcm"
    ds.save_as(path)
    return path


CHARSET = CORPUS / "dicom" / "charset"
KEYS = ["PatientName=Doe^Jane", "ImageType=DERIVED\\SECONDARY", "OtherPatientIDsSequence[0].PatientID=X",
        "OtherPatientIDsSequence[0].TypeOfPatientID=TEXT", "PatientSex", "StudyDescription=a=b", "(0020,0011)=7",
        "0010,0020=ID-1"]


def comparison_cases(folder: Path) -> dict[str, tuple[list[str], dict[str, Any]]]:
    """name -> (DCMTK options, our profile fields) doing the same thing."""
    sc = folder / "SC.dcm"
    subprocess.run([require_tool("dump2dcm"), str(DUMPS / "SC.dump"), str(sc)], check=True, capture_output=True)
    xml = folder / "chrFren.xml"
    subprocess.run([require_tool("dcm2xml"), "+Wb", "+M", str(CHARSET / "chrFren.dcm"), str(xml)], check=True,
                   capture_output=True)
    nonum = no_instance_number_source(folder)
    keys: dict[str, Any] = {}
    for key in KEYS:
        path, _, value = key.partition("=")
        keys[path] = value or None
    return {
        "df-SC": (["-df", str(sc)], {"template": {"dicom": str(sc)}}),
        "dx-chrFren": (["-dx", str(xml)], {"template": {"xml": str(xml)}}),
        "chrFren-stf": (["-stf", str(CHARSET / "chrFren.dcm")], {"sources": {"study_from": str(CHARSET / "chrFren.dcm")}}),
        "CT-sef": (["-sef", str(CORPUS / "dicom" / "CT_small.dcm")],
                   {"sources": {"series_from": str(CORPUS / "dicom" / "CT_small.dcm")}}),
        "chrH31-stf": (["-stf", str(CHARSET / "chrH31.dcm")], {"sources": {"study_from": str(CHARSET / "chrH31.dcm")}}),
        "SC-stf-chrGerm": (["-df", str(sc), "-stf", str(CHARSET / "chrGerm.dcm")],
                           {"template": {"dicom": str(sc)}, "sources": {"study_from": str(CHARSET / "chrGerm.dcm")}}),
        "ii-template": (["-df", str(CHARSET / "chrFren.dcm"), "-ii"],
                        {"template": {"dicom": str(CHARSET / "chrFren.dcm")}, "sources": {"increment_instance": True}}),
        "ii-stf": (["-stf", str(CHARSET / "chrGerm.dcm"), "-ii"],
                   {"sources": {"study_from": str(CHARSET / "chrGerm.dcm"), "increment_instance": True}}),
        "ii-stf-no-number": (["-sef", str(nonum), "-ii"], {"sources": {"series_from": str(nonum), "increment_instance": True}}),
        "keys": ([arg for key in KEYS for arg in ("-k", key)], {"keys": keys}),
        "df-SC-keys": (["-df", str(sc), *[arg for key in KEYS for arg in ("-k", key)]],
                       {"template": {"dicom": str(sc)}, "keys": keys}),
    }


CASE_NAMES = ["df-SC", "dx-chrFren", "chrFren-stf", "CT-sef", "chrH31-stf", "SC-stf-chrGerm", "ii-template",
              "ii-stf", "ii-stf-no-number", "keys", "df-SC-keys"]


@pytest.mark.filterwarnings("ignore:Found unknown escape sequence")  # DCMTK's chrH31-stf output (the defect)
@pytest.mark.parametrize("case", CASE_NAMES)
def test_dcmtk_367_attributes_exist_in_ours_with_the_same_value(case: str, tmp_path: Path) -> None:
    options, fields = comparison_cases(tmp_path)[case]
    theirs, ours = tmp_path / "dcmtk.dcm", tmp_path / "ours.dcm"
    ran = dcmtk(*options, JPEG, theirs, cwd=tmp_path)
    assert ran.returncode == 0 and theirs.exists(), ran.stderr
    result = apply(tmp_path, ours, **fields)
    assert result.code == 0, result.stderr
    assert_valid(ours)
    expected, got = raw_values(theirs), raw_values(ours)
    fixes = DOCUMENTED_FIXES.get(case, {})
    differences = {}
    for name, value in expected.items():
        if name in NEVER_COMPARED or name in fixes:
            continue
        if value is not None and value.startswith(DCMTK_UID_ROOT.encode()):
            continue  # a UID DCMTK made up; ours is new too
        if got.get(name) != value:
            differences[name] = (value, got.get(name))
    assert differences == {}
    for name in fixes:  # a documented fix must still be a difference, or the table is stale
        assert expected.get(name) != got.get(name), f"{case}: {name} no longer differs"


def test_dcmtk_writes_an_empty_study_uid_from_a_source_where_we_fail(tmp_path: Path) -> None:
    source = empty_uid_source(tmp_path)
    theirs = tmp_path / "dcmtk.dcm"
    ran = dcmtk("-stf", source, JPEG, theirs, cwd=tmp_path)
    assert ran.returncode == 0 and dcmread(theirs).StudyInstanceUID == ""  # reference §18.1
    ours = tmp_path / "ours.dcm"
    result = apply(tmp_path, ours, sources={"study_from": str(source)})
    assert result.code == 1 and not ours.exists()
    assert f"{source}: study file: StudyInstanceUID (type 1) is empty" in result.stderr


def test_source_that_cannot_be_read_names_file_and_reason(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.dcm"
    ran = dcmtk("-stf", missing, JPEG, tmp_path / "d.dcm", cwd=tmp_path)
    assert ran.returncode != 0 and "Unable to open study / series file" in ran.stderr
    result = apply(tmp_path, tmp_path / "o.dcm", sources={"series_from": str(missing)})
    assert result.code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("E:")]
    assert errors == [f"E: {missing}: cannot use as series file: file not found"]
