"""Header-only readers parse a read-only memory map of the file: nothing is copied.

One place turns the ways that can fail (missing or unreadable file, a header the
format's parser rejects, a header too short for the struct it should hold) into a
one-line :class:`InputError` naming the file.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from img2dcm.errors import InputError

T = TypeVar("T")


def parse_mapped(path: Path, what: str, minimum: int, parse: Callable[[mmap.mmap, int], T],
                 user_errors: tuple[type[Exception], ...]) -> T:
    """``parse(data, size)`` over the mapped file; ``user_errors`` carry user-facing messages."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size < minimum:
                raise InputError(f"file too short for {what} ({size} bytes)", path)
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return parse(data, size)
    except InputError:
        raise
    except user_errors as exc:
        raise InputError(str(exc), path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path) from None
    except (IndexError, ValueError, OverflowError) as exc:  # struct.error is a ValueError
        raise InputError(f"malformed {what} header data ({exc})", path) from None
