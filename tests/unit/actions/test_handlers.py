"""Upload, download and delete through the real pipeline against moto in-process."""

import base64
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from connector.actions.handlers import S3Actions
from connector.actions.policy import S3Policy
from connector.errors import InputError
from connector.runtime.executor import BlockingExecutor
from connector.runtime.jobs import Job
from connector.runtime.outcome import Complete, Fail
from connector.runtime.pipeline import Pipeline, TaskSpec
from connector.runtime.secrets import EnvironmentSecrets
from connector.s3.client import ClientCache

BUCKET = "unit-bucket"
SECRET = "wJalrXUtnFEMI-unit-distinctive"
BASE = {
    "authentication": {"type": "credentials", "accessKey": "AKIAUNIT", "secretKey": "{{secrets.S3_SECRET}}"},
    "configuration": {"region": "us-east-1"},
}


@pytest.fixture
def s3() -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
        client.create_bucket(Bucket=BUCKET)
        yield client


@pytest.fixture
async def run(s3: Any) -> AsyncIterator[Any]:
    executor = BlockingExecutor(max_workers=2)
    actions = S3Actions(policy=S3Policy(inline_content_max_bytes=1024), clients=ClientCache())
    pipeline = Pipeline(secrets=EnvironmentSecrets({"SECRET_S3_SECRET": SECRET}), executor=executor)
    specs = {
        "camunda": actions.camunda,
        "upload": actions.upload,
        "download": actions.download,
        "delete": actions.delete,
    }

    async def run_job(kind: str, variables: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        job = Job.of(
            key=1,
            task_type=kind,
            retries=3,
            variables={**BASE, **variables},
            headers={"resultVariable": "r", **(headers or {})},
        )
        return await pipeline.run(job, TaskSpec(kind, (), specs[kind]))

    yield run_job
    executor.shutdown(wait=True)


def result(outcome: Any) -> dict[str, Any]:
    assert isinstance(outcome, Complete), outcome
    return dict(outcome.variables["r"])


class TestUpload:
    async def test_inline_document_key_defaults_to_file_name(self, run: Any, s3: Any) -> None:
        document = {"camunda.document.type": "inline", "content": "a,b\n1,2\n", "name": "report 2024+v1.csv"}
        response = result(await run("upload", {"action": {"bucket": BUCKET, "document": document}}))
        assert response["key"] == "report 2024+v1.csv"
        assert response["link"] == f"https://{BUCKET}.s3.us-east-1.amazonaws.com/report%202024%2Bv1.csv"
        assert response["size"] == 8 and response["contentType"] == "text/csv"
        stored = s3.get_object(Bucket=BUCKET, Key="report 2024+v1.csv")
        assert stored["Body"].read() == b"a,b\n1,2\n" and stored["ContentType"] == "text/csv"
        assert response["eTag"] == stored["ETag"].strip('"')

    async def test_plain_json_value_uploads_as_json(self, run: Any, s3: Any) -> None:
        response = result(await run("upload", {"action": {"bucket": BUCKET, "key": "order", "document": {"id": 7}}}))
        assert response["contentType"] == "application/json"
        assert json.loads(s3.get_object(Bucket=BUCKET, Key="order")["Body"].read()) == {"id": 7}

    async def test_camunda_v6_null_document_is_rebuilt(self, run: Any, s3: Any) -> None:
        action = {
            "bucket": BUCKET,
            "key": "from-helpers.txt",
            "document": None,
            "action_document_documentSource": "inline",
            "action_document_inline_content": "rebuilt",
        }
        result(await run("camunda", {"actionDiscriminator": "uploadObject", "action": action}))
        assert s3.get_object(Bucket=BUCKET, Key="from-helpers.txt")["Body"].read() == b"rebuilt"

    async def test_missing_key_and_name_is_an_input_error(self, run: Any) -> None:
        outcome = await run("upload", {"action": {"bucket": BUCKET, "document": "text"}})
        assert isinstance(outcome, Fail) and outcome.retries == 0 and "action.key" in outcome.message


class TestDownload:
    @pytest.mark.parametrize(
        ("body", "content_type", "expected"),
        [
            ("héllo".encode("latin-1"), "Text/Plain; Charset=ISO-8859-1", "héllo"),
            (b'{"a": 1}', "application/json; charset=utf-8", {"a": 1}),
            (b'{"a": 2}', "application/vnd.example+json", {"a": 2}),
            (b"\x89PNG\r\n\x1a\n\x00\x01", "image/png", base64.b64encode(b"\x89PNG\r\n\x1a\n\x00\x01").decode()),
        ],
    )
    async def test_content_typed_by_content_type(
        self, run: Any, s3: Any, body: bytes, content_type: str, expected: Any
    ) -> None:
        s3.put_object(Bucket=BUCKET, Key="obj", Body=body, ContentType=content_type)
        response = result(await run("download", {"action": {"bucket": BUCKET, "key": "obj"}}))
        assert response["element"] == {"content": expected}
        assert response["size"] == len(body)

    async def test_v5_text_choice_with_encoding(self, run: Any, s3: Any) -> None:
        s3.put_object(Bucket=BUCKET, Key="t", Body="grüße".encode("latin-1"), ContentType="application/octet-stream")
        response = result(
            await run(
                "download",
                {
                    "action": {"bucket": BUCKET, "key": "t"},
                    "documentReturnFormat": {"choice": "TEXT", "encoding": "ISO-8859-1"},
                },
            )
        )
        assert response["element"]["content"] == "grüße"

    async def test_json_choice_with_invalid_json_is_retryable(self, run: Any, s3: Any) -> None:
        s3.put_object(Bucket=BUCKET, Key="bad.json", Body=b"{nope")
        outcome = await run(
            "download", {"action": {"bucket": BUCKET, "key": "bad.json"}, "documentReturnFormat": {"choice": "JSON"}}
        )
        assert (
            isinstance(outcome, Fail) and outcome.retries == 2 and outcome.variables["error"]["code"] == "INVALID_JSON"
        )

    async def test_inline_cap_points_to_document_mode(self, run: Any, s3: Any) -> None:
        s3.put_object(Bucket=BUCKET, Key="big", Body=b"x" * 2048)
        outcome = await run("download", {"action": {"bucket": BUCKET, "key": "big"}})
        assert isinstance(outcome, Fail) and outcome.retries == 0 and "document" in outcome.message.lower()

    async def test_document_mode_without_a_store_names_the_setting(self, run: Any) -> None:
        outcome = await run("download", {"action": {"bucket": BUCKET, "key": "k", "asFile": True}})
        assert isinstance(outcome, Fail) and outcome.retries == 0
        assert outcome.variables["error"]["code"] == "DOCUMENT_STORE_NOT_CONFIGURED"
        assert "CAMUNDA_REST_ADDRESS" in outcome.message

    async def test_missing_object_is_retryable_with_backoff(self, run: Any) -> None:
        outcome = await run("download", {"action": {"bucket": BUCKET, "key": "nope"}}, {"retryBackoff": "PT5S"})
        assert isinstance(outcome, Fail)
        assert (outcome.retries, outcome.retry_backoff_ms) == (2, 5_000)
        assert outcome.variables["error"]["code"] == "NoSuchKey" and "nope" in outcome.message
        assert SECRET not in json.dumps(outcome.variables) and SECRET not in outcome.message


class TestDelete:
    async def test_delete_existing_and_missing(self, run: Any, s3: Any) -> None:
        s3.put_object(Bucket=BUCKET, Key="gone", Body=b"x")
        response = result(
            await run("camunda", {"actionDiscriminator": "deleteObject", "action": {"bucket": BUCKET, "key": "gone"}})
        )
        assert response == {"bucket": BUCKET, "key": "gone", "versionId": None, "deleteMarker": False}
        assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
        # S3 treats deleting a missing key as success; so do we.
        assert isinstance(await run("delete", {"action": {"bucket": BUCKET, "key": "never"}}), Complete)

    async def test_versioned_bucket_reports_delete_marker(self, run: Any, s3: Any) -> None:
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        s3.put_object(Bucket=BUCKET, Key="v", Body=b"x")
        response = result(await run("delete", {"action": {"bucket": BUCKET, "key": "v"}}))
        assert response["deleteMarker"] is True and response["versionId"]

    async def test_missing_bucket_is_permanent(self, run: Any) -> None:
        outcome = await run("delete", {"action": {"bucket": "no-such-bucket-here", "key": "k"}})
        assert isinstance(outcome, Fail) and outcome.retries == 0
        assert outcome.variables["error"]["code"] == "NoSuchBucket"


class TestUploadOptions:
    async def test_options_reach_s3(self, run: Any, s3: Any) -> None:
        action = {
            "bucket": BUCKET,
            "key": "opts.txt",
            "document": "x",
            "contentType": "text/x-custom",
            "metadata": {"case-id": "42"},
            "tags": {"retention": "short"},
            "storageClass": "ONEZONE_IA",
            "serverSideEncryption": "AES256",
            "cacheControl": "no-cache",
            "contentDisposition": "inline",
        }
        response = result(await run("upload", {"action": action}))
        assert response["contentType"] == "text/x-custom"
        head = s3.head_object(Bucket=BUCKET, Key="opts.txt")
        assert (head["ContentType"], head["Metadata"], head["StorageClass"]) == (
            "text/x-custom",
            # The job key beside the user's metadata lets a re-run recognise its earlier write.
            {"case-id": "42", "zeebe-job-key": "1"},
            "ONEZONE_IA",
        )
        assert s3.get_object_tagging(Bucket=BUCKET, Key="opts.txt")["TagSet"] == [
            {"Key": "retention", "Value": "short"}
        ]

    async def test_create_only_conflict_is_permanent(self, run: Any, s3: Any) -> None:
        s3.put_object(Bucket=BUCKET, Key="exists", Body=b"original")
        outcome = await run(
            "upload", {"action": {"bucket": BUCKET, "key": "exists", "document": "new", "createOnly": True}}
        )
        assert isinstance(outcome, Fail) and outcome.retries == 0
        assert outcome.variables["error"]["code"] == "PreconditionFailed"
        assert s3.get_object(Bucket=BUCKET, Key="exists")["Body"].read() == b"original"

    async def test_presigned_link_with_expiry(self, run: Any) -> None:
        response = result(
            await run(
                "upload",
                {"action": {"bucket": BUCKET, "key": "p q.txt", "document": "x", "presignedLinkExpiry": "PT15M"}},
            )
        )
        assert "X-Amz-Expires=900" in response["presignedLink"] and "p%20q.txt" in response["presignedLink"]
        assert response["presignedLinkExpiresAt"].endswith("Z")

    @pytest.mark.parametrize(
        ("action", "fragment"),
        [
            ({"presignedLinkExpiry": "P8D"}, "presignedLinkExpiry"),
            ({"presignedLinkExpiry": "soon"}, "presignedLinkExpiry"),
            ({"kmsKeyId": "k"}, "kmsKeyId"),
            ({"storageClass": "COLD"}, "storageClass"),
            ({"tags": {str(i): "v" for i in range(11)}}, "10 tags"),
            ({"metadata": {"bad name": "v"}}, "metadata name"),
            ({"metadata": {"big": "x" * 3000}}, "2048"),
        ],
    )
    async def test_invalid_options_fail_before_any_request(
        self, run: Any, s3: Any, action: dict[str, Any], fragment: str
    ) -> None:
        outcome = await run("upload", {"action": {"bucket": BUCKET, "key": "never", "document": "x", **action}})
        assert isinstance(outcome, Fail) and outcome.retries == 0 and fragment in outcome.message
        assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)


