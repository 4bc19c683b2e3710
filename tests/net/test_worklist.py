"""Modality Worklist against DCMTK wlmscpfs: one match mapped, none / two listed, character sets kept."""

from __future__ import annotations

import pytest

from img2dcm.net.errors import WorklistError
from img2dcm.net.worklist import query_worklist, worklist_attributes
from tests.tools import run_cli


@pytest.mark.parametrize("accession, name, charset", [("ACC-L1", "Müller^Jürgen", "ISO_IR 100"),
                                                      ("ACC-U8", "Ωμέγα^Zoë", "ISO_IR 192")])
def test_one_item_is_mapped_in_its_own_character_set(worklist, accession, name, charset):
    item = query_worklist(worklist, {"AccessionNumber": accession})
    mapped = worklist_attributes(item)
    assert mapped.SpecificCharacterSet == charset
    assert str(mapped.PatientName) == name
    assert mapped.AccessionNumber == accession
    assert mapped.PatientID.startswith("PID-") and mapped.IssuerOfPatientID == "HOSP-A"
    assert mapped.PatientBirthDate == "19700102" and mapped.PatientSex == "F"
    assert mapped.StudyInstanceUID.startswith("1.2.826.0.1.3680043.8.498.7")
    assert str(mapped.ReferringPhysicianName) == "Referring^Rita"
    assert mapped.StudyDescription == "Skin photography"
    assert mapped.ProcedureCodeSequence[0].CodeValue == "RP-CODE"
    request = mapped.RequestAttributesSequence[0]
    assert request.RequestedProcedureID == f"RP-{accession}"
    assert request.ScheduledProcedureStepID == f"SPS-{accession}"
    assert request.ScheduledProcedureStepDescription == "Lesion left arm"
    assert request.ScheduledProtocolCodeSequence[0].CodeValue == "PROTO-1"
    assert "CodingSchemeVersion" not in request.ScheduledProtocolCodeSequence[0]  # empty return key dropped
    assert request.StudyInstanceUID == mapped.StudyInstanceUID


def test_mapped_attributes_encode_in_the_items_character_set(worklist, tmp_path):
    from pydicom import dcmread
    from pydicom.dataset import FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian

    mapped = worklist_attributes(query_worklist(worklist, {"AccessionNumber": "ACC-L1"}))
    mapped.file_meta = FileMetaDataset()
    mapped.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    path = tmp_path / "mapped.dcm"
    mapped.save_as(path, implicit_vr=False, little_endian=True)
    assert "Müller^Jürgen".encode("latin-1") in path.read_bytes()
    assert str(dcmread(path, force=True).PatientName) == "Müller^Jürgen"


def test_two_matches_fail_listing_both_candidates(worklist):
    with pytest.raises(WorklistError) as caught:
        query_worklist(worklist, {"AccessionNumber": "ACC-TWIN"})
    line = caught.value.line()
    assert line.startswith("WLSCP@127.0.0.1:") and "2 worklist items match AccessionNumber=ACC-TWIN" in line
    assert "PatientID PID-TA, name Twin^Anna, accession ACC-TWIN, scheduled 20261203" in line
    assert "PID-TB" in line and "\n" not in line


def test_no_match_fails_naming_the_peer_and_the_keys(worklist):
    with pytest.raises(WorklistError, match=r"WLSCP@127\.0\.0\.1:\d+: no worklist item matches AccessionNumber=NOPE"):
        query_worklist(worklist, {"AccessionNumber": "NOPE"})


def test_station_modality_and_date_narrow_the_query(worklist):
    item = query_worklist(worklist, {"PatientID": "PID-U8"}, scheduled_station_ae="CAMERA1", modality="XC",
                          date="20261201-20261231")
    assert item.AccessionNumber == "ACC-U8"
    with pytest.raises(WorklistError, match="no worklist item"):
        query_worklist(worklist, {"PatientID": "PID-U8"}, modality="OP")


def test_unknown_called_ae_is_rejected_with_the_reason(worklist):
    wrong = worklist.replace("WLSCP@", "NOSUCHAE@")
    with pytest.raises(WorklistError, match="association rejected permanently: called AE title not recognised"):
        query_worklist(wrong, {"AccessionNumber": "ACC-L1"})
    echo = run_cli("echo", wrong)
    assert echo.code == 1 and "called AE title not recognised" in echo.stderr
