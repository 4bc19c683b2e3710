"""The JPEG colour label, judged by real decoders: DICOM output shows the source's colours.

Each input is made by a real encoder (Pillow's libjpeg-turbo), some with the
markers rewritten the way other encoders write them. The converted file is
decoded three ways that trust the DICOM Photometric Interpretation (pydicom
with pylibjpeg, pydicom with Pillow, DCMTK dcmdjpeg) and compared with what
libjpeg shows for the JPEG file itself, and with the encoder's input array.
A wrong label gives a mean error of about 60 of 255; a right one under 1.
"""

from __future__ import annotations

import io
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pydicom import dcmread
from pydicom.pixels import pixel_array

from tests.tools import SC_PROFILE, dciodvfy, require_tool, run_cli

#: Largest mean absolute error (of 255) accepted between a decode and the reference.
TOLERANCE = 2.0


def source_array() -> np.ndarray:
    """A colourful 64x48 gradient: any YCbCr/RGB mix-up moves every pixel far."""
    y, x = np.mgrid[0:48, 0:64]
    return np.stack([x * 4, y * 5, 255 - (x + y) * 2], axis=-1).astype(np.uint8)


def encode(**options: object) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(source_array()).save(buffer, "JPEG", quality=95, **options)
    return buffer.getvalue()


def segments(data: bytes) -> list[tuple[int, int, int]]:
    """(marker, offset, size) of each segment up to and including the first SOS."""
    found, pos = [], 2
    while True:
        code, length = data[pos + 1], struct.unpack_from(">H", data, pos + 2)[0]
        found.append((code, pos, 2 + length))
        if code == 0xDA:
            return found
        pos += 2 + length


def set_rgb_ids(data: bytes) -> bytes:
    """Component ids 'R','G','B' in SOF0 and SOS, as some encoders write them."""
    out = bytearray(data)
    for code, offset, _size in segments(data):
        for i, ident in enumerate(b"RGB"):
            if code == 0xC0:
                out[offset + 10 + 3 * i] = ident
            elif code == 0xDA:
                out[offset + 5 + 2 * i] = ident
    return bytes(out)


def drop(data: bytes, marker: int) -> bytes:
    code, offset, size = next(s for s in segments(data) if s[0] == marker)
    return data[:offset] + data[offset + size :]


def add_jfif(data: bytes) -> bytes:
    payload = b"JFIF\x00" + struct.pack(">BBBHHBB", 1, 1, 0, 1, 1, 0, 0)
    return data[:2] + b"\xff\xe0" + struct.pack(">H", len(payload) + 2) + payload + data[2:]


#: name -> (input JPEG, label libjpeg's precedence gives, is the source array the reference?)
CASES = {
    # JFIF APP0 + ids R,G,B: libjpeg decodes YCbCr; the old rule said RGB (mean error ~60).
    "jfif-with-rgb-ids": (lambda: set_rgb_ids(encode(subsampling=0)), "YBR_FULL_422", True),
    "jfif-with-rgb-ids-420": (lambda: set_rgb_ids(encode(subsampling=2)), "YBR_FULL_422", True),
    # libjpeg's own untransformed RGB: Adobe APP14 transform 0 and ids R,G,B.
    "adobe-transform-0": (lambda: encode(keep_rgb=True), "RGB", True),
    # The same stream without APP14: the ids alone say RGB.
    "rgb-ids-only": (lambda: drop(encode(keep_rgb=True), 0xEE), "RGB", True),
    # RGB samples under a JFIF APP0: every libjpeg decoder shows them as YCbCr, so must we.
    "jfif-over-adobe-0": (lambda: add_jfif(encode(keep_rgb=True)), "YBR_FULL_422", False),
}


def mean_error(a: np.ndarray, b: np.ndarray) -> float:
    assert a.shape == b.shape
    return float(np.abs(a.astype(int) - b.astype(int)).mean())


@pytest.mark.parametrize("case", CASES)
def test_decoded_output_shows_the_source_colours(case: str, tmp_path: Path) -> None:
    make, label, source_is_reference = CASES[case]
    jpeg = tmp_path / "in.jpg"
    jpeg.write_bytes(make())
    viewer = np.asarray(Image.open(jpeg).convert("RGB"))  # what libjpeg shows for the file
    if source_is_reference:
        assert mean_error(viewer, source_array()) < TOLERANCE
    out = tmp_path / "out.dcm"
    result = run_cli("apply", SC_PROFILE, jpeg, out)
    assert result.code == 0, result.stderr
    assert dciodvfy(out).errors == []
    assert dcmread(out).PhotometricInterpretation == label

    decoded = {plugin: pixel_array(out, decoding_plugin=plugin) for plugin in ("pylibjpeg", "pillow")}
    native = tmp_path / "native.dcm"
    subprocess.run([require_tool("dcmdjpeg"), str(out), str(native)], check=True, capture_output=True, timeout=60)
    decoded["dcmdjpeg"] = dcmread(native).pixel_array
    for decoder, array in decoded.items():
        assert mean_error(array, viewer) < TOLERANCE, f"{decoder} shows other colours than the JPEG file"
