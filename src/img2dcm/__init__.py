"""img2dcm: turn ordinary images into valid DICOM objects, declaratively.

The public API (docs/api.md)::

    import img2dcm
    profile = img2dcm.load_profile("site.yaml")
    datasets = img2dcm.convert(profile, "photo.jpg")        # pydicom Datasets, in memory
    paths = img2dcm.convert(profile, "photos/", "out/")     # files, as `img2dcm apply`
    report = img2dcm.plan(profile, "photo.jpg")             # the dry run as data

Heavy modules load on first use, so ``import img2dcm`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "BatchError",
    "CharsetError",
    "ConversionError",
    "Img2DcmError",
    "InputError",
    "KeyPathError",
    "Profile",
    "ProfileError",
    "TemplateError",
    "UsageError",
    "__version__",
    "convert",
    "load_profile",
    "plan",
]

if TYPE_CHECKING:
    from img2dcm.api import convert, load_profile, plan
    from img2dcm.errors import (
        BatchError,
        CharsetError,
        ConversionError,
        Img2DcmError,
        InputError,
        KeyPathError,
        ProfileError,
        TemplateError,
        UsageError,
    )
    from img2dcm.profile.model import Profile

_HOMES = {"convert": "img2dcm.api", "load_profile": "img2dcm.api", "plan": "img2dcm.api",
          "Profile": "img2dcm.profile.model"}


def __getattr__(name: str) -> Any:
    """Load the API's names on first use (``img2dcm --version`` must not import pydicom)."""
    from importlib import import_module

    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    if name in __all__:
        return getattr(import_module("img2dcm.errors"), name)
    raise AttributeError(f"module 'img2dcm' has no attribute {name!r}")
