"""A job as the gateway hands it out, and the gateway as the worker loop sees it.

Variables and headers stay the JSON text the gateway sent until the pipeline decodes them
under its depth limit (``job_json``): a hostile document must reach the one place that turns
it into an outcome, never the loop that activated it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from connector.errors import GatewayUnavailable, JobGone

__all__ = ["ActivateRequest", "GatewayClient", "GatewayUnavailable", "Job", "JobGone"]


@dataclass(frozen=True, kw_only=True)
class Job:
    """One activated job: what the pipeline, the key templates and the logs need of it.

    Attributes:
        variables_json / headers_json: the documents exactly as the gateway sent them.
        deadline_ms: when the lock on the job ends, in epoch milliseconds (0: unknown).
    """

    key: int
    task_type: str
    retries: int
    variables_json: str = "{}"
    headers_json: str = "{}"
    deadline_ms: int = 0
    process_instance_key: int = 0
    bpmn_process_id: str = ""
    element_id: str = ""

    @classmethod
    def of(
        cls,
        *,
        key: int,
        task_type: str,
        retries: int,
        variables: Mapping[str, Any],
        headers: Mapping[str, Any] | None = None,
        **context: Any,
    ) -> Job:
        """A job from Python values (``s3-connector invoke``, tests), encoded as the gateway would."""
        return cls(
            key=key,
            task_type=task_type,
            retries=retries,
            variables_json=json.dumps(dict(variables), ensure_ascii=False),
            headers_json=json.dumps(dict(headers or {}), ensure_ascii=False),
            **context,
        )


@dataclass(frozen=True, kw_only=True)
class ActivateRequest:
    """One long poll for jobs of ``task_type``: at most ``max_jobs``, each locked for ``timeout_ms``."""

    task_type: str
    worker: str
    timeout_ms: int
    max_jobs: int
    fetch_variables: tuple[str, ...]
    request_timeout_ms: int


class GatewayClient(Protocol):
    """The gateway RPCs the worker loop uses. Each raises ``GatewayUnavailable`` when the gateway
    does not answer; the job commands raise ``JobGone`` when the job is no longer ours (both in
    the tree of ``connector.errors``)."""

    async def topology(self) -> None: ...

    def activate(self, request: ActivateRequest) -> AsyncIterator[Job]:
        """Long-poll for jobs, yielding each as it arrives."""

    async def complete(self, job_key: int, variables: Mapping[str, Any]) -> None: ...

    async def fail(
        self, job_key: int, *, retries: int, message: str, retry_backoff_ms: int, variables: Mapping[str, Any]
    ) -> None: ...

    async def throw(self, job_key: int, *, code: str, message: str, variables: Mapping[str, Any]) -> None: ...

    async def extend_timeout(self, job_key: int, timeout_ms: int) -> None: ...

    async def close(self) -> None: ...
