"""Comparing what a peer stored with what we sent."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from pydicom import dcmread
from pydicom.filereader import _read_file_meta_info, read_preamble


def dataset_bytes(source: Path | BinaryIO) -> bytes:
    """Everything after the File Meta Information (each side writes its own meta group)."""
    with source.open("rb") if isinstance(source, Path) else source as handle:
        read_preamble(handle, False)
        _read_file_meta_info(handle)
        return handle.read()


def received(folder: Path) -> dict[str, Path]:
    """SOP Instance UID -> file, for every complete file storescp wrote."""
    found = {}
    for path in folder.iterdir():
        try:
            found[dcmread(path, stop_before_pixels=True).SOPInstanceUID] = path
        except Exception:  # noqa: BLE001 - a file cut short by a killed peer is not an instance
            continue
    return found
