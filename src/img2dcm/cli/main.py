"""Entry point: dispatch to the profile subcommands or the classic command line."""

from __future__ import annotations

import sys
from typing import NoReturn

from img2dcm.errors import EXIT_CONVERSION

#: Options that answer without converting: they must not pay for pydicom's import.
INFORMATIONAL = frozenset({"-h", "--help", "--version"})
#: Subcommands that never read or write DICOM; the others (apply, check, send) and the classic
#: command line do, unless informational.
SUBCOMMANDS_WITHOUT_DICOM = frozenset({"validate", "schema", "echo"})
#: What every conversion imports (the JPEG reader is the first one sniffing tries).
CONVERSION_MODULES = ("img2dcm.run", "img2dcm.pipeline", "img2dcm.readers.jpeg", "img2dcm.steps.completion",
                      "img2dcm.steps.charset")
#: What ``apply`` imports besides: the profile reader (PyYAML, jsonschema) and the batch runner.
PROFILE_MODULES = ("yaml", "jsonschema", "img2dcm.profile.load", "img2dcm.batch.runner")
#: Value slots (8 bytes each) the import thread's first frame reserves: 1 MiB of frame stack.
ROOMY_STACK_SLOTS = 1 << 17


def main(argv: list[str] | None = None) -> int:
    from img2dcm.cli import app

    args = sys.argv[1:] if argv is None else argv
    if needs_dicom(args):
        try:
            import_dicom_stack(CONVERSION_MODULES + (PROFILE_MODULES if args[0] == "apply" else ()))
        except KeyboardInterrupt:  # Ctrl-C while starting: as cli.edge.guarded words it, no traceback
            sys.stderr.write("E: interrupted\n")
            return EXIT_CONVERSION
    return app.main(args)


def needs_dicom(args: list[str]) -> bool:
    """Whether this command will read or write DICOM (decided from the words alone, cheaply)."""
    if not args or INFORMATIONAL.intersection(args):
        return False
    return args[0] not in SUBCOMMANDS_WITHOUT_DICOM


def import_dicom_stack(modules: tuple[str, ...] = CONVERSION_MODULES) -> None:
    """Import pydicom and our conversion modules on a thread with a roomy frame stack.

    CPython 3.11 keeps Python frames in 16 KiB chunks and unmaps a chunk as soon as the frames on
    it return, so an import that nests calls across a chunk boundary maps and unmaps the same
    16 KiB hundreds of times (pydicom's import: 560 pairs, plus 900 more when it ran deep inside
    our command; about 40 ms of a 290 ms cold start, ``strace -c``). A thread's first chunk is
    sized for its first frame and is never freed: a first frame that reserves 1 MiB of stack
    gives every frame of the import room, wherever the chunk boundaries would have fallen.
    Anything that fails here is imported again where it is used, and reported there.
    """
    import _thread
    from importlib import import_module

    done = _thread.allocate_lock()
    done.acquire()

    def load() -> None:
        try:
            for name in modules:  # pydicom, numpy and Pillow come with the first
                import_module(name)
        except BaseException:  # noqa: BLE001, S110 - imported again, and reported, where used
            pass
        finally:
            done.release()

    try:
        load.__code__ = load.__code__.replace(co_stacksize=ROOMY_STACK_SLOTS)
        _thread.start_new_thread(load, ())
    except (AttributeError, RuntimeError, ValueError):  # another interpreter: import it plainly
        done.release()
        return
    done.acquire()


def run() -> NoReturn:
    """The ``img2dcm`` command: :func:`main`, then leave without tearing the interpreter down."""
    leave(main())


def leave(code: int) -> NoReturn:
    """Flush, run the exit handlers, and end the process without the interpreter's teardown.

    Every output is complete and closed by now; tearing down numpy, pydicom and our tables
    object by object only costs time (about 30 ms of every command). When anything could still
    be running (a thread), or stdout cannot be flushed (a closed pipe is reported the usual way),
    the normal exit path is taken.
    """
    import os
    import threading

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    if threading.active_count() > 1:
        sys.exit(code)
    import atexit

    atexit._run_exitfuncs()  # noqa: SLF001 - what the interpreter would run first on its way out
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)
