"""Upload: a document (store reference, inline content, external URL or plain value) to S3.

The document is streamed to the uploader on the I/O pool; the key defaults to the document's
file name; the response is the public contract (DESIGN.md §1): ``{bucket, key, link,
versionId, eTag, size, contentType, checksumSHA256}``, with a presigned link when one was asked for.
"""

from __future__ import annotations

import mimetypes
from datetime import timedelta
from typing import Any

from connector.actions.inputs import UploadAction, UploadJob
from connector.actions.keys import upload_key
from connector.actions.services import Connected, S3Services
from connector.documents.sources import UploadSource
from connector.runtime.pipeline import HandlerContext
from connector.s3.content import guess_content_type
from connector.s3.transfer import presigned_get_url
from connector.s3.uploads import UploadHooks, UploadOptions, upload_stream

__all__ = ["upload"]


async def upload(job: UploadJob, services: S3Services, ctx: HandlerContext) -> dict[str, Any]:
    """Upload the job's document and return the upload response.

    Raises:
        InputError: no key and a document without a file name, a key template that cannot
            expand; refused bucket/endpoint/URL.
        ConnectorError: S3, document store or URL failures (mapped, with their retryability).
    """
    action = job.action
    connected = await services.connect(job, action.bucket, ctx)
    base64_encoded = action.contentEncoding == "base64"
    async with services.sources.open(action.document, base64_encoded=base64_encoded) as source:
        key = upload_key(action, source.file_name, ctx)
        hooks = UploadHooks(
            on_bytes=lambda n: ctx.observer.on_bytes("upload", n),
            content_type_from_head=lambda head: _content_type(source, key, head),
            before_commit=source.before_commit,
        )
        result = await ctx.executor.run(
            upload_stream,
            connected.client,
            bucket=action.bucket,
            key=key,
            read=source.read,
            options=_options(action, action.contentType or source.content_type, ctx),
            config=services.multipart,
            size_hint=source.size_hint,
            hooks=hooks,
            expected_sha256=source.sha256,
            readinto=source.readinto,
        )
    response: dict[str, Any] = {
        "bucket": action.bucket,
        "key": key,
        "link": connected.link(action.bucket, key),
        "versionId": result.version_id,
        "eTag": result.etag,
        "size": result.size,
        "contentType": result.content_type,
        "checksumSHA256": result.checksum_sha256,
    }
    if action.presignedLinkExpiry is not None:
        response |= await _presigned(connected, action, key, result.version_id, ctx)
    return response


async def _presigned(
    connected: Connected, action: UploadAction, key: str, version_id: str | None, ctx: HandlerContext
) -> dict[str, Any]:
    assert action.presignedLinkExpiry is not None
    expires_s = action.presignedLinkExpiry // 1000
    url = await ctx.executor.run(
        presigned_get_url, connected.client, bucket=action.bucket, key=key, expires_s=expires_s, version_id=version_id
    )
    expires_at = ctx.clock.now() + timedelta(seconds=expires_s)
    return {
        "presignedLink": url,
        "presignedLinkExpiresAt": expires_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
    }


def _content_type(source: UploadSource, key: str, head: bytes) -> str:
    """The content type when neither the action nor the document names one."""
    name = source.file_name or key
    if source.fallback_content_type and mimetypes.guess_type(name)[0] is None:
        return source.fallback_content_type
    return guess_content_type(name, head)


def _options(action: UploadAction, content_type: str | None, ctx: HandlerContext) -> UploadOptions:
    return UploadOptions(
        content_type=content_type,
        metadata=action.metadata or {},
        tags=action.tags or {},
        storage_class=action.storageClass,
        server_side_encryption=action.serverSideEncryption,
        kms_key_id=action.kmsKeyId,
        cache_control=action.cacheControl,
        content_disposition=action.contentDisposition,
        create_only=action.createOnly,
        # A re-run of this job recognises its own earlier attempt by it (connector.s3.attempts).
        job_key=str(ctx.job.key) if ctx.job is not None else None,
    )
