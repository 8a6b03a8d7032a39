"""The pipeline end to end without a network: headers, secrets, handler, mapping, outcome."""

import threading
from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest

from connector.errors import ConnectorError, InputError
from connector.redaction import Redactor
from connector.runtime.executor import BlockingExecutor
from connector.runtime.jobs import Job
from connector.runtime.outcome import Complete, Fail, Throw
from connector.runtime.pipeline import HandlerContext, Pipeline, TaskSpec
from connector.runtime.secrets import EnvironmentSecrets


class Recorder:
    def __init__(self) -> None:
        self.ends: list[tuple[str, str]] = []
        self.starts: list[str] = []

    def on_job_start(self, task_type: str) -> None:
        self.starts.append(task_type)

    def on_job_end(self, task_type: str, outcome: str, duration_s: float) -> None:
        self.ends.append((task_type, outcome))

    def on_bytes(self, direction: str, count: int) -> None:
        return None


@pytest.fixture
async def executor() -> AsyncIterator[BlockingExecutor]:
    pool = BlockingExecutor(max_workers=2)
    yield pool
    pool.shutdown(wait=True)


def make_pipeline(executor: BlockingExecutor, observer: Recorder | None = None) -> Pipeline:
    secrets = EnvironmentSecrets({"SECRET_TOKEN": "tok-3141592653"})
    return Pipeline(secrets=secrets, executor=executor, observer=observer)


