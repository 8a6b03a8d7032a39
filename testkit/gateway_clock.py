"""The gateway double's sense of time: the system's, or a manual one tests move.

With ``ManualGatewayClock`` locks, backoffs and long polls end when a test calls ``advance``
(which also wakes waiting polls), so tests of time-dependent behaviour need no sleeps and no
wall-clock bounds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

__all__ = ["GatewayClock", "ManualGatewayClock", "SystemGatewayClock"]


class GatewayClock(Protocol):
    manual: bool

    def monotonic(self) -> float: ...

    def epoch_ms(self) -> int: ...


class SystemGatewayClock:
    manual = False

    def monotonic(self) -> float:
        return time.monotonic()

    def epoch_ms(self) -> int:
        return int(time.time() * 1000)


class ManualGatewayClock:
    """Starts at an arbitrary instant and moves only by ``advance``; thread-safe."""

    manual = True

    def __init__(self, start_epoch_ms: int = 1_764_619_200_000) -> None:
        self._lock = threading.Lock()
        self._elapsed_s = 0.0
        self._start_epoch_ms = start_epoch_ms
        self._listeners: list[Callable[[], None]] = []

    def monotonic(self) -> float:
        with self._lock:
            return 1_000.0 + self._elapsed_s

    def epoch_ms(self) -> int:
        with self._lock:
            return self._start_epoch_ms + int(self._elapsed_s * 1000)

    def on_advance(self, listener: Callable[[], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def advance(self, seconds: float) -> None:
        """Move time on and let everything waiting on it look again."""
        with self._lock:
            self._elapsed_s += seconds
            listeners = list(self._listeners)
        for listener in listeners:
            listener()
