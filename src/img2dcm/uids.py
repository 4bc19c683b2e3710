"""New UIDs: under a site root when the profile gives one, else 2.25.<UUID>.

Two ways to make them: :class:`UidFactory` draws random ones (DCMTK's behaviour),
:func:`derived_uid` derives one from names, so a rerun of the same conversion gives
the same UIDs (``uids.mode: deterministic``, docs/batch.md "UIDs").
"""

from __future__ import annotations

import uuid

MAX_UID_LENGTH = 64  # PS3.5 §9.1

#: Fixed namespace of our name-based (RFC 9562 version 5) UUIDs. Changing it changes
#: every deterministic UID ever made, so it never changes.
UID_NAMESPACE = uuid.UUID("6f1d3c2e-8a4b-5c1e-9f7a-2b0d4e6a8c11")
#: Separates the parts of a name; it cannot occur in paths, keywords or hex digests we pass.
PART_SEPARATOR = "\x1f"


def format_uid(root: str | None, value: int) -> str:
    """``2.25.<value>`` (PS3.5 §B.2) or ``root.<digits of value>`` cut to 64 characters."""
    if root is None:
        return f"2.25.{value}"
    suffix = str(value)[: MAX_UID_LENGTH - len(root) - 1]
    return f"{root}.{suffix.lstrip('0') or '0'}"


def normalised_root(root: str | None) -> str | None:
    return root.rstrip(".") if root else None


def derived_uid(root: str | None, *parts: str) -> str:
    """The UID named by ``parts``: equal parts give equal UIDs, different parts different ones."""
    return format_uid(normalised_root(root), uuid.uuid5(UID_NAMESPACE, PART_SEPARATOR.join(parts)).int)


class UidFactory:
    """Makes unique UIDs for one run."""

    def __init__(self, root: str | None = None) -> None:
        self.root = normalised_root(root)

    def new(self) -> str:
        return format_uid(self.root, uuid.uuid4().int)
