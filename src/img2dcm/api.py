"""The public Python API: load a profile, convert images (to files or to Datasets), see the plan.

    import img2dcm

    profile = img2dcm.load_profile("site.yaml")
    [dataset] = img2dcm.convert(profile, upload_bytes, keys={"PatientID": "P1"})  # in memory
    paths = img2dcm.convert(profile, ["a.jpg", "b.jpg"], "out/")                  # one file each
    report = img2dcm.plan(profile, "photo.jpg")                                   # the dry run, as data

The command line is one caller of the same machinery; errors are the package's own
exception classes (:mod:`img2dcm.errors`) with the same one-line messages.
"""

from __future__ import annotations

import copy
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Union
from weakref import WeakKeyDictionary

from pydicom.dataset import Dataset

from img2dcm.batch.grouping import Candidate, Grouper, base_dataset
from img2dcm.batch.inputs import InputItem
from img2dcm.batch.item import (
    FAILED,
    WRITTEN,
    ItemRecord,
    ItemTask,
    RunSettings,
    build_item,
)
from img2dcm.errors import (
    BatchError,
    ConversionError,
    Img2DcmError,
    ProfileError,
    UsageError,
)
from img2dcm.profile.model import Profile

#: What ``convert`` and ``plan`` accept as one input: a path, the file's bytes, or a binary file object.
Input = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]
ProfileSource = Union[Profile, str, "os.PathLike[str]", Mapping[str, Any]]

#: The document and folder each API-loaded profile came from, so overrides can be re-checked.
_DOCUMENTS: WeakKeyDictionary[Profile, tuple[dict[str, Any], Path]] = WeakKeyDictionary()


def load_profile(source: str | os.PathLike[str] | Mapping[str, Any], *, base_dir: str | os.PathLike[str] | None = None
                 ) -> Profile:
    """A checked, typed profile from a YAML file or from a mapping of the same shape.

    Relative paths in a file resolve against its folder; in a mapping against
    ``base_dir`` (default: the current folder). Raises :class:`ProfileError` whose
    ``problems`` are the ``FILE:LINE: field: message`` lines ``img2dcm validate`` prints.
    """
    from img2dcm.profile.load import load_profile_located, read_profile_document

    if isinstance(source, Mapping):
        return _typed(copy.deepcopy(dict(source)), "<mapping>", Path(base_dir or Path.cwd()))
    path = Path(source)
    profile, _ = load_profile_located(path)
    document, _ = read_profile_document(path)
    _DOCUMENTS[profile] = (document, path.parent)
    return profile


def _typed(document: dict[str, Any], origin: str, base_dir: Path) -> Profile:
    from img2dcm.profile.load import profile_from_mapping, schema_problems

    def locate(where: list[str | int], on_key: bool = False) -> str:
        return origin

    problems = schema_problems(document, locate)
    if problems:
        raise ProfileError(problems)
    profile = profile_from_mapping(document, source=origin, base_dir=base_dir, locate=locate)
    _DOCUMENTS[profile] = (document, base_dir)
    return profile


def _with_overrides(profile: ProfileSource, keys: Mapping[str, Any] | None, overrides: dict[str, Any]) -> Profile:
    """``profile`` with ``keys`` added and fields overridden (``output__sop_class=...`` or ``**{"a.b": v}``)."""
    if not isinstance(profile, Profile):
        profile = load_profile(profile)
    if not keys and not overrides:
        return profile
    known = _DOCUMENTS.get(profile)
    if known is None:
        raise UsageError("overrides need a profile made by img2dcm.load_profile (a file or a mapping)")
    document, base_dir = copy.deepcopy(known[0]), known[1]
    for name, value in overrides.items():
        node = document
        steps = name.replace("__", ".").split(".")
        for step in steps[:-1]:
            node = node.setdefault(step, {})
            if not isinstance(node, dict):
                raise UsageError(f"override {name}: {step} is not a group of fields")
        node[steps[-1]] = value
    if keys:
        document["keys"] = {**(document.get("keys") or {}), **dict(keys)}
    return _typed(document, f"{profile.source} (with overrides)", base_dir)


