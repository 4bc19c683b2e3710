"""The classic DCMTK ``img2dcm`` command line, parsed into the same Profile as YAML.

``img2dcm [options] imgfile-in... dcmfile-out``: options may stand anywhere among
the parameters, ``+``/``-`` prefixes as in DCMTK, the rightmost option of an
exclusive group wins, ``@file`` expands command files. The options build a
profile *mapping* (the shape of ``schemas/profile.schema.json``) that goes
through the same schema check and typing as a YAML profile, then through
:func:`img2dcm.run.convert`. What each option does is data in
:mod:`img2dcm.cli.classic_options`.
"""

from __future__ import annotations

import json
import logging
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from img2dcm.cli.classic_options import ACTION, BY_FORM, INPUT_FORMATS, LOG_LEVELS, OPTIONS, Option
from img2dcm.cli.cmdfile import expand_command_files
from img2dcm.cli.edge import guarded
from img2dcm.cli.logs import LetterFormatter, setup_logging
from img2dcm.errors import EXIT_OK, EXIT_USAGE, Img2DcmError, UsageError

if TYPE_CHECKING:
    from img2dcm.profile.model import Profile

log = logging.getLogger("img2dcm")

PROG = "img2dcm"
USAGE = f"usage: {PROG} [options] imgfile-in... dcmfile-out"
TRACE = 5  # DCMTK's trace level, below DEBUG

#: -ll names → Python logging levels; -q is DCMTK's "fatal only".
LEVELS = {"fatal": logging.CRITICAL, "error": logging.ERROR, "warn": logging.WARNING,
          "info": logging.INFO, "debug": logging.DEBUG, "trace": TRACE}
FLAG_LEVELS = {"--quiet": logging.CRITICAL, "--verbose": logging.INFO, "--debug": logging.DEBUG}

#: Groups whose members may not be combined at all (DCMTK reports a conflict instead of
#: letting the rightmost win): the three template kinds.
CONFLICT_GROUPS = frozenset({"template"})

#: Options that only make sense with another: (option, required, message).
_TEMPLATES = ("--dataset-from", "--dataset-from-xml", "--dataset-from-dump")
_SOURCES = ("--study-from", "--series-from")
REQUIRES = (("--validate-document", ("--dataset-from-xml",), "--validate-document only allowed with --dataset-from-xml"),
            ("--check-namespace", ("--dataset-from-xml",), "--check-namespace only allowed with --dataset-from-xml"),
            ("--template-keep-all", _TEMPLATES, "--template-keep-all only allowed with a template (-df, -dx, -dd)"),
            ("--template-keep-private", _TEMPLATES,
             "--template-keep-private only allowed with a template (-df, -dx, -dd)"),
            ("--template-invalid-values", _TEMPLATES,
             "--template-invalid-values only allowed with a template (-df, -dx, -dd)"),
            ("--source-invalid-values", _SOURCES, "--source-invalid-values only allowed with -stf or -sef"))


@dataclass
class Occurrence:
    """One option as written: where, which row, its values, the form typed."""

    position: int
    option: Option
    values: tuple[str, ...]
    typed: str


@dataclass
class Classic:
    """The parsed command line: a profile mapping plus what to do with it."""

    argv: list[str]
    mapping: dict[str, Any]
    inputs: list[str]
    output: str | None
    actions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # long form → values
    origins: dict[str, str] = field(default_factory=dict)  # dotted field → option as typed
    key_numbers: dict[str, int] = field(default_factory=dict)  # key path → n of "-k #n"

    def has(self, long: str) -> bool:
        return long in self.actions


def is_option(arg: str) -> bool:
    """DCMTK's rule: ``-x``/``+x`` are options; ``-`` alone and ``-5`` are parameters."""
    return len(arg) > 1 and arg[0] in "+-" and not arg[1].isdigit() and arg[1] != "."


