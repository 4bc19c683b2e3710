"""JPEG 2000 and HTJ2K passed through: streams from OpenJPEG and OpenJPH, judged by dciodvfy and decoders.

Each case encodes a small image with a real encoder and converts it with the example
Secondary Capture profile. Proven: zero dciodvfy errors; the transfer syntax and
photometric interpretation the headers imply; the fragment is exactly the
codestream (boxes stripped); lossless streams decode (pylibjpeg-openjpeg, and
OpenJPH's ojph_expand for HTJ2K) to the source array bit for bit, lossy ones to
what the source file decodes to; dcmdump and pydicom read every output.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import openjpeg
import pytest
from pydicom import dcmread
from pydicom.encaps import generate_frames

from img2dcm.errors import InputError
from tests.codecs.encoders import insert_tlm, jph_file, ojph_compress, opj_compress, sample_array, write_raw
from tests.tools import SC_PROFILE, dciodvfy_any_syntax, require_tool, run_cli

J2K_LOSSLESS, J2K = "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"
HT_LOSSLESS, HT_RPCL, HT = "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203"
ROWS, COLUMNS = 40, 48
#: opj_compress needs a few resolutions fewer than its default 6 for 40x48 images.
OPJ = ["-n", "3"]


def grey(bits: int, signed: bool = False) -> np.ndarray:
    array = sample_array(bits, 1, ROWS, COLUMNS, seed=bits)
    return (array.astype(np.int32) - 2 ** (bits - 1)).astype(np.int16 if bits > 8 else np.int8) if signed else array


def colour() -> np.ndarray:
    y, x = np.mgrid[0:ROWS, 0:COLUMNS]
    smooth = np.stack([x * 5, y * 6, 255 - (x + y) * 2], axis=-1)
    return np.clip(smooth + sample_array(4, 3, ROWS, COLUMNS), 0, 255).astype(np.uint8)


Maker = Callable[[Path], tuple[np.ndarray, int, bytes]]
Case = tuple[Maker, str, str, bool]


def case_opj(array_fn: Callable[[], np.ndarray], bits: int, suffix: str, options: list[str]) -> Maker:
    def make(work: Path) -> tuple[np.ndarray, int, bytes]:
        array = array_fn()
        return array, bits, opj_compress(array, bits, suffix, OPJ + options, work)
    return make


def case_ojph(array_fn: Callable[[], np.ndarray], bits: int, options: list[str], wrap: str = "") -> Maker:
    def make(work: Path) -> tuple[np.ndarray, int, bytes]:
        array = array_fn()
        stream = ojph_compress(array, bits, options, work)
        if wrap == "jph":
            stream = jph_file(stream, ROWS, COLUMNS, 3 if array.ndim == 3 else 1, bits)
        elif wrap == "tlm":
            stream = insert_tlm(stream)
        return array, bits, stream
    return make


#: name -> (maker, transfer syntax, photometric, lossless)
CASES: dict[str, Case] = {
    "j2k-grey8": (case_opj(lambda: grey(8), 8, ".j2k", []), J2K_LOSSLESS, "MONOCHROME2", True),
    "j2k-grey12": (case_opj(lambda: grey(12), 12, ".j2k", []), J2K_LOSSLESS, "MONOCHROME2", True),
    "j2k-grey16-signed": (case_opj(lambda: grey(16, signed=True), 16, ".j2k", []), J2K_LOSSLESS, "MONOCHROME2", True),
    "jp2-colour-rct": (case_opj(colour, 8, ".jp2", []), J2K_LOSSLESS, "YBR_RCT", True),
    "j2k-colour-no-mct": (case_opj(colour, 8, ".j2k", ["-mct", "0"]), J2K_LOSSLESS, "RGB", True),
    # 12 tiles, each in 3 tile-parts (one per resolution): every tile-part header is walked.
    "j2k-colour-tiles": (case_opj(colour, 8, ".j2k", ["-t", "16,16", "-TP", "R"]), J2K_LOSSLESS, "YBR_RCT", True),
    "j2k-colour-ict": (case_opj(colour, 8, ".j2k", ["-I", "-r", "4"]), J2K, "YBR_ICT", False),
    "jp2-grey12-irreversible": (case_opj(lambda: grey(12), 12, ".jp2", ["-I", "-r", "3"]), J2K, "MONOCHROME2", False),
    "htj2k-grey12": (case_ojph(lambda: grey(12), 12, ["-reversible", "true"]), HT_LOSSLESS, "MONOCHROME2", True),
    "htj2k-colour-rct": (case_ojph(colour, 8, ["-reversible", "true"]), HT_LOSSLESS, "YBR_RCT", True),
    "jph-colour-rct": (case_ojph(colour, 8, ["-reversible", "true"], wrap="jph"), HT_LOSSLESS, "YBR_RCT", True),
    "htj2k-rpcl-tlm": (case_ojph(lambda: grey(8), 8, ["-reversible", "true", "-num_decomps", "5"], wrap="tlm"),
                       HT_RPCL, "MONOCHROME2", True),
    "htj2k-colour-ict": (case_ojph(colour, 8, ["-qstep", "0.02"]), HT, "YBR_ICT", False),
    "htj2k-grey-irreversible": (case_ojph(lambda: grey(8), 8, ["-qstep", "0.01"]), HT, "MONOCHROME2", False),
}


def codestream_of(data: bytes) -> bytes:
    """The bare codestream: what a JP2/JPH file's jp2c box holds."""
    at = data.find(b"jp2c")
    return data[at + 4 :] if data[:4] == b"\x00\x00\x00\x0c" else data


