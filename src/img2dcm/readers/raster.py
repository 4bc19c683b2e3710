"""Shared raster policy: a decoded Pillow image becomes native DICOM pixels.

BMP, PNG and TIFF readers all end here, so the grey/colour/alpha rules live in
one place: palettes whose every entry is grey become MONOCHROME2 with the grey
level as pixel value (DCMTK's rule), other palettes are expanded to RGB, alpha
follows ``input.alpha`` (readers/alpha.py), 16-bit grey stays 16-bit. Anything that cannot be
stored losslessly as MONOCHROME2 or RGB is rejected.
"""

from __future__ import annotations

import dataclasses
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers.alpha import resolve_alpha
from img2dcm.readers.base import ExifFacts, Frame, LossyFacts, PixelDescription, SourceImage
from img2dcm.readers.exif import (
    TAG_EXIF_IFD,
    TAG_ORIENTATION,
    TEXT_FIELDS,
    valid_orientation,
)

log = logging.getLogger(__name__)

#: Native pixel data is always written as Explicit VR Little Endian.
EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1"

#: DICOM's Pixel Data length field is 32 bits (and must stay even).
MAX_FRAME_BYTES = 0xFFFFFFFE

#: Pillow modes that carry an alpha channel we drop (mode -> mode without alpha).
_ALPHA_MODES: dict[str, str] = {"RGBA": "RGB", "LA": "L", "PA": "P"}

#: Pillow modes stored as they are: mode -> (samples, PI, bits allocated).
_DIRECT_MODES: dict[str, tuple[int, str, int]] = {
    "L": (1, "MONOCHROME2", 8),
    "RGB": (3, "RGB", 8),
}

#: Pillow modes holding unsigned 16-bit grey.
_GREY16_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N"})

#: Why other Pillow modes are refused (mode -> reason), for messages people can act on.
_REFUSED_MODES: dict[str, str] = {
    "CMYK": "CMYK has no lossless DICOM photometric interpretation here; convert it to RGB first",
    "YCbCr": "YCbCr pixels would need a lossy colour conversion; convert the image to RGB first",
    "LAB": "CIELAB pixels are not supported; convert the image to RGB first",
    "HSV": "HSV pixels are not supported; convert the image to RGB first",
    "F": "floating-point pixels are not supported",
    "I;16S": "signed 16-bit pixels are not supported",
    "RGBa": "premultiplied alpha cannot be undone losslessly",
    "La": "premultiplied alpha cannot be undone losslessly",
}



@dataclass(frozen=True)
class NativeFrame:
    """One decoded frame in DICOM's native layout, plus what we learned doing it."""

    pixels: PixelDescription
    frame: Frame
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@contextmanager
def pillow_errors(path: Path) -> Iterator[None]:
    """Turn anything Pillow raises into a one-line InputError naming the file.

    Pillow signals bad input with OSError, ValueError, SyntaxError, struct.error,
    EOFError, MemoryError... and decompression bombs with its own error; a
    bomb *warning* is promoted to an error so nothing huge is allocated quietly.
    """
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
        for warning in caught:
            log.debug("%s: decoder warning: %s", path, warning.message)
    except InputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InputError(f"image too large to decode safely ({exc})", path) from exc
    except MemoryError as exc:
        raise InputError("not enough memory to decode the image", path) from exc
    except Exception as exc:  # noqa: BLE001 - any decoder failure is bad input
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot decode image: {detail}", path) from exc


def palette_rgb(image: Image.Image, entries: int | None = None) -> np.ndarray:
    """The palette as an (n, 3) uint8 array; ``entries`` is the real table size if known."""
    flat = image.getpalette(rawmode="RGB") or []
    table = np.asarray(flat, dtype=np.uint8).reshape(-1, 3)
    return table[:entries] if entries is not None else table


def _description(
    rows: int, columns: int, samples: int, photometric: str, bits: int
) -> PixelDescription:
    return PixelDescription(
        rows=rows,
        columns=columns,
        samples_per_pixel=samples,
        photometric_interpretation=photometric,
        bits_allocated=bits,
        bits_stored=bits,
        high_bit=bits - 1,
        transfer_syntax=EXPLICIT_VR_LITTLE_ENDIAN,
        pixel_representation=0,
        planar_configuration=0 if samples > 1 else None,
        pixel_aspect_ratio=None,
        lossy=None,
    )


