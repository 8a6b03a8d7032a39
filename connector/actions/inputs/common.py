"""Input types every action shares: bucket names and keys, version ids, short texts,
ISO-8601 durations held as milliseconds, storage classes, metadata and tags."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from connector.actions.connection import blank_to_none, checked
from connector.feel.durations import DurationError, parse_duration_ms
from connector.s3.validation import bucket_name_problem, key_problem

__all__ = [
    "KMS_ENCRYPTIONS",
    "BucketName",
    "Encryption",
    "ObjectKey",
    "OptionalStorageClass",
    "PositiveDuration",
    "PresignExpiry",
    "ShortText",
    "StorageClass",
    "Tags",
    "UserMetadata",
    "VersionId",
    "duration_ms",
]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


BucketName = Annotated[str, BeforeValidator(_strip), AfterValidator(checked(bucket_name_problem))]
ObjectKey = Annotated[str, AfterValidator(checked(key_problem))]
# The length limit sits on the str branch: on the union it would also be applied to None.
VersionId = Annotated[Annotated[str, Field(max_length=1024)] | None, BeforeValidator(blank_to_none)]
ShortText = Annotated[Annotated[str, Field(max_length=1024)] | None, BeforeValidator(blank_to_none)]
_MAX_PRESIGN_MS = 7 * 24 * 3600 * 1000  # SigV4's limit


def duration_ms(minimum_ms: int, maximum_ms: int | None = None, bounds: str = "must be positive") -> Any:
    """A before-validator: an ISO-8601 duration as milliseconds within bounds, or ValueError(``bounds``)."""

    def parse(value: Any) -> int | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError("must be an ISO-8601 duration such as PT1H")
        try:
            millis = parse_duration_ms(value)
        except DurationError as exc:
            raise ValueError(str(exc)) from None
        if millis < minimum_ms or (maximum_ms is not None and millis > maximum_ms):
            raise ValueError(bounds)
        return millis

    return parse


# An ISO-8601 duration, held as milliseconds.
PositiveDuration = Annotated[int | None, BeforeValidator(duration_ms(1)), BeforeValidator(blank_to_none)]
PresignExpiry = Annotated[
    int | None,
    BeforeValidator(duration_ms(1000, _MAX_PRESIGN_MS, "must be between PT1S and P7D")),
    BeforeValidator(blank_to_none),
]
StorageClass = Literal[
    "STANDARD",
    "REDUCED_REDUNDANCY",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER",
    "DEEP_ARCHIVE",
    "GLACIER_IR",
    "EXPRESS_ONEZONE",
]
OptionalStorageClass = Annotated[StorageClass | None, BeforeValidator(blank_to_none)]
Encryption = Annotated[Literal["AES256", "aws:kms", "aws:kms:dsse"] | None, BeforeValidator(blank_to_none)]
KMS_ENCRYPTIONS = ("aws:kms", "aws:kms:dsse")  # the encryptions a kmsKeyId goes with
# S3's limits: 2 KB of user metadata, 10 tags of 128/256 characters.
_METADATA_MAX_BYTES = 2048


def _check_metadata(value: dict[str, str] | None) -> dict[str, str] | None:
    if not value:
        return None
    for name in value:
        if not name or not name.isascii() or any(c in name for c in " \t\r\n:"):
            raise ValueError(f"metadata name {name[:60]!r} must be ASCII without spaces or colons")
    size = sum(len(k.encode()) + len(v.encode()) for k, v in value.items())
    if size > _METADATA_MAX_BYTES:
        raise ValueError(f"user metadata is {size} bytes; S3 allows {_METADATA_MAX_BYTES}")
    return value


def _check_tags(value: dict[str, str] | None) -> dict[str, str] | None:
    if not value:
        return None
    if len(value) > 10:
        raise ValueError(f"S3 allows 10 tags per object, got {len(value)}")
    for name, tag in value.items():
        if not 1 <= len(name) <= 128 or len(tag) > 256:
            raise ValueError("tag names have 1-128 characters and values at most 256")
    return value


UserMetadata = Annotated[dict[str, str] | None, AfterValidator(_check_metadata)]
Tags = Annotated[dict[str, str] | None, AfterValidator(_check_tags)]
