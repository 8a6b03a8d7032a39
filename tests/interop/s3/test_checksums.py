"""S3's additional checksums: verified on the way in (PutObject, UploadPart, the full-object
checksum of CompleteMultipartUpload), returned with ``ChecksumMode=ENABLED``. s3rver knows none
of it; moto returns the checksums it was sent but rejects no wrong one."""

from __future__ import annotations

import base64
import hashlib
import zlib
from typing import TYPE_CHECKING, Any

import pytest

from tests.interop.s3.conftest import s3_error

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

PART = 5 * 1024 * 1024  # the smallest part S3 accepts but the last
BODY = b"checksummed body"


def sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def crc32(data: bytes) -> str:
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


CHECKSUM = {"SHA256": sha256, "CRC32": crc32}
ALGORITHMS = pytest.mark.parametrize("algorithm", ["SHA256", "CRC32"])


def checksums(response: Any) -> dict[str, str]:
    return {name: value for name, value in response.items() if name.startswith("Checksum")}


@pytest.mark.s3_gap(feature="checksums")
class TestPutObject:
    @ALGORITHMS
    def test_the_checksum_is_stored_and_returned(self, s3: S3Client, bucket: str, algorithm: str) -> None:
        put = s3.put_object(Bucket=bucket, Key="k", Body=BODY, ChecksumAlgorithm=algorithm)  # type: ignore[arg-type]

        head = s3.head_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
        got = s3.get_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")

        expected = CHECKSUM[algorithm](BODY)
        assert put[f"Checksum{algorithm}"] == expected  # type: ignore[literal-required]
        assert head[f"Checksum{algorithm}"] == got[f"Checksum{algorithm}"] == expected  # type: ignore[literal-required]
        assert head.get("ChecksumType") == "FULL_OBJECT"

    @ALGORITHMS
    def test_a_wrong_checksum_stores_nothing(self, s3: S3Client, bucket: str, algorithm: str) -> None:
        wrong = {f"Checksum{algorithm}": CHECKSUM[algorithm](b"other bytes")}

        # AWS answers BadDigest here; MinIO's code is XAmzContentChecksumMismatch.
        assert s3_error(lambda: s3.put_object(Bucket=bucket, Key="k", Body=BODY, **wrong)) == (
            "XAmzContentChecksumMismatch",
            400,
        )
        assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0

    def test_a_wrong_content_md5_is_bad_digest(self, s3: S3Client, bucket: str) -> None:
        md5 = base64.b64encode(hashlib.md5(b"other").digest()).decode()

        assert s3_error(lambda: s3.put_object(Bucket=bucket, Key="k", Body=BODY, ContentMD5=md5)) == ("BadDigest", 400)


def start(s3: S3Client, bucket: str, key: str, algorithm: str, **more: Any) -> str:
    return s3.create_multipart_upload(Bucket=bucket, Key=key, ChecksumAlgorithm=algorithm, **more)["UploadId"]  # type: ignore[arg-type]


def part(s3: S3Client, bucket: str, key: str, upload: str, number: int, body: bytes, algorithm: str) -> dict[str, Any]:
    sent = s3.upload_part(
        Bucket=bucket,
        Key=key,
        UploadId=upload,
        PartNumber=number,
        Body=body,
        ChecksumAlgorithm=algorithm,  # type: ignore[arg-type]
    )
    return {"PartNumber": number, "ETag": sent["ETag"], f"Checksum{algorithm}": sent[f"Checksum{algorithm}"]}  # type: ignore[literal-required]


@pytest.mark.s3_gap(feature="checksums")
class TestMultipart:
    @ALGORITHMS
    def test_parts_are_verified_and_the_composite_checksum_is_returned(
        self, s3: S3Client, bucket: str, algorithm: str
    ) -> None:
        first, last = b"a" * PART, b"b" * 100
        upload = start(s3, bucket, "k", algorithm)
        parts = [part(s3, bucket, "k", upload, 1, first, algorithm), part(s3, bucket, "k", upload, 2, last, algorithm)]
        wrong = {f"Checksum{algorithm}": CHECKSUM[algorithm](b"not this part")}

        assert s3_error(
            lambda: s3.upload_part(Bucket=bucket, Key="k", UploadId=upload, PartNumber=3, Body=last, **wrong)
        ) == ("XAmzContentChecksumMismatch", 400)
        s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload, MultipartUpload={"Parts": parts})

        head = s3.head_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
        # COMPOSITE: the checksum of the parts' checksums, with the part count.
        assert head.get("ChecksumType") == "COMPOSITE"
        assert head[f"Checksum{algorithm}"].endswith("-2")  # type: ignore[literal-required]
        assert parts[0][f"Checksum{algorithm}"] == CHECKSUM[algorithm](first)

    @ALGORITHMS
    def test_complete_needs_each_parts_own_checksum(self, s3: S3Client, bucket: str, algorithm: str) -> None:
        upload = start(s3, bucket, "k", algorithm)
        parts = [
            part(s3, bucket, "k", upload, 1, b"a" * PART, algorithm),
            part(s3, bucket, "k", upload, 2, b"b", algorithm),
        ]
        swapped = [{**parts[0], f"Checksum{algorithm}": parts[1][f"Checksum{algorithm}"]}, parts[1]]
        bare = [{"PartNumber": p["PartNumber"], "ETag": p["ETag"]} for p in parts]

        for listed in (swapped, bare):
            assert s3_error(
                lambda listed=listed: s3.complete_multipart_upload(
                    Bucket=bucket, Key="k", UploadId=upload, MultipartUpload={"Parts": listed}
                )
            ) == ("InvalidPart", 400)

    def test_a_full_object_crc32_is_verified_at_complete(self, s3: S3Client, bucket: str) -> None:
        first, last = b"a" * PART, b"b" * 100
        upload = start(s3, bucket, "k", "CRC32", ChecksumType="FULL_OBJECT")
        parts = [part(s3, bucket, "k", upload, 1, first, "CRC32"), part(s3, bucket, "k", upload, 2, last, "CRC32")]

        def complete(value: str) -> Any:
            return s3.complete_multipart_upload(
                Bucket=bucket,
                Key="k",
                UploadId=upload,
                ChecksumCRC32=value,
                ChecksumType="FULL_OBJECT",
                MultipartUpload={"Parts": parts},
            )

        assert s3_error(lambda: complete(crc32(b"something else"))) == ("XAmzContentChecksumMismatch", 400)
        complete(crc32(first + last))

        head = s3.head_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
        assert (head.get("ChecksumType"), head.get("ChecksumCRC32")) == ("FULL_OBJECT", crc32(first + last))

    def test_a_full_object_sha256_is_refused(self, s3: S3Client, bucket: str) -> None:
        # Only CRCs combine across parts; a whole-object SHA-256 of a multipart upload cannot be
        # asked of S3, so a document's SHA-256 is checked by the connector itself.
        assert s3_error(lambda: start(s3, bucket, "k", "SHA256", ChecksumType="FULL_OBJECT")) == (
            "InvalidArgument",
            400,
        )
