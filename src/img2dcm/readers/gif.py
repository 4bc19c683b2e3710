"""GIF reader: one frame, or every frame of an animation as a multi-frame image.

A single frame follows the palette rule (grey palette -> MONOCHROME2, else RGB).
Animation frames are composited by Pillow as a browser shows them (disposal and
partial frames applied) and stored as RGB, so every frame shares one layout.
Transparency follows ``input.alpha``. GIF is lossless (LZW over a palette).
"""

from __future__ import annotations

from pathlib import Path

from PIL import GifImagePlugin, Image, ImageSequence

from img2dcm.profile.model import InputOptions
from img2dcm.readers.base import SourceImage
from img2dcm.readers.raster import NativeFrame, check_dimensions, pillow_errors, source_from_frames, to_native

SIGNATURES = (b"GIF87a", b"GIF89a")


class GifReader:
    """Graphics Interchange Format, still or animated."""

    name = "gif"

    def accepts(self, prefix: bytes) -> bool:
        return prefix[:6] in SIGNATURES

    def read(self, path: Path, options: InputOptions) -> SourceImage:
        natives: list[NativeFrame] = []
        notes: list[str] = []
        durations: list[float] = []
        with pillow_errors(path):
            with Image.open(path, formats=[GifImagePlugin.GifImageFile.format]) as image:
                check_dimensions(image.width, image.height, path)
                count = getattr(image, "n_frames", 1)
                notes.append(f"GIF {image.info.get('version', b'').decode('ascii', 'replace')}, {count} frame(s)")
                if count == 1:
                    natives.append(to_native(image, path, options=options))
                else:
                    for frame in ImageSequence.Iterator(image):
                        durations.append(float(frame.info.get("duration") or 0))
                        natives.append(to_native(frame.convert("RGBA"), path, options=options))
                    notes.append("animation: frames composited as shown and stored as RGB")
        return source_from_frames(path, "gif", natives, notes=tuple(notes), durations=tuple(durations))