def _check_size(description: PixelDescription, path: Path) -> None:
    size = (
        description.rows
        * description.columns
        * description.samples_per_pixel
        * (description.bits_allocated // 8)
    )
    if description.rows > 0xFFFF or description.columns > 0xFFFF:
        raise InputError(
            f"image is {description.columns}x{description.rows}; DICOM allows at most 65535 "
            "rows and columns",
            path,
        )
    if size > MAX_FRAME_BYTES:
        raise InputError(f"one frame needs {size} bytes, more than DICOM's 32-bit length", path)


def check_dimensions(width: int, height: int, path: Path, where: str = "") -> None:
    """Reject sizes DICOM cannot hold before the decoder allocates anything."""
    if not (0 < width <= 0xFFFF and 0 < height <= 0xFFFF):
        raise InputError(
            f"{where}image is {width}x{height}; DICOM needs 1 to 65535 rows and columns", path
        )


def _from_palette(
    image: Image.Image, path: Path, entries: int | None
) -> tuple[np.ndarray, str, list[str]]:
    """Indices through the colour table: grey table -> grey levels, else RGB triplets."""
    table = palette_rgb(image, entries)
    indices = np.asarray(image if image.mode == "P" else image.getchannel(0))
    if table.shape[0] == 0:
        raise InputError("palette image without a colour table", path)
    highest = int(indices.max()) if indices.size else 0
    if highest >= table.shape[0]:
        raise InputError(
            f"pixel index {highest} is beyond the {table.shape[0]}-entry colour table", path
        )
    grey = bool(np.all(table[:, 0] == table[:, 1]) and np.all(table[:, 1] == table[:, 2]))
    if grey:
        note = f"palette of {table.shape[0]} entries, all grey: pixel value = grey level"
        return table[:, 0][indices], "MONOCHROME2", [note]
    note = f"palette of {table.shape[0]} entries with colour: expanded to RGB"
    return table[indices], "RGB", [note]


def to_native(
    image: Image.Image,
    path: Path,
    *,
    palette_entries: int | None = None,
    white_is_zero: bool = False,
    options: InputOptions | None = None,
) -> NativeFrame:
    """Decode one Pillow image into native DICOM pixels (one frame).

    ``palette_entries`` is the colour-table size the file declares, when the
    reader knows it better than Pillow; ``white_is_zero`` marks 16-bit grey that
    Pillow leaves un-inverted (TIFF WhiteIsZero), inverted here to MONOCHROME2.
    ``options`` gives the alpha policy (``input.alpha``, ``input.background``).
    """
    options = options or InputOptions()
    notes: list[str] = []
    warns: list[str] = []
    with pillow_errors(path):
        image.load()
        resolved = resolve_alpha(image, options.alpha, options.background, path)
        image = resolved.image
        notes.extend(resolved.notes)
        warns.extend(resolved.warnings)
        mode = image.mode
        rows, columns = image.height, image.width

        if mode in _REFUSED_MODES:
            raise InputError(f"pixel format {mode}: {_REFUSED_MODES[mode]}", path)
        if mode == "1":
            notes.append("1-bit image: stored as 8-bit grey 0/255")
            image = image.convert("L")
            mode = "L"
        if mode in ("P", "PA"):
            array, photometric, palette_notes = _from_palette(image, path, palette_entries)
            notes.extend(palette_notes)
            samples = 3 if photometric == "RGB" else 1
            description = _description(rows, columns, samples, photometric, 8)
            _check_size(description, path)
            data = np.ascontiguousarray(array, dtype=np.uint8).tobytes()
        elif mode in ("RGBA", "LA", "RGBX"):
            kept = _ALPHA_MODES.get(mode, "RGB")
            samples, photometric, bits = _DIRECT_MODES[kept]
            description = _description(rows, columns, samples, photometric, bits)
            _check_size(description, path)
            data = image.convert(kept).tobytes()
        elif mode in _DIRECT_MODES:
            samples, photometric, bits = _DIRECT_MODES[mode]
            description = _description(rows, columns, samples, photometric, bits)
            _check_size(description, path)
            data = image.tobytes()
        elif mode in _GREY16_MODES or mode == "I":
            array = np.asarray(image)
            if mode == "I" and array.size and (int(array.min()) < 0 or int(array.max()) > 0xFFFF):
                raise InputError(
                    f"32-bit integer pixels from {int(array.min())} to {int(array.max())} "
                    "do not fit unsigned 16 bits",
                    path,
                )
            array = array.astype("<u2")
            if white_is_zero:
                array = np.uint16(0xFFFF) - array
                notes.append("WhiteIsZero 16-bit grey inverted to MONOCHROME2")
            description = _description(rows, columns, 1, "MONOCHROME2", 16)
            _check_size(description, path)
            notes.append("16-bit grey")
            data = array.tobytes()
        else:
            raise InputError(
                f"pixel format {mode} cannot be stored losslessly as MONOCHROME2 or RGB", path
            )
    return NativeFrame(description, Frame.from_bytes(data), tuple(notes), tuple(warns))


def _layout(description: PixelDescription) -> tuple[object, ...]:
    return (
        description.rows,
        description.columns,
        description.samples_per_pixel,
        description.photometric_interpretation,
        description.bits_allocated,
        description.bits_stored,
    )


def same_layout(first: PixelDescription, other: PixelDescription) -> bool:
    """True when two frames can share one Image Pixel module."""
    return _layout(first) == _layout(other)


def _exif_text(value: object) -> str | None:
    """EXIF ASCII values arrive as str, bytes or odd types; keep clean text only."""
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="replace")
    if isinstance(value, (tuple, list)) and value:
        value = value[0]
    if not isinstance(value, str):
        return None
    text = value.replace("\x00", " ").strip()
    return text or None


