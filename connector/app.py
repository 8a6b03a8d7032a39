"""Wiring: settings in, a running worker (or one invoked job) out. No logic of its own."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from connector import __version__
from connector.actions.registry import build_actions, build_task_specs
from connector.documents.store import DocumentStore, DocumentStoreConfig
from connector.redaction import Redactor
from connector.retrying import Backoff
from connector.runtime.executor import BlockingExecutor
from connector.runtime.jobs import Job
from connector.runtime.logs import configure_logging
from connector.runtime.metrics import HealthServer, HealthState, PrometheusObserver
from connector.runtime.observer import JobObserver
from connector.runtime.outcome import Complete, Fail, Outcome
from connector.runtime.pipeline import Pipeline, TaskSpec
from connector.runtime.secrets import ChainedSecrets, DirectorySecrets, EnvironmentSecrets, SecretProvider
from connector.settings import WorkerSettings

__all__ = ["ConfigurationError", "invoke_job", "outcome_json", "run_worker", "setup_logging"]

logger = logging.getLogger("connector")


class ConfigurationError(Exception):
    """The worker cannot start as configured (the CLI exits 2 with this message)."""


def document_store(environ: Mapping[str, str]) -> DocumentStore | None:
    """The Camunda document store configured by ``CAMUNDA_REST_ADDRESS`` and friends, if any.

    Raises:
        ConfigurationError: the variables are set but inconsistent (e.g. BASIC without a user).
    """
    try:
        config = DocumentStoreConfig.from_env(environ)
    except ValueError as exc:
        raise ConfigurationError(f"document store: {exc}") from None
    return DocumentStore(config) if config is not None else None


def build_secrets(settings: WorkerSettings, environ: Mapping[str, str]) -> SecretProvider:
    providers: list[SecretProvider] = [EnvironmentSecrets(dict(environ), settings.secret_prefix)]
    if settings.secrets_dir is not None:
        providers.append(DirectorySecrets(settings.secrets_dir))
    return ChainedSecrets(tuple(providers))


def known_secret_values(settings: WorkerSettings, environ: Mapping[str, str]) -> frozenset[str]:
    """Every secret value the worker could hand to a job, so logs can mask them wholesale."""
    values = {v for k, v in environ.items() if settings.secret_prefix and k.startswith(settings.secret_prefix)}
    if settings.client_secret is not None:
        values.add(settings.client_secret.get_secret_value())
    directory = settings.secrets_dir
    if directory is not None and directory.is_dir():
        for path in Path(directory).iterdir():
            if path.is_file():
                try:
                    values.add(path.read_text(encoding="utf-8").rstrip("\r\n"))
                except (OSError, UnicodeDecodeError):
                    continue
    # Masking one- or two-character values would shred every log line.
    return frozenset(v for v in values if len(v) >= 3)


def setup_logging(settings: WorkerSettings, environ: Mapping[str, str]) -> None:
    configure_logging(settings.log_level, settings.log_format, Redactor(known_secret_values(settings, environ)))


def build_pipeline(
    settings: WorkerSettings, environ: Mapping[str, str], observer: JobObserver | None = None
) -> tuple[Pipeline, BlockingExecutor]:
    executor = BlockingExecutor(max_workers=settings.effective_thread_pool_size)
    pipeline = Pipeline(secrets=build_secrets(settings, environ), executor=executor, observer=observer)
    return pipeline, executor


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
    store = document_store(environ)
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
    from connector.runtime.zeebe import describe_channel, gateway_address

    health = f"http://{settings.health_host}:{health_port}" if health_port is not None else "disabled"
    documents = store.documents_url if store is not None else "not configured (CAMUNDA_REST_ADDRESS unset)"
    return (
        f"s3-connector {__version__} serving {', '.join(s.task_type for s in specs)} from gateway "
        f"{gateway_address(settings)} ({describe_channel(settings)}) as worker '{settings.worker_name}'; "
        f"document store: {documents}; "
        f"max {settings.max_running_jobs} running jobs per task type, "
        f"{settings.effective_thread_pool_size} I/O threads; health and metrics: {health}"
    )


async def run_worker(settings: WorkerSettings, environ: Mapping[str, str]) -> int:
    """Serve jobs until SIGTERM/SIGINT, then drain and return the exit code (0)."""
    from connector.runtime.worker import PollingConfig, ZeebeRuntime
    from connector.runtime.zeebe import PyzeebeGateway, create_channel, gateway_address

    store = document_store(environ)
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
    config = PollingConfig(
        worker_name=settings.worker_name,
        max_running_jobs=settings.max_running_jobs,
        job_timeout_ms=settings.job_timeout_ms,
        poll_request_timeout_ms=settings.poll_request_timeout_ms,
        shutdown_timeout_s=settings.shutdown_timeout_s,
        gateway_backoff=Backoff(settings.gateway_retry_initial_ms, settings.gateway_retry_max_ms),
        gateway_address=gateway_address(settings),
    )
    gateway = PyzeebeGateway(create_channel(settings))
    runtime = ZeebeRuntime(config=config, pipeline=pipeline, specs=specs, health=health, gateway=gateway)
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
