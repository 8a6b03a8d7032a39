"""How uploads are made: when to go multipart, part size and parts in flight, the checksum
S3 verifies, and the per-object options that reach boto3 (an allow-list by design)."""

from __future__ import annotations

import math
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from connector.s3.attempts import JOB_KEY_METADATA
from connector.s3.checksums import ChecksumAlgorithm

__all__ = [
    "DEFAULT_CONCURRENCY",
    "LAST_PART_NUMBER",
    "MAX_PARTS",
    "MIN_PART_SIZE_BYTES",
    "NO_HOOKS",
    "MultipartConfig",
    "ReadInto",
    "Reader",
    "UploadHooks",
    "UploadOptions",
    "read_full",
    "read_into_part",
]

DEFAULT_CONCURRENCY = 10
_MIB = 1024 * 1024
_PART_ALIGNMENT = 64 * 1024
MIN_PART_SIZE_BYTES = 5 * _MIB  # S3's minimum for every part but the last
# Part numbers go up to 10,000; with a job's attempt marker as part 1 (connector.s3.attempts),
# 9,999 remain for the data.
LAST_PART_NUMBER = 10_000
MAX_PARTS = LAST_PART_NUMBER - 1
Reader = Callable[[int], bytes]
# ``readinto(view)``: fill as much of ``view`` as the stream has, return the count (0 at the end).
ReadInto = Callable[[memoryview], int]


@dataclass(frozen=True, kw_only=True)
class MultipartConfig:
    """When to switch to multipart, how large each part is (both in bytes), how many parts are
    in flight at once, and the checksum S3 verifies on every request."""

    threshold_bytes: int = 8 * 1024 * 1024
    part_size_bytes: int = 8 * 1024 * 1024
    concurrency: int = DEFAULT_CONCURRENCY
    checksum: ChecksumAlgorithm = "SHA256"

    def __post_init__(self) -> None:
        if self.part_size_bytes < MIN_PART_SIZE_BYTES:
            raise ValueError(f"part_size_bytes must be at least {MIN_PART_SIZE_BYTES}")
        if self.threshold_bytes < 1:
            raise ValueError("threshold_bytes must be positive")
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")

    def part_size_for(self, size_hint: int | None, *, fill_slots: bool = False) -> int:
        """A part size that keeps a known size within S3's 10,000 parts.

        Args:
            fill_slots: the parts go up ``concurrency`` at once. An object that would fill
                fewer parts than that is cut into ``concurrency`` parts instead (in whole
                64 KiB, at least S3's 5 MiB), so that every connection works: one connection's throughput
                is the limit, and a 64 MiB object in eight 8 MiB parts leaves two of ten idle.
        """
        if size_hint is None:
            return self.part_size_bytes
        size = max(self.part_size_bytes, math.ceil(size_hint / MAX_PARTS))
        if fill_slots and size_hint < self.concurrency * self.part_size_bytes:
            spread = math.ceil(size_hint / self.concurrency / _PART_ALIGNMENT) * _PART_ALIGNMENT
            size = min(size, max(MIN_PART_SIZE_BYTES, spread))
        return size


@dataclass(frozen=True, kw_only=True)
class UploadOptions:
    """Validated per-object options; only these ever reach boto3 (an allow-list by design)."""

    content_type: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    storage_class: str | None = None
    server_side_encryption: Literal["AES256", "aws:kms", "aws:kms:dsse"] | None = None
    kms_key_id: str | None = None
    cache_control: str | None = None
    content_disposition: str | None = None
    create_only: bool = False
    # The Zeebe job's key, recorded in the object's metadata (None: not a job's upload).
    job_key: str | None = None

    def object_args(self) -> dict[str, Any]:
        """Arguments shared by PutObject and CreateMultipartUpload."""
        args: dict[str, Any] = {}
        optional = {
            "ContentType": self.content_type,
            "StorageClass": self.storage_class,
            "ServerSideEncryption": self.server_side_encryption,
            "SSEKMSKeyId": self.kms_key_id,
            "CacheControl": self.cache_control,
            "ContentDisposition": self.content_disposition,
        }
        args.update({name: value for name, value in optional.items() if value})
        metadata = dict(self.metadata)
        if self.job_key is not None:
            metadata[JOB_KEY_METADATA] = self.job_key
        if metadata:
            args["Metadata"] = metadata
        if self.tags:
            args["Tagging"] = urllib.parse.urlencode(dict(self.tags))
        return args

    def commit_args(self) -> dict[str, Any]:
        """Arguments of the request that makes the object visible (PutObject/Complete)."""
        # If-None-Match: * makes the write conditional: a retried job cannot overwrite.
        return {"IfNoneMatch": "*"} if self.create_only else {}


def read_full(read: Reader, size: int) -> bytes:
    """Read up to ``size`` bytes, looping over short reads, stopping only at end of stream."""
    chunks: list[bytes] = []
    remaining = size
    while remaining > 0:
        chunk = read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_into_part(readinto: ReadInto, size: int, prefix: bytes = b"") -> bytearray:
    """``prefix`` and then up to ``size - len(prefix)`` bytes read straight into a new buffer,
    the part's only copy.

    Joining the chunks of a part, as ``read_full`` does, holds the part twice at the moment of
    the join; with every other slot full, that moment is the upload's peak.
    """
    part = bytearray(size)
    part[: len(prefix)] = prefix
    filled = len(prefix)
    with memoryview(part) as view:
        while filled < size:
            with view[filled:] as rest:
                count = readinto(rest)
            if not count:
                break
            filled += count
    if filled < size:
        del part[filled:]
    return part


@dataclass(frozen=True, kw_only=True)
class UploadHooks:
    """Optional callbacks of an upload.

    Attributes:
        on_bytes: called with the size of each request body sent (for metrics).
        content_type_from_head: when the options have no content type, called with the first
            bytes (before any request) to choose one.
        before_commit: called after the last byte was read and before the object becomes
            visible; raising there (e.g. a content hash mismatch) leaves nothing behind.
    """

    on_bytes: Callable[[int], None] | None = None
    content_type_from_head: Callable[[bytes], str] | None = None
    before_commit: Callable[[], None] | None = None


NO_HOOKS = UploadHooks()