async def echo(variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
    # Blocking work goes through the executor, as the S3 handlers do.
    upper = await ctx.executor.run(str.upper, str(variables.get("value", "")))
    return {"value": upper, "token": variables.get("token")}


async def fail_with_secret(variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
    raise ConnectorError(f"upstream rejected token {variables['token']}", code="Rejected")


async def crash(variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
    raise RuntimeError(f"bug while handling {variables['token']}")


def job(variables: dict[str, Any], headers: dict[str, str] | None = None, retries: int = 3) -> Job:
    return Job.of(key=7, task_type="t", retries=retries, variables=variables, headers=headers or {})


class TestSuccess:
    async def test_completes_with_result_variable_and_resolved_secret(self, executor: BlockingExecutor) -> None:
        recorder = Recorder()
        seen: list[Any] = []

        async def remember(variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
            seen.append(variables["token"])
            return await echo(variables, ctx)

        outcome = await make_pipeline(executor, recorder).run(
            job({"value": "abc", "token": "{{secrets.TOKEN}}"}, {"resultVariable": "out"}), TaskSpec("t", (), remember)
        )
        assert seen == ["tok-3141592653"]  # the handler works with the secret...
        assert outcome == Complete({"out": {"value": "ABC", "token": "***"}})  # ...the process never sees it
        assert recorder.starts == ["t"] and recorder.ends == [("t", "complete")]

    async def test_a_secret_the_worker_knows_is_masked_in_outputs_even_if_the_job_did_not_use_it(
        self, executor: BlockingExecutor
    ) -> None:
        pipeline = Pipeline(
            secrets=EnvironmentSecrets({}), executor=executor, redactor=Redactor(frozenset({"known-s3cr3t"}))
        )

        async def passthrough(variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
            return {"content": variables["value"]}

        outcome = await pipeline.run(
            job({"value": "x known-s3cr3t y"}, {"resultVariable": "out"}), TaskSpec("t", (), passthrough)
        )
        assert outcome == Complete({"out": {"content": "x *** y"}})

    async def test_no_mapping_completes_without_variables(self, executor: BlockingExecutor) -> None:
        assert await make_pipeline(executor).run(job({"value": "a"}), TaskSpec("t", (), echo)) == Complete({})

    async def test_job_timeout_header_extends_the_lock_first(self, executor: BlockingExecutor) -> None:
        extended: list[int] = []

        async def extend(timeout_ms: int) -> None:
            extended.append(timeout_ms)

        await make_pipeline(executor).run(job({}, {"jobTimeout": "PT10M"}), TaskSpec("t", (), echo), extend)
        assert extended == [600_000]


class TestFailures:
    async def test_missing_secret_fails_with_retries_zero(self, executor: BlockingExecutor) -> None:
        outcome = await make_pipeline(executor).run(job({"token": "{{secrets.NOPE}}"}), TaskSpec("t", (), echo))
        assert isinstance(outcome, Fail) and outcome.retries == 0 and "NOPE" in outcome.message

    async def test_bad_header_fails_before_the_handler_runs(self, executor: BlockingExecutor) -> None:
        called = []

        async def handler(variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
            called.append(1)
            return {}

        outcome = await make_pipeline(executor).run(job({}, {"retryBackoff": "often"}), TaskSpec("t", (), handler))
        assert isinstance(outcome, Fail) and outcome.retries == 0 and "retryBackoff" in outcome.message
        assert called == []

    async def test_retryable_error_uses_backoff_and_masks_secret(self, executor: BlockingExecutor) -> None:
        recorder = Recorder()
        outcome = await make_pipeline(executor, recorder).run(
            job({"token": "{{secrets.TOKEN}}"}, {"retryBackoff": "PT15S"}), TaskSpec("t", (), fail_with_secret)
        )
        assert isinstance(outcome, Fail)
        assert (outcome.retries, outcome.retry_backoff_ms) == (2, 15_000)
        assert "tok-3141592653" not in repr(outcome) and "***" in outcome.message
        assert outcome.variables["error"]["code"] == "Rejected"
        assert recorder.ends == [("t", "fail")]

    async def test_unexpected_exception_fails_the_job_not_the_worker(self, executor: BlockingExecutor) -> None:
        outcome = await make_pipeline(executor).run(job({"token": "{{secrets.TOKEN}}"}), TaskSpec("t", (), crash))
        assert isinstance(outcome, Fail) and outcome.retries == 2
        assert "RuntimeError" in outcome.message and "tok-3141592653" not in outcome.message
        # The exception's own text stays in the log: it may quote an input value.
        assert "bug while handling" not in outcome.message

    @pytest.mark.parametrize("error", [RecursionError("maximum recursion depth exceeded"), MemoryError()])
    async def test_recursion_and_memory_errors_become_outcomes_too(
        self, executor: BlockingExecutor, error: BaseException
    ) -> None:
        async def exhausted(variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
            raise error

        outcome = await make_pipeline(executor).run(job({}), TaskSpec("t", (), exhausted))
        assert isinstance(outcome, Fail) and outcome.retries == 2
        assert outcome.variables["error"]["code"] == "INTERNAL_ERROR"

    async def test_variables_nested_too_deep_fail_before_any_handler_runs(self, executor: BlockingExecutor) -> None:
        called: list[bool] = []

        async def handler(variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
            called.append(True)
            return {}

        deep = Job(key=1, task_type="t", retries=3, variables_json='{"a": ' + "[" * 5000 + "]" * 5000 + "}")
        outcome = await make_pipeline(executor).run(deep, TaskSpec("t", (), handler))
        assert isinstance(outcome, Fail) and outcome.retries == 0
        assert "variables: nested deeper than 100 levels (under a.[].[].[]" in outcome.message
        assert called == []

    async def test_the_handler_sees_its_job(self, executor: BlockingExecutor) -> None:
        seen: list[Job | None] = []

        async def handler(variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
            seen.append(ctx.job)
            return {}

        the_job = Job(key=9, task_type="t", retries=1, process_instance_key=42, bpmn_process_id="p", element_id="e")
        await make_pipeline(executor).run(the_job, TaskSpec("t", (), handler))
        assert seen == [the_job]

    async def test_error_expression_turns_failure_into_bpmn_error(self, executor: BlockingExecutor) -> None:
        expression = '=if error.code = "Rejected" then bpmnError("REJECTED", error.message, {why: "auth"}) else null'
        outcome = await make_pipeline(executor).run(
            job({"token": "{{secrets.TOKEN}}"}, {"errorExpression": expression}), TaskSpec("t", (), fail_with_secret)
        )
        assert isinstance(outcome, Throw) and outcome.code == "REJECTED" and outcome.variables == {"why": "auth"}
        assert "tok-3141592653" not in outcome.message

    async def test_job_error_with_retries_and_backoff(self, executor: BlockingExecutor) -> None:
        expression = '=jobError("custom: " + error.code, {}, job.retries - 2, duration("PT1M"))'
        outcome = await make_pipeline(executor).run(
            job({"token": "x"}, {"errorExpression": expression}), TaskSpec("t", (), fail_with_secret)
        )
        assert isinstance(outcome, Fail) and (outcome.retries, outcome.retry_backoff_ms) == (1, 60_000)
        assert outcome.message == "custom: Rejected"

    async def test_malformed_error_expression_fails_with_retries_zero(self, executor: BlockingExecutor) -> None:
        outcome = await make_pipeline(executor).run(job({}, {"errorExpression": "=if then"}), TaskSpec("t", (), echo))
        assert isinstance(outcome, Fail) and outcome.retries == 0
        assert outcome.variables["error"]["code"] == "INVALID_EXPRESSION"


class TestErrorExpressionSeam:
    async def test_engine_decision_turns_failure_into_bpmn_error(self, executor: BlockingExecutor) -> None:
        contexts: list[Any] = []

        class Engine:
            def evaluate(self, expression: str, context: Any) -> Any:
                contexts.append(context)
                if context.get("error"):
                    return {"errorType": "bpmnError", "errorCode": context["error"]["code"], "errorMessage": "m"}
                return None

        pipeline = Pipeline(secrets=EnvironmentSecrets({}), executor=executor, feel=Engine())
        outcome = await pipeline.run(
            job({"token": "x"}, {"errorExpression": "=..."}), TaskSpec("t", (), fail_with_secret)
        )
        assert outcome == Throw(code="Rejected", message="m", variables={})
        assert contexts[0]["job"] == {"retries": 3} and contexts[0]["response"]["error"]["code"] == "Rejected"

    async def test_on_success_the_expression_sees_mapped_outputs(self, executor: BlockingExecutor) -> None:
        contexts: list[Any] = []

        class Engine:
            def evaluate(self, expression: str, context: Any) -> Any:
                contexts.append(context)
                return None

        pipeline = Pipeline(secrets=EnvironmentSecrets({}), executor=executor, feel=Engine())
        outcome = await pipeline.run(
            job({"value": "a"}, {"errorExpression": "=x", "resultVariable": "r"}), TaskSpec("t", (), echo)
        )
        assert isinstance(outcome, Complete)
        assert contexts[0]["response"] == {"r": {"value": "A", "token": None}}

    async def test_expressions_are_evaluated_off_the_event_loop(self, executor: BlockingExecutor) -> None:
        # a hostile expression may run up to the evaluation's time limit: meanwhile the loop serves
        # other jobs, and evaluations take turns on one thread (each with its whole time limit)
        threads: list[str] = []

        class Engine:
            def evaluate(self, expression: str, context: Any) -> Any:
                threads.append(threading.current_thread().name)
                return {"mapped": 1} if expression == "{mapped: 1}" else None

        pipeline = Pipeline(secrets=EnvironmentSecrets({}), executor=executor, feel=Engine())
        headers = {"resultExpression": "={mapped: 1}", "errorExpression": "=null"}
        outcome = await pipeline.run(job({"value": "a"}, headers), TaskSpec("t", (), echo))
        assert isinstance(outcome, Complete) and outcome.variables == {"mapped": 1}
        assert len(threads) == 2 and all(name.startswith("feel") for name in threads), threads

    async def test_engine_failure_is_an_input_error(self, executor: BlockingExecutor) -> None:
        class Engine:
            def evaluate(self, expression: str, context: Any) -> Any:
                raise InputError("cannot parse", code="INVALID_ERROR_EXPRESSION")

        pipeline = Pipeline(secrets=EnvironmentSecrets({}), executor=executor, feel=Engine())
        outcome = await pipeline.run(job({}, {"errorExpression": "=("}), TaskSpec("t", (), echo))
        assert isinstance(outcome, Fail) and outcome.retries == 0