def scan(argv: list[str]) -> tuple[list[Occurrence], list[str]]:
    """Split into option occurrences (with their values) and parameters, in order."""
    occurrences: list[Occurrence] = []
    parameters: list[str] = []
    index = 0
    while index < len(argv):
        arg = argv[index]
        if not is_option(arg):
            parameters.append(arg)
            index += 1
            continue
        option = BY_FORM.get(arg)
        if option is None:
            raise UsageError(f"Unknown option {arg}")
        values = tuple(argv[index + 1:index + 1 + option.nargs])
        if len(values) < option.nargs:
            raise UsageError(f"Missing value for option {arg}")
        occurrences.append(Occurrence(len(occurrences), option, values, arg))
        index += 1 + option.nargs
    return occurrences, parameters


def effective(occurrences: list[Occurrence]) -> list[Occurrence]:
    """Drop occurrences overridden by a later one of the same option or exclusive group."""
    last: dict[str, int] = {}
    for occ in occurrences:
        if occ.option.field == "keys":
            continue
        slot = occ.option.group or occ.option.long
        if slot in CONFLICT_GROUPS:
            earlier = [o for o in occurrences[:occ.position] if o.option.group == slot
                       and o.option is not occ.option]
            if earlier:
                raise UsageError(f"{occ.option.long} not allowed with {earlier[-1].option.long}")
        last[slot] = occ.position
    return [occ for occ in occurrences
            if occ.option.field == "keys" or last[occ.option.group or occ.option.long] == occ.position]


