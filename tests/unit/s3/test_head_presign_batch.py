"""HeadObject told apart from a missing bucket, presigned URLs and their expiry, and
DeleteObjects with an answer per key, on moto in-process."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest

from connector.errors import ConnectorError
from connector.s3 import ClientCache, ClientSpec
from connector.s3.batch_delete import delete_objects
from connector.s3.credentials import AssumeRole
from connector.s3.head import head_object
from connector.s3.presign import presign
from tests.unit.s3.conftest import BUCKET

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


@pytest.fixture
def s3(shared_s3: S3Client) -> S3Client:
    return shared_s3


class TestHead:
    def test_a_present_object(self, s3: S3Client) -> None:
        s3.put_object(Bucket=BUCKET, Key="a b.txt", Body=b"12345", ContentType="text/plain", Metadata={"k": "v"})

        head = head_object(s3, bucket=BUCKET, key="a b.txt")

        assert head is not None
        assert (head.size, head.content_type, head.metadata, head.storage_class) == (
            5,
            "text/plain",
            {"k": "v"},
            "STANDARD",
        )
        assert head.etag == "827ccb0eea8a706c4c34a16891f84e7b" and head.last_modified is not None

    def test_a_missing_key_is_none(self, s3: S3Client) -> None:
        assert head_object(s3, bucket=BUCKET, key="nope") is None

    def test_a_missing_bucket_is_no_such_bucket_not_a_missing_key(self, s3: S3Client) -> None:
        with pytest.raises(ConnectorError) as raised:
            head_object(s3, bucket="no-such-bucket-x", key="k")
        assert (raised.value.code, raised.value.retryable) == ("NoSuchBucket", False)

    def test_versions_and_delete_markers(self, s3: S3Client) -> None:
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        first = s3.put_object(Bucket=BUCKET, Key="v", Body=b"1")["VersionId"]
        s3.delete_object(Bucket=BUCKET, Key="v")

        assert head_object(s3, bucket=BUCKET, key="v") is None  # the current version is a delete marker
        old = head_object(s3, bucket=BUCKET, key="v", version_id=first)
        assert old is not None and old.version_id == first and old.size == 1


class TestPresign:
    def test_get_with_a_download_name_and_a_version(self, s3: S3Client) -> None:
        signed = presign(
            s3,
            method="GET",
            bucket=BUCKET,
            key="reports/q 1.pdf",
            expires_s=600,
            content_disposition='attachment; filename="Q1.pdf"',
            version_id="v1",
        )
        query = parse_qs(urlsplit(signed.url).query)
        assert urlsplit(signed.url).path.endswith("/reports/q%201.pdf")
        assert query["X-Amz-Expires"] == ["600"] and query["versionId"] == ["v1"]
        assert query["response-content-disposition"] == ['attachment; filename="Q1.pdf"']
        assert (signed.headers, signed.credentials_expire_at) == ({}, None)

    def test_put_lists_the_headers_the_signature_covers(self, s3: S3Client) -> None:
        signed = presign(
            s3,
            method="PUT",
            bucket=BUCKET,
            key="in/x.csv",
            expires_s=60,
            content_type="text/csv",
            content_disposition="inline",
        )
        signed_headers = parse_qs(urlsplit(signed.url).query)["X-Amz-SignedHeaders"][0].split(";")
        assert signed.headers == {"Content-Type": "text/csv", "Content-Disposition": "inline"}
        assert {"content-type", "content-disposition"} <= set(signed_headers)

    def test_an_assumed_roles_expiry_is_reported(self, s3: S3Client) -> None:
        spec = ClientSpec(
            access_key_id="AKIAFAKEFAKEFAKE0001",
            secret_access_key="fake-secret-0001",
            region="eu-central-1",
            assume_role=AssumeRole(role_arn="arn:aws:iam::123456789012:role/r", duration_s=900),
        )
        client = ClientCache().get(spec)

        signed = presign(client, method="GET", bucket=BUCKET, key="k", expires_s=3600)

        expiry = signed.credentials_expire_at
        assert expiry is not None
        assert timedelta(minutes=10) < expiry - datetime.now(timezone.utc) <= timedelta(minutes=15, seconds=5)


class TestBatchDelete:
    def test_deleted_keys_in_the_order_asked_with_missing_keys_deleted(self, s3: S3Client) -> None:
        for key in ("a", "c"):
            s3.put_object(Bucket=BUCKET, Key=key, Body=b"x")

        result = delete_objects(s3, bucket=BUCKET, keys=[("c", None), ("missing", None), ("a", None)])

        assert [(d.key, d.delete_marker) for d in result.deleted] == [("c", False), ("missing", False), ("a", False)]
        assert result.errors == () and s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0

    def test_versions_and_delete_markers(self, s3: S3Client) -> None:
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        first = s3.put_object(Bucket=BUCKET, Key="v", Body=b"1")["VersionId"]
        s3.put_object(Bucket=BUCKET, Key="v", Body=b"2")

        result = delete_objects(s3, bucket=BUCKET, keys=[("v", first), ("v", None)])

        by_version = {d.version_id == first: d for d in result.deleted}
        assert by_version[True].delete_marker is False
        assert by_version[False].delete_marker is True and by_version[False].version_id

    def test_refusals_per_key_keep_s3s_codes(self, s3: S3Client, hooks: Any) -> None:
        s3.put_object(Bucket=BUCKET, Key="ok", Body=b"x")

        def refuse(parsed: dict[str, Any], **_: Any) -> None:
            parsed["Deleted"] = [d for d in parsed.get("Deleted", []) if d["Key"] == "ok"]
            parsed["Errors"] = [
                {"Key": "locked", "Code": "AccessDenied", "Message": "Access Denied"},
                {"Key": "busy", "Code": "InternalError", "Message": "We encountered an internal error"},
                {"Key": "odd", "Code": "SomethingNew", "Message": "?"},
            ]

        hooks("after-call.s3.DeleteObjects", refuse)
        result = delete_objects(s3, bucket=BUCKET, keys=[("odd", None), ("busy", None), ("ok", None), ("locked", None)])

        assert [d.key for d in result.deleted] == ["ok"]
        assert [(e.key, e.code.code, e.code.retryable) for e in result.errors] == [
            ("odd", "SomethingNew", True),
            ("busy", "InternalError", True),
            ("locked", "AccessDenied", False),
        ]

    @pytest.mark.parametrize("count", [0, 1001])
    def test_outside_one_request_is_a_programming_error(self, s3: S3Client, count: int) -> None:
        with pytest.raises(ValueError, match="1 to 1000 keys"):
            delete_objects(s3, bucket=BUCKET, keys=[(f"k{i}", None) for i in range(count)])

    def test_a_missing_bucket(self, s3: S3Client) -> None:
        with pytest.raises(ConnectorError) as raised:
            delete_objects(s3, bucket="no-such-bucket-x", keys=[("k", None)])
        assert raised.value.code == "NoSuchBucket"
