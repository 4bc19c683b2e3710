"""Decompression bombs: header-claimed sizes a file cannot hold are refused before allocating."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions, Limits
from img2dcm.readers import read_image
from tests.bombs import BOMBS
from tests.tools import run_cli

#: Runs the CLI entry point and reports the process's peak RSS (KiB) on the last stderr line.
#: VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork and exec, so a child of a large
#: pytest process would report the parent's size.
PEAK_RSS = (
    "import re, sys\n"
    "from img2dcm.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "status = open('/proc/self/status').read()\n"
    "print(re.search(r'VmHWM:\\s+(\\d+)', status).group(1), file=sys.stderr)\n"
    "sys.exit(code)\n"
)


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bomb_is_refused_in_process_before_decoding(tmp_path: Path, name: str) -> None:
    source = tmp_path / name
    source.write_bytes(BOMBS[name])
    with pytest.raises(InputError) as caught:
        read_image(source, InputOptions())
    assert caught.value.path == str(source)


@pytest.mark.parametrize("name", ["rle8.bmp", "rle4.bmp", "huge.png", "huge.tif", "huge.jpg"])
def test_bomb_fails_with_one_line_small_memory_and_no_output(tmp_path: Path, name: str) -> None:
    source, output = tmp_path / name, tmp_path / "out.dcm"
    source.write_bytes(BOMBS[name])
    result = subprocess.run([sys.executable, "-c", PEAK_RSS, str(source), str(output)],
                            capture_output=True, text=True, timeout=60)
    *lines, peak_kib = result.stderr.splitlines()
    assert result.returncode == 1
    assert len(lines) == 1 and lines[0].startswith(f"E: {source}: "), lines
    assert int(peak_kib) < 100 * 1024
    assert list(tmp_path.iterdir()) == [source]


def test_png_chunk_running_past_the_end_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "a.png"
    source.write_bytes(BOMBS["chunk-past-end.png"])
    result = run_cli(source, tmp_path / "out.dcm")
    assert result.code == 1
    assert "PNG chunk tEXt at offset" in result.stderr and "past the end of the file" in result.stderr


@pytest.mark.parametrize(
    ("name", "mode", "options"),
    [
        ("zero.png", "L", {}),  # deflate near its best ratio (about 1000:1)
        ("zero1.png", "1", {}),
        ("g4.tif", "1", {"compression": "group4"}),  # fax coding has no useful ratio bound
        ("lzw.tif", "L", {"compression": "tiff_lzw"}),
        ("packbits.tif", "L", {"compression": "packbits"}),
        ("deflate.tif", "L", {"compression": "tiff_adobe_deflate"}),
    ],
)
def test_legitimate_highly_compressed_image_is_not_refused(
    tmp_path: Path, name: str, mode: str, options: dict
) -> None:
    source = tmp_path / name
    Image.new(mode, (3000, 2000)).save(source, **options)
    image = read_image(source, InputOptions())
    assert (image.pixels.columns, image.pixels.rows) == (3000, 2000)


def test_a_profile_can_lower_and_raise_the_pixel_limit(tmp_path: Path) -> None:
    source = tmp_path / "a.png"
    Image.new("L", (300, 200)).save(source)
    with pytest.raises(InputError, match="over the limit of 1000 .*input.limits.max_pixels"):
        read_image(source, InputOptions(limits=Limits(max_pixels=1000)))
    assert read_image(source, InputOptions(limits=Limits(max_pixels=60_000))).pixels.rows == 200


def test_frame_bytes_and_frame_count_limits(tmp_path: Path) -> None:
    source = tmp_path / "pages.tif"
    pages = [Image.new("L", (10, 10), v) for v in range(3)]
    pages[0].save(source, save_all=True, append_images=pages[1:])
    with pytest.raises(InputError, match="more than 2 frames .*input.limits.max_frames"):
        read_image(source, InputOptions(limits=Limits(max_frames=2)))
    with pytest.raises(InputError, match="input.limits.max_frame_bytes"):
        read_image(source, InputOptions(limits=Limits(max_frame_bytes=99)))
    assert len(read_image(source, InputOptions()).frames) == 3


def test_limits_come_from_the_profile(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text("version: 1\ninput:\n  limits:\n    max_pixels: 100\n", encoding="utf-8")
    source = tmp_path / "a.png"
    Image.new("L", (20, 20)).save(source)
    result = run_cli("apply", profile, source, tmp_path / "out.dcm")
    assert result.code == 1
    assert "over the limit of 100 " in result.stderr
    assert not (tmp_path / "out.dcm").exists()


def test_pillow_log_lines_do_not_leak_as_extra_errors(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "TIFF")
    data = bytearray(buffer.getvalue())
    ifd = struct.unpack_from("<I", data, 4)[0]
    for index in range(struct.unpack_from("<H", data, ifd)[0]):
        entry = ifd + 2 + 12 * index
        if struct.unpack_from("<H", data, entry)[0] == 277:  # SamplesPerPixel
            struct.pack_into("<HHI", data, entry + 2, 4, 1, 100000)
            break
    else:
        raise AssertionError("no SamplesPerPixel tag")
    source = tmp_path / "spp.tif"
    source.write_bytes(data)
    result = run_cli(source, tmp_path / "out.dcm")
    lines = result.stderr.splitlines()
    assert result.code == 1
    assert len(lines) == 1 and lines[0].startswith(f"E: {source}: "), lines


@pytest.mark.parametrize("name", ["rle8.bmp", "huge.png", "huge.jpg"])
def test_uploads_through_the_python_api_are_held_to_the_same_limits(name: str) -> None:
    import img2dcm

    with pytest.raises(InputError, match="over the limit of 268435456|packs more than 131072 pixels into one byte"):
        img2dcm.convert(img2dcm.load_profile({"version": 1}), BOMBS[name])


def test_a_tiny_webp_claiming_146_megapixels_is_refused_before_decoding(tmp_path: Path) -> None:
    """Found by the fuzzer: 72 bytes of WebP made libwebp allocate 600 MiB before failing."""
    source = tmp_path / "a.webp"
    source.write_bytes((Path(__file__).parent.parent / "fuzz" / "regressions" / "seed6-case1327-photo.webp").read_bytes())
    with pytest.raises(InputError, match="header claims 146011404 pixels but the file has only 72 bytes"):
        read_image(source, InputOptions())
