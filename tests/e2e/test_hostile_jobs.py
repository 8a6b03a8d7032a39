"""Hostile jobs against the real worker process: each gets an outcome, none stops a task type.

A job nested thousands of levels deep used to kill the poll loop of its task type silently
while readiness still said ready; huge header values were echoed into the log at length.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import pytest

from testkit.gateway import GatewayServer
from tests.e2e.conftest import BUCKET, SECRET_VALUE, s3_variables
from tests.e2e.hostile import HOSTILE_FEEL, TASK_TYPES, hostile_jobs
from tests.e2e.worker_process import WorkerProcess

pytestmark = pytest.mark.e2e

UPLOAD = "s3-connector:upload:1"
StartWorker = Callable[..., WorkerProcess]


def deep_variables(levels: int) -> str:
    nested = '{"a": ' * levels + "1" + "}" * levels
    return '{"action": {"bucket": "' + BUCKET + '", "metadata": ' + nested + "}}"


class TestNeverStalled:
    @pytest.mark.parametrize("levels", [900, 1_500, 2_000, 50_000])
    def test_a_deeply_nested_job_fails_as_invalid_input_and_the_task_type_keeps_polling(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str, levels: int
    ) -> None:
        worker = start_worker()
        deep = gateway.gateway.create_job(UPLOAD, {}, raw_variables_json=deep_variables(levels))
        outcome = gateway.gateway.wait_for_outcome(deep, timeout_s=20)
        assert outcome.kind == "fail" and outcome.retries == 0, outcome
        assert "nested deeper than 100 levels (under action.metadata.a.a" in (outcome.error_message or "")

        variables: dict[str, Any] = s3_variables(
            s3_endpoint, {"bucket": BUCKET, "key": f"after-deep-{levels}.txt", "document": "still serving"}
        )
        after = gateway.gateway.create_job(UPLOAD, variables)
        assert gateway.gateway.wait_for_outcome(after, timeout_s=20).kind == "complete"
        assert worker.readiness()["ready"] is True

    @pytest.mark.parametrize(
        ("header", "value"),
        [
            ("retryBackoff", "PT" + "9" * (3 * 1024 * 1024)),
            ("resultExpression", "=" + "(" * 10 + "x" * (3 * 1024 * 1024)),
            ("resultExpression", '{"a": "$.' + "[" * (3 * 1024 * 1024) + '"}'),
            ("errorExpression", "=bpmnError(" + "x" * (3 * 1024 * 1024)),
            ("resultVariable", "x" * (3 * 1024 * 1024)),
        ],
        ids=["backoff", "feel-syntax", "jsonpath", "error-expression", "result-variable"],
    )
    def test_a_huge_header_is_cut_in_the_message_and_in_the_log(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str, header: str, value: str
    ) -> None:
        worker = start_worker()
        variables = s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "huge-header.txt", "document": "hi"})
        key = gateway.gateway.create_job(UPLOAD, variables, {header: value})
        outcome = gateway.gateway.wait_for_outcome(key, timeout_s=30)
        assert outcome.kind == "fail" and outcome.retries == 0, outcome.kind
        assert len(outcome.error_message or "") <= 6000
        assert max(len(line) for line in worker.log().splitlines()) <= 10_000


# what the job's message must say for each of HOSTILE_FEEL: the limit it passed, or (for the two
# patterns `regex` answers at once) that a boolean is no context
_ANSWERS = ["must return a context", "S3_CONNECTOR_FEEL_TIMEOUT_MS", *["S3_CONNECTOR_FEEL_"] * 11, "worker compiles"]


class TestHostileFeel:
    """Expressions that loop, build or backtrack without bound, as result and error expressions of
    real jobs: each job fails at once with retries 0 and a message naming the header and the limit;
    the worker's event loop is never stalled for longer than one evaluation's time limit."""

    def test_every_hostile_expression_fails_its_job_naming_the_header_and_the_worker_keeps_polling(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str
    ) -> None:
        worker = start_worker()
        variables = s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "hostile-feel.txt", "document": "hi"})
        jobs = []
        for header in ("resultExpression", "errorExpression"):
            for expression, answer in zip(HOSTILE_FEEL, _ANSWERS, strict=True):
                key = gateway.gateway.create_job(UPLOAD, variables, {header: expression})
                jobs.append((key, header, expression, answer))
        for key, header, expression, answer in jobs:
            outcome = gateway.gateway.wait_for_outcome(key, timeout_s=120)
            assert outcome.kind == "fail" and outcome.retries == 0, (expression, outcome)
            message = outcome.error_message or ""
            assert header in message and (answer in message or "nests too deeply" in message), (expression, message)

        after = gateway.gateway.create_job(UPLOAD, variables, {"resultExpression": "={stored: true}"})
        assert gateway.gateway.wait_for_outcome(after, timeout_s=30).kind == "complete"
        assert worker.readiness()["ready"] is True


class TestProcessLevelFuzz:
    """Generated hostile jobs through the real worker: each gets an outcome, every task type
    keeps polling, no secret appears anywhere. ``FUZZ_JOBS`` sets how many (``make fuzz``)."""

    def test_every_hostile_job_gets_an_outcome_and_the_worker_keeps_serving(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str
    ) -> None:
        worker = start_worker(S3_CONNECTOR_MAX_RUNNING_JOBS="8")
        count = int(os.environ.get("FUZZ_JOBS", "40"))
        keys = []
        for task_type, variables_json, headers in hostile_jobs(count, seed=14, bucket=BUCKET, endpoint=s3_endpoint):
            keys.append(gateway.gateway.create_job(task_type, {}, headers, raw_variables_json=variables_json))
        outcomes = [gateway.gateway.wait_for_outcome(key, timeout_s=60) for key in keys]

        assert all(outcome.kind in ("complete", "fail", "throw") for outcome in outcomes)
        for task_type in TASK_TYPES:
            action = {"bucket": BUCKET, "key": "after-fuzz.txt", "document": "fine"}
            extra = {"actionDiscriminator": "uploadObject"} if task_type == TASK_TYPES[0] else {}
            if task_type.endswith(("download:1", "delete:1")):
                action = {"bucket": BUCKET, "key": "after-fuzz.txt"}
            key = gateway.gateway.create_job(task_type, s3_variables(s3_endpoint, action, **extra))
            assert gateway.gateway.wait_for_outcome(key, timeout_s=30).kind == "complete", task_type
        assert worker.readiness()["ready"] is True
        recorded = json.dumps([vars(o) for o in gateway.gateway.outcomes()], default=str)
        assert SECRET_VALUE not in recorded
        assert SECRET_VALUE not in worker.log()
