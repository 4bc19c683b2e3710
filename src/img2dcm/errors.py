"""Our own small exception hierarchy.

Library code raises these; the CLI catches them once and prints one line. Every
message names the file it is about, so a user can act on it in one read.
"""

from __future__ import annotations

from pathlib import Path

#: Exit codes, documented in docs/cli.md.
EXIT_OK = 0
EXIT_CONVERSION = 1
EXIT_USAGE = 2


class Img2DcmError(Exception):
    """Base of every error we expect and report without a traceback."""

    exit_code = EXIT_CONVERSION

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        super().__init__(self.line())

    def line(self) -> str:
        """The single line shown to the user."""
        return f"{self.path}: {self.message}" if self.path else self.message


class InputError(Img2DcmError):
    """An input image is unreadable, corrupt or unsupported."""


class ProfileError(Img2DcmError):
    """A profile is invalid; ``problems`` holds one ``FILE:LINE: path: message`` each."""

    def __init__(self, problems: list[str], path: str | Path | None = None) -> None:
        self.problems = problems
        super().__init__("; ".join(problems) if problems else "invalid profile", None)
        self.path = str(path) if path is not None else None

    def line(self) -> str:
        return "\n".join(self.problems)


class TemplateError(Img2DcmError):
    """A template (DICOM, XML or dump) cannot be used."""


class KeyPathError(Img2DcmError):
    """A ``--key`` path or value is malformed or does not fit the attribute."""


class CharsetError(Img2DcmError):
    """A value cannot be represented in the target character set."""


class ConversionError(Img2DcmError):
    """The conversion cannot produce a valid object (IOD rules, frame mismatch...)."""


class UsageError(Img2DcmError):
    """The command line itself is wrong."""

    exit_code = EXIT_USAGE


class BatchError(Img2DcmError):
    """Some inputs of a batch failed; the others were written (``written``)."""

    def __init__(self, failures: list[str], written: list[Path]) -> None:
        self.failures = failures
        self.written = written
        more = f" (and {len(failures) - 1} more failed)" if len(failures) > 1 else ""
        super().__init__(f"{failures[0]}{more}" if failures else "batch failed")
