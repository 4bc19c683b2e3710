"""Convert one input: read → plan → write. The one function every executor calls.

It takes and returns plain values (an :class:`ItemTask` in, an :class:`ItemRecord`
out) and never raises for a bad input, so a process pool or a cluster can run it
and one broken file never stops the others. Nothing partial is left on failure:
the writer renames a finished temporary file into place or removes it.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from img2dcm.batch.grouping import Candidate
from img2dcm.errors import Img2DcmError
from img2dcm.identity import Identity
from img2dcm.profile.model import Profile

log = logging.getLogger("img2dcm")

WRITTEN, FAILED, SKIPPED = "written", "failed", "skipped"


@dataclass(frozen=True)
class RunSettings:
    """What every item of a run shares (sent once to each worker)."""

    profile: Profile
    out_dir: Path | None  # batch: the output folder; None when each task names its output
    dry_run: bool = False
    now: datetime | None = None  # one time for every object of a run (dates and times agree)


@dataclass(frozen=True)
class ItemTask:
    """One object to make. ``failure`` is set when the batch already knows it cannot be made."""

    candidate: Candidate
    identity: Identity | None = None
    output: Path | None = None  # a fixed output file (or stdout); else named by batch.output_path
    failure: str | None = None


@dataclass
class ItemRecord:
    """The outcome of one input: one line of the run log."""

    input: str
    sha256: str
    output: str | None
    sop_instance_uid: str | None
    status: str
    message: str
    seconds: float
    sop_class: str = ""
    bytes: int = 0
    warnings: list[str] = field(default_factory=list)
    report: dict[str, Any] | None = None  # dry run only; never logged

    def log_line(self) -> str:
        data: dict[str, Any] = {"input": self.input, "sha256": self.sha256, "output": self.output,
                "sop_instance_uid": self.sop_instance_uid, "status": self.status, "message": self.message,
                "seconds": round(self.seconds, 4)}
        if self.status == WRITTEN:
            data["bytes"] = self.bytes
        if self.sop_class:
            data["sop_class"] = self.sop_class
        if self.warnings:
            data["warnings"] = self.warnings
        return json.dumps(data, ensure_ascii=False)


def failure_line(exc: BaseException, first: Path, output: Path | None) -> str:
    """One line naming the file, whatever went wrong."""
    if isinstance(exc, Img2DcmError):
        return exc.line() if exc.path else f"{first}: {exc.line()}"
    if isinstance(exc, OSError):
        return f"{exc.filename or output or first}: {exc.strerror or exc}"
    log.debug("internal error", exc_info=exc)
    return f"{first}: internal error: {type(exc).__name__}: {exc} (please report it)"


@dataclass
class BuiltItem:
    """An object built in memory, not yet written: what ``convert_item`` and the API share."""

    images: tuple[Any, ...]  # SourceImage
    plan: Any  # Plan
    ctx: Any  # Context
    target: Path | None

    @property
    def dataset(self) -> Any:
        return self.ctx.builder.dataset


def build_item(task: ItemTask, settings: RunSettings, images: tuple[Any, ...] | None = None) -> BuiltItem:
    """Read the input(s) (unless ``images`` holds them already) and build the dataset (pixel data
    not attached); raise our errors."""
    from img2dcm.batch.naming import output_path
    from img2dcm.pipeline import ItemFacts, compile_plan
    from img2dcm.readers import read_image

    profile = settings.profile
    candidate = task.candidate
    if images is None:
        images = tuple(read_image(item.path, profile.input) for item in candidate.inputs)
    row_keys = candidate.row.keys if candidate.row is not None else ()
    plan = compile_plan(profile, images, task.output, ItemFacts(task.identity, row_keys))
    ctx = plan.build(settings.now)
    target = task.output
    if target is None and settings.out_dir is not None:
        target = output_path(profile.batch.output_path, settings.out_dir, candidate.first, ctx.builder.dataset)
    return BuiltItem(images, plan, ctx, target)


def refuse_invalid(ctx: Any, target: Path, profile: Profile) -> None:
    """With checks on, an object our IOD check finds errors in is not written (exit 1).

    ``checks.enabled: false`` (DCMTK's --no-checks) writes it anyway and reports the findings;
    a checker that could not run (attribute "-") never costs the user the output.
    """
    from img2dcm.errors import ConversionError

    errors = [f for f in ctx.findings if f.severity == "error" and f.attribute != "-"]
    if profile.checks.enabled and errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ConversionError(f"not written: the object breaks its IOD: {errors[0].attribute}: "
                              f"{errors[0].message}{more}", target)


def convert_item(task: ItemTask, settings: RunSettings, images: tuple[Any, ...] | None = None) -> ItemRecord:
    """Read the input(s), build the plan, write the object (or report it); never raise for bad input.

    ``images``: the inputs already read (a single conversion reads them while it hashes them)."""
    from img2dcm.write import write_object

    start = time.perf_counter()
    candidate = task.candidate
    first = candidate.first.path
    record = ItemRecord(input=", ".join(str(item.path) for item in candidate.inputs),
                        sha256=",".join(candidate.sha256), output=None, sop_instance_uid=None,
                        status=FAILED, message="", seconds=0.0)
    if task.failure:
        record.message = task.failure
        return record
    target = task.output
    try:
        built = build_item(task, settings, images)
        ctx, images, dataset, target = built.ctx, built.images, built.dataset, built.target
        assert target is not None
        record.output = str(target)
        record.sop_instance_uid = str(dataset.get("SOPInstanceUID", "")) or None
        record.sop_class = ctx.sop_class_name
        several = len(images) > 1  # then each warning names its image
        record.warnings = [f"{image.path}: {w}" if several else w for image in images for w in image.warnings]
        record.warnings += [str(finding) for finding in ctx.findings]
        if settings.dry_run:
            from img2dcm.report import report_data

            record.report = report_data(replace(built.plan, output=target), ctx)
            record.status, record.message = WRITTEN, "dry run"
        else:
            refuse_invalid(ctx, target, settings.profile)
            if settings.out_dir is not None:
                from img2dcm.outputs import refuse_overwriting_inputs

                refuse_overwriting_inputs(target, [i.path for i in candidate.inputs], str(target))
                target.parent.mkdir(parents=True, exist_ok=True)
            write_object(dataset, images, ctx.transfer_syntax, target, settings.profile.output,
                         durable=settings.out_dir is None)  # a batch syncs once at its end
            record.status = WRITTEN
            record.message = f"{ctx.sop_class_name}, {ctx.transfer_syntax}"
            record.bytes = target.stat().st_size if str(target) != "-" else 0
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop a batch
        record.status, record.message = FAILED, failure_line(exc, first, target)
    record.seconds = time.perf_counter() - start
    return record
