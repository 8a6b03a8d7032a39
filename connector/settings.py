"""All configuration of the worker, from the environment, loaded once and passed in.

Names follow the contracts users already have: ``ZEEBE_ADDRESS`` and the OAuth variables of
pyzeebe and Camunda's credential files, Camunda's secret prefix variable, botocore's own
``AWS_*`` variables. Everything of our own carries the ``S3_CONNECTOR_`` prefix. The README's
configuration table lists every variable with its default; keep the two in step.

Memory: a streamed transfer holds about ``2 x multipart_part_size_bytes + 4 MiB``, an inline
download at most ``inline_content_max_bytes``; the process bound is about
``idle + max_running_jobs x task types x that`` (measured figures: docs/BENCHMARKS.md).
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["WorkerSettings"]


def _default_worker_name() -> str:
    return f"s3-connector@{socket.gethostname()}"


class WorkerSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="S3_CONNECTOR_", case_sensitive=False, extra="ignore", populate_by_name=True
    )

    # --- Zeebe gateway (names as in pyzeebe and Camunda's API client credential files)
    zeebe_address: str = Field("localhost:26500", validation_alias=AliasChoices("ZEEBE_ADDRESS", "zeebe_address"))
    client_id: str | None = Field(
        None, validation_alias=AliasChoices("CAMUNDA_CLIENT_ID", "ZEEBE_CLIENT_ID", "client_id")
    )
    client_secret: SecretStr | None = Field(
        None, validation_alias=AliasChoices("CAMUNDA_CLIENT_SECRET", "ZEEBE_CLIENT_SECRET", "client_secret")
    )
    oauth_url: str | None = Field(
        None,
        validation_alias=AliasChoices("CAMUNDA_OAUTH_URL", "ZEEBE_AUTHORIZATION_SERVER_URL", "oauth_url"),
    )
    token_audience: str | None = Field(
        None, validation_alias=AliasChoices("CAMUNDA_TOKEN_AUDIENCE", "ZEEBE_TOKEN_AUDIENCE", "token_audience")
    )
    token_scope: str | None = Field(
        None, validation_alias=AliasChoices("ZEEBE_TOKEN_SCOPE", "CAMUNDA_TOKEN_SCOPE", "token_scope")
    )
    cluster_id: str | None = Field(None, validation_alias=AliasChoices("CAMUNDA_CLUSTER_ID", "cluster_id"))
    cluster_region: str | None = Field(None, validation_alias=AliasChoices("CAMUNDA_CLUSTER_REGION", "cluster_region"))
    ca_certificate_path: Path | None = Field(
        None,
        validation_alias=AliasChoices(
            "ZEEBE_CA_CERTIFICATE_PATH", "CAMUNDA_CA_CERTIFICATE_PATH", "ca_certificate_path"
        ),
    )
    zeebe_tls: bool = False

    # --- Task types (configurable so the worker can run beside Camunda's own runtime)
    task_type_camunda: str = "io.camunda:aws-s3:1"
    task_type_upload: str = "s3-connector:upload:1"
    task_type_download: str = "s3-connector:download:1"
    task_type_delete: str = "s3-connector:delete:1"

    # --- Worker loop
    worker_name: str = Field(default_factory=_default_worker_name)
    max_running_jobs: int = Field(32, ge=1, le=10_000)
    job_timeout_ms: int = Field(300_000, ge=1_000)
    poll_request_timeout_ms: int = Field(10_000, ge=100)
    thread_pool_size: int | None = Field(None, ge=1, le=10_000)
    shutdown_timeout_s: float = Field(30.0, ge=0)
    gateway_retry_initial_ms: int = Field(500, ge=10)
    gateway_retry_max_ms: int = Field(30_000, ge=10)

    # --- Health, metrics, logs
    health_enabled: bool = True
    health_host: str = "0.0.0.0"
    health_port: int = Field(9400, ge=0, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"

    # --- Secrets ({{secrets.NAME}} in job variables)
    secret_prefix: str = Field(
        "SECRET_",
        validation_alias=AliasChoices("CAMUNDA_CONNECTOR_SECRETPROVIDER_ENVIRONMENT_PREFIX", "secret_prefix"),
    )
    secrets_dir: Path | None = None

    # --- S3 policy and limits
    default_endpoint: str | None = Field(
        None,
        validation_alias=AliasChoices(
            "S3_CONNECTOR_DEFAULT_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "default_endpoint"
        ),
    )
    aws_region: str | None = Field(
        None, validation_alias=AliasChoices("AWS_REGION", "AWS_DEFAULT_REGION", "aws_region")
    )
    allowed_endpoints: str = ""
    allowed_buckets: str = ""
    allow_default_credentials: bool = False
    inline_content_max_bytes: int = Field(1_572_864, ge=1)
    s3_connect_timeout_s: float = Field(10.0, gt=0)
    s3_read_timeout_s: float = Field(60.0, gt=0)
    s3_max_attempts: int = Field(3, ge=1, le=20)
    s3_retry_mode: Literal["standard", "adaptive", "legacy"] = "standard"
    s3_checksum_mode: Literal["auto", "when_required", "when_supported"] = "auto"
    sts_endpoint: str | None = Field(
        None, validation_alias=AliasChoices("S3_CONNECTOR_STS_ENDPOINT", "AWS_ENDPOINT_URL_STS", "sts_endpoint")
    )
    multipart_threshold_bytes: int = Field(8 * 1024 * 1024, ge=1)
    multipart_part_size_bytes: int = Field(8 * 1024 * 1024, ge=5 * 1024 * 1024, le=5 * 1024**3)
    client_cache_size: int = Field(64, ge=1)

    # --- Documents (the Camunda REST document store itself is configured by Camunda's SDK
    # names, CAMUNDA_REST_ADDRESS and friends: see connector.documents.store)
    allow_private_urls: bool = False
    allowed_url_hosts: str = ""
    external_max_bytes: int = Field(5 * 1024**3, ge=1)
    verify_content_hash: bool = True
    # Zeebe's default message limit is 4 MiB, so larger inline content cannot be a variable anyway.
    inline_upload_max_bytes: int = Field(4 * 1024 * 1024, ge=1)

    @field_validator("task_type_camunda", "task_type_upload", "task_type_download", "task_type_delete")
    @classmethod
    def _task_type_trimmed(cls, value: str) -> str:
        # An empty name switches that task type off (e.g. serve only io.camunda:aws-s3:1).
        return value.strip()

    @model_validator(mode="after")
    def _backoff_bounds(self) -> WorkerSettings:
        if self.gateway_retry_max_ms < self.gateway_retry_initial_ms:
            raise ValueError("S3_CONNECTOR_GATEWAY_RETRY_MAX_MS must be >= S3_CONNECTOR_GATEWAY_RETRY_INITIAL_MS")
        if not self.served_task_types:
            raise ValueError("every S3_CONNECTOR_TASK_TYPE_* is empty: the worker would serve nothing")
        return self

    @property
    def served_task_types(self) -> tuple[str, ...]:
        names = (self.task_type_camunda, self.task_type_upload, self.task_type_download, self.task_type_delete)
        return tuple(name for name in names if name)

    @property
    def effective_thread_pool_size(self) -> int:
        # max_running_jobs applies per task type, and all served types share the pool.
        return self.thread_pool_size or self.max_running_jobs * len(self.served_task_types)

    @property
    def allowed_endpoint_list(self) -> tuple[str, ...]:
        return tuple(item.strip() for item in self.allowed_endpoints.split(",") if item.strip())

    @property
    def allowed_bucket_list(self) -> tuple[str, ...]:
        return tuple(item.strip() for item in self.allowed_buckets.split(",") if item.strip())

    @property
    def allowed_url_host_list(self) -> tuple[str, ...]:
        return tuple(item.strip().lower() for item in self.allowed_url_hosts.split(",") if item.strip())

    @property
    def uses_oauth(self) -> bool:
        return bool(self.client_id and self.client_secret)
