"""Wiring: settings in, a running worker (or one invoked job) out. No logic of its own."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Mapping
from typing import Any

from connector import __version__
from connector.actions.registry import build_actions, build_task_specs
from connector.components import build_pipeline, document_store, gateway_connection, known_secret_values, polling_config
from connector.documents.store import DocumentStore
from connector.redaction import Redactor
from connector.runtime.jobs import Job
from connector.runtime.logs import configure_logging
from connector.runtime.metrics import HealthServer, HealthState, PrometheusObserver
from connector.runtime.outcome import Complete, Fail, Outcome
from connector.runtime.pipeline import TaskSpec
from connector.settings import WorkerSettings

__all__ = ["invoke_job", "outcome_json", "run_worker", "setup_logging"]

logger = logging.getLogger("connector")


def setup_logging(settings: WorkerSettings, environ: Mapping[str, str]) -> None:
    """Configure logging as the settings say, masking every secret value the worker knows."""
    configure_logging(settings.log_level, settings.log_format, Redactor(known_secret_values(settings, environ)))


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    """The outcome as ``s3-connector invoke`` prints it."""
    if isinstance(outcome, Complete):
        return {"outcome": "complete", "variables": dict(outcome.variables)}
    if isinstance(outcome, Fail):
        return {
            "outcome": "fail",
            "retries": outcome.retries,
            "retryBackoffMs": outcome.retry_backoff_ms,
            "message": outcome.message,
            "variables": dict(outcome.variables),
        }
    return {
        "outcome": "throw",
        "errorCode": outcome.code,
        "message": outcome.message,
        "variables": dict(outcome.variables),
    }


async def invoke_job(
    settings: WorkerSettings,
    environ: Mapping[str, str],
    *,
    task_type: str,
    variables: Mapping[str, Any],
    headers: Mapping[str, str],
    retries: int,
) -> dict[str, Any]:
    """Run one job through the worker's own pipeline and return the printed outcome.

    Raises:
        KeyError: the task type is not one the worker serves.
    """
    store = document_store(settings)
    specs = {spec.task_type: spec for spec in build_task_specs(settings, build_actions(settings, store))}
    spec = specs[task_type]
    pipeline, executor = build_pipeline(settings, environ)
    timeout_updates: list[int] = []

    async def extend_timeout(timeout_ms: int) -> None:
        timeout_updates.append(timeout_ms)

    try:
        job = Job.of(key=1, task_type=task_type, retries=retries, variables=variables, headers=headers)
        result = outcome_json(await pipeline.run(job, spec, extend_timeout))
    finally:
        executor.shutdown(wait=True)
        if store is not None:
            await store.aclose()
    if timeout_updates:
        result["jobTimeoutMs"] = timeout_updates[-1]
    return result


def _startup_line(
    settings: WorkerSettings, specs: list[TaskSpec], health_port: int | None, store: DocumentStore | None
) -> str:
    health = f"http://{settings.health_host}:{health_port}" if health_port is not None else "disabled"
    documents = store.documents_url if store is not None else "not configured (CAMUNDA_REST_ADDRESS unset)"
    return (
        f"s3-connector {__version__} serving {', '.join(s.task_type for s in specs)} from gateway "
        f"{settings.gateway_address} ({gateway_connection(settings).describe()}) as worker '{settings.worker_name}'; "
        f"document store: {documents}; "
        f"max {settings.max_running_jobs} running jobs per task type, "
        f"{settings.effective_thread_pool_size} I/O threads; health and metrics: {health}"
    )


async def run_worker(settings: WorkerSettings, environ: Mapping[str, str]) -> int:
    """Serve jobs until SIGTERM/SIGINT, then drain and return the exit code (0)."""
    from connector.allocator import return_large_buffers
    from connector.runtime.worker import ZeebeRuntime
    from connector.runtime.zeebe import PyzeebeGateway, create_channel

    return_large_buffers()
    store = document_store(settings)
    observer = PrometheusObserver()
    health = HealthState(observer)
    server = None
    if settings.health_enabled:
        server = HealthServer(
            host=settings.health_host, port=settings.health_port, state=health, registry=observer.registry
        )
        server.start()
    pipeline, executor = build_pipeline(settings, environ, observer)
    specs = build_task_specs(settings, build_actions(settings, store))
    if settings.effective_thread_pool_size < settings.max_running_jobs:
        logger.warning(
            "S3_CONNECTOR_THREAD_POOL_SIZE (%d) is below S3_CONNECTOR_MAX_RUNNING_JOBS (%d): "
            "jobs will queue for I/O threads",
            settings.effective_thread_pool_size,
            settings.max_running_jobs,
        )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, _on_signal(signum, stop))
    gateway = PyzeebeGateway(create_channel(gateway_connection(settings)))
    runtime = ZeebeRuntime(
        config=polling_config(settings), pipeline=pipeline, specs=specs, health=health, gateway=gateway
    )
    logger.info(_startup_line(settings, specs, server.port if server else None, store))
    try:
        await runtime.run(stop)
    finally:
        executor.shutdown(wait=False)
        if store is not None:
            await store.aclose()
        if server is not None:
            server.stop()
    logger.info("Worker stopped")
    return 0


def _on_signal(signum: int, stop: asyncio.Event) -> Any:
    def handler() -> None:
        if not stop.is_set():
            logger.info("Received %s: draining", signal.Signals(signum).name)
        stop.set()

    return handler
