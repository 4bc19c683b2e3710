"""Damaged JPEG 2000, HTJ2K, MP4 and MPEG-2 inputs fail with one line naming the file, never a traceback.

Real encoder output is truncated at many points and has header bytes flipped;
the readers must either describe the stream or raise InputError.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from img2dcm.errors import InputError
from img2dcm.profile.model import InputOptions
from img2dcm.readers import read_image
from tests.codecs.encoders import ffmpeg_clip, ojph_compress, opj_compress, sample_array
from tests.codecs.test_video import H264, MPEG2
from tests.tools import SC_PROFILE, run_cli


def sources(work: Path) -> dict[str, bytes]:
    colour = sample_array(8, 3, 40, 48)
    return {
        "j2k": opj_compress(colour, 8, ".j2k", ["-n", "3", "-t", "16,16"], work),
        "jp2": opj_compress(colour, 8, ".jp2", ["-n", "3"], work),
        "htj2k": ojph_compress(colour, 8, ["-reversible", "true"], work),
        "mp4": ffmpeg_clip(work / "c.mp4", [*H264, "-movflags", "+faststart"], frames=3).read_bytes(),
        "mpg": ffmpeg_clip(work / "c.mpg", [*MPEG2, "-f", "mpeg"], frames=3).read_bytes(),
        "ts": ffmpeg_clip(work / "c.ts", [*H264, "-f", "mpegts"], frames=3).read_bytes(),
    }


@pytest.mark.parametrize("kind", ["j2k", "jp2", "htj2k", "mp4", "mpg", "ts"])
def test_truncated_and_flipped_headers_fail_cleanly(kind: str, tmp_path: Path) -> None:
    data = sources(tmp_path)[kind]
    path = tmp_path / f"damaged.{kind}"
    outcomes = {"read": 0, "refused": 0, "warned": 0}
    rng = random.Random(11)
    cuts = sorted({len(data) * i // 40 for i in range(1, 40)} | {8, 12, 16, 24, 40, 60, 100})
    flips = [rng.randrange(0, min(len(data), 400)) for _ in range(60)]
    variants = [data[:cut] for cut in cuts] + [
        data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :] for at in flips
    ]
    for variant in variants:
        path.write_bytes(variant)
        try:
            image = read_image(path, InputOptions())
            outcomes["read"] += 1
            outcomes["warned"] += any("truncated" in w for w in image.warnings)
        except InputError as exc:
            assert str(path) in str(exc) and "\n" not in str(exc)
            outcomes["refused"] += 1
    # Truncation is noticed: refused, or (MPEG-2, whose pictures stand alone) a warning.
    assert outcomes["refused"] + outcomes["warned"] > 30, outcomes


def test_a_truncated_video_fails_with_one_line_and_no_output(tmp_path: Path) -> None:
    clip = ffmpeg_clip(tmp_path / "c.mp4", [*H264, "-movflags", "+faststart"], frames=10).read_bytes()
    source = tmp_path / "cut.mp4"
    source.write_bytes(clip[: len(clip) // 2])
    out = tmp_path / "out.dcm"
    result = run_cli("apply", SC_PROFILE, source, out)
    assert result.code == 1 and not out.exists()
    [error] = [line for line in result.stderr.splitlines() if line.startswith("E:")]
    assert str(source) in error and "truncated" in error, error
