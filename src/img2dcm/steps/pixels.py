"""Step 5: the Image Pixel module, from the first image (DCMTK §7.1)."""

from __future__ import annotations

from img2dcm.context import Context
from img2dcm.provenance import Source, SourceKind


class ImagePixelModule:
    title = "image pixel module"

    def describe(self) -> str:
        return "Image Pixel module and transfer syntax from the first image's header"

    def apply(self, ctx: Context) -> None:
        first = ctx.images[0]
        pixels = first.pixels
        reader = Source(SourceKind.READER, f"{first.format} {first.path.name}")
        put = ctx.builder.put
        put("SamplesPerPixel", pixels.samples_per_pixel, reader)
        put("PhotometricInterpretation", pixels.photometric_interpretation, reader)
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
        ctx.transfer_syntax = pixels.transfer_syntax
        for image in ctx.images:
            for note in image.notes:
                ctx.builder.note(f"{image.path.name}: {note}")
