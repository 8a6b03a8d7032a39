"""List, copy and move, presign, head, delete of many, key templates and s3:// URIs through
the real pipeline against moto in-process, as a job meets them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from moto import mock_aws

from connector.actions.handlers import S3Actions
from connector.actions.policy import S3Policy
from connector.clock import Clock
from connector.runtime.executor import BlockingExecutor
from connector.runtime.jobs import Job
from connector.runtime.outcome import Complete, Fail
from connector.runtime.pipeline import Pipeline, TaskSpec
from connector.runtime.secrets import EnvironmentSecrets
from connector.s3.client import ClientCache
from connector.s3.uploads import MIN_PART_SIZE_BYTES

BUCKET = "unit-bucket"
SECRET = "wJalrXUtnFEMI-further-distinctive"
BASE = {
    "authentication": {"type": "credentials", "accessKey": "AKIAUNIT", "secretKey": "{{secrets.S3_SECRET}}"},
    "configuration": {"region": "us-east-1"},
}
NOW = datetime(2026, 12, 1, 20, 15, 0, tzinfo=timezone.utc)
JOB_CONTEXT = {"process_instance_key": 2251799813685123, "bpmn_process_id": "archive-files", "element_id": "Copy"}


# Clients are built once per module (each costs about 0.3 s): moto routes every client to the
# mock that is active, and each test's mock starts empty.
@pytest.fixture(scope="module")
def clients() -> ClientCache:
    return ClientCache()


@pytest.fixture(scope="module")
def admin() -> Any:
    with mock_aws():
        return boto3.client("s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")


@pytest.fixture
def s3(admin: Any) -> Iterator[Any]:
    with mock_aws():
        admin.create_bucket(Bucket=BUCKET)
        yield admin


@pytest.fixture
async def run(s3: Any, clients: ClientCache) -> AsyncIterator[Any]:
    executor = BlockingExecutor(max_workers=2)
    policy = S3Policy(copy_multipart_threshold_bytes=MIN_PART_SIZE_BYTES, multipart_part_size_bytes=MIN_PART_SIZE_BYTES)
    actions = S3Actions(policy=policy, clients=clients)
    pipeline = Pipeline(
        secrets=EnvironmentSecrets({"SECRET_S3_SECRET": SECRET}), executor=executor, clock=Clock(now=lambda: NOW)
    )

    async def run_job(kind: str, action: dict[str, Any], **variables: Any) -> Any:
        job = Job.of(
            key=2251799813685249,
            task_type=kind,
            retries=3,
            variables={**BASE, "action": action, **variables},
            headers={"resultVariable": "r"},
            **JOB_CONTEXT,
        )
        return await pipeline.run(job, TaskSpec(kind, (), getattr(actions, kind)))

    yield run_job
    executor.shutdown(wait=True)


def result(outcome: Any) -> dict[str, Any]:
    assert isinstance(outcome, Complete), outcome
    return dict(outcome.variables["r"])


def failure(outcome: Any, code: str, retries: int) -> Fail:
    assert isinstance(outcome, Fail), outcome
    assert (outcome.variables["error"]["code"], outcome.retries) == (code, retries), outcome
    assert SECRET not in outcome.message
    return outcome


def put(s3: Any, key: str, body: bytes = b"data", **extra: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key=key, Body=body, **extra)


class TestUrisInResponses:
    async def test_our_types_answer_with_the_uri(self, run: Any, s3: Any) -> None:
        upload = result(await run("upload", {"uri": "s3://unit-bucket/in/a b.txt", "document": "x"}))
        download = result(await run("download", {"uri": "s3://unit-bucket/in/a b.txt"}))
        deleted = result(await run("delete", {"uri": "s3://unit-bucket/in/a b.txt"}))
        for response in (upload, download, deleted):
            assert (response["bucket"], response["key"], response["uri"]) == (
                BUCKET,
                "in/a b.txt",
                "s3://unit-bucket/in/a b.txt",
            )

    async def test_camundas_type_answers_as_before(self, run: Any, s3: Any) -> None:
        response = result(
            await run("camunda", {"bucket": BUCKET, "key": "k", "document": "x"}, actionDiscriminator="uploadObject")
        )
        assert "uri" not in response and response["key"] == "k"

    async def test_an_upload_into_a_folder_uri_takes_the_documents_file_name(self, run: Any, s3: Any) -> None:
        document = {"camunda.document.type": "inline", "content": "a,b", "name": "report 1.csv"}
        response = result(await run("upload", {"uri": "s3://unit-bucket/incoming/", "document": document}))
        assert response["key"] == "incoming/report 1.csv"
        assert s3.get_object(Bucket=BUCKET, Key="incoming/report 1.csv")["Body"].read() == b"a,b"


class TestKeyTemplates:
    async def test_an_upload_key_from_the_job_the_document_and_the_clock(self, run: Any, s3: Any) -> None:
        document = {"camunda.document.type": "inline", "content": "%PDF", "name": "Invoice 7.pdf"}
        template = "{bpmn_process_id}/{year}/{month}/{process_instance_key}-{job_key}-{file_stem}.{extension}"
        response = result(await run("upload", {"bucket": BUCKET, "keyTemplate": template, "document": document}))
        key = "archive-files/2026/12/2251799813685123-2251799813685249-Invoice 7.pdf"
        assert (response["key"], response["uri"]) == (key, f"s3://unit-bucket/{key}")
        assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"%PDF"

    async def test_a_time_zone_and_literal_braces(self, run: Any, s3: Any) -> None:
        action = {"bucket": BUCKET, "keyTemplate": "{{{date_time}}}/{iso_date_time}", "timeZone": "America/New_York"}
        response = result(await run("upload", {**action, "document": "x"}))
        assert response["key"] == "{2026-12-01T15-15-00}/2026-12-01T15:15:00-05:00"

    async def test_a_uuid_per_job(self, run: Any) -> None:
        first = result(await run("upload", {"bucket": BUCKET, "keyTemplate": "u/{uuid}", "document": "x"}))
        second = result(await run("upload", {"bucket": BUCKET, "keyTemplate": "u/{uuid}", "document": "x"}))
        assert re.fullmatch(r"u/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first["key"])
        assert first["key"] != second["key"]

    async def test_a_file_placeholder_without_a_file_name_fails_before_any_request(self, run: Any, s3: Any) -> None:
        outcome = await run("upload", {"bucket": BUCKET, "keyTemplate": "in/{file_name}", "document": {"a": 1}})
        assert "action.keyTemplate: {file_name} needs a file name" in failure(outcome, "INVALID_INPUT", 0).message
        assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)

    async def test_an_expanded_key_over_1024_bytes(self, run: Any) -> None:
        document = {"camunda.document.type": "inline", "content": "x", "name": "n" * 1010 + ".txt"}
        outcome = await run("upload", {"bucket": BUCKET, "keyTemplate": "{date}/{file_name}", "document": document})
        assert "action.keyTemplate: expands to a key S3 refuses" in failure(outcome, "INVALID_INPUT", 0).message

    async def test_a_copy_target_template_sees_the_source_file_name(self, run: Any, s3: Any) -> None:
        put(s3, "in/scan 1.tar.gz")
        response = result(
            await run(
                "copy",
                {
                    "sourceUri": "s3://unit-bucket/in/scan 1.tar.gz",
                    "target": {"keyTemplate": "arch/{date}/{file_name}"},
                },
            )
        )
        assert response["target"]["key"] == "arch/2026-12-01/scan 1.tar.gz"


class TestList:
    async def test_a_folder_with_a_delimiter(self, run: Any, s3: Any) -> None:
        for key in ["in/a.txt", "in/b.txt", "in/sub/c.txt", "out/d"]:
            put(s3, key)
        response = result(await run("list", {"uri": "s3://unit-bucket/in/", "delimiter": "/"}))
        assert response["uri"] == "s3://unit-bucket/in/"
        assert [(o["key"], o["uri"], o["size"]) for o in response["objects"]] == [
            ("in/a.txt", "s3://unit-bucket/in/a.txt", 4),
            ("in/b.txt", "s3://unit-bucket/in/b.txt", 4),
        ]
        assert response["folders"] == ["in/sub/"]
        assert (response["truncated"], response["continuationToken"]) == (False, None)
        item = response["objects"][0]
        assert item["storageClass"] == "STANDARD" and re.fullmatch(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["lastModified"]
        )
        assert item["eTag"] == s3.head_object(Bucket=BUCKET, Key="in/a.txt")["ETag"].strip('"')

    async def test_pages_with_the_token_fed_back(self, run: Any, s3: Any) -> None:
        for key in "abcde":
            put(s3, key)
        seen, token = [], None
        while True:
            page = result(await run("list", {"bucket": BUCKET, "maxKeys": 2, "continuationToken": token}))
            seen.append([o["key"] for o in page["objects"]])
            token = page["continuationToken"]
            if not page["truncated"]:
                break
        assert seen == [["a", "b"], ["c", "d"], ["e"]]

    async def test_a_missing_bucket_is_permanent(self, run: Any) -> None:
        failure(await run("list", {"bucket": "no-such-bucket-x"}), "NoSuchBucket", 0)


class TestCopyAndMove:
    async def test_a_copy_response(self, run: Any, s3: Any) -> None:
        put(s3, "in/a.txt", b"hello", Metadata={"case": "7"})
        response = result(await run("copy", {"source": {"bucket": BUCKET, "key": "in/a.txt"}, "target": {"key": "b"}}))
        assert response == {
            "source": {"bucket": BUCKET, "key": "in/a.txt", "uri": "s3://unit-bucket/in/a.txt", "versionId": None},
            "target": {
                "bucket": BUCKET,
                "key": "b",
                "uri": "s3://unit-bucket/b",
                "versionId": None,
                "eTag": s3.head_object(Bucket=BUCKET, Key="b")["ETag"].strip('"'),
                "size": 5,
                "link": f"https://{BUCKET}.s3.us-east-1.amazonaws.com/b",
            },
            "sourceDeleted": False,
        }
        assert s3.head_object(Bucket=BUCKET, Key="b")["Metadata"] == {"case": "7"}

    async def test_a_move_into_a_folder_uri(self, run: Any, s3: Any) -> None:
        put(s3, "in/a.txt")
        response = result(
            await run(
                "copy",
                {"sourceUri": "s3://unit-bucket/in/a.txt", "targetUri": "s3://unit-bucket/done/", "deleteSource": True},
            )
        )
        assert (response["target"]["key"], response["sourceDeleted"]) == ("done/a.txt", True)
        assert [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]] == ["done/a.txt"]

    async def test_a_multipart_copy_with_the_threshold_setting(self, run: Any, s3: Any) -> None:
        big = b"x" * (MIN_PART_SIZE_BYTES + 10)
        put(s3, "big", big)
        response = result(
            await run("copy", {"sourceUri": "s3://unit-bucket/big", "targetUri": "s3://unit-bucket/big2"})
        )
        assert response["target"]["eTag"].endswith("-2") and response["target"]["size"] == len(big)

    async def test_create_only_on_an_existing_target_is_an_incident(self, run: Any, s3: Any) -> None:
        put(s3, "a")
        put(s3, "b", b"keep")
        outcome = await run(
            "copy", {"sourceUri": "s3://unit-bucket/a", "targetUri": "s3://unit-bucket/b", "createOnly": True}
        )
        failure(outcome, "PreconditionFailed", 0)
        assert s3.get_object(Bucket=BUCKET, Key="b")["Body"].read() == b"keep"

    async def test_a_missing_source_is_retried(self, run: Any) -> None:
        failure(await run("copy", {"sourceUri": "s3://unit-bucket/nope", "target": {"key": "b"}}), "NoSuchKey", 2)

    async def test_a_move_onto_itself_is_refused(self, run: Any, s3: Any) -> None:
        put(s3, "a")
        outcome = await run("copy", {"sourceUri": "s3://unit-bucket/a", "target": {"key": "a"}, "deleteSource": True})
        assert "action.target: is the source itself" in failure(outcome, "INVALID_INPUT", 0).message
        assert s3.get_object(Bucket=BUCKET, Key="a")["Body"].read() == b"data"

    async def test_a_folder_target_for_a_folder_marker_source(self, run: Any, s3: Any) -> None:
        put(s3, "in/")
        outcome = await run("copy", {"sourceUri": "s3://unit-bucket/in/", "targetUri": "s3://unit-bucket/out/"})
        assert (
            "action.targetUri: names a folder, but the source key ends in '/'"
            in failure(outcome, "INVALID_INPUT", 0).message
        )

    async def test_both_buckets_must_be_allowed(self, s3: Any, clients: ClientCache) -> None:
        executor = BlockingExecutor(max_workers=1)
        try:
            actions = S3Actions(policy=S3Policy(allowed_buckets=(BUCKET,)), clients=clients)
            pipeline = Pipeline(secrets=EnvironmentSecrets({"SECRET_S3_SECRET": SECRET}), executor=executor)
            action = {"sourceUri": "s3://unit-bucket/a", "targetUri": "s3://other-bucket/a"}
            job = Job.of(key=1, task_type="c", retries=3, variables={**BASE, "action": action})
            failure(await pipeline.run(job, TaskSpec("c", (), actions.copy)), "BUCKET_NOT_ALLOWED", 0)
        finally:
            executor.shutdown(wait=True)


class TestPresign:
    async def test_a_get_url_expiring_at_the_clocks_now_plus_the_duration(self, run: Any, s3: Any) -> None:
        response = result(
            await run(
                "presign", {"uri": "s3://unit-bucket/r 1.pdf", "expiresIn": "PT1H", "contentDisposition": "attachment"}
            )
        )
        assert (response["method"], response["expiresAt"], response["headers"]) == ("GET", "2026-12-01T21:15:00Z", {})
        assert parse_qs(urlsplit(response["url"]).query)["X-Amz-Expires"] == ["3600"]
        assert response["uri"] == "s3://unit-bucket/r 1.pdf"

    async def test_a_put_url_with_the_headers_to_send(self, run: Any) -> None:
        response = result(
            await run("presign", {"bucket": BUCKET, "key": "up.csv", "method": "PUT", "contentType": "text/csv"})
        )
        assert (response["expiresAt"], response["headers"]) == ("2026-12-01T20:30:00Z", {"Content-Type": "text/csv"})

    async def test_an_assumed_role_caps_the_expiry(self, run: Any) -> None:
        authentication = {**BASE["authentication"], "type": "assumeRole", "roleArn": "arn:aws:iam::123456789012:role/r"}
        response = result(
            await run("presign", {"bucket": BUCKET, "key": "k", "expiresIn": "P7D"}, authentication=authentication)
        )
        # moto's STS hands out an hour; the real now, not the test clock's, bounds it.
        expires_at = datetime.fromisoformat(response["expiresAt"].replace("Z", "+00:00"))
        assert expires_at < datetime.now(timezone.utc) + timedelta(hours=2)

    async def test_anonymous_has_nothing_to_sign_with(self, run: Any) -> None:
        outcome = await run("presign", {"bucket": BUCKET, "key": "k"}, authentication={"type": "anonymous"})
        assert (
            "authentication.type: a presigned URL is signed with credentials"
            in failure(outcome, "INVALID_INPUT", 0).message
        )


class TestHead:
    async def test_a_present_object(self, run: Any, s3: Any) -> None:
        put(s3, "h.json", b"{}", ContentType="application/json", Metadata={"a": "b"})
        response = result(await run("head", {"uri": "s3://unit-bucket/h.json"}))
        assert {k: response[k] for k in ("exists", "size", "contentType", "metadata", "storageClass", "versionId")} == {
            "exists": True,
            "size": 2,
            "contentType": "application/json",
            "metadata": {"a": "b"},
            "storageClass": "STANDARD",
            "versionId": None,
        }
        assert response["lastModified"].endswith("Z") and response["eTag"]

    async def test_an_absent_object_is_exists_false(self, run: Any) -> None:
        response = result(await run("head", {"bucket": BUCKET, "key": "nope"}))
        assert response == {
            "bucket": BUCKET,
            "key": "nope",
            "uri": "s3://unit-bucket/nope",
            "exists": False,
            **dict.fromkeys(("size", "contentType", "eTag", "lastModified", "versionId", "metadata", "storageClass")),
        }

    async def test_an_absent_object_with_fail_if_missing_is_retried(self, run: Any) -> None:
        outcome = await run("head", {"bucket": BUCKET, "key": "nope", "failIfMissing": True})
        assert "failIfMissing" in failure(outcome, "NoSuchKey", 2).message

    @pytest.mark.parametrize("fail_if_missing", [False, True])
    async def test_a_missing_bucket_is_never_exists_false(self, run: Any, fail_if_missing: bool) -> None:
        failure(
            await run("head", {"bucket": "no-such-bucket-x", "key": "k", "failIfMissing": fail_if_missing}),
            "NoSuchBucket",
            0,
        )


class TestDeleteMany:
    async def test_missing_keys_count_as_deleted(self, run: Any, s3: Any) -> None:
        put(s3, "a")
        put(s3, "c")
        response = result(await run("delete", {"bucket": BUCKET, "keys": ["a", "missing", "c", "a"]}))
        assert response == {
            "bucket": BUCKET,
            "deleted": [
                {"key": "a", "versionId": None, "deleteMarker": False},
                {"key": "missing", "versionId": None, "deleteMarker": False},
                {"key": "c", "versionId": None, "deleteMarker": False},
            ],
            "errors": [],
        }
        assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)

    async def test_a_refused_key_fails_the_job_with_both_lists(self, run: Any, s3: Any) -> None:
        s3.create_bucket(Bucket="locked-bucket", ObjectLockEnabledForBucket=True)
        held = s3.put_object(Bucket="locked-bucket", Key="held", Body=b"x", ObjectLockLegalHoldStatus="ON")["VersionId"]
        s3.put_object(Bucket="locked-bucket", Key="free", Body=b"x")
        outcome = await run("delete", {"bucket": "locked-bucket", "keys": ["free", {"key": "held", "versionId": held}]})
        fail = failure(outcome, "AccessDenied", 0)
        assert "DeleteObjects failed for 1 of 2 keys in bucket 'locked-bucket': 'held': AccessDenied" in fail.message
        variables = fail.variables["error"]["variables"]
        assert [d["key"] for d in variables["deleted"]] == ["free"]
        assert [(e["key"], e["versionId"], e["code"]) for e in variables["errors"]] == [("held", held, "AccessDenied")]

    async def test_over_the_limit_fails_before_any_request(self, run: Any, s3: Any) -> None:
        put(s3, "k0")
        outcome = await run("delete", {"bucket": BUCKET, "keys": [f"k{i}" for i in range(1001)]})
        assert "action.keys: must hold 1 to 1000 keys" in failure(outcome, "INVALID_INPUT", 0).message
        assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 1