class TestVersions:
    async def test_download_and_delete_a_specific_version(self, run: Any, s3: Any) -> None:
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        first = s3.put_object(Bucket=BUCKET, Key="doc", Body=b"v1", ContentType="text/plain")["VersionId"]
        s3.put_object(Bucket=BUCKET, Key="doc", Body=b"v2", ContentType="text/plain")
        old = result(await run("download", {"action": {"bucket": BUCKET, "key": "doc", "versionId": first}}))
        assert old["element"] == {"content": "v1"} and old["versionId"] == first
        deleted = result(await run("delete", {"action": {"bucket": BUCKET, "key": "doc", "versionId": first}}))
        assert deleted["versionId"] == first and deleted["deleteMarker"] is False
        remaining = [v["VersionId"] for v in s3.list_object_versions(Bucket=BUCKET)["Versions"]]
        assert first not in remaining and len(remaining) == 1

    async def test_upload_reports_version_id(self, run: Any, s3: Any) -> None:
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        response = result(await run("upload", {"action": {"bucket": BUCKET, "key": "v", "document": "x"}}))
        assert response["versionId"] == s3.head_object(Bucket=BUCKET, Key="v")["VersionId"]


class TestByteRange:
    async def test_range(self, run: Any, s3: Any) -> None:
        s3.put_object(Bucket=BUCKET, Key="r", Body=b"0123456789", ContentType="text/plain")
        response = result(await run("download", {"action": {"bucket": BUCKET, "key": "r", "range": "bytes=2-5"}}))
        assert response["element"] == {"content": "2345"} and response["size"] == 4

    async def test_invalid_range(self, run: Any) -> None:
        outcome = await run("download", {"action": {"bucket": BUCKET, "key": "r", "range": "2-5"}})
        assert isinstance(outcome, Fail) and outcome.retries == 0 and "action.range" in outcome.message


