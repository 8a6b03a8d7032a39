"""ListObjectsV2, one page at a time, with a way to end a page early and resume after it.

S3's continuation tokens are opaque: a page cut short by its reader (for example to keep a
job's response small) cannot be resumed with S3's token, which points after the whole page.
``resume_token(after)`` makes a token of our own that names the last entry taken;
``list_page`` resumes after it (``StartAfter``) and drops the folder that entry was, which S3
would list again. S3's own tokens pass through unchanged.

Entries come in S3's order, objects and folders merged: keys sorted by their UTF-8 bytes.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from connector.s3.errors import s3_errors
from connector.s3.transfer import unquote_etag

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["Folder", "ListPage", "ListedObject", "entry_name", "list_page", "resume_after", "resume_token"]

# "~" is not in the base64 alphabets S3-compatible stores use for their tokens.
_TOKEN_PREFIX = "~s3c1~"


@dataclass(frozen=True)
class ListedObject:
    key: str
    size: int
    etag: str | None
    last_modified: datetime | None
    storage_class: str | None


@dataclass(frozen=True)
class Folder:
    """A common prefix (with a delimiter): everything under it rolled up into one entry."""

    prefix: str


@dataclass(frozen=True)
class ListPage:
    """One ListObjectsV2 answer: entries in key order, and S3's token for the next page."""

    entries: tuple[ListedObject | Folder, ...]
    truncated: bool
    next_token: str | None


def entry_name(entry: ListedObject | Folder) -> str:
    return entry.key if isinstance(entry, ListedObject) else entry.prefix


def resume_token(after: str) -> str:
    """A continuation token that resumes a listing after the entry named ``after``."""
    return _TOKEN_PREFIX + base64.urlsafe_b64encode(after.encode("utf-8")).decode("ascii")


def resume_after(token: str) -> str | None:
    """The entry a token of ours resumes after; None for S3's own tokens.

    Raises:
        ValueError: a token that looks like ours but is damaged.
    """
    if not token.startswith(_TOKEN_PREFIX):
        return None
    try:
        after = base64.b64decode(token[len(_TOKEN_PREFIX) :].encode("ascii"), altchars=b"-_", validate=True)
        if after:
            return after.decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        pass
    raise ValueError("is damaged: pass back the continuationToken of the previous page unchanged")


def list_page(
    client: S3Client,
    *,
    bucket: str,
    prefix: str = "",
    delimiter: str | None = None,
    start_after: str | None = None,
    max_keys: int = 1000,
    continuation_token: str | None = None,
) -> ListPage:
    """One page of at most ``max_keys`` entries (objects and folders together, as S3 counts).

    Raises:
        ValueError: a damaged token of ours (see ``resume_after``).
        ConnectorError: any S3 or transport failure, mapped (``NoSuchBucket`` …).
    """
    args: dict[str, Any] = {"Bucket": bucket, "MaxKeys": max_keys}
    optional = {"Prefix": prefix, "Delimiter": delimiter, "StartAfter": start_after}
    after = resume_after(continuation_token) if continuation_token else None
    if after is not None:
        optional["StartAfter"] = after
    elif continuation_token:
        args["ContinuationToken"] = continuation_token
    args.update({name: value for name, value in optional.items() if value})
    with s3_errors("ListObjectsV2", bucket, prefix or None):
        response = client.list_objects_v2(**args)
    truncated = bool(response.get("IsTruncated"))
    return ListPage(_entries(response, after), truncated, response.get("NextContinuationToken") if truncated else None)


def _entries(response: Any, after: str | None) -> tuple[ListedObject | Folder, ...]:
    """Objects and folders of an answer merged in key order (UTF-8 bytes, as S3 sorts)."""
    objects = [
        ListedObject(
            key=item["Key"],
            size=int(item.get("Size") or 0),
            etag=unquote_etag(item.get("ETag")),
            last_modified=item.get("LastModified"),
            storage_class=item.get("StorageClass"),
        )
        for item in response.get("Contents", [])
    ]
    # After a cut at a folder, S3 lists that folder again (its keys sort after its name).
    folders = [
        Folder(item["Prefix"])
        for item in response.get("CommonPrefixes", [])
        if after is None or item["Prefix"].encode("utf-8") > after.encode("utf-8")
    ]
    merged: list[ListedObject | Folder] = [*objects, *folders]
    return tuple(sorted(merged, key=lambda entry: entry_name(entry).encode("utf-8")))
