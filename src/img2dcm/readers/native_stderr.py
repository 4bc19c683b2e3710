"""What C decoders print on the process's stderr, caught and turned into our messages.

libtiff (and libjpeg inside it) report problems by printing ``Module: message`` lines on
file descriptor 2 themselves, bypassing Python: they would reach the user as stray lines
naming no file. Reading a TIFF therefore redirects descriptor 2 to a spool file for the
duration, and the reader decides what the lines mean. The redirect is process-wide:
another thread's stderr output during those milliseconds lands in the spool as well.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def native_stderr() -> Iterator[list[str]]:
    """Collect the non-empty lines C code writes to descriptor 2 inside the block."""
    lines: list[str] = []
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 at all: nothing can leak
        yield lines
        return
    with tempfile.TemporaryFile() as spool:
        os.dup2(spool.fileno(), 2)
        try:
            yield lines
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            spool.seek(0)
            text = spool.read().decode("utf-8", errors="replace")
            lines.extend(line.strip() for line in text.splitlines() if line.strip())
