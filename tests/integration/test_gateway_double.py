"""The Zeebe gateway double, driven through pyzeebe's real gRPC client.

These tests pin down the behaviour the worker's own tests rely on: activation and long polling,
job locks, retries with backoff, recorded outcomes, Zeebe's error codes and gateway restarts.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from typing import Any

import grpc
import pytest
from pyzeebe.errors import (
    ActivateJobsRequestInvalidError,
    JobAlreadyDeactivatedError,
    JobNotFoundError,
    ZeebeGatewayUnavailableError,
)
from pyzeebe.grpc_internals.zeebe_adapter import ZeebeAdapter
from pyzeebe.job.job import Job
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub

from testkit.gateway import DEFAULT_LONG_POLL_MS, GATEWAY_VERSION, FakeGateway, GatewayServer
from testkit.gateway_clock import ManualGatewayClock

TASK = "s3-connector:upload:1"
LONG_LOCK_MS = 60_000

JobCommand = Callable[[ZeebeAdapter, int], Awaitable[object]]


@pytest.fixture
def clock() -> ManualGatewayClock:
    """The double's time: locks, backoffs and long polls end when a test advances it."""
    return ManualGatewayClock()


@pytest.fixture
def server(clock: ManualGatewayClock) -> Iterator[GatewayServer]:
    with GatewayServer(FakeGateway(clock=clock)) as running:  # type: ignore[abstract]
        yield running


@pytest.fixture
def gateway(server: GatewayServer) -> FakeGateway:
    return server.gateway


@pytest.fixture
async def channel(server: GatewayServer) -> AsyncIterator[grpc.aio.Channel]:
    channel = grpc.aio.insecure_channel(server.address)
    yield channel
    await channel.close()


@pytest.fixture
def adapter(channel: grpc.aio.Channel) -> ZeebeAdapter:
    return ZeebeAdapter(channel, max_connection_retries=-1)


@pytest.fixture
def stub(channel: grpc.aio.Channel) -> GatewayStub:
    return GatewayStub(channel)


async def activate(
    adapter: ZeebeAdapter,
    job_type: str = TASK,
    *,
    worker: str = "worker-1",
    timeout_ms: int = LONG_LOCK_MS,
    max_jobs: int = 10,
    fetch: Iterable[str] = (),
    request_timeout_ms: int = -1,
) -> list[Job]:
    """One ActivateJobs call; a negative request timeout asks Zeebe not to long-poll."""
    jobs = adapter.activate_jobs(job_type, worker, timeout_ms, max_jobs, fetch, request_timeout_ms)
    return [job async for job in jobs]


def gateway_address(gateway: FakeGateway) -> str:
    return f"{gateway.advertised_host}:{gateway.advertised_port}"


async def collect(stream: AsyncIterator[pb.ActivateJobsResponse]) -> list[pb.ActivateJobsResponse]:
    return [response async for response in stream]


async def still_pending(poll: asyncio.Future[Any]) -> None:
    """The poll has had the chance to end (a round trip to the double) and has not."""
    await asyncio.sleep(0.05)
    assert not poll.done()


async def wait_until(condition: Callable[[], bool], timeout_s: float = 2.0) -> None:
    deadline_s = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline_s, "condition not reached in time"
        await asyncio.sleep(0.01)


