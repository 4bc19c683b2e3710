"""Read the headers of many large inputs on every core (one multi-frame object from many files).

Reading a pass-through JPEG means walking its markers, entropy-coded data included, to find
where the code stream ends: about 3 ms of Python per 7 MB file, holding the GIL. For the 100
inputs of a large multi-frame object that is a third of a second, so a forked worker process
reads part of them while this one reads the rest. Small jobs are read here: a worker costs
more to start than it would save.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from img2dcm.profile.model import InputOptions

#: Inputs smaller than this in all are read in this process alone.
PARALLEL_BYTES = 64 << 20


def read_images(paths: Sequence[Path], options: InputOptions) -> tuple[Any, ...] | None:
    """Every input's SourceImage in order, or None when one cannot be read.

    None leaves the reading (and reporting) to the conversion, which names the input that
    failed exactly as a serial read does.
    """
    workers = min((os.cpu_count() or 1) - 1, len(paths) - 1)
    if workers < 1 or total_size(paths) < PARALLEL_BYTES:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    share = -(-len(paths) // (workers + 1))  # this process reads the first share
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(read_all, list(paths[start:start + share]), options)
                       for start in range(share, len(paths), share)]
            mine = read_all(list(paths[:share]), options)
            theirs = [future.result() for future in futures]
    except Exception:  # noqa: BLE001 - a failed worker: the conversion reads (and reports) alone
        return None
    images = [*mine, *(image for part in theirs for image in part)]
    return None if any(image is None for image in images) else tuple(images)


def read_all(paths: list[Path], options: InputOptions) -> list[Any]:
    """SourceImages of ``paths``; None for one that cannot be read (reported when read again)."""
    from img2dcm.readers import read_image

    images: list[Any] = []
    for path in paths:
        try:
            images.append(read_image(path, options))
        except Exception:  # noqa: BLE001 - read again, and reported, by the conversion
            images.append(None)
    return images


def total_size(paths: Sequence[Path]) -> int:
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except OSError:
            return 0  # reported by the conversion
    return total
