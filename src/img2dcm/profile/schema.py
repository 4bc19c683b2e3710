"""The profile JSON Schema, found inside the installed package."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


def schema_text() -> str:
    """The schema exactly as shipped (``img2dcm schema`` prints this)."""
    return resources.files("img2dcm").joinpath("data/profile.schema.json").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(schema_text())
