"""Profile subcommands: apply, validate, schema, check; anything else is the classic CLI."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from img2dcm.cli.edge import guarded
from img2dcm.cli.logs import setup_logging
from img2dcm.errors import EXIT_CONVERSION, EXIT_OK, EXIT_USAGE, ProfileError

SUBCOMMANDS = ("apply", "validate", "schema", "check", "echo", "send")
log = logging.getLogger("img2dcm")


class Parser(argparse.ArgumentParser):
    """argparse that exits with our usage code and a one-line message."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"E: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value}")
    return value


def dask_spec(text: str) -> str:
    """Checked here (a usage error), parsed again by the cluster executor."""
    from img2dcm.batch.cluster import parse_spec
    from img2dcm.errors import UsageError

    try:
        parse_spec(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None
    return text


def apply_parser() -> Parser:
    apply = Parser(prog="img2dcm apply", description="Convert images with a profile.")
    apply.add_argument("profile", type=Path)
    apply.add_argument("paths", nargs="*", help="IMAGE... OUTPUT (output '-' = stdout, a folder = one file per image)")
    apply.add_argument("--dry-run", action="store_true", help="show the plan and every attribute; write nothing")
    apply.add_argument("--format", choices=("text", "json"), default="text", help="dry-run report format")
    apply.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                       help="override a profile field, e.g. --set output.sop_class=vl-photographic")
    apply.add_argument("-v", "--verbose", action="store_true", help="log each written file")
    apply.add_argument("--manifest", type=Path, metavar="FILE",
                       help="per-file metadata (CSV/TSV with a 'file' column); overrides batch.manifest")
    apply.add_argument("--jobs", "-j", type=positive_int, default=None, metavar="N",
                       help="worker processes for a folder output (default: the number of CPUs)")
    apply.add_argument("--run-log", type=Path, metavar="FILE",
                       help="run log for a folder output (default: OUTPUT/img2dcm-run.jsonl)")
    apply.add_argument("--resume", action="store_true",
                       help="skip inputs the run log shows as written, unchanged and still on disk")
    apply.add_argument("--send", action="append", default=[], metavar="DEST",
                       help="send each object right after it is written (docs/network.md); repeatable")
    apply.add_argument("--dask", type=dask_spec, metavar="SCHEDULER|local[:N]",
                       help="convert on a Dask cluster: a scheduler address (tcp://HOST:PORT), a scheduler "
                            "file (*.json) or local[:N] for N local worker processes; needs img2dcm[dask]")
    return apply


def validate_parser() -> Parser:
    validate = Parser(prog="img2dcm validate", description="Check profiles: schema, files, templates, keys.")
    validate.add_argument("profiles", nargs="+", type=Path)
    validate.add_argument("--format", choices=("text", "json", "github"), default="text",
                          help="github: ::error file=F,line=L:: annotations for GitHub Actions")
    return validate


def schema_parser() -> Parser:
    return Parser(prog="img2dcm schema", description="Print the profile JSON Schema.")


def check_parser() -> Parser:
    check = Parser(prog="img2dcm check", description="Check existing DICOM files against our IOD tables.")
    check.add_argument("files", nargs="+")
    check.add_argument("--format", choices=("text", "json"), default="text")
    return check


def echo_parser() -> Parser:
    """``echo`` (docs/network.md)."""
    from img2dcm.cli.netopts import add_network_options

    echo = Parser(prog="img2dcm echo", description="Check a destination: C-ECHO or QIDO-RS.")
    echo.add_argument("destination", help="dicom://AE@HOST:PORT, dicoms://AE@HOST:PORT or http(s)://BASE-URL")
    add_network_options(echo)
    return echo


