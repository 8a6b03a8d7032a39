"""Upload, download and delete: validated inputs in, Camunda-shaped responses out.

Each handler binds its inputs, applies the operator's policy, then runs the blocking S3
calls on the worker's I/O pool. Response shapes are the public contract (DESIGN.md §1).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from connector.actions.binding import bind
from connector.actions.camunda import discriminator, download_format, repaired_document, resolve_target
from connector.actions.clients import client_spec
from connector.actions.content_modes import typed_content
from connector.actions.documents import DocumentSources, UploadSource, document_store_missing
from connector.actions.models import DeleteAction, DownloadAction, UploadAction
from connector.actions.policy import S3Policy
from connector.documents.address_guard import AddressPolicy
from connector.documents.external import ExternalFetcher
from connector.documents.references import CamundaDocumentRef, parse_document_ref
from connector.documents.store import DocumentStore
from connector.documents.streams import SyncToAsyncChunks
from connector.errors import InputError
from connector.runtime.durations import DurationError, parse_duration_ms
from connector.runtime.pipeline import HandlerContext
from connector.s3.client import ClientCache, ClientSpec
from connector.s3.content import guess_content_type
from connector.s3.errors import s3_errors
from connector.s3.links import object_link
from connector.s3.transfer import delete_object, get_object, open_object, presigned_get_url
from connector.s3.uploads import MultipartConfig, UploadHooks, UploadOptions, upload_stream

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["S3Actions"]

_MAX_PRESIGN_S = 7 * 24 * 3600  # SigV4's limit


class S3Actions:
    """The handlers of every S3 task type; one instance per worker, sharing the client cache."""

    def __init__(
        self,
        *,
        policy: S3Policy,
        clients: ClientCache,
        sources: DocumentSources | None = None,
        store: DocumentStore | None = None,
    ) -> None:
        self._policy = policy
        self._clients = clients
        self._store = store
        self._sources = sources or DocumentSources(
            store=store, fetcher=ExternalFetcher(AddressPolicy(), max_bytes=policy.external_max_bytes)
        )
        self._multipart = MultipartConfig(
            threshold_bytes=policy.multipart_threshold_bytes, part_size_bytes=policy.multipart_part_size_bytes
        )

    async def camunda(self, variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
        """``io.camunda:aws-s3:1``: dispatch on ``actionDiscriminator``."""
        action = discriminator(variables)
        if action == "uploadObject":
            return await self.upload(variables, ctx)
        if action == "downloadObject":
            return await self.download(variables, ctx)
        return await self.delete(variables, ctx)

    async def upload(self, variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
        raw_action = _action(variables)
        action = bind(UploadAction, raw_action, "action")
        self._policy.check_bucket(action.bucket)
        expiry_s = _presign_seconds(action.presignedLinkExpiry)
        spec = client_spec(resolve_target(variables), self._policy)
        document = repaired_document(raw_action)
        async with self._sources.open(document, base64_encoded=action.contentEncoding == "base64") as source:
            key = action.key or source.file_name
            if not key:
                raise InputError(
                    "Invalid input:\n- action.key: required when the document has no file name", code="INVALID_INPUT"
                )
            options = _upload_options(action, action.contentType or source.content_type)
            client = await self._client(ctx, spec, action.bucket)
            hooks = UploadHooks(
                on_bytes=lambda n: ctx.observer.on_bytes("upload", n),
                content_type_from_head=lambda head: _content_type(source, key, head),
                before_commit=source.before_commit,
            )
            result = await ctx.executor.run(
                upload_stream,
                client,
                bucket=action.bucket,
                key=key,
                read=source.read,
                options=options,
                config=self._multipart,
                size_hint=source.size_hint,
                hooks=hooks,
            )
        response: dict[str, Any] = {
            "bucket": action.bucket,
            "key": key,
            "link": _link(client, spec, action.bucket, key),
            "versionId": result.version_id,
            "eTag": result.etag,
            "size": result.size,
            "contentType": result.content_type,
        }
        if expiry_s is not None:
            response["presignedLink"] = await ctx.executor.run(
                presigned_get_url,
                client,
                bucket=action.bucket,
                key=key,
                expires_s=expiry_s,
                version_id=result.version_id,
            )
            expires_at = datetime.now(timezone.utc) + timedelta(seconds=expiry_s)
            response["presignedLinkExpiresAt"] = expires_at.isoformat(timespec="seconds").replace("+00:00", "Z")
        return response

    async def download(self, variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
        raw_action = _action(variables)
        action = bind(DownloadAction, raw_action, "action")
        self._policy.check_bucket(action.bucket)
        fmt = download_format(variables, raw_action)
        ttl_ms = _duration_ms(action.documentTimeToLive, "action.documentTimeToLive")
        link_ttl_ms = _duration_ms(action.documentLinkTimeToLive, "action.documentLinkTimeToLive")
        if fmt.mode == "DOCUMENT" and self._store is None:
            raise document_store_missing("Downloading as a document (documentReturnFormat DOCUMENT or asFile=true)")
        spec = client_spec(resolve_target(variables), self._policy)
        client = await self._client(ctx, spec, action.bucket)
        if fmt.mode == "DOCUMENT":
            response = await self._download_document(ctx, client, action, ttl_ms)
            if link_ttl_ms is not None:
                assert self._store is not None
                ref = parse_document_ref(response["element"]["document"], "document")
                assert isinstance(ref, CamundaDocumentRef)
                response["documentLink"] = await self._store.create_link(ref, link_ttl_ms)
            return response
        result = await ctx.executor.run(
            get_object,
            client,
            bucket=action.bucket,
            key=action.key,
            max_bytes=self._policy.inline_content_max_bytes,
            version_id=action.versionId,
            byte_range=action.range,
        )
        ctx.observer.on_bytes("download", len(result.body))
        content, content_type = typed_content(result.body, result.content_type, fmt, action.bucket, action.key)
        return _download_response(
            action, {"content": content}, content_type, result.size, result.etag, result.version_id
        )

    async def _download_document(
        self, ctx: HandlerContext, client: S3Client, action: DownloadAction, ttl_ms: int | None
    ) -> dict[str, Any]:
        """S3 object -> Camunda document, streamed: a few chunks in memory, whatever the size."""
        assert self._store is not None
        stream = await ctx.executor.run(
            open_object,
            client,
            bucket=action.bucket,
            key=action.key,
            version_id=action.versionId,
            byte_range=action.range,
        )
        counted = _CountingRead(stream.read, lambda n: ctx.observer.on_bytes("download", n))
        try:
            async with SyncToAsyncChunks(counted.read, ctx.executor.run, chunk_size=_CHUNK_BYTES) as chunks:
                reference = await self._store.create(
                    chunks,
                    size=stream.content_length,
                    content_type=stream.content_type,
                    # As Camunda's runtime does: the document is named after the key.
                    file_name=action.key,
                    time_to_live_ms=ttl_ms,
                    custom_properties=action.documentCustomProperties,
                )
        finally:
            await ctx.executor.run(stream.close)
        return _download_response(
            action, {"document": reference}, stream.content_type, counted.total, stream.etag, stream.version_id
        )

    async def delete(self, variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
        action = bind(DeleteAction, _action(variables), "action")
        self._policy.check_bucket(action.bucket)
        spec = client_spec(resolve_target(variables), self._policy)
        client = await self._client(ctx, spec, action.bucket)
        result = await ctx.executor.run(
            delete_object, client, bucket=action.bucket, key=action.key, version_id=action.versionId
        )
        return {
            "bucket": action.bucket,
            "key": action.key,
            "versionId": result.version_id,
            "deleteMarker": result.delete_marker,
        }

    async def _client(self, ctx: HandlerContext, spec: ClientSpec, bucket: str) -> S3Client:
        """The cached client; building one may call STS (assume role), so errors are mapped."""
        with s3_errors(spec.build_operation, bucket):
            return await ctx.executor.run(self._clients.get, spec)


_CHUNK_BYTES = 1024 * 1024


class _CountingRead:
    def __init__(self, read: Callable[[int], bytes], on_bytes: Callable[[int], None]) -> None:
        self._read = read
        self._on_bytes = on_bytes
        self.total = 0

    def read(self, size: int) -> bytes:
        chunk = self._read(size)
        self.total += len(chunk)
        self._on_bytes(len(chunk))
        return chunk


def _download_response(
    action: DownloadAction,
    element: dict[str, Any],
    content_type: str | None,
    size: int,
    etag: str | None,
    version_id: str | None,
) -> dict[str, Any]:
    return {
        "bucket": action.bucket,
        "key": action.key,
        "element": element,
        "contentType": content_type,
        "size": size,
        "eTag": etag,
        "versionId": version_id,
    }


def _duration_ms(value: str | None, field: str) -> int | None:
    if value is None:
        return None
    try:
        millis = parse_duration_ms(value)
    except DurationError as exc:
        raise InputError(f"Invalid input:\n- {field}: {exc}", code="INVALID_INPUT") from None
    if millis <= 0:
        raise InputError(f"Invalid input:\n- {field}: must be positive", code="INVALID_INPUT")
    return millis


def _action(variables: Mapping[str, Any]) -> Mapping[str, Any]:
    action = variables.get("action")
    if action is None:
        raise InputError("Invalid input:\n- action: required", code="INVALID_INPUT")
    if not isinstance(action, Mapping):
        raise InputError("Invalid input:\n- action: must be an object", code="INVALID_INPUT")
    return action


def _content_type(source: UploadSource, key: str, head: bytes) -> str:
    """The content type when neither the action nor the document names one."""
    name = source.file_name or key
    if source.fallback_content_type and mimetypes.guess_type(name)[0] is None:
        return source.fallback_content_type
    return guess_content_type(name, head)


def _upload_options(action: UploadAction, content_type: str | None) -> UploadOptions:
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
    )


def _presign_seconds(expiry: str | None) -> int | None:
    if expiry is None:
        return None
    try:
        seconds = parse_duration_ms(expiry) // 1000
    except DurationError as exc:
        raise InputError(f"Invalid input:\n- action.presignedLinkExpiry: {exc}", code="INVALID_INPUT") from None
    if not 1 <= seconds <= _MAX_PRESIGN_S:
        raise InputError(
            "Invalid input:\n- action.presignedLinkExpiry: must be between PT1S and P7D", code="INVALID_INPUT"
        )
    return seconds


def _link(client: S3Client, spec: ClientSpec, bucket: str, key: str) -> str:
    return object_link(
        bucket=bucket,
        key=key,
        region=client.meta.region_name or "us-east-1",
        endpoint_url=spec.endpoint_url,
        path_style=spec.path_style,
    )
