"""Cold start: a process imports only what its job needs (bench/scale.py measures the time).

A plain ``img2dcm IMG.jpg OUT.dcm`` imports nothing heavy beyond what ``import pydicom``
already imports in the same interpreter (pydicom itself pulls in numpy and, when installed,
Pillow); ``--version`` and ``-h`` do not even import pydicom.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pydicom import dcmread

from tests.tools import CORPUS

#: Libraries a conversion does not need unless the job asks for them (profiles, reports,
#: XML templates, clusters).
HEAVY = {"jsonschema", "yaml", "rich", "lxml", "distributed", "dask", "numpy", "PIL", "pydicom"}

PROBE = """
import json, sys
if sys.argv[1] == "--baseline":
    import pydicom
    code = 0
else:
    from img2dcm.cli.main import main
    code = main(sys.argv[1:])
print(json.dumps([code, sorted({name.split(".")[0] for name in sys.modules})]))
"""


def imported(*args: str | Path) -> tuple[int, set[str]]:
    result = subprocess.run([sys.executable, "-c", PROBE, *map(str, args)], capture_output=True, text=True,
                            timeout=120)
    code, modules = json.loads(result.stdout.strip().splitlines()[-1])
    return code, set(modules)


def test_a_plain_jpeg_conversion_imports_nothing_heavy_beyond_pydicom(tmp_path: Path) -> None:
    _, baseline = imported("--baseline")
    code, ours = imported(CORPUS / "jpeg" / "pillow_flower.jpg", tmp_path / "out.dcm")
    assert code == 0 and dcmread(tmp_path / "out.dcm").SOPClassUID
    assert (ours - baseline) & HEAVY == set()
    assert "pydicom" in ours


def test_version_and_help_do_not_import_pydicom() -> None:
    for option in ("--version", "-h"):
        code, modules = imported(option)
        assert code == 0
        assert modules & HEAVY == set(), option


def test_the_mapping_of_a_command_line_without_options_is_schema_valid() -> None:
    """Why the classic command line may skip the schema check when no option set a field."""
    from img2dcm.cli.classic import parse
    from img2dcm.profile.load import schema_problems

    parsed = parse(["in.jpg", "more.jpg", "out.dcm"])
    assert not parsed.origins and not parsed.key_numbers
    assert schema_problems(parsed.mapping, lambda where, on_key=False: "command line") == []
    assert schema_problems(parse(["in.jpg", "-"]).mapping, lambda where, on_key=False: "command line") == []
