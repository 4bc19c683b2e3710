"""``img2dcm check FILE.dcm...``: validate existing files against our IOD tables.

Exit 0 when no file has an error finding (warnings allowed), 1 otherwise;
an unreadable file is one line naming it and counts as an error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from img2dcm.errors import EXIT_CONVERSION, EXIT_OK


def check_file(path: str) -> dict[str, Any]:
    """One file's result: SOP class, findings, or the reason it could not be read."""
    import pydicom
    from pydicom.errors import InvalidDicomError

    from img2dcm.iods.check import check_dataset

    try:
        ds = pydicom.dcmread(path, stop_before_pixels=True)
    except (OSError, InvalidDicomError, ValueError, EOFError) as exc:
        return {"file": path, "readable": False, "error": f"{path}: cannot read DICOM file: {exc}", "findings": []}
    meta = getattr(ds, "file_meta", None)
    syntax = str(meta.get("TransferSyntaxUID", "")) if meta is not None else ""
    uid = str(ds.get("SOPClassUID", ""))
    findings = check_dataset(ds, syntax)
    return {
        "file": path,
        "readable": True,
        "sop_class": uid,
        "sop_class_name": pydicom.uid.UID(uid).name if uid else "",
        "findings": [{"severity": f.severity, "attribute": f.attribute, "message": f.message} for f in findings],
    }


def _failed(result: dict[str, Any]) -> bool:
    return not result["readable"] or any(f["severity"] == "error" for f in result["findings"])


def run_check(paths: list[str], fmt: str) -> int:
    """Check every file; print per-file findings as a rich table or JSON; exit code for CI."""
    results = [check_file(path) for path in paths]
    if fmt == "json":
        print(json.dumps({"valid": not any(_failed(r) for r in results), "files": results}, indent=2))
    else:
        _render_text(results)
    return EXIT_CONVERSION if any(_failed(r) for r in results) else EXIT_OK


def _render_text(results: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    out = Console(file=sys.stdout, highlight=False, soft_wrap=True)
    err = Console(file=sys.stderr, highlight=False, soft_wrap=True)
    for result in results:
        if not result["readable"]:
            err.print(result["error"], markup=False)
            continue
        name = Path(result["file"]).name
        title = f"{result['file']}: {result['sop_class_name'] or result['sop_class'] or 'no SOP class'}"
        if not result["findings"]:
            out.print(f"{title}: valid", markup=False)
            continue
        table = Table(title=title, title_justify="left", show_lines=False)
        table.add_column("severity")
        table.add_column("attribute")
        table.add_column("finding", overflow="fold")
        for finding in result["findings"]:
            style = "red" if finding["severity"] == "error" else "yellow"
            table.add_row(f"[{style}]{finding['severity']}[/]", finding["attribute"], finding["message"])
        out.print(table)
        errors = sum(f["severity"] == "error" for f in result["findings"])
        out.print(f"{name}: {errors} error(s), {len(result['findings']) - errors} warning(s)", markup=False)
