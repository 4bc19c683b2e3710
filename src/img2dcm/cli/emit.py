"""``--emit-profile``: the YAML profile equivalent to a classic command line.

Paths on the command line are relative to where the command ran. A profile's
relative paths resolve against the profile's own folder, so when the profile is
written to a file its paths are rewritten relative to that file's folder (the
profile keeps working wherever it is applied from, and moves with its tree);
when it is written to stdout, where it will be saved is unknown, so paths are
made absolute. The header comment says which was done.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import yaml

#: Dotted fields of the profile mapping that hold one path each.
PATH_FIELDS = ("template.dicom", "template.xml", "template.dump", "sources.study_from",
               "sources.series_from", "run.output")
#: Fields holding a list of paths.
PATH_LIST_FIELDS = ("run.inputs",)

#: Top-level fields in the schema's order, so emitted profiles read the same way every time.
FIELD_ORDER = ("version", "name", "description", "input", "output", "template", "sources", "uids", "checks",
               "charset", "keys", "run")

SCHEMA_COMMENT = "# yaml-language-server: $schema=https://img2dcm.example/schemas/profile.schema.json"


def _rebase(text: str, cwd: Path, profile_dir: Path | None) -> str:
    """A command-line path as the profile must write it."""
    absolute = Path(text).expanduser()
    absolute = absolute if absolute.is_absolute() else cwd / absolute
    if profile_dir is None:
        return str(Path(os.path.normpath(absolute)))
    relative = os.path.relpath(absolute, profile_dir)
    return relative + ("/" if text.endswith("/") and not relative.endswith("/") else "")


def _lookup(mapping: dict[str, Any], dotted: str) -> tuple[dict[str, Any], str] | None:
    node: Any = mapping
    *parents, last = dotted.split(".")
    for step in parents:
        node = node.get(step) if isinstance(node, dict) else None
    if isinstance(node, dict) and last in node:
        return node, last
    return None


def rebase_paths(mapping: dict[str, Any], cwd: Path, profile_dir: Path | None) -> dict[str, Any]:
    """A copy of ``mapping`` with every path rewritten for the profile's location."""
    result = copy.deepcopy(mapping)
    for dotted in PATH_FIELDS:
        found = _lookup(result, dotted)
        if found:
            parent, name = found
            parent[name] = _rebase(parent[name], cwd, profile_dir)
    for dotted in PATH_LIST_FIELDS:
        found = _lookup(result, dotted)
        if found:
            parent, name = found
            parent[name] = [_rebase(p, cwd, profile_dir) for p in parent[name]]
    return result


def profile_yaml(mapping: dict[str, Any], cwd: Path, target: str, command: str) -> str:
    """The YAML text for ``mapping``, written to ``target`` (a file or ``-``)."""
    profile_dir = None if target == "-" else (cwd / Path(target).expanduser()).parent
    rebased = rebase_paths(mapping, cwd, profile_dir)
    data = {name: rebased[name] for name in FIELD_ORDER if name in rebased}
    data.update((name, value) for name, value in rebased.items() if name not in data)
    where = ("paths are absolute" if profile_dir is None
             else "relative paths resolve against this file's folder")
    header = [SCHEMA_COMMENT,
              "# Emitted by img2dcm --emit-profile from the classic command line:",
              f"#   {command}",
              f"# Run it with: img2dcm apply PROFILE [IMAGE... OUTPUT]; {where}."]
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    return "\n".join(header) + "\n" + body
