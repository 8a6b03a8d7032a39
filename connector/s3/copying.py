"""Server-side copies: one CopyObject up to a threshold, UploadPartCopy part by part above it.

Every request reads the source pinned to the ETag its HeadObject reported
(``x-amz-copy-source-if-match``), so a source rewritten during the copy fails the copy with
``PreconditionFailed`` instead of producing a mix of two versions. A multipart copy is
aborted the moment anything fails after it was created, so no invisible parts are left.

Metadata: ``COPY`` keeps the source's user metadata and content headers (a multipart copy
carries them over itself: CreateMultipartUpload starts empty); ``REPLACE`` sets the given user
metadata (and content type), keeping the source's other content headers. Tags are kept either
way, as CopyObject keeps them. Encryption and storage class are what the options say, else the
target bucket's defaults (S3 does not carry a storage class over).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from connector.s3.errors import s3_errors
from connector.s3.head import ObjectHead
from connector.s3.multipart_upload import abort_upload
from connector.s3.transfer import unquote_etag
from connector.s3.uploads import MultipartConfig

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["CopiedObject", "CopyOptions", "ObjectRef", "copy_object"]


@dataclass(frozen=True)
class ObjectRef:
    """An object by bucket and key, optionally one version of it."""

    bucket: str
    key: str
    version_id: str | None = None

    def copy_source(self) -> Any:
        source = {"Bucket": self.bucket, "Key": self.key}
        if self.version_id:
            source["VersionId"] = self.version_id
        return source


@dataclass(frozen=True, kw_only=True)
class CopyOptions:
    """Validated options of a copy; only these reach boto3."""

    metadata_directive: Literal["COPY", "REPLACE"] = "COPY"
    metadata: Mapping[str, str] = field(default_factory=dict)
    content_type: str | None = None
    storage_class: str | None = None
    server_side_encryption: Literal["AES256", "aws:kms", "aws:kms:dsse"] | None = None
    kms_key_id: str | None = None
    create_only: bool = False

    def target_args(self) -> dict[str, Any]:
        optional = {
            "StorageClass": self.storage_class,
            "ServerSideEncryption": self.server_side_encryption,
            "SSEKMSKeyId": self.kms_key_id,
        }
        return {name: value for name, value in optional.items() if value}

    def content_args(self, source: ObjectHead) -> dict[str, Any]:
        """Content headers and user metadata of the target, for REPLACE or a multipart COPY."""
        headers: dict[str, Any] = dict(source.content_headers)
        metadata = dict(source.metadata)
        if self.metadata_directive == "REPLACE":
            metadata = dict(self.metadata)
            if self.content_type:
                headers["ContentType"] = self.content_type
        return {**headers, "Metadata": metadata}


@dataclass(frozen=True)
class CopiedObject:
    """What S3 reported for the target (``etag`` without quotes)."""

    version_id: str | None
    etag: str | None
    size: int
    multipart: bool


def copy_object(
    client: S3Client,
    *,
    source: ObjectRef,
    source_head: ObjectHead,
    target: ObjectRef,
    options: CopyOptions,
    config: MultipartConfig,
) -> CopiedObject:
    """Copy ``source`` (whose HeadObject is ``source_head``) to ``target``.

    Args:
        config: copies larger than ``config.threshold_bytes`` go part by part, in parts of
            ``config.part_size_for(size)``.

    Raises:
        ConnectorError: any S3 failure, mapped (``PreconditionFailed`` when the source changed
            or, with ``create_only``, the target exists; ``NoSuchKey`` …); a started
            multipart copy is aborted first.
    """
    if source_head.size > config.threshold_bytes:
        return _copy_multipart(client, source, source_head, target, options, config)
    args: dict[str, Any] = {
        "Bucket": target.bucket,
        "Key": target.key,
        "CopySource": source.copy_source(),
        "MetadataDirective": options.metadata_directive,
        **_pinned(source_head),
        **options.target_args(),
    }
    if options.metadata_directive == "REPLACE":
        args.update(options.content_args(source_head))
    args.update(_create_only(options))
    with s3_errors("CopyObject", target.bucket, target.key):
        response = client.copy_object(**args)
    result = response.get("CopyObjectResult", {})
    return CopiedObject(response.get("VersionId"), unquote_etag(result.get("ETag")), source_head.size, False)


def _pinned(source_head: ObjectHead) -> dict[str, Any]:
    # Read the source only as long as it is the object that was looked at.
    return {"CopySourceIfMatch": f'"{source_head.etag}"'} if source_head.etag else {}


def _copy_multipart(
    client: S3Client,
    source: ObjectRef,
    source_head: ObjectHead,
    target: ObjectRef,
    options: CopyOptions,
    config: MultipartConfig,
) -> CopiedObject:
    create: dict[str, Any] = {**options.content_args(source_head), **options.target_args()}
    # CopyObject keeps the tags whatever the metadata directive (TaggingDirective COPY): so here.
    if source_head.tag_count:
        create["Tagging"] = _source_tags(client, source)
    with s3_errors("CreateMultipartUpload", target.bucket, target.key):
        upload_id = client.create_multipart_upload(Bucket=target.bucket, Key=target.key, **create)["UploadId"]
    try:
        parts = _copy_parts(client, source, source_head, target, upload_id, config.part_size_for(source_head.size))
        with s3_errors("CompleteMultipartUpload", target.bucket, target.key):
            response = client.complete_multipart_upload(
                Bucket=target.bucket,
                Key=target.key,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
                **_create_only(options),
            )
    except BaseException:
        abort_upload(client, target.bucket, target.key, upload_id)
        raise
    return CopiedObject(response.get("VersionId"), unquote_etag(response.get("ETag")), source_head.size, True)


def _create_only(options: CopyOptions) -> dict[str, Any]:
    return {"IfNoneMatch": "*"} if options.create_only else {}


def _copy_parts(
    client: S3Client, source: ObjectRef, head: ObjectHead, target: ObjectRef, upload_id: str, part_size: int
) -> list[Any]:
    parts: list[Any] = []
    for number, start in enumerate(range(0, head.size, part_size), start=1):
        end = min(start + part_size, head.size) - 1
        with s3_errors("UploadPartCopy", target.bucket, target.key):
            response = client.upload_part_copy(
                Bucket=target.bucket,
                Key=target.key,
                UploadId=upload_id,
                PartNumber=number,
                CopySource=source.copy_source(),
                CopySourceRange=f"bytes={start}-{end}",
                **_pinned(head),
            )
        parts.append({"ETag": response["CopyPartResult"]["ETag"], "PartNumber": number})
    return parts


def _source_tags(client: S3Client, source: ObjectRef) -> str:
    args: dict[str, Any] = {"Bucket": source.bucket, "Key": source.key}
    if source.version_id:
        args["VersionId"] = source.version_id
    with s3_errors("GetObjectTagging", source.bucket, source.key):
        tags = client.get_object_tagging(**args)["TagSet"]
    return urllib.parse.urlencode({tag["Key"]: tag["Value"] for tag in tags})
