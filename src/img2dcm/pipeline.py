"""Compile a Profile plus inputs into a Plan: ordered steps that explain themselves.

The Plan is a value. ``--dry-run`` renders it after building the dataset in
memory; a real run builds the very same dataset and hands it to the writer.
The step order is DCMTK img2dcm's (reference §2), readable in :func:`compile_plan`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from img2dcm.context import Context, Finding
from img2dcm.identity import Identity
from img2dcm.profile.model import KeySpec, Profile
from img2dcm.provenance import DatasetBuilder, SourceKind
from img2dcm.readers.base import SourceImage
from img2dcm.uids import UidFactory

__all__ = ["Context", "Finding", "ItemFacts", "Plan", "Step", "compile_plan"]


class Step(Protocol):
    """A pipeline step: a title, a one-line explanation, and its effect."""

    title: str

    def describe(self) -> str:
        """What this step will do, for the report."""
        ...

    def apply(self, ctx: Context) -> None:
        """Do it, recording provenance through ``ctx.builder``."""
        ...


@dataclass(frozen=True)
class Plan:
    """Everything needed to produce one output object."""

    profile: Profile
    images: tuple[SourceImage, ...]
    output: Path | None
    steps: tuple[Step, ...]

    def build(self, now: datetime | None = None) -> Context:
        """Run every step on a fresh dataset; pixel data is not touched here."""
        ctx = Context(
            profile=self.profile,
            images=self.images,
            builder=DatasetBuilder(),
            uids=UidFactory(self.profile.uid_root),
            now=now or datetime.now().astimezone(),
        )
        for step in self.steps:
            step.apply(ctx)
        return ctx


@dataclass(frozen=True)
class ItemFacts:
    """What a batch knows of one object before it is built: its identity and its manifest row."""

    identity: Identity | None = None
    manifest_keys: tuple[KeySpec, ...] = ()


def compile_plan(profile: Profile, images: tuple[SourceImage, ...], output: Path | None,
                 facts: ItemFacts | None = None) -> Plan:
    """The pipeline, in DCMTK's order (reference §2), with our additions marked."""
    from img2dcm.steps import (
        charset,
        completion,
        exif,
        icc,
        imports,
        instance,
        keys,
        lossy,
        multiframe,
        pixels,
        sop_class,
        template,
        uids,
        validation,
    )

    steps: list[Step] = []
    if profile.template is not None:
        steps.append(template.LoadTemplate(profile.template))
    if profile.sources.study_from or profile.sources.series_from:
        steps.append(imports.ImportStudySeries(profile.sources))
    if profile.sources.increment_instance:
        steps.append(instance.IncrementInstanceNumber())
    facts = facts or ItemFacts()
    if profile.sources.worklist is not None:  # ours: patient and order from the worklist (docs/network.md)
        from img2dcm.steps.worklist import WorklistAttributes

        row = {spec.path: spec.value or "" for spec in facts.manifest_keys}
        steps.append(WorklistAttributes(profile.sources.worklist, profile.send, row))
    steps.append(uids.GenerateUids(facts.identity))
    steps.append(pixels.ImagePixelModule())
    steps.append(sop_class.ApplySopClass(profile.output.sop_class))
    steps.append(multiframe.MultiFrameAttributes(profile.output.multiframe))
    steps.append(icc.SourceIccProfile())  # ours: ICC from the source, never the template's
    if profile.input.exif:
        steps.append(exif.ExifAttributes())  # ours: capture date, make/model
    if profile.keys:
        steps.append(keys.ApplyKeys(profile.keys))
    if facts.manifest_keys:
        steps.append(keys.ApplyKeys(facts.manifest_keys, SourceKind.MANIFEST))  # ours: batch manifest row
    steps.append(charset.ResolveCharacterSet(profile.charset_conversion))  # ours
    if profile.checks.enabled:
        steps.append(completion.CompleteIod(profile.checks))
    steps.append(lossy.LossyCompressionAttributes())
    steps.append(validation.ValidateIod())  # ours: findings for the report
    return Plan(profile=profile, images=images, output=output, steps=tuple(steps))
