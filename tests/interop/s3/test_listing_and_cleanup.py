"""Listing, batch deletes, and what is left of multipart uploads: ListObjectsV2 paging and
folders, DeleteObjects, ListMultipartUploads, AbortMultipartUpload, lifecycle rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from testkit.s3servers import S3Server
from tests.interop.s3.conftest import s3_error

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

KEYS = ["a/1", "a/2", "a/b/3", "c/4", "d", "e", "f"]


def fill(s3: S3Client, bucket: str) -> None:
    for key in KEYS:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")


class TestListObjectsV2:
    @pytest.mark.s3_gap(
        "s3rver", reason="s3rver answers a truncated ListObjectsV2 page (MaxKeys=2 of 7) with InternalError"
    )
    def test_pages_of_two_list_every_key_once_in_order(self, s3: S3Client, bucket: str) -> None:
        fill(s3, bucket)
        pages: list[list[str]] = []
        token: dict[str, Any] = {}
        while True:
            page = s3.list_objects_v2(Bucket=bucket, MaxKeys=2, **token)
            pages.append([item["Key"] for item in page.get("Contents", [])])
            assert page["KeyCount"] == len(pages[-1])
            if not page["IsTruncated"]:
                break
            token = {"ContinuationToken": page["NextContinuationToken"]}

        assert pages == [["a/1", "a/2"], ["a/b/3", "c/4"], ["d", "e"], ["f"]]

    @pytest.mark.s3_gap("s3rver", reason="s3rver's KeyCount leaves the folders (CommonPrefixes) out")
    def test_a_delimiter_gives_folders(self, s3: S3Client, bucket: str) -> None:
        fill(s3, bucket)

        top = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
        inside = s3.list_objects_v2(Bucket=bucket, Delimiter="/", Prefix="a/")

        assert [item["Key"] for item in top["Contents"]] == ["d", "e", "f"]
        assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["a/", "c/"]
        assert top["KeyCount"] == 5  # folders count as keys
        assert [item["Key"] for item in inside["Contents"]] == ["a/1", "a/2"]
        assert [p["Prefix"] for p in inside["CommonPrefixes"]] == ["a/b/"]

    def test_start_after_skips_up_to_the_key(self, s3: S3Client, bucket: str) -> None:
        fill(s3, bucket)

        listed = s3.list_objects_v2(Bucket=bucket, StartAfter="c/4")

        assert [item["Key"] for item in listed["Contents"]] == ["d", "e", "f"]

    def test_listed_objects_carry_size_etag_date_and_storage_class(self, s3: S3Client, bucket: str) -> None:
        etag = s3.put_object(Bucket=bucket, Key="k", Body=b"12345")["ETag"]

        (item,) = s3.list_objects_v2(Bucket=bucket)["Contents"]

        assert (item["Key"], item["Size"], item["ETag"], item["StorageClass"]) == ("k", 5, etag, "STANDARD")
        assert item["LastModified"].tzinfo is not None

    @pytest.mark.s3_gap("moto", reason="moto takes a made-up continuation token as a start key")
    def test_a_made_up_continuation_token_is_invalid_argument(self, s3: S3Client, bucket: str) -> None:
        assert s3_error(lambda: s3.list_objects_v2(Bucket=bucket, ContinuationToken="garbage")) == (
            "InvalidArgument",
            400,
        )


class TestDeleteObjects:
    def test_missing_keys_count_as_deleted(self, s3: S3Client, bucket: str) -> None:
        fill(s3, bucket)

        answer = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "d"}, {"Key": "missing"}, {"Key": "e"}]})

        assert sorted(item["Key"] for item in answer["Deleted"]) == ["d", "e", "missing"]
        assert answer.get("Errors", []) == []
        assert "d" not in [item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]]

    @pytest.mark.s3_gap("moto", "s3rver", reason="Quiet is ignored: the deleted keys are listed")
    def test_quiet_reports_nothing_but_errors(self, s3: S3Client, bucket: str) -> None:
        fill(s3, bucket)

        answer = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "f"}], "Quiet": True})

        assert (answer.get("Deleted", []), answer.get("Errors", [])) == ([], [])

    @pytest.mark.s3_gap(feature="versioning")
    @pytest.mark.s3_gap("moto", reason="moto reports neither version as deleted nor the malformed one as an error")
    def test_versions_unknown_count_as_deleted_and_malformed_ones_are_errors(self, s3: S3Client, bucket: str) -> None:
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        s3.put_object(Bucket=bucket, Key="k", Body=b"x")
        unknown = "00000000-0000-0000-0000-000000000000"

        answer = s3.delete_objects(
            Bucket=bucket, Delete={"Objects": [{"Key": "k", "VersionId": unknown}, {"Key": "k", "VersionId": "nope"}]}
        )

        assert [(d["Key"], d.get("VersionId")) for d in answer.get("Deleted", [])] == [("k", unknown)]
        assert [(e["Key"], e["VersionId"], e["Code"]) for e in answer.get("Errors", [])] == [
            ("k", "nope", "NoSuchVersion")
        ]
        assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"x"

    @pytest.mark.s3_gap("moto", "s3rver", reason="more than 1000 keys in one DeleteObjects are accepted")
    def test_more_than_1000_keys_are_malformed_xml(self, s3: S3Client, bucket: str) -> None:
        objects: Any = [{"Key": f"k{i}"} for i in range(1001)]

        assert s3_error(lambda: s3.delete_objects(Bucket=bucket, Delete={"Objects": objects})) == ("MalformedXML", 400)


class TestIncompleteUploads:
    @pytest.mark.s3_gap(feature="multipart-listing")
    @pytest.mark.s3_gap("moto", reason="moto answers ListParts of an aborted upload with 500 InternalError")
    def test_a_started_upload_is_listed_until_aborted(self, s3: S3Client, bucket: str) -> None:
        upload = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
        s3.upload_part(Bucket=bucket, Key="k", UploadId=upload, PartNumber=1, Body=b"x")

        listed = s3.list_multipart_uploads(Bucket=bucket).get("Uploads", [])
        s3.abort_multipart_upload(Bucket=bucket, Key="k", UploadId=upload)

        assert [(u["Key"], u["UploadId"]) for u in listed] == [("k", upload)]
        assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
        assert s3_error(lambda: s3.list_parts(Bucket=bucket, Key="k", UploadId=upload)) == ("NoSuchUpload", 404)
        assert s3_error(lambda: s3.upload_part(Bucket=bucket, Key="k", UploadId=upload, PartNumber=2, Body=b"x")) == (
            "NoSuchUpload",
            404,
        )

    @pytest.mark.s3_gap("s3rver", reason="s3rver does not implement ListParts (MethodNotAllowed, 405)")
    def test_parts_in_flight_are_listed(self, s3: S3Client, bucket: str) -> None:
        upload = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
        for number in (1, 2):
            s3.upload_part(Bucket=bucket, Key="k", UploadId=upload, PartNumber=number, Body=b"p" * number)

        parts = s3.list_parts(Bucket=bucket, Key="k", UploadId=upload)["Parts"]

        assert [(p["PartNumber"], p["Size"]) for p in parts] == [(1, 1), (2, 2)]

    @pytest.mark.s3_gap("s3rver", reason="s3rver completes an upload whose first part is under 5 MiB")
    def test_a_small_part_but_the_last_is_entity_too_small(self, s3: S3Client, bucket: str) -> None:
        upload = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
        parts = [
            {
                "PartNumber": n,
                "ETag": s3.upload_part(Bucket=bucket, Key="k", UploadId=upload, PartNumber=n, Body=b"s")["ETag"],
            }
            for n in (1, 2)
        ]

        assert s3_error(
            lambda: s3.complete_multipart_upload(
                Bucket=bucket, Key="k", UploadId=upload, MultipartUpload={"Parts": parts}
            )
        ) == ("EntityTooSmall", 400)

    # AWS answers NoSuchUpload, 404, to an abort of an upload that is gone; MinIO answers 204.
    @pytest.mark.s3_gap("moto", reason="moto answers NoSuchUpload, 404, as AWS does")
    @pytest.mark.s3_gap("s3rver", reason="s3rver does not implement AbortMultipartUpload (MethodNotAllowed, 405)")
    def test_aborting_twice_succeeds(self, s3: S3Client, bucket: str) -> None:
        upload = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
        s3.abort_multipart_upload(Bucket=bucket, Key="k", UploadId=upload)

        again = s3.abort_multipart_upload(Bucket=bucket, Key="k", UploadId=upload)

        assert again["ResponseMetadata"]["HTTPStatusCode"] == 204


ABORT_RULE = {"Rules": [{"ID": "abort-stale-uploads", "Status": "Enabled", "Filter": {"Prefix": ""},
                         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}]}  # fmt: skip
EXPIRATION_RULE = {"Rules": [{"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": "tmp/"},
                              "Expiration": {"Days": 7}}]}  # fmt: skip

# What PutBucketLifecycleConfiguration answers for an AbortIncompleteMultipartUpload rule.
ABORT_RULE_ANSWER = {
    # MinIO has no such rule; it removes incomplete uploads itself after the server setting
    # api stale_uploads_expiry (MINIO_API_STALE_UPLOADS_EXPIRY, 24h by default).
    "minio": ("InvalidArgument", 400),
    "moto": "kept",
    "s3rver": ("NotImplemented", 501),
}


def lifecycle_answer(s3: S3Client, bucket: str, configuration: Any) -> object:
    try:
        s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=configuration)
    except s3.exceptions.ClientError as refused:
        return (refused.response["Error"]["Code"], refused.response["ResponseMetadata"]["HTTPStatusCode"])
    rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    return "kept" if [rule["ID"] for rule in rules] == [configuration["Rules"][0]["ID"]] else rules


class TestLifecycle:
    def test_an_abort_incomplete_uploads_rule(self, s3_server: S3Server, s3: S3Client, bucket: str) -> None:
        assert lifecycle_answer(s3, bucket, ABORT_RULE) == ABORT_RULE_ANSWER[s3_server.name]

    @pytest.mark.s3_gap(feature="lifecycle")
    def test_an_expiration_rule_is_kept_and_removable(self, s3: S3Client, bucket: str) -> None:
        assert lifecycle_answer(s3, bucket, EXPIRATION_RULE) == "kept"

        s3.delete_bucket_lifecycle(Bucket=bucket)

        assert s3_error(lambda: s3.get_bucket_lifecycle_configuration(Bucket=bucket)) == (
            "NoSuchLifecycleConfiguration",
            404,
        )
