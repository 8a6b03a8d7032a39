"""The fault matrix's toxiproxy rows (docs/RELIABILITY.md): the real worker process with Shopify's
toxiproxy in front of S3 (moto over HTTP) and in front of the document store double.

A fault that lasts is met as Zeebe expects: botocore (or the document client) retries inside the
request, then the job fails with retries - 1 and its ``retryBackoff``; once the toxic is
removed, the job's next activation completes. Each row also checks that nothing is half-written
(SHA-256 of what is stored), that no multipart upload is left, and that a following job
completes on the same worker.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

import pytest

from testkit.documents_api import DocumentsApi
from testkit.gateway import GatewayServer, Outcome
from testkit.toxiproxy import Proxy, Toxic, bandwidth, latency, limit_data, reset_peer, timeout
from tests.e2e.conftest import BUCKET, s3_variables
from tests.e2e.worker_process import WorkerProcess

pytestmark = pytest.mark.e2e

CAMUNDA = "io.camunda:aws-s3:1"
StartWorker = Callable[..., WorkerProcess]
Figure = Callable[[str, float], None]
MIB = 1024 * 1024
PART = 5 * MIB
LARGE = b"".join(index.to_bytes(8, "big") + bytes(range(256)) * 4 * 1024 for index in range(6))  # 6 MiB
SMALL = b"small body " * 1000


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def worker(start_worker: StartWorker, s3_proxy: Proxy, documents_proxy: Proxy) -> WorkerProcess:
    return start_worker(
        allowed_endpoints=s3_proxy.url,
        CAMUNDA_REST_ADDRESS=documents_proxy.url,
        S3_CONNECTOR_MULTIPART_THRESHOLD_BYTES=str(PART),
        S3_CONNECTOR_MULTIPART_PART_SIZE_BYTES=str(PART),
        S3_CONNECTOR_S3_CONNECT_TIMEOUT_S="2",
        S3_CONNECTOR_S3_READ_TIMEOUT_S="2",
    )


def create(gateway: GatewayServer, proxy: Proxy, action: dict[str, Any], **more: Any) -> int:
    variables = s3_variables(proxy.url, {"bucket": BUCKET, **action}, **more)
    return gateway.gateway.create_job(CAMUNDA, variables, {"resultVariable": "r", "retryBackoff": "PT1S"})


def upload(gateway: GatewayServer, proxy: Proxy, key: str, document: Any) -> int:
    return create(gateway, proxy, {"key": key, "document": document}, actionDiscriminator="uploadObject")


def download(gateway: GatewayServer, proxy: Proxy, key: str, as_document: bool = True) -> int:
    answer_as = {"choice": "DOCUMENT"} if as_document else {"choice": "TEXT", "encoding": "UTF-8"}
    return create(gateway, proxy, {"key": key}, actionDiscriminator="downloadObject", documentReturnFormat=answer_as)


def completed(gateway: GatewayServer, key: int, timeout_s: float = 40.0) -> Outcome:
    """The job's complete outcome, after whatever failed attempts came first."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        done = [outcome for outcome in gateway.gateway.outcomes(key) if outcome.kind == "complete"]
        if done:
            assert len(done) == 1, done
            return done[0]
        time.sleep(0.05)
    raise AssertionError(f"job {key} not completed in {timeout_s}s: {gateway.gateway.outcomes(key)}")


def failed_then_healed(
    gateway: GatewayServer,
    proxy: Proxy,
    toxics: list[tuple[Toxic, str]],
    make_job: Callable[[], int],
    figure: Figure,
    check_while_failed: Callable[[], None] = lambda: None,
) -> tuple[Outcome, Outcome]:
    """With ``toxics`` on, the job's first outcome; then, toxics removed, its completion."""
    names = [proxy.add(toxic, stream=stream) for toxic, stream in toxics]  # type: ignore[arg-type]
    started = time.monotonic()
    key = make_job()
    first = gateway.gateway.wait_for_outcome(key, timeout_s=60)
    figure("created_to_failed_s", time.monotonic() - started)
    check_while_failed()
    for name in names:
        proxy.remove(name)
    healed = time.monotonic()
    done = completed(gateway, key)
    figure("healed_to_completed_s", time.monotonic() - healed)
    return first, done


def assert_failed_for_a_later_retry(outcome: Outcome, *codes: str) -> None:
    assert (outcome.kind, outcome.retries, outcome.retry_backoff_ms) == ("fail", 2, 1000), outcome
    assert outcome.variables["error"]["code"] in codes, outcome.variables["error"]


def incomplete_uploads(s3: Any) -> list[str]:
    """Incomplete uploads under this suite's prefix (the bucket is shared with other suites)."""
    listed = s3.list_multipart_uploads(Bucket=BUCKET, Prefix="toxics/")
    return [upload["Key"] for upload in listed.get("Uploads", [])]


def document_sha(documents: DocumentsApi, outcome: Outcome) -> tuple[str, int]:
    return documents.content_sha256(outcome.variables["r"]["element"]["document"]["documentId"])


