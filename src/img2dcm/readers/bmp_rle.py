"""BI_RLE8 / BI_RLE4 decoding for BMP files, strict where Pillow is lenient.

Pillow silently clips runs and deltas that leave the image (bmpsuite's
``badrle*``), so we walk and decode the stream ourselves and reject such data
with a one-line reason. The encoding is Microsoft's "Bitmap Compression"
(BI_RLE8 / BI_RLE4) from the Windows GDI documentation.
"""

from __future__ import annotations

import numpy as np


def decode_rle(data: bytes, width: int, height: int, bits: int) -> tuple[np.ndarray, int]:
    """Decode a BI_RLE8 (bits=8) or BI_RLE4 (bits=4) stream into colour indices.

    Returns rows in display order (top first) and the number of pixels the
    stream never set (left 0). Raises ValueError when a run or delta leaves the
    image or the data ends before every row is reached, which Pillow would clip.
    """
    out = np.zeros((height, width), dtype=np.uint8)
    x = y = 0
    written = 0
    pos, end = 0, len(data)

    def put(values: np.ndarray) -> None:
        nonlocal x, written
        count = values.size
        if y >= height:
            raise ValueError(f"RLE data continues past the last row ({height})")
        if x + count > width:
            raise ValueError(f"RLE run of {count} pixels at column {x} overflows row {y}")
        out[y, x : x + count] = values
        x += count
        written += count

    while True:
        if pos + 2 > end:
            if y >= height or (y == height - 1 and x == width):
                break  # complete image, end-of-bitmap marker missing
            raise ValueError(f"RLE data ends at row {y} of {height} (truncated)")
        first, second = data[pos], data[pos + 1]
        pos += 2
        if first:  # encoded run: `first` pixels of one (RLE8) or two alternating (RLE4) values
            if bits == 8:
                put(np.full(first, second, dtype=np.uint8))
            else:
                pair = np.array([second >> 4, second & 0x0F], dtype=np.uint8)
                put(np.resize(pair, first))
        elif second == 0:  # end of line
            y, x = y + 1, 0
        elif second == 1:  # end of bitmap
            break
        elif second == 2:  # delta
            if pos + 2 > end:
                raise ValueError("RLE delta cut short (truncated)")
            x, y = x + data[pos], y + data[pos + 1]
            pos += 2
            if x > width or y > height:
                raise ValueError(f"RLE delta moves outside the image to ({x}, {y})")
        else:  # absolute run of `second` literal pixels, padded to 16 bits
            size = second if bits == 8 else (second + 1) // 2
            if pos + size > end:
                raise ValueError("RLE literal run cut short (truncated)")
            raw = np.frombuffer(data, dtype=np.uint8, count=size, offset=pos)
            if bits == 4:
                raw = np.stack([raw >> 4, raw & 0x0F], axis=1).reshape(-1)[:second]
            put(raw)
            pos += size + (size & 1)
    return np.flipud(out), width * height - written