def _is_single(inputs: Input | Sequence[Input]) -> bool:
    return isinstance(inputs, (str, os.PathLike, bytes, bytearray, memoryview)) or hasattr(inputs, "read")


class _Spool:
    """Bytes and file objects become files in a private folder, removed when the call ends."""

    def __init__(self, stack: ExitStack) -> None:
        self.stack = stack
        self.folder: Path | None = None
        self.names: dict[str, str] = {}  # spooled path -> what the caller would call it

    def path_of(self, index: int, value: Input) -> Path:
        if isinstance(value, (str, os.PathLike)):
            return Path(value)
        if isinstance(value, (bytes, bytearray, memoryview)):
            data, shown = bytes(value), f"<input {index}: {len(value)} bytes>"
            name = f"input{index}"
        elif hasattr(value, "read"):
            data = value.read()
            if not isinstance(data, bytes):
                raise UsageError(f"input {index}: a file object must be opened in binary mode")
            given = Path(str(getattr(value, "name", "") or f"input{index}")).name
            shown, name = given, given
        else:
            raise UsageError(f"input {index}: {type(value).__name__} is not a path, bytes or a binary file object")
        if self.folder is None:
            self.folder = Path(self.stack.enter_context(tempfile.TemporaryDirectory(prefix="img2dcm-api-")))
        path = self.folder / str(index) / name
        path.parent.mkdir()
        path.write_bytes(data)
        self.names[str(path)] = shown
        return path

    def rename(self, exc: Img2DcmError) -> Img2DcmError:
        """The error with spooled paths replaced by the caller's names."""
        for path, shown in self.names.items():
            exc.message = exc.message.replace(path, shown)
            if exc.path == path:
                exc.path = shown
        exc.args = (exc.line(),)
        return exc


@contextmanager
def _inputs(inputs: Input | Sequence[Input]) -> Iterator[tuple[list[Path], _Spool]]:
    with ExitStack() as stack:
        spool = _Spool(stack)
        values: list[Input] = [inputs] if _is_single(inputs) else list(inputs)  # type: ignore[list-item,arg-type]
        if not values:
            raise UsageError("no input given")
        try:
            yield [spool.path_of(index, value) for index, value in enumerate(values)], spool
        except Img2DcmError as exc:
            raise spool.rename(exc) from None


def _tasks(profile: Profile, paths: list[Path], combine: bool, output: Path | None) -> list[ItemTask]:
    """Identities and manifest rows as a batch (or a single object) would get them."""
    from img2dcm.batch.runner import row_failure
    from img2dcm.run import digest_or_empty, single_identity

    manifest = None
    if profile.batch.manifest is not None:
        from img2dcm.batch.manifest import load_manifest

        manifest = load_manifest(profile.batch.manifest)
    items = [InputItem(p.absolute(), p.absolute().parent) for p in paths]
    groups = [tuple(items)] if combine else [(item,) for item in items]
    grouper = None if combine else Grouper(profile, base_dataset(profile))
    tasks = []
    for group in groups:
        row = manifest.row_for(group[0].path) if manifest is not None else None
        candidate = Candidate(inputs=group, sha256=tuple(digest_or_empty(i.path) for i in group), row=row)
        failure = row_failure(manifest, candidate, profile.batch.requires_row)
        if failure:
            raise ConversionError(failure)
        identity = (single_identity(profile, candidate) if grouper is None
                    else grouper.assign(candidate) if profile.uid_mode == "deterministic" or len(groups) > 1
                    else None)
        tasks.append(ItemTask(candidate=candidate, identity=identity, output=output))
    return tasks


