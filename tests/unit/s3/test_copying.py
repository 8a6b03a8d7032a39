"""Copies and moves on moto in-process: within and across buckets, COPY and REPLACE metadata,
create-only, the multipart path (UploadPartCopy), and a move that never half-happens."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from connector.errors import ConnectorError
from connector.s3.copying import CopyOptions, ObjectRef
from connector.s3.head import head_object
from connector.s3.moves import copy_or_move, same_object
from connector.s3.uploads import MIN_PART_SIZE_BYTES, MultipartConfig
from tests.unit.s3.conftest import BUCKET

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

SINGLE = MultipartConfig(threshold_bytes=5 * 1024**3)
PARTS = MultipartConfig(threshold_bytes=MIN_PART_SIZE_BYTES, part_size_bytes=MIN_PART_SIZE_BYTES)
BIG = bytes(range(256)) * (MIN_PART_SIZE_BYTES // 256) + b"tail" * 1000  # two parts: 5 MiB and 4,000 bytes
SOURCE = ObjectRef(BUCKET, "in/report.pdf")


def put(s3: S3Client, key: str, body: bytes = b"%PDF-1.7 report", **extra: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key=key, Body=body, **extra)


def copy(s3: S3Client, target: str, config: MultipartConfig = SINGLE, **options: Any) -> Any:
    delete_source = options.pop("delete_source", False)
    return copy_or_move(
        s3,
        source=SOURCE,
        target=ObjectRef(BUCKET, target),
        options=CopyOptions(**options),
        config=config,
        delete_source=delete_source,
    )


Hooks = Callable[[str, Callable[..., Any]], None]


@pytest.fixture
def s3(shared_s3: S3Client) -> S3Client:
    return shared_s3


def fail_on(hooks: Hooks, operation: str, code: str = "InternalError", times: int = 1) -> None:
    """Make the next ``times`` calls of ``operation`` fail with S3 error ``code``."""
    calls: list[int] = []

    def hook(**_: Any) -> None:
        calls.append(1)
        if len(calls) <= times:
            raise ClientError({"Error": {"Code": code, "Message": "injected"}}, operation)

    hooks(f"before-call.s3.{operation}", hook)


def count(hooks: Hooks, operation: str) -> Callable[[], int]:
    calls: list[int] = []
    hooks(f"before-call.s3.{operation}", lambda **_: calls.append(1))
    return lambda: len(calls)


def body(s3: S3Client, key: str, bucket: str = BUCKET) -> bytes:
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()


class TestCopy:
    def test_within_a_bucket_keeps_metadata_and_content_headers(self, s3: S3Client) -> None:
        put(s3, SOURCE.key, ContentType="application/pdf", Metadata={"case": "42"}, CacheControl="no-cache")

        outcome = copy(s3, "archive/report.pdf")

        target = s3.head_object(Bucket=BUCKET, Key="archive/report.pdf")
        assert (target["ContentType"], target["Metadata"], target["CacheControl"]) == (
            "application/pdf",
            {"case": "42"},
            "no-cache",
        )
        assert outcome.target.etag == outcome.source.etag and outcome.target.size == 15
        assert outcome.source_deleted is False and body(s3, SOURCE.key) == b"%PDF-1.7 report"

    def test_across_buckets(self, s3: S3Client) -> None:
        s3.create_bucket(Bucket="other-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
        put(s3, SOURCE.key)

        copy_or_move(s3, source=SOURCE, target=ObjectRef("other-bucket", "k"), options=CopyOptions(), config=SINGLE)

        assert body(s3, "k", "other-bucket") == b"%PDF-1.7 report"

    def test_replace_sets_new_metadata_and_content_type_and_keeps_other_headers(self, s3: S3Client) -> None:
        put(s3, SOURCE.key, ContentType="application/pdf", Metadata={"case": "42"}, ContentDisposition="inline")

        copy(s3, "t", metadata_directive="REPLACE", metadata={"state": "archived"}, content_type="application/x-pdf")

        target = s3.head_object(Bucket=BUCKET, Key="t")
        assert (target["ContentType"], target["Metadata"], target["ContentDisposition"]) == (
            "application/x-pdf",
            {"state": "archived"},
            "inline",
        )

    def test_storage_class_and_encryption_reach_the_target(self, s3: S3Client) -> None:
        put(s3, SOURCE.key)

        copy(s3, "t", storage_class="STANDARD_IA", server_side_encryption="AES256")

        target = s3.head_object(Bucket=BUCKET, Key="t")
        assert (target["StorageClass"], target["ServerSideEncryption"]) == ("STANDARD_IA", "AES256")

    def test_a_version_of_the_source(self, s3: S3Client) -> None:
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        put(s3, SOURCE.key, b"first")
        first = s3.head_object(Bucket=BUCKET, Key=SOURCE.key)["VersionId"]
        put(s3, SOURCE.key, b"second")

        outcome = copy_or_move(
            s3,
            source=ObjectRef(BUCKET, SOURCE.key, first),
            target=ObjectRef(BUCKET, "t"),
            options=CopyOptions(),
            config=SINGLE,
        )

        assert body(s3, "t") == b"first" and outcome.source.version_id == first and outcome.target.version_id

    def test_a_missing_source_is_no_such_key(self, s3: S3Client) -> None:
        with pytest.raises(ConnectorError) as raised:
            copy(s3, "t")
        assert (raised.value.code, raised.value.retryable) == ("NoSuchKey", True)

    def test_a_missing_source_bucket_is_no_such_bucket(self, s3: S3Client) -> None:
        with pytest.raises(ConnectorError) as raised:
            copy_or_move(
                s3,
                source=ObjectRef("no-such-bucket-x", "k"),
                target=ObjectRef(BUCKET, "t"),
                options=CopyOptions(),
                config=SINGLE,
            )
        assert (raised.value.code, raised.value.retryable) == ("NoSuchBucket", False)


class TestCreateOnly:
    def test_an_existing_target_is_precondition_failed_before_any_copy(self, s3: S3Client, hooks: Hooks) -> None:
        put(s3, SOURCE.key)
        put(s3, "t", b"keep me")
        copies = count(hooks, "CopyObject")

        with pytest.raises(ConnectorError) as raised:
            copy(s3, "t", create_only=True)

        assert (raised.value.code, raised.value.retryable) == ("PreconditionFailed", False)
        assert body(s3, "t") == b"keep me" and copies() == 0

    def test_a_new_target_is_written_conditionally(self, s3: S3Client, hooks: Hooks) -> None:
        put(s3, SOURCE.key)
        sent: list[dict[str, Any]] = []
        hooks("before-call.s3.CopyObject", lambda params, **_: sent.append(params["headers"]))

        copy(s3, "t", create_only=True)

        assert sent[0]["If-None-Match"] == "*" and body(s3, "t") == b"%PDF-1.7 report"


class TestMultipartCopy:
    def test_a_large_object_is_copied_part_by_part_with_its_metadata_and_tags(self, s3: S3Client, hooks: Hooks) -> None:
        put(s3, SOURCE.key, BIG, ContentType="application/pdf", Metadata={"case": "42"}, Tagging="team=finance")
        parts = count(hooks, "UploadPartCopy")

        outcome = copy(s3, "big-copy", PARTS)

        assert (outcome.target.multipart, parts()) == (True, 2)
        assert body(s3, "big-copy") == BIG
        target = s3.head_object(Bucket=BUCKET, Key="big-copy")
        assert (target["ContentType"], target["Metadata"]) == ("application/pdf", {"case": "42"})
        assert s3.get_object_tagging(Bucket=BUCKET, Key="big-copy")["TagSet"] == [{"Key": "team", "Value": "finance"}]
        # A multipart copy's ETag is not the source's; the response says what S3 answered.
        assert outcome.target.etag != outcome.source.etag and outcome.target.etag.endswith("-2")

    def test_replaced_metadata_keeps_the_tags_as_copy_object_does(self, s3: S3Client) -> None:
        put(s3, SOURCE.key, BIG, Metadata={"case": "42"}, Tagging="team=finance")

        copy(s3, "big-copy", PARTS, metadata_directive="REPLACE", metadata={"state": "done"})
        copy(s3, "small-copy", SINGLE, metadata_directive="REPLACE", metadata={"state": "done"})

        for key in ("big-copy", "small-copy"):
            assert s3.head_object(Bucket=BUCKET, Key=key)["Metadata"] == {"state": "done"}
            assert s3.get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"] == [{"Key": "team", "Value": "finance"}]

    def test_parts_grow_to_stay_within_10000_parts(self) -> None:
        assert PARTS.part_size_for(100 * 1024**3) == 10_738_493  # ceil(100 GiB / 9,999)

    def test_a_failed_part_aborts_the_upload_and_leaves_no_target(self, s3: S3Client, hooks: Hooks) -> None:
        put(s3, SOURCE.key, BIG)
        fail_on(hooks, "UploadPartCopy", "InternalError", times=5)

        with pytest.raises(ConnectorError) as raised:
            copy(s3, "big-copy", PARTS)

        assert (raised.value.code, raised.value.retryable) == ("InternalError", True)
        assert s3.list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []
        assert head_object(s3, bucket=BUCKET, key="big-copy") is None

    def test_every_part_is_pinned_to_the_source_etag(self, s3: S3Client, hooks: Hooks) -> None:
        put(s3, SOURCE.key, BIG)
        etag = s3.head_object(Bucket=BUCKET, Key=SOURCE.key)["ETag"]
        pins: list[str] = []
        hooks(
            "before-call.s3.UploadPartCopy",
            lambda params, **_: pins.append(params["headers"]["x-amz-copy-source-if-match"]),
        )

        copy(s3, "big-copy", PARTS)

        assert pins == [etag] * 2


class TestMove:
    def test_a_move_copies_verifies_and_deletes_the_source(self, s3: S3Client) -> None:
        put(s3, SOURCE.key)

        outcome = copy(s3, "done/report.pdf", delete_source=True)

        assert outcome.source_deleted is True
        assert head_object(s3, bucket=BUCKET, key=SOURCE.key) is None
        assert body(s3, "done/report.pdf") == b"%PDF-1.7 report"

    def test_a_multipart_move_is_verified_by_size(self, s3: S3Client) -> None:
        put(s3, SOURCE.key, BIG)

        outcome = copy(s3, "done/big", PARTS, delete_source=True)

        assert outcome.source_deleted and body(s3, "done/big") == BIG

    def test_a_move_whose_copy_fails_leaves_the_source(self, s3: S3Client, hooks: Hooks) -> None:
        put(s3, SOURCE.key)
        fail_on(hooks, "CopyObject", "InternalError", times=5)
        deletes = count(hooks, "DeleteObject")

        with pytest.raises(ConnectorError) as raised:
            copy(s3, "done/report.pdf", delete_source=True)

        assert (raised.value.code, raised.value.retryable) == ("InternalError", True)
        assert body(s3, SOURCE.key) == b"%PDF-1.7 report" and deletes() == 0

    def test_a_copy_that_does_not_verify_keeps_the_source(self, s3: S3Client, hooks: Hooks) -> None:
        put(s3, SOURCE.key)

        def shrink(parsed: dict[str, Any], **_: Any) -> None:
            if "ContentLength" in parsed and parsed.get("ETag"):
                parsed["ContentLength"] -= 1

        def on_verify(params: dict[str, Any], **_: Any) -> None:
            if params["url_path"].endswith("/done/x"):
                hooks("after-call.s3.HeadObject", shrink)

        hooks("before-call.s3.CopyObject", on_verify)
        with pytest.raises(ConnectorError) as raised:
            copy(s3, "done/x", delete_source=True)

        assert (raised.value.code, raised.value.retryable) == ("COPY_NOT_VERIFIED", True)
        assert "14 bytes, the source 15" in raised.value.message
        assert body(s3, SOURCE.key) == b"%PDF-1.7 report"

    def test_a_source_that_cannot_be_deleted_fails_retryably_and_the_rerun_only_deletes(
        self, s3: S3Client, hooks: Hooks
    ) -> None:
        put(s3, SOURCE.key)
        fail_on(hooks, "DeleteObject", "AccessDenied", times=1)

        with pytest.raises(ConnectorError) as raised:
            copy(s3, "done/report.pdf", delete_source=True, create_only=True)

        assert (raised.value.code, raised.value.retryable) == ("SOURCE_NOT_DELETED", True)
        assert raised.value.variables["cause"] == "AccessDenied"
        copies = count(hooks, "CopyObject")
        outcome = copy(s3, "done/report.pdf", delete_source=True, create_only=True)
        assert (copies(), outcome.source_deleted) == (0, True)
        assert head_object(s3, bucket=BUCKET, key=SOURCE.key) is None

    def test_a_move_onto_itself_is_refused(self, s3: S3Client) -> None:
        with pytest.raises(ValueError, match="own source"):
            copy(s3, SOURCE.key, delete_source=True)


class TestSameObject:
    def test_size_and_etag_or_a_full_checksum_prove_it(self, s3: S3Client) -> None:
        put(s3, "a", b"same", ChecksumAlgorithm="SHA256")
        put(s3, "b", b"same", ChecksumAlgorithm="SHA256")
        put(s3, "c", b"diff", ChecksumAlgorithm="SHA256")
        a, b, c = (head_object(s3, bucket=BUCKET, key=k, checksums=True) for k in "abc")
        assert a is not None and b is not None and c is not None
        assert same_object(a, b) and not same_object(a, c)
