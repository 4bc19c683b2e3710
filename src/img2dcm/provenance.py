"""A dataset under construction that remembers who set each attribute.

Every step writes through :class:`DatasetBuilder`, so the dry-run report can say
for each top-level attribute where its value came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any

from pydicom.datadict import dictionary_VR, tag_for_keyword
from pydicom.dataset import Dataset
from pydicom.tag import BaseTag, Tag


class SourceKind(str, Enum):
    """Where an attribute's value came from (shown in the report)."""

    TEMPLATE = "template"
    STUDY_FILE = "study file"
    SERIES_FILE = "series file"
    READER = "reader"
    EXIF = "exif"
    SOP_CLASS = "sop class"
    GENERATED = "generated"
    INVENTED = "invented"
    INSERTED_EMPTY = "inserted empty"
    KEY = "key"
    MANIFEST = "manifest"
    COMPUTED = "computed"
    WORKLIST = "worklist"


@dataclass(frozen=True)
class Source:
    """One provenance record: the kind and a detail (file name, key origin...)."""

    kind: SourceKind
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind.value} ({self.detail})" if self.detail else self.kind.value


@lru_cache(maxsize=None)
def _keyword_tag(name: str) -> BaseTag:
    tag = tag_for_keyword(name)
    if tag is None:
        raise KeyError(f"unknown DICOM keyword '{name}'")
    return Tag(tag)


def to_tag(name: str | int | BaseTag) -> BaseTag:
    """Accept a keyword, an int or a tag; raise KeyError for unknown keywords."""
    if isinstance(name, str):
        return _keyword_tag(name)  # steps name the same attributes for every object: looked up once
    return name if isinstance(name, BaseTag) else Tag(name)


class DatasetBuilder:
    """A pydicom Dataset plus a provenance map keyed by top-level tag."""

    def __init__(self, dataset: Dataset | None = None) -> None:
        self.dataset = dataset if dataset is not None else Dataset()
        self.provenance: dict[BaseTag, Source] = {}
        self.notes: list[str] = []  # report lines: decisions taken while building

    def put(self, name: str | int | BaseTag, value: Any, source: Source, vr: str | None = None) -> None:
        """Set an attribute (replacing any value) and record its source."""
        tag = to_tag(name)
        vr = vr or dictionary_VR(tag)
        self.dataset.add_new(tag, vr, value)
        self.provenance[tag] = source

    def put_empty(self, name: str | int | BaseTag, source: Source | None = None) -> None:
        """Insert a zero-length attribute (an empty sequence for SQ)."""
        tag = to_tag(name)
        vr = dictionary_VR(tag)
        self.put(tag, [] if vr == "SQ" else None, source or Source(SourceKind.INSERTED_EMPTY), vr)

    def remove(self, name: str | int | BaseTag) -> None:
        tag = to_tag(name)
        if tag in self.dataset:
            del self.dataset[tag]
        self.provenance.pop(tag, None)

    def has(self, name: str | int | BaseTag) -> bool:
        return to_tag(name) in self.dataset.keys()

    def has_value(self, name: str | int | BaseTag) -> bool:
        """Present and not zero length (a sequence with at least one item)."""
        elem = self.dataset.get(to_tag(name))
        if elem is None or elem.value is None:
            return False
        return len(elem.value) > 0 if hasattr(elem.value, "__len__") else True

    def adopt(self, dataset: Dataset, source: Source) -> None:
        """Copy every element of ``dataset`` in, all attributed to ``source``."""
        for elem in dataset:
            self.dataset[elem.tag] = elem
            self.provenance[elem.tag] = source

    def mark(self, name: str | int | BaseTag, source: Source) -> None:
        """Record a source for an element that was changed in place (keys into sequences)."""
        self.provenance[to_tag(name)] = source

    def source_of(self, name: str | int | BaseTag) -> Source | None:
        return self.provenance.get(to_tag(name))

    def note(self, text: str) -> None:
        self.notes.append(text)