def convert(profile: ProfileSource, inputs: Input | Sequence[Input], output: str | os.PathLike[str] | None = None,
            *, combine: bool = False, keys: Mapping[str, Any] | None = None, jobs: int = 1,
            resume: bool = False, run_log: str | os.PathLike[str] | None = None, **overrides: Any
            ) -> list[Dataset] | list[Path]:
    """Convert ``inputs`` with ``profile``.

    - ``output=None``: return one ``pydicom.Dataset`` per input (or one for all with
      ``combine=True``), pixel data complete, nothing written.
    - ``output`` a folder (existing, or ending in ``/``): a batch, one file per input, as
      ``img2dcm apply``; returns the written paths, or raises :class:`BatchError` (with
      ``written``) after converting the rest when some inputs failed.
    - ``output`` a file: one object from all inputs; returns ``[path]``.

    ``keys`` are added after the profile's keys; other keyword arguments override profile
    fields by path (``uids__mode="random"``, or ``**{"output.sop_class": "vl-photographic"}``).
    """
    from img2dcm.run import is_folder_output

    profile = _with_overrides(profile, keys, overrides)
    with _inputs(inputs) as (paths, _):
        if output is None:
            return _in_memory(profile, paths, combine)
        if is_folder_output(str(output)):
            return _batch(profile, paths, Path(output), jobs, resume, run_log)
        return _single_file(profile, paths, Path(output))


def plan(profile: ProfileSource, inputs: Input | Sequence[Input], output: str | os.PathLike[str] | None = None,
         *, combine: bool = False, keys: Mapping[str, Any] | None = None, **overrides: Any) -> list[dict[str, Any]]:
    """The dry-run report of each object as data (what ``apply --dry-run --format json`` prints); nothing written."""
    from img2dcm.report import report_data
    from img2dcm.run import is_folder_output

    profile = _with_overrides(profile, keys, overrides)
    folder = output is not None and is_folder_output(str(output))
    with _inputs(inputs) as (paths, _):
        fixed = None if output is None or folder else Path(output)
        out_dir = Path(output).absolute() if folder and output is not None else None
        settings = RunSettings(profile=profile, out_dir=out_dir, dry_run=True,
                               now=datetime.now().astimezone())
        reports = []
        for task in _tasks(profile, paths, combine or fixed is not None, fixed):
            built = build_item(task, settings)
            reports.append(report_data(replace(built.plan, output=built.target), built.ctx))
        return reports


def _in_memory(profile: Profile, paths: list[Path], combine: bool) -> list[Dataset]:
    from img2dcm.write import complete_in_memory

    settings = RunSettings(profile=profile, out_dir=None, now=datetime.now().astimezone())
    datasets = []
    for task in _tasks(profile, paths, combine, None):
        built = build_item(task, settings)
        datasets.append(complete_in_memory(built.dataset, built.images, built.ctx.transfer_syntax))
    return datasets


def _single_file(profile: Profile, paths: list[Path], output: Path) -> list[Path]:
    from img2dcm.write import write_object

    [task] = _tasks(profile, paths, True, output)
    built = build_item(task, RunSettings(profile=profile, out_dir=None, now=datetime.now().astimezone()))
    write_object(built.dataset, built.images, built.ctx.transfer_syntax, output, profile.output)
    return [output]


def _batch(profile: Profile, paths: list[Path], folder: Path, jobs: int, resume: bool,
           run_log: str | os.PathLike[str] | None) -> list[Path]:
    from img2dcm.batch.options import RunOptions
    from img2dcm.batch.progress import ProgressDisplay
    from img2dcm.batch.runner import run_batch

    records: list[ItemRecord] = []
    folder.mkdir(parents=True, exist_ok=True)
    options = RunOptions(jobs=jobs, run_log=Path(run_log) if run_log else None, resume=resume)
    summary = run_batch(profile, paths, folder, options, ProgressDisplay(enabled=False), on_record=records.append)
    written = [Path(r.output) for r in records if r.status == WRITTEN and r.output]
    failures = [r.message for r in records if r.status == FAILED]
    failures += [] if len(failures) == summary.failed else ["(see the run log)"] * (summary.failed - len(failures))
    if failures:
        raise BatchError(failures, written)
    return written
