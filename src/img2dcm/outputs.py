"""Where outputs go, made safe: folders we create, outputs that would replace an input.

Every problem names the path the user gave (never our hidden temporary file), and a
folder we created for a run that wrote nothing is removed again.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from img2dcm.errors import ConversionError, UsageError


def is_an_input(output: Path, inputs: Iterable[Path]) -> bool:
    """True when writing ``output`` would replace one of ``inputs`` (same file, any spelling)."""
    try:
        return output.exists() and any(path.exists() and os.path.samefile(output, path) for path in inputs)
    except OSError:
        return False


def refuse_overwriting_inputs(output: Path, inputs: Iterable[Path], shown: str) -> None:
    if is_an_input(output, inputs):
        raise UsageError(f"{shown}: the output is one of the inputs; refusing to replace the original image")


def create_folder(folder: Path, shown: str) -> list[Path]:
    """Make ``folder`` (and missing parents); return the folders made, outermost first.

    A file in the way, a parent that is a file, or no permission is one line naming ``shown``.
    """
    missing = [p for p in (folder, *folder.parents) if not p.exists()][::-1]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UsageError(f"{shown}: exists and is not a folder (a trailing '/' asks for a folder)") from None
    except NotADirectoryError:
        remove_created(missing)
        raise UsageError(f"{shown}: cannot create the output folder: a part of the path is a file") from None
    except OSError as exc:
        remove_created(missing)
        raise ConversionError(f"cannot create the output folder: {exc.strerror or exc}", shown) from None
    return missing


def remove_created(created: list[Path]) -> None:
    """Remove folders we made, innermost first, as long as they are empty."""
    for path in reversed(created):
        try:
            path.rmdir()
        except OSError:
            return  # not empty (something was written) or already gone
