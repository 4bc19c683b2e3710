"""``output.compression``: every choice round-trips bit for bit and is dciodvfy-clean in every family.

Inputs are made with Pillow at test time. Pixels are compared with Pillow's own decode
of the source (not our reader), through pydicom's decoders, and for RLE and JPEG-LS
also through DCMTK's (dcmdrle, dcmdjpls) so our encoder is not its own judge.
Deflated files are inflated by DCMTK's dcmconv before dciodvfy, which cannot read them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pydicom import dcmread

from img2dcm.compression import COMPRESSIONS, check_encodable
from img2dcm.errors import ConversionError
from img2dcm.readers.base import Frame, PixelDescription
from tests.tools import SC_PROFILE, dciodvfy, require_tool, run_cli

FAMILIES = ("secondary-capture", "multiframe-secondary-capture", "vl-photographic", "ophthalmic-photography")
OP_KEYS = ("keys.ImageLaterality=R",
           "keys.AcquisitionDeviceTypeCodeSequence[0].CodeValue=409898007",
           "keys.AcquisitionDeviceTypeCodeSequence[0].CodingSchemeDesignator=SCT",
           "keys.AcquisitionDeviceTypeCodeSequence[0].CodeMeaning=Fundus Camera")
SYNTAX = {name: c.transfer_syntax for name, c in COMPRESSIONS.items()}

#: Which families the standard lets hold each kind (PS3.3 §A.8.1-A.8.5, §A.32.4, §A.41/§A.42).
KINDS = {
    "rgb8": FAMILIES,
    "grey8": FAMILIES,
    "grey16": ("secondary-capture", "multiframe-secondary-capture", "ophthalmic-photography"),
}


def make_array(kind: str, seed: int = 0) -> np.ndarray:
    """A small image with smooth areas and noise, odd sizes to catch padding bugs."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:37, 0:53]
    if kind == "grey16":
        return (x * 1200 + y * 50 + rng.integers(0, 40, x.shape)).astype(np.uint16) | 0x8001
    grey = ((x * 4 + y * 3) % 256 + rng.integers(0, 3, x.shape)).clip(0, 255).astype(np.uint8)
    if kind == "grey8":
        return grey
    return np.stack([grey, (255 - grey), rng.integers(0, 256, x.shape, dtype=np.uint8)], axis=-1)


def make_png(tmp_path: Path, kind: str) -> tuple[Path, np.ndarray]:
    array = make_array(kind)
    path = tmp_path / f"{kind}.png"
    Image.fromarray(array).save(path)
    return path, np.asarray(Image.open(path))


def convert(source: Path, out: Path, family: str, compression: str, *extra: str):
    sets = ["--set", f"output.sop_class={family}", "--set", f"output.compression={compression}"]
    if family == "ophthalmic-photography":
        for key in OP_KEYS:
            sets += ["--set", key]
    return run_cli("apply", SC_PROFILE, *sets, *extra, source, out)


def validity_errors(out: Path, compression: str, tmp_path: Path) -> str | None:
    """dciodvfy's errors and warnings (a deflated file is inflated by DCMTK first)."""
    checked = out
    if compression == "deflate":
        checked = tmp_path / "inflated.dcm"
        subprocess.run([require_tool("dcmconv"), "+te", str(out), str(checked)], check=True, timeout=60)
    check = dciodvfy(checked)
    return None if not check.errors and not check.warnings else check.output


CASES = [(kind, family, name) for kind, families in KINDS.items() for family in families for name in COMPRESSIONS]


@pytest.mark.parametrize("kind,family,compression", CASES, ids=["-".join(c) for c in CASES])
def test_round_trip_and_valid(kind: str, family: str, compression: str, tmp_path: Path) -> None:
    source, expected = make_png(tmp_path, kind)
    out = tmp_path / "out.dcm"
    result = convert(source, out, family, compression)
    assert result.code == 0, result.stderr
    ds = dcmread(out)
    assert ds.file_meta.TransferSyntaxUID == SYNTAX[compression]
    colour = "YBR_RCT" if compression == "jpeg2000" else "RGB"
    assert ds.PhotometricInterpretation == (colour if kind == "rgb8" else "MONOCHROME2")
    assert np.array_equal(ds.pixel_array, expected)
    assert validity_errors(out, compression, tmp_path) is None
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.parametrize("compression,tool", [("rle", "dcmdrle"), ("jpeg-ls", "dcmdjpls")])
@pytest.mark.parametrize("kind", tuple(KINDS))
def test_dcmtk_decodes_our_stream(compression: str, tool: str, kind: str, tmp_path: Path) -> None:
    source, expected = make_png(tmp_path, kind)
    out, plain = tmp_path / "out.dcm", tmp_path / "plain.dcm"
    assert convert(source, out, "secondary-capture", compression).code == 0
    subprocess.run([require_tool(tool), str(out), str(plain)], check=True, timeout=60)
    decoded = dcmread(plain)
    assert decoded.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"
    assert np.array_equal(decoded.pixel_array, expected)