def exif_facts(image: Image.Image) -> tuple[ExifFacts | None, tuple[str, ...]]:
    """The EXIF fields we map, from IFD0 and the Exif sub-IFD; never raises.

    Returns the facts (None when there is no EXIF we use) and warnings.
    """
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            exif = image.getexif()
        if caught and not exif:
            return None, (f"EXIF ignored: {str(caught[0].message).strip()}",)
        if not exif:
            return None, ()
        merged: dict[int, object] = dict(exif.items())
        try:
            merged.update(exif.get_ifd(TAG_EXIF_IFD).items())
        except Exception as exc:  # noqa: BLE001 - malformed sub-IFD is not fatal
            log.debug("unreadable Exif sub-IFD: %s", exc)
        values: dict[str, object] = {
            field: _exif_text(merged.get(tag)) for tag, field in TEXT_FIELDS.items()
        }
        values["orientation"] = valid_orientation(merged.get(TAG_ORIENTATION))
        if all(v is None for v in values.values()):
            return None, ()
        return ExifFacts(**values), ()  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - malformed EXIF must never stop a conversion
        return None, (f"EXIF ignored: {str(exc).splitlines()[0] if str(exc) else exc!r}",)


def native_from_array(array: np.ndarray, path: Path, bits_stored: int, notes: tuple[str, ...] = ()) -> NativeFrame:
    """Native pixels from an unsigned array Pillow cannot hold (16-bit colour, 9-16-bit grey).

    ``array`` is (rows, columns) grey or (rows, columns, 3) RGB, uint8 or uint16, with the
    sample values as they are (``bits_stored`` significant bits, never rescaled).
    """
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] != 3):
        raise InputError(f"unsupported sample layout {array.shape}", path)
    if array.dtype not in (np.uint8, np.uint16):
        raise InputError(f"{array.dtype} samples are not supported", path)
    bits = array.dtype.itemsize * 8
    samples = 3 if array.ndim == 3 else 1
    if array.size and int(array.max()) >> bits_stored:
        raise InputError(f"sample value {int(array.max())} does not fit {bits_stored} bits", path)
    description = dataclasses.replace(
        _description(array.shape[0], array.shape[1], samples, "RGB" if samples == 3 else "MONOCHROME2", bits),
        bits_stored=bits_stored, high_bit=bits_stored - 1)
    _check_size(description, path)
    data = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
    return NativeFrame(description, Frame.from_bytes(data), notes)


