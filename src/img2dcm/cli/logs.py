"""Logging for every front door: DCMTK-shaped lines (``E: ...``, ``W: ...``) on stderr."""

from __future__ import annotations

import logging
import sys
import warnings

LETTERS = {logging.DEBUG: "D", logging.INFO: "I", logging.WARNING: "W", logging.ERROR: "E", logging.CRITICAL: "F"}


class LetterFormatter(logging.Formatter):
    """``E: message`` like DCMTK's loggers, so users can keep grepping."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{LETTERS.get(record.levelno, 'I')}: {record.getMessage()}"


def setup_logging(level: int = logging.WARNING) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(LetterFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    warnings.showwarning = show_warning
    logging.getLogger("pydicom").setLevel(logging.ERROR)


def show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 file: object = None, line: str | None = None) -> None:
    """A library warning as one ``W:`` line: its message, never the library's file and source line.

    Warnings about a file we read are caught where it is read and name that file; this is
    the fallback for the rest.
    """
    text = str(message).split(" Please see <")[0].strip()
    logging.getLogger("img2dcm").warning("%s", text)
