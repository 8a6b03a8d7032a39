"""Delete: one object (or one version of it). S3 answers success for a missing key."""

from __future__ import annotations

from typing import Any

from connector.actions.inputs import DeleteJob
from connector.actions.services import S3Services
from connector.runtime.pipeline import HandlerContext
from connector.s3.transfer import delete_object

__all__ = ["delete"]


async def delete(job: DeleteJob, services: S3Services, ctx: HandlerContext) -> dict[str, Any]:
    """Delete the job's object and return ``{bucket, key, versionId, deleteMarker}``.

    Raises:
        ConnectorError: S3 failures, mapped (``NoSuchBucket``, ``AccessDenied`` …).
    """
    action = job.action
    connected = await services.connect(job, action.bucket, ctx)
    result = await ctx.executor.run(
        delete_object, connected.client, bucket=action.bucket, key=action.key, version_id=action.versionId
    )
    return {
        "bucket": action.bucket,
        "key": action.key,
        "versionId": result.version_id,
        "deleteMarker": result.delete_marker,
    }
