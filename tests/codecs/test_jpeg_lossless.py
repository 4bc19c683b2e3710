"""Lossless JPEG (SOF3) passed through: streams from DCMTK dcmcjpeg, judged by dciodvfy and libjpeg.

Each case encodes a noise image with a real encoder, converts the stream with the
example Secondary Capture profile and proves: zero dciodvfy errors, the transfer
syntax the scans imply (.70 for predictor 1, .57 otherwise), the Image Pixel
values, LossyImageCompression 00, and decoded output == source array bit for
bit; DCMTK dcmdump and pydicom read the output.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import libjpeg
import numpy as np
import pytest
from pydicom import dcmread
from pydicom.encaps import generate_frames

from tests.codecs.encoders import dcmcjpeg_stream, ffmpeg_ljpeg, insert_after_soi, jfif_app0, sample_array
from tests.tools import CORPUS, SC_PROFILE, dciodvfy, require_tool, run_cli

SV1 = "1.2.840.10008.1.2.4.70"
ANY_PREDICTOR = "1.2.840.10008.1.2.4.57"

CASES = [
    # (source bits, samples, dcmcjpeg options, stream precision P, transfer syntax, photometric)
    # DCMTK's default "true lossless" codec codes every allocated bit (P = 8 or 16);
    # its "pseudo lossless" codec (+pl) codes P = BitsStored, exact up to 12 bits.
    (8, 1, ["+e1"], 8, SV1, "MONOCHROME2"),
    (12, 1, ["+pl", "+e1"], 12, SV1, "MONOCHROME2"),
    (12, 1, ["+e1"], 16, SV1, "MONOCHROME2"),
    (16, 1, ["+e1"], 16, SV1, "MONOCHROME2"),
    (16, 1, ["+el", "+sv", "7"], 16, ANY_PREDICTOR, "MONOCHROME2"),
    (8, 3, ["+e1"], 8, SV1, "RGB"),
    (8, 3, ["+el", "+sv", "4"], 8, ANY_PREDICTOR, "RGB"),
    (16, 3, ["+e1"], 16, SV1, "RGB"),
]


def convert(stream: bytes, tmp_path: Path) -> tuple[Path, object]:
    source = tmp_path / "in.jpg"
    source.write_bytes(stream)
    out = tmp_path / "out.dcm"
    result = run_cli("apply", SC_PROFILE, source, out)
    assert result.code == 0, result.stderr
    return out, result


@pytest.mark.parametrize(("bits", "samples", "options", "precision", "syntax", "photometric"), CASES,
                         ids=[f"{c[0]}bit-{c[1]}spp-{''.join(c[2])}" for c in CASES])
def test_lossless_jpeg_passes_through_bit_for_bit(
    bits: int, samples: int, options: list[str], precision: int, syntax: str, photometric: str, tmp_path: Path
) -> None:
    array = sample_array(bits, samples)
    stream = dcmcjpeg_stream(array, bits, options, tmp_path)
    sof = stream.find(b"\xff\xc3")
    assert sof > 0 and stream[sof + 4] == precision, "the encoder did not write the SOF3 expected"
    out, _ = convert(stream, tmp_path)
    check = dciodvfy(out)
    assert check.errors == [], check.output
    ds = dcmread(out)
    assert ds.file_meta.TransferSyntaxUID == syntax
    assert ds.PhotometricInterpretation == photometric
    assert (ds.SamplesPerPixel, ds.BitsStored, ds.HighBit, ds.PixelRepresentation) == (
        samples, precision, precision - 1, 0)
    assert ds.BitsAllocated == (8 if precision <= 8 else 16)
    assert ds.get("LossyImageCompression", "00") == "00"  # Type 3 in SC: absent or 00, never 01
    [fragment] = list(generate_frames(ds.PixelData, number_of_frames=1))
    assert np.array_equal(libjpeg.decode(fragment), array), "decoded output differs from the source"
    assert np.array_equal(ds.pixel_array, array)  # pydicom's own decode path agrees
    dump = subprocess.run([require_tool("dcmdump"), str(out)], capture_output=True, text=True, timeout=60)
    assert dump.returncode == 0 and "PixelData" in dump.stdout


def test_point_transform_is_labelled_lossy(tmp_path: Path) -> None:
    array = sample_array(12, 1)
    stream = dcmcjpeg_stream(array, 12, ["+pl", "+el", "+sv", "1", "+pt", "2"], tmp_path)
    out, result = convert(stream, tmp_path)
    assert "point transform 2" in result.stderr
    assert dciodvfy(out).errors == []
    ds = dcmread(out)
    assert ds.file_meta.TransferSyntaxUID == ANY_PREDICTOR  # SV1 yet not .70: low bits were dropped
    assert ds.LossyImageCompression == "01"
    assert ds.LossyImageCompressionMethod == "ISO_10918_1"
    [fragment] = list(generate_frames(ds.PixelData, number_of_frames=1))
    tail = fragment[fragment.find(b"\xff\xc3") :].rstrip(b"\0")
    assert tail == stream[stream.find(b"\xff\xc3") :]  # passed through unchanged after the JFIF APP0
    assert not np.array_equal(libjpeg.decode(fragment), array)


@pytest.mark.parametrize(("marker", "reason"), [(0xC7, "hierarchical"), (0xCB, "arithmetic-coded"), (0xCF, "hierarchical and arithmetic-coded")])
def test_hierarchical_and_arithmetic_lossless_are_refused_with_a_reason(marker: int, reason: str, tmp_path: Path) -> None:
    stream = bytearray(dcmcjpeg_stream(sample_array(8, 1), 8, ["+e1"], tmp_path))
    stream[stream.find(b"\xff\xc3") + 1] = marker
    source = tmp_path / "in.jpg"
    source.write_bytes(bytes(stream))
    out = tmp_path / "out.dcm"
    result = run_cli("apply", SC_PROFILE, source, out)
    assert result.code == 1 and not out.exists()
    [error] = [line for line in result.stderr.splitlines() if line.startswith("E:")]
    assert str(source) in error and f"{reason} JPEG cannot be passed through" in error, error


def test_every_scan_decides_the_predictor() -> None:
    """ISO 10918-2 stream O2 is non-interleaved: one scan per component, each with its own predictor."""
    from img2dcm.profile.model import InputOptions
    from img2dcm.readers.jpeg_context import ReadContext
    from img2dcm.readers.jpeg_lossless import lossless_coding
    from img2dcm.readers.jpeg_markers import SOS, walk_markers

    path = CORPUS / "jpeg/iso10918-2_O2.jpg"
    data = bytearray(path.read_bytes())
    scans = [seg for seg in walk_markers(bytes(data)).segments if seg.code == SOS]
    predictor_at = [seg.payload_offset + 1 + 2 * data[seg.payload_offset] for seg in scans]
    assert [data[at] for at in predictor_at] == [7, 7, 1, 7]

    def coding(stream: bytearray) -> str:
        ctx = ReadContext(path, bytes(stream), InputOptions())
        return lossless_coding(ctx, walk_markers(bytes(stream)).segments).transfer_syntax

    assert coding(data) == ANY_PREDICTOR
    data[predictor_at[0]] = 1  # a first-scan-only rule would now say .70
    assert coding(data) == ANY_PREDICTOR
    for at in predictor_at:
        data[at] = 1
    assert coding(data) == SV1


@pytest.mark.parametrize("with_jfif", [True, False])
def test_ycbcr_lossless_from_ffmpeg(with_jfif: bool, tmp_path: Path) -> None:
    """ffmpeg ljpeg codes YCbCr planes (ids 1,2,3, no JFIF): YBR_FULL only with evidence of YCbCr."""
    planes = sample_array(8, 1, rows=3 * 20).reshape(3, 20, 24)
    stream = ffmpeg_ljpeg(planes, "yuvj444p", tmp_path, predictor=3)
    if with_jfif:
        stream = insert_after_soi(stream, jfif_app0())
    out, _ = convert(stream, tmp_path)
    assert dciodvfy(out).errors == []
    ds = dcmread(out)
    # With JFIF: YCbCr by the same precedence libjpeg uses. Without: RGB, as dcm4che and
    # GDCM label lossless colour (lossless encoders normally code the samples as they are).
    assert ds.PhotometricInterpretation == ("YBR_FULL" if with_jfif else "RGB")
    assert ds.file_meta.TransferSyntaxUID == ANY_PREDICTOR
    [fragment] = list(generate_frames(ds.PixelData, number_of_frames=1))
    assert np.array_equal(libjpeg.decode(fragment), planes.transpose(1, 2, 0))  # samples bit for bit