class TestActivation:
    async def test_returns_the_variables_headers_and_metadata_of_the_job(
        self, adapter: ZeebeAdapter, gateway: FakeGateway
    ) -> None:
        variables = {"bucket": "b", "action": {"key": "k"}}
        key = gateway.create_job(TASK, variables, {"resultVariable": "result"}, retries=5)

        [job] = await activate(adapter, worker="worker-1", timeout_ms=30_000)

        assert (job.key, job.type, job.worker, job.retries) == (key, TASK, "worker-1", 5)
        assert dict(job.variables) == variables
        assert dict(job.custom_headers) == {"resultVariable": "result"}
        assert (job.bpmn_process_id, job.element_id, job.tenant_id) == ("test-process", "Task_1", "<default>")
        assert job.deadline == gateway.clock.epoch_ms() + 30_000
        assert gateway.activation_count(key) == 1

    async def test_gives_every_job_its_own_instance_keys(self, adapter: ZeebeAdapter, gateway: FakeGateway) -> None:
        gateway.create_job(TASK, {})
        gateway.create_job(TASK, {})

        jobs = await activate(adapter)

        keys = [k for job in jobs for k in (job.key, job.process_instance_key, job.element_instance_key)]
        assert len(jobs) == 2
        assert len(set(keys)) == 6
        assert all(k > 0 for k in keys)

    async def test_fetch_variable_sends_only_the_named_top_level_variables(
        self, adapter: ZeebeAdapter, gateway: FakeGateway
    ) -> None:
        gateway.create_job(TASK, {"a": 1, "b": {"c": 2}, "d": 3})

        [job] = await activate(adapter, fetch=["b", "missing"])

        assert dict(job.variables) == {"b": {"c": 2}}

    async def test_activates_at_most_max_jobs_to_activate_oldest_first(
        self, adapter: ZeebeAdapter, gateway: FakeGateway
    ) -> None:
        keys = [gateway.create_job(TASK, {"n": n}) for n in range(3)]

        first = await activate(adapter, max_jobs=2)
        second = await activate(adapter, max_jobs=2)

        assert [job.key for job in first] == keys[:2]
        assert [job.key for job in second] == keys[2:]

    async def test_a_batch_is_split_over_responses_within_zeebes_message_size(
        self, stub: GatewayStub, gateway: FakeGateway
    ) -> None:
        keys = [gateway.create_job(TASK, {"blob": "x" * 1_500_000}) for _ in range(4)]
        request = pb.ActivateJobsRequest(
            type=TASK, worker="w", timeout=LONG_LOCK_MS, maxJobsToActivate=4, requestTimeout=-1
        )
        channel_options = [("grpc.max_receive_message_length", 4 * 1024 * 1024)]
        async with grpc.aio.insecure_channel(gateway_address(gateway), options=channel_options) as small:
            responses = [response async for response in GatewayStub(small).ActivateJobs(request, timeout=5)]

        assert len(responses) >= 2
        assert all(response.ByteSize() <= 4 * 1024 * 1024 for response in responses)
        assert [job.key for response in responses for job in response.jobs] == keys

    async def test_only_activates_jobs_of_the_requested_type(self, adapter: ZeebeAdapter, gateway: FakeGateway) -> None:
        other = gateway.create_job("other-type", {})

        assert await activate(adapter) == []
        assert gateway.activation_count(other) == 0

    async def test_does_not_hand_out_a_locked_job_again(self, adapter: ZeebeAdapter, gateway: FakeGateway) -> None:
        gateway.create_job(TASK, {})
        await activate(adapter)

        assert await activate(adapter, worker="worker-2") == []

    @pytest.mark.parametrize(("job_type", "max_jobs"), [("", 1), (TASK, 0), (TASK, -1)])
    async def test_rejects_a_blank_type_or_no_jobs_wanted(
        self, adapter: ZeebeAdapter, job_type: str, max_jobs: int
    ) -> None:
        with pytest.raises(ActivateJobsRequestInvalidError) as raised:
            await activate(adapter, job_type, max_jobs=max_jobs)

        assert isinstance(raised.value.__cause__, grpc.aio.AioRpcError)
        assert raised.value.__cause__.code() == grpc.StatusCode.INVALID_ARGUMENT


