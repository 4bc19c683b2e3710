"""Cold start: a process imports only what its job needs (bench/scale.py measures the time).

A plain ``img2dcm IMG.jpg OUT.dcm`` imports nothing heavy beyond what ``import pydicom``
already imports in the same interpreter (pydicom itself pulls in numpy and, when installed,
Pillow); ``--version`` and ``-h`` do not even import pydicom.
"""

from __future__ import annotations

import io
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


def command(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    """The installed command's way in (``python -m img2dcm`` runs the same ``run()``)."""
    return subprocess.run([sys.executable, "-m", "img2dcm", *map(str, args)], capture_output=True, timeout=120)


def test_the_command_leaves_early_only_after_everything_is_written(tmp_path: Path) -> None:
    """run() skips the interpreter's teardown: outputs, stdout and exit codes must not suffer."""
    jpeg = CORPUS / "jpeg" / "pillow_flower.jpg"
    written = command(jpeg, tmp_path / "out.dcm")
    assert written.returncode == 0, written.stderr
    to_file = (tmp_path / "out.dcm").read_bytes()

    piped = command(jpeg, "-")  # the whole object through a pipe, flushed before the process ends
    assert piped.returncode == 0, piped.stderr
    # Random UIDs (as DCMTK) differ in length from run to run: compare what the object holds.
    through_pipe, in_file = dcmread(io.BytesIO(piped.stdout)), dcmread(io.BytesIO(to_file))
    assert through_pipe.PixelData == in_file.PixelData and len(in_file.PixelData) > 20_000
    assert [e.tag for e in through_pipe] == [e.tag for e in in_file]

    failed = command(tmp_path / "missing.jpg", tmp_path / "none.dcm")
    assert failed.returncode == 1
    assert failed.stderr.decode().startswith("E: ") and "missing.jpg" in failed.stderr.decode()
    assert not (tmp_path / "none.dcm").exists()


def test_subcommands_that_never_touch_dicom_do_not_import_pydicom() -> None:
    from img2dcm.cli.main import needs_dicom

    assert not needs_dicom(["validate", "p.yaml"]) and not needs_dicom(["schema"]) and not needs_dicom(["-h"])
    assert not needs_dicom(["apply", "--help"]) and not needs_dicom([])
    assert needs_dicom(["apply", "p.yaml"]) and needs_dicom(["in.jpg", "out.dcm"]) and needs_dicom(["check", "x.dcm"])
