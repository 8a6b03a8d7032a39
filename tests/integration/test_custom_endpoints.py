"""Custom endpoints and path-style addressing against independent S3 implementations, all real
HTTP servers on loopback: moto's server and s3rver, and MinIO in the interop command."""

from __future__ import annotations

import hashlib
import io
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from connector.actions.handlers import S3Actions
from connector.actions.policy import S3Policy
from connector.runtime.executor import BlockingExecutor
from connector.runtime.jobs import Job
from connector.runtime.outcome import Complete, Fail
from connector.runtime.pipeline import Pipeline, TaskSpec
from connector.runtime.secrets import EnvironmentSecrets
from connector.s3.client import ClientCache, ClientSpec
from connector.s3.uploads import MIN_PART_SIZE_BYTES, MultipartConfig, UploadOptions, upload_stream
from testkit.s3servers import S3Server

BUCKET = "endpoint-bucket"
AWKWARD_KEYS = ["plain.txt", "dir/ünïcödé ✓.txt", "a b+c=d.txt", "hash#and?query.txt", "100% real.txt"]


@pytest.fixture
def store(s3_server: S3Server) -> S3Server:
    s3_server.ensure_bucket(BUCKET)
    return s3_server


@pytest.fixture
async def run(store: S3Server) -> AsyncIterator[Any]:
    executor = BlockingExecutor(max_workers=2)
    actions = S3Actions(policy=S3Policy(allowed_endpoints=(store.endpoint_url,)), clients=ClientCache())
    pipeline = Pipeline(secrets=EnvironmentSecrets({}), executor=executor)
    handlers = {"upload": actions.upload, "download": actions.download, "delete": actions.delete}

    async def run_job(kind: str, action: dict[str, Any], **more: Any) -> Any:
        variables = {
            "authentication": {"accessKey": store.access_key_id, "secretKey": store.secret_access_key},
            "configuration": {"region": store.region, "endpoint": store.endpoint_url},
            "action": action,
            **more,
        }
        job = Job.of(key=1, task_type=kind, retries=3, variables=variables, headers={"resultVariable": "r"})
        return await pipeline.run(job, TaskSpec(kind, (), handlers[kind]))

    yield run_job
    executor.shutdown(wait=True)


def response(outcome: Any) -> dict[str, Any]:
    assert isinstance(outcome, Complete), outcome
    return dict(outcome.variables["r"])


class TestRoundTrip:
    @pytest.mark.parametrize("key", AWKWARD_KEYS)
    async def test_upload_download_delete(self, run: Any, store: S3Server, key: str) -> None:
        uploaded = response(await run("upload", {"bucket": BUCKET, "key": key, "document": f"content of {key}"}))
        assert uploaded["key"] == key
        # The link is path-style, percent-encoded, and names the object: fetching it signed gets the bytes.
        assert uploaded["link"].startswith(f"{store.endpoint_url}/{BUCKET}/") and " " not in uploaded["link"]
        downloaded = response(
            await run("download", {"bucket": BUCKET, "key": key}, documentReturnFormat={"choice": "TEXT"})
        )
        assert downloaded["element"] == {"content": f"content of {key}"}
        response(await run("delete", {"bucket": BUCKET, "key": key}))
        missing = await run("download", {"bucket": BUCKET, "key": key})
        assert isinstance(missing, Fail) and missing.variables["error"]["code"] == "NoSuchKey"

    async def test_presigned_link_downloads_the_object(self, run: Any) -> None:
        uploaded = response(
            await run(
                "upload",
                {"bucket": BUCKET, "key": "shared file.txt", "document": "share me", "presignedLinkExpiry": "PT5M"},
            )
        )
        with urllib.request.urlopen(uploaded["presignedLink"], timeout=10) as http:
            assert http.read() == b"share me"

    async def test_json_typed_by_content_type(self, run: Any) -> None:
        response(await run("upload", {"bucket": BUCKET, "key": "data.json", "document": {"n": [1, 2]}}))
        downloaded = response(await run("download", {"bucket": BUCKET, "key": "data.json"}))
        assert downloaded["element"] == {"content": {"n": [1, 2]}}
        assert downloaded["contentType"].startswith("application/json")


class TestMultipart:
    def test_multipart_upload_with_path_style(self, store: S3Server) -> None:
        client = ClientCache().get(
            ClientSpec(
                access_key_id=store.access_key_id,
                secret_access_key=store.secret_access_key,
                region=store.region,
                endpoint_url=store.endpoint_url,
                path_style=True,
                checksum_when_required=True,
            )
        )
        data = bytes(range(256)) * (11 * 1024 * 1024 // 256)
        config = MultipartConfig(threshold_bytes=MIN_PART_SIZE_BYTES, part_size_bytes=MIN_PART_SIZE_BYTES)
        result = upload_stream(
            client,
            bucket=BUCKET,
            key="multi/part.bin",
            read=io.BytesIO(data).read,
            options=UploadOptions(content_type="application/octet-stream"),
            config=config,
        )
        assert result.size == len(data)
        stored = client.get_object(Bucket=BUCKET, Key="multi/part.bin")["Body"].read()
        assert hashlib.sha256(stored).digest() == hashlib.sha256(data).digest()
        if "multipart-listing" not in store.lacks:
            assert client.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []


def test_s3rver_binary_is_installed_by_bootstrap() -> None:
    from testkit.s3rver import BINARY

    assert BINARY.exists(), "tools/ must be installed by ./scripts/bootstrap.sh"
    assert isinstance(Path(BINARY), Path)
