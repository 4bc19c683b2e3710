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


def write_pnm(array: np.ndarray, bits: int, path: Path) -> Path:
    """Binary PGM/PPM (Netpbm): maxval 2**bits - 1 gives encoders the precision."""
    rows, columns = array.shape[:2]
    magic = b"P6" if array.ndim == 3 else b"P5"
    dtype = ">u2" if bits > 8 else "u1"
    path.write_bytes(magic + f"\n{columns} {rows}\n{2**bits - 1}\n".encode() + array.astype(dtype).tobytes())
    return path


def write_raw(array: np.ndarray, bits: int, path: Path) -> Path:
    """Planar raw samples, big-endian for more than 8 bits, as opj_compress -F and ojph_compress read them."""
    planes = array.transpose(2, 0, 1) if array.ndim == 3 else array[np.newaxis]
    dtype = (">i2" if array.dtype.kind == "i" else ">u2") if bits > 8 else ("i1" if array.dtype.kind == "i" else "u1")
    path.write_bytes(planes.astype(dtype).tobytes())
    return path


def opj_compress(array: np.ndarray, bits: int, suffix: str, options: list[str], work: Path) -> bytes:
    """OpenJPEG's encoding of ``array`` into a .j2k codestream or a .jp2 file."""
    signed = array.dtype.kind == "i"
    samples = array.shape[2] if array.ndim == 3 else 1
    if signed:
        source = write_raw(array, bits, work / "in.raw")
        rows, columns = array.shape[:2]
        options = ["-F", f"{columns},{rows},{samples},{bits},s", *options]
    else:
        source = write_pnm(array, bits, work / ("in.ppm" if samples == 3 else "in.pgm"))
    out = work / f"out{suffix}"
    subprocess.run([require_tool("opj_compress"), "-i", str(source), "-o", str(out), *options],
                   check=True, capture_output=True, timeout=60)
    return out.read_bytes()


def ojph_compress(array: np.ndarray, bits: int, options: list[str], work: Path) -> bytes:
    """OpenJPH's HTJ2K codestream (.j2c) of ``array``."""
    samples = array.shape[2] if array.ndim == 3 else 1
    source = write_pnm(array, bits, work / ("in.ppm" if samples == 3 else "in.pgm"))
    out = work / "out.j2c"
    subprocess.run([require_tool("ojph_compress"), "-i", str(source), "-o", str(out), *options],
                   check=True, capture_output=True, timeout=60)
    return out.read_bytes()


def box(kind: bytes, payload: bytes) -> bytes:
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def jph_file(codestream: bytes, rows: int, columns: int, samples: int, bits: int) -> bytes:
    """A JPH file (ISO/IEC 15444-15 Annex D) around an HTJ2K codestream: signature, ftyp, jp2h, jp2c."""
    ihdr = rows.to_bytes(4, "big") + columns.to_bytes(4, "big") + samples.to_bytes(2, "big") + bytes([bits - 1, 7, 0, 0])
    colr = bytes([1, 0, 0]) + (16 if samples == 3 else 17).to_bytes(4, "big")
    return (
        bytes.fromhex("0000000c6a5020200d0a870a")
        + box(b"ftyp", b"jph \x00\x00\x00\x00jph ")
        + box(b"jp2h", box(b"ihdr", ihdr) + box(b"colr", colr))
        + box(b"jp2c", codestream)
    )


def insert_tlm(codestream: bytes) -> bytes:
    """Add a TLM marker (15444-1 §A.7.1) for a one-tile-part codestream: Stlm 0x40 = Ptlm of 4 bytes."""
    sot = codestream.find(b"\xff\x90")
    psot = int.from_bytes(codestream[sot + 6 : sot + 10], "big") or len(codestream) - 2 - sot
    tlm = b"\xff\x55" + (2 + 1 + 1 + 4).to_bytes(2, "big") + bytes([0, 0x40]) + psot.to_bytes(4, "big")
    return codestream[:sot] + tlm + codestream[sot:]


def ffmpeg_clip(path: Path, video: list[str], size: str = "176x144", rate: int = 25, frames: int = 10,
                audio: list[str] | None = None) -> Path:
    """A short synthetic clip (lavfi testsrc2, optionally a sine tone) encoded by ffmpeg."""
    command = [require_tool("ffmpeg"), "-y", "-v", "error", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}"]
    if audio is not None:
        command += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-shortest", *audio]
    else:
        command += ["-an"]
    subprocess.run([*command, "-frames:v", str(frames), *video, str(path)], check=True, capture_output=True, timeout=120)
    return path


def frame_md5s(path: Path) -> list[str]:
    """ffmpeg's per-frame MD5s of the decoded video (framemd5 muxer), one per frame."""
    result = subprocess.run([require_tool("ffmpeg"), "-v", "error", "-i", str(path), "-map", "0:v:0", "-f", "framemd5", "-"],
                            check=True, capture_output=True, text=True, timeout=120)
    return [line.rsplit(",", 1)[1].strip() for line in result.stdout.splitlines() if line and not line.startswith("#")]
