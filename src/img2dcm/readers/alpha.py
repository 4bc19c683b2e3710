"""Alpha channel policy (``input.alpha``): DICOM images have no transparency.

An alpha channel that is opaque everywhere (most screenshots) carries nothing and is
dropped silently. A real one is refused by default, naming the policy to choose,
because either way the image a viewer shows changes: ``drop`` keeps the colour
values under transparent pixels (often garbage), ``flatten`` blends every pixel
onto ``input.background`` as a browser shows it on that colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from img2dcm.errors import InputError

#: Pillow modes with an alpha band.
ALPHA_BAND_MODES = frozenset({"RGBA", "LA", "PA"})
#: Pillow modes whose ``transparency`` info names one transparent value (PNG tRNS, GIF).
KEYED_MODES = frozenset({"L", "RGB", "I;16", "I;16L", "I;16B", "I", "1"})
OPAQUE = 255

POLICY_HINT = ("choose input.alpha: drop (ignore transparency, keep the colour values) or flatten "
               "(blend onto input.background) (classic: --alpha drop|flatten)")


@dataclass(frozen=True)
class AlphaResult:
    """An image without transparency, and what was done to get it."""

    image: Image.Image
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def alpha_of(image: Image.Image) -> np.ndarray | None:
    """The alpha of every pixel (0-255), or None when the image has no transparency at all."""
    mode = image.mode
    if mode in ALPHA_BAND_MODES:
        return np.asarray(image.getchannel("A"))
    transparency = image.info.get("transparency")
    if mode == "P" and (transparency is not None or (image.palette and image.palette.mode == "RGBA")):
        return np.asarray(image.convert("RGBA").getchannel("A"))
    if transparency is None or mode not in KEYED_MODES:
        return None
    values = np.asarray(image)
    if values.ndim == 3:
        keyed = np.all(values == np.asarray(transparency, dtype=values.dtype), axis=-1)
    else:
        keyed = values == transparency
    return np.where(keyed, 0, OPAQUE).astype(np.uint8)


def without_alpha(image: Image.Image) -> Image.Image:
    """The same pixel values with the transparency removed (PA is left to the palette rule)."""
    if image.mode in ("RGBA", "LA"):
        return image.convert(image.mode[:-1])
    image.info.pop("transparency", None)
    return image


def _is_grey(image: Image.Image) -> bool:
    if image.mode in ("L", "LA", "1") or image.mode.startswith("I"):
        return True
    if image.mode in ("P", "PA"):
        table = np.asarray(image.getpalette(rawmode="RGB") or [], dtype=np.uint8).reshape(-1, 3)
        return bool(np.all(table[:, :1] == table))
    return False


def flattened(image: Image.Image, alpha: np.ndarray, background: tuple[int, int, int]) -> Image.Image:
    """Every pixel blended onto ``background``: c·a + bg·(1 − a), rounded (8-bit alpha)."""
    grey = _is_grey(image) and background[0] == background[1] == background[2]
    if image.mode.startswith("I"):  # 16-bit grey with a keyed transparent value: alpha is 0 or 255
        if not grey:
            raise InputError("16-bit grey can only be flattened onto a grey background (input.background r = g = b)")
        values = np.asarray(image).astype(np.uint16)
        return Image.fromarray(np.where(alpha == 0, np.uint16(background[0] * 257), values))
    if grey:
        colour = np.asarray(image.convert("RGBA"))[..., :1].astype(np.uint32)
        bg = np.asarray(background[:1], dtype=np.uint32)
    else:
        colour = np.asarray(image.convert("RGBA"))[..., :3].astype(np.uint32)
        bg = np.asarray(background, dtype=np.uint32)
    a = alpha.astype(np.uint32)[..., None]
    blended = ((colour * a + bg * (OPAQUE - a) + OPAQUE // 2) // OPAQUE).astype(np.uint8)
    return Image.fromarray(blended[..., 0] if grey else blended)


def resolve_alpha(image: Image.Image, policy: str, background: tuple[int, int, int], path: Path) -> AlphaResult:
    """Apply ``input.alpha`` to a loaded image; InputError for ``reject`` with real transparency."""
    alpha = alpha_of(image)
    if alpha is None:
        return AlphaResult(image)
    see_through = int(np.count_nonzero(alpha < OPAQUE))
    if see_through == 0:
        return AlphaResult(without_alpha(image), notes=("alpha channel opaque everywhere: dropped, nothing lost",))
    share = f"{see_through} of {alpha.size} pixels are not opaque"
    if policy == "drop":
        return AlphaResult(without_alpha(image), warnings=(f"alpha channel dropped ({share}; input.alpha drop)",))
    if policy == "flatten":
        try:
            result = flattened(image, alpha, background)
        except InputError as exc:
            raise InputError(exc.message, path) from None
        colour = ",".join(map(str, background))
        return AlphaResult(result, notes=(f"alpha channel flattened onto background {colour} ({share})",))
    raise InputError(f"the image has transparency ({share}); {POLICY_HINT}", path)
