"""glibc's allocator, told to give large buffers back: parts in flight are 8 MiB each.

glibc serves allocations over its mmap threshold with mmap and returns them on free, but the
threshold is dynamic: after the first large buffer is freed it rises to that size, and later
parts come from the heap, where freed memory stays resident and fragments across the part
threads' arenas. A fixed threshold (as ``MALLOC_MMAP_THRESHOLD_`` would set) keeps every part
an mmap of its own, so the worker's RSS follows what it holds: measured in
``benchmarks/transfer.py``. Nothing happens on other C libraries.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os

__all__ = ["return_large_buffers"]

logger = logging.getLogger(__name__)

_M_MMAP_THRESHOLD = -3
_THRESHOLD_BYTES = 1024 * 1024


def return_large_buffers() -> bool:
    """Fix glibc's mmap threshold at 1 MiB unless the operator set one; True when applied."""
    if "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    applied = bool(mallopt(_M_MMAP_THRESHOLD, _THRESHOLD_BYTES))
    logger.debug("glibc mmap threshold fixed at %d bytes: %s", _THRESHOLD_BYTES, applied)
    return applied
