"""Per-file metadata: a CSV or TSV file with a ``file`` column and one column per attribute.

Columns are written as in ``keys`` (a keyword, a ``(gggg,eeee)`` tag or a key path
such as ``AcquisitionDeviceTypeCodeSequence[0].CodeValue``). Every problem is one
line ``MANIFEST:LINE: column: message``. A broken header makes the whole manifest
unusable; a bad value or a duplicate row fails only the input it names.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from img2dcm.errors import Img2DcmError
from img2dcm.profile.model import KeySpec

FILE_COLUMN = "file"
#: Delimiters by file extension; anything else is sniffed from the header line.
DELIMITERS = {".csv": ",", ".tsv": "\t", ".tab": "\t"}


class ManifestError(Img2DcmError):
    """The manifest as a whole cannot be used; ``problems`` has one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))

    def line(self) -> str:
        return "\n".join(self.problems)


@dataclass(frozen=True)
class ManifestRow:
    """One row: the file it names, its keys (in column order) and its problems."""

    origin: str  # MANIFEST:LINE
    file: Path  # absolute, normalised
    keys: tuple[KeySpec, ...]
    problems: tuple[str, ...] = ()

    def value_of(self, tag: int) -> str | None:
        """The text this row gives a top-level attribute, if it has a column for it."""
        from img2dcm.keys.path import parse_path

        for spec in self.keys:
            path = parse_path(spec.path)
            if len(path.nodes) == 1 and not path.ends_in_item and path.top.tag == tag:
                return spec.value or ""
        return None

    def fingerprint(self) -> str:
        """The row's content, for deriving UIDs: columns and values, not the line number."""
        return "\x1e".join(f"{spec.path}={spec.value}" for spec in self.keys)


@dataclass(frozen=True)
class Manifest:
    path: Path
    columns: tuple[str, ...]
    rows: dict[Path, ManifestRow]  # by the absolute input path
    problems: tuple[str, ...]  # rows naming files that do not exist

    def row_for(self, path: Path) -> ManifestRow | None:
        return self.rows.get(Path(os.path.normpath(path.absolute())))


def read_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and ``(line, cells)`` rows; blank lines skipped, a UTF-8 BOM tolerated."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ManifestError([f"{path}: manifest file not found"]) from None
    except UnicodeDecodeError as exc:
        raise ManifestError([f"{path}: manifest is not UTF-8 text (byte {exc.start})"]) from None
    except OSError as exc:
        raise ManifestError([f"{path}: cannot read manifest: {exc.strerror or exc}"]) from None
    delimiter = DELIMITERS.get(path.suffix.lower())
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = "\t" if "\t" in first else ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise ManifestError([f"{path}:1: (header): the manifest is empty; it needs a '{FILE_COLUMN}' column"])
        rows = [(reader.line_num, cells) for cells in reader if any(cell.strip() for cell in cells)]
    except csv.Error as exc:
        raise ManifestError([f"{path}:{reader.line_num}: (row): {exc}"]) from None
    return [name.strip() for name in header], rows


def check_header(path: Path, header: list[str]) -> list[str]:
    """Problems with the columns: the file column, unknown or repeated attributes."""
    from img2dcm.keys import check_key

    problems = []
    if FILE_COLUMN not in header:
        problems.append(f"{path}:1: (header): no '{FILE_COLUMN}' column naming each input")
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append(f"{path}:1: {column}: column given twice")
        seen.add(column)
        if column == FILE_COLUMN:
            continue
        if not column:
            problems.append(f"{path}:1: (header): a column has no name")
            continue
        try:
            check_key(column, None)
        except Img2DcmError as exc:
            hint = ' (a tag column holds a comma: quote it, "(gggg,eeee)")' if column.startswith("(") else ""
            problems.append(f"{path}:1: {column}: {exc.message}{hint}")
    return problems


def row_problems(path: Path, line: int, header: list[str], cells: list[str]) -> list[str]:
    from img2dcm.keys import check_key

    problems = []
    if len(cells) != len(header):
        problems.append(f"{path}:{line}: (row): {len(cells)} cells, the header has {len(header)} columns")
    for column, cell in zip(header, cells):
        if column == FILE_COLUMN or not cell.strip():
            continue
        try:
            check_key(column, cell.strip())
        except Img2DcmError as exc:
            problems.append(f"{path}:{line}: {column}: {exc.message}")
    return problems


def load_manifest(path: Path) -> Manifest:
    """Read and check a manifest; raise ManifestError when its header makes it unusable."""
    header, table = read_table(path)
    problems = check_header(path, header)
    if problems:
        raise ManifestError(problems)
    folder = path.absolute().parent
    file_index = header.index(FILE_COLUMN)
    rows: dict[Path, ManifestRow] = {}
    missing: list[str] = []
    for line, cells in table:
        origin = f"{path}:{line}"
        name = cells[file_index].strip() if file_index < len(cells) else ""
        if not name:
            missing.append(f"{origin}: {FILE_COLUMN}: empty; every row must name its input")
            continue
        target = Path(os.path.normpath(folder / name))
        found = row_problems(path, line, header, cells)
        keys = tuple(KeySpec(path=column, value=cell.strip(), origin=origin)
                     for column, cell in zip(header, cells) if column != FILE_COLUMN and cell.strip())
        if target in rows:
            first = rows[target]
            duplicate = f"{origin}: {FILE_COLUMN}: {name} has another row at line {first.origin.rsplit(':', 1)[1]}"
            rows[target] = ManifestRow(first.origin, target, first.keys, first.problems + (duplicate,))
            continue
        if not target.is_file():
            missing.append(f"{origin}: {FILE_COLUMN}: no such input file: {name}")
        rows[target] = ManifestRow(origin, target, keys, tuple(found))
    return Manifest(path=path, columns=tuple(header), rows=rows, problems=tuple(missing))


def manifest_problems(path: Path) -> list[str]:
    """Every problem of a manifest, for ``img2dcm validate``."""
    try:
        manifest = load_manifest(path)
    except ManifestError as exc:
        return exc.problems
    problems = list(manifest.problems)
    for row in manifest.rows.values():
        problems.extend(row.problems)
    return sorted(problems, key=lambda text: int(text.split(":")[1]) if text.split(":")[1].isdigit() else 0)
