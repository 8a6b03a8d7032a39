"""Downloads as documents by the real worker process: parallel ranged GETs pinned to the ETag,
in order into the document API double; an object overwritten midway fails the job cleanly
(retryable, no document created). Moto over HTTP behind a recording proxy."""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from testkit.documents_api import DocumentsApi
from testkit.gateway import GatewayServer
from testkit.s3_recorder import RecordedRequest, RecordingS3Proxy
from tests.e2e.conftest import BUCKET, s3_variables
from tests.e2e.worker_process import WorkerProcess

pytestmark = pytest.mark.e2e
CAMUNDA = "io.camunda:aws-s3:1"
StartWorker = Callable[..., WorkerProcess]
MIB = 1024 * 1024
RANGES = {"S3_CONNECTOR_MULTIPART_PART_SIZE_BYTES": str(5 * MIB), "S3_CONNECTOR_TRANSFER_CONCURRENCY": "2"}
DATA = b"".join(i.to_bytes(4, "big") * 256 for i in range(15 * 1024))  # 15 MiB, no two KiB alike


@pytest.fixture
def documents() -> Iterator[DocumentsApi]:
    with DocumentsApi() as api:
        yield api


@pytest.fixture
def proxy(s3_endpoint: str) -> Iterator[RecordingS3Proxy]:
    with RecordingS3Proxy(s3_endpoint, delay_s=0.2) as running:
        yield running


@pytest.fixture
def worker(start_worker: StartWorker, documents: DocumentsApi, proxy: RecordingS3Proxy) -> WorkerProcess:
    return start_worker(allowed_endpoints=proxy.url, CAMUNDA_REST_ADDRESS=documents.base_url, **RANGES)


def download_job(gateway: GatewayServer, proxy: RecordingS3Proxy, key: str) -> Any:
    variables = s3_variables(
        proxy.url,
        {"bucket": BUCKET, "key": key},
        actionDiscriminator="downloadObject",
        documentReturnFormat={"choice": "DOCUMENT"},
    )
    job = gateway.gateway.create_job(CAMUNDA, variables, {"resultVariable": "r"})
    return gateway.gateway.wait_for_outcome(job, timeout_s=60)


def test_a_large_object_arrives_whole_through_ranges_in_flight(
    gateway: GatewayServer, worker: WorkerProcess, documents: DocumentsApi, proxy: RecordingS3Proxy, s3: Any
) -> None:
    key = f"ranged/{time.monotonic_ns()}.bin"
    s3.put_object(Bucket=BUCKET, Key=key, Body=DATA)
    outcome = download_job(gateway, proxy, key)
    assert outcome.kind == "complete", outcome
    response = outcome.variables["r"]
    assert response["size"] == len(DATA)
    assert response["checksumSHA256"] == base64.b64encode(hashlib.sha256(DATA).digest()).decode()
    assert documents.content(response["element"]["document"]["documentId"]) == DATA
    gets = proxy.requests("GetObject")
    assert len(gets) == 3 and proxy.peak_in_flight("GetObject") == 2
    assert {g.headers.get("Range") for g in gets} == {
        f"bytes={start}-{min(start + 5 * MIB, len(DATA)) - 1}" for start in range(0, len(DATA), 5 * MIB)
    }


def test_an_object_overwritten_midway_fails_retryably_and_creates_no_document(
    gateway: GatewayServer, worker: WorkerProcess, documents: DocumentsApi, proxy: RecordingS3Proxy, s3: Any
) -> None:
    key = f"moving/{time.monotonic_ns()}.bin"
    s3.put_object(Bucket=BUCKET, Key=key, Body=DATA)

    def overwrite_before_the_third_range(request: RecordedRequest, body: bytes) -> None:
        if request.operation == "GetObject" and len(proxy.requests("GetObject")) == 3:
            s3.put_object(Bucket=BUCKET, Key=key, Body=b"a newer version")
        return None

    proxy.tamper = overwrite_before_the_third_range
    created_before = len(documents.uploads)
    outcome = download_job(gateway, proxy, key)
    assert (outcome.kind, outcome.retries) == ("fail", 2), outcome
    assert outcome.variables["error"]["code"] == "OBJECT_CHANGED"
    assert len(documents.uploads) == created_before
