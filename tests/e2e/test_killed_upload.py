"""A worker SIGKILLed in the middle of a multipart upload: the job runs again on another worker,
which aborts the killed attempt's upload (and only that) before it uploads, and completes.
The real worker processes, the gateway double, moto over HTTP and the document API double."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from testkit.documents_api import DocumentsApi
from testkit.gateway import GatewayServer
from testkit.s3_recorder import RecordingS3Proxy
from tests.e2e.conftest import BUCKET, s3_variables
from tests.e2e.worker_process import WorkerProcess

pytestmark = pytest.mark.e2e
UPLOAD = "io.camunda:aws-s3:1"
StartWorker = Callable[..., WorkerProcess]
MIB = 1024 * 1024
SMALL_PARTS = {
    "S3_CONNECTOR_MULTIPART_THRESHOLD_BYTES": str(5 * MIB),
    "S3_CONNECTOR_MULTIPART_PART_SIZE_BYTES": str(5 * MIB),
    "S3_CONNECTOR_TRANSFER_CONCURRENCY": "2",
    # The killed attempt's lock runs out quickly, so the job is handed out again.
    "S3_CONNECTOR_JOB_TIMEOUT_MS": "4000",
}


@pytest.fixture
def documents() -> Iterator[DocumentsApi]:
    with DocumentsApi() as api:
        yield api


def in_progress(s3: Any, key: str) -> list[str]:
    uploads = s3.list_multipart_uploads(Bucket=BUCKET, Prefix=key).get("Uploads", [])
    return [u["UploadId"] for u in uploads if u["Key"] == key]


def test_a_killed_first_attempt_leaves_no_incomplete_upload_once_the_rerun_completes(
    gateway: GatewayServer, start_worker: StartWorker, documents: DocumentsApi, s3_endpoint: str, s3: Any
) -> None:
    data = bytes(range(256)) * (60 * 1024)  # 15 MiB: three parts
    ref = documents.put_document(data, "application/octet-stream", "scan.bin")
    key = f"killed/{time.monotonic_ns()}.bin"
    others = s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]  # another job's: kept
    with RecordingS3Proxy(s3_endpoint, delay_s=1.5) as slow:
        variables = s3_variables(
            slow.url,
            {"bucket": BUCKET, "key": key, "document": ref, "createOnly": True},
            actionDiscriminator="uploadObject",
        )
        first = start_worker(
            allowed_endpoints=f"{slow.url},{s3_endpoint}", CAMUNDA_REST_ADDRESS=documents.base_url, **SMALL_PARTS
        )
        job = gateway.gateway.create_job(UPLOAD, variables, {"resultVariable": "r"})
        deadline = time.monotonic() + 30
        # Killed once its upload has started and its marker part (part 1) has reached S3.
        while not any(r.query.get("partNumber") == ["1"] and r.status == 200 for r in slow.requests("UploadPart")):
            assert time.monotonic() < deadline, first.log()
            time.sleep(0.05)
        first.kill()
        stray = set(in_progress(s3, key)) - {others}
        assert len(stray) == 1
        slow.delay_s = 0  # the second attempt runs well within its lock

        start_worker(
            allowed_endpoints=f"{slow.url},{s3_endpoint}", CAMUNDA_REST_ADDRESS=documents.base_url, **SMALL_PARTS
        )
        outcome = gateway.gateway.wait_for_outcome(job, timeout_s=60)
    assert outcome.kind == "complete", outcome
    assert gateway.gateway.activation_count(job) == 2
    # The re-run aborted the killed attempt's upload (found by its marker part), then uploaded.
    aborts = [r for r in slow.requests("AbortMultipartUpload") if r.query["uploadId"] == list(stray)]
    assert len(aborts) == 1, " ".join(f"{r.operation}:{r.status}" for r in slow.requests())
    assert in_progress(s3, key) == [others]
    stored = s3.get_object(Bucket=BUCKET, Key=key)
    assert hashlib.sha256(stored["Body"].read()).hexdigest() == hashlib.sha256(data).hexdigest()
    assert stored["Metadata"]["zeebe-job-key"] == str(job)
    assert outcome.variables["r"]["checksumSHA256"] is not None
