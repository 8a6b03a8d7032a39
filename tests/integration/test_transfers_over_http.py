"""Large transfers over real HTTP on every server of ``--s3-servers``, through a recording
proxy: parts really overlap, a failed part leaves nothing, S3 verifies checksums, a re-run
of the same job neither duplicates nor strands anything."""

from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING

import pytest

from connector.errors import ConnectorError
from connector.s3.attempts import MARKER_PART_NUMBER, abort_own_uploads, marker_body
from connector.s3.transfer import PutResult
from connector.s3.uploads import MIN_PART_SIZE_BYTES, MultipartConfig, UploadOptions, upload_stream
from testkit.s3_recorder import Fault, RecordedRequest, RecordingS3Proxy

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

PART = MIN_PART_SIZE_BYTES
MIB = 1024 * 1024
PARTS = MultipartConfig(threshold_bytes=PART, part_size_bytes=PART, concurrency=4)


@pytest.fixture(scope="module", autouse=True)
def _no_aws_setup(no_aws_setup: None) -> None:
    """Only the spec configures clients here (see ``conftest.no_aws_setup``)."""


def pattern(size: int, seed: bytes = b"0123456789abcdef") -> bytes:
    return (seed * (size // len(seed) + 1))[:size]


def nothing_in_progress(client: S3Client, bucket: str) -> bool:
    return client.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def upload_with_marker(client: S3Client, bucket: str, key: str, job_key: str) -> str:
    """An in-progress upload whose marker part names ``job_key``, as an attempt of that job leaves."""
    upload_id = client.create_multipart_upload(Bucket=bucket, Key=key, ChecksumAlgorithm="SHA256")["UploadId"]
    client.upload_part(
        Bucket=bucket,
        Key=key,
        UploadId=upload_id,
        PartNumber=MARKER_PART_NUMBER,
        Body=marker_body(job_key),
        ChecksumAlgorithm="SHA256",
    )
    return upload_id


class TestPartsInFlight:
    def test_parts_overlap_up_to_the_concurrency(
        self, via_proxy: S3Client, direct: S3Client, proxy: RecordingS3Proxy, bucket: str
    ) -> None:
        data = pattern(6 * PART + 17)
        result = upload_stream(
            via_proxy, bucket=bucket, key="big.bin", read=io.BytesIO(data).read, options=UploadOptions(), config=PARTS
        )
        assert result.size == len(data)
        assert len(proxy.requests("UploadPart")) == 7
        # Each part is held 0.3 s by the proxy: four in flight at once, never more.
        assert proxy.peak_in_flight("UploadPart") == 4
        stored = direct.get_object(Bucket=bucket, Key="big.bin")["Body"].read()
        assert hashlib.sha256(stored).digest() == hashlib.sha256(data).digest()

    @pytest.mark.s3_gap(feature="multipart-listing")
    def test_a_failing_part_aborts_the_upload_with_nothing_left(
        self, via_proxy: S3Client, direct: S3Client, proxy: RecordingS3Proxy, bucket: str
    ) -> None:
        def fail_part_three(request: RecordedRequest, body: bytes) -> Fault | None:
            if request.operation == "UploadPart" and request.query["partNumber"] == ["3"]:
                return Fault(500, "InternalError")
            return None

        proxy.tamper = fail_part_three
        with pytest.raises(ConnectorError) as info:
            upload_stream(
                via_proxy,
                bucket=bucket,
                key="half.bin",
                read=io.BytesIO(pattern(8 * PART)).read,
                options=UploadOptions(),
                config=PARTS,
            )
        assert info.value.code == "InternalError" and info.value.retryable
        assert len(proxy.requests("AbortMultipartUpload")) == 1
        # Parts in flight were waited for before the abort: none arrived after it.
        abort = proxy.requests("AbortMultipartUpload")[0]
        assert all(part.ended <= abort.started for part in proxy.requests("UploadPart"))
        assert nothing_in_progress(direct, bucket)
        assert "Contents" not in direct.list_objects_v2(Bucket=bucket)


def flip_a_byte(request: RecordedRequest, body: bytes) -> bytes | None:
    """Corrupt one byte of every object body on its way to S3, after the checksum was taken."""
    if request.operation in ("UploadPart", "PutObject") and len(body) > 100:
        return body[:100] + bytes([body[100] ^ 0x01]) + body[101:]
    return None


class IntoReader:
    """A stream with ``readinto`` that records the size of each buffer it filled and the bytes."""

    def __init__(self, data: bytes) -> None:
        self._io = io.BytesIO(data)
        self.read = self._io.read
        self.buffer_sizes: set[int] = set()
        self.bytes_read_into = 0
        self.ends_seen = 0

    def readinto(self, view: memoryview) -> int:
        self.buffer_sizes.add(len(view.obj))  # type: ignore[arg-type]
        with view[:100_000] as limited:  # short reads, as a socket gives
            count = self._io.readinto(limited)
        self.bytes_read_into += count
        self.ends_seen += count == 0
        return count


class TestPartsReadIntoTheirBuffers:
    def test_each_part_after_the_first_is_read_into_its_own_buffer_and_stored_whole(
        self, via_proxy: S3Client, direct: S3Client, proxy: RecordingS3Proxy, bucket: str
    ) -> None:
        data = pattern(3 * PART + 5)
        reader = IntoReader(data)
        result = upload_stream(
            via_proxy,
            bucket=bucket,
            key="into.bin",
            read=reader.read,
            readinto=reader.readinto,
            options=UploadOptions(),
            config=PARTS,
        )

        assert result.size == len(data)
        # The first part comes from read(); everything after it went straight into part buffers.
        assert reader.buffer_sizes == {PART}
        assert reader.bytes_read_into == 2 * PART + 5
        # The short tail ends the stream: no further part buffer is read into only to find it empty.
        assert reader.ends_seen == 1
        assert sorted(int(r.headers["Content-Length"]) for r in proxy.requests("UploadPart")) == [5, PART, PART, PART]
        stored = direct.get_object(Bucket=bucket, Key="into.bin")["Body"].read()
        assert hashlib.sha256(stored).digest() == hashlib.sha256(data).digest()

    def test_the_first_read_is_cut_into_parts_and_its_rest_starts_the_next_buffer(
        self, via_proxy: S3Client, direct: S3Client, proxy: RecordingS3Proxy, bucket: str
    ) -> None:
        # 8 MiB are read to decide on multipart; a 16 MiB object over 4 slots gets 5 MiB parts.
        data = pattern(16 * MIB + 3)
        reader = IntoReader(data)
        result = upload_stream(
            via_proxy,
            bucket=bucket,
            key="cut.bin",
            read=reader.read,
            readinto=reader.readinto,
            options=UploadOptions(),
            config=MultipartConfig(threshold_bytes=8 * MIB, part_size_bytes=8 * MIB, concurrency=4),
            size_hint=len(data),
        )

        assert result.size == len(data)
        sizes = sorted(int(r.headers["Content-Length"]) for r in proxy.requests("UploadPart"))
        assert sizes == [MIB + 3, 5 * MIB, 5 * MIB, 5 * MIB]
        assert reader.buffer_sizes == {5 * MIB} and reader.bytes_read_into == 8 * MIB + 3
        stored = direct.get_object(Bucket=bucket, Key="cut.bin")["Body"].read()
        assert hashlib.sha256(stored).digest() == hashlib.sha256(data).digest()


class TestS3VerifiesTheBytes:
    @pytest.mark.s3_gap(feature="checksums")
    @pytest.mark.parametrize("size", [1000, 2 * PART], ids=["put", "multipart"])
    def test_a_corrupted_byte_is_refused_by_s3(
        self, via_proxy: S3Client, direct: S3Client, proxy: RecordingS3Proxy, bucket: str, size: int
    ) -> None:
        proxy.tamper = flip_a_byte
        with pytest.raises(ConnectorError) as info:
            upload_stream(
                via_proxy,
                bucket=bucket,
                key="corrupt.bin",
                read=io.BytesIO(pattern(size)).read,
                options=UploadOptions(),
                config=PARTS,
            )
        # Over plain HTTP SigV4 signs the payload too, and MinIO checks that hash first
        # (XAmzContentSHA256Mismatch); over HTTPS the payload is unsigned and the checksum decides.
        assert info.value.code in (
            "BadDigest",
            "InvalidDigest",
            "XAmzContentChecksumMismatch",
            "XAmzContentSHA256Mismatch",
        )
        assert "Contents" not in direct.list_objects_v2(Bucket=bucket)

    @pytest.mark.s3_gap(feature="checksums")
    def test_s3_refuses_bytes_that_differ_from_the_stated_hash(self, direct: S3Client, bucket: str) -> None:
        stated = hashlib.sha256(b"what the document store hashed").hexdigest()
        with pytest.raises(ConnectorError) as info:
            upload_stream(
                direct,
                bucket=bucket,
                key="differs.txt",
                read=io.BytesIO(b"other bytes").read,
                options=UploadOptions(),
                expected_sha256=stated,
            )
        assert info.value.code in ("BadDigest", "InvalidDigest", "XAmzContentChecksumMismatch")

    @pytest.mark.s3_gap("s3rver", reason="s3rver neither verifies nor returns x-amz-checksum-* values")
    @pytest.mark.parametrize("size", [1000, 2 * PART], ids=["put", "multipart"])
    def test_the_stored_checksum_is_what_was_sent(self, direct: S3Client, bucket: str, size: int) -> None:
        result = upload_stream(
            direct, bucket=bucket, key="k", read=io.BytesIO(pattern(size)).read, options=UploadOptions(), config=PARTS
        )
        head = direct.head_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
        assert result.s3_checksum is not None
        # S3 reports a composite checksum with its "-N" in some answers and not in others.
        assert head.get("ChecksumSHA256", "").split("-")[0] == result.s3_checksum.split("-")[0]


class TestRetriesOfTheSameJob:
    @pytest.mark.s3_gap(feature="conditional-writes")
    @pytest.mark.parametrize("size", [1000, 2 * PART], ids=["put", "multipart"])
    def test_a_createonly_rerun_of_a_completed_job_completes(self, direct: S3Client, bucket: str, size: int) -> None:
        data = pattern(size)

        def attempt(job_key: str) -> PutResult:
            options = UploadOptions(create_only=True, job_key=job_key)
            return upload_stream(
                direct, bucket=bucket, key="once.bin", read=io.BytesIO(data).read, options=options, config=PARTS
            )

        first = attempt("2251799813685249")
        again = attempt("2251799813685249")
        # The earlier attempt's object, as its own answer described it (versionId aside:
        # an unversioned bucket answers "null" to the write and nothing to HeadObject).
        assert (again.etag, again.size, again.checksum_sha256) == (first.etag, first.size, first.checksum_sha256)
        # Another job finds the key taken: that is still the conflict createOnly is for.
        with pytest.raises(ConnectorError) as info:
            attempt("2251799813685250")
        assert info.value.code == "PreconditionFailed"
        assert nothing_in_progress(direct, bucket)

    @pytest.mark.s3_gap(feature="conditional-writes")
    def test_a_rerun_with_other_bytes_is_still_a_conflict(self, direct: S3Client, bucket: str) -> None:
        options = UploadOptions(create_only=True, job_key="77")
        upload_stream(direct, bucket=bucket, key="k", read=io.BytesIO(b"first").read, options=options)
        with pytest.raises(ConnectorError) as info:
            upload_stream(direct, bucket=bucket, key="k", read=io.BytesIO(b"changed").read, options=options)
        assert info.value.code == "PreconditionFailed"

    @pytest.mark.s3_gap(feature="multipart-listing")
    def test_a_new_attempt_aborts_only_its_own_earlier_uploads(self, direct: S3Client, bucket: str) -> None:
        mine, other = upload_with_marker(direct, bucket, "k", "41"), upload_with_marker(direct, bucket, "k", "42")
        direct.create_multipart_upload(Bucket=bucket, Key="k-other-key")  # another key: never looked at
        upload_stream(
            direct,
            bucket=bucket,
            key="k",
            read=io.BytesIO(pattern(2 * PART)).read,
            options=UploadOptions(job_key="41"),
            config=PARTS,
        )
        left = {(u["Key"], u["UploadId"]) for u in direct.list_multipart_uploads(Bucket=bucket).get("Uploads", [])}
        assert ("k", mine) not in left and ("k", other) in left and len(left) == 2

    @pytest.mark.s3_gap(feature="multipart-listing")
    def test_the_check_beside_the_parts_never_aborts_this_attempts_own_upload(
        self, direct: S3Client, bucket: str
    ) -> None:
        # Both name job 41: the earlier attempt's stray and this attempt's own upload, whose
        # marker is already up when the check (running beside the parts) lists the key.
        earlier, own = upload_with_marker(direct, bucket, "k", "41"), upload_with_marker(direct, bucket, "k", "41")

        aborted = abort_own_uploads(direct, bucket=bucket, key="k", job_key="41", keep=own)

        assert aborted == [earlier]
        left = {u["UploadId"] for u in direct.list_multipart_uploads(Bucket=bucket).get("Uploads", [])}
        assert left == {own}


def expect_header(request: RecordedRequest) -> str | None:
    return next((value for name, value in request.headers.items() if name.lower() == "expect"), None)


class TestExpectContinue:
    """A small body goes out with its headers; a part waits for the server's 100 Continue."""

    def test_a_small_put_does_not_wait_for_100_continue(
        self, via_proxy: S3Client, direct: S3Client, proxy: RecordingS3Proxy, bucket: str
    ) -> None:
        data = pattern(64 * 1024)
        upload_stream(via_proxy, bucket=bucket, key="small.txt", read=io.BytesIO(data).read, options=UploadOptions())

        [put] = proxy.requests("PutObject")
        assert expect_header(put) is None
        assert direct.get_object(Bucket=bucket, Key="small.txt")["Body"].read() == data

    def test_parts_still_ask_for_100_continue(self, via_proxy: S3Client, proxy: RecordingS3Proxy, bucket: str) -> None:
        data = pattern(2 * PART + 1)
        upload_stream(
            via_proxy, bucket=bucket, key="big.bin", read=io.BytesIO(data).read, options=UploadOptions(), config=PARTS
        )

        parts = [r for r in proxy.requests("UploadPart") if int(r.headers.get("Content-Length", "0")) >= PART]
        assert len(parts) == 2
        assert {expect_header(part) for part in parts} == {"100-continue"}
