"""Ranged downloads in process (moto): order, the full-object checksum, and what counts as one."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from connector.errors import ConnectorError
from connector.s3.ranged import RangedReader, VerifyingRead, head_for_download

BUCKET = "ranged"
MIB = 1024 * 1024


@pytest.fixture
def s3() -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
        client.create_bucket(Bucket=BUCKET)
        yield client


def b64sha(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def drain(client: Any, key: str, part_size: int = MIB) -> bytes:
    info = head_for_download(client, bucket=BUCKET, key=key, version_id=None)
    ranged = RangedReader(client, bucket=BUCKET, key=key, info=info, part_size=part_size, concurrency=4)
    verifying = VerifyingRead(ranged.read, info.full_sha256, key)
    out = bytearray()
    try:
        while chunk := verifying.read(100_000):
            out += chunk
    finally:
        ranged.close()
    return bytes(out)


def test_parts_come_back_in_order_whatever_the_read_size(s3: Any) -> None:
    data = bytes(range(256)) * (5 * 4096 + 3)
    s3.put_object(Bucket=BUCKET, Key="k", Body=data)
    assert drain(s3, "k", part_size=300_000) == data


def test_bytes_that_differ_from_s3s_full_object_checksum_are_refused(s3: Any) -> None:
    # moto stores a checksum it was given without checking it: a stored object whose bytes
    # differ from its checksum, as a corruption on the way back would look.
    s3.put_object(
        Bucket=BUCKET, Key="k", Body=b"a" * 3000, ChecksumSHA256=b64sha(b"b" * 3000), ChecksumAlgorithm="SHA256"
    )
    with pytest.raises(ConnectorError) as info:
        drain(s3, "k")
    assert info.value.code == "CHECKSUM_MISMATCH" and info.value.retryable


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ({"ChecksumSHA256": "abc=", "ChecksumType": "FULL_OBJECT", "ETag": '"e-2"'}, "abc="),
        ({"ChecksumSHA256": "abc=", "ChecksumType": "COMPOSITE", "ETag": '"e"'}, None),
        ({"ChecksumSHA256": "abc=-3", "ETag": '"e-3"'}, None),
        ({"ChecksumSHA256": "abc=", "ETag": '"e-3"'}, None),
        ({"ChecksumSHA256": "abc=", "ETag": '"e"'}, "abc="),
        ({"ETag": '"e"'}, None),
    ],
)
def test_only_a_full_object_checksum_is_compared(head: dict[str, str], expected: str | None) -> None:
    class Client:
        def head_object(self, **kwargs: Any) -> dict[str, Any]:
            assert kwargs["ChecksumMode"] == "ENABLED"
            return {"ContentLength": 1, **head}

    info = head_for_download(Client(), bucket="b", key="k", version_id=None)  # type: ignore[arg-type]
    assert info.full_sha256 == expected