def _set(mapping: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, name = dotted.split(".")
    node = mapping
    for step in parents:
        node = node.setdefault(step, {})
    node[name] = value


def option_value(occ: Occurrence) -> Any:
    """The profile value an occurrence stands for (constants, or its converted argument)."""
    option = occ.option
    if option.nargs == 0:
        return option.value
    if option.field == "input.format":
        name = occ.values[0]
        if name not in INPUT_FORMATS:
            raise UsageError(f"No plugin for selected input format available: {name} "
                             f"(one of {', '.join(INPUT_FORMATS)}; case-sensitive)")
        return INPUT_FORMATS[name]
    if option.field == "input.background":
        try:
            return [int(v) for v in occ.values]
        except ValueError:
            raise UsageError(f"Invalid value for option {option.long} ({' '.join(occ.values)})") from None
    if option.field == "output.padding":
        try:
            file_pad, item_pad = (int(v) for v in occ.values)
        except ValueError:
            raise UsageError(f"Invalid value for option {option.long} ({' '.join(occ.values)})") from None
        return {"file": file_pad, "item": item_pad}
    return occ.values[0]


def parse(argv: list[str]) -> Classic:
    """Parse argv (after ``@file`` expansion) into a profile mapping and actions."""
    argv = expand_command_files(argv)
    occurrences, parameters = scan(argv)
    # DCMTK makes new UIDs on every run; an emitted profile says so explicitly.
    mapping: dict[str, Any] = {"version": 1, "uids": {"mode": "random"}}
    result = Classic(argv=argv, mapping=mapping, inputs=[], output=None)
    key_count = 0
    for occ in effective(occurrences):
        option = occ.option
        if option.field == ACTION:
            result.actions[option.long] = occ.values
        elif option.field == "keys":
            from img2dcm.keys import split_key  # pydicom: only when a key is given (not for -h, --version)

            key_count += 1
            path, value = split_key(occ.values[0])
            keys = mapping.setdefault("keys", {})
            keys.pop(path, None)  # a repeated path: later wins and takes the later position
            keys[path] = value
            result.key_numbers[path] = key_count
        else:
            _set(mapping, option.field, option_value(occ))
            result.origins[option.field] = occ.typed
            result.actions[option.long] = occ.values
    for needing, required, message in REQUIRES:
        if needing in result.actions and not any(r in result.actions for r in required):
            raise UsageError(message)
    if result.has("--help") or result.has("--version"):
        return result
    emitting = result.has("--emit-profile")
    if not parameters and not emitting:
        raise UsageError("Missing parameter imgfile-in")
    if len(parameters) == 1:
        raise UsageError("Missing parameter dcmfile-out")
    if parameters:
        result.inputs, result.output = parameters[:-1], parameters[-1]
        run: dict[str, Any] = {"inputs": list(result.inputs)}
        if result.output != "-":
            run["output"] = result.output
        mapping["run"] = run
    fmt = result.actions.get("--format", ("text",))[0]
    if fmt not in ("text", "json"):
        raise UsageError(f"Invalid value for option --format ({fmt}): text or json")
    return result


def to_profile(parsed: Classic, base_dir: Path) -> Profile:
    """Schema-check the mapping exactly like a YAML profile and type it."""

    def locate(where: list[str | int], on_key: bool = False) -> str:
        if where[:1] == ["keys"] and len(where) > 1:
            return f"command line -k #{parsed.key_numbers.get(str(where[1]), '?')}"
        for size in range(len(where), 0, -1):
            dotted = ".".join(str(part) for part in where[:size])
            if dotted in parsed.origins:
                return f"command line {parsed.origins[dotted]}"
        return "command line"

    from img2dcm.profile.load import profile_from_mapping, schema_problems

    # Without options the mapping is the fixed default plus the parameters (strings): valid by
    # construction (tests/cli/test_cold_start.py), so a plain `img2dcm IMG OUT` does not import
    # jsonschema (a tenth of a second of start-up) to check it.
    problems = schema_problems(parsed.mapping, locate) if parsed.origins or parsed.key_numbers else []
    if problems:
        raise UsageError("; ".join(problems))
    return profile_from_mapping(parsed.mapping, source="command line", base_dir=base_dir, locate=locate)


# ---------------------------------------------------------------------------- output of the CLI itself


def help_text() -> str:
    """DCMTK-shaped help, generated from the option table."""
    lines = [f"{PROG}: Convert standard image formats into DICOM format", USAGE, "",
             "parameters:", "  imgfile-in                     image input filename (several: one multi-frame object)",
             "  dcmfile-out                    DICOM output filename ('-' = stdout)"]
    for option in OPTIONS:
        if option.section:
            lines += ["", f"{option.section}:"]
        short = next((f for f in option.forms if not f.startswith("--")), "")
        longs = " ".join(f for f in option.forms if f.startswith("--"))
        head = f"  {short:<6}{longs}"
        if option.metavar:
            head += f" {option.metavar}"
        lines.append(head)
        where = f"  [profile: {option.field}]" if option.field != ACTION else ""
        lines.append(f"          {option.help}{' (ours)' if option.ours else ''}{where}")
    from img2dcm.cli.app import USAGE as PROFILE_USAGE

    lines += ["", "Exit status: 0 success, 1 conversion error, 2 usage error. See docs/cli.md.",
              "", "Conversion profiles (docs/profiles.md):", *PROFILE_USAGE.rstrip().splitlines()[:4]]
    return "\n".join(lines) + "\n"


def print_arguments(argv: list[str]) -> None:
    """``--arguments``: the command line after ``@file`` expansion, long forms spelled out."""
    spelled = [BY_FORM[a].long if is_option(a) and a in BY_FORM else a for a in argv]
    quoted = " ".join(f"'{a}'" for a in spelled)
    sys.stderr.write(f"I: calling '{PROG}' with {len(argv)} arguments: {quoted}\n")


class LevelLetterFormatter(LetterFormatter):
    """LetterFormatter that also names DCMTK's trace level ``T``."""

    def format(self, record: logging.LogRecord) -> str:
        if record.levelno < logging.DEBUG:
            return f"T: {record.getMessage()}"
        return super().format(record)


def log_level(parsed: Classic) -> int:
    """The level from -q/-v/-d/-ll (one group: the rightmost wins)."""
    for long, level in FLAG_LEVELS.items():
        if parsed.has(long):
            return level
    if parsed.has("--log-level"):
        name = parsed.actions["--log-level"][0]
        if name not in LEVELS:
            raise UsageError(f"Invalid value for option --log-level ({name}): one of {', '.join(LOG_LEVELS)}")
        return LEVELS[name]
    return logging.WARNING


def configure_logging(parsed: Classic) -> None:
    """Our letter-prefixed stderr logging, then a ``-lc`` Python logging config if given."""
    logging.addLevelName(TRACE, "TRACE")
    level = log_level(parsed)
    setup_logging(level)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(LevelLetterFormatter())
    if parsed.has("--log-config"):
        load_log_config(Path(parsed.actions["--log-config"][0]))


def load_log_config(path: Path) -> None:
    """Python logging config: ``.json``/``.yaml``/``.yml`` dictConfig, otherwise fileConfig INI."""
    import logging.config

    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read log config {path}: {exc.strerror or exc}") from None
    if any(line.strip().startswith("log4cplus.") for line in text.splitlines()):
        raise UsageError(f"{path}: log4cplus configuration files are not supported; give a Python "
                         "logging config (INI for logging.config.fileConfig, or JSON/YAML dictConfig)")
    try:
        if path.suffix.lower() in (".json", ".yaml", ".yml"):
            config = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
            if not isinstance(config, dict):
                raise ValueError("expected a mapping (logging.config.dictConfig schema)")
            config.setdefault("version", 1)
            config.setdefault("disable_existing_loggers", False)
            logging.config.dictConfig(config)
        else:
            logging.config.fileConfig(path, disable_existing_loggers=False)
    except (ValueError, TypeError, KeyError, AttributeError, ImportError, yaml.YAMLError) as exc:
        raise UsageError(f"{path}: invalid logging config: {exc}") from None
    except Exception as exc:  # configparser errors and the like  # noqa: BLE001
        raise UsageError(f"{path}: invalid logging config: {exc}") from None


def usage_error(message: str) -> int:
    """Usage line, one ``E:`` line, exit code 2."""
    sys.stderr.write(f"{USAGE}\nE: {message}\n")
    return EXIT_USAGE


def main(argv: list[str]) -> int:
    """Run the classic command line; never raises, returns the exit code."""
    try:
        parsed = parse(argv)
    except UsageError as exc:
        return usage_error(exc.message)
    if parsed.has("--help"):
        sys.stdout.write(help_text())
        return EXIT_OK
    if parsed.has("--version"):
        from img2dcm.cli.versions import version_lines

        sys.stdout.write("\n".join(version_lines()) + "\n")
        return EXIT_OK

    def body() -> int:
        configure_logging(parsed)
        if parsed.has("--arguments"):
            print_arguments(parsed.argv)
        return execute(parsed)

    return guarded(body, on_usage=usage_error)


def execute(parsed: Classic) -> int:
    """Emit the profile, or convert (or dry-run) through the shared pipeline."""
    cwd = Path.cwd()
    profile = to_profile(parsed, cwd)
    if parsed.has("--emit-profile"):
        from img2dcm.cli.emit import profile_yaml

        target = parsed.actions["--emit-profile"][0]
        text = profile_yaml(parsed.mapping, cwd, target, shlex.join([PROG, *parsed.argv]))
        if target == "-":
            sys.stdout.write(text)
        else:
            try:
                Path(target).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise Img2DcmError(f"cannot write profile: {exc.strerror or exc}", target) from None
            log.info("%s: profile written", target)
        return EXIT_OK
    from img2dcm.run import convert

    inputs = [Path(p) for p in parsed.inputs]
    fmt = parsed.actions.get("--format", ("text",))[0]
    return convert(profile, inputs, parsed.output or "-", dry_run=parsed.has("--dry-run"), fmt=fmt)