@pytest.mark.parametrize("compression", [c for c in COMPRESSIONS if c != "none"])
def test_multi_page_tiff_every_frame(compression: str, tmp_path: Path) -> None:
    pages = [Image.fromarray(make_array("rgb8", seed)) for seed in range(3)]
    source = tmp_path / "pages.tif"
    pages[0].save(source, save_all=True, append_images=pages[1:])
    out = tmp_path / "out.dcm"
    result = convert(source, out, "multiframe-secondary-capture", compression)
    assert result.code == 0, result.stderr
    ds = dcmread(out)
    assert ds.NumberOfFrames == 3
    assert np.array_equal(ds.pixel_array, np.stack([np.asarray(p) for p in pages]))
    assert validity_errors(out, compression, tmp_path) is None


@pytest.mark.parametrize("compression", ["rle", "jpeg-ls", "jpeg2000"])
def test_compressed_much_smaller_on_flat_areas(compression: str, tmp_path: Path) -> None:
    y, x = np.mgrid[0:200, 0:300] // 25  # a screenshot-like image of flat blocks
    source = tmp_path / "blocks.png"
    Image.fromarray(np.stack([x * 20, y * 30, (x + y) * 10], -1).astype(np.uint8)).save(source)
    native, packed = tmp_path / "native.dcm", tmp_path / "packed.dcm"
    assert convert(source, native, "secondary-capture", "none").code == 0
    assert convert(source, packed, "secondary-capture", compression).code == 0
    assert packed.stat().st_size * 2 < native.stat().st_size


