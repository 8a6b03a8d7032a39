"""Parallel ranged downloads over real HTTP on every server of ``--s3-servers``: ranges overlap,
arrive in order, are pinned to the ETag (an overwrite midway fails cleanly), and are checked
against S3's full-object checksum."""

from __future__ import annotations

import base64
import hashlib
import threading
from typing import TYPE_CHECKING

import pytest

from connector.errors import ConnectorError
from connector.s3.ranged import RangedReader, VerifyingRead, head_for_download
from testkit.s3_recorder import RecordedRequest, RecordingS3Proxy

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

MIB = 1024 * 1024


@pytest.fixture(scope="module", autouse=True)
def _no_aws_setup(no_aws_setup: None) -> None:
    """Only the spec configures clients here (see ``conftest.no_aws_setup``)."""


def data_of(size: int) -> bytes:
    return hashlib.sha256(b"seed").digest() * (size // 32) + b"x" * (size % 32)


def read_all(reader: VerifyingRead, chunk: int = 256 * 1024) -> bytes:
    out = bytearray()
    while piece := reader.read(chunk):
        out += piece
    return bytes(out)


def download(
    client: S3Client, bucket: str, key: str, *, concurrency: int = 3, part_size: int = MIB
) -> tuple[bytes, VerifyingRead]:
    info = head_for_download(client, bucket=bucket, key=key, version_id=None)
    ranged = RangedReader(client, bucket=bucket, key=key, info=info, part_size=part_size, concurrency=concurrency)
    verifying = VerifyingRead(ranged.read, info.full_sha256, key)
    try:
        return read_all(verifying), verifying
    finally:
        ranged.close()


class TestRangesInFlight:
    def test_ranges_overlap_and_arrive_in_order(
        self, via_proxy: S3Client, direct: S3Client, proxy: RecordingS3Proxy, bucket: str
    ) -> None:
        data = data_of(7 * MIB + 5)
        direct.put_object(Bucket=bucket, Key="big.bin", Body=data)
        got, verifying = download(via_proxy, bucket, "big.bin")
        assert got == data
        assert verifying.digest_b64 == base64.b64encode(hashlib.sha256(data).digest()).decode()
        gets = proxy.requests("GetObject")
        assert len(gets) == 8 and proxy.peak_in_flight("GetObject") == 3
        assert all(g.headers.get("If-Match", "").strip('"') for g in gets)
        assert not [t for t in threading.enumerate() if t.name.startswith("s3-range")]

    def test_an_empty_object(self, direct: S3Client, bucket: str) -> None:
        direct.put_object(Bucket=bucket, Key="empty", Body=b"")
        assert download(direct, bucket, "empty")[0] == b""

    @pytest.mark.s3_gap(feature="conditional-reads")
    def test_an_object_overwritten_midway_fails_cleanly(
        self, via_proxy: S3Client, direct: S3Client, proxy: RecordingS3Proxy, bucket: str
    ) -> None:
        direct.put_object(Bucket=bucket, Key="moving.bin", Body=data_of(6 * MIB))
        seen = {"gets": 0}

        def overwrite_before_the_fourth_range(request: RecordedRequest, body: bytes) -> None:
            if request.operation == "GetObject":
                seen["gets"] += 1
                if seen["gets"] == 4:
                    direct.put_object(Bucket=bucket, Key="moving.bin", Body=b"another version" * 100_000)
            return None

        proxy.tamper = overwrite_before_the_fourth_range
        with pytest.raises(ConnectorError) as info:
            download(via_proxy, bucket, "moving.bin", concurrency=2)
        assert info.value.code == "OBJECT_CHANGED" and info.value.retryable
        assert "changed during the download" in info.value.message
        assert not [t for t in threading.enumerate() if t.name.startswith("s3-range")]

    @pytest.mark.s3_gap("s3rver", reason="s3rver neither verifies nor returns x-amz-checksum-* values")
    def test_s3s_full_object_checksum_is_known_for_a_single_put(self, direct: S3Client, bucket: str) -> None:
        data = data_of(MIB)
        digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
        direct.put_object(Bucket=bucket, Key="one.bin", Body=data, ChecksumSHA256=digest, ChecksumAlgorithm="SHA256")
        assert head_for_download(direct, bucket=bucket, key="one.bin", version_id=None).full_sha256 == digest
        assert download(direct, bucket, "one.bin")[1].digest_b64 == digest
