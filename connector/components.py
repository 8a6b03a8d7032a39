"""What the worker is made of, built from its settings: the document store, the secrets,
the gateway connection, the poll loop's configuration and the pipeline. No logic of its own."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from connector.documents.store import DocumentStore, DocumentStoreConfig
from connector.documents.store_auth import AuthStrategy
from connector.errors import ConfigurationError
from connector.feel import FeelEngine, FeelLimits
from connector.redaction import Redactor
from connector.retrying import Backoff
from connector.runtime.executor import BlockingExecutor
from connector.runtime.observer import JobObserver
from connector.runtime.pipeline import Pipeline
from connector.runtime.secrets import ChainedSecrets, DirectorySecrets, EnvironmentSecrets, SecretProvider
from connector.runtime.worker import PollingConfig
from connector.runtime.zeebe import GatewayConnection
from connector.settings import DEFAULT_AUDIENCE, DEFAULT_OAUTH_URL, WorkerSettings

__all__ = [
    "build_pipeline",
    "build_secrets",
    "document_store",
    "document_store_config",
    "gateway_connection",
    "known_secret_values",
    "polling_config",
]


def _secret(value: object) -> str | None:
    getter = getattr(value, "get_secret_value", None)
    return getter() if getter else None


def _auth_strategy(settings: WorkerSettings) -> AuthStrategy:
    if settings.auth_strategy == "OAUTH" or (settings.auth_strategy is None and settings.uses_oauth):
        return "oauth"
    if settings.auth_strategy == "BASIC" or (settings.auth_strategy is None and settings.basic_auth_username):
        return "basic"
    return "none"


def document_store_config(settings: WorkerSettings) -> DocumentStoreConfig | None:
    """Where the Camunda document store is and how to authenticate; None without a REST address.

    Raises:
        ConfigurationError: the strategy lacks its credentials (e.g. BASIC without a user).
    """
    if settings.rest_address is None:
        return None
    try:
        return DocumentStoreConfig(
            base_url=settings.rest_address,
            auth=_auth_strategy(settings),
            username=settings.basic_auth_username,
            password=_secret(settings.basic_auth_password),
            client_id=settings.client_id or None,
            client_secret=_secret(settings.client_secret),
            oauth_url=settings.oauth_url or DEFAULT_OAUTH_URL,
            audience=settings.token_audience or DEFAULT_AUDIENCE,
            scope=settings.token_scope or None,
            ca_certificate_path=settings.rest_ca_certificate_path,
        )
    except ValueError as exc:
        raise ConfigurationError(f"document store: {exc}") from None


def document_store(settings: WorkerSettings) -> DocumentStore | None:
    """The Camunda document store the settings name, if any (see ``document_store_config``)."""
    config = document_store_config(settings)
    return DocumentStore(config) if config is not None else None


def gateway_connection(settings: WorkerSettings) -> GatewayConnection:
    """How to reach the gateway: plaintext unless TLS or OAuth is configured."""
    oauth = None
    if settings.uses_oauth:
        client_secret = _secret(settings.client_secret) or ""
        token_url = settings.oauth_url or DEFAULT_OAUTH_URL
        audience = settings.token_audience or DEFAULT_AUDIENCE
        oauth = (settings.client_id or "", client_secret, token_url, audience, settings.token_scope or None)
    return GatewayConnection(
        address=settings.gateway_address,
        oauth=oauth,
        ca_certificate_path=settings.ca_certificate_path,
        tls=settings.zeebe_tls,
        max_message_bytes=settings.max_message_bytes,
    )


def polling_config(settings: WorkerSettings) -> PollingConfig:
    """What the poll loop needs of the settings."""
    return PollingConfig(
        worker_name=settings.worker_name,
        max_running_jobs=settings.max_running_jobs,
        job_timeout_ms=settings.job_timeout_ms,
        poll_request_timeout_ms=settings.poll_request_timeout_ms,
        shutdown_timeout_s=settings.shutdown_timeout_s,
        gateway_backoff=Backoff(settings.gateway_retry_initial_ms, settings.gateway_retry_max_ms),
        gateway_address=settings.gateway_address,
    )


def build_secrets(settings: WorkerSettings, environ: Mapping[str, str]) -> SecretProvider:
    """Secrets from prefixed environment variables, then from the secrets directory if set."""
    providers: list[SecretProvider] = [EnvironmentSecrets(dict(environ), settings.secret_prefix)]
    if settings.secrets_dir is not None:
        providers.append(DirectorySecrets(settings.secrets_dir))
    return ChainedSecrets(tuple(providers))


def _directory_values(directory: Path | None) -> set[str]:
    values: set[str] = set()
    if directory is None or not directory.is_dir():
        return values
    for path in directory.iterdir():
        if path.is_file():
            try:
                values.add(path.read_text(encoding="utf-8").rstrip("\r\n"))
            except (OSError, UnicodeDecodeError):
                continue
    return values


def known_secret_values(settings: WorkerSettings, environ: Mapping[str, str]) -> frozenset[str]:
    """Every secret value the worker could hand to a job or holds itself, so logs can mask them."""
    values = {v for k, v in environ.items() if settings.secret_prefix and k.startswith(settings.secret_prefix)}
    for own in (settings.client_secret, settings.basic_auth_password):
        if own is not None:
            values.add(own.get_secret_value())
    values |= _directory_values(settings.secrets_dir)
    # Masking one- or two-character values would shred every log line.
    return frozenset(v for v in values if len(v) >= 3)


def build_pipeline(
    settings: WorkerSettings, environ: Mapping[str, str], observer: JobObserver | None = None
) -> tuple[Pipeline, BlockingExecutor]:
    """The pipeline with its I/O pool (the caller shuts the pool down)."""
    executor = BlockingExecutor(max_workers=settings.effective_thread_pool_size)
    redactor = Redactor(known_secret_values(settings, environ))
    limits = FeelLimits(
        max_steps=settings.feel_max_steps,
        max_text_length=settings.feel_max_text_length,
        timeout_ms=settings.feel_timeout_ms,
    )
    pipeline = Pipeline(
        secrets=build_secrets(settings, environ),
        executor=executor,
        feel=FeelEngine(limits=limits),
        observer=observer,
        redactor=redactor,
    )
    return pipeline, executor
