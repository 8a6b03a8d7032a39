"""Processes modelled with Camunda's official AWS S3 templates run unchanged on our worker.

For every template version Camunda publishes on npm, a service task is configured with
element-templates-cli (the real tooling), its input mappings are evaluated as Zeebe does
(with our FEEL evaluator), and the resulting job runs through the real worker process
against moto over HTTP and the fake of Camunda's document store.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from testkit.documents_api import DocumentsApi
from testkit.gateway import GatewayServer
from testkit.http_servers import StaticServer
from tests.compat.zeebe_mappings import ROOT, apply_official_template, job_variables
from tests.e2e.worker_process import WorkerProcess

pytestmark = pytest.mark.e2e

BUCKET = "compat-bucket"
TEMPLATES = ROOT / "tools/node_modules/@camunda/connectors-element-templates/src/element-templates"
VERSIONS = sorted(t["version"] for t in json.loads((TEMPLATES / "aws-s3-outbound-connector.json").read_text()))
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 16
CREDENTIALS = {
    "authentication.accessKey": "{{secrets.AWS_ACCESS_KEY}}",
    "authentication.secretKey": "{{secrets.AWS_SECRET_KEY}}",
    "configuration.region": "us-east-1",
    "resultVariable": "s3Result",
}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3 = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    s3.create_bucket(Bucket=BUCKET)
    with (
        DocumentsApi() as documents,
        GatewayServer() as gateway,
        StaticServer({"/files/external.pdf": (PDF, "application/pdf")}) as web,
    ):
        worker = WorkerProcess(
            {
                "ZEEBE_ADDRESS": gateway.address,
                # Camunda's templates cannot set an endpoint: the operator's default applies.
                "S3_CONNECTOR_DEFAULT_ENDPOINT": endpoint,
                "CAMUNDA_REST_ADDRESS": documents.base_url,
                "S3_CONNECTOR_ALLOWED_URL_HOSTS": "127.0.0.1",
                "SECRET_AWS_ACCESS_KEY": "AKIACOMPAT",
                "SECRET_AWS_SECRET_KEY": "compat-secret-key",
                "S3_CONNECTOR_HEALTH_HOST": "127.0.0.1",
                "S3_CONNECTOR_HEALTH_PORT": "0",
                "S3_CONNECTOR_POLL_REQUEST_TIMEOUT_MS": "1000",
            },
            tmp_path_factory.mktemp("compat") / "worker.log",
        )
        worker.wait_started()
        try:
            yield {"gateway": gateway, "documents": documents, "s3": s3, "web": web, "worker": worker}
        finally:
            worker.kill()
            moto.stop()


def run(stack: dict[str, Any], version: int, values: dict[str, Any], process: dict[str, Any] | None = None) -> Any:
    task = apply_official_template(version, {**CREDENTIALS, **values})
    assert task.task_type == "io.camunda:aws-s3:1"
    variables = job_variables(task, process or {})
    key = stack["gateway"].gateway.create_job(task.task_type, variables, task.headers, retries=task.retries)
    return stack["gateway"].gateway.wait_for_outcome(key, timeout_s=30), variables


def completed(outcome: Any) -> dict[str, Any]:
    assert outcome.kind == "complete", outcome
    return dict(outcome.variables["s3Result"])


def upload_values(version: int, source: str, key: str, **source_values: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "actionDiscriminator": "uploadObject",
        "uploadActionBucket": BUCKET,
        "uploadActionKey": key,
    }
    if version <= 2:
        values["uploadActionDocument"] = "=docRef"
    else:
        values["action_document_documentSource"] = source
        values.update(source_values)
    return values


@pytest.mark.parametrize("version", VERSIONS)
class TestUpload:
    def test_camunda_document(self, stack: dict[str, Any], version: int) -> None:
        ref = stack["documents"].put_document(PDF, "application/pdf", "invoice.pdf")
        values = upload_values(
            version, "camunda", f"v{version}/camunda.pdf", action_document_camundaReference="=docRef"
        )
        outcome, variables = run(stack, version, values, {"docRef": ref})
        if 3 <= version <= 6:
            # Camunda's composer bug: the template itself produces a null document.
            assert variables["action"]["document"] is None
        response = completed(outcome)
        assert response["key"] == f"v{version}/camunda.pdf" and response["size"] == len(PDF)
        assert stack["s3"].get_object(Bucket=BUCKET, Key=f"v{version}/camunda.pdf")["Body"].read() == PDF


# Camunda added the inline and external document sources in template v3.
@pytest.mark.parametrize("version", [v for v in VERSIONS if v >= 3])
class TestUploadSourcesFromV3:
    def test_inline_content(self, stack: dict[str, Any], version: int) -> None:
        values = upload_values(
            version,
            "inline",
            f"v{version}/inline.txt",
            action_document_inline_content="hello",
            action_document_inline_fileName="hello.txt",
        )
        outcome, _ = run(stack, version, values)
        completed(outcome)
        assert stack["s3"].get_object(Bucket=BUCKET, Key=f"v{version}/inline.txt")["Body"].read() == b"hello"

    def test_external_url(self, stack: dict[str, Any], version: int) -> None:
        url = f"{stack['web'].url}/files/external.pdf"
        values = upload_values(version, "external", f"v{version}/external.pdf", action_document_external_url=url)
        outcome, _ = run(stack, version, values)
        assert completed(outcome)["contentType"] == "application/pdf"
        assert stack["s3"].get_object(Bucket=BUCKET, Key=f"v{version}/external.pdf")["Body"].read() == PDF


@pytest.mark.parametrize("version", VERSIONS)
class TestDownloadAndDelete:
    def put(self, stack: dict[str, Any], key: str, body: bytes, content_type: str) -> None:
        stack["s3"].put_object(Bucket=BUCKET, Key=key, Body=body, ContentType=content_type)

    def download(self, version: int, key: str, **values: Any) -> dict[str, Any]:
        return {
            "actionDiscriminator": "downloadObject",
            "downloadActionBucket": BUCKET,
            "downloadActionKey": key,
            **values,
        }

    def test_as_document(self, stack: dict[str, Any], version: int) -> None:
        key = f"v{version}/doc.pdf"
        self.put(stack, key, PDF, "application/pdf")
        format_values = {"downloadActionAsFile": True} if version <= 4 else {"documentReturnFormat": "DOCUMENT"}
        outcome, _ = run(stack, version, self.download(version, key, **format_values))
        document = completed(outcome)["element"]["document"]
        assert stack["documents"].content(document["documentId"]) == PDF

    def test_as_text_json_or_legacy_typed(self, stack: dict[str, Any], version: int) -> None:
        self.put(stack, f"v{version}/t.txt", "grüße".encode(), "text/plain; charset=utf-8")
        self.put(stack, f"v{version}/d.json", b'{"n": 1}', "application/json")
        if version <= 4:
            text, _ = run(stack, version, self.download(version, f"v{version}/t.txt", downloadActionAsFile=False))
            data, _ = run(stack, version, self.download(version, f"v{version}/d.json", downloadActionAsFile=False))
        else:
            text, _ = run(stack, version, self.download(version, f"v{version}/t.txt", documentReturnFormat="TEXT"))
            data, _ = run(stack, version, self.download(version, f"v{version}/d.json", documentReturnFormat="JSON"))
        assert completed(text)["element"] == {"content": "grüße"}
        assert completed(data)["element"] == {"content": {"n": 1}}

    def test_delete(self, stack: dict[str, Any], version: int) -> None:
        key = f"v{version}/gone.txt"
        self.put(stack, key, b"x", "text/plain")
        values = {"actionDiscriminator": "deleteObject", "deleteActionBucket": BUCKET, "deleteActionKey": key}
        outcome, _ = run(stack, version, values)
        assert completed(outcome) == {"bucket": BUCKET, "key": key, "versionId": None, "deleteMarker": False}
        assert "Contents" not in stack["s3"].list_objects_v2(Bucket=BUCKET, Prefix=key)


@pytest.mark.parametrize("version", [v for v in VERSIONS if v >= 6])
def test_reusable_aws_credential(stack: dict[str, Any], version: int) -> None:
    key = f"v{version}/credential.txt"
    stack["s3"].put_object(Bucket=BUCKET, Key=key, Body=b"x")
    credential = {
        "authentication": {
            "type": "credentials",
            "accessKey": "{{secrets.AWS_ACCESS_KEY}}",
            "secretKey": "{{secrets.AWS_SECRET_KEY}}",
        },
        "region": "us-east-1",
    }
    values = {
        "awsCredential": "=awsCred",
        "actionDiscriminator": "deleteObject",
        "deleteActionBucket": BUCKET,
        "deleteActionKey": key,
        "resultVariable": "s3Result",
    }
    task = apply_official_template(version, values)
    variables = job_variables(task, {"awsCred": credential})
    # v6 still writes the (empty) inline authentication beside the credential; it must be ignored.
    assert variables["awsCredential"] == credential
    job = stack["gateway"].gateway.create_job(task.task_type, variables, task.headers)
    assert completed(stack["gateway"].gateway.wait_for_outcome(job, timeout_s=30))["key"] == key


def test_every_published_version_is_covered() -> None:
    # The npm package ships every version Camunda published; a new one must be added here.
    assert list(range(1, max(VERSIONS) + 1)) == VERSIONS and max(VERSIONS) >= 8
    assert os.path.exists(Path(TEMPLATES) / "aws-s3-outbound-connector.json")
