"""The worklist plan step: a real conversion filled from wlmscpfs, provenance worklist (AE@HOST), valid."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pydicom import dcmread

from img2dcm.errors import ConversionError
from img2dcm.net.errors import WorklistError
from img2dcm.pipeline import compile_plan
from img2dcm.profile.load import load_profile
from img2dcm.profile.model import KeySpec, WorklistSource
from img2dcm.readers import read_image
from img2dcm.steps.worklist import WorklistAttributes
from img2dcm.write import write_object
from tests.net.conftest import JPEG_SOURCE
from tests.tools import SC_PROFILE, dciodvfy


def convert_with_worklist(source: WorklistSource, target: Path, keys: tuple[KeySpec, ...] = (),
                          row: dict | None = None):
    profile = load_profile(SC_PROFILE)
    profile = dataclasses.replace(profile, keys=keys)  # the example's own PatientName keys would win
    image = read_image(JPEG_SOURCE, profile.input)
    plan = compile_plan(profile, (image,), target)
    steps = list(plan.steps)
    steps.insert(next(i for i, s in enumerate(steps) if s.title == "UIDs"), WorklistAttributes(source, row=row))
    ctx = dataclasses.replace(plan, steps=tuple(steps)).build()
    write_object(ctx.builder.dataset, (image,), ctx.transfer_syntax, target, profile.output)
    return ctx


def test_accession_from_a_key_fills_patient_and_order_with_worklist_provenance(worklist, tmp_path):
    target = tmp_path / "photo.dcm"
    source = WorklistSource(url=worklist, match_keys=("AccessionNumber",))
    ctx = convert_with_worklist(source, target, keys=(KeySpec("AccessionNumber", "ACC-L1", "site.yaml:9"),))
    label = worklist.removeprefix("dicom://")
    assert str(ctx.builder.source_of("PatientName")) == f"worklist ({label})"
    assert str(ctx.builder.source_of("StudyInstanceUID")) == f"worklist ({label})"
    written = dcmread(target)
    assert str(written.PatientName) == "Müller^Jürgen" and written.SpecificCharacterSet == "ISO_IR 100"
    assert written.StudyInstanceUID == "1.2.826.0.1.3680043.8.498.70"  # the order's study, not a new one
    assert written.RequestAttributesSequence[0].ScheduledProcedureStepID == "SPS-ACC-L1"
    assert dciodvfy(target).errors == []


def test_manifest_row_value_and_utf8_item(worklist, tmp_path):
    target = tmp_path / "photo.dcm"
    source = WorklistSource(url=worklist, match_keys=("AccessionNumber",), modality="XC")
    convert_with_worklist(source, target, row={"AccessionNumber": "ACC-U8"})
    written = dcmread(target)
    assert str(written.PatientName) == "Ωμέγα^Zoë" and written.SpecificCharacterSet == "ISO_IR 192"
    assert dciodvfy(target).errors == []


def test_two_candidates_fail_the_input_and_write_nothing(worklist, tmp_path):
    target = tmp_path / "photo.dcm"
    with pytest.raises(WorklistError, match="2 worklist items match AccessionNumber=ACC-TWIN"):
        convert_with_worklist(WorklistSource(url=worklist, match_values=(("AccessionNumber", "ACC-TWIN"),)), target)
    assert not target.exists()


def test_match_keyword_without_a_value_is_an_error_naming_it(worklist, tmp_path):
    with pytest.raises(ConversionError, match="no value for AccessionNumber"):
        convert_with_worklist(WorklistSource(url=worklist, match_keys=("AccessionNumber",)), tmp_path / "x.dcm")
