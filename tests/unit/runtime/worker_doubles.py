"""In-memory doubles for the worker loop: a gateway client and a clock that tests drive.

The gRPC double (``testkit/gateway.py``) proves the protocol; these prove the loop's
decisions (supervision, drain, reporting) without sockets or wall-clock waits.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from connector.clock import Clock
from connector.errors import GatewayUnavailable
from connector.runtime.jobs import ActivateRequest, Job

EPOCH = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


class ManualClock:
    """Time that moves only when the test says so (or, with ``instant``, whenever code sleeps)."""

    def __init__(self, *, instant: bool = False) -> None:
        self.elapsed_s = 0.0
        self.instant = instant
        self.sleeps: list[float] = []
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    @property
    def clock(self) -> Clock:
        return Clock(monotonic=lambda: self.elapsed_s, now=self._now, sleep=self._sleep, random=lambda: 0.0)

    def _now(self) -> datetime:
        return EPOCH + timedelta(seconds=self.elapsed_s)

    async def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.instant:
            self.elapsed_s += seconds
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.elapsed_s + seconds, future))
        await future

    async def advance(self, seconds: float) -> None:
        """Move time on and wake every sleeper whose time has come."""
        self.elapsed_s += seconds
        for wake_at, future in list(self._sleepers):
            if wake_at <= self.elapsed_s and not future.done():
                future.set_result(None)
        self._sleepers = [(at, f) for at, f in self._sleepers if not f.done()]
        for _ in range(5):  # let the woken coroutines run
            await asyncio.sleep(0)


@dataclass
class Sent:
    kind: str
    job_key: int
    retries: int | None = None
    message: str | None = None
    variables: Mapping[str, Any] = field(default_factory=dict)


class MemoryGateway:
    """A ``GatewayClient`` over a list of jobs. ``activate_hook`` may raise to simulate faults."""

    def __init__(self) -> None:
        self.queued: dict[str, list[Job]] = {}
        self.sent: list[Sent] = []
        self.activations: dict[str, int] = {}
        self.activate_hook: Callable[[str], None] | None = None
        self.command_hook: Callable[[str, int], None] | None = None
        self.closed = False
        self._changed = asyncio.Event()

    def add(self, job: Job) -> None:
        self.queued.setdefault(job.task_type, []).append(job)
        self._changed.set()

    async def topology(self) -> None:
        return None

    async def activate(self, request: ActivateRequest) -> AsyncIterator[Job]:
        task_type, max_jobs = request.task_type, request.max_jobs
        self.activations[task_type] = self.activations.get(task_type, 0) + 1
        if self.activate_hook is not None:
            self.activate_hook(task_type)
        jobs = self.queued.get(task_type, [])
        if not jobs:
            self._changed.clear()
            # A long poll: answer when a job arrives, or after a moment with nothing.
            try:
                await asyncio.wait_for(self._changed.wait(), timeout=0.05)
            except asyncio.TimeoutError:
                return
            jobs = self.queued.get(task_type, [])
        taken, self.queued[task_type] = jobs[:max_jobs], jobs[max_jobs:]
        for job in taken:
            yield job

    def _command(self, kind: str, job_key: int) -> None:
        if self.command_hook is not None:
            self.command_hook(kind, job_key)

    async def complete(self, job_key: int, variables: Mapping[str, Any]) -> None:
        self._command("complete", job_key)
        self.sent.append(Sent("complete", job_key, variables=variables))

    async def fail(
        self, job_key: int, *, retries: int, message: str, retry_backoff_ms: int, variables: Mapping[str, Any]
    ) -> None:
        self._command("fail", job_key)
        self.sent.append(Sent("fail", job_key, retries=retries, message=message, variables=variables))

    async def throw(self, job_key: int, *, code: str, message: str, variables: Mapping[str, Any]) -> None:
        self._command("throw", job_key)
        self.sent.append(Sent("throw", job_key, message=message, variables=variables))

    async def extend_timeout(self, job_key: int, timeout_ms: int) -> None:
        self._command("extend", job_key)

    async def close(self) -> None:
        self.closed = True

    async def wait_sent(self, count: int, timeout_s: float = 5.0) -> list[Sent]:
        """Wait (on the real loop, bounded) until ``count`` outcomes were sent."""

        async def until() -> None:
            while len(self.sent) < count:
                await asyncio.sleep(0.001)

        await asyncio.wait_for(until(), timeout=timeout_s)
        return self.sent


def always_unavailable(kind: str, job_key: int) -> None:
    raise GatewayUnavailable("UNAVAILABLE connection refused")
