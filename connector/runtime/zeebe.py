"""The Zeebe side of the runtime — the only module that imports pyzeebe.

It activates jobs with long polling (Zeebe is the queue: never more than
``max_running_jobs`` per task type are activated), runs each through the ``Pipeline``, and
applies the ``Outcome`` through pyzeebe's job adapter, which — unlike ``JobController`` —
lets us send FailJob with explicit retries. Losing the gateway is never fatal: polls back off
exponentially with jitter and readiness reports the outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
import time
from collections.abc import Sequence
from typing import Any

import grpc
from pyzeebe import Job
from pyzeebe.channel import (
    create_insecure_channel,
    create_oauth2_client_credentials_channel,
    create_secure_channel,
)
from pyzeebe.errors import JobAlreadyDeactivatedError, JobNotFoundError, PyZeebeError
from pyzeebe.grpc_internals.zeebe_adapter import ZeebeAdapter

from connector.runtime.backoff import backoff_delay_ms
from connector.runtime.metrics import HealthState
from connector.runtime.outcome import Complete, Fail, Outcome, Throw
from connector.runtime.pipeline import JobContext, Pipeline, TaskSpec
from connector.settings import WorkerSettings

__all__ = ["ZeebeRuntime", "create_channel", "describe_channel"]

logger = logging.getLogger(__name__)

# Keep gRPC's own reconnect backoff short: its default grows to two minutes, which would keep a
# worker idle long after the gateway is back.
_CHANNEL_OPTIONS = (
    ("grpc.keepalive_time_ms", 45_000),
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.min_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 5_000),
)
# Upper bound on reporting attempts; the job's deadline usually ends the retries first.
_MAX_COMMAND_ATTEMPTS = 60


def describe_channel(settings: WorkerSettings) -> str:
    """How the worker reaches the gateway, for the startup log line (no secrets)."""
    if settings.uses_oauth:
        return "TLS + OAuth client credentials"
    if settings.ca_certificate_path or settings.zeebe_tls:
        return "TLS"
    return "plaintext"


def gateway_address(settings: WorkerSettings) -> str:
    if settings.cluster_id and settings.cluster_region and "zeebe_address" not in settings.model_fields_set:
        return f"{settings.cluster_id}.{settings.cluster_region}.zeebe.camunda.io:443"
    return settings.zeebe_address


def create_channel(settings: WorkerSettings) -> grpc.aio.Channel:
    """A channel as configured: plaintext unless TLS or OAuth is set (SaaS implies both)."""
    address = gateway_address(settings)
    root_certs = settings.ca_certificate_path.read_bytes() if settings.ca_certificate_path else None
    if settings.uses_oauth:
        assert settings.client_id is not None and settings.client_secret is not None
        oauth_url = settings.oauth_url or "https://login.cloud.camunda.io/oauth/token"
        return create_oauth2_client_credentials_channel(
            grpc_address=address,
            client_id=settings.client_id,
            client_secret=settings.client_secret.get_secret_value(),
            authorization_server=oauth_url,
            scope=settings.token_scope,
            audience=settings.token_audience or "zeebe.camunda.io",
            channel_credentials=grpc.ssl_channel_credentials(root_certificates=root_certs),
            channel_options=_CHANNEL_OPTIONS,
        )
    if root_certs is not None or settings.zeebe_tls:
        return create_secure_channel(
            grpc_address=address,
            channel_options=_CHANNEL_OPTIONS,
            channel_credentials=grpc.ssl_channel_credentials(root_certificates=root_certs),
        )
    return create_insecure_channel(grpc_address=address, channel_options=_CHANNEL_OPTIONS)


class ZeebeRuntime:
    """Serves the given task types until ``stop`` is set, then drains in-flight jobs."""

    def __init__(
        self,
        *,
        settings: WorkerSettings,
        pipeline: Pipeline,
        specs: Sequence[TaskSpec],
        health: HealthState,
        channel: grpc.aio.Channel,
    ) -> None:
        self._settings = settings
        self._pipeline = pipeline
        self._specs = list(specs)
        self._health = health
        self._channel = channel
        self._adapter = ZeebeAdapter(channel, max_connection_retries=-1)
        self._active: dict[str, set[asyncio.Task[None]]] = {spec.task_type: set() for spec in self._specs}
        self._slot_freed = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set; then stop activating, wait for in-flight jobs up to the
        shutdown timeout, cancel what is left (Zeebe hands those jobs out again after their
        timeout) and close the channel."""
        pollers = [asyncio.create_task(self._poll(spec, stop), name=f"poll {spec.task_type}") for spec in self._specs]
        await stop.wait()
        self._health.stopping()
        for poller in pollers:
            poller.cancel()
        await asyncio.gather(*pollers, return_exceptions=True)
        await self._drain()
        await self._channel.close()

    async def _drain(self) -> None:
        in_flight = {task for tasks in self._active.values() for task in tasks}
        logger.info(
            "Stopped activating jobs; waiting up to %.1fs for %d in-flight job(s)",
            self._settings.shutdown_timeout_s,
            len(in_flight),
        )
        if not in_flight:
            return
        _, pending = await asyncio.wait(in_flight, timeout=self._settings.shutdown_timeout_s)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
            logger.warning(
                "Cancelled %d job(s) still running at the shutdown deadline; Zeebe will retry "
                "them after their job timeout",
                len(pending),
            )

    async def _poll(self, spec: TaskSpec, stop: asyncio.Event) -> None:
        failures = 0
        probe = True  # a topology call answers at once, while a long poll may take seconds
        while not stop.is_set():
            free = self._settings.max_running_jobs - len(self._active[spec.task_type])
            if free <= 0:
                self._slot_freed.clear()
                await self._slot_freed.wait()
                continue
            try:
                if probe:
                    await self._adapter.topology()
                    self._health.gateway_reachable()
                    probe = False
                await self._activate(spec, free)
                self._health.gateway_reachable()
                if failures:
                    logger.info(
                        "Gateway %s is reachable again; polling %s", self._settings.zeebe_address, spec.task_type
                    )
                failures = 0
            except (PyZeebeError, grpc.aio.AioRpcError) as exc:
                failures += 1
                probe = True
                await self._back_off(spec, failures, exc, stop)

    async def _back_off(self, spec: TaskSpec, failures: int, exc: Exception, stop: asyncio.Event) -> None:
        delay_ms = backoff_delay_ms(
            failures,
            initial_ms=self._settings.gateway_retry_initial_ms,
            max_ms=self._settings.gateway_retry_max_ms,
            rand=random.random,
        )
        detail = f"{type(exc).__name__}: {_grpc_detail(exc)}"
        self._health.gateway_unreachable(detail)
        logger.warning(
            "Cannot activate %s jobs from gateway %s (%s); retry %d in %.1fs",
            spec.task_type,
            self._settings.zeebe_address,
            detail,
            failures,
            delay_ms / 1000,
        )
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=delay_ms / 1000)

    async def _activate(self, spec: TaskSpec, max_jobs: int) -> None:
        jobs = self._adapter.activate_jobs(
            task_type=spec.task_type,
            worker=self._settings.worker_name,
            timeout=self._settings.job_timeout_ms,
            max_jobs_to_activate=max_jobs,
            variables_to_fetch=list(spec.fetch_variables),
            request_timeout=self._settings.poll_request_timeout_ms,
        )
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
        context = JobContext(
            key=job.key,
            task_type=job.type,
            retries=job.retries,
            variables=job.variables,
            headers=job.custom_headers,
        )

        deadline_ms = job.deadline

        async def extend_timeout(timeout_ms: int) -> None:
            nonlocal deadline_ms
            await self._adapter.update_job_timeout(job.key, timeout_ms)
            deadline_ms = max(deadline_ms, int(time.time() * 1000) + timeout_ms)

        outcome = await self._pipeline.run(context, spec, extend_timeout)
        _log_outcome(job, outcome)
        await self._apply(job.key, outcome, deadline_ms)

    async def _apply(self, job_key: int, outcome: Outcome, deadline_ms: int) -> None:
        """Report the outcome, retrying through gateway hiccups for as long as the job is still
        locked to us: after its deadline Zeebe hands it out again anyway, and the work done
        (an uploaded object) would only be repeated."""
        attempt = 0
        while True:
            attempt += 1
            try:
                await self._send(job_key, outcome)
                return
            except (JobNotFoundError, JobAlreadyDeactivatedError):
                logger.warning(
                    "Job %s is no longer active (timed out, cancelled or finished elsewhere); its outcome was dropped",
                    job_key,
                )
                return
            except (PyZeebeError, grpc.aio.AioRpcError) as exc:
                delay_ms = backoff_delay_ms(attempt, initial_ms=200, max_ms=5_000, rand=random.random)
                if attempt >= _MAX_COMMAND_ATTEMPTS or time.time() * 1000 + delay_ms >= deadline_ms:
                    logger.error(
                        "Could not report job %s to the gateway after %d attempts (%s); Zeebe will "
                        "hand it out again after its timeout",
                        job_key,
                        attempt,
                        _grpc_detail(exc),
                    )
                    return
                logger.warning(
                    "Reporting job %s failed (%s); retrying in %.1fs", job_key, _grpc_detail(exc), delay_ms / 1000
                )
                await asyncio.sleep(delay_ms / 1000)

    async def _send(self, job_key: int, outcome: Outcome) -> None:
        if isinstance(outcome, Complete):
            await self._adapter.complete_job(job_key=job_key, variables=dict(outcome.variables))
        elif isinstance(outcome, Fail):
            await self._adapter.fail_job(
                job_key=job_key,
                retries=outcome.retries,
                message=outcome.message,
                retry_back_off_ms=outcome.retry_backoff_ms,
                variables=dict(outcome.variables),
            )
        elif isinstance(outcome, Throw):
            await self._adapter.throw_error(
                job_key=job_key,
                message=outcome.message,
                variables=dict(outcome.variables),
                error_code=outcome.code,
            )


def _grpc_detail(exc: BaseException) -> str:
    cause: Any = exc.__cause__ or getattr(exc, "grpc_error", None) or exc
    if isinstance(cause, grpc.aio.AioRpcError):
        return f"{cause.code().name} {cause.details() or ''}".strip()
    return str(exc) or type(exc).__name__


def _log_outcome(job: Job, outcome: Outcome) -> None:
    if isinstance(outcome, Complete):
        logger.info("Job %s (%s) completed", job.key, job.type)
    elif isinstance(outcome, Fail):
        logger.warning(
            "Job %s (%s) failed, retries %d, backoff %dms: %s",
            job.key,
            job.type,
            outcome.retries,
            outcome.retry_backoff_ms,
            outcome.message,
        )
    else:
        logger.info("Job %s (%s) threw BPMN error %s", job.key, job.type, outcome.code)
