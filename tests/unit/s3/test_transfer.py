"""Put, get and delete against moto in-process; the download cap holds whatever S3 claims."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from botocore.response import StreamingBody

from connector.errors import ConnectorError
from connector.s3 import delete_object, get_object, put_object

from .conftest import BUCKET

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


class CountingStream(io.BytesIO):
    """A byte stream that remembers how many bytes were read from it."""

    bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


class ServedBody:
    """Replaces the GetObject body with our own stream and a chosen Content-Length.

    This simulates an S3-compatible store whose header disagrees with its body, and lets the
    test see how much was read and whether the stream was closed.
    """

    def __init__(self, client: S3Client, data: bytes, declared_bytes: int) -> None:
        self.raw = CountingStream(data)
        self._declared_bytes = declared_bytes
        client.meta.events.register("after-call.s3.GetObject", self._swap)

    def _swap(self, parsed: dict[str, Any], **_: Any) -> None:
        parsed["Body"] = StreamingBody(self.raw, self._declared_bytes)
        parsed["ContentLength"] = self._declared_bytes


@pytest.fixture
def versioned(s3: S3Client) -> Iterator[str]:
    s3.create_bucket(Bucket="versioned", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    s3.put_bucket_versioning(Bucket="versioned", VersioningConfiguration={"Status": "Enabled"})
    yield "versioned"


class TestRoundTrip:
    def test_put_then_get_returns_bytes_type_and_unquoted_etag(self, s3: S3Client) -> None:
        body = "Grüße, world\n".encode()

        put = put_object(s3, bucket=BUCKET, key="greet/hello world.txt", body=body, content_type="text/plain")
        got = get_object(s3, bucket=BUCKET, key="greet/hello world.txt", max_bytes=1024)

        assert put.size == len(body)
        assert put.etag == hashlib.md5(body).hexdigest()
        assert put.version_id is None
        assert got.body == body
        assert got.size == len(body)
        assert got.content_type == "text/plain"
        assert got.etag == put.etag

    def test_put_without_content_type_leaves_the_store_default(self, s3: S3Client) -> None:
        put_object(s3, bucket=BUCKET, key="raw", body=b"\x00\x01", content_type=None)

        assert get_object(s3, bucket=BUCKET, key="raw", max_bytes=10).content_type == "binary/octet-stream"

    def test_versioned_bucket_reports_versions_and_delete_markers(self, s3: S3Client, versioned: str) -> None:
        put = put_object(s3, bucket=versioned, key="k", body=b"v1", content_type=None)
        got = get_object(s3, bucket=versioned, key="k", max_bytes=10)
        deleted = delete_object(s3, bucket=versioned, key="k")

        assert put.version_id
        assert got.version_id == put.version_id
        assert deleted.delete_marker is True
        assert deleted.version_id and deleted.version_id != put.version_id

    def test_delete_removes_the_object(self, s3: S3Client) -> None:
        put_object(s3, bucket=BUCKET, key="gone", body=b"x", content_type=None)

        result = delete_object(s3, bucket=BUCKET, key="gone")

        assert result.delete_marker is False
        with pytest.raises(ConnectorError) as raised:
            get_object(s3, bucket=BUCKET, key="gone", max_bytes=10)
        assert raised.value.code == "NoSuchKey"

    def test_deleting_a_missing_key_succeeds(self, s3: S3Client) -> None:
        assert delete_object(s3, bucket=BUCKET, key="never-existed").delete_marker is False


class TestDownloadCap:
    def test_exactly_at_the_cap_is_accepted(self, s3: S3Client) -> None:
        put_object(s3, bucket=BUCKET, key="ten", body=b"0123456789", content_type=None)

        assert get_object(s3, bucket=BUCKET, key="ten", max_bytes=10).body == b"0123456789"

    def test_over_the_cap_points_to_document_mode(self, s3: S3Client) -> None:
        put_object(s3, bucket=BUCKET, key="big", body=b"x" * 2048, content_type=None)

        with pytest.raises(ConnectorError) as raised:
            get_object(s3, bucket=BUCKET, key="big", max_bytes=1024)

        error = raised.value
        assert (error.code, error.retryable) == ("CONTENT_TOO_LARGE", False)
        assert "2048 bytes" in error.message
        assert "1024 bytes" in error.message
        assert "DOCUMENT" in error.message and "asFile=true" in error.message
        assert error.variables == {"bucket": BUCKET, "key": "big", "maxBytes": 1024, "sizeBytes": 2048}

    def test_declared_size_over_the_cap_is_refused_without_reading(self, s3: S3Client) -> None:
        put_object(s3, bucket=BUCKET, key="k", body=b"x", content_type=None)
        served = ServedBody(s3, b"x" * 100, declared_bytes=100)

        with pytest.raises(ConnectorError) as raised:
            get_object(s3, bucket=BUCKET, key="k", max_bytes=10)

        assert raised.value.code == "CONTENT_TOO_LARGE"
        assert "has 100 bytes" in raised.value.message
        assert served.raw.bytes_read == 0
        assert served.raw.closed

    def test_a_lying_small_length_cannot_make_it_read_more_than_the_cap(self, s3: S3Client) -> None:
        put_object(s3, bucket=BUCKET, key="k", body=b"x", content_type=None)
        served = ServedBody(s3, b"x" * 1_000_000, declared_bytes=5)

        with pytest.raises(ConnectorError) as raised:
            get_object(s3, bucket=BUCKET, key="k", max_bytes=10)

        assert raised.value.code == "CONTENT_TOO_LARGE"
        assert "more than 10 bytes" in raised.value.message
        assert served.raw.bytes_read == 11
        assert served.raw.closed

    def test_a_short_body_is_a_retryable_incomplete_read(self, s3: S3Client) -> None:
        put_object(s3, bucket=BUCKET, key="k", body=b"x", content_type=None)
        served = ServedBody(s3, b"abc", declared_bytes=8)

        with pytest.raises(ConnectorError) as raised:
            get_object(s3, bucket=BUCKET, key="k", max_bytes=10)

        assert (raised.value.code, raised.value.retryable) == ("INCOMPLETE_READ", True)
        assert served.raw.closed

    def test_the_body_is_closed_after_a_successful_read(self, s3: S3Client) -> None:
        put_object(s3, bucket=BUCKET, key="k", body=b"x", content_type=None)
        served = ServedBody(s3, b"hello", declared_bytes=5)

        assert get_object(s3, bucket=BUCKET, key="k", max_bytes=10).body == b"hello"
        assert served.raw.closed