class TestInlineUploads:
    async def test_base64_content_is_uploaded_decoded(self, run: Any, s3: Any) -> None:
        pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(64))
        document = {"camunda.document.type": "inline", "content": base64.b64encode(pdf).decode(), "name": "scan"}
        response = result(
            await run("upload", {"action": {"bucket": BUCKET, "document": document, "contentEncoding": "base64"}})
        )
        assert response["size"] == len(pdf) and response["contentType"] == "application/pdf"
        assert s3.get_object(Bucket=BUCKET, Key="scan")["Body"].read() == pdf

    async def test_invalid_base64_is_an_input_error(self, run: Any) -> None:
        outcome = await run(
            "upload", {"action": {"bucket": BUCKET, "key": "k", "document": "not base64!", "contentEncoding": "base64"}}
        )
        assert isinstance(outcome, Fail) and outcome.retries == 0 and "base64" in outcome.message

    async def test_inline_content_over_the_cap(self, s3: Any) -> None:
        from connector.documents.address_guard import AddressPolicy
        from connector.documents.external import ExternalFetcher
        from connector.documents.references import PlainValue
        from connector.documents.sources import DocumentSources

        sources = DocumentSources(store=None, fetcher=ExternalFetcher(AddressPolicy(), max_bytes=1), inline_max_bytes=4)
        with pytest.raises(InputError, match="S3_CONNECTOR_INLINE_UPLOAD_MAX_BYTES") as raised:
            async with sources.open(PlainValue("12345")):
                pass
        assert raised.value.code == "INLINE_UPLOAD_TOO_LARGE"


