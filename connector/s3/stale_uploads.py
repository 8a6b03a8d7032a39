"""Incomplete multipart uploads: the bucket's cleanup rule, and the strays themselves.

A worker killed mid-upload (SIGKILL, node loss) cannot abort its multipart upload; the parts
stay, invisible and billed, until something removes them. A re-run of the same job aborts its
own (``connector.s3.attempts``), and two backstops remain for the rest: a lifecycle rule with
``AbortIncompleteMultipartUpload`` (``s3-connector check`` reports whether there is one), and
``s3-connector uploads``, which lists the uploads under a prefix older than an age and, when
asked, aborts them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from connector.errors import ConnectorError
from connector.s3.errors import s3_errors

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["CleanupRule", "IncompleteUpload", "abort_upload", "cleanup_rule", "stale_uploads"]


@dataclass(frozen=True)
class CleanupRule:
    """Whether the bucket's lifecycle aborts incomplete multipart uploads.

    ``found`` None: the configuration could not be read (``error`` says why).
    """

    found: bool | None
    days: int | None = None
    rule_id: str | None = None
    prefix: str | None = None
    error: str | None = None


def cleanup_rule(client: S3Client, bucket: str) -> CleanupRule:
    """The first enabled lifecycle rule with ``AbortIncompleteMultipartUpload``, if any."""
    try:
        with s3_errors("GetBucketLifecycleConfiguration", bucket):
            rules = client.get_bucket_lifecycle_configuration(Bucket=bucket).get("Rules", [])
    except ConnectorError as exc:
        if exc.code == "NoSuchLifecycleConfiguration":
            return CleanupRule(found=False)
        return CleanupRule(found=None, error=f"{exc.code}: {exc.message}")
    for rule in rules:
        abort = rule.get("AbortIncompleteMultipartUpload")
        if rule.get("Status") == "Enabled" and abort:
            return CleanupRule(
                found=True,
                days=abort.get("DaysAfterInitiation"),
                rule_id=rule.get("ID"),
                prefix=_rule_prefix(rule),
            )
    return CleanupRule(found=False)


def _rule_prefix(rule: Any) -> str:
    filtered = rule.get("Filter") or {}
    return str(filtered.get("Prefix") or (filtered.get("And") or {}).get("Prefix") or rule.get("Prefix") or "")


@dataclass(frozen=True)
class IncompleteUpload:
    key: str
    upload_id: str
    initiated: datetime


def stale_uploads(
    client: S3Client, *, bucket: str, prefix: str, older_than: timedelta, now: datetime
) -> Iterator[IncompleteUpload]:
    """The incomplete multipart uploads under ``prefix`` started before ``now - older_than``.

    Raises:
        ConnectorError: ListMultipartUploads failed (mapped).
    """
    cutoff = now - older_than
    args: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix}
    while True:
        with s3_errors("ListMultipartUploads", bucket):
            page = client.list_multipart_uploads(**args)
        for upload in page.get("Uploads", []):
            initiated = upload["Initiated"]
            if initiated <= cutoff:
                yield IncompleteUpload(upload["Key"], upload["UploadId"], initiated)
        if not page.get("IsTruncated"):
            return
        args["KeyMarker"] = page.get("NextKeyMarker", "")
        args["UploadIdMarker"] = page.get("NextUploadIdMarker", "")


def abort_upload(client: S3Client, *, bucket: str, upload: IncompleteUpload) -> None:
    """Abort one incomplete upload (a ``NoSuchUpload`` means it is already gone: fine).

    Raises:
        ConnectorError: any other failure (mapped).
    """
    try:
        with s3_errors("AbortMultipartUpload", bucket, upload.key):
            client.abort_multipart_upload(Bucket=bucket, Key=upload.key, UploadId=upload.upload_id)
    except ConnectorError as exc:
        if exc.code != "NoSuchUpload":
            raise
