"""Template cleanup: DCMTK's list plus our frame/lossy additions, top level only."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom.dataset import Dataset

from img2dcm.profile.model import TemplateOptions
from img2dcm.templates.cleanup import CLEANUP_KEYWORDS, DCMTK_CLEANUP, cleanup_template
from img2dcm.templates.load import load_template
from tests.templates import CORPUS, DCMTK_TEMPLATES

PIXEL_AND_SOP = ("PixelData", "Rows", "Columns", "SOPClassUID", "SOPInstanceUID")


def test_cleanup_removes_every_listed_attribute_and_keeps_the_rest() -> None:
    ds = Dataset()
    for keyword in CLEANUP_KEYWORDS:
        setattr(ds, keyword, None)
    ds.PatientName = "Doe^Jane"
    ds.Modality = "OT"
    removed = cleanup_template(ds)
    assert removed == list(CLEANUP_KEYWORDS)
    assert sorted(e.keyword for e in ds) == ["Modality", "PatientName"]


def test_cleanup_list_starts_with_dcmtk_list() -> None:
    assert CLEANUP_KEYWORDS[: len(DCMTK_CLEANUP)] == DCMTK_CLEANUP
    assert "NumberOfFrames" in CLEANUP_KEYWORDS and "NumberOfFrames" not in DCMTK_CLEANUP


def test_cleanup_leaves_nested_items_alone() -> None:
    item = Dataset()
    item.SOPClassUID = "1.2.3"
    ds = Dataset()
    ds.SOPClassUID = "1.2.3"
    ds.ReferencedImageSequence = [item]
    assert cleanup_template(ds) == ["SOPClassUID"]
    assert ds.ReferencedImageSequence[0].SOPClassUID == "1.2.3"


def test_cleanup_of_empty_dataset_removes_nothing() -> None:
    assert cleanup_template(Dataset()) == []


@pytest.mark.parametrize(
    "path",
    sorted(CORPUS.glob("*.dcm")) + sorted((CORPUS / "charset").glob("*.dcm")),
    ids=lambda p: p.name,
)
def test_every_corpus_file_loads_as_template_without_pixels(path: Path) -> None:
    ds = load_template(TemplateOptions(kind="dicom", path=path))
    for keyword in PIXEL_AND_SOP:
        assert keyword not in ds
    original = dcmread(path)
    assert ds.get("PatientName") == original.get("PatientName")
    assert str(ds.get("PatientName")) == str(original.get("PatientName"))


@pytest.mark.parametrize("name", ["SC.dump", "VLP.dump"])
def test_dump_templates_load_through_the_dispatcher(name: str) -> None:
    ds = load_template(TemplateOptions(kind="dump", path=DCMTK_TEMPLATES / name))
    assert ds.SpecificCharacterSet == "ISO_IR 100"
    assert "PatientName" in ds


def test_vlp_template_loses_its_lossy_flag_in_cleanup() -> None:
    ds = load_template(TemplateOptions(kind="dump", path=DCMTK_TEMPLATES / "VLP.dump"))
    assert "LossyImageCompression" not in ds
    assert list(ds.ImageType) == ["DERIVED", "SECONDARY"]


def test_unknown_template_kind_is_an_error() -> None:
    from img2dcm.errors import TemplateError

    with pytest.raises(TemplateError, match="unknown template kind"):
        load_template(TemplateOptions(kind="yaml", path=Path("x.yaml")))
