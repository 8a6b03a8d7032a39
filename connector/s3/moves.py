"""A copy as a job runs it, and a move: copy, verify, and only then delete the source.

Order of a move, so that nothing is ever half-done:

1. HeadObject the source (its size, ETag and checksums; missing: ``NoSuchKey``).
2. HeadObject the target. Already identical to the source (a re-run after the delete
   failed): skip the copy. With ``create_only``, any other existing target fails with
   ``PreconditionFailed`` here, because some stores (MinIO) ignore ``If-None-Match`` on
   CopyObject; the copy request carries it too, for the stores that honour it.
3. Copy, pinned to the source's ETag (``copying.copy_object``).
4. HeadObject the new target version: the size must match, and so must a full-object
   checksum both sides have (``COPY_NOT_VERIFIED`` otherwise; a multipart copy's ETag
   legitimately differs from the source's). The source stays.
5. Delete the source (``SOURCE_NOT_DELETED`` if that fails: retryable, and the re-run finds
   the target identical in step 2 and only deletes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from connector.error_codes import COPY_NOT_VERIFIED, NO_SUCH_KEY, S3_CODES, SOURCE_NOT_DELETED
from connector.errors import ConnectorError
from connector.s3.copying import CopiedObject, CopyOptions, ObjectRef, copy_object
from connector.s3.head import ObjectHead, head_object
from connector.s3.transfer import delete_object
from connector.s3.uploads import MultipartConfig

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["CopyOutcome", "copy_or_move", "same_object"]

# A composite (per-part) checksum ends in "-<parts>": it is not comparable across copies.
_COMPOSITE = re.compile(r"-\d+$")


@dataclass(frozen=True)
class CopyOutcome:
    source: ObjectHead
    target: CopiedObject
    source_deleted: bool


def _full_checksums(head: ObjectHead) -> dict[str, str]:
    if head.checksum_type not in (None, "FULL_OBJECT"):
        return {}
    return {name: value for name, value in head.checksums.items() if not _COMPOSITE.search(value)}


def _checksum_problem(source: ObjectHead, target: ObjectHead) -> str | None:
    theirs = _full_checksums(target)
    for name, value in _full_checksums(source).items():
        if name in theirs and theirs[name] != value:
            return f"its {name} differs from the source's"
    return None


def same_object(source: ObjectHead, target: ObjectHead) -> bool:
    """True when ``target`` provably has the source's bytes: same size, and the same ETag or
    the same full-object checksum."""
    if source.size != target.size or _checksum_problem(source, target):
        return False
    if source.etag and source.etag == target.etag:
        return True
    theirs = _full_checksums(target)
    return any(theirs.get(name) == value for name, value in _full_checksums(source).items())


def _verify_problem(source: ObjectHead, head: ObjectHead | None) -> str | None:
    if head is None:
        return "it is not there"
    if head.size != source.size:
        return f"it has {head.size} bytes, the source {source.size}"
    return _checksum_problem(source, head)


def _verify(client: S3Client, target: ObjectRef, copied: CopiedObject, source: ObjectHead) -> None:
    # "null" is the version of an unversioned write (moto says so; AWS leaves the id out).
    version = copied.version_id if copied.version_id != "null" else None
    head = head_object(client, bucket=target.bucket, key=target.key, version_id=version, checksums=True)
    problem = _verify_problem(source, head)
    if problem:
        raise COPY_NOT_VERIFIED.error(
            f"The copy to bucket '{target.bucket}', key '{target.key}' could not be verified: {problem}. "
            "The source was not deleted.",
            {"bucket": target.bucket, "key": target.key},
        )


def _delete_source(client: S3Client, source: ObjectRef) -> None:
    try:
        delete_object(client, bucket=source.bucket, key=source.key, version_id=source.version_id)
    except ConnectorError as exc:
        raise SOURCE_NOT_DELETED.error(
            f"The object was copied and verified, but the source could not be deleted: {exc.message}. "
            "A retry finds the copy in place and only deletes the source.",
            {**exc.variables, "cause": exc.code},
        ) from exc


def _source_head(client: S3Client, source: ObjectRef) -> ObjectHead:
    head = head_object(client, bucket=source.bucket, key=source.key, version_id=source.version_id, checksums=True)
    if head is None:
        raise NO_SUCH_KEY.error(
            f"HeadObject failed for bucket '{source.bucket}', key '{source.key}': NoSuchKey: the source "
            "object does not exist",
            {"bucket": source.bucket, "key": source.key},
        )
    return head


def copy_or_move(
    client: S3Client,
    *,
    source: ObjectRef,
    target: ObjectRef,
    options: CopyOptions,
    config: MultipartConfig,
    delete_source: bool = False,
) -> CopyOutcome:
    """Copy ``source`` to ``target``; with ``delete_source``, a move (see the module's steps).

    Raises:
        ValueError: a move onto the source itself (callers refuse it as an input error first).
        ConnectorError: ``NoSuchKey`` (no source), ``PreconditionFailed`` (``create_only`` and
            the target exists, or the source changed during the copy), ``COPY_NOT_VERIFIED``,
            ``SOURCE_NOT_DELETED``, and any other S3 failure, mapped.
    """
    if delete_source and (source.bucket, source.key) == (target.bucket, target.key):
        raise ValueError("a move onto its own source would delete the object")
    head = _source_head(client, source)
    existing = None
    if options.create_only or delete_source:
        existing = head_object(client, bucket=target.bucket, key=target.key, checksums=True)
    if delete_source and existing is not None and same_object(head, existing):
        copied = CopiedObject(existing.version_id, existing.etag, existing.size, False)
    else:
        if options.create_only and existing is not None:
            raise S3_CODES["PreconditionFailed"].error(
                f"CopyObject failed for bucket '{target.bucket}', key '{target.key}': PreconditionFailed: "
                "the target exists and createOnly is set",
                {"bucket": target.bucket, "key": target.key},
            )
        copied = copy_object(client, source=source, source_head=head, target=target, options=options, config=config)
        if delete_source:
            _verify(client, target, copied, head)
    if delete_source:
        _delete_source(client, source)
    return CopyOutcome(head, copied, delete_source)
