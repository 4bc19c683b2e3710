"""Seeded byte-level mutations: flips, insertions, deletions, truncations, extreme header
fields and splices. Pure functions of (seed bytes, random.Random): a case is reproducible
from its number alone."""

from __future__ import annotations

import random
import struct
from collections.abc import Callable, Sequence

#: Values a lying header likes: zero, one, sign boundaries, all ones, DICOM's 65535 limit.
EXTREMES: tuple[int, ...] = (0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
                             60000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF)
HEADER = 512  # mutations prefer the first bytes, where sizes and counts live


def _offset(data: bytes, rng: random.Random, hot: Sequence[int]) -> int:
    if not data:
        return 0
    roll = rng.random()
    if hot and roll < 0.35:
        return min(rng.choice(hot), len(data) - 1)
    if roll < 0.7:
        return rng.randrange(min(len(data), HEADER))
    return rng.randrange(len(data))


def flip_bits(data: bytes, rng: random.Random, hot: Sequence[int], others: Sequence[bytes]) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[_offset(out, rng, hot)] ^= 1 << rng.randrange(8)
    return bytes(out)


def random_bytes(data: bytes, rng: random.Random, hot: Sequence[int], others: Sequence[bytes]) -> bytes:
    at = _offset(data, rng, hot)
    size = rng.randint(1, 16)
    return data[:at] + rng.randbytes(size) + data[at + size:]


def insert(data: bytes, rng: random.Random, hot: Sequence[int], others: Sequence[bytes]) -> bytes:
    at = _offset(data, rng, hot)
    if rng.random() < 0.5 or not data:
        piece = rng.randbytes(rng.randint(1, 64))
    else:  # repeat an existing span (duplicated segments, chunks, IFD entries)
        start = rng.randrange(len(data))
        piece = data[start:start + rng.randint(1, 256)] * rng.randint(1, 8)
    return data[:at] + piece + data[at:]


def delete(data: bytes, rng: random.Random, hot: Sequence[int], others: Sequence[bytes]) -> bytes:
    at = _offset(data, rng, hot)
    return data[:at] + data[at + rng.randint(1, 64):]


def truncate(data: bytes, rng: random.Random, hot: Sequence[int], others: Sequence[bytes]) -> bytes:
    if not data:
        return data
    return data[: rng.randrange(len(data))] if rng.random() < 0.5 else data[: _offset(data, rng, hot)]


def extreme_field(data: bytes, rng: random.Random, hot: Sequence[int], others: Sequence[bytes]) -> bytes:
    """Overwrite a 1-, 2- or 4-byte field (either byte order) with a boundary value."""
    at = _offset(data, rng, hot)
    width = rng.choice((1, 2, 2, 4, 4))
    value = rng.choice(EXTREMES + (len(data), len(data) + 1, len(data) - 1)) % (1 << (8 * width))
    order = rng.choice("<>")
    field = struct.pack(order + {1: "B", 2: "H", 4: "I"}[width], value)
    return data[:at] + field + data[at + width:]


def splice(data: bytes, rng: random.Random, hot: Sequence[int], others: Sequence[bytes]) -> bytes:
    """Head of this seed, tail of another of the same kind."""
    other = rng.choice(others) if others else data
    cut_a = rng.randrange(len(data) + 1)
    cut_b = rng.randrange(len(other) + 1)
    return data[:cut_a] + other[cut_b:]


MUTATORS: tuple[Callable[[bytes, random.Random, Sequence[int], Sequence[bytes]], bytes], ...] = (
    flip_bits, random_bytes, insert, delete, truncate, extreme_field, extreme_field, splice,
)


def mutate(data: bytes, rng: random.Random, hot: Sequence[int] = (), others: Sequence[bytes] = ()
           ) -> tuple[bytes, str]:
    """One to three stacked mutations; returns the bytes and their names."""
    names = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        mutator = rng.choice(MUTATORS)
        data = mutator(data, rng, hot, others)
        names.append(mutator.__name__)
    return data, "+".join(names)