def ojph_expand(codestream: bytes, work: Path, samples: int) -> np.ndarray:
    """OpenJPH's own decode of a codestream, read back from its PGM/PPM output."""
    source, out = work / "dec.j2c", work / ("dec.ppm" if samples == 3 else "dec.pgm")
    source.write_bytes(codestream)
    subprocess.run([require_tool("ojph_expand"), "-i", str(source), "-o", str(out)], check=True, capture_output=True, timeout=60)
    data = out.read_bytes()
    fields = data.split(maxsplit=4)
    columns, rows, maxval = int(fields[1]), int(fields[2]), int(fields[3])
    body = data[len(data) - rows * columns * samples * (2 if maxval > 255 else 1) :]
    array = np.frombuffer(body, dtype=">u2" if maxval > 255 else "u1").reshape((rows, columns, samples) if samples == 3 else (rows, columns))
    return array


@pytest.mark.parametrize("name", CASES)
def test_codestream_passes_through(name: str, tmp_path: Path) -> None:
    make, syntax, photometric, lossless = CASES[name]
    array, bits, data = make(tmp_path)
    source = tmp_path / ("in.jph" if name.startswith("jph") else "in.jp2" if name.startswith("jp2") else "in.j2c")
    source.write_bytes(data)
    out = tmp_path / "out.dcm"
    result = run_cli("apply", SC_PROFILE, source, out)
    assert result.code == 0, result.stderr
    check = dciodvfy_any_syntax(out)
    assert check.errors == [], check.output
    ds = dcmread(out)
    assert ds.file_meta.TransferSyntaxUID == syntax
    assert ds.PhotometricInterpretation == photometric
    samples = 3 if array.ndim == 3 else 1
    assert (ds.SamplesPerPixel, ds.Rows, ds.Columns) == (samples, ROWS, COLUMNS)
    assert (ds.BitsStored, ds.HighBit, ds.BitsAllocated) == (bits, bits - 1, 8 if bits <= 8 else 16)
    assert ds.PixelRepresentation == (1 if array.dtype.kind == "i" else 0)
    [fragment] = list(generate_frames(ds.PixelData, number_of_frames=1))
    stream = codestream_of(data)
    assert fragment[: len(stream)] == stream and len(fragment) - len(stream) in (0, 1), "not the bare codestream"
    decoded = openjpeg.decode(fragment)
    if lossless:
        assert ds.get("LossyImageCompression", "00") == "00"
        assert np.array_equal(decoded, array), "decoded output differs from the source"
        assert np.array_equal(ds.pixel_array, array)
        if syntax.startswith("1.2.840.10008.1.2.4.20"):
            assert np.array_equal(ojph_expand(stream, tmp_path, samples), array)  # OpenJPH agrees
    else:
        assert ds.LossyImageCompression == "01"
        assert ds.LossyImageCompressionMethod == ("ISO_15444_15" if syntax == HT else "ISO_15444_1")
        assert np.array_equal(decoded, openjpeg.decode(stream))  # the stream's own pixels, untouched
        assert not np.array_equal(decoded, array)
        error = np.abs(decoded.astype(float) - array.astype(float)).mean() / 2 ** bits
        assert error < 0.05, f"lossy decode too far from the source ({error:.3f})"
    dump = subprocess.run([require_tool("dcmdump"), str(out)], capture_output=True, text=True, timeout=60)
    assert dump.returncode == 0 and "PixelData" in dump.stdout