class TestLongPolling:
    async def test_returns_as_soon_as_a_job_is_created_during_the_poll(
        self, adapter: ZeebeAdapter, gateway: FakeGateway
    ) -> None:
        poll = asyncio.ensure_future(activate(adapter, request_timeout_ms=5_000))
        await wait_until(lambda: gateway.pending_polls(TASK) == 1)

        key = gateway.create_job(TASK, {})
        # The clock stands still: only the new job can have ended the poll.
        jobs = await asyncio.wait_for(poll, timeout=5)

        assert [job.key for job in jobs] == [key]

    async def test_ends_the_stream_without_a_response_when_the_timeout_passes(
        self, stub: GatewayStub, gateway: FakeGateway, clock: ManualGatewayClock
    ) -> None:
        request = pb.ActivateJobsRequest(type=TASK, worker="w", timeout=1_000, maxJobsToActivate=1, requestTimeout=300)
        poll = asyncio.ensure_future(collect(stub.ActivateJobs(request, timeout=5)))
        await wait_until(lambda: gateway.pending_polls(TASK) == 1)

        clock.advance(0.299)
        await still_pending(poll)
        clock.advance(0.001)

        assert await asyncio.wait_for(poll, timeout=5) == []
        assert gateway.pending_polls() == 0

    async def test_a_zero_request_timeout_long_polls_with_the_default(
        self, adapter: ZeebeAdapter, gateway: FakeGateway, clock: ManualGatewayClock
    ) -> None:
        poll = asyncio.ensure_future(activate(adapter, request_timeout_ms=0))
        await wait_until(lambda: gateway.pending_polls(TASK) == 1)
        clock.advance(DEFAULT_LONG_POLL_MS / 1000 - 0.1)
        await still_pending(poll)

        key = gateway.create_job(TASK, {})

        assert [job.key for job in await asyncio.wait_for(poll, timeout=5)] == [key]

    async def test_a_negative_request_timeout_answers_at_once(self, adapter: ZeebeAdapter) -> None:
        # The clock stands still, so a poll that waited at all would never end.
        assert await asyncio.wait_for(activate(adapter, request_timeout_ms=-1), timeout=5) == []

    async def test_a_cancelled_poll_stops_waiting_and_activates_nothing(
        self, stub: GatewayStub, adapter: ZeebeAdapter, gateway: FakeGateway
    ) -> None:
        request = pb.ActivateJobsRequest(
            type=TASK, worker="w", timeout=LONG_LOCK_MS, maxJobsToActivate=1, requestTimeout=5_000
        )
        call = stub.ActivateJobs(request)
        await wait_until(lambda: gateway.pending_polls(TASK) == 1)

        call.cancel()
        await wait_until(lambda: gateway.pending_polls(TASK) == 0)
        key = gateway.create_job(TASK, {})

        assert gateway.activation_count(key) == 0
        assert [job.key for job in await activate(adapter)] == [key]


