"""Every BMP corpus file, and generated PNG/TIFF images, through `img2dcm apply`.

Decisions come from the reader tests' table (tests/readers/test_bmp.py, mirroring
docs/input-raster.md). Converted files must give zero dciodvfy errors and
non-DICOMDIR warnings and pixels equal to an independent Pillow decode of the
source (or, where Pillow cannot decode the source, to the reader's own frame,
which the reader tests check against other references).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pydicom import dcmread

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers.bmp import BmpReader
from tests.tools import SC_PROFILE, CorpusRow, dciodvfy, manifest, run_cli

ROWS = manifest("bmp/")


def pillow_reference(path: Path, photometric: str) -> np.ndarray | None:
    try:
        with Image.open(path) as image:
            return np.asarray(image.convert("L" if photometric == "MONOCHROME2" else "RGB"))
    except Exception:  # Pillow cannot decode some files we can (2-bit, RLE with skips)
        return None


def reader_frame(path: Path, rows: int, columns: int, samples: int) -> np.ndarray:
    image = BmpReader().read(path, InputOptions())
    data = image.frames[0].open().read()
    shape = (rows, columns, samples) if samples > 1 else (rows, columns)
    return np.frombuffer(data, dtype=np.uint8).reshape(shape)


def assert_clean(out: Path) -> None:
    check = dciodvfy(out)
    assert check.errors == [] and check.warnings == [], check.output


@pytest.mark.parametrize("row", ROWS, ids=[r.path for r in ROWS])
def test_bmp_converts_or_fails_cleanly(row: CorpusRow, tmp_path: Path) -> None:
    out = tmp_path / "out.dcm"
    try:
        BmpReader().read(row.file, InputOptions())
        converts = True
    except InputError:
        converts = False
    result = run_cli("apply", SC_PROFILE, row.file, out)
    assert "Traceback" not in result.stderr
    if not converts:
        assert result.code == 1
        errors = [line for line in result.stderr.splitlines() if line.startswith("E:")]
        assert len(errors) == 1 and str(row.file) in errors[0], result.stderr
        assert list(tmp_path.iterdir()) == []
        return
    assert result.code == 0, result.stderr
    assert_clean(out)
    ds = dcmread(out)
    assert ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"
    assert ds.BitsAllocated == 8 and ds.BitsStored == 8
    ours = ds.pixel_array
    reference = pillow_reference(row.file, ds.PhotometricInterpretation)
    if reference is None or row.path.endswith(("rlecut.bmp", "rletrns.bmp")):
        reference = reader_frame(row.file, ds.Rows, ds.Columns, ds.SamplesPerPixel)
    assert np.array_equal(ours, reference), "pixels differ from the source"


def make(tmp_path: Path, name: str, image: Image.Image, **save: object) -> Path:
    path = tmp_path / name
    image.save(path, **save)
    return path


def gradient(mode: str, size: tuple[int, int] = (40, 30)) -> Image.Image:
    width, height = size
    ramp = (np.arange(width * height, dtype=np.uint32) * 37) % 256
    if mode == "L":
        return Image.fromarray(ramp.reshape(height, width).astype(np.uint8), "L")
    if mode == "I;16":
        return Image.fromarray((ramp * 257 + 3).reshape(height, width).astype(np.uint16))
    rgb = np.stack([ramp, 255 - ramp, (ramp * 7) % 256], axis=-1).reshape(height, width, 3).astype(np.uint8)
    return Image.fromarray(rgb, "RGB").convert(mode)


CASES = {
    # name: (file name, mode, sop_class, expected PI, bits stored, expected SOP class UID)
    "png-grey8": ("g.png", "L", "secondary-capture", "MONOCHROME2", 8, "1.2.840.10008.5.1.4.1.1.7"),
    "png-grey16-nsc": ("g16.png", "I;16", "multiframe-secondary-capture", "MONOCHROME2", 16,
                       "1.2.840.10008.5.1.4.1.1.7.3"),
    "png-rgb": ("c.png", "RGB", "vl-photographic", "RGB", 8, "1.2.840.10008.5.1.4.1.1.77.1.4"),
    "png-rgba": ("a.png", "RGBA", "secondary-capture", "RGB", 8, "1.2.840.10008.5.1.4.1.1.7"),
    "png-palette": ("p.png", "P", "multiframe-secondary-capture", "RGB", 8, "1.2.840.10008.5.1.4.1.1.7.4"),
    "tiff-rgb": ("c.tif", "RGB", "secondary-capture", "RGB", 8, "1.2.840.10008.5.1.4.1.1.7"),
    "tiff-grey16": ("g16.tif", "I;16", "secondary-capture", "MONOCHROME2", 16, "1.2.840.10008.5.1.4.1.1.7"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_png_and_tiff_convert_losslessly(case: str, tmp_path: Path) -> None:
    name, mode, sop_class, pi, bits, sop_uid = CASES[case]
    source = make(tmp_path, name, gradient(mode))
    out = tmp_path / "out.dcm"
    result = run_cli("apply", SC_PROFILE, "--set", f"output.sop_class={sop_class}", source, out)
    assert result.code == 0, result.stderr
    assert_clean(out)
    ds = dcmread(out)
    assert (ds.SOPClassUID, ds.PhotometricInterpretation, ds.BitsStored) == (sop_uid, pi, bits)
    with Image.open(source) as image:
        expected = np.asarray(image if mode in ("L", "I;16") else image.convert("RGB"))
    assert np.array_equal(ds.pixel_array, expected)
    if mode == "RGBA":  # opaque everywhere: dropped without a warning, nothing is lost
        assert "alpha" not in result.stderr


def test_multipage_tiff_becomes_a_multiframe_object_with_page_numbers(tmp_path: Path) -> None:
    pages = [gradient("L"), gradient("L").transpose(Image.Transpose.FLIP_LEFT_RIGHT), gradient("L").rotate(180)]
    source = tmp_path / "scan.tif"
    pages[0].save(source, save_all=True, append_images=pages[1:])
    out = tmp_path / "scan.dcm"
    result = run_cli("apply", SC_PROFILE, "--set", "output.sop_class=multiframe-secondary-capture",
                     "--set", "output.multiframe.increment=page-number", source, out)
    assert result.code == 0, result.stderr
    assert_clean(out)
    ds = dcmread(out)
    assert ds.NumberOfFrames == 3
    assert ds.FrameIncrementPointer == 0x00182001
    assert list(ds.PageNumberVector) == [1, 2, 3]
    assert np.array_equal(ds.pixel_array, np.stack([np.asarray(p) for p in pages]))


def test_multipage_tiff_into_single_frame_class_names_the_classes_that_accept_it(tmp_path: Path) -> None:
    source = tmp_path / "scan.tif"
    gradient("L").save(source, save_all=True, append_images=[gradient("L")])
    out = tmp_path / "scan.dcm"
    result = run_cli("apply", SC_PROFILE, source, out)
    assert result.code == 1
    assert "multiframe-secondary-capture" in result.stderr
    assert not out.exists()
