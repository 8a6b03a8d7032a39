"""Delete on our own task type: one key as Camunda's delete does, or many (``action.keys``,
one DeleteObjects request).

Many: the response lists ``deleted: [{key, versionId, deleteMarker}]`` and ``errors: [{key,
versionId, code, message}]``. Missing keys count as deleted, as in S3. When some key could
not be deleted the job fails with the code and retryability of the worst refusal (a
permanent one wins: ``AccessDenied`` gives retries 0), and ``error.variables`` carries both
lists.
"""

from __future__ import annotations

from typing import Any

from connector.actions.delete import delete_one
from connector.actions.inputs.addressed import OwnDeleteJob
from connector.actions.services import S3Services
from connector.errors import ConnectorError
from connector.runtime.pipeline import HandlerContext
from connector.s3.batch_delete import BatchDeleteResult, delete_objects

__all__ = ["own_delete"]

_LISTED_ERRORS = 10  # in the message; error.variables has them all


async def own_delete(job: OwnDeleteJob, services: S3Services, ctx: HandlerContext) -> dict[str, Any]:
    """Delete ``action.key`` (as ``delete``) or every entry of ``action.keys``.

    Raises:
        ConnectorError: the request failed as a whole (``NoSuchBucket`` …), or some keys
            could not be deleted (the worst key's code).
    """
    action = job.action
    if action.keys is None:
        assert action.key is not None  # the model made sure
        return await delete_one(job, action.bucket, action.key, action.versionId, services, ctx)
    # The same key twice is one deletion; S3 would report it twice.
    pairs = list(dict.fromkeys((entry.key, entry.versionId) for entry in action.keys))
    connected = await services.connect(job, action.bucket, ctx)
    result = await ctx.executor.run(delete_objects, connected.client, bucket=action.bucket, keys=pairs)
    response = {
        "bucket": action.bucket,
        "deleted": [
            {"key": item.key, "versionId": item.version_id, "deleteMarker": item.delete_marker}
            for item in result.deleted
        ],
        "errors": [
            {"key": item.key, "versionId": item.version_id, "code": item.code.code, "message": item.message}
            for item in result.errors
        ],
    }
    if result.errors:
        raise _failure(action.bucket, len(pairs), result, response)
    return response


def _failure(bucket: str, asked: int, result: BatchDeleteResult, response: dict[str, Any]) -> ConnectorError:
    """The error of a partly failed batch: the first permanent refusal's code, else the first's."""
    worst = next((item for item in result.errors if not item.code.retryable), result.errors[0])
    listed = "; ".join(f"'{item.key}': {item.code.code}: {item.message}" for item in result.errors[:_LISTED_ERRORS])
    more = len(result.errors) - _LISTED_ERRORS
    if more > 0:
        listed += f"; and {more} more (in error.variables.errors)"
    return worst.code.error(
        f"DeleteObjects failed for {len(result.errors)} of {asked} keys in bucket '{bucket}': {listed}",
        response,
    )
