"""Modality Worklist against DCMTK wlmscpfs: one match mapped, none / two listed, character sets kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from img2dcm.net.errors import WorklistError
from img2dcm.net.worklist import query_worklist, worklist_attributes
from tests.net import servers
from tests.tools import run_cli

ITEM = """(0008,0005) CS [{charset}]
(0008,0050) SH [{accession}]
(0008,0090) PN [Referring^Rita]
(0010,0010) PN [{name}]
(0010,0020) LO [{patient_id}]
(0010,0021) LO [HOSP-A]
(0010,0030) DA [19700102]
(0010,0040) CS [F]
(0020,000d) UI [{study_uid}]
(0032,1060) LO [Skin photography]
(0032,1064) SQ
(fffe,e000) -
(0008,0100) SH [RP-CODE]
(0008,0102) SH [99LOCAL]
(0008,0104) LO [Dermatology photo]
(fffe,e00d) -
(fffe,e0dd) -
(0040,0100) SQ
(fffe,e000) -
(0008,0060) CS [XC]
(0040,0001) AE [CAMERA1]
(0040,0002) DA [{date}]
(0040,0003) TM [0900]
(0040,0006) PN [Performing^Paul]
(0040,0007) LO [Lesion left arm]
(0040,0009) SH [SPS-{accession}]
(0040,0010) SH [STATION1]
(0040,0011) SH [ROOM1]
(0040,0008) SQ
(fffe,e000) -
(0008,0100) SH [PROTO-1]
(0008,0102) SH [99LOCAL]
(0008,0104) LO [Lesion protocol]
(fffe,e00d) -
(fffe,e0dd) -
(fffe,e00d) -
(fffe,e0dd) -
(0040,1001) SH [RP-{accession}]
"""

ITEMS = [  # (file, accession, patient id, name, charset, encoding of the dump)
    ("latin1", "ACC-L1", "PID-L1", "Müller^Jürgen", "ISO_IR 100", "latin-1"),
    ("utf8", "ACC-U8", "PID-U8", "Ωμέγα^Zoë", "ISO_IR 192", "utf-8"),
    ("twin-a", "ACC-TWIN", "PID-TA", "Twin^Anna", "", "ascii"),
    ("twin-b", "ACC-TWIN", "PID-TB", "Twin^Bert", "", "ascii"),
]


@pytest.fixture(scope="module")
def worklist(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("wl") / "db"
    folder = database / "WLSCP"
    folder.mkdir(parents=True)
    (folder / "lockfile").touch()
    for index, (name, accession, pid, patient, charset, encoding) in enumerate(ITEMS):
        servers.worklist_file(folder, name, ITEM.format(charset=charset, accession=accession, name=patient,
                                                        patient_id=pid, date="20261203",
                                                        study_uid=f"1.2.826.0.1.3680043.8.498.7{index}"), encoding)
    peer = servers.wlmscpfs(database)
    yield f"dicom://WLSCP@127.0.0.1:{peer.port}"
    peer.stop()


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
