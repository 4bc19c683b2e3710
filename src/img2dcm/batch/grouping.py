"""Which study and series each input joins, its numbers, and its UIDs.

Grouping values are known before any image is read: the manifest row, then the
profile's keys, then the template or study/series file (the order in which the
plan lets them win), plus ``folder``, the input's folder under its input root.
Deterministic UIDs are derived from names (docs/batch.md "UIDs"):

- study:    root, profile, "study", the study_by values (+ the input root when all are empty)
- series:   root, profile, "series", the study's names, the series_by values
- instance: root, profile, "instance", the manifest row, each input's relative path and SHA-256
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydicom.dataset import Dataset

from img2dcm.batch.inputs import InputItem
from img2dcm.identity import Identity
from img2dcm.profile.model import Profile
from img2dcm.uids import UidFactory, derived_uid

if TYPE_CHECKING:
    from img2dcm.batch.manifest import ManifestRow

FOLDER = "folder"
#: Fields of a profile that change nothing in the objects it writes.
NOT_IN_FINGERPRINT = ("name", "description", "source", "run")
HOW = {"deterministic": "deterministic (docs/batch.md)", "random": "new UID"}


@dataclass(frozen=True)
class Candidate:
    """An input about to be converted: where it is, its content hash and its manifest row."""

    inputs: tuple[InputItem, ...]
    sha256: tuple[str, ...]
    row: ManifestRow | None = None

    @property
    def first(self) -> InputItem:
        return self.inputs[0]


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's content."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _content_of(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return file_sha256(path)
    except OSError:
        return str(path)


def profile_fingerprint(profile: Profile) -> str:
    """A digest of what the profile does; referenced files count by their content, not their place."""
    data: dict[str, Any] = asdict(profile)
    for name in NOT_IN_FINGERPRINT:
        data.pop(name, None)
    data["keys"] = [[spec.path, spec.value] for spec in profile.keys]
    data["batch"].pop("manifest", None)  # each row is part of its instance's name instead
    data["batch"].pop("output_path", None)
    if profile.template is not None:
        data["template"]["path"] = _content_of(profile.template.path)
    for name in ("study_from", "series_from"):
        data["sources"][name] = _content_of(getattr(profile.sources, name))
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def base_dataset(profile: Profile) -> Dataset:
    """What the template and the study/series file give every object, before any image is read."""
    from img2dcm.context import Context
    from img2dcm.provenance import DatasetBuilder
    from img2dcm.steps import imports, template

    ctx = Context(profile=profile, images=(), builder=DatasetBuilder(), uids=UidFactory(None),
                  now=datetime.now().astimezone())
    if profile.template is not None:
        template.LoadTemplate(profile.template).apply(ctx)
    if profile.sources.study_from or profile.sources.series_from:
        imports.ImportStudySeries(profile.sources).apply(ctx)
    return ctx.builder.dataset


def attribute_tag(name: str, field: str, profile: Profile) -> int | None:
    """The tag a grouping name stands for (None for ``folder``); a bad name stops the run."""
    from img2dcm.errors import Img2DcmError, ProfileError
    from img2dcm.keys.path import parse_path

    if name == FOLDER:
        return None
    try:
        return int(parse_path(name).top.tag)
    except Img2DcmError as exc:
        raise ProfileError([f"{profile.source}: batch.{field}: {exc.message}"]) from None


class Grouper:
    """Assigns identities in input order; numbering depends only on the order of the inputs."""

    def __init__(self, profile: Profile, base: Dataset) -> None:
        from img2dcm.keys.path import parse_path

        self.profile = profile
        self.mode = profile.uid_mode
        self.root = profile.uid_root
        self.fingerprint = profile_fingerprint(profile)
        self.random = UidFactory(profile.uid_root)
        self.base = base
        self.key_values: dict[int, str] = {}
        for spec in profile.keys:
            try:
                path = parse_path(spec.path)
            except Exception:  # noqa: BLE001, S112 - a bad key fails in the plan, naming its line
                continue
            if len(path.nodes) == 1 and not path.ends_in_item:
                self.key_values[int(path.top.tag)] = spec.value or ""
        self.study_tags = [(n, attribute_tag(n, "study_by", profile)) for n in profile.batch.study_by]
        self.series_tags = [(n, attribute_tag(n, "series_by", profile)) for n in profile.batch.series_by]
        self.studies: dict[tuple[str, ...], tuple[str, dict[tuple[str, ...], list[Any]]]] = {}

    def value(self, tag: int | None, candidate: Candidate) -> str:
        if tag is None:
            return candidate.first.relpath
        if candidate.row is not None:
            given = candidate.row.value_of(tag)
            if given is not None:
                return given
        if tag in self.key_values:
            return self.key_values[tag]
        element = self.base.get(tag)
        return str(element.value).strip() if element is not None and element.value is not None else ""

    def names(self, candidate: Candidate) -> tuple[tuple[str, ...], tuple[str, ...]]:
        study = tuple(f"{n}={self.value(t, candidate)}" for n, t in self.study_tags)
        if not any(part.split("=", 1)[1] for part in study):
            study += (f"root={candidate.first.root}",)  # no study values: one study per input root
        series = tuple(f"{n}={self.value(t, candidate)}" for n, t in self.series_tags)
        return study, series

    def uid(self, *parts: str) -> str:
        if self.mode == "random":
            return self.random.new()
        return derived_uid(self.root, self.fingerprint, *parts)

    def instance_parts(self, candidate: Candidate) -> tuple[str, ...]:
        row = candidate.row.fingerprint() if candidate.row is not None else ""
        files = tuple(f"{item.relative}\x1d{digest}" for item, digest in zip(candidate.inputs, candidate.sha256, strict=False))
        return ("instance", row) + files

    def assign(self, candidate: Candidate) -> Identity:
        """The next identity: study and series by value, numbers in the order of calls."""
        study_names, series_names = self.names(candidate)
        if study_names not in self.studies:
            self.studies[study_names] = (self.uid("study", *study_names), {})
        study_uid, series_map = self.studies[study_names]
        if series_names not in series_map:
            series_uid = self.uid("series", *study_names, "\x1d", *series_names)
            series_map[series_names] = [series_uid, len(series_map) + 1, 0]
        entry = series_map[series_names]
        entry[2] += 1
        return Identity(study_uid=study_uid, series_uid=entry[0], sop_uid=self.uid(*self.instance_parts(candidate)),
                        how=HOW[self.mode], series_number=entry[1], instance_number=entry[2])