def refused(data: bytes, tmp_path: Path, *extra: str, name: str = "in.j2c") -> str:
    """The one error line for a file that must not convert (and leaves no output)."""
    source = tmp_path / name
    source.write_bytes(data)
    out = tmp_path / "out.dcm"
    result = run_cli("apply", SC_PROFILE, source, out, *extra)
    assert result.code == 1 and not out.exists(), result.stderr
    assert "Traceback" not in result.stderr
    [error] = [line for line in result.stderr.splitlines() if line.startswith("E:")]
    assert str(source) in error
    return error


def patched(data: bytes, **at: int) -> bytes:
    """Codestream bytes changed at SIZ offsets: rsiz_hi (Rsiz high byte), ssiz1 / dx1 (component 1)."""
    out = bytearray(data)
    offsets = {"rsiz_hi": 6, "ssiz1": 42 + 3, "dx1": 43 + 3, "ssiz0": 42, "ssiz2": 42 + 6}
    for key, value in at.items():
        out[offsets[key]] = value
    return bytes(out)


@pytest.fixture
def colour_codestream(tmp_path: Path) -> bytes:
    return opj_compress(colour(), 8, ".j2k", OPJ, tmp_path)


def test_what_dicom_cannot_describe_is_refused(colour_codestream: bytes, tmp_path: Path) -> None:
    assert "subsampled components (2x1)" in refused(patched(colour_codestream, dx1=2), tmp_path)
    assert "mixed precision" in refused(patched(colour_codestream, ssiz1=11), tmp_path)
    assert "signed colour samples" in refused(patched(colour_codestream, ssiz0=0x87, ssiz1=0x87, ssiz2=0x87), tmp_path)
    assert "Part 2 extensions" in refused(patched(colour_codestream, rsiz_hi=0x80), tmp_path)
    assert "truncated" in refused(colour_codestream[: len(colour_codestream) // 2], tmp_path)
    four = sample_array(8, 4, ROWS, COLUMNS)
    raw = write_raw(four, 8, tmp_path / "four.raw")
    subprocess.run([require_tool("opj_compress"), "-i", str(raw), "-o", str(tmp_path / "four.j2k"), *OPJ,
                    "-F", f"{COLUMNS},{ROWS},4,8,u"], check=True, capture_output=True, timeout=60)
    assert "4 components" in refused((tmp_path / "four.j2k").read_bytes(), tmp_path)


def test_jpx_is_refused(tmp_path: Path) -> None:
    jp2 = opj_compress(colour(), 8, ".jp2", OPJ, tmp_path)
    at = jp2.find(b"ftypjp2 ")
    jpx = jp2[: at + 4] + b"jpx " + jp2[at + 8 :]
    jpx = jpx.replace(b"jp2 ", b"jpx ")
    assert "brand 'jpx '" in refused(jpx, tmp_path, name="in.jpf")


def test_auto_detection_names_jpeg2000_and_htj2k(colour_codestream: bytes, tmp_path: Path) -> None:
    from img2dcm.profile.model import InputOptions
    from img2dcm.readers import read_image, sniff

    ht = ojph_compress(colour(), 8, ["-reversible", "true"], tmp_path)
    jph = jph_file(ht, ROWS, COLUMNS, 3, 8)
    jp2 = opj_compress(colour(), 8, ".jp2", OPJ, tmp_path)
    assert [sniff(data[:32]) for data in (colour_codestream, jp2, ht, jph)] == ["jpeg2000", "jpeg2000", "htj2k", "htj2k"]
    path = tmp_path / "x.j2c"
    path.write_bytes(colour_codestream)
    with pytest.raises(InputError, match="not a HTJ2K file .it looks like JPEG2000"):
        read_image(path, InputOptions(format="htj2k"))
    path.write_bytes(ht)
    assert read_image(path, InputOptions(format="jpeg2000")).format == "htj2k"


def test_classic_command_line_takes_jpeg2000(colour_codestream: bytes, tmp_path: Path) -> None:
    source = tmp_path / "in.j2k"
    source.write_bytes(colour_codestream)
    out = tmp_path / "out.dcm"
    result = run_cli("-i", "JPEG2000", source, out, "-k", "PatientID=J2K")
    assert result.code == 0, result.stderr
    ds = dcmread(out)
    assert ds.file_meta.TransferSyntaxUID == J2K_LOSSLESS and ds.PatientID == "J2K"
    assert dciodvfy_any_syntax(out).errors == []
