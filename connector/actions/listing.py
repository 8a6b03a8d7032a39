"""List: one page of a bucket's objects (and folders, with a delimiter) under a prefix.

The response stays far below Zeebe's message limit: as sent (compact UTF-8 JSON) it is at
most ``MAX_RESPONSE_BYTES``. A page that would be larger ends early, with ``truncated`` and a
``continuationToken`` that resumes right after the last entry returned: nothing is dropped.
"""

from __future__ import annotations

import json
from typing import Any

from connector.actions.inputs.listing import ListAction, ListJob
from connector.actions.services import S3Services
from connector.clock import iso_utc
from connector.runtime.pipeline import HandlerContext
from connector.s3.listing import Folder, ListedObject, ListPage, entry_name, list_page, resume_token
from connector.s3.uris import s3_uri

__all__ = ["MAX_RESPONSE_BYTES", "list_objects", "page_response"]

MAX_RESPONSE_BYTES = 1024 * 1024
# Room for the longest continuation token: ours name a key (1024 bytes, base64), S3's are shorter.
_TOKEN_RESERVE_BYTES = 4096


async def list_objects(job: ListJob, services: S3Services, ctx: HandlerContext) -> dict[str, Any]:
    """List one page and return ``{bucket, prefix, uri, objects, folders, truncated,
    continuationToken}``.

    Raises:
        ConnectorError: S3 failures, mapped (``NoSuchBucket``, ``AccessDenied`` …).
    """
    action = job.action
    connected = await services.connect(job, action.bucket, ctx)
    page = await ctx.executor.run(
        list_page,
        connected.client,
        bucket=action.bucket,
        prefix=action.prefix,
        delimiter=action.delimiter,
        start_after=action.startAfter,
        max_keys=action.maxKeys,
        continuation_token=action.continuationToken,
    )
    return page_response(action, page)


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _object(bucket: str, item: ListedObject) -> dict[str, Any]:
    return {
        "key": item.key,
        "uri": s3_uri(bucket, item.key),
        "size": item.size,
        "eTag": item.etag,
        "lastModified": iso_utc(item.last_modified) if item.last_modified else None,
        "storageClass": item.storage_class,
    }


def page_response(action: ListAction, page: ListPage, max_bytes: int = MAX_RESPONSE_BYTES) -> dict[str, Any]:
    """The response for ``page``, cut where its encoded size would pass ``max_bytes``.

    At least one entry is always taken (one is at most about 13 KB), so paging progresses.
    """
    response: dict[str, Any] = {
        "bucket": action.bucket,
        "prefix": action.prefix,
        "uri": s3_uri(action.bucket, action.prefix),
        "objects": [],
        "folders": [],
        "truncated": False,
        "continuationToken": None,
    }
    used = _size(response) + _TOKEN_RESERVE_BYTES
    taken = 0
    for entry in page.entries:
        value: Any = entry.prefix if isinstance(entry, Folder) else _object(action.bucket, entry)
        used += _size(value) + 1  # and a comma
        if used > max_bytes and taken:
            break
        response["folders" if isinstance(entry, Folder) else "objects"].append(value)
        taken += 1
    if taken < len(page.entries):
        response["truncated"] = True
        response["continuationToken"] = resume_token(entry_name(page.entries[taken - 1]))
    else:
        response["truncated"] = page.truncated
        response["continuationToken"] = page.next_token
    return response
