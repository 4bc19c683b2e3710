"""Lossless encodings for decoded pixels (``output.compression``), as one table.

Each row names the transfer syntax, the photometric interpretation colour pixels
take in it, the pydicom 3 encoder plugins to prefer, and the pip extra that brings
them. Which pixel formats a syntax can hold comes from pydicom's copy of the
PS3.5 §8.2 tables (``ENCODING_PROFILES``); which SOP classes accept the syntax is
decided later by the SOP class step from our IOD tables. No codec is written here:
RLE, JPEG-LS and JPEG 2000 are pydicom's encoders (pylibjpeg-rle, pyjpegls,
pylibjpeg-openjpeg), Deflate is pydicom's file writer with zlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydicom.pixels import get_decoder, get_encoder
from pydicom.pixels.encoders.base import ENCODING_PROFILES
from pydicom.uid import (
    UID,
    DeflatedExplicitVRLittleEndian,
    ExplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGLSLossless,
    RLELossless,
)

from img2dcm.errors import ConversionError
from img2dcm.readers.base import Frame, PixelDescription


@dataclass(frozen=True)
class Compression:
    """One ``output.compression`` choice."""

    name: str
    transfer_syntax: str
    #: Photometric interpretation of 3-sample pixels in this syntax. JPEG 2000 uses the
    #: reversible colour transform (YBR_RCT, PS3.5 §8.2.4): about half the size of
    #: plain RGB components, and what VL/OP images require for reversible JPEG 2000.
    colour_photometric: str = "RGB"
    #: pydicom encoder plugins in order of preference (faster first); () = not encoded per frame.
    plugins: tuple[str, ...] = ()
    #: ``pip install 'img2dcm[extra]'`` that provides the plugins.
    extra: str = ""
    #: pydicom decoder plugins for output.verify, fastest first (pydicom's own choice for JPEG-LS
    #: is libjpeg, ten times slower than CharLS on a 12-megapixel photo).
    decoders: tuple[str, ...] = ()
    #: Smallest rows/columns the encoder takes (pylibjpeg-openjpeg always uses 6 resolutions: 2^5).
    min_side: int = 1

    @property
    def encapsulated(self) -> bool:
        return UID(self.transfer_syntax).is_encapsulated

    @property
    def deflated(self) -> bool:
        return UID(self.transfer_syntax).is_deflated


COMPRESSIONS: dict[str, Compression] = {
    "none": Compression("none", ExplicitVRLittleEndian),
    # pydicom's own RLE encoder needs nothing but is about 15x slower than pylibjpeg-rle.
    "rle": Compression("rle", RLELossless, plugins=("pylibjpeg", "pydicom"), extra="rle",
                       decoders=("pylibjpeg", "pydicom")),
    "jpeg-ls": Compression("jpeg-ls", JPEGLSLossless, plugins=("pyjpegls",), extra="jpeg-ls",
                           decoders=("pyjpegls", "pylibjpeg")),
    "jpeg2000": Compression("jpeg2000", JPEG2000Lossless, colour_photometric="YBR_RCT",
                            plugins=("pylibjpeg",), extra="jpeg2000", decoders=("pylibjpeg", "pillow"), min_side=32),
    # Deflated Explicit VR Little Endian (PS3.5 §A.5): the whole dataset is deflated, pixels
    # stay native. DCMTK and pydicom read it; Deflated Image Frame Compression (.1.2.8.1)
    # is not chosen because neither pydicom 3.0 nor DCMTK 3.6 nor dciodvfy know it.
    "deflate": Compression("deflate", DeflatedExplicitVRLittleEndian),
}


def compression_named(name: str) -> Compression:
    try:
        return COMPRESSIONS[name]
    except KeyError:
        raise ConversionError(
            f"unknown output.compression '{name}'; expected one of: {', '.join(COMPRESSIONS)}"
        ) from None


def photometric_for(compression: Compression, pixels: PixelDescription) -> str:
    """The photometric interpretation the encoded pixels carry."""
    if pixels.samples_per_pixel == 3 and pixels.photometric_interpretation == "RGB":
        return compression.colour_photometric
    return pixels.photometric_interpretation


def plugin_for(compression: Compression) -> str:
    """The preferred installed encoder plugin; ConversionError naming the extra if none is."""
    if not compression.plugins:
        return ""
    encoder = get_encoder(compression.transfer_syntax)
    available = set(encoder.available_plugins)
    for plugin in compression.plugins:
        if plugin in available:
            return plugin
    missing = "; ".join(encoder.missing_dependencies) or "no encoder plugin"
    raise ConversionError(
        f"output.compression {compression.name} needs an encoder that is not installed ({missing}); "
        f"install it with: pip install 'img2dcm[{compression.extra}]'"
    )


def check_encodable(compression: Compression, pixels: PixelDescription) -> None:
    """Refuse, before anything is decoded, pixels the syntax cannot hold (PS3.5 §8.2 tables)."""
    plugin_for(compression)
    if min(pixels.rows, pixels.columns) < compression.min_side:
        raise ConversionError(
            f"output.compression {compression.name} needs at least {compression.min_side} rows and columns "
            f"(the image is {pixels.columns}x{pixels.rows}); choose jpeg-ls or rle"
        )
    profiles = ENCODING_PROFILES.get(UID(compression.transfer_syntax))
    if not profiles:
        return
    photometric = photometric_for(compression, pixels)
    for pi, samples, representations, allocated, stored in profiles:
        if (pi == photometric and samples == pixels.samples_per_pixel
                and pixels.pixel_representation in representations
                and pixels.bits_allocated in allocated and pixels.bits_stored in stored):
            return
    raise ConversionError(
        f"output.compression {compression.name} cannot hold {pixels.bits_stored}-bit {photometric} pixels "
        f"({pixels.samples_per_pixel} sample(s), {pixels.bits_allocated} allocated; PS3.5 §8.2); "
        "choose another output.compression"
    )


def encoder_arguments(pixels: PixelDescription, photometric: str, frames: int) -> dict[str, object]:
    """What pydicom's encoder needs to know about one native frame."""
    return {
        "rows": pixels.rows,
        "columns": pixels.columns,
        "samples_per_pixel": pixels.samples_per_pixel,
        "bits_allocated": pixels.bits_allocated,
        "bits_stored": pixels.bits_stored,
        "pixel_representation": pixels.pixel_representation,
        "photometric_interpretation": photometric,
        "planar_configuration": pixels.planar_configuration or 0,
        "number_of_frames": frames,
    }


