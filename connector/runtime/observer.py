"""Hooks the pipeline calls so metrics and logs live in one place, not inline in job code."""

from __future__ import annotations

from typing import Protocol

__all__ = ["JobObserver", "NullObserver"]


class JobObserver(Protocol):
    """What the pipeline reports, for metrics."""

    def on_job_start(self, task_type: str) -> None: ...

    def on_job_end(self, task_type: str, outcome: str, duration_s: float) -> None:
        """``outcome`` is one of complete, fail, throw (a low-cardinality label)."""

    def on_bytes(self, direction: str, count: int) -> None:
        """``direction`` is upload or download."""


class NullObserver:
    """An observer that records nothing (invoke, tests)."""

    def on_job_start(self, task_type: str) -> None:
        return None

    def on_job_end(self, task_type: str, outcome: str, duration_s: float) -> None:
        return None

    def on_bytes(self, direction: str, count: int) -> None:
        return None