def source_from_frames(path: Path, fmt: str, natives: list[NativeFrame], *, lossy: LossyFacts | None = None,
                       icc: bytes | None = None, exif: ExifFacts | None = None, notes: tuple[str, ...] = (),
                       warnings: tuple[str, ...] = (), durations: tuple[float, ...] = ()) -> SourceImage:
    """One SourceImage from decoded frames that must share one Image Pixel module."""
    first = natives[0].pixels
    warns = list(warnings)
    for number, native in enumerate(natives, start=1):
        got = native.pixels
        if not same_layout(first, got):
            raise InputError(
                f"frame {number}: {got.columns}x{got.rows} {got.photometric_interpretation} {got.bits_allocated}-bit "
                f"differs from frame 1's {first.columns}x{first.rows} {first.photometric_interpretation} "
                f"{first.bits_allocated}-bit", path)
        warns.extend(w for w in native.warnings if w not in warns)
    if lossy is not None:
        first = dataclasses.replace(first, lossy=lossy)
    return SourceImage(path=path, format=fmt, pixels=first, frames=tuple(n.frame for n in natives),
                       icc_profile=icc, exif=exif, notes=notes + natives[0].notes, warnings=tuple(warns),
                       frame_durations=durations)


def decoded_ratio(natives: list[NativeFrame], compressed_bytes: int) -> float | None:
    """Decoded pixel bytes per compressed byte: the Lossy Image Compression Ratio of a decoded source."""
    decoded = sum(n.frame.length for n in natives)
    return decoded / compressed_bytes if compressed_bytes > 0 else None


#: EXIF Orientation (TIFF tag 274) -> what it asks a viewer to do.
ORIENTATION_NAMES = {2: "mirrored", 3: "rotated 180°", 4: "flipped", 5: "transposed", 6: "rotated 90° clockwise",
                     7: "transversed", 8: "rotated 90° counter-clockwise"}


def orientation_of(image: Image.Image) -> int | None:
    """The EXIF/TIFF Orientation of ``image`` (1-8), or None; never raises."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return valid_orientation(image.getexif().get(TAG_ORIENTATION))
    except Exception:  # noqa: BLE001 - malformed EXIF must never stop a conversion
        return None


def orientation_note(orientation: int | None, options: InputOptions) -> str | None:
    """The report line for an applied orientation (None: nothing to turn, or ``ignore``)."""
    if orientation in (None, 1) or options.orientation != "apply":
        return None  # with ignore, the EXIF step warns: stored as coded
    return f"EXIF Orientation {orientation} ({ORIENTATION_NAMES[orientation]}) applied: pixels turned upright"


def upright(image: Image.Image, options: InputOptions) -> tuple[Image.Image, str | None]:
    """``input.orientation apply``: the pixels turned as the EXIF Orientation says (and a note)."""
    orientation = orientation_of(image)
    note = orientation_note(orientation, options)
    return (ImageOps.exif_transpose(image), note) if note else (image, None)


def turn_array(array: np.ndarray, orientation: int) -> np.ndarray:
    """What a viewer does for an EXIF Orientation, on a (rows, columns[, samples]) array."""
    if orientation in (5, 6, 7, 8):
        array = array.swapaxes(0, 1)  # 5: transpose; 6, 7, 8 are a transpose plus flips
    flips = {2: (False, True), 3: (True, True), 4: (True, False), 6: (False, True), 7: (True, True),
             8: (True, False)}.get(orientation, (False, False))
    if flips[0]:
        array = array[::-1]
    if flips[1]:
        array = array[:, ::-1]
    return np.ascontiguousarray(array)


def exif_and_upright(image: Image.Image, options: InputOptions, notes: list[str],
                     warns: list[str]) -> tuple[Image.Image, ExifFacts | None]:
    """EXIF facts (when ``input.exif``) and the image turned upright (``input.orientation``)."""
    exif: ExifFacts | None = None
    if options.exif:
        exif, exif_warnings = exif_facts(image)
        warns.extend(exif_warnings)
    image, turned = upright(image, options)
    if turned:
        notes.append(turned)
        exif = applied(exif, turned)
    return image, exif


def applied(exif: ExifFacts | None, note: str | None) -> ExifFacts | None:
    """The EXIF facts, marked when the reader already applied the orientation."""
    if exif is None or note is None:
        return exif
    return dataclasses.replace(exif, orientation_applied=True)
