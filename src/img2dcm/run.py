"""Run a profile on inputs: one object from all inputs, or one object per input (batch).

Shared by ``img2dcm apply`` and the classic command line. Errors of one batch
item are reported and the others still convert; nothing partial is left behind.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from img2dcm.errors import Img2DcmError, UsageError
from img2dcm.plan import compile_plan
from img2dcm.profile.model import Profile
from img2dcm.readers import read_image
from img2dcm.report import render, report_data
from img2dcm.write import STDOUT, write_object

log = logging.getLogger("img2dcm")


@dataclass(frozen=True)
class Job:
    """One output object and the inputs that make it."""

    inputs: tuple[Path, ...]
    output: Path


def plan_jobs(profile: Profile, inputs: list[Path], output: str | Path | None) -> list[Job]:
    """All inputs → one object, or, when the output is a folder, one object per input.

    ``output`` is the text as typed: a trailing slash means "a folder", which a
    Path would forget.
    """
    inputs = inputs or list(profile.run.inputs)
    output = str(output) if output is not None else profile.run.output
    if not inputs or not output:
        raise UsageError("give the input image(s) and the output file (or set run.inputs/run.output in the profile)")
    target = Path(output)
    if output != str(STDOUT) and (target.is_dir() or output.endswith(("/", os.sep))):
        target.mkdir(parents=True, exist_ok=True)
        return [Job((path,), target / f"{path.stem}.dcm") for path in inputs]
    return [Job(tuple(inputs), target)]


def run_job(profile: Profile, job: Job, *, dry_run: bool, fmt: str, console: Console) -> None:
    """Read headers, build the plan and either report it or write the object."""
    images = tuple(read_image(path, profile.input) for path in job.inputs)
    if not dry_run:  # a dry run shows warnings in its report
        for image in images:
            for warning in image.warnings:
                log.warning("%s: %s", image.path, warning)
    plan = compile_plan(profile, images, job.output)
    ctx = plan.build()
    if dry_run:
        data = report_data(plan, ctx)
        if fmt == "json":
            console.print_json(json.dumps(data))
        else:
            render(data, console, dry_run=True)
        return
    write_object(ctx.builder.dataset, images, ctx.transfer_syntax, job.output, profile.output)
    for finding in ctx.findings:
        level = logging.ERROR if finding.severity == "error" else logging.WARNING
        log.log(level, "%s: %s", job.output, finding)
    log.info("%s: written (%s, %s)", job.output, ctx.sop_class_name, ctx.transfer_syntax)


def convert(profile: Profile, inputs: list[Path], output: str | Path | None, *, dry_run: bool = False,
            fmt: str = "text", console: Console | None = None) -> int:
    """Run every job; return the exit code (1 when any job failed)."""
    # Piped output is not wrapped at 80 columns: the attribute table stays readable.
    console = console or Console(width=None if sys.stdout.isatty() else 160)
    jobs = plan_jobs(profile, inputs, output)
    failed = 0
    for job in jobs:
        try:
            run_job(profile, job, dry_run=dry_run, fmt=fmt, console=console)
        except Img2DcmError as exc:
            failed += 1
            log.error("%s", exc.line() if exc.path or len(job.inputs) != 1 else f"{job.inputs[0]}: {exc.line()}")
        except OSError as exc:
            failed += 1
            log.error("%s: %s", exc.filename or job.output, exc.strerror or exc)
        except Exception as exc:  # noqa: BLE001 - one broken file must not stop a batch
            failed += 1
            log.debug("internal error", exc_info=True)
            log.critical("%s: internal error: %s: %s (please report it)", ", ".join(map(str, job.inputs)),
                         type(exc).__name__, exc)
    if len(jobs) > 1:
        log.info("%d of %d converted", len(jobs) - failed, len(jobs))
    return 1 if failed else 0
