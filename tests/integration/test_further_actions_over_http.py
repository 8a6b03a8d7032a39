"""The further actions' S3 layer over real HTTP, on every server of ``--s3-servers`` (moto and
s3rver by default, MinIO in the interop command): listing and paging, copies and moves
(UploadPartCopy), presigned URLs used by a plain HTTP client, HeadObject, DeleteObjects.
Where a server cannot do what a test proves, the test is a strict xfail naming why."""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from connector.errors import ConnectorError
from connector.s3 import ClientCache
from connector.s3.batch_delete import delete_objects
from connector.s3.copying import CopyOptions, ObjectRef
from connector.s3.head import head_object
from connector.s3.listing import Folder, list_page, resume_token
from connector.s3.moves import copy_or_move
from connector.s3.presign import presign
from connector.s3.uploads import MIN_PART_SIZE_BYTES, MultipartConfig
from testkit.s3servers import S3Server
from tests.integration.conftest import connector_spec

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

TRICKY_KEYS = [
    "folder/with space/a b.txt",
    "plus+equals=sign.txt",
    "hash#and?question.txt",
    "ünï/日本語/🚀.bin",
    "100%",
]
SINGLE = MultipartConfig(threshold_bytes=5 * 1024**3)
PARTS = MultipartConfig(threshold_bytes=MIN_PART_SIZE_BYTES, part_size_bytes=MIN_PART_SIZE_BYTES)
BIG = bytes(range(256)) * (MIN_PART_SIZE_BYTES // 256) + b"tail" * 1000  # two parts


@pytest.fixture(scope="module", autouse=True)
def _no_aws_setup(no_aws_setup: None) -> None:
    """Only the spec configures clients here (see ``conftest.no_aws_setup``)."""


@pytest.fixture(scope="module")
def s3(s3_server: S3Server) -> S3Client:
    """A connector client as a job on a custom endpoint gets it (checksums when required)."""
    return ClientCache().get(connector_spec(s3_server, read_timeout_s=20, max_attempts=1, checksum_when_required=True))


@pytest.fixture
def bucket(s3_server: S3Server) -> str:
    return s3_server.new_bucket("fa")


def fetch(method: str, url: str, **options: Any) -> httpx.Response:
    with httpx.Client(timeout=10, trust_env=False) as http:
        return http.request(method, url, **options)


def body(s3: S3Client, bucket: str, key: str) -> bytes:
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()


class TestListing:
    def test_tricky_keys_are_listed_as_they_are(self, s3: S3Client, bucket: str) -> None:
        for key in TRICKY_KEYS:
            s3.put_object(Bucket=bucket, Key=key, Body=b"x")

        page = list_page(s3, bucket=bucket)

        assert [entry.key for entry in page.entries] == sorted(TRICKY_KEYS, key=str.encode)  # type: ignore[union-attr]
        assert page.truncated is False

    def test_folders_with_a_delimiter(self, s3: S3Client, bucket: str) -> None:
        for key in ["in/a", "in/b", "in/sub/c", "in/sub/d/e", "out/f"]:
            s3.put_object(Bucket=bucket, Key=key, Body=b"")

        page = list_page(s3, bucket=bucket, prefix="in/", delimiter="/")

        assert [getattr(e, "key", None) or e.prefix for e in page.entries] == ["in/a", "in/b", "in/sub/"]  # type: ignore[union-attr]
        assert isinstance(page.entries[-1], Folder)

    @pytest.mark.s3_gap("s3rver", reason="s3rver answers a truncated ListObjectsV2 page with InternalError")
    def test_pages_with_s3s_token_fed_back(self, s3: S3Client, bucket: str) -> None:
        keys = [f"k{index}" for index in range(7)]
        for key in keys:
            s3.put_object(Bucket=bucket, Key=key, Body=b"")
        seen, token = [], None
        while True:
            page = list_page(s3, bucket=bucket, max_keys=3, continuation_token=token)
            seen.extend(entry.key for entry in page.entries)  # type: ignore[union-attr]
            token = page.next_token
            if not page.truncated:
                break
        assert seen == keys

    def test_a_page_of_ours_resumes_after_a_key_and_after_a_folder(self, s3: S3Client, bucket: str) -> None:
        for key in ["a", "b/1", "b/2", "c"]:
            s3.put_object(Bucket=bucket, Key=key, Body=b"")

        after_key = list_page(s3, bucket=bucket, delimiter="/", continuation_token=resume_token("a"))
        after_folder = list_page(s3, bucket=bucket, delimiter="/", continuation_token=resume_token("b/"))

        assert [getattr(e, "key", None) or e.prefix for e in after_key.entries] == ["b/", "c"]  # type: ignore[union-attr]
        assert [getattr(e, "key", None) or e.prefix for e in after_folder.entries] == ["c"]  # type: ignore[union-attr]


_COPY_SOURCE_GAP = pytest.mark.s3_gap(
    "s3rver", reason="s3rver misreads an encoded '+', '#' or '?' in x-amz-copy-source and answers NoSuchKey"
)


class TestCopy:
    @pytest.mark.parametrize(
        "key", [pytest.param(key, marks=[_COPY_SOURCE_GAP] if set(key) & set("+#?") else []) for key in TRICKY_KEYS]
    )
    def test_tricky_keys_are_copied_with_their_metadata(self, s3: S3Client, bucket: str, key: str) -> None:
        s3.put_object(Bucket=bucket, Key=key, Body=b"tricky", ContentType="text/plain", Metadata={"case": "7"})

        outcome = copy_or_move(
            s3,
            source=ObjectRef(bucket, key),
            target=ObjectRef(bucket, "copy/" + key),
            options=CopyOptions(),
            config=SINGLE,
        )

        target = s3.head_object(Bucket=bucket, Key="copy/" + key)
        assert (body(s3, bucket, "copy/" + key), target["ContentType"], target["Metadata"]) == (
            b"tricky",
            "text/plain",
            {"case": "7"},
        )
        assert outcome.target.size == 6

    def test_across_buckets_with_replaced_metadata(self, s3_server: S3Server, s3: S3Client, bucket: str) -> None:
        other = s3_server.new_bucket("fb")
        s3.put_object(Bucket=bucket, Key="a", Body=b"x", ContentType="text/plain", Metadata={"old": "1"})

        copy_or_move(
            s3,
            source=ObjectRef(bucket, "a"),
            target=ObjectRef(other, "b"),
            options=CopyOptions(metadata_directive="REPLACE", metadata={"new": "2"}, content_type="text/csv"),
            config=SINGLE,
        )

        target = s3.head_object(Bucket=other, Key="b")
        assert (target["ContentType"], target["Metadata"]) == ("text/csv", {"new": "2"})

    def test_create_only_refuses_an_existing_target_on_every_store(self, s3: S3Client, bucket: str) -> None:
        # MinIO and s3rver ignore If-None-Match on CopyObject: the target is checked first.
        s3.put_object(Bucket=bucket, Key="a", Body=b"new")
        s3.put_object(Bucket=bucket, Key="b", Body=b"keep")

        with pytest.raises(ConnectorError) as raised:
            copy_or_move(
                s3,
                source=ObjectRef(bucket, "a"),
                target=ObjectRef(bucket, "b"),
                options=CopyOptions(create_only=True),
                config=SINGLE,
            )

        assert (raised.value.code, raised.value.retryable) == ("PreconditionFailed", False)
        assert body(s3, bucket, "b") == b"keep"

    @pytest.mark.s3_gap(feature="upload-part-copy")
    def test_a_multipart_copy_keeps_bytes_and_metadata(self, s3: S3Client, bucket: str) -> None:
        s3.put_object(Bucket=bucket, Key="big", Body=BIG, ContentType="application/pdf", Metadata={"case": "7"})

        outcome = copy_or_move(
            s3,
            source=ObjectRef(bucket, "big"),
            target=ObjectRef(bucket, "big copy"),
            options=CopyOptions(),
            config=PARTS,
        )

        assert outcome.target.multipart and body(s3, bucket, "big copy") == BIG
        target = s3.head_object(Bucket=bucket, Key="big copy")
        assert (target["ContentType"], target["Metadata"]) == ("application/pdf", {"case": "7"})

    @pytest.mark.s3_gap(feature="upload-part-copy")
    def test_a_multipart_move_is_verified_and_deletes_the_source(self, s3: S3Client, bucket: str) -> None:
        s3.put_object(Bucket=bucket, Key="big", Body=BIG)

        outcome = copy_or_move(
            s3,
            source=ObjectRef(bucket, "big"),
            target=ObjectRef(bucket, "moved"),
            options=CopyOptions(),
            config=PARTS,
            delete_source=True,
        )

        assert outcome.source_deleted and head_object(s3, bucket=bucket, key="big") is None
        assert body(s3, bucket, "moved") == BIG


class TestMove:
    def test_a_move(self, s3: S3Client, bucket: str) -> None:
        s3.put_object(Bucket=bucket, Key="in/a b.txt", Body=b"moving")

        outcome = copy_or_move(
            s3,
            source=ObjectRef(bucket, "in/a b.txt"),
            target=ObjectRef(bucket, "done/a b.txt"),
            options=CopyOptions(),
            config=SINGLE,
            delete_source=True,
        )

        assert outcome.source_deleted and body(s3, bucket, "done/a b.txt") == b"moving"
        assert head_object(s3, bucket=bucket, key="in/a b.txt") is None

    def test_a_move_whose_copy_fails_leaves_the_source(self, s3: S3Client, bucket: str) -> None:
        s3.put_object(Bucket=bucket, Key="a", Body=b"stays")

        with pytest.raises(ConnectorError) as raised:
            copy_or_move(
                s3,
                source=ObjectRef(bucket, "a"),
                target=ObjectRef("no-such-bucket-" + uuid.uuid4().hex[:8], "a"),
                options=CopyOptions(),
                config=SINGLE,
                delete_source=True,
            )

        assert raised.value.code == "NoSuchBucket"
        assert body(s3, bucket, "a") == b"stays"


class TestPresigned:
    def test_a_presigned_get_serves_the_object_under_a_download_name(self, s3: S3Client, bucket: str) -> None:
        s3.put_object(Bucket=bucket, Key="reports/q 1.pdf", Body=b"%PDF-1.7")

        signed = presign(
            s3,
            method="GET",
            bucket=bucket,
            key="reports/q 1.pdf",
            expires_s=60,
            content_disposition='attachment; filename="Q1.pdf"',
        )

        response = fetch("GET", signed.url)
        assert (response.status_code, response.content) == (200, b"%PDF-1.7")
        assert response.headers["content-disposition"] == 'attachment; filename="Q1.pdf"'

    def test_a_presigned_put_stores_what_a_plain_client_sends(self, s3: S3Client, bucket: str) -> None:
        signed = presign(s3, method="PUT", bucket=bucket, key="in/up load.csv", expires_s=60, content_type="text/csv")

        response = fetch("PUT", signed.url, content=b"a,b\n1,2\n", headers=signed.headers)

        assert response.status_code == 200, response.text
        stored = s3.get_object(Bucket=bucket, Key="in/up load.csv")
        assert (stored["Body"].read(), stored["ContentType"]) == (b"a,b\n1,2\n", "text/csv")

    @pytest.mark.s3_gap(feature="presigned-check")
    @pytest.mark.s3_gap("s3rver", reason="s3rver does not check which headers a presigned URL signed")
    def test_a_put_without_the_signed_headers_is_refused(self, s3: S3Client, bucket: str) -> None:
        signed = presign(s3, method="PUT", bucket=bucket, key="k", expires_s=60, content_type="text/csv")

        response = fetch("PUT", signed.url, content=b"{}", headers={"Content-Type": "application/json"})

        assert response.status_code == 403 and "SignatureDoesNotMatch" in response.text

    @pytest.mark.s3_gap(feature="presigned-check")
    def test_an_expired_url_is_refused(self, s3: S3Client, bucket: str) -> None:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x")
        signed = presign(s3, method="GET", bucket=bucket, key="k", expires_s=1)

        time.sleep(2.2)  # X-Amz-Date has one-second resolution: two seconds are past expiry

        response = fetch("GET", signed.url)
        assert response.status_code == 403 and "AccessDenied" in response.text


class TestHead:
    def test_present_absent_and_a_missing_bucket(self, s3: S3Client, bucket: str) -> None:
        s3.put_object(Bucket=bucket, Key="ü x.json", Body=b"{}", ContentType="application/json", Metadata={"a": "b"})

        present = head_object(s3, bucket=bucket, key="ü x.json")
        absent = head_object(s3, bucket=bucket, key="nope")

        assert present is not None and (present.size, present.content_type, present.metadata) == (
            2,
            "application/json",
            {"a": "b"},
        )
        assert absent is None
        with pytest.raises(ConnectorError) as raised:
            head_object(s3, bucket="no-such-bucket-" + uuid.uuid4().hex[:8], key="k")
        assert (raised.value.code, raised.value.retryable) == ("NoSuchBucket", False)


class TestDeleteMany:
    def test_tricky_and_missing_keys_are_deleted(self, s3: S3Client, bucket: str) -> None:
        for key in TRICKY_KEYS:
            s3.put_object(Bucket=bucket, Key=key, Body=b"x")

        result = delete_objects(s3, bucket=bucket, keys=[(key, None) for key in [*TRICKY_KEYS, "missing"]])

        assert [d.key for d in result.deleted] == [*TRICKY_KEYS, "missing"] and result.errors == ()
        assert s3.list_objects_v2(Bucket=bucket).get("KeyCount") == 0

    @pytest.mark.s3_gap(feature="versioning")
    def test_a_key_under_legal_hold_is_an_error_of_its_own(self, s3_server: S3Server, s3: S3Client) -> None:
        admin = s3_server.client()  # object lock needs a checksum on every write: boto3's default
        locked = f"fl-{uuid.uuid4().hex[:16]}"
        admin.create_bucket(Bucket=locked, ObjectLockEnabledForBucket=True)
        held = admin.put_object(Bucket=locked, Key="held", Body=b"x", ObjectLockLegalHoldStatus="ON")["VersionId"]
        admin.put_object(Bucket=locked, Key="free", Body=b"x")

        result = delete_objects(s3, bucket=locked, keys=[("free", None), ("held", held)])

        # AWS (and moto) refuse with AccessDenied; MinIO with InvalidRequest. Both are permanent.
        code = "InvalidRequest" if s3_server.name == "minio" else "AccessDenied"
        assert [d.key for d in result.deleted] == ["free"]
        assert [(e.key, e.version_id, e.code.code, e.code.retryable) for e in result.errors] == [
            ("held", held, code, False)
        ]
        assert result.errors[0].message
        admin.put_object_legal_hold(Bucket=locked, Key="held", VersionId=held, LegalHold={"Status": "OFF"})
