"""Earlier attempts of the same job: Zeebe delivers jobs at least once.

A job whose completion was lost (gateway outage, lock expiry, SIGKILL) runs again. Two things
make the second run safe:

- **Its own strays are aborted.** ListMultipartUploads returns no metadata, so each multipart
  upload of a job carries a *marker part*, part number 1, whose bytes name the job (the data
  starts at part 2). A new attempt lists the in-progress uploads of its key, and aborts only
  those whose first part (one ListParts of one part, checked by its MD5 ETag or its checksum)
  names this job; other jobs' uploads are never touched. The marker part is left out of
  CompleteMultipartUpload, so S3 drops it (parts need not be numbered from 1).
- **A createOnly write that already happened is a success.** The object records the job key
  in its metadata; when the conditional write fails because the key exists, an object with
  this job's key and the checksum this attempt computed is the earlier attempt's write.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from typing import TYPE_CHECKING, Any

from connector.errors import ConnectorError
from connector.s3.checksums import ChecksumAlgorithm, checksum_b64, request_field
from connector.s3.errors import s3_errors

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["JOB_KEY_METADATA", "MARKER_PART_NUMBER", "abort_own_uploads", "earlier_write", "marker_body"]

logger = logging.getLogger(__name__)

JOB_KEY_METADATA = "zeebe-job-key"
MARKER_PART_NUMBER = 1


def marker_body(job_key: str) -> bytes:
    """The marker part's bytes: they name the job, so its ETag (an MD5) identifies it."""
    return f"zeebe-s3-connector upload attempt of job {job_key}\n".encode()


def _is_marker(part: Any, body: bytes) -> bool:
    if part.get("PartNumber") != MARKER_PART_NUMBER:
        return False
    if str(part.get("ETag", "")).strip('"') == hashlib.md5(body, usedforsecurity=False).hexdigest():
        return True
    # With SSE-KMS the ETag is no MD5; the checksum still names the bytes.
    sha = part.get("ChecksumSHA256")
    return bool(sha) and sha == base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


def abort_own_uploads(client: S3Client, *, bucket: str, key: str, job_key: str, keep: str | None = None) -> list[str]:
    """Abort in-progress uploads of ``key`` that an earlier attempt of ``job_key`` started.

    Best effort: a store without ListMultipartUploads, or credentials without
    s3:ListBucketMultipartUploads, only leave the strays to the bucket's lifecycle rule.

    Args:
        keep: this attempt's own upload id, never aborted (the check may run beside it).

    Returns:
        The upload ids aborted.
    """
    body = marker_body(job_key)
    aborted: list[str] = []
    try:
        with s3_errors("ListMultipartUploads", bucket, key):
            uploads = client.list_multipart_uploads(Bucket=bucket, Prefix=key).get("Uploads", [])
        for upload in uploads:
            if upload.get("Key") != key or upload.get("UploadId") == keep:
                continue
            upload_id = upload["UploadId"]
            with s3_errors("ListParts", bucket, key):
                parts = client.list_parts(Bucket=bucket, Key=key, UploadId=upload_id, MaxParts=1).get("Parts", [])
            if any(_is_marker(part, body) for part in parts):
                with s3_errors("AbortMultipartUpload", bucket, key):
                    client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
                aborted.append(upload_id)
    except ConnectorError as exc:
        logger.info("Could not look for earlier attempts' uploads of key %r in bucket %r: %s", key, bucket, exc.code)
    if aborted:
        logger.info("Aborted %d earlier attempt(s) of job %s uploading key %r", len(aborted), job_key, key)
    return aborted


def marker_checksum(algorithm: ChecksumAlgorithm, job_key: str) -> str | None:
    return None if algorithm == "NONE" else checksum_b64(algorithm, marker_body(job_key))


def earlier_write(
    client: S3Client,
    *,
    bucket: str,
    key: str,
    job_key: str,
    algorithm: ChecksumAlgorithm,
    checksums: frozenset[str],
) -> dict[str, Any] | None:
    """The HeadObject answer when ``key`` holds this job's earlier write of the same bytes.

    ``checksums`` are the values S3 may report for the bytes this attempt sent (full or
    composite). Without a checksum on either side nothing is proven, and None is returned.
    """
    if not checksums or algorithm == "NONE":
        return None
    with s3_errors("HeadObject", bucket, key):
        head = client.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    if head.get("Metadata", {}).get(JOB_KEY_METADATA) != job_key:
        return None
    stored = head.get(request_field(algorithm))
    return dict(head) if stored in checksums else None
