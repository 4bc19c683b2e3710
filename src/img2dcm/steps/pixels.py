"""Step 5: the Image Pixel module, from the first image (DCMTK §7.1), and the output encoding.

Decoded pixels (native frames) take ``output.compression``: its transfer syntax and,
for colour in JPEG 2000, the photometric interpretation YBR_RCT. Whether the pixels fit
the syntax is checked here, at compile time; whether the SOP class accepts it is the
SOP class step's check. Streams passed through (JPEG, JPEG-LS) keep their own syntax.
"""

from __future__ import annotations

from pydicom.uid import UID

from img2dcm.compression import check_encodable, compression_named, photometric_for
from img2dcm.errors import ConversionError
from img2dcm.iods.syntaxes import syntax_name
from img2dcm.context import Context
from img2dcm.profile.model import OutputOptions
from img2dcm.provenance import Source, SourceKind
from img2dcm.readers.base import SourceImage


def output_encoding(first: SourceImage, output: OutputOptions) -> tuple[str, str, str | None]:
    """(transfer syntax, photometric interpretation, note) for the object we write."""
    pixels = first.pixels
    compression = compression_named(output.compression)
    if compression.name == "none":
        return pixels.transfer_syntax, pixels.photometric_interpretation, None
    if UID(pixels.transfer_syntax).is_encapsulated:
        return (pixels.transfer_syntax, pixels.photometric_interpretation,
                f"output.compression {compression.name} not applied: the {first.format} stream is passed "
                f"through as {syntax_name(pixels.transfer_syntax)}")
    check_encodable(compression, pixels)
    if compression.deflated and output.file_format != "file":
        raise ConversionError("output.compression deflate needs the file format (+F): without File Meta "
                              "Information no reader can tell that the dataset is deflated")
    if compression.deflated and output.padding.file:
        raise ConversionError("output.compression deflate cannot be combined with file padding (+p): "
                              "the padding would land outside the deflated stream")
    photometric = photometric_for(compression, pixels)
    verify = "verified after writing" if output.verify and compression.name != "none" else "not verified"
    return (compression.transfer_syntax, photometric,
            f"decoded pixels written as {syntax_name(compression.transfer_syntax)} "
            f"(output.compression {compression.name}, lossless, {verify})")


class ImagePixelModule:
    title = "image pixel module"

    def describe(self) -> str:
        return "Image Pixel module and transfer syntax from the first image's header"

    def apply(self, ctx: Context) -> None:
        first = ctx.images[0]
        pixels = first.pixels
        reader = Source(SourceKind.READER, f"{first.format} {first.path.name}")
        transfer_syntax, photometric, note = output_encoding(first, ctx.profile.output)
        put = ctx.builder.put
        put("SamplesPerPixel", pixels.samples_per_pixel, reader)
        if photometric != pixels.photometric_interpretation:
            put("PhotometricInterpretation", photometric,
                Source(SourceKind.COMPUTED, f"{pixels.photometric_interpretation} in "
                       f"output.compression {ctx.profile.output.compression}"))
        else:
            put("PhotometricInterpretation", photometric, reader)
        if pixels.samples_per_pixel > 1:
            put("PlanarConfiguration", pixels.planar_configuration or 0, reader)
        put("Rows", pixels.rows, reader)
        put("Columns", pixels.columns, reader)
        put("BitsAllocated", pixels.bits_allocated, reader)
        put("BitsStored", pixels.bits_stored, reader)
        put("HighBit", pixels.high_bit, reader)
        put("PixelRepresentation", pixels.pixel_representation, reader)
        if pixels.pixel_aspect_ratio is not None:
            put("PixelAspectRatio", list(pixels.pixel_aspect_ratio), reader)
        ctx.transfer_syntax = transfer_syntax
        if note:
            ctx.builder.note(note)
        for image in ctx.images:
            for detail in image.notes:
                ctx.builder.note(f"{image.path.name}: {detail}")
