"""The task types the worker serves, built from settings: Camunda's and our own."""

from __future__ import annotations

from connector.actions.handlers import S3Actions
from connector.actions.policy import S3Policy
from connector.documents.address_guard import AddressPolicy
from connector.documents.external import ExternalFetcher
from connector.documents.sources import DocumentSources
from connector.documents.store import DocumentStore
from connector.runtime.pipeline import TaskSpec
from connector.s3.client import ClientCache
from connector.settings import WorkerSettings

__all__ = ["CAMUNDA_VARIABLES", "build_actions", "build_task_specs", "s3_policy"]

# Camunda's runtime fetches exactly these (inputVariables of the Java connector, 8.10/main).
CAMUNDA_VARIABLES = (
    "authentication",
    "configuration",
    "actionDiscriminator",
    "action",
    "documentReturnFormat",
    "awsCredential",
)
_COMMON = ("authentication", "configuration", "action", "awsCredential")


def s3_policy(settings: WorkerSettings) -> S3Policy:
    """The operator policy and client options for S3 handlers, from the settings."""
    return S3Policy(
        default_endpoint=settings.default_endpoint,
        allowed_endpoints=settings.allowed_endpoint_list,
        allow_default_credentials=settings.allow_default_credentials,
        inline_content_max_bytes=settings.inline_content_max_bytes,
        connect_timeout_s=settings.s3_connect_timeout_s,
        read_timeout_s=settings.s3_read_timeout_s,
        max_attempts=settings.s3_max_attempts,
        retry_mode=settings.s3_retry_mode,
        checksum_mode=settings.s3_checksum_mode,
        sts_endpoint=settings.sts_endpoint,
        multipart_threshold_bytes=settings.multipart_threshold_bytes,
        multipart_part_size_bytes=settings.multipart_part_size_bytes,
        transfer_concurrency=settings.transfer_concurrency,
        transfer_checksum=settings.transfer_checksum,
        copy_multipart_threshold_bytes=settings.copy_multipart_threshold_bytes,
        external_max_bytes=settings.external_max_bytes,
        allowed_buckets=settings.allowed_bucket_list,
    )


def build_actions(settings: WorkerSettings, store: DocumentStore | None = None) -> S3Actions:
    """The S3 handlers with their client cache, document store and external URL policy."""
    clients = ClientCache(
        max_size=settings.client_cache_size,
        default_region=settings.aws_region,
        # One pooled connection per concurrently running job of a task type, and one per part
        # in flight of a large transfer.
        max_pool_connections=max(10, settings.max_running_jobs, settings.transfer_concurrency),
    )
    fetcher = ExternalFetcher(
        AddressPolicy(allow_private=settings.allow_private_urls, allowed_hosts=settings.allowed_url_host_list),
        max_bytes=settings.external_max_bytes,
        connect_timeout_s=settings.s3_connect_timeout_s,
        read_timeout_s=settings.s3_read_timeout_s,
    )
    sources = DocumentSources(
        store=store,
        fetcher=fetcher,
        verify_hash=settings.verify_content_hash,
        inline_max_bytes=settings.inline_upload_max_bytes,
    )
    return S3Actions(policy=s3_policy(settings), clients=clients, sources=sources, store=store)


def build_task_specs(settings: WorkerSettings, actions: S3Actions | None = None) -> list[TaskSpec]:
    """One ``TaskSpec`` per served task type, each fetching only the variables it reads."""
    actions = actions or build_actions(settings)
    specs = [
        TaskSpec(settings.task_type_camunda, CAMUNDA_VARIABLES, actions.camunda),
        TaskSpec(settings.task_type_upload, _COMMON, actions.upload),
        TaskSpec(settings.task_type_download, (*_COMMON, "documentReturnFormat"), actions.download),
        TaskSpec(settings.task_type_delete, _COMMON, actions.delete),
        TaskSpec(settings.task_type_list, _COMMON, actions.list),
        TaskSpec(settings.task_type_copy, _COMMON, actions.copy),
        TaskSpec(settings.task_type_presign, _COMMON, actions.presign),
        TaskSpec(settings.task_type_head, _COMMON, actions.head),
    ]
    return [spec for spec in specs if spec.task_type]
