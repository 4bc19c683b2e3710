"""DCMTK command files: an ``@file`` argument is replaced by the words in that file.

Words are separated by whitespace (newlines included); a double-quoted run keeps
its spaces and loses the quotes. ``@`` words inside a command file are taken
literally (no nesting), as in DCMTK.
"""

from __future__ import annotations

from pathlib import Path

from img2dcm.errors import UsageError


def split_words(text: str, source: str) -> list[str]:
    """Whitespace-separated words; ``"..."`` groups text (quotes removed, may be empty)."""
    words: list[str] = []
    current: list[str] = []
    in_word = in_quotes = False
    for char in text:
        if char == '"':
            in_quotes = not in_quotes
            in_word = True
        elif char.isspace() and not in_quotes:
            if in_word:
                words.append("".join(current))
            current, in_word = [], False
        else:
            current.append(char)
            in_word = True
    if in_quotes:
        raise UsageError(f"command file {source}: missing closing double quote")
    if in_word:
        words.append("".join(current))
    return words


def expand_command_files(argv: list[str]) -> list[str]:
    """Replace each ``@file`` argument (not ``@`` alone) by the file's words."""
    expanded: list[str] = []
    for arg in argv:
        if len(arg) > 1 and arg.startswith("@"):
            path = Path(arg[1:])
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot read command file {path}: {exc.strerror or exc}") from None
            except UnicodeDecodeError:
                raise UsageError(f"command file {path} is not UTF-8 text") from None
            expanded.extend(split_words(text, str(path)))
        else:
            expanded.append(arg)
    return expanded
