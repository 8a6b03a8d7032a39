"""``FakeGateway``: the Zeebe gateway's job RPCs over the in-memory ``JobStore``.

Handlers run on the gRPC server's event loop; the public helpers (``create_job``, the waits and
queries) may be called from any thread, because the store is lock-protected and long-polling
requests are woken through ``loop.call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import grpc
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayServicer

from ._gateway_jobs import ActivatedJobView, JobNotActiveError, JobStore, Outcome, UnknownJobError
from .gateway_clock import GatewayClock, ManualGatewayClock, SystemGatewayClock

__all__ = ["DEFAULT_LONG_POLL_MS", "GATEWAY_VERSION", "FakeGateway"]

# Zeebe's gateway default for `requestTimeout = 0` (longPolling.timeout).
DEFAULT_LONG_POLL_MS = 10_000
GATEWAY_VERSION = "8.6.0-fake"
BPMN_PROCESS_ID = "test-process"
ELEMENT_ID = "Task_1"
DEFAULT_TENANT_ID = "<default>"

# gRPC handler contexts are untyped (grpc ships no stubs); this keeps the signatures honest.
ServicerContext = Any


class _Pollers:
    """Long-polling ActivateJobs requests waiting for a change, keyed by their wake-up event."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[asyncio.Event, tuple[asyncio.AbstractEventLoop, str]] = {}

    @contextlib.contextmanager
    def register(self, job_type: str) -> Iterator[asyncio.Event]:
        woken = asyncio.Event()
        with self._lock:
            self._waiting[woken] = (asyncio.get_running_loop(), job_type)
        try:
            yield woken
        finally:
            with self._lock:
                del self._waiting[woken]

    def wake_all(self) -> None:
        with self._lock:
            waiting = list(self._waiting.items())
        for woken, (loop, _) in waiting:
            # The loop may be shutting down with the server; its pollers are being cancelled anyway.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(woken.set)

    def count(self, job_type: str | None) -> int:
        with self._lock:
            return sum(1 for _, polled in self._waiting.values() if job_type in (None, polled))


def _parse_variables(document: str) -> dict[str, Any]:
    """Zeebe's rule: variables are a JSON object, or empty for none."""
    if not document.strip():
        return {}
    try:
        parsed = json.loads(document)
    except json.JSONDecodeError as error:
        raise ValueError(f"Property 'variables' is invalid: {error}") from error
    if not isinstance(parsed, dict):
        kind = "NIL" if parsed is None else type(parsed).__name__.upper()
        raise ValueError(
            f"Property 'variables' is invalid: Expected document to be a root level object, but was '{kind}'"
        )
    return parsed


def _batches(jobs: list[pb.ActivatedJob], max_bytes: int) -> Iterator[list[pb.ActivatedJob]]:
    batch: list[pb.ActivatedJob] = []
    size = 0
    for job in jobs:
        job_size = job.ByteSize()
        if batch and size + job_size > max_bytes:
            yield batch
            batch, size = [], 0
        batch.append(job)
        size += job_size
    if batch:
        yield batch


def _to_proto(view: ActivatedJobView) -> pb.ActivatedJob:
    return pb.ActivatedJob(
        key=view.key,
        type=view.type,
        processInstanceKey=view.process_instance_key,
        bpmnProcessId=BPMN_PROCESS_ID,
        processDefinitionVersion=1,
        processDefinitionKey=view.process_definition_key,
        elementId=ELEMENT_ID,
        elementInstanceKey=view.element_instance_key,
        customHeaders=view.custom_headers_json,
        worker=view.worker,
        retries=view.retries,
        deadline=view.deadline_epoch_ms,
        variables=view.variables_json,
        tenantId=DEFAULT_TENANT_ID,
    )


