"""Settings of S3: the operator's policy (endpoints, buckets, credentials), client options,
transfer sizes and limits. botocore's own ``AWS_*`` variables apply besides these."""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, BaseModel, Field

__all__ = ["S3Settings"]


def _items(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())


class S3Settings(BaseModel):
    """S3 policy, client options, transfer sizes and limits."""

    default_endpoint: str | None = Field(
        None,
        validation_alias=AliasChoices(
            "S3_CONNECTOR_DEFAULT_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "default_endpoint"
        ),
    )
    aws_region: str | None = Field(
        None, validation_alias=AliasChoices("AWS_REGION", "AWS_DEFAULT_REGION", "aws_region")
    )
    allowed_endpoints: str = ""
    allowed_buckets: str = ""
    allow_default_credentials: bool = False
    inline_content_max_bytes: int = Field(1_572_864, ge=1)
    s3_connect_timeout_s: float = Field(10.0, gt=0)
    s3_read_timeout_s: float = Field(60.0, gt=0)
    s3_max_attempts: int = Field(3, ge=1, le=20)
    s3_retry_mode: Literal["standard", "adaptive", "legacy"] = "standard"
    s3_checksum_mode: Literal["auto", "when_required", "when_supported"] = "auto"
    sts_endpoint: str | None = Field(
        None, validation_alias=AliasChoices("S3_CONNECTOR_STS_ENDPOINT", "AWS_ENDPOINT_URL_STS", "sts_endpoint")
    )
    multipart_threshold_bytes: int = Field(8 * 1024 * 1024, ge=1)
    multipart_part_size_bytes: int = Field(8 * 1024 * 1024, ge=5 * 1024 * 1024, le=5 * 1024**3)
    # Parts in flight per transfer (uploads and ranged downloads): memory ≈ this x part size.
    transfer_concurrency: int = Field(10, ge=1, le=64)
    transfer_checksum: Literal["SHA256", "CRC32", "NONE"] = "SHA256"
    # CopyObject's own limit is 5 GiB: a larger threshold would send copies S3 refuses.
    copy_multipart_threshold_bytes: int = Field(5 * 1024**3, ge=1, le=5 * 1024**3)
    client_cache_size: int = Field(64, ge=1)

    @property
    def allowed_endpoint_list(self) -> tuple[str, ...]:
        return _items(self.allowed_endpoints)

    @property
    def allowed_bucket_list(self) -> tuple[str, ...]:
        return _items(self.allowed_buckets)