class TestOutcomes:
    async def test_complete_is_recorded_with_its_variables(self, adapter: ZeebeAdapter, gateway: FakeGateway) -> None:
        key = gateway.create_job(TASK, {})
        [job] = await activate(adapter)

        await adapter.complete_job(job.key, {"result": {"eTag": "abc"}})

        outcome = gateway.wait_for_outcome(key, timeout_s=1)
        assert (outcome.kind, outcome.job_key, outcome.variables) == ("complete", key, {"result": {"eTag": "abc"}})
        assert (outcome.retries, outcome.error_message, outcome.error_code) == (None, None, None)
        assert gateway.outcomes(key) == [outcome]

    async def test_fail_is_recorded_with_retries_message_backoff_and_variables(
        self, adapter: ZeebeAdapter, gateway: FakeGateway
    ) -> None:
        key = gateway.create_job(TASK, {}, retries=3)
        await activate(adapter)

        await adapter.fail_job(key, retries=2, message="S3 said no", retry_back_off_ms=1_500, variables={"x": 1})

        outcome = gateway.wait_for_outcome(key, timeout_s=1)
        assert outcome.kind == "fail"
        assert (outcome.retries, outcome.error_message, outcome.retry_backoff_ms) == (2, "S3 said no", 1_500)
        assert (outcome.variables, outcome.error_code) == ({"x": 1}, None)

    async def test_throw_error_is_recorded_with_code_message_and_variables(
        self, adapter: ZeebeAdapter, gateway: FakeGateway
    ) -> None:
        key = gateway.create_job(TASK, {})
        await activate(adapter)

        await adapter.throw_error(key, "no such bucket", {"bucket": "b"}, error_code="NO_SUCH_BUCKET")

        outcome = gateway.wait_for_outcome(key, timeout_s=1)
        assert (outcome.kind, outcome.error_code, outcome.error_message) == (
            "throw",
            "NO_SUCH_BUCKET",
            "no such bucket",
        )
        assert (outcome.variables, outcome.retries) == ({"bucket": "b"}, None)

    async def test_a_waiter_on_another_thread_sees_the_outcome(
        self, adapter: ZeebeAdapter, gateway: FakeGateway
    ) -> None:
        key = gateway.create_job(TASK, {})
        waiter = asyncio.ensure_future(asyncio.to_thread(gateway.wait_for_outcome, key, 5.0))

        await adapter.complete_job(key, {})

        assert (await waiter).kind == "complete"

    async def test_waiting_in_vain_lists_the_recorded_outcomes(
        self, adapter: ZeebeAdapter, gateway: FakeGateway
    ) -> None:
        done = gateway.create_job(TASK, {})
        pending = gateway.create_job(TASK, {})
        await adapter.complete_job(done, {})

        with pytest.raises(AssertionError, match=f"no outcome for job {pending}.*job_key={done}"):
            gateway.wait_for_outcome(pending, timeout_s=0.1)

    async def test_variables_that_are_not_a_json_object_are_rejected(
        self, stub: GatewayStub, gateway: FakeGateway
    ) -> None:
        key = gateway.create_job(TASK, {})

        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await stub.CompleteJob(pb.CompleteJobRequest(jobKey=key, variables="[1, 2]"))

        assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert gateway.outcomes(key) == []


async def _complete(adapter: ZeebeAdapter, key: int) -> object:
    return await adapter.complete_job(key, {})


async def _fail(adapter: ZeebeAdapter, key: int) -> object:
    return await adapter.fail_job(key, retries=1, message="boom", retry_back_off_ms=0, variables={})


async def _fail_for_good(adapter: ZeebeAdapter, key: int) -> object:
    return await adapter.fail_job(key, retries=0, message="boom", retry_back_off_ms=0, variables={})


async def _throw(adapter: ZeebeAdapter, key: int) -> object:
    return await adapter.throw_error(key, "bad", {}, error_code="BAD")


async def _update_timeout(adapter: ZeebeAdapter, key: int) -> object:
    return await adapter.update_job_timeout(key, 1_000)


ALL_COMMANDS = pytest.mark.parametrize("command", [_complete, _fail, _throw, _update_timeout])


class TestUnknownAndFinishedJobs:
    @ALL_COMMANDS
    async def test_an_unknown_job_is_not_found(self, adapter: ZeebeAdapter, command: JobCommand) -> None:
        with pytest.raises(JobNotFoundError) as raised:
            await command(adapter, 2251799813685999)

        assert isinstance(raised.value.__cause__, grpc.aio.AioRpcError)
        assert raised.value.__cause__.code() == grpc.StatusCode.NOT_FOUND

    @ALL_COMMANDS
    @pytest.mark.parametrize("finish", [_complete, _throw, _fail_for_good])
    async def test_a_finished_job_is_not_found(
        self, adapter: ZeebeAdapter, gateway: FakeGateway, command: JobCommand, finish: JobCommand
    ) -> None:
        key = gateway.create_job(TASK, {})
        await activate(adapter)
        await finish(adapter, key)

        with pytest.raises(JobNotFoundError):
            await command(adapter, key)
        assert len(gateway.outcomes(key)) == 1
        assert await activate(adapter) == []


