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
