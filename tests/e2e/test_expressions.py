"""Result and error expressions in the real worker process, as Camunda's runtime evaluates them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from testkit.gateway import GatewayServer
from tests.e2e.conftest import BUCKET, s3_variables
from tests.e2e.worker_process import WorkerProcess

pytestmark = pytest.mark.e2e
StartWorker = Callable[..., WorkerProcess]
NOT_FOUND = (
    '=if error.code = "NoSuchKey" then bpmnError("NOT_FOUND", error.message, {missingKey: error.variables.key}) '
    "else null"
)


def run_job(gateway: GatewayServer, task_type: str, variables: dict[str, Any], headers: dict[str, str]) -> Any:
    key = gateway.gateway.create_job(task_type, variables, headers)
    return gateway.gateway.wait_for_outcome(key, timeout_s=20)


class TestResultExpressions:
    def test_feel_result_expression(self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str) -> None:
        start_worker()
        outcome = run_job(
            gateway,
            "s3-connector:upload:1",
            s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "expr/a.txt", "document": "hello"}),
            {"resultExpression": "={s3Link: link, bytes: response.size, big: size > 1000}"},
        )
        assert outcome.kind == "complete", outcome
        assert outcome.variables == {"s3Link": f"{s3_endpoint}/{BUCKET}/expr/a.txt", "bytes": 5, "big": False}

    def test_jsonpath_result_mapping(self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str) -> None:
        start_worker()
        outcome = run_job(
            gateway,
            "s3-connector:upload:1",
            s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "expr/b.txt", "document": "hi"}),
            {"resultExpression": '{"theKey": "$.key", "theSize": "$.size"}'},
        )
        assert outcome.kind == "complete" and outcome.variables == {"theKey": "expr/b.txt", "theSize": 2}


class TestErrorExpressions:
    def test_bpmn_error_from_error_expression(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str
    ) -> None:
        start_worker()
        outcome = run_job(
            gateway,
            "io.camunda:aws-s3:1",
            s3_variables(
                s3_endpoint,
                {"bucket": BUCKET, "key": "expr/missing"},
                actionDiscriminator="downloadObject",
                documentReturnFormat={"choice": "TEXT"},
            ),
            {"errorExpression": NOT_FOUND},
        )
        assert (outcome.kind, outcome.error_code) == ("throw", "NOT_FOUND")
        assert "expr/missing" in outcome.error_message and outcome.variables == {"missingKey": "expr/missing"}

    def test_job_error_with_retries_and_backoff(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str
    ) -> None:
        start_worker()
        expression = (
            '=if error != null then jobError("S3 said " + error.code, {attempt: job.retries}, '
            'job.retries - 2, duration("PT45S")) else null'
        )
        outcome = run_job(
            gateway,
            "s3-connector:download:1",
            s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "expr/none"}),
            {"errorExpression": expression},
        )
        assert (outcome.kind, outcome.retries, outcome.retry_backoff_ms) == ("fail", 1, 45_000)
        assert outcome.error_message == "S3 said NoSuchKey"
        assert outcome.variables == {"attempt": 3, "error": "S3 said NoSuchKey"}

    def test_error_expression_on_success_sees_the_mapped_result(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str
    ) -> None:
        start_worker()
        expression = '=if response.r.size > 3 then bpmnError("TOO_BIG", "size " + string(response.r.size)) else null'
        outcome = run_job(
            gateway,
            "s3-connector:upload:1",
            s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "expr/big.txt", "document": "12345"}),
            {"resultVariable": "r", "errorExpression": expression},
        )
        assert (outcome.kind, outcome.error_code, outcome.error_message) == ("throw", "TOO_BIG", "size 5")

    @pytest.mark.parametrize(
        "headers",
        [
            {"errorExpression": "=if error.code = then"},
            {"resultExpression": "={a: "},
            {"errorExpression": '=bpmnError(42, "code must be a string")'},
        ],
    )
    def test_malformed_expressions_fail_with_retries_zero(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str, headers: dict[str, str]
    ) -> None:
        start_worker()
        outcome = run_job(
            gateway, "s3-connector:delete:1", s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "expr/x"}), headers
        )
        assert (outcome.kind, outcome.retries) == ("fail", 0)
        assert outcome.variables["error"]["code"] == "INVALID_EXPRESSION"


class TestCamundaDocumentedExpressions:
    def test_job_error_with_a_temporal_literal_backoff(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str
    ) -> None:
        # Camunda's documented error expression: jobError("...", {}, job.retries - 1, @"PT1M")
        start_worker()
        expression = (
            '=if error != null then jobError("S3 failed: " + error.code, {}, job.retries - 1, @"PT1M") else null'
        )
        outcome = run_job(
            gateway,
            "s3-connector:download:1",
            s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "expr/absent"}),
            {"errorExpression": expression},
        )
        assert (outcome.kind, outcome.retries, outcome.retry_backoff_ms) == ("fail", 2, 60_000)
        assert outcome.error_message == "S3 failed: NoSuchKey"
