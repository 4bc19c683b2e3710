"""Fixtures: DICOM objects made by our own converter, and real peers on free loopback ports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom.uid import generate_uid

from tests.net import servers
from tests.tools import ROOT, run_cli

JPEG_SOURCE = ROOT / "profiles" / "examples" / "samples" / "pillow_flower.jpg"
NATIVE_SOURCE = ROOT / "tests" / "corpus" / "bmp" / "good" / "pal8w124.bmp"


@pytest.fixture(scope="session")
def seed_objects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One JPEG Baseline SC and one native (Explicit VR LE) SC, converted by img2dcm."""
    folder = tmp_path_factory.mktemp("seed")
    made = {}
    for kind, source, fmt in (("jpeg", JPEG_SOURCE, "JPEG"), ("native", NATIVE_SOURCE, "BMP")):
        target = folder / f"{kind}.dcm"
        result = run_cli("-i", fmt, source, target)
        assert result.code == 0, result.stderr
        made[kind] = target
    return made


@pytest.fixture
def make_objects(seed_objects: dict[str, Path], tmp_path: Path) -> Callable[[int, str], list[Path]]:
    """``make_objects(n, kind)``: n distinct instances (new SOP Instance UIDs) of a seed object."""

    def make(count: int, kind: str = "jpeg", folder: str = "out") -> list[Path]:
        target = tmp_path / folder
        target.mkdir(exist_ok=True)
        paths = []
        for index in range(count):
            dataset = dcmread(seed_objects[kind])
            uid = generate_uid()
            dataset.SOPInstanceUID = uid
            dataset.file_meta.MediaStorageSOPInstanceUID = uid
            dataset.InstanceNumber = index + 1
            path = target / f"{kind}-{index:03d}.dcm"
            dataset.save_as(path, enforce_file_format=True)
            paths.append(path)
        return paths

    return make


@pytest.fixture
def storescp(tmp_path: Path) -> Iterator[Callable[..., servers.Server]]:
    """Start storescp peers (``storescp(folder, accept_all=...)``); all are stopped afterwards."""
    started: list[servers.Server] = []

    def start(folder: Path | None = None, **kwargs: object) -> servers.Server:
        server = servers.storescp(folder or tmp_path / "received", **kwargs)  # type: ignore[arg-type]
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def orthanc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.Orthanc]:
    peer = servers.orthanc(tmp_path_factory.mktemp("orthanc"))
    yield peer
    peer.server.stop()


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
