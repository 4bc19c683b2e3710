"""Every JPEG and JPEG-LS corpus file through `img2dcm apply` with the example SC profile.

Converted files: exit 0, zero dciodvfy errors and zero non-DICOMDIR warnings, the
MANIFEST's transfer syntax / photometric / bits, and a fragment that decodes to
exactly the source's pixels. Rejected files: exit 1, one line naming the file,
no output file, no leftovers, no traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

import jpeg_ls
import libjpeg
import numpy as np
import pytest
from pydicom import dcmread
from pydicom.encaps import generate_frames

from tests.tools import SC_PROFILE, CorpusRow, dciodvfy, manifest, run_cli

#: Where we deliberately decide differently from DCMTK 3.7.0 (docs/differences.md).
OUR_DECISION = {
    "jpeg/jd_crash_missing-sos.jpg": "reject",  # no scan data: nothing to show (docs/input-jpeg.md)
    "jpegls/t8sse0.jls": "reject",  # subsampled JPEG-LS components: DICOM cannot describe them
    "jpegls/t8sse3.jls": "reject",
    "jpeg/jd_lossless_sel1.jpg": "convert",  # lossless JPEG passes through (docs/input-codecs.md)
}
#: Expectations for the rows we convert although DCMTK 3.7.0 rejects them.
OUR_HEADERS = {"jpeg/jd_lossless_sel1.jpg": ("1.2.840.10008.1.2.4.70", "MONOCHROME2", 16, 16)}
ROWS = manifest("jpeg/") + manifest("jpegls/")


def our_outcome(row: CorpusRow) -> str:
    return OUR_DECISION.get(row.path, "convert" if row.dcmtk_converts else "reject")


def expected_header(row: CorpusRow) -> tuple[str, str, int, int]:
    if row.path in OUR_HEADERS:
        return OUR_HEADERS[row.path]
    text = row.expect
    uid = re.search(r"1\.2\.840\.10008\.1\.2\.4\.\d+", text)
    pi = re.search(r"\b(MONOCHROME2|YBR_FULL_422|RGB)\b", text)
    bits = re.search(r"BitsAllocated (\d+), BitsStored (\d+)", text)
    assert uid and pi and bits, f"cannot parse expectation: {text}"
    return uid.group(0), pi.group(1), int(bits.group(1)), int(bits.group(2))


def decode(data: bytes, jpeg_ls_stream: bool) -> np.ndarray | None:
    """The reference decoder's array, or None when it cannot decode the source at all."""
    try:
        return jpeg_ls.decode(np.frombuffer(data, dtype=np.uint8)) if jpeg_ls_stream else libjpeg.decode(data)
    except Exception:  # the decoders raise various types on damaged streams
        return None


@pytest.mark.parametrize("row", ROWS, ids=[r.path for r in ROWS])
def test_corpus_file_converts_or_fails_cleanly(row: CorpusRow, tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    # progressive streams passed through as DCMTK does (our default decodes them: tests/e2e/test_jpeg_decode.py)
    result = run_cli("apply", SC_PROFILE, "--set", "input.jpeg.progressive=accept", row.file, out)
    assert "Traceback" not in result.stderr
    if our_outcome(row) == "reject":
        assert result.code == 1
        errors = [line for line in result.stderr.splitlines() if line.startswith("E:")]
        assert len(errors) == 1 and str(row.file) in errors[0], result.stderr
        assert list(tmp_path.iterdir()) == [], "a failed conversion left files behind"
        return

    assert result.code == 0, result.stderr
    check = dciodvfy(out)
    assert check.errors == [], check.output
    assert check.warnings == [], check.output
    ds = dcmread(out)
    uid, pi, bits_allocated, bits_stored = expected_header(row)
    assert ds.file_meta.TransferSyntaxUID == uid
    assert ds.PhotometricInterpretation == pi
    assert (ds.BitsAllocated, ds.BitsStored) == (bits_allocated, bits_stored)
    [fragment] = list(generate_frames(ds.PixelData, number_of_frames=1))
    assert len(fragment) % 2 == 0
    assert fragment.startswith(b"\xff\xd8") and fragment.rstrip(b"\0").endswith(b"\xff\xd9")
    is_ls = row.path.startswith("jpegls/")
    source = decode(row.file.read_bytes(), is_ls)
    if source is not None:
        ours = decode(fragment, is_ls)
        assert ours is not None and np.array_equal(ours, source), "pixels differ from the source"
