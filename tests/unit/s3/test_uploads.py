"""Streaming uploads: single PUT when small, multipart when large, nothing left on failure."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from connector.errors import ConnectorError
from connector.s3 import multipart_upload
from connector.s3.upload_config import read_into_part
from connector.s3.uploads import MIN_PART_SIZE_BYTES, MultipartConfig, UploadHooks, UploadOptions, upload_stream

BUCKET = "upload-bucket"
MIB = 1024 * 1024
SMALL_PARTS = MultipartConfig(threshold_bytes=MIN_PART_SIZE_BYTES, part_size_bytes=MIN_PART_SIZE_BYTES)


@pytest.fixture
def s3() -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
        client.create_bucket(Bucket=BUCKET)
        yield client


def pattern(size: int) -> bytes:
    return (b"0123456789abcdef" * (size // 16 + 1))[:size]


class TrickleReader:
    """Returns short reads, as sockets do, to prove parts are filled completely."""

    def __init__(self, data: bytes, max_read: int = 100_000) -> None:
        self._io = io.BytesIO(data)
        self._max_read = max_read

    def read(self, size: int) -> bytes:
        return self._io.read(min(size, self._max_read))


class TrickleIntoReader(TrickleReader):
    """Short ``readinto`` calls, as sockets give."""

    def readinto(self, view: memoryview) -> int:
        with view[: self._max_read] as limited:
            return self._io.readinto(limited)


class TestSizes:
    def test_small_body_is_one_put_with_options(self, s3: Any) -> None:
        options = UploadOptions(
            content_type="text/plain",
            metadata={"origin": "zeebe"},
            tags={"team": "a b"},
            storage_class="STANDARD_IA",
            server_side_encryption="AES256",
            cache_control="max-age=60",
            content_disposition='attachment; filename="x.txt"',
        )
        result = upload_stream(s3, bucket=BUCKET, key="small.txt", read=io.BytesIO(b"hello").read, options=options)
        assert result.size == 5
        head = s3.head_object(Bucket=BUCKET, Key="small.txt")
        assert head["ContentType"] == "text/plain" and head["Metadata"] == {"origin": "zeebe"}
        assert head["StorageClass"] == "STANDARD_IA" and head["ServerSideEncryption"] == "AES256"
        assert head["CacheControl"] == "max-age=60" and head["ContentDisposition"] == 'attachment; filename="x.txt"'
        tags = s3.get_object_tagging(Bucket=BUCKET, Key="small.txt")["TagSet"]
        assert tags == [{"Key": "team", "Value": "a b"}]

    def test_large_body_goes_multipart_and_counts_real_bytes(self, s3: Any) -> None:
        data = pattern(12 * MIB + 123)
        sent: list[int] = []
        result = upload_stream(
            s3,
            bucket=BUCKET,
            key="big.bin",
            read=TrickleReader(data).read,
            options=UploadOptions(content_type="application/octet-stream", metadata={"k": "v"}),
            config=SMALL_PARTS,
            size_hint=1,
            hooks=UploadHooks(on_bytes=sent.append),
        )
        assert result.size == len(data) and sorted(sent) == [2 * MIB + 123, 5 * MIB, 5 * MIB]
        assert result.etag is not None and result.etag.endswith("-3")
        stored = s3.get_object(Bucket=BUCKET, Key="big.bin")
        assert hashlib.sha256(stored["Body"].read()).digest() == hashlib.sha256(data).digest()
        assert stored["Metadata"] == {"k": "v"}

    def test_part_size_grows_to_stay_within_ten_thousand_parts(self) -> None:
        assert MultipartConfig().part_size_for(200 * 1024**3) > 8 * MIB
        assert MultipartConfig().part_size_for(None) == 8 * MIB
        assert MultipartConfig().part_size_for(200 * 1024**3, fill_slots=True) > 8 * MIB

    @pytest.mark.parametrize(
        ("size_hint", "expected"),
        [
            (64 * MIB, 6_750_208),  # ten parts of 6.4 MiB, rounded up to 64 KiB
            (50 * MIB, 5 * MIB),
            (20 * MIB, 5 * MIB),  # never under S3's minimum
            (80 * MIB, 8 * MIB),  # ten parts of the configured size fill the slots already
            (1024 * MIB, 8 * MIB),
            (None, 8 * MIB),  # an unknown size keeps the configured part size
        ],
    )
    def test_a_mid_size_object_is_cut_to_fill_every_slot(self, size_hint: int | None, expected: int) -> None:
        assert MultipartConfig(concurrency=10).part_size_for(size_hint, fill_slots=True) == expected

    def test_filling_slots_never_raises_the_configured_part_size(self) -> None:
        config = MultipartConfig(part_size_bytes=5 * MIB, concurrency=2)

        assert config.part_size_for(15 * MIB, fill_slots=True) == 5 * MIB

    def test_the_first_read_is_cut_into_parts_when_they_are_smaller(self, s3: Any) -> None:
        # 8 MiB are read to decide on multipart; with a 5 MiB part size they make part 1 and
        # the start of part 2.
        data = pattern(21 * MIB + 7)
        config = MultipartConfig(threshold_bytes=8 * MIB, part_size_bytes=8 * MIB, concurrency=8)
        sent: list[int] = []
        reader = TrickleIntoReader(data)
        result = upload_stream(
            s3,
            bucket=BUCKET,
            key="cut.bin",
            read=reader.read,
            options=UploadOptions(),
            config=config,
            size_hint=len(data),
            hooks=UploadHooks(on_bytes=sent.append),
        )
        assert sorted(sent) == [MIB + 7, 5 * MIB, 5 * MIB, 5 * MIB, 5 * MIB]
        assert result.size == len(data) and result.etag is not None and result.etag.endswith("-5")
        stored = s3.get_object(Bucket=BUCKET, Key="cut.bin")["Body"].read()
        assert hashlib.sha256(stored).digest() == hashlib.sha256(data).digest()

    def test_part_size_below_s3_minimum_is_refused(self) -> None:
        with pytest.raises(ValueError):
            MultipartConfig(part_size_bytes=MIB)

    def test_empty_body(self, s3: Any) -> None:
        result = upload_stream(s3, bucket=BUCKET, key="empty", read=io.BytesIO(b"").read, options=UploadOptions())
        assert result.size == 0 and s3.head_object(Bucket=BUCKET, Key="empty")["ContentLength"] == 0


class TestNothingHalfWritten:
    def test_failing_reader_aborts_the_multipart_upload(self, s3: Any) -> None:
        data = io.BytesIO(pattern(6 * MIB))

        def read(size: int) -> bytes:
            chunk = data.read(size)
            if not chunk:
                raise OSError("document stream broke")
            return chunk

        with pytest.raises(OSError):
            upload_stream(s3, bucket=BUCKET, key="broken", read=read, options=UploadOptions(), config=SMALL_PARTS)
        assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []
        assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)

    def test_an_object_beyond_the_part_limit_is_a_named_error_and_aborted(
        self, s3: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # S3 allows 10,000 part numbers; three stand in for them here.
        monkeypatch.setattr(multipart_upload, "LAST_PART_NUMBER", 3)

        with pytest.raises(ConnectorError) as raised:
            upload_stream(
                s3,
                bucket=BUCKET,
                key="huge",
                read=io.BytesIO(pattern(16 * MIB)).read,
                options=UploadOptions(),
                config=SMALL_PARTS,
            )

        assert (raised.value.code, raised.value.retryable) == ("OBJECT_TOO_LARGE", False)
        assert "S3_CONNECTOR_MULTIPART_PART_SIZE_BYTES" in raised.value.message
        assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []
        assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)

    def test_failing_part_aborts_and_maps_the_error(self, s3: Any) -> None:
        calls = {"n": 0}

        def fail_second_part(params: Any, **kwargs: Any) -> None:
            calls["n"] += 1
            if calls["n"] == 2:
                raise ClientError({"Error": {"Code": "InternalError", "Message": "boom"}}, "UploadPart")

        s3.meta.events.register("before-call.s3.UploadPart", fail_second_part)
        with pytest.raises(ConnectorError) as info:
            upload_stream(
                s3,
                bucket=BUCKET,
                key="half",
                read=io.BytesIO(pattern(11 * MIB)).read,
                options=UploadOptions(),
                config=SMALL_PARTS,
            )
        assert info.value.code == "InternalError" and info.value.retryable is True
        assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []
        assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)


class TestCreateOnly:
    def test_existing_key_is_not_overwritten(self, s3: Any) -> None:
        s3.put_object(Bucket=BUCKET, Key="once", Body=b"first")
        with pytest.raises(ConnectorError) as info:
            upload_stream(
                s3, bucket=BUCKET, key="once", read=io.BytesIO(b"second").read, options=UploadOptions(create_only=True)
            )
        assert info.value.code == "PreconditionFailed" and info.value.retryable is False
        assert s3.get_object(Bucket=BUCKET, Key="once")["Body"].read() == b"first"

    def test_new_key_is_written(self, s3: Any) -> None:
        upload_stream(
            s3, bucket=BUCKET, key="fresh", read=io.BytesIO(b"x").read, options=UploadOptions(create_only=True)
        )
        assert s3.get_object(Bucket=BUCKET, Key="fresh")["Body"].read() == b"x"


class TestHooks:
    def test_content_type_chosen_from_the_first_bytes(self, s3: Any) -> None:
        seen: list[bytes] = []

        def choose(head: bytes) -> str:
            seen.append(head)
            return "application/pdf"

        result = upload_stream(
            s3,
            bucket=BUCKET,
            key="doc",
            read=io.BytesIO(b"%PDF-1.7 body").read,
            options=UploadOptions(),
            hooks=UploadHooks(content_type_from_head=choose),
        )
        assert result.size == 13 and seen == [b"%PDF-1.7 body"]
        assert s3.head_object(Bucket=BUCKET, Key="doc")["ContentType"] == "application/pdf"

    @pytest.mark.parametrize("size", [100, 11 * MIB])
    def test_before_commit_failure_leaves_nothing(self, s3: Any, size: int) -> None:
        def mismatch() -> None:
            raise ConnectorError("content hash mismatch", code="DOCUMENT_HASH_MISMATCH", retryable=False)

        with pytest.raises(ConnectorError, match="hash mismatch"):
            upload_stream(
                s3,
                bucket=BUCKET,
                key="unverified",
                read=io.BytesIO(pattern(size)).read,
                options=UploadOptions(),
                config=SMALL_PARTS,
                hooks=UploadHooks(before_commit=mismatch),
            )
        assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)
        assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []


class TestReadIntoPart:
    def test_a_part_is_filled_across_short_reads(self) -> None:
        reader = TrickleIntoReader(pattern(300_000), max_read=7_000)

        part = read_into_part(reader.readinto, 250_000)

        assert part == pattern(250_000) and isinstance(part, bytearray)

    def test_the_last_part_is_cut_to_what_the_stream_had(self) -> None:
        reader = TrickleIntoReader(pattern(1_000))

        assert read_into_part(reader.readinto, 4_096) == pattern(1_000)
        assert read_into_part(reader.readinto, 4_096) == b""
