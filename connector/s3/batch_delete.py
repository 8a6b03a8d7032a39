"""DeleteObjects: up to 1,000 keys (or versions) in one request, with an answer per key.

S3 answers 200 for the request as a whole and lists what it deleted and what it could not,
key by key: a key that did not exist counts as deleted, as with DeleteObject. Each refusal
keeps S3's code, looked up in the one table of codes (an unknown one counts as retryable).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from connector.errors import ErrorCode
from connector.s3.errors import code_for, s3_errors

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["MAX_BATCH_KEYS", "BatchDeleteResult", "DeletedKey", "FailedKey", "delete_objects"]

MAX_BATCH_KEYS = 1000  # S3's limit per DeleteObjects request


@dataclass(frozen=True)
class DeletedKey:
    """``version_id``: the version deleted, or the delete marker created (versioned buckets)."""

    key: str
    version_id: str | None
    delete_marker: bool


@dataclass(frozen=True)
class FailedKey:
    key: str
    version_id: str | None
    code: ErrorCode
    message: str


@dataclass(frozen=True)
class BatchDeleteResult:
    """Deleted and failed keys, each in the order they were asked for."""

    deleted: tuple[DeletedKey, ...]
    errors: tuple[FailedKey, ...]


def _only_version(keys: Sequence[tuple[str, str | None]], key: str) -> str | None:
    # Some stores (moto) leave the version out of an error; it is known if the key was asked once.
    versions = [version for asked, version in keys if asked == key]
    return versions[0] if len(versions) == 1 else None


def delete_objects(client: S3Client, *, bucket: str, keys: Sequence[tuple[str, str | None]]) -> BatchDeleteResult:
    """Delete ``keys`` (``(key, version id or None)`` pairs, at most 1,000) in one request.

    Raises:
        ValueError: no keys, or more than S3 takes in one request (a programming error).
        ConnectorError: the request as a whole failed (``NoSuchBucket``, ``AccessDenied`` …).
    """
    if not 1 <= len(keys) <= MAX_BATCH_KEYS:
        raise ValueError(f"DeleteObjects takes 1 to {MAX_BATCH_KEYS} keys, got {len(keys)}")
    objects: list[Any] = [{"Key": key, **({"VersionId": version} if version else {})} for key, version in keys]
    with s3_errors("DeleteObjects", bucket):
        response = client.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": False})
    order = {pair: index for index, pair in reversed(list(enumerate(keys)))}

    def position(key: str, version: str | None) -> int:
        # S3 echoes the version id it was asked for; for a plain key it reports the marker's.
        return order.get((key, version), order.get((key, None), len(order)))

    deleted = [
        DeletedKey(
            key=item["Key"],
            version_id=item.get("VersionId") or item.get("DeleteMarkerVersionId"),
            delete_marker=bool(item.get("DeleteMarker", False)),
        )
        for item in response.get("Deleted", [])
    ]
    errors = [
        FailedKey(
            item["Key"],
            item.get("VersionId") or _only_version(keys, item["Key"]),
            code_for(item.get("Code", "")),
            item.get("Message", ""),
        )
        for item in response.get("Errors", [])
    ]
    return BatchDeleteResult(
        deleted=tuple(sorted(deleted, key=lambda d: position(d.key, d.version_id))),
        errors=tuple(sorted(errors, key=lambda e: position(e.key, e.version_id))),
    )