def encode_frames(compression: Compression, pixels: PixelDescription, frames: Sequence[Frame]) -> list[Frame]:
    """Each native frame encoded on its own (one fragment per frame, PS3.5 §A.4).

    Frames are read one at a time; only the (smaller) encoded frames are kept.
    """
    plugin = plugin_for(compression)
    encoder = get_encoder(compression.transfer_syntax)
    arguments = encoder_arguments(pixels, photometric_for(compression, pixels), 1)
    encoded: list[Frame] = []
    for number, frame in enumerate(frames, start=1):
        with frame.open() as stream:
            data = stream.read(frame.length)
        try:
            encoded.append(Frame.from_bytes(encoder.encode(data, encoding_plugin=plugin, **arguments)))
        except Exception as exc:  # noqa: BLE001 - an encoder failure is a conversion failure
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ConversionError(f"{compression.name} encoding of frame {number} failed: {detail}") from exc
    return encoded


def compression_for_syntax(transfer_syntax: str) -> Compression:
    """The row whose transfer syntax we write (the writer knows only the syntax)."""
    for compression in COMPRESSIONS.values():
        if compression.transfer_syntax == transfer_syntax:
            return compression
    raise ConversionError(f"no encoder for transfer syntax {transfer_syntax}")


def decoder_plugin(transfer_syntax: str) -> str:
    """The preferred installed decoder plugin for verifying ``transfer_syntax`` ("" = pydicom's choice)."""
    compression = next((c for c in COMPRESSIONS.values() if c.transfer_syntax == transfer_syntax), None)
    if compression is None or not compression.decoders:
        return ""
    available = set(get_decoder(transfer_syntax).available_plugins)
    return next((plugin for plugin in compression.decoders if plugin in available), "")
