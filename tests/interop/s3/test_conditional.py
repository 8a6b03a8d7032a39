"""Conditional requests: create-only writes (``If-None-Match: *``) and reads pinned to an ETag
(``If-Match``), as the connector's createOnly and consistent downloads use them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from testkit.s3servers import S3Server
from tests.interop.s3.conftest import s3_error

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

PART = 5 * 1024 * 1024


class TestCreateOnly:
    @pytest.mark.s3_gap(feature="conditional-writes")
    def test_put_if_none_match_creates_once(self, s3: S3Client, bucket: str) -> None:
        s3.put_object(Bucket=bucket, Key="k", Body=b"first", IfNoneMatch="*")

        assert s3_error(lambda: s3.put_object(Bucket=bucket, Key="k", Body=b"second", IfNoneMatch="*")) == (
            "PreconditionFailed",
            412,
        )
        assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"first"

    @pytest.mark.s3_gap(feature="conditional-writes")
    def test_complete_if_none_match_refuses_an_existing_key_and_keeps_the_upload(
        self, s3: S3Client, bucket: str
    ) -> None:
        s3.put_object(Bucket=bucket, Key="k", Body=b"already there")
        upload = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
        etag = s3.upload_part(Bucket=bucket, Key="k", UploadId=upload, PartNumber=1, Body=b"x" * 10)["ETag"]

        def complete() -> object:
            return s3.complete_multipart_upload(
                Bucket=bucket,
                Key="k",
                UploadId=upload,
                MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]},
                IfNoneMatch="*",
            )

        assert s3_error(complete) == ("PreconditionFailed", 412)
        # The refused upload still holds its parts: whoever completes must abort it.
        assert [u["UploadId"] for u in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", [])] == [upload]
        assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"already there"

    def test_complete_if_none_match_creates_a_new_key(self, s3: S3Client, bucket: str) -> None:
        upload = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
        etag = s3.upload_part(Bucket=bucket, Key="k", UploadId=upload, PartNumber=1, Body=b"new")["ETag"]

        s3.complete_multipart_upload(
            Bucket=bucket,
            Key="k",
            UploadId=upload,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]},
            IfNoneMatch="*",
        )

        assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"new"


COPY_IF_NONE_MATCH = {
    # MinIO ignores If-None-Match on CopyObject and overwrites the target: a create-only copy
    # must check the target itself (HeadObject) there.
    "minio": "overwritten",
    "moto": "overwritten",
    "s3rver": "overwritten",
}


def test_copy_if_none_match_on_an_existing_target(s3_server: S3Server, s3: S3Client, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="source", Body=b"new")
    s3.put_object(Bucket=bucket, Key="target", Body=b"old")

    try:
        s3.copy_object(Bucket=bucket, Key="target", CopySource={"Bucket": bucket, "Key": "source"}, IfNoneMatch="*")
        answer = "overwritten" if s3.get_object(Bucket=bucket, Key="target")["Body"].read() == b"new" else "kept"
    except s3.exceptions.ClientError as refused:
        answer = str(refused.response["Error"]["Code"])

    assert answer == COPY_IF_NONE_MATCH[s3_server.name]


class TestIfMatch:
    @pytest.mark.s3_gap(feature="conditional-reads")
    def test_get_if_match_is_412_once_the_object_changed(self, s3: S3Client, bucket: str) -> None:
        etag = s3.put_object(Bucket=bucket, Key="k", Body=b"v1")["ETag"]
        assert s3.get_object(Bucket=bucket, Key="k", IfMatch=etag)["Body"].read() == b"v1"

        s3.put_object(Bucket=bucket, Key="k", Body=b"v2")

        assert s3_error(lambda: s3.get_object(Bucket=bucket, Key="k", IfMatch=etag)) == ("PreconditionFailed", 412)

    @pytest.mark.s3_gap(feature="conditional-reads")
    def test_ranged_get_if_match_pins_every_part_of_a_parallel_download(self, s3: S3Client, bucket: str) -> None:
        etag = s3.put_object(Bucket=bucket, Key="k", Body=b"0123456789")["ETag"]
        first = s3.get_object(Bucket=bucket, Key="k", Range="bytes=0-4", IfMatch=etag)["Body"].read()

        s3.put_object(Bucket=bucket, Key="k", Body=b"abcdefghij")

        assert first == b"01234"
        assert s3_error(lambda: s3.get_object(Bucket=bucket, Key="k", Range="bytes=5-9", IfMatch=etag)) == (
            "PreconditionFailed",
            412,
        )

    def test_get_if_none_match_the_current_etag_is_304(self, s3: S3Client, bucket: str) -> None:
        etag = s3.put_object(Bucket=bucket, Key="k", Body=b"v1")["ETag"]

        assert s3_error(lambda: s3.get_object(Bucket=bucket, Key="k", IfNoneMatch=etag)) == ("304", 304)

    @pytest.mark.s3_gap(feature="conditional-writes")
    def test_put_if_match_another_etag_is_412(self, s3: S3Client, bucket: str) -> None:
        s3.put_object(Bucket=bucket, Key="k", Body=b"v1")

        assert s3_error(lambda: s3.put_object(Bucket=bucket, Key="k", Body=b"v2", IfMatch='"0123456789abcdef"')) == (
            "PreconditionFailed",
            412,
        )
