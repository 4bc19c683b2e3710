"""Test inputs made at test time by real encoders (DCMTK, ffmpeg, OpenJPEG, OpenJPH).

Every helper runs the installed tool and returns the bytes it wrote; a missing
tool fails the test (tests.tools.require_tool). Images are tiny so the suite stays fast.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
from pydicom import dcmread
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import generate_frames
from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage, generate_uid

from tests.tools import require_tool


def sample_array(bits: int, samples: int, rows: int = 20, columns: int = 24, seed: int = 0) -> np.ndarray:
    """Noise over a gradient, using the full range of ``bits`` (hard for any predictor)."""
    rng = np.random.default_rng(seed)
    shape = (rows, columns, samples) if samples > 1 else (rows, columns)
    return rng.integers(0, 2**bits, shape, dtype=np.uint32 if bits > 16 else np.uint16 if bits > 8 else np.uint8)


def native_dicom(array: np.ndarray, bits: int, path: Path) -> Path:
    """An uncompressed Secondary Capture holding ``array``: the input DCMTK's encoders need."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.SOPClassUID = SecondaryCaptureImageStorage
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.Rows, ds.Columns = array.shape[:2]
    ds.SamplesPerPixel = 3 if array.ndim == 3 else 1
    ds.PhotometricInterpretation = "RGB" if array.ndim == 3 else "MONOCHROME2"
    if array.ndim == 3:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated = 8 if bits <= 8 else 16
    ds.BitsStored, ds.HighBit, ds.PixelRepresentation = bits, bits - 1, 0
    ds.PixelData = array.astype(np.uint8 if bits <= 8 else np.uint16).tobytes()
    ds.save_as(path, enforce_file_format=True)
    return path


def dcmcjpeg_stream(array: np.ndarray, bits: int, options: list[str], work: Path) -> bytes:
    """The JPEG stream DCMTK ``dcmcjpeg OPTIONS`` makes of ``array`` (taken out of its DICOM)."""
    source = native_dicom(array, bits, work / "native.dcm")
    encoded = work / "encoded.dcm"
    subprocess.run(
        [require_tool("dcmcjpeg"), *options, str(source), str(encoded)], check=True, capture_output=True, timeout=60
    )
    ds = dcmread(encoded)
    [frame] = list(generate_frames(ds.PixelData, number_of_frames=1))
    return frame[:-1] if frame.endswith(b"\xff\xd9\x00") else frame  # drop the even-length pad


def ffmpeg_ljpeg(planes: np.ndarray, pix_fmt: str, work: Path, predictor: int = 1) -> bytes:
    """ffmpeg's lossless JPEG of 8-bit planar samples ``planes`` (3 x rows x columns) in ``pix_fmt``."""
    _count, rows, columns = planes.shape
    raw = work / "planes.raw"
    raw.write_bytes(planes.astype(np.uint8).tobytes())
    out = work / "ljpeg.jpg"
    subprocess.run(
        [require_tool("ffmpeg"), "-y", "-v", "error", "-f", "rawvideo", "-pix_fmt", pix_fmt, "-s", f"{columns}x{rows}",
         "-i", str(raw), "-c:v", "ljpeg", "-pred", str(predictor), "-pix_fmt", pix_fmt, "-frames:v", "1", str(out)],
        check=True, capture_output=True, timeout=60,
    )
    return out.read_bytes()


def insert_after_soi(stream: bytes, segment: bytes) -> bytes:
    return stream[:2] + segment + stream[2:]


def jfif_app0() -> bytes:
    """A JFIF 1.01 APP0 with square pixels (JFIF 1.02 §"JFIF marker")."""
    return bytes.fromhex("ffe000104a46494600010100000100010000")
