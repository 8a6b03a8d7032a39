"""Single-request object operations: get (capped), streaming get, presign and delete.

Each function is one S3 request and maps every botocore exception through
:func:`connector.s3.errors.s3_errors`. Writes (the one PutObject path, and multipart uploads
from a stream) are in :mod:`connector.s3.uploads`.

Memory: ``get_object`` holds at most ``max_bytes + 1`` bytes of the body, whatever the
object's real or declared size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import IncompleteReadError

from connector.error_codes import CONTENT_TOO_LARGE
from connector.errors import ConnectorError
from connector.s3.errors import s3_errors

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = [
    "DeleteResult",
    "GetResult",
    "ObjectStream",
    "PutResult",
    "delete_object",
    "get_object",
    "open_object",
    "presigned_get_url",
]


@dataclass(frozen=True)
class PutResult:
    """What S3 reported for a stored object (``etag`` without quotes).

    ``checksum_sha256`` is the whole object's SHA-256 (base64) of the bytes sent;
    ``s3_checksum`` the value S3 verified and reports for the object (composite ``...-N`` for
    a multipart upload; None when no checksum was sent).
    """

    version_id: str | None
    etag: str | None
    size: int
    content_type: str | None = None
    checksum_sha256: str | None = None
    s3_checksum: str | None = None


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


def unquote_etag(etag: str | None) -> str | None:
    """The ETag without the quotes S3 sends it in."""
    # S3 returns the ETag as a quoted HTTP entity tag; process variables want the bare value.
    return etag.strip('"') if etag else None


def _get_args(bucket: str, key: str, version_id: str | None, byte_range: str | None) -> dict[str, Any]:
    args: dict[str, Any] = {"Bucket": bucket, "Key": key}
    if version_id:
        args["VersionId"] = version_id
    if byte_range:
        args["Range"] = byte_range
    return args


def get_object(
    client: S3Client,
    *,
    bucket: str,
    key: str,
    max_bytes: int,
    version_id: str | None = None,
    byte_range: str | None = None,
) -> GetResult:
    """Download an object into memory, refusing objects larger than ``max_bytes``.

    Args:
        client: the S3 client.
        bucket: source bucket.
        key: source key.
        max_bytes: the largest body accepted (the inline variable limit).
        version_id: a specific version of the object.
        byte_range: an HTTP range such as ``bytes=0-1023`` (the cap applies to the range).

    Returns:
        The body with content type, ETag, version id and size.

    Raises:
        ConnectorError: ``CONTENT_TOO_LARGE`` (not retryable) when the object is larger than
            ``max_bytes``; any S3 or transport failure, mapped by ``map_s3_error``.
    """
    with s3_errors("GetObject", bucket, key):
        response = client.get_object(**_get_args(bucket, key, version_id, byte_range))
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
        etag=unquote_etag(response.get("ETag")),
        version_id=response.get("VersionId"),
        size=len(body),
    )


def _too_large(bucket: str, key: str, size_bytes: int | None, max_bytes: int) -> ConnectorError:
    """The error for an object over the inline cap (``size_bytes`` None: length unknown)."""
    size_text = f"{size_bytes} bytes" if size_bytes is not None else f"more than {max_bytes} bytes"
    variables: dict[str, object] = {"bucket": bucket, "key": key, "maxBytes": max_bytes}
    if size_bytes is not None:
        variables["sizeBytes"] = size_bytes
    return CONTENT_TOO_LARGE.error(
        f"Object in bucket '{bucket}', key '{key}' has {size_text}; the inline limit is "
        f"{max_bytes} bytes. Use document mode instead (response format DOCUMENT, or "
        "asFile=true) to download it as a document.",
        variables=variables,
    )


@dataclass(frozen=True)
class ObjectStream:
    """An object being downloaded: metadata now, the body read in chunks by the caller.

    ``read(n)`` raises ``ConnectorError`` (mapped) on transport failures; ``close()`` must be
    called, also on failure, to return the connection to the pool.
    """

    content_type: str | None
    content_length: int | None
    etag: str | None
    version_id: str | None
    _body: Any
    _bucket: str
    _key: str

    def read(self, size: int) -> bytes:
        with s3_errors("GetObject", self._bucket, self._key):
            return bytes(self._body.read(size))

    def close(self) -> None:
        self._body.close()


def open_object(
    client: S3Client, *, bucket: str, key: str, version_id: str | None = None, byte_range: str | None = None
) -> ObjectStream:
    """Start a streaming download; nothing of the body is read yet.

    Raises:
        ConnectorError: any S3 or transport failure, mapped by ``map_s3_error``.
    """
    with s3_errors("GetObject", bucket, key):
        response = client.get_object(**_get_args(bucket, key, version_id, byte_range))
    return ObjectStream(
        content_type=response.get("ContentType"),
        content_length=response.get("ContentLength"),
        etag=unquote_etag(response.get("ETag")),
        version_id=response.get("VersionId"),
        _body=response["Body"],
        _bucket=bucket,
        _key=key,
    )


def presigned_get_url(client: S3Client, *, bucket: str, key: str, expires_s: int, version_id: str | None = None) -> str:
    """A URL anyone can GET the object with until it expires (signed locally, no request).

    Raises:
        ConnectorError: botocore could not sign (e.g. no credentials).
    """
    params: dict[str, Any] = {"Bucket": bucket, "Key": key}
    if version_id:
        params["VersionId"] = version_id
    with s3_errors("PresignGetObject", bucket, key):
        return str(client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_s))


def delete_object(client: S3Client, *, bucket: str, key: str, version_id: str | None = None) -> DeleteResult:
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
    with s3_errors("DeleteObject", bucket, key):
        if version_id:
            response = client.delete_object(Bucket=bucket, Key=key, VersionId=version_id)
        else:
            response = client.delete_object(Bucket=bucket, Key=key)
    return DeleteResult(version_id=response.get("VersionId"), delete_marker=bool(response.get("DeleteMarker", False)))
