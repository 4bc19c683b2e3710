"""Pixel Data appended with kernel copies: the same bytes as pydicom's writer, or a clear failure.

Each object is written twice with one run time and one identity, once appending the fragments
(:mod:`img2dcm.pixelcopy`) and once through pydicom's writer (the path taken when Pixel Data is
not the last element), and the two files must be equal byte for byte.
"""

from __future__ import annotations

import errno
import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from pydicom import dcmread
from pydicom.encaps import generate_fragments, parse_basic_offsets

import img2dcm.pixelcopy as pixelcopy
import img2dcm.write as write
from img2dcm.batch.grouping import Candidate, file_sha256
from img2dcm.batch.inputs import InputItem
from img2dcm.batch.item import WRITTEN, ItemRecord, ItemTask, RunSettings, convert_item
from img2dcm.profile.load import load_profile
from img2dcm.profile.model import InputOptions
from img2dcm.readers import read_image
from img2dcm.run import single_identity
from tests.tools import CORPUS, ROOT, dciodvfy

NOW = datetime(2026, 12, 3, 10, 0, 0, tzinfo=UTC)
SC = ROOT / "profiles" / "examples" / "secondary-capture.yaml"
MF = ROOT / "profiles" / "examples" / "multiframe-secondary-capture.yaml"


def convert(profile_path: Path, inputs: list[Path], output: Path, overrides: list[str] | None = None) -> ItemRecord:
    profile = load_profile(profile_path, overrides=overrides)
    items = tuple(InputItem(path, path.parent) for path in inputs)
    candidate = Candidate(inputs=items, sha256=tuple(file_sha256(path) for path in inputs), row=None)
    task = ItemTask(candidate=candidate, identity=single_identity(profile, candidate), output=output)
    return convert_item(task, RunSettings(profile=profile, out_dir=None, now=NOW))


def both_ways(monkeypatch: pytest.MonkeyPatch, profile: Path, inputs: list[Path], folder: Path,
              overrides: list[str] | None = None) -> bytes:
    appended, through_pydicom = folder / "appended.dcm", folder / "pydicom.dcm"
    assert convert(profile, inputs, appended, overrides).status == WRITTEN
    with monkeypatch.context() as patch:
        patch.setattr(write, "pixel_data_is_last", lambda dataset: False)
        patch.setattr(write, "append_fragments", lambda *args: pytest.fail("appended"))
        assert convert(profile, inputs, through_pydicom, overrides).status == WRITTEN
    data = appended.read_bytes()
    assert data == through_pydicom.read_bytes()
    if "output.file_format=dataset" not in (overrides or []):
        assert dciodvfy(appended).errors == []
    return data


def jpeg(path: Path, size: tuple[int, int], comment: bytes = b"") -> Path:
    Image.new("RGB", size, (40, 120, 200)).save(path, "JPEG", quality=90, comment=comment)
    return path


def test_a_passed_through_jpeg_is_written_as_pydicom_would(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    data = both_ways(monkeypatch, SC, [CORPUS / "jpeg" / "pillow_flower.jpg"], tmp_path)
    assert dcmread(io.BytesIO(data)).file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.4.50"


@pytest.mark.parametrize("overrides", [
    ["output.group_length=create"],
    ["output.padding.file=256", "output.sequence_length=undefined"],
    ["output.file_format=dataset"],
])
def test_encoding_options_give_the_same_bytes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                              overrides: list[str]) -> None:
    data = both_ways(monkeypatch, SC, [CORPUS / "jpeg" / "pillow_flower.jpg"], tmp_path, overrides)
    if overrides == ["output.group_length=create"]:
        assert dcmread(io.BytesIO(data))[0x7FE00000].value > len(dcmread(io.BytesIO(data)).PixelData)
    if overrides[0].startswith("output.padding"):
        assert len(data) % 256 == 0


def test_pixel_data_is_appended_only_when_nothing_sorts_after_it() -> None:
    from pydicom.dataset import Dataset

    ds = Dataset()
    ds.add_new(0x00100010, "PN", "A")
    ds.add_new(0x7FE00010, "OB", b"\0\0")
    assert pixelcopy.pixel_data_is_last(ds)
    ds.add_new(0x7FE10010, "LO", "PRIVATE CREATOR")
    assert not pixelcopy.pixel_data_is_last(ds)
    del ds[0x7FE00010]
    assert not pixelcopy.pixel_data_is_last(ds)


def test_frames_of_odd_and_even_length_with_offsets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    by_parity = {}
    for index, comment in enumerate((b"", b"x")):  # a kept comment segment: one byte more
        path = jpeg(tmp_path / f"{index}.jpg", (64, 48), comment=comment)
        by_parity[read_image(path, InputOptions()).frames[0].length % 2] = path
    assert set(by_parity) == {0, 1}
    data = both_ways(monkeypatch, MF, [by_parity[1], by_parity[0], by_parity[1]], tmp_path)
    ds = dcmread(io.BytesIO(data))
    assert ds.NumberOfFrames == 3
    table, *fragments = [len(f) for f in generate_fragments(ds.PixelData)]  # the first item: the offsets
    assert table == 12 and len(fragments) == 3 and {n % 2 for n in fragments} == {0}
    offsets = parse_basic_offsets(io.BytesIO(ds.PixelData))
    assert offsets == [0, 8 + fragments[0], 16 + fragments[0] + fragments[1]]


def test_jpeg_2000_codestream_is_copied_from_inside_its_box(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source = tmp_path / "in.jp2"
    Image.new("RGB", (32, 24), (1, 2, 3)).save(source, "JPEG2000", irreversible=False)
    both_ways(monkeypatch, SC, [source], tmp_path)


def test_every_way_of_copying_gives_the_same_bytes(tmp_path: Path) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(bytes(range(256)) * 9000)
    pieces = ((10, 5), b"LITERAL", (1_000_000, 300_000), (0, 1))
    expected = source.read_bytes()[10:15] + b"LITERAL" + source.read_bytes()[1_000_000:1_300_000] + b"\x00"

    def refused(*args: object) -> int:
        raise OSError(errno.EXDEV, "cross-device")

    for ways in (pixelcopy.COPIES, (pixelcopy.send_copy,), (pixelcopy.user_copy,), (refused, refused, pixelcopy.user_copy)):
        target = tmp_path / "target.bin"
        with target.open("wb") as out:
            old = pixelcopy.COPIES
            pixelcopy.COPIES = tuple(ways)
            try:
                pixelcopy.copy_pieces(source, pieces, out.fileno())
            finally:
                pixelcopy.COPIES = old
        assert target.read_bytes() == expected, ways


def test_an_input_that_shrinks_before_it_is_copied_fails_naming_it(tmp_path: Path) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(b"x" * 1000)
    with (tmp_path / "out.bin").open("wb") as out:
        with pytest.raises(pixelcopy.InputError, match="shrank") as raised:
            pixelcopy.copy_pieces(source, ((900, 200),), out.fileno())
    assert raised.value.path == str(source)
    with pytest.raises(pixelcopy.InputError, match="cannot reopen"):
        pixelcopy.copy_pieces(tmp_path / "gone.bin", ((0, 1),), os.open(os.devnull, os.O_WRONLY))
