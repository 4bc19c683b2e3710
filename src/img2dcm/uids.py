"""New UIDs: under a site root when the profile gives one, else 2.25.<UUID>."""

from __future__ import annotations

import uuid

MAX_UID_LENGTH = 64  # PS3.5 §9.1


class UidFactory:
    """Makes unique UIDs for one run."""

    def __init__(self, root: str | None = None) -> None:
        self.root = root.rstrip(".") if root else None

    def new(self) -> str:
        value = uuid.uuid4().int
        if self.root is None:
            return f"2.25.{value}"
        suffix = str(value)[: MAX_UID_LENGTH - len(self.root) - 1]
        return f"{self.root}.{suffix.lstrip('0') or '0'}"
