"""Bitmasks of offerings: bit ``i`` of a Python int stands for row ``i`` of the search index.

A few thousand rows make a mask of a few hundred bytes, so a filter is an AND, a facet count a
``bit_count()``, and the conversions below do their work in C (string ↔ int) rather than bit by bit.
"""

from __future__ import annotations

from collections.abc import Iterable


def mask_of(indices: Iterable[int], size: int) -> int:
    """A bitmask with the given bits set (built from a string: one C-level conversion)."""
    flags = bytearray(b"0" * size)
    for i in indices:
        flags[size - 1 - i] = 0x31
    return int(flags, 2) if size else 0


def flags_of(mask: int) -> str:
    """``'1'``/``'0'`` per row, row 0 first."""
    return bin(mask)[:1:-1]


def members_of(mask: int) -> list[int]:
    """The row numbers set in ``mask`` (``str.find`` skips the zeros in C)."""
    flags, out = flags_of(mask), []
    i = flags.find("1")
    while i != -1:
        out.append(i)
        i = flags.find("1", i + 1)
    return out
