"""The error codes and HTTP statuses each server answers, as the connector's error table meets them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from testkit.s3servers import S3Server
from tests.interop.s3.conftest import s3_error

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

MISSING_BUCKET = "no-such-bucket-anywhere-0001"


class TestMissing:
    def test_get_of_a_missing_key_is_no_such_key(self, s3: S3Client, bucket: str) -> None:
        assert s3_error(lambda: s3.get_object(Bucket=bucket, Key="nope")) == ("NoSuchKey", 404)

    def test_head_of_a_missing_key_is_a_bare_404(self, s3: S3Client, bucket: str) -> None:
        assert s3_error(lambda: s3.head_object(Bucket=bucket, Key="nope")) == ("404", 404)

    @pytest.mark.parametrize("operation", ["GetObject", "PutObject", "ListObjectsV2"])
    def test_a_missing_bucket_is_no_such_bucket(self, s3: S3Client, operation: str) -> None:
        calls = {
            "GetObject": lambda: s3.get_object(Bucket=MISSING_BUCKET, Key="k"),
            "PutObject": lambda: s3.put_object(Bucket=MISSING_BUCKET, Key="k", Body=b"x"),
            "ListObjectsV2": lambda: s3.list_objects_v2(Bucket=MISSING_BUCKET),
        }

        assert s3_error(calls[operation]) == ("NoSuchBucket", 404)

    def test_head_bucket_of_a_missing_bucket_is_a_bare_404(self, s3: S3Client) -> None:
        assert s3_error(lambda: s3.head_bucket(Bucket=MISSING_BUCKET)) == ("404", 404)

    def test_delete_of_a_missing_key_succeeds(self, s3: S3Client, bucket: str) -> None:
        assert s3.delete_object(Bucket=bucket, Key="never")["ResponseMetadata"]["HTTPStatusCode"] == 204


class TestRefused:
    @pytest.mark.s3_gap(feature="access-control")
    def test_anonymous_on_a_private_bucket_is_access_denied(self, s3_server: S3Server, bucket: str) -> None:
        assert s3_error(lambda: s3_server.anonymous_client().list_objects_v2(Bucket=bucket)) == ("AccessDenied", 403)

    @pytest.mark.s3_gap("moto", "s3rver", reason="keys longer than 1024 bytes are accepted")
    def test_a_key_over_1024_bytes_is_key_too_long(self, s3: S3Client, bucket: str) -> None:
        # Segments of 100 bytes: s3rver stores keys as file paths, and one name over 255 bytes
        # would crash it (ENAMETOOLONG) for the rest of the session.
        key = "/".join(["k" * 100] * 10) + "/" + "k" * 15
        assert len(key) == 1025

        assert s3_error(lambda: s3.put_object(Bucket=bucket, Key=key, Body=b"x")) == ("KeyTooLongError", 400)

    @pytest.mark.s3_gap("moto", reason="moto accepts a bucket name with capitals and underscores")
    def test_an_invalid_bucket_name_is_invalid_bucket_name(self, s3: S3Client) -> None:
        assert s3_error(lambda: s3.create_bucket(Bucket="Not_A_Valid_Name")) == ("InvalidBucketName", 400)

    def test_deleting_a_bucket_with_objects_is_bucket_not_empty(self, s3: S3Client, bucket: str) -> None:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x")

        assert s3_error(lambda: s3.delete_bucket(Bucket=bucket)) == ("BucketNotEmpty", 409)


# CreateBucket of a bucket one already owns: AWS's us-east-1 answers 200 for compatibility,
# other regions BucketAlreadyOwnedByYou, 409.
CREATE_TWICE = {"minio": ("BucketAlreadyOwnedByYou", 409), "moto": "created", "s3rver": ("BucketAlreadyExists", 409)}


def test_creating_an_owned_bucket_again(s3_server: S3Server, s3: S3Client, bucket: str) -> None:
    try:
        s3.create_bucket(Bucket=bucket)
        answer: object = "created"
    except s3.exceptions.ClientError as refused:
        answer = (refused.response["Error"]["Code"], refused.response["ResponseMetadata"]["HTTPStatusCode"])

    assert answer == CREATE_TWICE[s3_server.name]


class TestEncryption:
    @pytest.mark.s3_gap(feature="sse-s3")
    def test_sse_s3_is_stored_and_reported(self, s3: S3Client, bucket: str) -> None:
        put = s3.put_object(Bucket=bucket, Key="k", Body=b"x", ServerSideEncryption="AES256")

        assert put.get("ServerSideEncryption") == "AES256"
        assert s3.head_object(Bucket=bucket, Key="k").get("ServerSideEncryption") == "AES256"

    @pytest.mark.s3_gap(feature="sse-kms")
    def test_sse_kms_is_stored_and_reported(self, s3: S3Client, bucket: str) -> None:
        put = s3.put_object(Bucket=bucket, Key="k", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId="my-key")

        assert put.get("ServerSideEncryption") == "aws:kms"

    def test_minio_without_a_kms_refuses_encryption_as_not_implemented(
        self, s3_server: S3Server, s3: S3Client, bucket: str
    ) -> None:
        # Which answer the connector's upload gets when a job asks for encryption on each server.
        answers = {}
        for mode in ("AES256", "aws:kms"):
            try:
                s3.put_object(Bucket=bucket, Key="k", Body=b"x", ServerSideEncryption=mode)  # type: ignore[arg-type]
                answers[mode] = "stored"
            except s3.exceptions.ClientError as refused:
                answers[mode] = (
                    f"{refused.response['Error']['Code']} {refused.response['ResponseMetadata']['HTTPStatusCode']}"
                )

        expected = {
            "minio": {"AES256": "NotImplemented 501", "aws:kms": "NotImplemented 501"},
            "moto": {"AES256": "stored", "aws:kms": "stored"},
            "s3rver": {"AES256": "stored", "aws:kms": "stored"},
        }
        assert answers == expected[s3_server.name]
