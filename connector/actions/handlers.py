"""Upload, download and delete: validated inputs in, Camunda-shaped responses out.

Each handler binds its inputs, applies the operator's policy, then runs the blocking S3
call on the worker's I/O pool. Response shapes are the public contract (DESIGN.md §1).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from typing import Any

from connector.actions.binding import bind
from connector.actions.camunda import (
    S3Target,
    discriminator,
    download_format,
    repaired_document,
    resolve_target,
)
from connector.actions.content_modes import typed_content
from connector.actions.documents import UploadBody, upload_body
from connector.actions.models import DeleteAction, DownloadAction, UploadAction
from connector.actions.policy import S3Policy
from connector.errors import InputError
from connector.runtime.pipeline import HandlerContext
from connector.s3.client import ClientCache, ClientSpec
from connector.s3.content import guess_content_type
from connector.s3.links import object_link
from connector.s3.transfer import delete_object, get_object, put_object

__all__ = ["S3Actions"]


class S3Actions:
    """The handlers of every S3 task type; one instance per worker, sharing the client cache."""

    def __init__(self, *, policy: S3Policy, clients: ClientCache) -> None:
        self._policy = policy
        self._clients = clients

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
        body = upload_body(repaired_document(raw_action))
        key = action.key or body.file_name
        if not key:
            raise InputError(
                "Invalid input:\n- action.key: required when the document has no file name", code="INVALID_INPUT"
            )
        _target, spec = self._client_spec(variables)
        content_type = _content_type(body, key)
        client = await ctx.executor.run(self._clients.get, spec)
        result = await ctx.executor.run(
            put_object, client, bucket=action.bucket, key=key, body=body.data, content_type=content_type
        )
        ctx.observer.on_bytes("upload", result.size)
        return {
            "bucket": action.bucket,
            "key": key,
            "link": object_link(
                bucket=action.bucket,
                key=key,
                region=client.meta.region_name or "us-east-1",
                endpoint_url=spec.endpoint_url,
                path_style=spec.path_style,
            ),
            "versionId": result.version_id,
            "eTag": result.etag,
            "size": result.size,
            "contentType": content_type,
        }

    async def download(self, variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
        raw_action = _action(variables)
        action = bind(DownloadAction, raw_action, "action")
        fmt = download_format(variables, raw_action)
        if fmt.mode == "DOCUMENT":
            raise InputError(
                "Returning the object as a Camunda document (documentReturnFormat DOCUMENT or "
                "action.asFile=true) is not supported by this version of the worker yet; choose TEXT or JSON, "
                "or set action.asFile=false",
                code="DOCUMENT_STORE_UNSUPPORTED",
            )
        _, spec = self._client_spec(variables)
        client = await ctx.executor.run(self._clients.get, spec)
        result = await ctx.executor.run(
            get_object, client, bucket=action.bucket, key=action.key, max_bytes=self._policy.inline_content_max_bytes
        )
        ctx.observer.on_bytes("download", len(result.body))
        content, content_type = typed_content(result.body, result.content_type, fmt, action.bucket, action.key)
        return {
            "bucket": action.bucket,
            "key": action.key,
            "element": {"content": content},
            "contentType": content_type,
            "size": result.size,
            "eTag": result.etag,
            "versionId": result.version_id,
        }

    async def delete(self, variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
        action = bind(DeleteAction, _action(variables), "action")
        _, spec = self._client_spec(variables)
        client = await ctx.executor.run(self._clients.get, spec)
        result = await ctx.executor.run(delete_object, client, bucket=action.bucket, key=action.key)
        return {
            "bucket": action.bucket,
            "key": action.key,
            "versionId": result.version_id,
            "deleteMarker": result.delete_marker,
        }

    def _client_spec(self, variables: Mapping[str, Any]) -> tuple[S3Target, ClientSpec]:
        target = resolve_target(variables)
        self._policy.check_endpoint(target.endpoint)
        auth = target.authentication
        if auth.type == "defaultCredentialsChain":
            self._policy.check_default_credentials()
        endpoint = target.endpoint or self._policy.default_endpoint
        spec = ClientSpec(
            access_key_id=auth.accessKey.get_secret_value() if auth.accessKey else None,
            secret_access_key=auth.secretKey.get_secret_value() if auth.secretKey else None,
            session_token=auth.sessionToken.get_secret_value() if auth.sessionToken else None,
            region=target.region,
            endpoint_url=endpoint,
            # S3-compatible stores (MinIO, Ceph, s3rver) rarely resolve bucket subdomains.
            path_style=endpoint is not None,
            connect_timeout_s=self._policy.connect_timeout_s,
            read_timeout_s=self._policy.read_timeout_s,
            max_attempts=self._policy.max_attempts,
        )
        return target, spec


def _action(variables: Mapping[str, Any]) -> Mapping[str, Any]:
    action = variables.get("action")
    if action is None:
        raise InputError("Invalid input:\n- action: required", code="INVALID_INPUT")
    if not isinstance(action, Mapping):
        raise InputError("Invalid input:\n- action: must be an object", code="INVALID_INPUT")
    return action


def _content_type(body: UploadBody, key: str) -> str:
    if body.content_type:
        return body.content_type
    name = body.file_name or key
    if body.fallback_content_type and mimetypes.guess_type(name)[0] is None:
        return body.fallback_content_type
    return guess_content_type(name, body.data[:2048])
