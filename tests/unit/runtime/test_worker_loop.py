"""The worker loop's decisions, with an in-memory gateway and a clock the tests drive.

Nothing a job carries stops a task type's polling; a poll loop that dies anyway is restarted
while readiness says so; the shutdown deadline cancels what is left; reporting gives up when
the job's lock has run out; whatever the pipeline or the encoder does, the job gets an outcome.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest

from connector.errors import InputError, JobGone
from connector.retrying import Backoff
from connector.runtime.executor import BlockingExecutor
from connector.runtime.jobs import Job
from connector.runtime.metrics import HealthState
from connector.runtime.pipeline import HandlerContext, Pipeline, TaskSpec
from connector.runtime.secrets import EnvironmentSecrets
from connector.runtime.worker import PollingConfig, ZeebeRuntime
from tests.unit.runtime.worker_doubles import ManualClock, MemoryGateway, always_unavailable

CONFIG = PollingConfig(
    worker_name="test-worker",
    max_running_jobs=4,
    job_timeout_ms=10_000,
    poll_request_timeout_ms=1_000,
    shutdown_timeout_s=30.0,
    gateway_backoff=Backoff(initial_ms=100, max_ms=1_000),
    gateway_address="memory",
)


async def echo(variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
    if "metadata" in variables.get("action", {}):
        raise InputError("Invalid input:\n- action.metadata: must be strings")
    return {"echo": variables.get("value")}


def deep_document(levels: int) -> str:
    return '{"action": {"metadata": ' + '{"a": ' * levels + "1" + "}" * levels + "}}"


@pytest.fixture
async def executor() -> AsyncIterator[BlockingExecutor]:
    pool = BlockingExecutor(max_workers=2)
    yield pool
    pool.shutdown(wait=True)


class Harness:
    def __init__(self, executor: BlockingExecutor, clock: ManualClock, specs: list[TaskSpec]) -> None:
        self.gateway = MemoryGateway()
        self.health = HealthState()
        self.clock = clock
        self.stop = asyncio.Event()
        pipeline = Pipeline(secrets=EnvironmentSecrets({}), executor=executor)
        self.runtime = ZeebeRuntime(
            config=CONFIG, pipeline=pipeline, specs=specs, health=self.health, gateway=self.gateway, clock=clock.clock
        )
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self.runtime.run(self.stop))

    async def finish(self) -> None:
        self.stop.set()
        assert self.task is not None
        await asyncio.wait_for(self.task, timeout=10)


def job(key: int, task_type: str = "t", **fields: Any) -> Job:
    return Job(key=key, task_type=task_type, retries=3, deadline_ms=10**15, **fields)


class TestHostileJobs:
    async def test_a_deeply_nested_job_fails_with_retries_zero_and_polling_goes_on(
        self, executor: BlockingExecutor
    ) -> None:
        harness = Harness(executor, ManualClock(instant=True), [TaskSpec("t", (), echo)])
        harness.gateway.add(job(1, variables_json=deep_document(2_000)))
        harness.start()
        first = (await harness.gateway.wait_sent(1))[0]
        harness.gateway.add(job(2, variables_json='{"value": "after"}'))
        second = (await harness.gateway.wait_sent(2))[1]
        await harness.finish()

        assert first.kind == "fail" and first.retries == 0
        assert "nested deeper than 100 levels" in (first.message or "")
        assert "action.metadata" in (first.message or "")
        assert first.variables["error"]["code"] == "INVALID_INPUT"
        assert second.kind == "complete" and second.job_key == 2

    async def test_a_job_with_headers_that_are_not_json_still_gets_an_outcome(self, executor: BlockingExecutor) -> None:
        harness = Harness(executor, ManualClock(instant=True), [TaskSpec("t", (), echo)])
        harness.gateway.add(job(1, headers_json="{not json"))
        harness.start()
        sent = (await harness.gateway.wait_sent(1))[0]
        await harness.finish()
        assert sent.kind == "fail" and sent.retries == 0
        assert "headers" in (sent.message or "")

    async def test_a_crashing_pipeline_still_ends_the_job_as_an_internal_failure(
        self, executor: BlockingExecutor, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
    ) -> None:
        harness = Harness(executor, ManualClock(instant=True), [TaskSpec("t", (), echo)])

        async def broken(*args: Any, **kwargs: Any) -> Any:
            raise RecursionError("maximum recursion depth exceeded")

        monkeypatch.setattr(harness.runtime._pipeline, "run", broken)
        harness.gateway.add(job(1))
        harness.start()
        sent = (await harness.gateway.wait_sent(1))[0]
        await harness.finish()
        assert sent.kind == "fail" and sent.retries == 2
        assert sent.variables["error"]["code"] == "INTERNAL_ERROR"
        assert "Unexpected error running job 1" in caplog.text

    async def test_an_outcome_that_cannot_be_encoded_is_replaced_by_an_internal_failure(
        self, executor: BlockingExecutor
    ) -> None:
        async def unencodable(variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
            return {"value": object()}

        harness = Harness(executor, ManualClock(instant=True), [TaskSpec("t", (), unencodable)])

        def refuse_objects(kind: str, job_key: int) -> None:
            if kind == "complete":
                raise TypeError("Object of type object is not JSON serializable")

        harness.gateway.command_hook = refuse_objects
        harness.gateway.add(job(1, headers_json='{"resultVariable": "r"}'))
        harness.start()
        sent = (await harness.gateway.wait_sent(1))[0]
        await harness.finish()
        assert sent.kind == "fail" and sent.variables["error"]["code"] == "INTERNAL_ERROR"


class TestSupervision:
    async def test_a_poll_loop_that_dies_is_restarted_and_readiness_says_so_meanwhile(
        self, executor: BlockingExecutor, caplog: pytest.LogCaptureFixture
    ) -> None:
        clock = ManualClock()
        harness = Harness(executor, clock, [TaskSpec("t", (), echo), TaskSpec("other", (), echo)])
        broken = {"t": 1}

        def fault(task_type: str) -> None:
            if broken.get(task_type):
                broken[task_type] -= 1
                raise KeyError("a bug in the poll loop")

        harness.gateway.activate_hook = fault
        harness.start()
        for _ in range(20):
            await asyncio.sleep(0.01)
            if harness.health.snapshot()["notPolling"]:
                break
        down = harness.health.snapshot()
        assert down["ready"] is False and down["notPolling"] == ["t"]
        assert "not polling t (KeyError)" in down["detail"]
        assert "Polling t stopped unexpectedly" in caplog.text

        await clock.advance(0.05)  # the first restart waits half of the initial 100 ms backoff
        harness.gateway.add(job(1))
        sent = await harness.gateway.wait_sent(1)
        await harness.finish()
        assert sent[0].kind == "complete"
        assert harness.gateway.activations["t"] >= 2
        assert clock.sleeps[0] == 0.05


class TestShutdown:
    async def test_jobs_still_running_at_the_deadline_are_cancelled_and_not_reported(
        self, executor: BlockingExecutor, caplog: pytest.LogCaptureFixture
    ) -> None:
        started = asyncio.Event()

        async def forever(variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
            started.set()
            await asyncio.Event().wait()
            return {}

        clock = ManualClock()
        harness = Harness(executor, clock, [TaskSpec("t", (), forever)])
        harness.gateway.add(job(1))
        harness.start()
        await asyncio.wait_for(started.wait(), timeout=5)
        harness.stop.set()
        await asyncio.sleep(0.01)
        assert harness.task is not None and not harness.task.done()  # still draining
        await clock.advance(CONFIG.shutdown_timeout_s)
        await asyncio.wait_for(harness.task, timeout=5)

        assert harness.gateway.sent == []
        assert harness.gateway.closed
        assert "Cancelled 1 job(s) still running at the shutdown deadline" in caplog.text
        assert harness.health.snapshot()["stopping"] is True

    async def test_jobs_that_finish_before_the_deadline_are_reported(self, executor: BlockingExecutor) -> None:
        release = asyncio.Event()

        async def slow(variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
            await release.wait()
            return {}

        harness = Harness(executor, ManualClock(), [TaskSpec("t", (), slow)])
        harness.gateway.add(job(1))
        harness.start()
        await asyncio.sleep(0.01)
        harness.stop.set()
        await asyncio.sleep(0.01)
        release.set()
        await asyncio.wait_for(harness.task, timeout=5)  # type: ignore[arg-type]
        assert [s.kind for s in harness.gateway.sent] == ["complete"]


class TestReporting:
    async def test_reporting_gives_up_once_the_lock_has_run_out(
        self, executor: BlockingExecutor, caplog: pytest.LogCaptureFixture
    ) -> None:
        clock = ManualClock(instant=True)
        harness = Harness(executor, clock, [TaskSpec("t", (), echo)])
        harness.gateway.command_hook = always_unavailable
        deadline_ms = clock.clock.epoch_ms() + 10_000
        harness.gateway.add(Job(key=1, task_type="t", retries=3, deadline_ms=deadline_ms))
        harness.start()
        for _ in range(200):
            await asyncio.sleep(0.005)
            if "Could not report job 1" in caplog.text:
                break
        await harness.finish()

        assert "Could not report job 1 to the gateway" in caplog.text
        # Backoff 100 ms doubling to 5 s: the waits stop before the 10 s lock ends.
        waited = sum(clock.sleeps)
        assert 5 <= waited < 10
        assert harness.gateway.sent == []

    async def test_an_outcome_for_a_job_that_is_gone_is_dropped_with_a_warning(
        self, executor: BlockingExecutor, caplog: pytest.LogCaptureFixture
    ) -> None:
        harness = Harness(executor, ManualClock(instant=True), [TaskSpec("t", (), echo)])

        def gone(kind: str, job_key: int) -> None:
            raise JobGone("NOT_FOUND")

        harness.gateway.command_hook = gone
        harness.gateway.add(job(1))
        caplog.set_level(logging.WARNING)
        harness.start()
        for _ in range(200):
            await asyncio.sleep(0.005)
            if "no longer active" in caplog.text:
                break
        await harness.finish()
        assert "Job 1 is no longer active" in caplog.text
