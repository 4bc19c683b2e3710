"""Turn the command line's files, folders and globs into an ordered list of inputs.

Each input remembers its *input root* (the folder named on the command line, the
fixed part of a glob, or a file's own folder): the path relative to it is what
names the output (``{relpath}``), groups series (``folder``) and derives UIDs, so
the same tree converted from another place gives the same result.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

GLOB_CHARACTERS = frozenset("*?[")


@dataclass(frozen=True)
class InputItem:
    """One input file; ``found`` is true when a folder walk or a glob found it."""

    path: Path  # absolute
    root: Path  # absolute input root
    found: bool = False

    @property
    def relative(self) -> str:
        """Path relative to the input root, with '/' separators."""
        return PurePosixPath(*self.path.relative_to(self.root).parts).as_posix()

    @property
    def relpath(self) -> str:
        """The input's folder relative to the input root ('' at the root)."""
        parent = PurePosixPath(self.relative).parent.as_posix()
        return "" if parent == "." else parent


def is_glob(text: str) -> bool:
    return any(ch in GLOB_CHARACTERS for ch in text) and not Path(text).exists()


def glob_root(pattern: str) -> Path:
    """The folder before the first part of ``pattern`` that holds a wildcard."""
    fixed: list[str] = []
    for part in Path(pattern).parts:
        if any(ch in GLOB_CHARACTERS for ch in part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def walk(folder: Path) -> list[Path]:
    """Every file under ``folder``, sorted by name at each level (folders after files)."""
    found: list[Path] = []
    for current, folders, files in os.walk(folder):
        folders.sort()
        found.extend(Path(current, name) for name in sorted(files))
    return found


def expand_inputs(arguments: list[Path], exclude: frozenset[Path] = frozenset()) -> list[InputItem]:
    """Files as given, folders recursively in sorted order, globs sorted; ``exclude`` and repeats left out.

    A path that does not exist is kept: converting it fails with "file not found",
    which is what the user must hear.
    """
    items: list[InputItem] = []
    for argument in arguments:
        text = str(argument)
        if is_glob(text):
            root = glob_root(text).absolute()
            matches = sorted(Path(p).absolute() for p in glob.glob(text, recursive=True))
            items.extend(InputItem(p, root, found=True) for p in matches if p.is_file())
        elif argument.is_dir():
            root = argument.absolute()
            items.extend(InputItem(p, root, found=True) for p in walk(root))
        else:
            path = argument.absolute()
            items.append(InputItem(path, path.parent))
    seen = set(exclude)  # a file named twice (a folder and the file in it) is converted once
    unique = []
    for item in items:
        if item.path not in seen:
            seen.add(item.path)
            unique.append(item)
    return unique
