"""Documents end to end: the real worker process, the gateway double, moto over HTTP and a
real HTTP server shaped like Camunda's REST document API."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from testkit.documents_api import DocumentsApi
from testkit.gateway import GatewayServer
from testkit.http_servers import StaticServer
from tests.e2e.conftest import BUCKET, s3_variables
from tests.e2e.worker_process import WorkerProcess

pytestmark = pytest.mark.e2e
CAMUNDA = "io.camunda:aws-s3:1"
StartWorker = Callable[..., WorkerProcess]
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64


@pytest.fixture
def documents() -> Iterator[DocumentsApi]:
    with DocumentsApi() as api:
        yield api


@pytest.fixture
def worker(start_worker: StartWorker, documents: DocumentsApi) -> WorkerProcess:
    return start_worker(CAMUNDA_REST_ADDRESS=documents.base_url)


def run_job(gateway: GatewayServer, variables: dict[str, Any], **headers: str) -> Any:
    key = gateway.gateway.create_job(CAMUNDA, variables, {"resultVariable": "r", **headers})
    return gateway.gateway.wait_for_outcome(key, timeout_s=30)


def upload(s3_endpoint: str, action: dict[str, Any]) -> dict[str, Any]:
    return s3_variables(s3_endpoint, {"bucket": BUCKET, **action}, actionDiscriminator="uploadObject")


class TestUploadSources:
    def test_camunda_document_reference(
        self, gateway: GatewayServer, worker: WorkerProcess, documents: DocumentsApi, s3_endpoint: str, s3: Any
    ) -> None:
        ref = documents.put_document(PDF, "application/pdf", "invoice 7.pdf")
        outcome = run_job(gateway, upload(s3_endpoint, {"document": ref}))
        assert outcome.kind == "complete", outcome
        response = outcome.variables["r"]
        # The key defaults to the document's file name, and the response says so (Camunda: null).
        assert response["key"] == "invoice 7.pdf" and response["size"] == len(PDF)
        assert response["contentType"] == "application/pdf"
        assert s3.get_object(Bucket=BUCKET, Key="invoice 7.pdf")["Body"].read() == PDF

    def test_v3_to_v6_helper_inputs_with_null_document(
        self, gateway: GatewayServer, worker: WorkerProcess, documents: DocumentsApi, s3_endpoint: str, s3: Any
    ) -> None:
        ref = documents.put_document(b"from helpers", "text/plain", "h.txt")
        outcome = run_job(
            gateway,
            upload(
                s3_endpoint,
                {
                    "key": "helpers/h.txt",
                    "document": None,
                    "action_document_documentSource": "camunda",
                    "action_document_camundaReference": ref,
                },
            ),
        )
        assert outcome.kind == "complete", outcome
        assert s3.get_object(Bucket=BUCKET, Key="helpers/h.txt")["Body"].read() == b"from helpers"

    def test_inline_helper_inputs(
        self, gateway: GatewayServer, worker: WorkerProcess, s3_endpoint: str, s3: Any
    ) -> None:
        outcome = run_job(
            gateway,
            upload(
                s3_endpoint,
                {
                    "document": None,
                    "action_document_documentSource": "inline",
                    "action_document_inline_content": "a;b\n",
                    "action_document_inline_fileName": "inline.csv",
                },
            ),
        )
        assert outcome.kind == "complete", outcome
        assert outcome.variables["r"]["key"] == "inline.csv" and outcome.variables["r"]["contentType"] == "text/csv"
        assert s3.get_object(Bucket=BUCKET, Key="inline.csv")["Body"].read() == b"a;b\n"

    def test_external_url_allowed_by_setting(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str, s3: Any
    ) -> None:
        with StaticServer({"/files/report.pdf": (PDF, "application/pdf")}) as web:
            start_worker(S3_CONNECTOR_ALLOWED_URL_HOSTS="127.0.0.1")
            outcome = run_job(
                gateway,
                upload(
                    s3_endpoint,
                    {"document": {"camunda.document.type": "external", "url": f"{web.url}/files/report.pdf"}},
                ),
            )
            assert outcome.kind == "complete", outcome
            assert outcome.variables["r"]["key"] == "report.pdf"
            assert s3.get_object(Bucket=BUCKET, Key="report.pdf")["Body"].read() == PDF

    def test_private_address_url_refused_by_default(
        self, gateway: GatewayServer, worker: WorkerProcess, s3_endpoint: str
    ) -> None:
        with StaticServer({"/secret": (b"internal", "text/plain")}) as internal:
            outcome = run_job(
                gateway,
                upload(
                    s3_endpoint,
                    {"key": "x", "document": {"camunda.document.type": "external", "url": f"{internal.url}/secret"}},
                ),
            )
            assert (outcome.kind, outcome.retries) == ("fail", 0)
            assert "S3_CONNECTOR_ALLOW_PRIVATE_URLS" in outcome.error_message
            assert internal.requests == []


class TestStoreFailures:
    def test_missing_document_fails_without_retries(
        self, gateway: GatewayServer, worker: WorkerProcess, s3_endpoint: str
    ) -> None:
        ref = {
            "camunda.document.type": "camunda",
            "storeId": "in-memory",
            "documentId": "no-such-doc",
            "contentHash": "0" * 64,
            "metadata": {"fileName": "gone.pdf"},
        }
        outcome = run_job(gateway, upload(s3_endpoint, {"document": ref}))
        assert (outcome.kind, outcome.retries) == ("fail", 0)
        assert outcome.variables["error"]["code"] == "DOCUMENT_NOT_FOUND"

    def test_store_outage_is_retryable_with_backoff(
        self, gateway: GatewayServer, worker: WorkerProcess, documents: DocumentsApi, s3_endpoint: str, s3: Any
    ) -> None:
        ref = documents.put_document(b"later", "text/plain", "later.txt")
        documents.fail_next(10, 503)
        outcome = run_job(gateway, upload(s3_endpoint, {"key": "store-down.txt", "document": ref}), retryBackoff="PT3S")
        assert (outcome.kind, outcome.retries, outcome.retry_backoff_ms) == ("fail", 2, 3000)
        assert outcome.variables["error"]["code"] == "DOCUMENT_STORE_UNAVAILABLE"
        assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET, Prefix="store-down")


class TestDownloadAsDocument:
    def test_object_becomes_a_document_with_the_same_bytes(
        self, gateway: GatewayServer, worker: WorkerProcess, documents: DocumentsApi, s3_endpoint: str, s3: Any
    ) -> None:
        s3.put_object(Bucket=BUCKET, Key="reports/q3.pdf", Body=PDF, ContentType="application/pdf")
        outcome = run_job(
            gateway,
            s3_variables(
                s3_endpoint,
                {"bucket": BUCKET, "key": "reports/q3.pdf"},
                actionDiscriminator="downloadObject",
                documentReturnFormat={"choice": "DOCUMENT"},
            ),
        )
        assert outcome.kind == "complete", outcome
        reference = outcome.variables["r"]["element"]["document"]
        assert reference["camunda.document.type"] == "camunda"
        assert reference["metadata"]["fileName"] == "reports/q3.pdf"
        assert reference["metadata"]["contentType"] == "application/pdf"
        stored = documents.content(reference["documentId"])
        assert hashlib.sha256(stored).digest() == hashlib.sha256(PDF).digest()

    def test_v1_as_file_true(
        self, gateway: GatewayServer, worker: WorkerProcess, documents: DocumentsApi, s3_endpoint: str, s3: Any
    ) -> None:
        s3.put_object(Bucket=BUCKET, Key="legacy.txt", Body=b"legacy", ContentType="text/plain")
        outcome = run_job(
            gateway,
            s3_variables(
                s3_endpoint,
                {"bucket": BUCKET, "key": "legacy.txt", "asFile": True},
                actionDiscriminator="downloadObject",
            ),
        )
        assert outcome.kind == "complete", outcome
        assert documents.content(outcome.variables["r"]["element"]["document"]["documentId"]) == b"legacy"

    def test_store_failure_on_create_is_retryable(
        self, gateway: GatewayServer, worker: WorkerProcess, documents: DocumentsApi, s3_endpoint: str, s3: Any
    ) -> None:
        s3.put_object(Bucket=BUCKET, Key="fails.txt", Body=b"x")
        documents.fail_next(10, 500)
        outcome = run_job(
            gateway,
            s3_variables(
                s3_endpoint,
                {"bucket": BUCKET, "key": "fails.txt", "asFile": True},
                actionDiscriminator="downloadObject",
            ),
        )
        assert (outcome.kind, outcome.retries) == ("fail", 2)
        assert outcome.variables["error"]["code"] == "DOCUMENT_STORE_UNAVAILABLE"


class TestDocumentLink:
    def test_link_created_with_the_document(
        self, gateway: GatewayServer, worker: WorkerProcess, documents: DocumentsApi, s3_endpoint: str, s3: Any
    ) -> None:
        s3.put_object(Bucket=BUCKET, Key="linked.txt", Body=b"share", ContentType="text/plain")
        outcome = run_job(
            gateway,
            s3_variables(
                s3_endpoint,
                {
                    "bucket": BUCKET,
                    "key": "linked.txt",
                    "documentLinkTimeToLive": "PT1H",
                    "documentTimeToLive": "P1D",
                    "documentCustomProperties": {"case": 42},
                },
                actionDiscriminator="downloadObject",
                documentReturnFormat={"choice": "DOCUMENT"},
            ),
        )
        assert outcome.kind == "complete", outcome
        response = outcome.variables["r"]
        assert response["documentLink"]["url"] and response["documentLink"]["expiresAt"]
        metadata = documents.uploads[-1]["metadata"]
        assert metadata["customProperties"] == {"case": 42} and metadata["expiresAt"]
