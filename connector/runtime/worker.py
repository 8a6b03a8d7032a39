"""The worker loop: poll each task type, run each job through the pipeline, report its outcome.

Zeebe is the queue: never more than ``max_running_jobs`` jobs per task type are activated, so
a worker scales by running more replicas. Losing the gateway is never fatal: polls back off
exponentially with jitter and readiness reports the outage. Nothing a job carries can stop a
poll loop (the pipeline turns every failure into an outcome), and should a poll loop die
anyway, its supervisor restarts it with backoff while readiness says which task type is not
being polled. Time and chance come from a ``Clock``, so all of this is tested without waiting.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from connector.clock import SYSTEM_CLOCK, Clock
from connector.error_codes import GATEWAY_UNAVAILABLE, INTERNAL_ERROR
from connector.errors import GatewayUnavailable, JobGone
from connector.retrying import Backoff, retry_async
from connector.runtime.jobs import ActivateRequest, GatewayClient, Job
from connector.runtime.metrics import HealthState
from connector.runtime.outcome import Complete, Fail, Outcome, Throw, decide_outcome
from connector.runtime.pipeline import Pipeline, TaskSpec

__all__ = ["PollingConfig", "ZeebeRuntime"]

logger = logging.getLogger(__name__)

# Upper bound on reporting attempts; the job's deadline usually ends the retries first.
_MAX_REPORT_ATTEMPTS = 60
_REPORT_BACKOFF = Backoff(initial_ms=200, max_ms=5_000)


@dataclass(frozen=True, kw_only=True)
class PollingConfig:
    """What the worker loop needs of the settings."""

    worker_name: str
    max_running_jobs: int
    job_timeout_ms: int
    poll_request_timeout_ms: int
    shutdown_timeout_s: float
    gateway_backoff: Backoff
    gateway_address: str  # for log lines only


class ZeebeRuntime:
    """Serves the given task types until ``stop`` is set, then drains in-flight jobs."""

    def __init__(
        self,
        *,
        config: PollingConfig,
        pipeline: Pipeline,
        specs: Sequence[TaskSpec],
        health: HealthState,
        gateway: GatewayClient,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._config = config
        self._pipeline = pipeline
        self._specs = list(specs)
        self._health = health
        self._gateway = gateway
        self._clock = clock
        self._active: dict[str, set[asyncio.Task[None]]] = {spec.task_type: set() for spec in self._specs}
        self._slot_freed = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set; then stop activating, wait for in-flight jobs up to the
        shutdown timeout, cancel what is left (Zeebe hands those jobs out again after their
        timeout) and close the gateway connection."""
        pollers = [
            asyncio.create_task(self._supervise(spec, stop), name=f"poll {spec.task_type}") for spec in self._specs
        ]
        await stop.wait()
        self._health.stopping()
        for poller in pollers:
            poller.cancel()
        await asyncio.gather(*pollers, return_exceptions=True)
        await self._drain()
        await self._gateway.close()

    async def _drain(self) -> None:
        in_flight = {task for tasks in self._active.values() for task in tasks}
        logger.info(
            "Stopped activating jobs; waiting up to %.1fs for %d in-flight job(s)",
            self._config.shutdown_timeout_s,
            len(in_flight),
        )
        if not in_flight:
            return
        deadline = asyncio.ensure_future(self._clock.sleep(self._config.shutdown_timeout_s))
        try:
            while in_flight and not deadline.done():
                done, _ = await asyncio.wait({*in_flight, deadline}, return_when=asyncio.FIRST_COMPLETED)
                in_flight -= done
        finally:
            deadline.cancel()
        for task in in_flight:
            task.cancel()
        if in_flight:
            await asyncio.gather(*in_flight, return_exceptions=True)
            logger.warning(
                "Cancelled %d job(s) still running at the shutdown deadline; Zeebe will hand them out "
                "again after their job timeout",
                len(in_flight),
            )

    async def _supervise(self, spec: TaskSpec, stop: asyncio.Event) -> None:
        """Keep the poll loop of ``spec`` running: a loop that dies is restarted with backoff."""
        restarts = 0
        while not stop.is_set():
            try:
                await self._poll(spec, stop)
            except Exception as exc:  # a bug must not silently end polling for a task type
                restarts += 1
                delay_s = self._config.gateway_backoff.delay_ms(restarts, self._clock.random) / 1000
                self._health.poller_down(spec.task_type, type(exc).__name__)
                logger.error(
                    "Polling %s stopped unexpectedly; restarting it in %.1fs", spec.task_type, delay_s, exc_info=True
                )
                await self._pause(stop, delay_s)

    async def _poll(self, spec: TaskSpec, stop: asyncio.Event) -> None:
        failures = 0
        probe = True  # a topology call answers at once, while a long poll may take seconds
        while not stop.is_set():
            free = self._config.max_running_jobs - len(self._active[spec.task_type])
            if free <= 0:
                self._slot_freed.clear()
                await self._slot_freed.wait()
                continue
            try:
                if probe:
                    await self._gateway.topology()
                    self._reachable(spec)
                    probe = False
                await self._activate(spec, free)
                self._reachable(spec)
                if failures:
                    logger.info(
                        "Gateway %s is reachable again; polling %s", self._config.gateway_address, spec.task_type
                    )
                failures = 0
            except GatewayUnavailable as exc:
                failures += 1
                probe = True
                await self._back_off(spec, failures, str(exc), stop)

    def _reachable(self, spec: TaskSpec) -> None:
        self._health.gateway_reachable()
        self._health.poller_up(spec.task_type)

    async def _back_off(self, spec: TaskSpec, failures: int, detail: str, stop: asyncio.Event) -> None:
        delay_s = self._config.gateway_backoff.delay_ms(failures, self._clock.random) / 1000
        self._health.gateway_unreachable(detail)
        logger.warning(
            "Cannot activate %s jobs from gateway %s (%s); retry %d in %.1fs",
            spec.task_type,
            self._config.gateway_address,
            detail,
            failures,
            delay_s,
        )
        await self._pause(stop, delay_s)

    async def _pause(self, stop: asyncio.Event, delay_s: float) -> None:
        """Wait ``delay_s`` on the clock, or less if ``stop`` is set meanwhile."""
        sleeper = asyncio.ensure_future(self._clock.sleep(delay_s))
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({sleeper, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            stopped.cancel()
            await asyncio.gather(sleeper, stopped, return_exceptions=True)

    async def _activate(self, spec: TaskSpec, max_jobs: int) -> None:
        request = ActivateRequest(
            task_type=spec.task_type,
            worker=self._config.worker_name,
            timeout_ms=self._config.job_timeout_ms,
            max_jobs=max_jobs,
            fetch_variables=spec.fetch_variables,
            request_timeout_ms=self._config.poll_request_timeout_ms,
        )
        jobs = self._gateway.activate(request)
        async for job in jobs:
            task = asyncio.create_task(self._execute(spec, job), name=f"job {job.key}")
            self._active[spec.task_type].add(task)
            task.add_done_callback(functools.partial(self._job_done, spec.task_type))

    def _job_done(self, task_type: str, task: asyncio.Task[None]) -> None:
        self._active[task_type].discard(task)
        self._slot_freed.set()
        if not task.cancelled() and task.exception() is not None:
            logger.error("Job task crashed", exc_info=task.exception())

    async def _execute(self, spec: TaskSpec, job: Job) -> None:
        deadline_ms = job.deadline_ms

        async def extend_timeout(timeout_ms: int) -> None:
            nonlocal deadline_ms
            try:
                await self._gateway.extend_timeout(job.key, timeout_ms)
            except (GatewayUnavailable, JobGone) as exc:
                raise GATEWAY_UNAVAILABLE.error(f"Could not extend the job's timeout ({exc})") from None
            deadline_ms = max(deadline_ms, self._clock.epoch_ms() + timeout_ms)

        try:
            outcome = await self._pipeline.run(job, spec, extend_timeout)
        except Exception:  # the pipeline turns everything a job causes into an outcome; a bug still must
            logger.exception("Unexpected error running job %s (%s)", job.key, job.task_type)
            outcome = _internal_failure(job)
        _log_outcome(job, outcome)
        await self._report(job, outcome, lambda: deadline_ms)

    async def _report(
        self, job: Job, outcome: Outcome, deadline_ms: Callable[[], int], *, fall_back: bool = True
    ) -> None:
        """Report the outcome, retrying through gateway hiccups for as long as the job is still
        locked to us: after its deadline Zeebe hands it out again anyway, and the work done
        (an uploaded object) would only be repeated. An outcome that cannot be encoded (a bug)
        is replaced by an internal failure, so the job still ends."""

        def may_retry(attempt: int, delay_s: float) -> bool:
            return attempt < _MAX_REPORT_ATTEMPTS and self._clock.epoch_ms() + delay_s * 1000 < deadline_ms()

        def on_retry(attempt: int, exc: Exception, delay_s: float) -> None:
            logger.warning("Reporting job %s failed (%s); retrying in %.1fs", job.key, exc, delay_s)

        try:
            await retry_async(
                lambda _: self._send(job.key, outcome),
                retry_on=GatewayUnavailable,
                may_retry=may_retry,
                backoff=_REPORT_BACKOFF,
                clock=self._clock,
                on_retry=on_retry,
            )
        except JobGone:
            logger.warning(
                "Job %s is no longer active (timed out, cancelled or finished elsewhere); its outcome was dropped",
                job.key,
            )
        except GatewayUnavailable as exc:
            logger.error(
                "Could not report job %s to the gateway (%s); Zeebe will hand it out again after its timeout",
                job.key,
                exc,
            )
        except (TypeError, ValueError, RecursionError):
            logger.exception("The outcome of job %s could not be encoded; failing the job instead", job.key)
            if fall_back:
                await self._report(job, _internal_failure(job), deadline_ms, fall_back=False)

    async def _send(self, job_key: int, outcome: Outcome) -> None:
        if isinstance(outcome, Complete):
            await self._gateway.complete(job_key, outcome.variables)
        elif isinstance(outcome, Fail):
            await self._gateway.fail(
                job_key,
                retries=outcome.retries,
                message=outcome.message,
                retry_backoff_ms=outcome.retry_backoff_ms,
                variables=outcome.variables,
            )
        else:
            await self._gateway.throw(job_key, code=outcome.code, message=outcome.message, variables=outcome.variables)


def _internal_failure(job: Job) -> Outcome:
    error = INTERNAL_ERROR.error("Unexpected error in the connector (details in the worker's log)")
    return decide_outcome(output_variables=None, error=error, job_retries=job.retries, retry_backoff_ms=None)


def _log_outcome(job: Job, outcome: Outcome) -> None:
    if isinstance(outcome, Complete):
        logger.info("Job %s (%s) completed", job.key, job.task_type)
    elif isinstance(outcome, Fail):
        logger.warning(
            "Job %s (%s) failed, retries %d, backoff %dms: %s",
            job.key,
            job.task_type,
            outcome.retries,
            outcome.retry_backoff_ms,
            outcome.message,
        )
    elif isinstance(outcome, Throw):
        logger.info("Job %s (%s) threw BPMN error %s", job.key, job.task_type, outcome.code)
