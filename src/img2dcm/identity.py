"""The identity an object is given from outside its own plan: UIDs and numbers of a batch.

A batch decides, before any object is built, which study and series each input
joins and its place in that series; the UID step writes these instead of drawing
new random UIDs. Values that a template, a study/series file, a key or a manifest
row give still win, exactly as over random UIDs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    """UIDs and numbers for one object; ``how`` says where they came from, for the report."""

    study_uid: str
    series_uid: str
    sop_uid: str
    how: str  # e.g. "deterministic UID" / "batch series 2 of study 1"
    series_number: int | None = None
    instance_number: int | None = None
