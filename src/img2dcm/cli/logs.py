"""Logging for every front door: DCMTK-shaped lines (``E: ...``, ``W: ...``) on stderr."""

from __future__ import annotations

import logging
import sys
import warnings

LETTERS = {logging.DEBUG: "D", logging.INFO: "I", logging.WARNING: "W", logging.ERROR: "E", logging.CRITICAL: "F"}


class LetterFormatter(logging.Formatter):
    """``E: message`` like DCMTK's loggers, so users can keep grepping."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name == "py.warnings":  # "path:line: UserWarning: text\n  source" -> "text"
            message = (message.splitlines() or [""])[0].split(": ", 2)[-1]
        # One record, one line: decoder and parser messages sometimes carry newlines, and file
        # names or values from hostile files control characters (shown escaped, e.g. \x00).
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in " ".join(message.split()))
        line = f"{LETTERS.get(record.levelno, 'I')}: {text}"
        if record.exc_info and record.levelno <= logging.DEBUG:  # -d shows the details
            line += "\n" + self.formatException(record.exc_info)
        return line


def setup_logging(level: int = logging.WARNING) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(LetterFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    warnings.showwarning = show_warning
    logging.getLogger("pydicom").setLevel(logging.ERROR)
    # Decoder chatter (Pillow logs e.g. "More samples per pixel than can be decoded" as an
    # error naming no file); our readers report the failure themselves, so show it only with -d.
    logging.getLogger("PIL").setLevel(logging.DEBUG if level <= logging.DEBUG else logging.CRITICAL + 1)


def show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 file: object = None, line: str | None = None) -> None:
    """A library warning as one ``W:`` line: its message, never the library's file and source line.

    Warnings about a file we read are caught where it is read and name that file; this is
    the fallback for the rest.
    """
    text = str(message).split(" Please see <")[0].strip()
    logging.getLogger("img2dcm").warning("%s", text)
