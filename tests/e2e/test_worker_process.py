"""The real worker process against the gateway double (gRPC) and moto (HTTP S3)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import grpc
import pytest

from testkit.gateway import GatewayServer
from testkit.http_servers import DelayingProxy, RecordingServer
from tests.e2e.conftest import BUCKET, SECRET_VALUE, s3_variables
from tests.e2e.worker_process import WorkerProcess

pytestmark = pytest.mark.e2e

CAMUNDA = "io.camunda:aws-s3:1"
StartWorker = Callable[..., WorkerProcess]


def run_job(gateway: GatewayServer, task_type: str, variables: dict[str, Any], **headers: str) -> Any:
    key = gateway.gateway.create_job(task_type, variables, {"resultVariable": "s3Result", **headers})
    return gateway.gateway.wait_for_outcome(key, timeout_s=20)


class TestBothTaskTypeFamilies:
    def test_camunda_type_upload_download_delete(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str, s3: Any
    ) -> None:
        start_worker()
        key = "camunda/ünïcode key+1=2.txt"
        document = {"camunda.document.type": "inline", "content": "hello from camunda", "name": "x.txt"}
        upload = run_job(
            gateway,
            CAMUNDA,
            s3_variables(
                s3_endpoint, {"bucket": BUCKET, "key": key, "document": document}, actionDiscriminator="uploadObject"
            ),
        )
        assert upload.kind == "complete", upload
        response = upload.variables["s3Result"]
        assert response["key"] == key and response["size"] == 18
        assert response["link"] == f"{s3_endpoint}/{BUCKET}/camunda/%C3%BCn%C3%AFcode%20key%2B1%3D2.txt"
        assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"hello from camunda"

        download = run_job(
            gateway,
            CAMUNDA,
            s3_variables(
                s3_endpoint,
                {"bucket": BUCKET, "key": key},
                actionDiscriminator="downloadObject",
                documentReturnFormat={"choice": "TEXT", "encoding": "UTF-8"},
            ),
        )
        assert download.kind == "complete", download
        assert download.variables["s3Result"]["element"] == {"content": "hello from camunda"}

        delete = run_job(
            gateway,
            CAMUNDA,
            s3_variables(s3_endpoint, {"bucket": BUCKET, "key": key}, actionDiscriminator="deleteObject"),
        )
        assert delete.kind == "complete", delete
        assert delete.variables["s3Result"] == {"bucket": BUCKET, "key": key, "versionId": None, "deleteMarker": False}
        assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET, Prefix="camunda/")

    def test_own_task_types(self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str) -> None:
        start_worker()
        upload = run_job(
            gateway,
            "s3-connector:upload:1",
            s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "own/data.json", "document": {"order": 42}}),
        )
        assert upload.kind == "complete", upload
        assert upload.variables["s3Result"]["contentType"] == "application/json"
        download = run_job(
            gateway, "s3-connector:download:1", s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "own/data.json"})
        )
        assert download.variables["s3Result"]["element"] == {"content": {"order": 42}}
        delete = run_job(
            gateway, "s3-connector:delete:1", s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "own/data.json"})
        )
        assert delete.kind == "complete", delete

    def test_secret_placeholder_resolved_in_key(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str, s3: Any
    ) -> None:
        start_worker()
        outcome = run_job(
            gateway,
            "s3-connector:upload:1",
            s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "{{secrets.KEY_PREFIX}}/file.txt", "document": "x"}),
        )
        assert outcome.kind == "complete", outcome
        # The object is at the real key; the response masks the secret in the key and the link.
        assert s3.get_object(Bucket=BUCKET, Key="from-secret/file.txt")["Body"].read() == b"x"
        assert outcome.variables["s3Result"]["key"] == "***/file.txt"
        assert "from-secret" not in json.dumps(outcome.variables)


class TestCredentialModes:
    def test_assume_role_through_sts_over_http(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str, s3: Any
    ) -> None:
        start_worker()
        variables = s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "role/file.txt", "document": "via role"})
        variables["authentication"] = {
            **variables["authentication"],
            "type": "assumeRole",
            "roleArn": "arn:aws:iam::123456789012:role/uploader",
            "externalId": "{{secrets.S3_SECRET_KEY}}",
        }
        outcome = run_job(gateway, "s3-connector:upload:1", variables)
        assert outcome.kind == "complete", outcome
        assert s3.get_object(Bucket=BUCKET, Key="role/file.txt")["Body"].read() == b"via role"

    def test_default_chain_refused_unless_allowed(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str
    ) -> None:
        start_worker()
        variables = s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "k"})
        variables["authentication"] = {"type": "defaultCredentialsChain"}
        outcome = run_job(gateway, "s3-connector:delete:1", variables)
        assert (outcome.kind, outcome.retries) == ("fail", 0)
        assert "S3_CONNECTOR_ALLOW_DEFAULT_CREDENTIALS" in outcome.error_message


class TestFailures:
    def test_missing_bucket_fails_with_retries_zero_naming_the_field(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str
    ) -> None:
        start_worker()
        outcome = run_job(
            gateway,
            CAMUNDA,
            s3_variables(s3_endpoint, {"key": "k"}, actionDiscriminator="deleteObject"),
            retryBackoff="PT30S",
        )
        assert (outcome.kind, outcome.retries) == ("fail", 0)
        assert "action.bucket" in outcome.error_message

    def test_missing_object_decrements_retries_with_backoff(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str
    ) -> None:
        start_worker()
        outcome = run_job(
            gateway,
            "s3-connector:download:1",
            s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "no/such/key"}),
            retryBackoff="PT2S",
        )
        assert (outcome.kind, outcome.retries, outcome.retry_backoff_ms) == ("fail", 2, 2000)
        assert "no/such/key" in outcome.error_message and "NoSuchKey" in outcome.error_message
        assert outcome.variables["error"]["code"] == "NoSuchKey"

    def test_secret_never_leaks_into_messages_variables_or_log(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str
    ) -> None:
        worker = start_worker()
        # The key carries the secret, so S3's error about it would name the secret if unmasked.
        outcome = run_job(
            gateway,
            "s3-connector:download:1",
            s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "{{secrets.S3_SECRET_KEY}}"}),
        )
        assert outcome.kind == "fail"
        assert SECRET_VALUE not in outcome.error_message and "***" in outcome.error_message
        assert SECRET_VALUE not in json.dumps(outcome.variables)
        bad_input = run_job(
            gateway,
            "s3-connector:upload:1",
            s3_variables(s3_endpoint, {"bucket": "Not_Valid", "document": "{{secrets.S3_SECRET_KEY}}"}),
        )
        assert bad_input.kind == "fail" and SECRET_VALUE not in bad_input.error_message
        worker.terminate()
        assert SECRET_VALUE not in worker.log()

    def test_endpoint_not_on_allow_list_is_never_contacted(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str
    ) -> None:
        start_worker()
        with RecordingServer(host="127.0.0.2") as internal:
            outcome = run_job(
                gateway,
                "s3-connector:delete:1",
                {
                    **s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "k"}),
                    "configuration": {"region": "us-east-1", "endpoint": internal.url},
                },
            )
            assert (outcome.kind, outcome.retries) == ("fail", 0)
            assert "S3_CONNECTOR_ALLOWED_ENDPOINTS" in outcome.error_message
            assert internal.requests == []


class TestLifecycle:
    def test_sigterm_during_a_job_completes_it_and_exits_zero(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str
    ) -> None:
        with DelayingProxy(s3_endpoint, delay_s=1.5) as slow_s3:
            worker = start_worker(allowed_endpoints=slow_s3.url)
            variables = {
                **s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "slow.txt", "document": "slow"}),
                "configuration": {"region": "us-east-1", "endpoint": slow_s3.url},
            }
            key = gateway.gateway.create_job("s3-connector:upload:1", variables)
            gateway.gateway.wait_for_activation(key, timeout_s=10)
            time.sleep(0.3)
            assert worker.terminate(timeout_s=30) == 0
            assert gateway.gateway.wait_for_outcome(key, timeout_s=1).kind == "complete"
        assert "Received SIGTERM" in worker.log()

    def test_gateway_outage_is_survived_and_reported(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str
    ) -> None:
        worker = start_worker()
        worker.wait_ready(True)
        gateway.stop()
        worker.wait_ready(False)
        worker.wait_for_log(r"Cannot activate .* jobs from gateway")
        time.sleep(1.0)
        assert worker.process.poll() is None
        gateway.restart()
        worker.wait_ready(True, timeout_s=30)
        outcome = run_job(
            gateway,
            "s3-connector:upload:1",
            s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "after-outage.txt", "document": "back"}),
        )
        assert outcome.kind == "complete", outcome
        assert worker.terminate() == 0

    def test_outcome_survives_a_gateway_outage_during_the_job(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str, s3: Any
    ) -> None:
        with DelayingProxy(s3_endpoint, delay_s=1.5) as slow_s3:
            worker = start_worker(allowed_endpoints=slow_s3.url)
            variables = {
                **s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "outage/during.txt", "document": "kept"}),
                "configuration": {"region": "us-east-1", "endpoint": slow_s3.url},
            }
            key = gateway.gateway.create_job("s3-connector:upload:1", variables)
            gateway.gateway.wait_for_activation(key, timeout_s=10)
            gateway.stop()
            # The upload finishes while the gateway is away; reporting it must wait, not give up.
            worker.wait_for_log(r"Reporting job \d+ failed", timeout_s=20)
            gateway.restart()
            assert gateway.gateway.wait_for_outcome(key, timeout_s=30).kind == "complete"
            following = run_job(
                gateway,
                "s3-connector:upload:1",
                {**variables, "action": {"bucket": BUCKET, "key": "outage/after.txt", "document": "next"}},
            )
            assert following.kind == "complete", following
        assert s3.get_object(Bucket=BUCKET, Key="outage/during.txt")["Body"].read() == b"kept"
        assert worker.terminate() == 0

    def test_gateway_unreachable_at_start_then_appears(
        self, s3_endpoint: str, start_worker: StartWorker, gateway: GatewayServer
    ) -> None:
        gateway.stop()
        worker = start_worker()
        worker.wait_for_log(r"Cannot activate .* jobs from gateway")
        assert worker.readiness()["ready"] is False
        gateway.restart()
        worker.wait_ready(True, timeout_s=30)
        assert worker.terminate() == 0

    def test_metrics_count_jobs_by_type_and_outcome(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str
    ) -> None:
        worker = start_worker()
        run_job(gateway, "s3-connector:delete:1", s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "m"}))
        run_job(gateway, "s3-connector:delete:1", s3_variables(s3_endpoint, {"key": "m"}))
        status, text = worker.get("/metrics")
        assert status == 200
        assert 'connector_jobs_total{outcome="complete",task_type="s3-connector:delete:1"} 1.0' in text
        assert 'connector_jobs_total{outcome="fail",task_type="s3-connector:delete:1"} 1.0' in text
        assert worker.get("/health/live")[0] == 200


class TestGatewayAnswers:
    def test_complete_answered_not_found_is_dropped_and_the_worker_keeps_serving(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str, s3: Any
    ) -> None:
        worker = start_worker()
        gateway.gateway.answer_next("CompleteJob", grpc.StatusCode.NOT_FOUND, "Job was cancelled")
        variables = s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "gone.txt", "document": "x"})
        gone = gateway.gateway.create_job("s3-connector:upload:1", variables)
        worker.wait_for_log(rf"Job {gone} is no longer active")
        assert gateway.gateway.outcomes(gone) == []
        # The upload itself finished before the answer: the object is whole, not half-written.
        assert s3.get_object(Bucket=BUCKET, Key="gone.txt")["Body"].read() == b"x"

        after = run_job(gateway, "s3-connector:upload:1", variables)
        assert after.kind == "complete"

    def test_complete_answered_unavailable_is_reported_again_until_it_is_taken(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str
    ) -> None:
        worker = start_worker()
        gateway.gateway.answer_next("CompleteJob", grpc.StatusCode.UNAVAILABLE, "leader change", times=2)
        variables = s3_variables(s3_endpoint, {"bucket": BUCKET, "key": "retried.txt", "document": "x"})
        outcome = run_job(gateway, "s3-connector:upload:1", variables)
        assert outcome.kind == "complete"
        assert worker.log().count(f"Reporting job {outcome.job_key} failed (UNAVAILABLE leader change)") == 2
