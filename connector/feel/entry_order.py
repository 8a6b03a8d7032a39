"""The order of a context's entries as Camunda's engine has it (Scala's maps), for ``string()`` and ``get entries()``.

feel-scala keeps contexts in Scala maps, whose order is not always the order written:

- a context of up to four entries built in FEEL keeps its order (``Map1``..``Map4``);
- a context of five or more entries is a ``HashMap`` (a CHAMP trie) and iterates in the order of
  its keys' hashes -- :func:`hashed_order`;
- a context that comes from the job's variables passes through a ``mutable.HashMap`` first
  (16 buckets, each in ascending hash order) -- :func:`variable_order`.

Hashes are Java's ``String.hashCode``. The orders depend only on the set of keys, so they are cached.
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["hashed", "hashed_order", "variable_order"]

_MASK = 0xFFFFFFFF
_SMALL = 4


def _int32(value: int) -> int:
    value &= _MASK
    return value - (1 << 32) if value >= 1 << 31 else value


@functools.lru_cache(maxsize=8192)
def _java_hash(key: str) -> int:
    """``String.hashCode()``: over UTF-16 code units, in 32-bit arithmetic."""
    hash_code = 0
    units = key.encode("utf-16-le")
    for index in range(0, len(units), 2):
        hash_code = (31 * hash_code + int.from_bytes(units[index : index + 2], "little")) & _MASK
    return _int32(hash_code)


def _champ_hash(key: str) -> int:
    # scala.collection.Hashing.improve, which immutable.HashMap applies to every key's hash
    h = _java_hash(key)
    h = _int32(h + ~(h << 9))
    h = _int32(h ^ ((h & _MASK) >> 14))
    h = _int32(h + (h << 4))
    return (h ^ ((h & _MASK) >> 10)) & _MASK


def _trie_order(keys: list[str], shift: int) -> list[str]:
    """A CHAMP node's iteration: its own entries by 5-bit position, then its sub-nodes by position."""
    if shift >= 35 or len(keys) < 2:  # equal hashes end in a collision node, in insertion order
        return keys
    slots: dict[int, list[str]] = {}
    for key in keys:
        slots.setdefault((_champ_hash(key) >> shift) & 31, []).append(key)
    entries = [group[0] for _, group in sorted(slots.items()) if len(group) == 1]
    nodes = [_trie_order(group, shift + 5) for _, group in sorted(slots.items()) if len(group) > 1]
    return entries + [key for node in nodes for key in node]


@functools.lru_cache(maxsize=4096)
def hashed_order(keys: tuple[str, ...]) -> tuple[str, ...]:
    """The iteration order of an ``immutable.HashMap`` with these keys."""
    return tuple(_trie_order(list(keys), 0))


@functools.lru_cache(maxsize=4096)
def variable_order(keys: tuple[str, ...]) -> tuple[str, ...]:
    """The order of a job variable's context: a ``mutable.HashMap``'s, then ``toMap``'s."""
    if len(keys) > _SMALL:
        return hashed_order(keys)

    def bucket(key: str) -> tuple[int, int]:
        h = _java_hash(key)
        improved = (h ^ ((h & _MASK) >> 16)) & _MASK
        return improved & 15, improved

    return tuple(sorted(keys, key=bucket))


def hashed(context: dict[str, Any]) -> dict[str, Any]:
    """``context`` in Camunda's order for a context built in FEEL (hash order from five entries on)."""
    if len(context) <= _SMALL:
        return context
    return {key: context[key] for key in hashed_order(tuple(context))}
