"""The handlers of every S3 task type, as the pipeline calls them: variables in, response out.

Each handler binds the job's variables to its input model first (an input error names every
field), then runs the typed action with the worker's shared ``S3Services``. The Camunda type
binds the discriminated union ``CamundaJob`` and runs the action its member names.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from connector.actions.binding import bind
from connector.actions.copy import copy
from connector.actions.delete import delete
from connector.actions.delete_many import own_delete
from connector.actions.download import download
from connector.actions.inputs import CamundaJob, DownloadJob, UploadJob
from connector.actions.inputs.addressed import OwnDeleteJob, OwnDownloadJob, OwnUploadJob
from connector.actions.inputs.copying import CopyJob
from connector.actions.inputs.inspecting import HeadJob, PresignJob
from connector.actions.inputs.listing import ListJob
from connector.actions.inspect import head, presign_object
from connector.actions.listing import list_objects
from connector.actions.policy import S3Policy
from connector.actions.services import S3Services
from connector.actions.upload import upload
from connector.documents.address_guard import AddressPolicy
from connector.documents.external import ExternalFetcher
from connector.documents.sources import DocumentSources
from connector.documents.store import DocumentStore
from connector.runtime.pipeline import Handler, HandlerContext
from connector.s3.client import ClientCache
from connector.s3.uploads import MultipartConfig
from connector.s3.uris import s3_uri

__all__ = ["S3Actions"]

J = TypeVar("J")
Action = Callable[[J, S3Services, HandlerContext], Awaitable[dict[str, Any]]]


def _bound(model: Any, action: Action[Any], services: S3Services) -> Handler:
    async def handle(variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
        return await action(bind(model, variables), services, ctx)

    return handle


def _with_uri(action: Action[J]) -> Action[J]:
    """Our task types answer with the object's ``uri`` too (Camunda's type stays as it is)."""

    async def run(job: J, services: S3Services, ctx: HandlerContext) -> dict[str, Any]:
        response = await action(job, services, ctx)
        if "key" not in response:  # many keys: each entry names its own
            return response
        bucket, key = response["bucket"], response["key"]
        return {"bucket": bucket, "key": key, "uri": s3_uri(bucket, key), **response}

    return run


async def _camunda(job: Any, services: S3Services, ctx: HandlerContext) -> dict[str, Any]:
    if isinstance(job, UploadJob):
        return await upload(job, services, ctx)
    if isinstance(job, DownloadJob):
        return await download(job, services, ctx)
    return await delete(job, services, ctx)


class S3Actions:
    """The handlers of every S3 task type; one instance per worker, sharing the client cache.

    Attributes:
        camunda, upload, download, delete, list, copy, presign, head: the ``Handler`` of each
            task type.
    """

    def __init__(
        self,
        *,
        policy: S3Policy,
        clients: ClientCache,
        sources: DocumentSources | None = None,
        store: DocumentStore | None = None,
    ) -> None:
        sources = sources or DocumentSources(
            store=store, fetcher=ExternalFetcher(AddressPolicy(), max_bytes=policy.external_max_bytes)
        )
        multipart = MultipartConfig(
            threshold_bytes=policy.multipart_threshold_bytes,
            part_size_bytes=policy.multipart_part_size_bytes,
            concurrency=policy.transfer_concurrency,
            checksum=policy.transfer_checksum,
        )
        copy_multipart = MultipartConfig(
            threshold_bytes=policy.copy_multipart_threshold_bytes, part_size_bytes=policy.multipart_part_size_bytes
        )
        self.services = S3Services(
            policy=policy,
            clients=clients,
            sources=sources,
            store=store,
            multipart=multipart,
            copy_multipart=copy_multipart,
        )
        services = self.services
        self.camunda = _bound(CamundaJob, _camunda, services)
        self.upload = _bound(OwnUploadJob, _with_uri(upload), services)
        self.download = _bound(OwnDownloadJob, _with_uri(download), services)
        self.delete = _bound(OwnDeleteJob, _with_uri(own_delete), services)
        self.list = _bound(ListJob, list_objects, services)
        self.copy = _bound(CopyJob, copy, services)
        self.presign = _bound(PresignJob, presign_object, services)
        self.head = _bound(HeadJob, head, services)
