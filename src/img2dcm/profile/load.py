"""Load a profile: YAML safe-load, schema validation, typed Profile with resolved paths.

Every problem becomes one line ``FILE:LINE: field.path: message`` so it can be
fixed in one read, in an editor or in CI logs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from img2dcm.errors import ProfileError
from img2dcm.profile.bounds import document_size_problem, expansion_problem
from img2dcm.profile.lines import LineMap, format_path
from img2dcm.profile.model import (
    BatchOptions,
    Checks,
    InputOptions,
    JpegOptions,
    KeySpec,
    Limits,
    MultiFrameOptions,
    OutputOptions,
    Padding,
    Profile,
    RunDefaults,
    Sources,
    TemplateOptions,
)
from img2dcm.profile.net import destination_problems, send_options, worklist_source
from img2dcm.profile.schema import schema

if TYPE_CHECKING:
    import yaml
    from jsonschema.exceptions import ValidationError

#: A source of "where was this written" for messages: (path, key?) -> "FILE:LINE".
Locator = Callable[[list[str | int], bool], str]


#: Longest message text per problem, and most problems listed: a value of half a megabyte
#: must not come back whole in an error (jsonschema quotes the instance).
MAX_MESSAGE = 200
MAX_PROBLEMS = 20

#: Byte order marks of encodings PyYAML would need to be told about, and what to do.
BOMS: dict[bytes, str] = {
    b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16",
}

#: PyYAML problems that valid-looking YAML often hits, and what to change.
YAML_HINTS: dict[str, str] = {
    "'\\t'": "a tab: YAML separates and indents with spaces only; replace the tab with spaces",
}


def bounded(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text) - limit} more characters)"


def _yaml_problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    hint = next((h for token, h in YAML_HINTS.items() if token in problem), None)
    return f"{problem} ({hint})" if hint else problem


def read_profile_document(path: Path) -> tuple[Any, LineMap]:
    """Parse YAML (safe) and keep the node tree for line numbers."""
    import yaml

    if path.is_dir():
        raise ProfileError([f"{path}: is a folder, not a profile file"], path)
    try:
        too_big = document_size_problem(path.stat().st_size, path)
        if too_big:
            raise ProfileError([too_big], path)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ProfileError([f"{path}: profile file not found"], path) from None
    except OSError as exc:
        raise ProfileError([f"{path}: cannot read profile: {exc.strerror or exc}"], path) from None
    encoding = next((name for bom, name in BOMS.items() if raw.startswith(bom)), None)
    if encoding is not None:
        raise ProfileError([f"{path}: the profile is {encoding} encoded; save it as UTF-8"], path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProfileError([f"{path}: byte {exc.start} is not UTF-8 (0x{raw[exc.start]:02x}); "
                            "save the profile as UTF-8"], path) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        bomb = expansion_problem(root, path)
        if bomb:
            raise ProfileError([bomb], path)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ProfileError([f"{path}:{line}: (yaml): {bounded(_yaml_problem(exc))}"], path) from None
    return data, LineMap(root)


def schema_problems(data: Any, locate: Locator) -> list[str]:
    """Every schema violation as ``LOCATION: field.path: message``, in document order."""
    import jsonschema  # here: a classic command line without options never needs it

    validator = jsonschema.Draft202012Validator(schema())
    problems: list[tuple[str, str]] = []
    for error in validator.iter_errors(data):
        for path, message, on_key in _explain(error):
            problems.append((locate(path, on_key), f"{format_path(path)}: {message}"))
    problems.sort(key=lambda item: _line_of(item[0]))
    lines = [f"{where}: {bounded(what)}" for where, what in problems]
    if len(lines) > MAX_PROBLEMS:
        lines = lines[:MAX_PROBLEMS] + [f"... and {len(lines) - MAX_PROBLEMS} more problems"]
    return lines


def _line_of(location: str) -> int:
    try:
        return int(location.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return 0


def _explain(error: ValidationError) -> list[tuple[list[str | int], str, bool]]:
    """Turn one jsonschema error into precise (path, message, points-at-key) triples."""
    path = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        unknown = [name for name in error.instance if name not in allowed]
        hint = f" (allowed: {', '.join(sorted(allowed))})" if allowed else ""
        return [(path + [name], f"unknown field{hint}", True) for name in unknown]
    if error.validator == "oneOf" and error.context:
        if isinstance(error.instance, dict) and path[-1:] == ["template"]:
            kinds = ["dicom", "xml", "dump"]
            given = [k for k in kinds if k in error.instance]
            if len(given) != 1:
                return [(path, f"give exactly one of {', '.join(kinds)}", False)]
        from jsonschema.exceptions import best_match

        best = best_match(error.context)
        return [(path + list(best.relative_path), best.message, False)]
    if error.validator == "not" and path[-1:] == ["sources"]:
        return [(path, "study_from and series_from exclude each other; give one", False)]
    return [(path, error.message, False)]


def load_profile(path: str | Path, overrides: list[str] | None = None) -> Profile:
    """Read, validate and type a profile file; raise ProfileError listing every problem."""
    return load_profile_located(path, overrides)[0]


def load_profile_located(path: str | Path, overrides: list[str] | None = None) -> tuple[Profile, Locator]:
    """Like :func:`load_profile`, plus the locator that maps fields to ``FILE:LINE``."""
    path = Path(path)
    try:
        return _load_profile_located(path, overrides)
    except RecursionError:
        raise ProfileError([f"{path}:1: (yaml): nested too deeply to be a profile (a profile is a few "
                            "levels deep)"], path) from None


def _load_profile_located(path: Path, overrides: list[str] | None) -> tuple[Profile, Locator]:
    data, lines = read_profile_document(path)
    for override in overrides or []:
        data = apply_override(data, override)

    def locate(where: list[str | int], on_key: bool = False) -> str:
        return f"{path}:{lines.line(where, key=on_key)}"

    problems = [f"{path}:{line}: {format_path(p)}: key written twice (the last one would win silently)"
                for p, line in lines.duplicate_keys()]
    if not isinstance(data, dict):
        problems.append(f"{path}:1: (top level): a profile is a mapping of fields")
        raise ProfileError(problems, path)
    problems += schema_problems(data, locate)
    problems += destination_problems(data, locate) if not problems else []
    if problems:
        raise ProfileError(problems, path)
    return profile_from_mapping(data, source=str(path), base_dir=path.parent, locate=locate), locate


def apply_override(data: Any, override: str) -> Any:
    """``--set output.sop_class=vl-photographic``: set one field (value parsed as YAML)."""
    if "=" not in override:
        raise ProfileError([f"--set {override}: expected PATH=VALUE"])
    dotted, _, text = override.partition("=")
    import yaml

    try:
        value = yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        value = text  # not YAML (e.g. "{stem}.jpg"): the text itself, as a shell user means it
    data = dict(data) if isinstance(data, dict) else {}
    node = data
    steps = dotted.split(".")
    if steps[0] == "keys":  # key paths contain dots themselves
        steps = ["keys", dotted[len("keys."):]]
    for step in steps[:-1]:
        child = node.get(step)
        node[step] = dict(child) if isinstance(child, dict) else {}
        node = node[step]
    node[steps[-1]] = value
    return data


def profile_from_mapping(data: dict[str, Any], source: str, base_dir: Path, locate: Locator) -> Profile:
    """Typed Profile from schema-valid data (defaults filled, paths resolved)."""

    def resolve(text: str | None) -> Path | None:
        if text is None:
            return None
        candidate = Path(text).expanduser()
        return Path(os.path.normpath(candidate if candidate.is_absolute() else base_dir / candidate))

    inp = data.get("input", {})
    out = data.get("output", {})
    tpl = data.get("template")
    src = data.get("sources", {})
    run = data.get("run", {})
    batch = data.get("batch", {})
    template = None
    if tpl:
        kind = next(k for k in ("dicom", "xml", "dump") if k in tpl)
        template = TemplateOptions(kind=kind, path=resolve(tpl[kind]),  # type: ignore[arg-type]
                                   validate=tpl.get("validate", False),
                                   check_namespace=tpl.get("check_namespace", False),
                                   keep=tpl.get("keep", "iod"), keep_private=tpl.get("keep_private", False),
                                   invalid_values=tpl.get("invalid_values", "fail"))
    keys = tuple(
        KeySpec(path=name, value=key_value_text(value), origin=locate(["keys", name], True))
        for name, value in (data.get("keys") or {}).items()
    )
    return Profile(
        version=data["version"],
        name=data.get("name", ""),
        description=data.get("description", ""),
        source=source,
        input=InputOptions(format=inp.get("format", "auto"), jpeg=JpegOptions(**inp.get("jpeg", {})),
                           exif=inp.get("exif", True), alpha=inp.get("alpha", "reject"),
                           background=tuple(inp.get("background", (255, 255, 255))),
                           orientation=inp.get("orientation", "apply"), limits=Limits(**inp.get("limits", {}))),
        output=OutputOptions(
            sop_class=out.get("sop_class", "secondary-capture"),
            multiframe=MultiFrameOptions(**out.get("multiframe", {})),
            file_format=out.get("file_format", "file"),
            group_length=out.get("group_length", "recalc"),
            sequence_length=out.get("sequence_length", "explicit"),
            padding=Padding(**out.get("padding", {})),
            compression=out.get("compression", "none"),
            verify=out.get("verify", True),
        ),
        template=template,
        sources=Sources(study_from=resolve(src.get("study_from")), series_from=resolve(src.get("series_from")),
                        increment_instance=src.get("increment_instance", False),
                        worklist=worklist_source(src.get("worklist")),
                        invalid_values=src.get("invalid_values", "fail")),
        uid_root=data.get("uids", {}).get("root"),
        uid_mode=data.get("uids", {}).get("mode", "deterministic"),
        checks=Checks(**data.get("checks", {})),
        charset_conversion=data.get("charset", {}).get("conversion", "strict"),
        keys=keys,
        batch=BatchOptions(
            manifest=resolve(batch.get("manifest")),
            require_manifest_row=batch.get("require_manifest_row"),
            series_by=tuple(batch.get("series_by", BatchOptions.series_by)),
            study_by=tuple(batch.get("study_by", BatchOptions.study_by)),
            output_path=batch.get("output_path", BatchOptions.output_path),
        ),
        run=RunDefaults(inputs=tuple(resolve(p) for p in run.get("inputs", [])),  # type: ignore[misc]
                        output=resolve_text(run.get("output"), resolve)),
        send=send_options(data.get("send"), resolve),
    )


def resolve_text(text: str | None, resolve: Callable[[str | None], Path | None]) -> str | None:
    """Resolve a path but keep a trailing slash, which marks an output folder."""
    if text is None:
        return None
    resolved = str(resolve(text))
    return resolved + "/" if text.endswith("/") and not resolved.endswith("/") else resolved


def key_value_text(value: Any) -> str | None:
    """Profile key values as dcmodify text: lists joined by backslash, numbers as text."""
    if value is None:
        return None
    if isinstance(value, list):
        return "\\".join(key_value_text(v) or "" for v in value)
    if isinstance(value, bool):
        return "YES" if value else "NO"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
