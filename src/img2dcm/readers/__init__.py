"""Reader registry: one module per format, chosen by the profile or by magic bytes."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers.base import Reader, SourceImage

#: format name -> (module, class); JPEG-LS is read by the jpeg reader (SOF55).
REGISTRY: dict[str, tuple[str, str]] = {
    "jpeg": ("img2dcm.readers.jpeg", "JpegReader"),
    "bmp": ("img2dcm.readers.bmp", "BmpReader"),
    "png": ("img2dcm.readers.png", "PngReader"),
    "tiff": ("img2dcm.readers.tiff", "TiffReader"),
    # htj2k first: sniffing an HT codestream names it; both read JP2/JPH and codestreams.
    "htj2k": ("img2dcm.readers.jpeg2000", "Htj2kReader"),
    "jpeg2000": ("img2dcm.readers.jpeg2000", "Jpeg2000Reader"),
    "video": ("img2dcm.readers.video", "VideoReader"),
    "pnm": ("img2dcm.readers.pnm", "PnmReader"),
    "webp": ("img2dcm.readers.webp", "WebpReader"),
    "gif": ("img2dcm.readers.gif", "GifReader"),
    "heic": ("img2dcm.readers.heic", "HeicReader"),
}
SNIFF_BYTES = 32  # a JPH file's brand sits at bytes 20..23


def reader_for(name: str) -> Reader:
    module, cls = REGISTRY[name]
    return getattr(import_module(module), cls)()


def sniff(prefix: bytes) -> str | None:
    """The format whose magic bytes ``prefix`` starts with, or None."""
    for name in REGISTRY:
        if reader_for(name).accepts(prefix):
            return name
    return None


def read_image(path: Path, options: InputOptions) -> SourceImage:
    """Read one input with the profile's format (or the sniffed one for ``auto``)."""
    try:
        with path.open("rb") as handle:
            prefix = handle.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise InputError("file not found", path) from None
    except IsADirectoryError:
        raise InputError("is a folder, not an image file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None
    name = options.format
    if name == "auto":
        detected = sniff(prefix)
        if detected is None:
            what = "the file is empty" if not prefix else "unrecognised image format"
            raise InputError(f"{what} (expected JPEG, JPEG-LS, BMP, PNG, TIFF, PNM, WebP, GIF, HEIC, JPEG 2000, HTJ2K or video)", path)
        name = detected
    elif not reader_for(name).accepts(prefix):
        detected = sniff(prefix)  # only to say what the file looks like
        looks = f"it looks like {detected.upper()}" if detected else "its first bytes match no known format"
        raise InputError(f"not a {name.upper()} file ({looks}); input format is set to {name}", path)
    return reader_for(name).read(path, options)
