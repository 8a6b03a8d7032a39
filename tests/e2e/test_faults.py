"""The fault matrix's rows that need only Python (docs/RELIABILITY.md): the real worker process,
S3 (moto over HTTP) reached through a throttling TCP proxy so a signal lands mid-transfer, and
the document store double answering 5xx or being cut off.

Each row states the outcome it expects (retried inside the request; failed with retries - 1 and
the backoff; or re-activated after the lock timeout and completed elsewhere), that no object is
half-written or wrong (SHA-256 of the bytes), that no multipart upload is left behind, and that
the worker (or its replacement) still serves the next job. The toxiproxy rows are in
tests/interop/faults/.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from testkit.documents_api import DocumentsApi
from testkit.gateway import GatewayServer, Outcome
from testkit.tcp_proxy import TcpProxy
from tests.e2e.conftest import BUCKET, s3_variables
from tests.e2e.worker_process import WorkerProcess

pytestmark = pytest.mark.e2e

CAMUNDA = "io.camunda:aws-s3:1"
StartWorker = Callable[..., WorkerProcess]
Figure = Callable[[str, float], None]
MIB = 1024 * 1024
PART = 5 * MIB
# Three parts of 5 MiB at 4 MB/s: about three seconds on the wire, long enough to aim a signal.
LARGE = b"".join(index.to_bytes(8, "big") + bytes(range(256)) * 4 * 1024 for index in range(12))
RATE = 4_000_000
LOCK_MS = "3000"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def documents() -> Iterator[DocumentsApi]:
    with DocumentsApi() as api:
        yield api


@pytest.fixture
def slow_s3(s3_endpoint: str) -> Iterator[TcpProxy]:
    with TcpProxy(s3_endpoint, rate_up_bytes_s=RATE, rate_down_bytes_s=RATE) as proxy:
        yield proxy


def start(start_worker: StartWorker, proxy: TcpProxy, documents: DocumentsApi, **env: str) -> WorkerProcess:
    return start_worker(
        allowed_endpoints=proxy.url,
        CAMUNDA_REST_ADDRESS=documents.base_url,
        S3_CONNECTOR_MULTIPART_THRESHOLD_BYTES=str(PART),
        S3_CONNECTOR_MULTIPART_PART_SIZE_BYTES=str(PART),
        **env,
    )


def upload_job(gateway: GatewayServer, endpoint: str, key: str, document: Any) -> int:
    variables = s3_variables(endpoint, {"bucket": BUCKET, "key": key, "document": document})
    variables["actionDiscriminator"] = "uploadObject"
    return gateway.gateway.create_job(CAMUNDA, variables, {"resultVariable": "r", "retryBackoff": "PT1S"})


def download_job(gateway: GatewayServer, endpoint: str, key: str) -> int:
    variables = s3_variables(
        endpoint,
        {"bucket": BUCKET, "key": key},
        actionDiscriminator="downloadObject",
        documentReturnFormat={"choice": "DOCUMENT"},
    )
    return gateway.gateway.create_job(CAMUNDA, variables, {"resultVariable": "r", "retryBackoff": "PT1S"})


def incomplete_uploads(s3: Any, prefix: str) -> list[str]:
    return [upload["Key"] for upload in s3.list_multipart_uploads(Bucket=BUCKET, Prefix=prefix).get("Uploads", [])]


def stored_document(documents: DocumentsApi, outcome: Outcome) -> tuple[str, int]:
    return documents.content_sha256(outcome.variables["r"]["element"]["document"]["documentId"])


def a_following_job_completes(gateway: GatewayServer, endpoint: str, s3: Any, name: str) -> None:
    key = upload_job(gateway, endpoint, f"faults/{name}-after.txt", "still serving")
    outcome = gateway.gateway.wait_for_outcome(key, timeout_s=30)
    assert outcome.kind == "complete", outcome
    assert s3.get_object(Bucket=BUCKET, Key=f"faults/{name}-after.txt")["Body"].read() == b"still serving"


class TestSignalsMidTransfer:
    """SIGTERM drains: the transfer in flight finishes and is reported, then the process exits 0.
    SIGKILL drops everything: Zeebe hands the job out again once its lock times out."""

    def test_sigterm_mid_multipart_upload_finishes_it_and_exits_zero(
        self,
        gateway: GatewayServer,
        start_worker: StartWorker,
        slow_s3: TcpProxy,
        documents: DocumentsApi,
        s3: Any,
        figure: Figure,
    ) -> None:
        worker = start(start_worker, slow_s3, documents)
        ref = documents.put_document(LARGE, "application/octet-stream", "large.bin")
        key = upload_job(gateway, slow_s3.url, "faults/term-up.bin", ref)
        slow_s3.wait_for(lambda: slow_s3.bytes_up > PART + MIB)  # the second part is on the wire

        signalled = time.monotonic()
        assert worker.terminate(timeout_s=30) == 0
        figure("sigterm_to_exit_s", time.monotonic() - signalled)

        outcome = gateway.gateway.wait_for_outcome(key, timeout_s=1)
        assert outcome.kind == "complete", outcome
        assert sha(s3.get_object(Bucket=BUCKET, Key="faults/term-up.bin")["Body"].read()) == sha(LARGE)
        assert incomplete_uploads(s3, "faults/term-up") == []
        start(start_worker, slow_s3, documents)
        a_following_job_completes(gateway, slow_s3.url, s3, "term-up")

    def test_sigterm_mid_download_finishes_it_and_exits_zero(
        self,
        gateway: GatewayServer,
        start_worker: StartWorker,
        slow_s3: TcpProxy,
        documents: DocumentsApi,
        s3: Any,
        figure: Figure,
    ) -> None:
        s3.put_object(Bucket=BUCKET, Key="faults/term-down.bin", Body=LARGE)
        worker = start(start_worker, slow_s3, documents)
        key = download_job(gateway, slow_s3.url, "faults/term-down.bin")
        slow_s3.wait_for(lambda: slow_s3.bytes_down > 4 * MIB)

        signalled = time.monotonic()
        assert worker.terminate(timeout_s=30) == 0
        figure("sigterm_to_exit_s", time.monotonic() - signalled)

        outcome = gateway.gateway.wait_for_outcome(key, timeout_s=1)
        assert outcome.kind == "complete", outcome
        assert stored_document(documents, outcome) == (sha(LARGE), len(LARGE))
        assert len(documents.document_ids()) == 1
        start(start_worker, slow_s3, documents)
        a_following_job_completes(gateway, slow_s3.url, s3, "term-down")

    def test_sigkill_mid_multipart_upload_is_redone_after_the_lock_and_the_object_is_whole(
        self,
        gateway: GatewayServer,
        start_worker: StartWorker,
        slow_s3: TcpProxy,
        documents: DocumentsApi,
        s3: Any,
        figure: Figure,
    ) -> None:
        doomed = start(start_worker, slow_s3, documents, S3_CONNECTOR_JOB_TIMEOUT_MS=LOCK_MS)
        ref = documents.put_document(LARGE, "application/octet-stream", "large.bin")
        key = upload_job(gateway, slow_s3.url, "faults/kill-up.bin", ref)
        slow_s3.wait_for(lambda: slow_s3.bytes_up > PART + MIB)

        doomed.kill()
        killed = time.monotonic()
        assert gateway.gateway.outcomes(key) == []
        # Nothing is visible at the key: a multipart upload shows only once it is completed.
        assert s3.list_objects_v2(Bucket=BUCKET, Prefix="faults/kill-up")["KeyCount"] == 0
        slow_s3.set_rates(None, None)
        start(start_worker, slow_s3, documents)

        outcome = gateway.gateway.wait_for_outcome(key, timeout_s=30)
        figure("kill_to_completed_elsewhere_s", time.monotonic() - killed)
        assert outcome.kind == "complete", outcome
        assert gateway.gateway.activation_count(key) == 2
        assert sha(s3.get_object(Bucket=BUCKET, Key="faults/kill-up.bin")["Body"].read()) == sha(LARGE)
        # The re-run found the killed attempt's upload by its marker part and aborted it.
        assert incomplete_uploads(s3, "faults/kill-up") == []
        a_following_job_completes(gateway, slow_s3.url, s3, "kill-up")

    def test_sigkill_mid_download_is_redone_after_the_lock_and_no_half_document_is_kept(
        self,
        gateway: GatewayServer,
        start_worker: StartWorker,
        slow_s3: TcpProxy,
        documents: DocumentsApi,
        s3: Any,
        figure: Figure,
    ) -> None:
        s3.put_object(Bucket=BUCKET, Key="faults/kill-down.bin", Body=LARGE)
        doomed = start(start_worker, slow_s3, documents, S3_CONNECTOR_JOB_TIMEOUT_MS=LOCK_MS)
        key = download_job(gateway, slow_s3.url, "faults/kill-down.bin")
        slow_s3.wait_for(lambda: slow_s3.bytes_down > 4 * MIB)

        doomed.kill()
        killed = time.monotonic()
        assert gateway.gateway.outcomes(key) == []
        slow_s3.set_rates(None, None)
        start(start_worker, slow_s3, documents)

        outcome = gateway.gateway.wait_for_outcome(key, timeout_s=30)
        figure("kill_to_completed_elsewhere_s", time.monotonic() - killed)
        assert outcome.kind == "complete", outcome
        assert gateway.gateway.activation_count(key) == 2
        assert stored_document(documents, outcome) == (sha(LARGE), len(LARGE))
        # The cut upload of the killed process was refused whole: one document, the right one.
        assert len(documents.document_ids()) == 1
        assert incomplete_uploads(s3, "faults/kill-down") == []
        a_following_job_completes(gateway, slow_s3.url, s3, "kill-down")


class TestCutConnections:
    def test_s3_connection_reset_mid_body_is_retried_inside_the_request(
        self,
        gateway: GatewayServer,
        start_worker: StartWorker,
        slow_s3: TcpProxy,
        documents: DocumentsApi,
        s3: Any,
        figure: Figure,
    ) -> None:
        start(start_worker, slow_s3, documents)
        slow_s3.set_rates(None, None)
        ref = documents.put_document(LARGE, "application/octet-stream", "large.bin")
        before = slow_s3.counters()["connections"]
        slow_s3.reset_next(1, after_bytes=2 * MIB)  # the first part's body, cut in the middle

        outcome = gateway.gateway.wait_for_outcome(
            upload_job(gateway, slow_s3.url, "faults/reset.bin", ref), timeout_s=30
        )

        assert outcome.kind == "complete", outcome
        assert gateway.gateway.activation_count(outcome.job_key) == 1  # botocore's retry, not Zeebe's
        assert slow_s3.resets == 1 and slow_s3.connections > before, (before, slow_s3.counters())
        figure("connections_opened", slow_s3.connections - before)
        assert sha(s3.get_object(Bucket=BUCKET, Key="faults/reset.bin")["Body"].read()) == sha(LARGE)
        assert incomplete_uploads(s3, "faults/reset") == []
        a_following_job_completes(gateway, slow_s3.url, s3, "reset")

    def test_document_store_5xx_twice_is_retried_inside_the_request(
        self,
        gateway: GatewayServer,
        start_worker: StartWorker,
        slow_s3: TcpProxy,
        documents: DocumentsApi,
        s3: Any,
        figure: Figure,
    ) -> None:
        start(start_worker, slow_s3, documents)
        slow_s3.set_rates(None, None)
        ref = documents.put_document(LARGE, "application/octet-stream", "large.bin")
        documents.fail_next(2, 503)

        outcome = gateway.gateway.wait_for_outcome(
            upload_job(gateway, slow_s3.url, "faults/store-5xx.bin", ref), timeout_s=30
        )

        assert outcome.kind == "complete", outcome
        assert gateway.gateway.activation_count(outcome.job_key) == 1
        assert documents.count("get") == 3
        figure("document_gets", documents.count("get"))
        assert sha(s3.get_object(Bucket=BUCKET, Key="faults/store-5xx.bin")["Body"].read()) == sha(LARGE)
        assert incomplete_uploads(s3, "faults/store-5xx") == []
        a_following_job_completes(gateway, slow_s3.url, s3, "store-5xx")
