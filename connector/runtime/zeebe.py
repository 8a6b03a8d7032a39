"""The gateway behind one adapter — the only module that imports pyzeebe and gRPC.

``PyzeebeGateway`` is the ``GatewayClient`` of the worker loop: it speaks the gateway protocol
with pyzeebe's generated stubs and channel helpers, sends the JSON documents it is given as
they are, hands activated jobs on with their variables still JSON text (decoded later, under
the depth limit, by the pipeline), and turns gRPC status codes into two typed errors:
``JobGone`` (NOT_FOUND, FAILED_PRECONDITION on a job command) and ``GatewayUnavailable``
(anything else). Nothing here decides what to do about them; ``worker.py`` does.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import grpc
from pyzeebe.channel import (
    create_insecure_channel,
    create_oauth2_client_credentials_channel,
    create_secure_channel,
)
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub

from connector.errors import GatewayUnavailable, JobGone
from connector.runtime.jobs import ActivateRequest, Job

__all__ = ["GatewayConnection", "PyzeebeGateway", "create_channel"]

T = TypeVar("T")

# Keep gRPC's own reconnect backoff short: its default grows to two minutes, which would keep a
# worker idle long after the gateway is back.
_CHANNEL_OPTIONS = (
    ("grpc.keepalive_time_ms", 45_000),
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.min_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 5_000),
)
_JOB_GONE = frozenset({grpc.StatusCode.NOT_FOUND, grpc.StatusCode.FAILED_PRECONDITION})
# The fallback pyzeebe uses when a poll has no request timeout of its own.
_DEFAULT_POLL_GRPC_TIMEOUT_S = 20.0


@dataclass(frozen=True, kw_only=True)
class GatewayConnection:
    """Where the gateway is and how to reach it; secrets stay out of ``repr``.

    Attributes:
        oauth: ``(client_id, client_secret, token_url, audience, scope)`` for OAuth client
            credentials (always over TLS), or None.
        ca_certificate_path: a PEM bundle to trust; switches on TLS.
    """

    address: str
    oauth: tuple[str, str, str, str, str | None] | None = field(default=None, repr=False)
    ca_certificate_path: Path | None = None
    tls: bool = False
    max_message_bytes: int = 16 * 1024 * 1024

    @property
    def channel_options(self) -> tuple[tuple[str, int], ...]:
        return (*_CHANNEL_OPTIONS, ("grpc.max_receive_message_length", self.max_message_bytes))

    def describe(self) -> str:
        """How the worker reaches the gateway, for the startup log line (no secrets)."""
        if self.oauth is not None:
            return "TLS + OAuth client credentials"
        if self.ca_certificate_path or self.tls:
            return "TLS"
        return "plaintext"


def create_channel(connection: GatewayConnection) -> grpc.aio.Channel:
    """A channel as configured: plaintext unless TLS or OAuth is set (SaaS implies both)."""
    path = connection.ca_certificate_path
    root_certs = path.read_bytes() if path else None
    if connection.oauth is not None:
        client_id, client_secret, token_url, audience, scope = connection.oauth
        return create_oauth2_client_credentials_channel(
            grpc_address=connection.address,
            client_id=client_id,
            client_secret=client_secret,
            authorization_server=token_url,
            scope=scope,
            audience=audience,
            channel_credentials=grpc.ssl_channel_credentials(root_certificates=root_certs),
            channel_options=connection.channel_options,
        )
    if root_certs is not None or connection.tls:
        return create_secure_channel(
            grpc_address=connection.address,
            channel_options=connection.channel_options,
            channel_credentials=grpc.ssl_channel_credentials(root_certificates=root_certs),
        )
    return create_insecure_channel(grpc_address=connection.address, channel_options=connection.channel_options)


def _detail(error: grpc.aio.AioRpcError) -> str:
    return f"{error.code().name} {error.details() or ''}".strip()


def _job(raw: pb.ActivatedJob) -> Job:
    return Job(
        key=raw.key,
        task_type=raw.type,
        retries=raw.retries,
        variables_json=raw.variables,
        headers_json=raw.customHeaders,
        deadline_ms=raw.deadline,
        process_instance_key=raw.processInstanceKey,
        bpmn_process_id=raw.bpmnProcessId,
        element_id=raw.elementId,
    )


def _encoded(variables: Mapping[str, Any]) -> str:
    return json.dumps(dict(variables), ensure_ascii=False) if variables else ""


class PyzeebeGateway:
    """A ``GatewayClient`` over a gRPC channel to the Zeebe gateway (see the module docstring)."""

    def __init__(self, channel: grpc.aio.Channel) -> None:
        self._channel = channel
        self._stub: Any = GatewayStub(channel)

    async def topology(self) -> None:
        await self._call(self._stub.Topology(pb.TopologyRequest()))

    async def activate(self, request: ActivateRequest) -> AsyncIterator[Job]:
        proto = pb.ActivateJobsRequest(
            type=request.task_type,
            worker=request.worker,
            timeout=request.timeout_ms,
            maxJobsToActivate=request.max_jobs,
            fetchVariable=list(request.fetch_variables),
            requestTimeout=request.request_timeout_ms,
        )
        # The long poll may take request_timeout_ms; the call gets twice that, as in pyzeebe.
        poll_ms = request.request_timeout_ms
        grpc_timeout_s = poll_ms / 500 if poll_ms > 0 else _DEFAULT_POLL_GRPC_TIMEOUT_S
        try:
            async for response in self._stub.ActivateJobs(proto, timeout=grpc_timeout_s):
                for raw in response.jobs:
                    yield _job(raw)
        except grpc.aio.AioRpcError as error:
            raise GatewayUnavailable(_detail(error)) from None

    async def complete(self, job_key: int, variables: Mapping[str, Any]) -> None:
        """Raises ``TypeError``/``ValueError`` when the variables are not JSON, before any request."""
        request = pb.CompleteJobRequest(jobKey=job_key, variables=_encoded(variables))
        await self._call(self._stub.CompleteJob(request), job_command=True)

    async def fail(
        self, job_key: int, *, retries: int, message: str, retry_backoff_ms: int, variables: Mapping[str, Any]
    ) -> None:
        request = pb.FailJobRequest(
            jobKey=job_key,
            retries=retries,
            errorMessage=message,
            retryBackOff=retry_backoff_ms,
            variables=_encoded(variables),
        )
        await self._call(self._stub.FailJob(request), job_command=True)

    async def throw(self, job_key: int, *, code: str, message: str, variables: Mapping[str, Any]) -> None:
        request = pb.ThrowErrorRequest(
            jobKey=job_key, errorCode=code, errorMessage=message, variables=_encoded(variables)
        )
        await self._call(self._stub.ThrowError(request), job_command=True)

    async def extend_timeout(self, job_key: int, timeout_ms: int) -> None:
        request = pb.UpdateJobTimeoutRequest(jobKey=job_key, timeout=timeout_ms)
        await self._call(self._stub.UpdateJobTimeout(request), job_command=True)

    async def close(self) -> None:
        await self._channel.close()

    @staticmethod
    async def _call(call: Awaitable[T], *, job_command: bool = False) -> T:
        try:
            return await call
        except grpc.aio.AioRpcError as error:
            if job_command and error.code() in _JOB_GONE:
                raise JobGone(_detail(error)) from None
            raise GatewayUnavailable(_detail(error)) from None
