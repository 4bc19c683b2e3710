"""``img2dcm validate``: schema plus semantic checks, one line per problem, for CI."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from img2dcm.errors import EXIT_CONVERSION, EXIT_OK, Img2DcmError, ProfileError
from img2dcm.profile.load import Locator, load_profile_located
from img2dcm.profile.model import Profile


def semantic_problems(profile: Profile, locate: Locator) -> list[str]:
    """Beyond the schema: referenced files exist and parse, key paths and values fit."""
    from img2dcm.keys import check_key
    from img2dcm.steps.imports import ImportStudySeries
    from img2dcm.templates.dicom import load_dicom
    from img2dcm.templates.load import template_for

    problems: list[str] = []

    def missing(field: list[str | int], path: Path | None) -> bool:
        if path is None:
            return False
        try:
            found = path.is_file()
        except (OSError, ValueError) as exc:  # a name too long for the file system, a NUL in it
            problems.append(f"{locate(field, False)}: {'.'.join(map(str, field))}: "
                            f"{getattr(exc, 'strerror', None) or exc}: "
                            f"{str(path)[:200]}")
            return True
        if not found:
            problems.append(f"{locate(field, False)}: {'.'.join(map(str, field))}: file not found: {path}")
            return True
        return False

    if profile.template is not None:
        field: list[str | int] = ["template", profile.template.kind]
        if not missing(field, profile.template.path):
            try:
                template_for(profile.template, profile.output.sop_class)
            except Img2DcmError as exc:
                problems.append(f"{locate(field, False)}: {'.'.join(map(str, field))}: {exc.line()}")
    for name in ("study_from", "series_from"):
        path = getattr(profile.sources, name)
        if not missing(["sources", name], path) and path is not None:
            try:
                ImportStudySeries(profile.sources).valid_values(load_dicom(path))
            except Img2DcmError as exc:
                problems.append(f"{locate(['sources', name], False)}: sources.{name}: {exc.line()}")
    for index, path in enumerate(profile.run.inputs):
        if not path.is_dir():  # a folder of images is an input too
            missing(["run", "inputs", index], path)
    for spec in profile.keys:
        try:
            check_key(spec.path, spec.value)
        except Img2DcmError as exc:
            problems.append(f"{spec.origin}: keys[\"{spec.path}\"]: {exc.message}")
    problems += batch_problems(profile, locate)
    return problems


def batch_problems(profile: Profile, locate: Locator) -> list[str]:
    """The manifest (every row, as ``MANIFEST:LINE: column: message``), grouping names and output naming."""
    from img2dcm.batch.manifest import manifest_problems
    from img2dcm.batch.naming import template_fields
    from img2dcm.keys.path import parse_path

    problems: list[str] = []
    if profile.batch.manifest is not None:
        where = f"{locate(['batch', 'manifest'], False)}: batch.manifest"
        if not profile.batch.manifest.is_file():
            problems.append(f"{where}: file not found: {profile.batch.manifest}")
        else:
            problems += manifest_problems(profile.batch.manifest)
    for field in ("series_by", "study_by"):
        for index, name in enumerate(getattr(profile.batch, field)):
            if name == "folder":
                continue
            try:
                parse_path(name)
            except Img2DcmError as exc:
                problems.append(f"{locate(['batch', field, index], False)}: batch.{field}[{index}]: {exc.message}")
    try:
        template_fields(profile.batch.output_path)
    except Img2DcmError as exc:
        problems.append(f"{locate(['batch', 'output_path'], False)}: batch.output_path: {exc.message}")
    return problems


def validate_one(path: Path) -> list[str]:
    try:
        profile, locate = load_profile_located(path)
    except ProfileError as exc:
        return exc.problems
    return semantic_problems(profile, locate)


#: ``FILE:LINE: message`` as every problem line starts (the line is missing when unknown).
_LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<message>.*)$", re.DOTALL)


def _escape_data(text: str) -> str:
    """GitHub workflow-command escaping of a message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """GitHub workflow-command escaping of a property value (file=...)."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(profile: str, problem: str) -> str:
    """``::error file=F,line=L::message`` so GitHub shows the problem on the profile's line."""
    located = _LOCATED.match(problem)
    if located:
        file, line, message = located["file"], located["line"], located["message"]
        return f"::error file={_escape_property(file)},line={line}::{_escape_data(message)}"
    message = problem.removeprefix(f"{profile}: ")
    return f"::error file={_escape_property(profile)}::{_escape_data(message)}"


def run_validate(paths: list[Path], fmt: str) -> int:
    results = {str(path): validate_one(path) for path in paths}
    if fmt == "github":
        # Workflow commands are read from stdout; valid profiles print nothing.
        for name, problems in results.items():
            for line in problems:
                print(github_annotation(name, line))
    elif fmt == "json":
        print(json.dumps({"valid": not any(results.values()), "profiles": [
            {"profile": name, "valid": not problems, "problems": problems} for name, problems in results.items()]},
            indent=2))
    else:
        for name, problems in results.items():
            for line in problems:
                print(line, file=sys.stderr)
            if not problems:
                print(f"{name}: valid")
    return EXIT_CONVERSION if any(results.values()) else EXIT_OK