class FakeGateway(GatewayServicer):
    """An in-memory Zeebe gateway for job workers: activation, long polling, locks and outcomes.

    RPCs not overridden here keep the generated base behaviour and answer UNIMPLEMENTED.
    """

    def __init__(self, clock: GatewayClock | None = None) -> None:
        self._pollers = _Pollers()
        self.clock: GatewayClock = clock or SystemGatewayClock()
        self._store = JobStore(on_change=self._pollers.wake_all, clock=self.clock)
        if isinstance(self.clock, ManualGatewayClock):
            self.clock.on_advance(self._pollers.wake_all)
        self._faults: dict[str, list[tuple[grpc.StatusCode, str]]] = {}
        self._faults_lock = threading.Lock()
        # Zeebe's gateway default (maxMessageSize 4 MiB), with room for the response's framing.
        self.max_message_bytes = 4 * 1024 * 1024 - 64 * 1024
        # Set by the server once bound, so Topology names the real port.
        self.advertised_host = "127.0.0.1"
        self.advertised_port = 0

    # ---- test-facing API (any thread) ----

    def create_job(
        self,
        job_type: str,
        variables: dict[str, Any],
        custom_headers: dict[str, str] | None = None,
        retries: int = 3,
        *,
        raw_variables_json: str | None = None,
    ) -> int:
        """Create an activatable job and return its key; waiting ActivateJobs requests see it at once.

        ``raw_variables_json`` is handed out verbatim instead of ``variables`` (fetch filters do
        not apply), for documents Python's encoder cannot produce, such as very deep nesting.
        """
        return self._store.create(job_type, variables, custom_headers or {}, retries, raw_variables_json)

    def outcomes(self, job_key: int | None = None) -> list[Outcome]:
        """Outcomes recorded for ``job_key`` (all jobs when None), oldest first."""
        return self._store.outcomes(job_key)

    def wait_for_outcome(self, job_key: int, timeout_s: float = 10.0) -> Outcome:
        """The first outcome recorded for ``job_key``; raises AssertionError listing all outcomes on timeout."""
        return self._store.wait_for_outcome(job_key, timeout_s)

    def activation_count(self, job_key: int) -> int:
        return self._store.activation_count(job_key)

    def wait_for_activation(self, job_key: int, timeout_s: float = 10.0, count: int = 1) -> int:
        """Wait until ``job_key`` was activated ``count`` times; returns the count, AssertionError on timeout."""
        return self._store.wait_for_activation(job_key, timeout_s, count)

    def timeout_updates(self, job_key: int) -> list[int]:
        """Timeouts (ms) of the accepted UpdateJobTimeout requests for ``job_key``, in order."""
        return self._store.timeout_updates(job_key)

    def answer_next(
        self, rpc: str, code: grpc.StatusCode, message: str = "injected by the test", times: int = 1
    ) -> None:
        """Answer the next ``times`` calls of ``rpc`` (e.g. ``"CompleteJob"``) with ``code`` instead of
        doing them, as a gateway that lost a job or is overloaded would."""
        with self._faults_lock:
            self._faults.setdefault(rpc, []).extend([(code, message)] * times)

    async def _injected(self, rpc: str, context: ServicerContext) -> None:
        with self._faults_lock:
            queued = self._faults.get(rpc)
            fault = queued.pop(0) if queued else None
        if fault is not None:
            await context.abort(*fault)

    def pending_polls(self, job_type: str | None = None) -> int:
        """ActivateJobs requests currently long-polling (for ``job_type``, or any type when None)."""
        return self._pollers.count(job_type)

    # ---- RPCs ----

    async def ActivateJobs(
        self, request: pb.ActivateJobsRequest, context: ServicerContext
    ) -> AsyncIterator[pb.ActivateJobsResponse]:
        await self._injected("ActivateJobs", context)
        if not request.type.strip():
            await context.abort(
                grpc.StatusCode.INVALID_ARGUMENT, "Expected to activate jobs of a type, but it was blank"
            )
        if request.maxJobsToActivate < 1:
            await context.abort(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"Expected to activate at least 1 job, but maxJobsToActivate was {request.maxJobsToActivate}",
            )
        jobs = await self._long_poll(request)
        # Zeebe ends an unsuccessful long poll with no message at all, not an empty response,
        # and splits a batch over several responses that each stay within its message size.
        for batch in _batches([_to_proto(job) for job in jobs], self.max_message_bytes):
            yield pb.ActivateJobsResponse(jobs=batch)

    async def _long_poll(self, request: pb.ActivateJobsRequest) -> list[ActivatedJobView]:
        request_timeout_ms = request.requestTimeout or DEFAULT_LONG_POLL_MS
        give_up_at_s = self.clock.monotonic() + max(request_timeout_ms, 0) / 1000

        def attempt() -> list[ActivatedJobView]:
            return self._store.activate(
                request.type, request.worker, request.timeout, request.maxJobsToActivate, request.fetchVariable
            )

        with self._pollers.register(request.type) as woken:
            while True:
                # Clear before looking, so a job created between the look and the wait still wakes us.
                woken.clear()
                jobs = attempt()
                now_s = self.clock.monotonic()
                if jobs or request_timeout_ms < 0 or now_s >= give_up_at_s:
                    return jobs
                # Locks and backoffs expire silently, so wake up for the next one of them too.
                next_change_s = self._store.next_change_s(request.type)
                wake_at_s = give_up_at_s if next_change_s is None else min(give_up_at_s, next_change_s)
                # A manual clock wakes the poll when it advances; the system clock needs a timeout.
                timeout_s = None if self.clock.manual else max(wake_at_s - now_s, 0.0)
                # A cancelled client call cancels this await, which ends the poll without activating.
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(woken.wait(), timeout=timeout_s)

    async def StreamActivatedJobs(
        self, request: pb.StreamActivatedJobsRequest, context: ServicerContext
    ) -> AsyncIterator[pb.ActivatedJob]:
        # Workers must fall back to ActivateJobs, as against a gateway with streaming disabled.
        await context.abort(grpc.StatusCode.UNIMPLEMENTED, "Job streaming is not supported by the gateway double")
        yield pb.ActivatedJob()  # pragma: no cover - unreachable; makes this an async generator

    async def CompleteJob(self, request: pb.CompleteJobRequest, context: ServicerContext) -> pb.CompleteJobResponse:
        await self._injected("CompleteJob", context)
        variables = await self._variables(request.variables, context)
        await self._apply(
            context, "COMPLETE", "complete", request.jobKey, lambda: self._store.complete(request.jobKey, variables)
        )
        return pb.CompleteJobResponse()

    async def FailJob(self, request: pb.FailJobRequest, context: ServicerContext) -> pb.FailJobResponse:
        await self._injected("FailJob", context)
        variables = await self._variables(request.variables, context)

        def fail() -> None:
            self._store.fail(request.jobKey, request.retries, request.errorMessage, request.retryBackOff, variables)

        await self._apply(context, "FAIL", "fail", request.jobKey, fail)
        return pb.FailJobResponse()

    async def ThrowError(self, request: pb.ThrowErrorRequest, context: ServicerContext) -> pb.ThrowErrorResponse:
        await self._injected("ThrowError", context)
        variables = await self._variables(request.variables, context)

        def throw() -> None:
            self._store.throw_error(request.jobKey, request.errorCode, request.errorMessage, variables)

        await self._apply(context, "THROW_ERROR", "throw an error for", request.jobKey, throw)
        return pb.ThrowErrorResponse()

    async def UpdateJobTimeout(
        self, request: pb.UpdateJobTimeoutRequest, context: ServicerContext
    ) -> pb.UpdateJobTimeoutResponse:
        await self._injected("UpdateJobTimeout", context)

        def update() -> None:
            self._store.update_timeout(request.jobKey, request.timeout)

        await self._apply(context, "UPDATE_TIMEOUT", "update", request.jobKey, update)
        return pb.UpdateJobTimeoutResponse()

    async def Topology(self, request: pb.TopologyRequest, context: ServicerContext) -> pb.TopologyResponse:
        partition = pb.Partition(
            partitionId=1,
            role=pb.Partition.PartitionBrokerRole.LEADER,
            health=pb.Partition.PartitionBrokerHealth.HEALTHY,
        )
        broker = pb.BrokerInfo(
            nodeId=0,
            host=self.advertised_host,
            port=self.advertised_port,
            partitions=[partition],
            version=GATEWAY_VERSION,
        )
        return pb.TopologyResponse(
            brokers=[broker], clusterSize=1, partitionsCount=1, replicationFactor=1, gatewayVersion=GATEWAY_VERSION
        )

    # ---- helpers ----

    @staticmethod
    async def _variables(document: str, context: ServicerContext) -> dict[str, Any]:
        try:
            return _parse_variables(document)
        except ValueError as error:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(error))
            raise  # pragma: no cover - abort raises

    @staticmethod
    async def _apply(
        context: ServicerContext, intent: str, verb: str, job_key: int, command: Callable[[], None]
    ) -> None:
        """Run a job command, answering with the status and message shape the real gateway uses."""
        try:
            command()
        except UnknownJobError:
            await context.abort(
                grpc.StatusCode.NOT_FOUND,
                f"Command '{intent}' rejected with code 'NOT_FOUND': "
                f"Expected to {verb} job with key '{job_key}', but no such job was found",
            )
        except JobNotActiveError:
            await context.abort(
                grpc.StatusCode.FAILED_PRECONDITION,
                f"Command '{intent}' rejected with code 'INVALID_STATE': "
                f"Expected to update the timeout of job with key '{job_key}', but it is not active",
            )