class TestRetries:
    async def test_a_failed_job_with_retries_comes_back_only_after_the_backoff(
        self, adapter: ZeebeAdapter, gateway: FakeGateway, clock: ManualGatewayClock
    ) -> None:
        key = gateway.create_job(TASK, {}, retries=3)
        await activate(adapter)
        await adapter.fail_job(key, retries=2, message="throttled", retry_back_off_ms=400, variables={})

        assert await activate(adapter) == []
        clock.advance(0.399)
        assert await activate(adapter) == []
        clock.advance(0.001)
        [job] = await activate(adapter)

        assert (job.key, job.retries) == (key, 2)
        assert gateway.activation_count(key) == 2

    async def test_a_failed_job_without_backoff_is_activatable_at_once(
        self, adapter: ZeebeAdapter, gateway: FakeGateway
    ) -> None:
        key = gateway.create_job(TASK, {}, retries=3)
        await activate(adapter)

        await adapter.fail_job(key, retries=1, message="flaky", retry_back_off_ms=0, variables={})

        [job] = await activate(adapter)
        assert (job.key, job.retries) == (key, 1)


class TestJobLocks:
    async def test_an_expired_lock_makes_the_job_activatable_again(
        self, adapter: ZeebeAdapter, gateway: FakeGateway, clock: ManualGatewayClock
    ) -> None:
        key = gateway.create_job(TASK, {})
        await activate(adapter, worker="worker-1", timeout_ms=300)

        assert await activate(adapter, worker="worker-2") == []
        clock.advance(0.299)
        assert await activate(adapter, worker="worker-2") == []
        clock.advance(0.001)
        [job] = await activate(adapter, worker="worker-2")

        assert (job.key, job.worker) == (key, "worker-2")
        assert gateway.wait_for_activation(key, timeout_s=0, count=2) == 2

    async def test_update_job_timeout_is_recorded_and_extends_the_lock(
        self, adapter: ZeebeAdapter, gateway: FakeGateway, clock: ManualGatewayClock
    ) -> None:
        key = gateway.create_job(TASK, {})
        await activate(adapter, timeout_ms=500)

        await adapter.update_job_timeout(key, 2_000)

        assert gateway.timeout_updates(key) == [2_000]
        clock.advance(1.999)  # past the original 500 ms lock, not the extended one
        assert await activate(adapter, worker="worker-2") == []
        clock.advance(0.001)
        assert [job.key for job in await activate(adapter, worker="worker-2")] == [key]
        assert gateway.activation_count(key) == 2

    async def test_a_shortened_lock_frees_the_job_for_a_waiting_poll(
        self, adapter: ZeebeAdapter, gateway: FakeGateway, clock: ManualGatewayClock
    ) -> None:
        key = gateway.create_job(TASK, {})
        await activate(adapter, timeout_ms=LONG_LOCK_MS)
        poll = asyncio.ensure_future(activate(adapter, worker="worker-2", request_timeout_ms=5_000))
        await wait_until(lambda: gateway.pending_polls(TASK) == 1)

        await adapter.update_job_timeout(key, 200)
        await still_pending(poll)
        clock.advance(0.2)

        [job] = await asyncio.wait_for(poll, timeout=5)
        assert (job.key, job.worker) == (key, "worker-2")

    async def test_update_job_timeout_of_a_job_no_worker_holds_is_rejected(
        self, adapter: ZeebeAdapter, gateway: FakeGateway
    ) -> None:
        key = gateway.create_job(TASK, {})

        with pytest.raises(JobAlreadyDeactivatedError):
            await adapter.update_job_timeout(key, 1_000)
        assert gateway.timeout_updates(key) == []


