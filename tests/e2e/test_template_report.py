"""The dry-run report says what template cleanup removed."""

from __future__ import annotations

import json
from pathlib import Path

from tests.tools import CORPUS, run_cli


def test_the_report_lists_what_template_cleanup_removed(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text(f"version: 1\ntemplate: {{dicom: {CORPUS / 'dicom' / 'CT_small.dcm'}}}\n")
    result = run_cli("apply", profile, "--dry-run", "--format", "json", CORPUS / "jpeg" / "ljt_testorig.jpg",
                     tmp_path / "o.dcm")
    assert result.code == 0, result.stderr
    notes = [n for n in json.loads(result.stdout)["detected"] if "removed" in n and "template" in n]
    assert len(notes) == 1 and "Rows" in notes[0] and "SOPInstanceUID" in notes[0]