def still_serving(gateway: GatewayServer, proxy: Proxy, s3: Any, name: str) -> None:
    outcome = completed(gateway, upload(gateway, proxy, f"toxics/{name}-after.txt", "next job"), timeout_s=20)
    assert outcome.variables["r"]["key"] == f"toxics/{name}-after.txt"
    assert s3.get_object(Bucket=BUCKET, Key=f"toxics/{name}-after.txt")["Body"].read() == b"next job"


class TestS3Toxics:
    def test_latency_slows_every_answer_and_jobs_complete(
        self, gateway: GatewayServer, worker: WorkerProcess, s3_proxy: Proxy, s3: Any, figure: Figure
    ) -> None:
        s3.put_object(Bucket=BUCKET, Key="toxics/latency-in.txt", Body=SMALL)
        s3_proxy.add(latency(latency_ms=300))
        started = time.monotonic()

        up = completed(gateway, upload(gateway, s3_proxy, "toxics/latency.txt", SMALL.decode()))
        down = completed(gateway, download(gateway, s3_proxy, "toxics/latency-in.txt", as_document=False))

        figure("upload_and_download_s", time.monotonic() - started)
        assert time.monotonic() - started >= 0.6
        assert up.variables["r"]["size"] == len(SMALL)
        assert down.variables["r"]["element"]["content"] == SMALL.decode()
        assert sha(s3.get_object(Bucket=BUCKET, Key="toxics/latency.txt")["Body"].read()) == sha(SMALL)
        still_serving(gateway, s3_proxy, s3, "latency")

    def test_bandwidth_limits_a_multipart_upload_and_a_download_and_both_complete_whole(
        self,
        gateway: GatewayServer,
        worker: WorkerProcess,
        s3_proxy: Proxy,
        documents: DocumentsApi,
        s3: Any,
        figure: Figure,
    ) -> None:
        s3.put_object(Bucket=BUCKET, Key="toxics/slow-in.bin", Body=LARGE)
        ref = documents.put_document(LARGE, "application/octet-stream", "large.bin")
        s3_proxy.add(bandwidth(rate_kb_s=4000), stream="upstream")
        s3_proxy.add(bandwidth(rate_kb_s=4000), stream="downstream")
        started = time.monotonic()

        up = completed(gateway, upload(gateway, s3_proxy, "toxics/slow.bin", ref))
        down = completed(gateway, download(gateway, s3_proxy, "toxics/slow-in.bin"))

        elapsed_s = time.monotonic() - started
        figure("two_6MiB_transfers_s", elapsed_s)
        assert elapsed_s >= 2 * len(LARGE) / 4_000_000 * 0.9
        assert up.variables["r"]["size"] == len(LARGE)
        assert sha(s3.get_object(Bucket=BUCKET, Key="toxics/slow.bin")["Body"].read()) == sha(LARGE)
        assert document_sha(documents, down) == (sha(LARGE), len(LARGE))
        assert incomplete_uploads(s3) == []
        still_serving(gateway, s3_proxy, s3, "bandwidth")

    def test_reset_in_the_middle_of_a_download_body_fails_for_a_later_retry_and_no_half_document_is_kept(
        self,
        gateway: GatewayServer,
        worker: WorkerProcess,
        s3_proxy: Proxy,
        documents: DocumentsApi,
        s3: Any,
        figure: Figure,
    ) -> None:
        s3.put_object(Bucket=BUCKET, Key="toxics/reset-in.bin", Body=LARGE)
        toxics = [(bandwidth(rate_kb_s=2000), "downstream"), (reset_peer(timeout_ms=1000), "downstream")]

        first, done = failed_then_healed(
            gateway, s3_proxy, toxics, lambda: download(gateway, s3_proxy, "toxics/reset-in.bin"), figure
        )

        assert_failed_for_a_later_retry(first, "INCOMPLETE_READ", "ENDPOINT_UNREACHABLE")
        assert document_sha(documents, done) == (sha(LARGE), len(LARGE))
        assert len(documents.document_ids()) == 1  # the cut attempts stored nothing
        still_serving(gateway, s3_proxy, s3, "reset-down")

    def test_reset_in_the_middle_of_a_multipart_upload_aborts_it_and_fails_for_a_later_retry(
        self,
        gateway: GatewayServer,
        worker: WorkerProcess,
        s3_proxy: Proxy,
        documents: DocumentsApi,
        s3: Any,
        figure: Figure,
    ) -> None:
        ref = documents.put_document(LARGE, "application/octet-stream", "large.bin")
        toxics = [(bandwidth(rate_kb_s=2000), "upstream"), (reset_peer(timeout_ms=1000), "upstream")]

        def nothing_is_left() -> None:
            assert s3.list_objects_v2(Bucket=BUCKET, Prefix="toxics/reset-up")["KeyCount"] == 0
            assert incomplete_uploads(s3) == []  # aborted before the job failed

        first, done = failed_then_healed(
            gateway,
            s3_proxy,
            toxics,
            lambda: upload(gateway, s3_proxy, "toxics/reset-up.bin", ref),
            figure,
            nothing_is_left,
        )

        assert_failed_for_a_later_retry(first, "ENDPOINT_UNREACHABLE", "S3_ERROR", "TIMEOUT")
        assert done.variables["r"]["size"] == len(LARGE)
        assert sha(s3.get_object(Bucket=BUCKET, Key="toxics/reset-up.bin")["Body"].read()) == sha(LARGE)
        assert incomplete_uploads(s3) == []
        still_serving(gateway, s3_proxy, s3, "reset-up")

    def test_a_stalled_connection_times_out_and_fails_for_a_later_retry(
        self, gateway: GatewayServer, worker: WorkerProcess, s3_proxy: Proxy, s3: Any, figure: Figure
    ) -> None:
        first, done = failed_then_healed(
            gateway,
            s3_proxy,
            [(timeout(timeout_ms=0), "upstream")],
            lambda: upload(gateway, s3_proxy, "toxics/stalled.txt", SMALL.decode()),
            figure,
        )

        assert_failed_for_a_later_retry(first, "TIMEOUT")
        assert done.variables["r"]["size"] == len(SMALL)
        assert sha(s3.get_object(Bucket=BUCKET, Key="toxics/stalled.txt")["Body"].read()) == sha(SMALL)
        still_serving(gateway, s3_proxy, s3, "stalled")

    def test_a_body_cut_short_by_limit_data_is_an_incomplete_read_retried_later(
        self,
        gateway: GatewayServer,
        worker: WorkerProcess,
        s3_proxy: Proxy,
        documents: DocumentsApi,
        s3: Any,
        figure: Figure,
    ) -> None:
        s3.put_object(Bucket=BUCKET, Key="toxics/cut-in.bin", Body=LARGE)

        first, done = failed_then_healed(
            gateway,
            s3_proxy,
            [(limit_data(bytes_=len(LARGE) // 3), "downstream")],
            lambda: download(gateway, s3_proxy, "toxics/cut-in.bin"),
            figure,
        )

        assert_failed_for_a_later_retry(first, "INCOMPLETE_READ", "ENDPOINT_UNREACHABLE")
        assert document_sha(documents, done) == (sha(LARGE), len(LARGE))
        assert len(documents.document_ids()) == 1
        still_serving(gateway, s3_proxy, s3, "cut")


class TestDocumentStoreToxics:
    def test_latency_and_bandwidth_on_the_store_slow_an_upload_that_completes_whole(
        self,
        gateway: GatewayServer,
        worker: WorkerProcess,
        s3_proxy: Proxy,
        documents_proxy: Proxy,
        documents: DocumentsApi,
        s3: Any,
        figure: Figure,
    ) -> None:
        ref = documents.put_document(LARGE, "application/octet-stream", "large.bin")
        documents_proxy.add(latency(latency_ms=300))
        documents_proxy.add(bandwidth(rate_kb_s=4000))

        started = time.monotonic()
        done = completed(gateway, upload(gateway, s3_proxy, "toxics/store-slow.bin", ref))
        figure("upload_6MiB_s", time.monotonic() - started)

        assert done.variables["r"]["size"] == len(LARGE)
        assert sha(s3.get_object(Bucket=BUCKET, Key="toxics/store-slow.bin")["Body"].read()) == sha(LARGE)
        assert incomplete_uploads(s3) == []
        still_serving(gateway, s3_proxy, s3, "store-slow")

    @pytest.mark.parametrize(
        ("name", "toxics"),
        [
            ("reset", [(bandwidth(rate_kb_s=2000), "downstream"), (reset_peer(timeout_ms=1000), "downstream")]),
            ("cut", [(limit_data(bytes_=len(LARGE) // 3), "downstream")]),
            ("stalled", [(timeout(timeout_ms=500), "upstream")]),
        ],
    )
    def test_a_store_fault_mid_body_fails_the_upload_for_a_later_retry_and_writes_nothing(
        self,
        gateway: GatewayServer,
        worker: WorkerProcess,
        s3_proxy: Proxy,
        documents_proxy: Proxy,
        documents: DocumentsApi,
        s3: Any,
        figure: Figure,
        name: str,
        toxics: list[tuple[Toxic, str]],
    ) -> None:
        ref = documents.put_document(LARGE, "application/octet-stream", "large.bin")
        target = f"toxics/store-{name}.bin"

        def nothing_is_written() -> None:
            assert s3.list_objects_v2(Bucket=BUCKET, Prefix=target)["KeyCount"] == 0
            assert incomplete_uploads(s3) == []

        first, done = failed_then_healed(
            gateway,
            documents_proxy,
            toxics,
            lambda: upload(gateway, s3_proxy, target, ref),
            figure,
            nothing_is_written,
        )

        assert_failed_for_a_later_retry(first, "DOCUMENT_STORE_UNAVAILABLE", "DOCUMENT_SIZE_MISMATCH")
        assert sha(s3.get_object(Bucket=BUCKET, Key=target)["Body"].read()) == sha(LARGE)
        assert done.variables["r"]["size"] == len(LARGE)
        assert incomplete_uploads(s3) == []
        still_serving(gateway, s3_proxy, s3, f"store-{name}")
