"""Head (is the object there, and what is it?) and presign (a time-limited GET or PUT URL).

Head answers ``exists: false`` for a missing object unless ``failIfMissing``; a missing
bucket is ``NoSuchBucket``, never ``exists: false``. Presign sends no request: the URL is
signed locally, and ``expiresAt`` is the earlier of the requested expiry and that of the
credentials that signed it (an assumed role's).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from connector.actions.inputs.inspecting import HeadJob, PresignJob
from connector.actions.services import S3Services
from connector.clock import iso_utc
from connector.error_codes import NO_SUCH_KEY
from connector.errors import invalid
from connector.runtime.pipeline import HandlerContext
from connector.s3.head import head_object
from connector.s3.presign import presign
from connector.s3.uris import s3_uri

__all__ = ["head", "presign_object"]

_ABSENT = ("size", "contentType", "eTag", "lastModified", "versionId", "metadata", "storageClass")


async def head(job: HeadJob, services: S3Services, ctx: HandlerContext) -> dict[str, Any]:
    """HeadObject the job's object and return ``{bucket, key, uri, exists, size, …}``.

    Raises:
        ConnectorError: ``NoSuchKey`` (retried) for a missing object with ``failIfMissing``;
            ``NoSuchBucket``, ``AccessDenied`` and other S3 failures, mapped.
    """
    action = job.action
    connected = await services.connect(job, action.bucket, ctx)
    found = await ctx.executor.run(
        head_object, connected.client, bucket=action.bucket, key=action.key, version_id=action.versionId
    )
    response: dict[str, Any] = {"bucket": action.bucket, "key": action.key, "uri": s3_uri(action.bucket, action.key)}
    if found is None:
        if action.failIfMissing:
            version = f", version '{action.versionId}'" if action.versionId else ""
            raise NO_SUCH_KEY.error(
                f"HeadObject failed for bucket '{action.bucket}', key '{action.key}'{version}: NoSuchKey: the "
                "object does not exist (failIfMissing is set)",
                {"bucket": action.bucket, "key": action.key},
            )
        return {**response, "exists": False, **dict.fromkeys(_ABSENT)}
    return {
        **response,
        "exists": True,
        "size": found.size,
        "contentType": found.content_type,
        "eTag": found.etag,
        "lastModified": iso_utc(found.last_modified) if found.last_modified else None,
        "versionId": found.version_id,
        "metadata": dict(found.metadata),
        "storageClass": found.storage_class,
    }


async def presign_object(job: PresignJob, services: S3Services, ctx: HandlerContext) -> dict[str, Any]:
    """Sign a GET or PUT URL and return ``{bucket, key, uri, url, method, expiresAt, headers}``.

    Raises:
        InputError: anonymous credentials (nothing to sign with); a refused bucket.
        ConnectorError: signing failed (e.g. STS refused to renew an assumed role).
    """
    action = job.action
    if job.target.authentication.type == "anonymous":
        raise invalid("authentication.type", "a presigned URL is signed with credentials; 'anonymous' has none")
    connected = await services.connect(job, action.bucket, ctx)
    signed = await ctx.executor.run(
        presign,
        connected.client,
        method=action.method,
        bucket=action.bucket,
        key=action.key,
        expires_s=action.expires_s,
        content_type=action.contentType,
        content_disposition=action.contentDisposition,
        version_id=action.versionId,
    )
    expires_at = ctx.clock.now() + timedelta(seconds=action.expires_s)
    if signed.credentials_expire_at is not None:
        expires_at = min(expires_at, signed.credentials_expire_at)
    return {
        "bucket": action.bucket,
        "key": action.key,
        "uri": s3_uri(action.bucket, action.key),
        "url": signed.url,
        "method": action.method,
        "expiresAt": iso_utc(expires_at),
        "headers": signed.headers,
    }
