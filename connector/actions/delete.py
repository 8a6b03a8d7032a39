"""Delete: one object (or one version of it). S3 answers success for a missing key."""

from __future__ import annotations

from typing import Any

from connector.actions.connection import S3Job
from connector.actions.inputs import DeleteJob
from connector.actions.services import S3Services
from connector.runtime.pipeline import HandlerContext
from connector.s3.transfer import delete_object

__all__ = ["delete", "delete_one"]


async def delete(job: DeleteJob, services: S3Services, ctx: HandlerContext) -> dict[str, Any]:
    """Delete the job's object and return ``{bucket, key, versionId, deleteMarker}``.

    Raises:
        ConnectorError: S3 failures, mapped (``NoSuchBucket``, ``AccessDenied`` …).
    """
    action = job.action
    return await delete_one(job, action.bucket, action.key, action.versionId, services, ctx)


async def delete_one(
    job: S3Job, bucket: str, key: str, version_id: str | None, services: S3Services, ctx: HandlerContext
) -> dict[str, Any]:
    """Delete one object with the job's connection; see ``delete``."""
    connected = await services.connect(job, bucket, ctx)
    result = await ctx.executor.run(delete_object, connected.client, bucket=bucket, key=key, version_id=version_id)
    return {
        "bucket": bucket,
        "key": key,
        "versionId": result.version_id,
        "deleteMarker": result.delete_marker,
    }