def test_corrupt_encoder_is_caught_and_nothing_written(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import img2dcm.compression as compression  # write.py imports it when it encodes

    real = compression.encode_frames

    def corrupt(*args, **kwargs):  # flips one bit in the middle of each RLE segment stream
        frames = real(*args, **kwargs)
        spoiled = []
        for frame in frames:
            with frame.open() as stream:
                data = bytearray(stream.read())
            data[len(data) // 2] ^= 0x01
            spoiled.append(Frame.from_bytes(bytes(data)))
        return spoiled

    monkeypatch.setattr(compression, "encode_frames", corrupt)
    source, _ = make_png(tmp_path, "grey8")
    out = tmp_path / "out.dcm"
    result = convert(source, out, "secondary-capture", "rle")
    assert result.code == 1
    assert "verification failed" in result.stderr and "nothing was written" in result.stderr
    assert not out.exists() and not list(tmp_path.glob(".*.part"))
    # the same corruption goes unnoticed when verification is switched off
    result = convert(source, out, "secondary-capture", "rle", "--set", "output.verify=false")
    assert result.code == 0 and out.exists()


def test_classic_option(tmp_path: Path) -> None:
    source, expected = make_png(tmp_path, "rgb8")
    out = tmp_path / "out.dcm"
    result = run_cli(source, out, "--compression", "jpeg-ls", "--no-verify")
    assert result.code == 0, result.stderr
    assert dcmread(out).file_meta.TransferSyntaxUID == SYNTAX["jpeg-ls"]
    bad = run_cli(source, out, "--compression", "lzw")
    assert bad.code != 0 and "output.compression" in bad.stderr and "jpeg-ls" in bad.stderr


def test_passed_through_jpeg_is_not_recompressed(tmp_path: Path) -> None:
    source = tmp_path / "photo.jpg"
    Image.fromarray(make_array("rgb8")).save(source, quality=90)
    out = tmp_path / "out.dcm"
    report = run_cli("apply", SC_PROFILE, "--set", "output.compression=rle", "--dry-run", source, out)
    assert "output.compression rle not applied" in report.stdout
    assert convert(source, out, "secondary-capture", "rle").code == 0
    assert dcmread(out).file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.4.50"


@pytest.mark.parametrize("extra,message", [
    (("--set", "output.file_format=dataset"), "needs the file format"),
    (("--set", "output.padding.file=256"), "file padding"),
])
def test_deflate_refuses_what_it_cannot_encode(extra: tuple[str, ...], message: str, tmp_path: Path) -> None:
    source, _ = make_png(tmp_path, "grey8")
    out = tmp_path / "out.dcm"
    result = convert(source, out, "secondary-capture", "deflate", *extra)
    assert result.code == 1 and message in result.stderr and not out.exists()


def test_missing_encoder_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import dataclasses

    import img2dcm.compression as compression

    monkeypatch.setitem(compression.COMPRESSIONS, "jpeg-ls",
                        dataclasses.replace(compression.COMPRESSIONS["jpeg-ls"], plugins=("not-installed",)))
    source, _ = make_png(tmp_path, "grey8")
    result = convert(source, tmp_path / "out.dcm", "secondary-capture", "jpeg-ls", "--dry-run")
    assert result.code == 1 and "pip install 'img2dcm[jpeg-ls]'" in result.stderr


def test_pixels_the_syntax_cannot_hold_fail_at_compile_time() -> None:
    one_bit = PixelDescription(rows=4, columns=4, samples_per_pixel=1, photometric_interpretation="MONOCHROME2",
                               bits_allocated=8, bits_stored=1, high_bit=0, transfer_syntax="1.2.840.10008.1.2.1")
    with pytest.raises(ConversionError, match="jpeg-ls cannot hold 1-bit MONOCHROME2"):
        check_encodable(COMPRESSIONS["jpeg-ls"], one_bit)


def test_jpeg2000_refuses_images_below_its_32_pixel_minimum_at_compile_time(tmp_path: Path) -> None:
    source = tmp_path / "tiny.png"
    Image.fromarray(np.zeros((31, 40), dtype=np.uint8)).save(source)
    result = convert(source, tmp_path / "out.dcm", "secondary-capture", "jpeg2000", "--dry-run")
    assert result.code == 1 and "at least 32 rows and columns" in result.stderr and "40x31" in result.stderr
    Image.fromarray(np.zeros((32, 32), dtype=np.uint8)).save(source)
    assert convert(source, tmp_path / "out.dcm", "secondary-capture", "jpeg2000").code == 0


def test_class_that_forbids_the_photometric_in_the_syntax_names_the_ones_that_allow_it() -> None:
    """RGB components in reversible JPEG 2000: VL Photographic requires YBR_RCT (PS3.3 §C.8.12.1.1.1),
    which is why jpeg2000 output uses YBR_RCT; the SOP class step refuses RGB naming other families."""
    from img2dcm.iods import registry
    from img2dcm.iods.model import PixelFacts

    facts = PixelFacts(samples=3, photometric="RGB", bits_allocated=8, bits_stored=8, high_bit=7,
                       pixel_representation=0, planar_configuration=0, transfer_syntax=SYNTAX["jpeg2000"])
    with pytest.raises(ConversionError, match=r"not permitted by VL Photographic Image .*use secondary-capture"):
        registry.choose("vl-photographic", facts)
    ybr = PixelFacts(**{**facts.__dict__, "photometric": "YBR_RCT"})
    assert registry.choose("vl-photographic", ybr).name == "VL Photographic Image"


@pytest.mark.parametrize("compression", ["rle", "jpeg-ls", "jpeg2000", "deflate"])
def test_api_in_memory_dataset_is_encoded_too(compression: str, tmp_path: Path) -> None:
    import img2dcm

    source, expected = make_png(tmp_path, "rgb8")
    [dataset] = img2dcm.convert({"version": 1, "output": {"compression": compression}}, source)
    assert dataset.file_meta.TransferSyntaxUID == SYNTAX[compression]
    assert np.array_equal(dataset.pixel_array, expected)
    dataset.save_as(tmp_path / "saved.dcm", enforce_file_format=True)
    assert np.array_equal(dcmread(tmp_path / "saved.dcm").pixel_array, expected)