class TestOtherRpcs:
    async def test_stream_activated_jobs_is_unimplemented(self, stub: GatewayStub) -> None:
        request = pb.StreamActivatedJobsRequest(type=TASK, worker="w", timeout=1_000)

        with pytest.raises(grpc.aio.AioRpcError) as raised:
            async for _ in stub.StreamActivatedJobs(request, timeout=5):
                pass

        assert raised.value.code() == grpc.StatusCode.UNIMPLEMENTED

    async def test_rpcs_outside_the_job_api_are_unimplemented(self, stub: GatewayStub) -> None:
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await stub.CreateProcessInstance(pb.CreateProcessInstanceRequest(bpmnProcessId="p"), timeout=5)

        assert raised.value.code() == grpc.StatusCode.UNIMPLEMENTED

    async def test_topology_describes_a_single_broker_cluster(
        self, adapter: ZeebeAdapter, server: GatewayServer
    ) -> None:
        topology = await adapter.topology()

        assert (topology.cluster_size, topology.partitions_count, topology.replication_factor) == (1, 1, 1)
        assert topology.gateway_version == GATEWAY_VERSION
        [broker] = topology.brokers
        assert f"{broker.host}:{broker.port}" == server.address
        assert [partition.partition_id for partition in broker.partitions] == [1]

    async def test_health_check_reports_serving(self, adapter: ZeebeAdapter) -> None:
        response = await adapter.healthcheck()

        assert response.status == 1  # SERVING


class TestGatewayRestart:
    async def test_an_in_flight_poll_fails_as_unavailable_when_the_gateway_stops(
        self, adapter: ZeebeAdapter, gateway: FakeGateway, server: GatewayServer
    ) -> None:
        poll = asyncio.ensure_future(activate(adapter, request_timeout_ms=5_000))
        await wait_until(lambda: gateway.pending_polls(TASK) == 1)

        await asyncio.to_thread(server.stop)

        with pytest.raises(ZeebeGatewayUnavailableError):
            await asyncio.wait_for(poll, timeout=2)
        assert gateway.pending_polls() == 0

    async def test_a_restart_keeps_the_port_and_the_jobs_and_clients_reconnect(
        self, adapter: ZeebeAdapter, gateway: FakeGateway, server: GatewayServer
    ) -> None:
        locked = gateway.create_job(TASK, {})
        await activate(adapter)
        waiting = gateway.create_job(TASK, {"kept": True})
        address = server.address

        await asyncio.to_thread(server.stop)
        with pytest.raises(ZeebeGatewayUnavailableError):
            await activate(adapter)
        await asyncio.to_thread(server.restart)

        assert server.address == address
        jobs = await _activate_once_reconnected(adapter)
        assert [(job.key, dict(job.variables)) for job in jobs] == [(waiting, {"kept": True})]
        await adapter.complete_job(locked, {})
        assert gateway.wait_for_outcome(locked, timeout_s=1).kind == "complete"

    def test_restart_while_running_serves_again_on_the_same_address(self, server: GatewayServer) -> None:
        key = server.gateway.create_job(TASK, {})
        address = server.address

        server.restart()

        assert server.address == address
        assert _activate_with_a_blocking_client(address) == [key]


async def _activate_once_reconnected(adapter: ZeebeAdapter, timeout_s: float = 5.0) -> list[Job]:
    # gRPC channels back off (about a second) before reconnecting; a worker just keeps polling.
    deadline_s = time.monotonic() + timeout_s
    while True:
        try:
            return await activate(adapter)
        except ZeebeGatewayUnavailableError:
            if time.monotonic() > deadline_s:
                raise
            await asyncio.sleep(0.05)


def _activate_with_a_blocking_client(address: str) -> list[int]:
    request = pb.ActivateJobsRequest(
        type=TASK, worker="w", timeout=LONG_LOCK_MS, maxJobsToActivate=5, requestTimeout=-1
    )
    with grpc.insecure_channel(address) as channel:
        responses = list(GatewayStub(channel).ActivateJobs(request, timeout=5, wait_for_ready=True))
    return [job.key for response in responses for job in response.jobs]


class TestSynchronousUse:
    def test_a_plain_test_drives_the_double_with_a_blocking_client(self, server: GatewayServer) -> None:
        key = server.gateway.create_job(TASK, {})

        assert _activate_with_a_blocking_client(server.address) == [key]
        with grpc.insecure_channel(server.address) as channel:
            GatewayStub(channel).CompleteJob(pb.CompleteJobRequest(jobKey=key, variables='{"done": true}'), timeout=5)

        assert server.gateway.wait_for_outcome(key, timeout_s=1).variables == {"done": True}
