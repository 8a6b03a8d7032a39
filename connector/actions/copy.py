"""Copy, and move (``deleteSource``): server-side, verified before the source is deleted.

The response is ``{source: {bucket, key, uri, versionId}, target: {bucket, key, uri,
versionId, eTag, size, link}, sourceDeleted}``. The steps and their guarantees are in
``connector.s3.moves``.
"""

from __future__ import annotations

from typing import Any

from connector.actions.inputs.copying import CopyAction, CopyJob
from connector.actions.keys import copy_target_key
from connector.actions.services import S3Services
from connector.errors import invalid
from connector.runtime.pipeline import HandlerContext
from connector.s3.copying import CopyOptions, ObjectRef
from connector.s3.moves import CopyOutcome, copy_or_move
from connector.s3.uris import s3_uri

__all__ = ["copy"]


async def copy(job: CopyJob, services: S3Services, ctx: HandlerContext) -> dict[str, Any]:
    """Copy (or move) the job's source to its target and return the copy response.

    Raises:
        InputError: a move onto its own source; a refused bucket; a target key template
            that cannot expand.
        ConnectorError: ``NoSuchKey``, ``PreconditionFailed``, ``COPY_NOT_VERIFIED``,
            ``SOURCE_NOT_DELETED`` and other S3 failures, mapped.
    """
    action = job.action
    assert action.target.bucket is not None  # the model made sure
    source = ObjectRef(action.source.bucket, action.source.key, action.source.versionId)
    target = ObjectRef(action.target.bucket, copy_target_key(action, ctx))
    if action.deleteSource and (source.bucket, source.key) == (target.bucket, target.key):
        raise invalid("action.target", "is the source itself: moving an object onto itself would delete it")
    services.policy.check_bucket(target.bucket)
    connected = await services.connect(job, source.bucket, ctx)
    outcome = await ctx.executor.run(
        copy_or_move,
        connected.client,
        source=source,
        target=target,
        options=_options(action),
        config=services.copy_multipart,
        delete_source=action.deleteSource,
    )
    return _response(source, target, outcome, connected.link(target.bucket, target.key))


def _response(source: ObjectRef, target: ObjectRef, outcome: CopyOutcome, link: str) -> dict[str, Any]:
    return {
        "source": {
            "bucket": source.bucket,
            "key": source.key,
            "uri": s3_uri(source.bucket, source.key),
            "versionId": outcome.source.version_id,
        },
        "target": {
            "bucket": target.bucket,
            "key": target.key,
            "uri": s3_uri(target.bucket, target.key),
            "versionId": outcome.target.version_id,
            "eTag": outcome.target.etag,
            "size": outcome.target.size,
            "link": link,
        },
        "sourceDeleted": outcome.source_deleted,
    }


def _options(action: CopyAction) -> CopyOptions:
    return CopyOptions(
        metadata_directive=action.metadataDirective,
        metadata=action.metadata or {},
        content_type=action.contentType,
        storage_class=action.storageClass,
        server_side_encryption=action.serverSideEncryption,
        kms_key_id=action.kmsKeyId,
        create_only=action.createOnly,
    )