class TestBucketAllowList:
    async def test_only_allowed_buckets_are_touched(self, s3: Any) -> None:
        executor = BlockingExecutor(max_workers=1)
        try:
            actions = S3Actions(policy=S3Policy(allowed_buckets=("unit-*",)), clients=ClientCache())
            pipeline = Pipeline(secrets=EnvironmentSecrets({"SECRET_S3_SECRET": SECRET}), executor=executor)

            async def delete(bucket: str) -> Any:
                job = Job.of(
                    key=1,
                    task_type="d",
                    retries=3,
                    headers={},
                    variables={**BASE, "action": {"bucket": bucket, "key": "k"}},
                )
                return await pipeline.run(job, TaskSpec("d", (), actions.delete))

            assert isinstance(await delete(BUCKET), Complete)
            s3.create_bucket(Bucket="other-bucket")
            s3.put_object(Bucket="other-bucket", Key="k", Body=b"stays")
            refused = await delete("other-bucket")
            assert isinstance(refused, Fail) and refused.retries == 0
            assert refused.variables["error"]["code"] == "BUCKET_NOT_ALLOWED"
            assert "S3_CONNECTOR_ALLOWED_BUCKETS" in refused.message
            assert s3.get_object(Bucket="other-bucket", Key="k")["Body"].read() == b"stays"
        finally:
            executor.shutdown(wait=True)
