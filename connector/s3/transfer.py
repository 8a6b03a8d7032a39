"""Single-request object operations: put, get (capped) and delete.

Each function is one S3 request and maps every botocore exception through
:func:`connector.s3.errors.map_s3_error`. Multipart and streaming transfers will replace
``put_object``/``get_object`` behind the same result types.

Memory: ``get_object`` holds at most ``max_bytes + 1`` bytes of the body, whatever the
object's real or declared size.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError, IncompleteReadError

from connector.errors import ConnectorError
from connector.s3.errors import map_s3_error

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["DeleteResult", "GetResult", "PutResult", "delete_object", "get_object", "put_object"]


@dataclass(frozen=True)
class PutResult:
    """What S3 reported for a stored object (``etag`` without quotes)."""

    version_id: str | None
    etag: str | None
    size: int


@dataclass(frozen=True)
class GetResult:
    """A downloaded object, fully in memory (``size`` is ``len(body)``)."""

    body: bytes
    content_type: str | None
    etag: str | None
    version_id: str | None
    size: int


@dataclass(frozen=True)
class DeleteResult:
    """What S3 reported for a delete (``delete_marker`` on versioned buckets)."""

    version_id: str | None
    delete_marker: bool


@contextmanager
def _mapped(operation: str, bucket: str, key: str) -> Iterator[None]:
    """Turn botocore exceptions raised inside the block into ``ConnectorError``."""
    try:
        yield
    except (ClientError, BotoCoreError) as exc:
        raise map_s3_error(exc, operation=operation, bucket=bucket, key=key) from exc


def _unquote_etag(etag: str | None) -> str | None:
    # S3 returns the ETag as a quoted HTTP entity tag; process variables want the bare value.
    return etag.strip('"') if etag else None


def put_object(client: S3Client, *, bucket: str, key: str, body: bytes, content_type: str | None) -> PutResult:
    """Store ``body`` under ``key`` with one PutObject request.

    Args:
        client: the S3 client.
        bucket: target bucket.
        key: target key.
        body: the whole object.
        content_type: the ``Content-Type`` to store; None lets S3 apply its default.

    Returns:
        Version id (versioned buckets), ETag and size in bytes.

    Raises:
        ConnectorError: any S3 or transport failure, mapped by ``map_s3_error``.
    """
    with _mapped("PutObject", bucket, key):
        if content_type:
            response = client.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)
        else:
            response = client.put_object(Bucket=bucket, Key=key, Body=body)
    return PutResult(version_id=response.get("VersionId"), etag=_unquote_etag(response.get("ETag")), size=len(body))


def get_object(client: S3Client, *, bucket: str, key: str, max_bytes: int) -> GetResult:
    """Download an object into memory, refusing objects larger than ``max_bytes``.

    Args:
        client: the S3 client.
        bucket: source bucket.
        key: source key.
        max_bytes: the largest body accepted (the inline variable limit).

    Returns:
        The body with content type, ETag, version id and size.

    Raises:
        ConnectorError: ``CONTENT_TOO_LARGE`` (not retryable) when the object is larger than
            ``max_bytes``; any S3 or transport failure, mapped by ``map_s3_error``.
    """
    with _mapped("GetObject", bucket, key):
        response = client.get_object(Bucket=bucket, Key=key)
        stream = response["Body"]
        try:
            declared_bytes = response.get("ContentLength")
            if declared_bytes is not None and declared_bytes > max_bytes:
                raise _too_large(bucket, key, declared_bytes, max_bytes)
            # One byte more than allowed tells "too large" apart without trusting the header.
            body = stream.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise _too_large(bucket, key, None, max_bytes)
            if declared_bytes is not None and len(body) < declared_bytes:
                # A short read on a bounded read(amt) is not checked by botocore itself.
                raise IncompleteReadError(actual_bytes=len(body), expected_bytes=declared_bytes)
        finally:
            stream.close()
    return GetResult(
        body=body,
        content_type=response.get("ContentType"),
        etag=_unquote_etag(response.get("ETag")),
        version_id=response.get("VersionId"),
        size=len(body),
    )


def _too_large(bucket: str, key: str, size_bytes: int | None, max_bytes: int) -> ConnectorError:
    """The error for an object over the inline cap (``size_bytes`` None: length unknown)."""
    size_text = f"{size_bytes} bytes" if size_bytes is not None else f"more than {max_bytes} bytes"
    variables: dict[str, object] = {"bucket": bucket, "key": key, "maxBytes": max_bytes}
    if size_bytes is not None:
        variables["sizeBytes"] = size_bytes
    return ConnectorError(
        f"Object in bucket '{bucket}', key '{key}' has {size_text}; the inline limit is "
        f"{max_bytes} bytes. Use document mode instead (response format DOCUMENT, or "
        "asFile=true) to download it as a document.",
        code="CONTENT_TOO_LARGE",
        retryable=False,
        variables=variables,
    )


def delete_object(client: S3Client, *, bucket: str, key: str) -> DeleteResult:
    """Delete an object (S3 answers success for a missing key in an existing bucket).

    Args:
        client: the S3 client.
        bucket: the bucket.
        key: the key to delete.

    Returns:
        The version id of the delete marker or deleted version, and whether a delete marker
        was created.

    Raises:
        ConnectorError: any S3 or transport failure, mapped by ``map_s3_error``.
    """
    with _mapped("DeleteObject", bucket, key):
        response = client.delete_object(Bucket=bucket, Key=key)
    return DeleteResult(version_id=response.get("VersionId"), delete_marker=bool(response.get("DeleteMarker", False)))
