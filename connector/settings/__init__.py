"""All configuration of the worker, from the environment, loaded once and passed in.

Names follow the contracts users already have: ``ZEEBE_ADDRESS`` and the OAuth variables of
pyzeebe and Camunda's credential files, Camunda's secret prefix variable, Camunda's SDK names
for the REST API, botocore's own ``AWS_*`` variables. Everything of our own carries the
``S3_CONNECTOR_`` prefix. ``WorkerSettings`` is one class made of groups (gateway, S3,
documents, the worker itself), each in its own module; the README's configuration table lists
every variable with its default: keep the two in step. Nothing else reads the environment
for settings.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from connector.settings.documents import DocumentSettings
from connector.settings.gateway import DEFAULT_AUDIENCE, DEFAULT_OAUTH_URL, GatewaySettings
from connector.settings.s3 import S3Settings

__all__ = ["DEFAULT_AUDIENCE", "DEFAULT_OAUTH_URL", "WorkerSettings"]


def _default_worker_name() -> str:
    return f"s3-connector@{socket.gethostname()}"


class WorkerSettings(BaseSettings, GatewaySettings, S3Settings, DocumentSettings):
    """Every setting of the worker (see the module docstring and the README)."""

    model_config = SettingsConfigDict(
        env_prefix="S3_CONNECTOR_", case_sensitive=False, extra="ignore", populate_by_name=True
    )

    # --- Task types (configurable so the worker can run beside Camunda's own runtime)
    task_type_camunda: str = "io.camunda:aws-s3:1"
    task_type_upload: str = "s3-connector:upload:1"
    task_type_download: str = "s3-connector:download:1"
    task_type_delete: str = "s3-connector:delete:1"
    task_type_list: str = "s3-connector:list:1"
    task_type_copy: str = "s3-connector:copy:1"
    task_type_presign: str = "s3-connector:presign:1"
    task_type_head: str = "s3-connector:head:1"

    # --- Worker loop
    worker_name: str = Field(default_factory=_default_worker_name)
    max_running_jobs: int = Field(32, ge=1, le=10_000)
    job_timeout_ms: int = Field(300_000, ge=1_000)
    poll_request_timeout_ms: int = Field(10_000, ge=100)
    thread_pool_size: int | None = Field(None, ge=1, le=10_000)
    shutdown_timeout_s: float = Field(30.0, ge=0)
    gateway_retry_initial_ms: int = Field(500, ge=10)
    gateway_retry_max_ms: int = Field(30_000, ge=10)

    # --- FEEL result and error expressions: what one evaluation may spend (connector.feel.budget)
    feel_max_steps: int = Field(1_000_000, ge=1_000)
    feel_max_text_length: int = Field(10_000_000, ge=1_000)
    feel_timeout_ms: int = Field(1_000, ge=10)

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

    @field_validator(
        "task_type_camunda",
        "task_type_upload",
        "task_type_download",
        "task_type_delete",
        "task_type_list",
        "task_type_copy",
        "task_type_presign",
        "task_type_head",
    )
    @classmethod
    def _task_type_trimmed(cls, value: str) -> str:
        # An empty name switches that task type off (e.g. serve only io.camunda:aws-s3:1).
        return value.strip()

    @model_validator(mode="after")
    def _consistent(self) -> WorkerSettings:
        if self.gateway_retry_max_ms < self.gateway_retry_initial_ms:
            raise ValueError("S3_CONNECTOR_GATEWAY_RETRY_MAX_MS must be >= S3_CONNECTOR_GATEWAY_RETRY_INITIAL_MS")
        if not self.served_task_types:
            raise ValueError("every S3_CONNECTOR_TASK_TYPE_* is empty: the worker would serve nothing")
        return self

    @property
    def served_task_types(self) -> tuple[str, ...]:
        names = (
            self.task_type_camunda,
            self.task_type_upload,
            self.task_type_download,
            self.task_type_delete,
            self.task_type_list,
            self.task_type_copy,
            self.task_type_presign,
            self.task_type_head,
        )
        return tuple(name for name in names if name)

    @property
    def effective_thread_pool_size(self) -> int:
        # max_running_jobs applies per task type, and all served types share the pool.
        return self.thread_pool_size or self.max_running_jobs * len(self.served_task_types)
