"""Netpbm reader: PBM, PGM, PPM (plain and raw) and PAM, 8 and 16 bit.

Pillow decodes PBM and every file whose MAXVAL is at most 255 (a MAXVAL below
255 is scaled to 0-255 by Pillow, noted). Raw files with a MAXVAL above 255 and
every PAM are read here: the header is text and the samples are uncompressed
big-endian integers, taken as they are (Bits Stored = bits of MAXVAL, never
rescaled). Plain (ASCII) files above 8 bits are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, PpmImagePlugin

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers.base import SourceImage
from img2dcm.readers.raster import (
    NativeFrame,
    check_dimensions,
    native_from_array,
    pillow_errors,
    source_from_frames,
    to_native,
)

#: Magic number -> (kind, samples per pixel or None for PAM, raw?)
MAGICS: dict[bytes, tuple[str, int | None, bool]] = {
    b"P1": ("PBM plain", 1, False), b"P4": ("PBM", 1, True),
    b"P2": ("PGM plain", 1, False), b"P5": ("PGM", 1, True),
    b"P3": ("PPM plain", 3, False), b"P6": ("PPM", 3, True),
    b"P7": ("PAM", None, True),
}
WHITESPACE = b" \t\r\n\x0b\x0c"
HEADER_LIMIT = 4096
#: PAM TUPLTYPE -> (samples kept, has alpha).
TUPLE_TYPES: dict[str, tuple[int, bool]] = {
    "BLACKANDWHITE": (1, False), "GRAYSCALE": (1, False), "RGB": (3, False),
    "BLACKANDWHITE_ALPHA": (1, True), "GRAYSCALE_ALPHA": (1, True), "RGB_ALPHA": (3, True),
}


@dataclass(frozen=True)
class PnmHeader:
    kind: str
    width: int
    height: int
    depth: int
    maxval: int
    tuple_type: str
    data_offset: int


def _tokens(head: bytes, start: int, count: int, path: Path) -> tuple[list[int], int]:
    """``count`` integers of a PNM header (comments skipped) and the offset after the single whitespace."""
    values: list[int] = []
    i = start
    while len(values) < count:
        while i < len(head) and head[i] in WHITESPACE:
            i += 1
        if i < len(head) and head[i:i + 1] == b"#":
            while i < len(head) and head[i] not in b"\r\n":
                i += 1
            continue
        j = i
        while j < len(head) and head[j:j + 1].isdigit():
            j += 1
        if j == i:
            raise InputError("PNM header is malformed (expected a number)", path)
        values.append(int(head[i:j]))
        i = j
    return values, i + 1


def _pam_header(head: bytes, path: Path) -> PnmHeader:
    end = head.find(b"ENDHDR")
    if end < 0:
        raise InputError("PAM header has no ENDHDR", path)
    fields: dict[str, str] = {}
    for line in head[3:end].decode("ascii", "replace").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            key, _, value = line.partition(" ")
            fields[key] = (fields[key] + " " + value.strip()) if key == "TUPLTYPE" and key in fields else value.strip()
    try:
        width, height = int(fields["WIDTH"]), int(fields["HEIGHT"])
        depth, maxval = int(fields["DEPTH"]), int(fields["MAXVAL"])
    except (KeyError, ValueError):
        raise InputError("PAM header needs WIDTH, HEIGHT, DEPTH and MAXVAL", path) from None
    offset = end + len(b"ENDHDR") + 1
    return PnmHeader("PAM", width, height, depth, maxval, fields.get("TUPLTYPE", ""), offset)


def read_header(path: Path) -> PnmHeader:
    try:
        with path.open("rb") as handle:
            head = handle.read(HEADER_LIMIT)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path) from exc
    magic = head[:2]
    if magic not in MAGICS:
        raise InputError("not a PNM file: no P1-P7 magic number", path)
    kind, samples, _ = MAGICS[magic]
    if samples is None:
        header = _pam_header(head, path)
    elif magic in (b"P1", b"P4"):
        (width, height), offset = _tokens(head, 2, 2, path)
        header = PnmHeader(kind, width, height, 1, 1, "BLACKANDWHITE", offset)
    else:
        (width, height, maxval), offset = _tokens(head, 2, 3, path)
        header = PnmHeader(kind, width, height, samples, maxval, "RGB" if samples == 3 else "GRAYSCALE", offset)
    check_dimensions(header.width, header.height, path)
    if not 1 <= header.maxval <= 0xFFFF:
        raise InputError(f"MAXVAL {header.maxval} is outside 1-65535", path)
    return header


def _raw_samples(path: Path, header: PnmHeader) -> np.ndarray:
    """(rows, columns, depth) samples of a raw file, big-endian 16-bit when MAXVAL > 255."""
    dtype = np.dtype(">u2") if header.maxval > 0xFF else np.dtype(np.uint8)
    count = header.width * header.height * header.depth
    with path.open("rb") as handle:
        handle.seek(header.data_offset)
        data = handle.read(count * dtype.itemsize)
    if len(data) < count * dtype.itemsize:
        raise InputError(f"{header.kind} pixel data is truncated: {len(data)} of {count * dtype.itemsize} bytes",
                         path)
    samples = np.frombuffer(data, dtype=dtype).reshape(header.height, header.width, header.depth)
    if samples.size and int(samples.max()) > header.maxval:
        raise InputError(f"sample value {int(samples.max())} exceeds MAXVAL {header.maxval}", path)
    return samples


class PnmReader:
    """Netpbm PBM/PGM/PPM/PAM."""

    name = "pnm"

    def accepts(self, prefix: bytes) -> bool:
        return prefix[:2] in MAGICS and len(prefix) > 2 and prefix[2] in WHITESPACE

    def read(self, path: Path, options: InputOptions) -> SourceImage:
        header = read_header(path)
        notes = [f"{header.kind} {header.width}x{header.height}, MAXVAL {header.maxval}"]
        with pillow_errors(path):
            if header.kind == "PAM":
                native = self._pam(path, header, options)
            elif header.maxval > 0xFF:
                if "plain" in header.kind:
                    raise InputError(f"{header.kind} above 8 bits is not supported; convert it to raw "
                                     f"(P{'5' if header.depth == 1 else '6'})", path)
                native = self._deep(path, header)
            else:
                if header.maxval not in (1, 0xFF):
                    notes.append(f"MAXVAL {header.maxval} scaled to 0-255 by the decoder")
                with Image.open(path, formats=[PpmImagePlugin.PpmImageFile.format]) as image:
                    native = to_native(image, path, options=options)
        return source_from_frames(path, "pnm", [native], notes=tuple(notes))

    @staticmethod
    def _deep(path: Path, header: PnmHeader) -> NativeFrame:
        return PnmReader._deep_array(_raw_samples(path, header), header, path)

    @staticmethod
    def _pam(path: Path, header: PnmHeader, options: InputOptions) -> NativeFrame:
        kept, has_alpha = TUPLE_TYPES.get(header.tuple_type, (0, False))
        if not kept or header.depth != kept + has_alpha:
            raise InputError(f"PAM TUPLTYPE '{header.tuple_type}' with DEPTH {header.depth} is not supported", path)
        samples = _raw_samples(path, header)
        if header.maxval > 0xFF:
            if has_alpha:
                if int(samples[..., -1].min()) < header.maxval and options.alpha != "drop":
                    raise InputError("16-bit PAM with transparency: only input.alpha drop is supported", path)
                samples = samples[..., :kept]
            return PnmReader._deep_array(samples, header, path)
        if header.maxval not in (1, 0xFF):
            samples = ((samples.astype(np.uint32) * 255 + header.maxval // 2) // header.maxval).astype(np.uint8)
        if header.maxval == 1:
            samples = (samples * 255).astype(np.uint8)
        mode = {(1, False): "L", (1, True): "LA", (3, False): "RGB", (3, True): "RGBA"}[(kept, has_alpha)]
        image = Image.fromarray(samples[..., 0] if mode == "L" else samples, mode)
        return to_native(image, path, options=options)

    @staticmethod
    def _deep_array(samples: np.ndarray, header: PnmHeader, path: Path) -> NativeFrame:
        bits = header.maxval.bit_length()
        array = samples[..., 0] if samples.shape[2] == 1 else samples
        return native_from_array(array.astype(np.uint16), path, bits,
                                 (f"{bits}-bit samples kept as they are (MAXVAL {header.maxval})",))
