"""What every S3 handler shares: the operator's policy, the client cache, the document sources
and store, the multipart settings; and the one way a handler gets its client."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from connector.actions.clients import client_spec
from connector.actions.connection import S3Job
from connector.actions.policy import S3Policy
from connector.documents.sources import DocumentSources
from connector.documents.store import DocumentStore
from connector.runtime.pipeline import HandlerContext
from connector.s3.client import ClientCache, ClientSpec
from connector.s3.errors import s3_errors
from connector.s3.links import object_link
from connector.s3.uploads import MultipartConfig

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["Connected", "S3Services"]


@dataclass(frozen=True)
class Connected:
    """A job's S3 client and the configuration it was built from."""

    client: S3Client
    spec: ClientSpec

    def link(self, bucket: str, key: str) -> str:
        """The object's plain URL, right for the client's region or endpoint."""
        return object_link(
            bucket=bucket,
            key=key,
            region=self.client.meta.region_name or None,
            endpoint_url=self.spec.endpoint_url,
            path_style=self.spec.path_style,
        )


@dataclass(frozen=True)
class S3Services:
    """One per worker, shared by every handler."""

    policy: S3Policy
    clients: ClientCache
    sources: DocumentSources
    store: DocumentStore | None
    multipart: MultipartConfig
    # Copies: above this threshold part by part (UploadPartCopy), in parts of the upload size.
    copy_multipart: MultipartConfig = field(default_factory=lambda: MultipartConfig(threshold_bytes=5 * 1024**3))

    async def connect(self, job: S3Job, bucket: str, ctx: HandlerContext) -> Connected:
        """The cached client for the job's credentials, region and endpoint, under the policy.

        Raises:
            InputError: a refused bucket, endpoint or credentials mode.
            ConnectorError: building the client failed (e.g. STS refused AssumeRole).
        """
        self.policy.check_bucket(bucket)
        spec = client_spec(job.target, self.policy)
        # Building a client may call STS (assume role), so its errors are S3 errors too.
        with s3_errors(spec.build_operation, bucket):
            client = await ctx.executor.run(self.clients.get, spec)
        return Connected(client, spec)
