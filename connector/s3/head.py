"""HeadObject, with "is it there?" answered honestly.

A HEAD answer has no body, so a 404 does not say whether the key or the bucket is missing.
``head_object`` asks one HeadBucket to tell them apart: a missing key is ``None`` (the object
does not exist), a missing bucket is ``NoSuchBucket`` (a mistake no retry fixes), never "the
object does not exist".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from connector.s3.errors import map_s3_error, s3_errors
from connector.s3.transfer import unquote_etag

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["ObjectHead", "bucket_must_exist", "head_object"]

# S3 leaves the storage class out of HEAD and GET answers for STANDARD objects.
_DEFAULT_STORAGE_CLASS = "STANDARD"
_CHECKSUMS = ("ChecksumCRC64NVME", "ChecksumCRC32", "ChecksumCRC32C", "ChecksumSHA1", "ChecksumSHA256")
# What describes an object's content besides its bytes: kept by a copy with metadata COPY.
_CONTENT_HEADERS = ("ContentType", "ContentEncoding", "ContentLanguage", "ContentDisposition", "CacheControl")


@dataclass(frozen=True, kw_only=True)
class ObjectHead:
    """What HeadObject says of an object (``etag`` without quotes).

    Attributes:
        checksums: S3's full-object or composite checksums by name (``ChecksumCRC32`` …),
            when they were asked for and the store keeps them.
        content_headers: the headers a copy keeps with metadata COPY (ContentType, …).
        tag_count: how many tags the object has (0 where the store does not say).
    """

    size: int
    etag: str | None
    last_modified: datetime | None
    version_id: str | None
    content_type: str | None
    metadata: Mapping[str, str]
    storage_class: str
    checksums: Mapping[str, str] = field(default_factory=dict)
    checksum_type: str | None = None
    content_headers: Mapping[str, str] = field(default_factory=dict)
    tag_count: int = 0
    server_side_encryption: str | None = None
    kms_key_id: str | None = None


def _head_of(response: Mapping[str, Any]) -> ObjectHead:
    return ObjectHead(
        size=int(response.get("ContentLength") or 0),
        etag=unquote_etag(response.get("ETag")),
        last_modified=response.get("LastModified"),
        version_id=response.get("VersionId"),
        content_type=response.get("ContentType"),
        metadata=dict(response.get("Metadata") or {}),
        storage_class=response.get("StorageClass") or _DEFAULT_STORAGE_CLASS,
        checksums={name: str(response[name]) for name in _CHECKSUMS if response.get(name)},
        checksum_type=response.get("ChecksumType"),
        content_headers={name: str(response[name]) for name in _CONTENT_HEADERS if response.get(name)},
        tag_count=int(response.get("TagCount") or 0),
        server_side_encryption=response.get("ServerSideEncryption"),
        kms_key_id=response.get("SSEKMSKeyId"),
    )


def head_object(
    client: S3Client, *, bucket: str, key: str, version_id: str | None = None, checksums: bool = False
) -> ObjectHead | None:
    """The object's metadata, or None when the key (or that version) does not exist.

    Args:
        checksums: also ask for S3's stored checksums (``x-amz-checksum-mode: ENABLED``).

    Raises:
        ConnectorError: ``NoSuchBucket`` for a missing bucket, and every other S3 or transport
            failure, mapped (``AccessDenied`` also where a key is missing and the credentials
            may not list the bucket: S3 answers 403 then).
    """
    args: dict[str, Any] = {"Bucket": bucket, "Key": key}
    if version_id:
        args["VersionId"] = version_id
    if checksums:
        args["ChecksumMode"] = "ENABLED"
    try:
        response = client.head_object(**args)
    except ClientError as exc:
        if exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") != 404:
            raise map_s3_error(exc, operation="HeadObject", bucket=bucket, key=key) from exc
        bucket_must_exist(client, bucket)
        return None
    except BotoCoreError as exc:
        raise map_s3_error(exc, operation="HeadObject", bucket=bucket, key=key) from exc
    return _head_of(response)


def bucket_must_exist(client: S3Client, bucket: str) -> None:
    """One HeadBucket.

    Raises:
        ConnectorError: ``NoSuchBucket``, ``AccessDenied`` or any other failure, mapped.
    """
    with s3_errors("HeadBucket", bucket):
        client.head_bucket(Bucket=bucket)