def send_parser() -> Parser:
    """``send`` (docs/network.md)."""
    from img2dcm.cli.netopts import add_network_options

    send = Parser(prog="img2dcm send", description="Send DICOM files to a destination.")
    send.add_argument("destination", help="dicom://AE@HOST:PORT, dicoms://AE@HOST:PORT or http(s)://BASE-URL")
    send.add_argument("paths", nargs="*", help="DICOM files or folders")
    send.add_argument("--resume", type=Path, metavar="RUNLOG",
                      help="send only what this run log does not record as sent to DEST (records go to it too)")
    send.add_argument("--run-log", type=Path, metavar="FILE", help="append one JSON line per object to FILE")
    send.add_argument("--retries", type=int, metavar="N", help="retries after a failed attempt (default 3)")
    add_network_options(send)
    return send


#: One parser per subcommand (so options may sit anywhere among the paths), built only for the
#: subcommand given: argparse sizes the terminal for every option it adds.
PARSERS = {"apply": apply_parser, "validate": validate_parser, "schema": schema_parser, "check": check_parser,
           "echo": echo_parser, "send": send_parser}


USAGE = """usage: img2dcm apply PROFILE [IMAGE|FOLDER|GLOB... OUTPUT] [--dry-run] [--format text|json] [--set PATH=VALUE]
                     [--manifest FILE] [--jobs N] [--run-log FILE] [--resume] [--send DEST]... [--dask SCHEDULER|local[:N]]
       img2dcm validate PROFILE... [--format text|json|github]
       img2dcm schema
       img2dcm check FILE.dcm... [--format text|json]
       img2dcm echo DEST [--profile PROFILE] [--calling-ae AE] [--timeout S]
       img2dcm send DEST FILE_OR_FOLDER... [--resume RUNLOG] [--run-log FILE] [--profile PROFILE]
       img2dcm [DCMTK img2dcm options] IMAGE... OUTPUT      (the classic command line; img2dcm -h)
"""


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in SUBCOMMANDS:
        from img2dcm.cli import classic

        return classic.main(argv)
    args = PARSERS[argv[0]]().parse_intermixed_args(argv[1:])
    args.command = argv[0]
    setup_logging(logging.INFO if getattr(args, "verbose", False) else logging.WARNING)
    return guarded(lambda: dispatch(args))


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "schema":
        from img2dcm.profile.schema import schema_text

        sys.stdout.write(schema_text())
        return EXIT_OK
    if args.command == "validate":
        from img2dcm.cli.validate import run_validate

        return run_validate(args.profiles, args.format)
    if args.command == "check":
        from img2dcm.cli.check import run_check

        return run_check(args.files, args.format)
    if args.command == "echo":
        from img2dcm.cli.echo import run_echo

        return run_echo(args)
    if args.command == "send":
        from img2dcm.cli.send import run_send

        return run_send(args)
    return run_apply(args)


def run_apply(args: argparse.Namespace) -> int:
    from img2dcm.batch.manifest import ManifestError
    from img2dcm.batch.options import RunOptions
    from img2dcm.profile.load import load_profile
    from img2dcm.run import convert

    try:
        profile = load_profile(args.profile, overrides=args.set)
    except ProfileError as exc:
        for line in exc.problems:
            log.error("%s", line)
        return EXIT_CONVERSION
    paths = list(args.paths)
    if len(paths) == 1:
        from img2dcm.errors import UsageError

        raise UsageError("give IMAGE... OUTPUT: the last path is the output")
    inputs, output = ([Path(p) for p in paths[:-1]], paths[-1]) if paths else ([], None)
    if args.send:
        from img2dcm.net.destination import parse_destination

        for destination in args.send:  # a typo fails before anything is converted
            parse_destination(destination)
    options = RunOptions(jobs=args.jobs or os.cpu_count() or 1, run_log=args.run_log, resume=args.resume,
                         manifest=args.manifest, send=tuple(args.send), dask=args.dask)
    try:
        return convert(profile, inputs, output, dry_run=args.dry_run, fmt=args.format, options=options,
                       summary=True)
    except ManifestError as exc:
        for line in exc.problems:
            log.error("%s", line)
        return EXIT_CONVERSION
