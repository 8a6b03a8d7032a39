"""The gateway double's job state: a thread-safe, gRPC-free model of Zeebe's job lifecycle.

A job is *activatable* when it is not finished, not inside a retry backoff and not locked by a
worker. Locks and backoffs end by the clock alone, so nothing has to sweep the jobs: every
question is answered against the clock (``gateway_clock``) at the moment it is asked.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from .gateway_clock import GatewayClock, SystemGatewayClock

__all__ = ["ActivatedJobView", "JobNotActiveError", "JobStore", "Outcome", "UnknownJobError"]

OutcomeKind = Literal["complete", "fail", "throw"]

# Zeebe encodes the partition in the upper bits of every key; partition 1 starts here.
_PARTITION_1_KEY_BASE = 1 << 51


class UnknownJobError(LookupError):
    """The job does not exist or is finished (completed, error thrown, or failed without retries)."""


class JobNotActiveError(RuntimeError):
    """The job exists but no worker holds its lock (Zeebe rejects UpdateJobTimeout then)."""


@dataclass(frozen=True)
class Outcome:
    """What a worker told the gateway about a job: CompleteJob, FailJob or ThrowError."""

    kind: OutcomeKind
    job_key: int
    variables: dict[str, Any]
    retries: int | None = None
    error_message: str | None = None
    retry_backoff_ms: int | None = None
    error_code: str | None = None
    at_monotonic_s: float = field(default=0.0, compare=False)


@dataclass(frozen=True)
class ActivatedJobView:
    """A consistent copy of a job taken at activation, with variables and headers already JSON."""

    key: int
    type: str
    worker: str
    retries: int
    deadline_epoch_ms: int
    variables_json: str
    custom_headers_json: str
    process_instance_key: int
    process_definition_key: int
    element_instance_key: int


@dataclass
class _Job:
    key: int
    type: str
    variables: dict[str, Any]
    custom_headers: dict[str, str]
    # A document handed out exactly as given (e.g. deeper than Python's JSON can encode).
    raw_variables_json: str | None
    retries: int
    process_instance_key: int
    element_instance_key: int
    worker: str = ""
    locked_until_s: float | None = None
    deadline_epoch_ms: int = 0
    backoff_until_s: float = 0.0
    activations: int = 0
    finished: bool = False

    def is_locked(self, now_s: float) -> bool:
        return self.locked_until_s is not None and self.locked_until_s > now_s

    def is_activatable(self, now_s: float) -> bool:
        return not self.finished and self.backoff_until_s <= now_s and not self.is_locked(now_s)


def _json_copy(value: dict[str, Any]) -> dict[str, Any]:
    # A round trip both proves the value is JSON and detaches it from the caller's objects.
    copied: dict[str, Any] = json.loads(json.dumps(value))
    return copied


class JobStore:
    """All jobs of the double. Every method may be called from any thread.

    ``on_change`` runs (outside the lock) after every change that could make a job activatable,
    so that long-polling requests on another thread can look again.
    """

    def __init__(self, on_change: Callable[[], None] = lambda: None, clock: GatewayClock | None = None) -> None:
        self._clock: GatewayClock = clock or SystemGatewayClock()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._jobs: dict[int, _Job] = {}
        self._outcomes: list[Outcome] = []
        self._timeout_updates: dict[int, list[int]] = {}
        self._next_key = _PARTITION_1_KEY_BASE
        self._on_change = on_change
        self.process_definition_key = self._new_key()

    def _new_key(self) -> int:
        self._next_key += 1
        return self._next_key

    def create(
        self,
        job_type: str,
        variables: dict[str, Any],
        custom_headers: dict[str, str],
        retries: int,
        raw_variables_json: str | None = None,
    ) -> int:
        with self._lock:
            process_instance_key = self._new_key()
            element_instance_key = self._new_key()
            job = _Job(
                key=self._new_key(),
                type=job_type,
                variables=_json_copy(variables),
                custom_headers=dict(custom_headers),
                raw_variables_json=raw_variables_json,
                retries=retries,
                process_instance_key=process_instance_key,
                element_instance_key=element_instance_key,
            )
            self._jobs[job.key] = job
            self._changed.notify_all()
        self._on_change()
        return job.key

    def activate(
        self, job_type: str, worker: str, timeout_ms: int, max_jobs: int, fetch_variables: Iterable[str]
    ) -> list[ActivatedJobView]:
        """Lock up to ``max_jobs`` activatable jobs of ``job_type`` for ``worker``, oldest first."""
        wanted = list(fetch_variables)
        with self._lock:
            now_s = self._clock.monotonic()
            now_epoch_ms = self._clock.epoch_ms()
            ready = [job for job in self._jobs.values() if job.type == job_type and job.is_activatable(now_s)]
            views = []
            for job in sorted(ready, key=lambda j: j.key)[:max_jobs]:
                job.worker = worker
                job.locked_until_s = now_s + timeout_ms / 1000
                job.deadline_epoch_ms = now_epoch_ms + timeout_ms
                job.activations += 1
                views.append(self._view(job, wanted))
            if views:
                self._changed.notify_all()
            return views

    def _view(self, job: _Job, fetch_variables: list[str]) -> ActivatedJobView:
        if job.raw_variables_json is not None:
            variables_json = job.raw_variables_json
        elif fetch_variables:
            variables_json = json.dumps(
                {name: job.variables[name] for name in fetch_variables if name in job.variables}
            )
        else:
            variables_json = json.dumps(job.variables)
        return ActivatedJobView(
            key=job.key,
            type=job.type,
            worker=job.worker,
            retries=job.retries,
            deadline_epoch_ms=job.deadline_epoch_ms,
            variables_json=variables_json,
            custom_headers_json=json.dumps(job.custom_headers),
            process_instance_key=job.process_instance_key,
            process_definition_key=self.process_definition_key,
            element_instance_key=job.element_instance_key,
        )

    def next_change_s(self, job_type: str) -> float | None:
        """The monotonic time at which a lock or backoff of a ``job_type`` job next runs out."""
        with self._lock:
            now_s = self._clock.monotonic()
            moments = [
                moment
                for job in self._jobs.values()
                if job.type == job_type and not job.finished
                for moment in (job.locked_until_s, job.backoff_until_s)
                if moment is not None and moment > now_s
            ]
            return min(moments, default=None)

    def complete(self, job_key: int, variables: dict[str, Any]) -> None:
        self._finish_with(Outcome("complete", job_key, variables))

    def throw_error(self, job_key: int, error_code: str, message: str, variables: dict[str, Any]) -> None:
        outcome = Outcome("throw", job_key, variables, error_message=message, error_code=error_code)
        self._finish_with(outcome)

    def fail(self, job_key: int, retries: int, message: str, retry_backoff_ms: int, variables: dict[str, Any]) -> None:
        """Record a failure; with retries left the job comes back after the backoff, else it is an incident."""
        outcome = Outcome(
            "fail", job_key, variables, retries=retries, error_message=message, retry_backoff_ms=retry_backoff_ms
        )
        with self._lock:
            job = self._live_job(job_key)
            recorded = self._record(outcome)
            job.locked_until_s = None
            job.retries = retries
            if retries > 0:
                job.backoff_until_s = recorded.at_monotonic_s + max(retry_backoff_ms, 0) / 1000
            else:
                job.finished = True
        self._on_change()

    def update_timeout(self, job_key: int, timeout_ms: int) -> None:
        with self._lock:
            job = self._live_job(job_key)
            now_s = self._clock.monotonic()
            if not job.is_locked(now_s):
                raise JobNotActiveError(job_key)
            job.locked_until_s = now_s + timeout_ms / 1000
            job.deadline_epoch_ms = self._clock.epoch_ms() + timeout_ms
            self._timeout_updates.setdefault(job_key, []).append(timeout_ms)
            self._changed.notify_all()
        # A shorter timeout can free the job sooner than a waiting poll planned for.
        self._on_change()

    def _finish_with(self, outcome: Outcome) -> None:
        with self._lock:
            job = self._live_job(outcome.job_key)
            self._record(outcome)
            job.finished = True
            job.locked_until_s = None

    def _live_job(self, job_key: int) -> _Job:
        job = self._jobs.get(job_key)
        if job is None or job.finished:
            raise UnknownJobError(job_key)
        return job

    def _record(self, outcome: Outcome) -> Outcome:
        stamped = Outcome(
            kind=outcome.kind,
            job_key=outcome.job_key,
            variables=_json_copy(outcome.variables),
            retries=outcome.retries,
            error_message=outcome.error_message,
            retry_backoff_ms=outcome.retry_backoff_ms,
            error_code=outcome.error_code,
            at_monotonic_s=self._clock.monotonic(),
        )
        self._outcomes.append(stamped)
        self._changed.notify_all()
        return stamped

    # Queries. Waits use the condition, so they work from any thread, including another loop's.

    def outcomes(self, job_key: int | None = None) -> list[Outcome]:
        with self._lock:
            return [o for o in self._outcomes if job_key is None or o.job_key == job_key]

    def activation_count(self, job_key: int) -> int:
        with self._lock:
            job = self._jobs.get(job_key)
            return 0 if job is None else job.activations

    def timeout_updates(self, job_key: int) -> list[int]:
        with self._lock:
            return list(self._timeout_updates.get(job_key, []))

    def wait_for_outcome(self, job_key: int, timeout_s: float) -> Outcome:
        with self._lock:
            found = self._changed.wait_for(lambda: any(o.job_key == job_key for o in self._outcomes), timeout=timeout_s)
            if not found:
                raise AssertionError(
                    f"no outcome for job {job_key} within {timeout_s}s; recorded outcomes: {self._outcomes!r}"
                )
            return next(o for o in self._outcomes if o.job_key == job_key)

    def wait_for_activation(self, job_key: int, timeout_s: float, count: int) -> int:
        with self._lock:
            job = self._jobs.get(job_key)
            if job is None:
                raise AssertionError(f"job {job_key} was never created")
            if not self._changed.wait_for(lambda: job.activations >= count, timeout=timeout_s):
                raise AssertionError(
                    f"job {job_key} activated {job.activations} time(s) within {timeout_s}s, expected {count}"
                )
            return job.activations
