"""Shared state of one conversion: what the steps read and write while a Plan builds.

Kept apart from :mod:`img2dcm.pipeline` so that steps, checks and the report depend on
this small module and not on the compiler that imports them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from img2dcm.profile.model import Profile
from img2dcm.provenance import DatasetBuilder
from img2dcm.readers.base import SourceImage
from img2dcm.uids import UidFactory


@dataclass(frozen=True)
class Finding:
    """One result of checking the finished dataset against our IOD tables."""

    severity: str  # "error" | "warning"
    attribute: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.attribute}: {self.message}"


@dataclass
class Context:
    """Mutable state shared by the steps of one run."""

    profile: Profile
    images: tuple[SourceImage, ...]
    builder: DatasetBuilder
    uids: UidFactory
    now: datetime
    transfer_syntax: str = ""  # set from the first image by the pixel step
    sop_class_uid: str = ""  # set by the SOP class step
    sop_class_name: str = ""  # human name of the chosen class
    findings: list[Finding] = field(default_factory=list)
