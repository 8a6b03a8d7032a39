"""Job inputs as pydantic models: one per action, shared by our task types and Camunda's.

Unknown fields are ignored (Camunda's templates send helper inputs such as
``action.action_document_*``). Credentials are ``SecretStr`` so that no repr, log line or
validation message can show them.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, SecretStr, model_validator

from connector.s3.validation import bucket_name_problem, endpoint_problem, key_problem

__all__ = [
    "Authentication",
    "AwsCredential",
    "Configuration",
    "DeleteAction",
    "DocumentReturnFormat",
    "DownloadAction",
    "UploadAction",
]


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _check(problem_of: Any) -> Any:
    def validate(value: str | None) -> str | None:
        if value is None:
            return None
        problem = problem_of(value)
        if problem:
            raise ValueError(problem)
        return value

    return validate


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


BucketName = Annotated[str, BeforeValidator(_strip), AfterValidator(_check(bucket_name_problem))]
ObjectKey = Annotated[str, AfterValidator(_check(key_problem))]
# The region format is checked only for AWS itself (see camunda.resolve_target): S3-compatible
# stores use names such as "auto" (Cloudflare R2) that AWS would reject.
Region = Annotated[str | None, BeforeValidator(_strip), BeforeValidator(_blank_to_none)]
Endpoint = Annotated[str | None, BeforeValidator(_blank_to_none), AfterValidator(_check(endpoint_problem))]
OptionalSecret = Annotated[SecretStr | None, BeforeValidator(_blank_to_none)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/[A-Za-z0-9_+=,.@/-]{1,512}")
_SESSION_NAME = re.compile(r"[A-Za-z0-9_+=,.@-]{2,64}")


def _matching(pattern: re.Pattern[str], what: str) -> Any:
    def validate(value: str | None) -> str | None:
        if value is not None and not pattern.fullmatch(value):
            raise ValueError(f"must be {what}")
        return value

    return validate


class Authentication(_Input):
    """``authentication.*``; a missing ``type`` means static credentials, as in Camunda.

    ``assumeRole`` assumes ``roleArn`` on top of the static keys when given, else on top of
    the worker's default chain (which the operator must allow). ``anonymous`` sends unsigned
    requests, for public buckets.
    """

    type: Literal["credentials", "defaultCredentialsChain", "assumeRole", "anonymous"] = "credentials"
    accessKey: OptionalSecret = None
    secretKey: OptionalSecret = None
    sessionToken: OptionalSecret = None
    roleArn: Annotated[
        str | None, BeforeValidator(_blank_to_none), AfterValidator(_matching(_ROLE_ARN, "an IAM role ARN"))
    ] = None
    externalId: OptionalSecret = None
    roleSessionName: Annotated[
        str | None,
        BeforeValidator(_blank_to_none),
        AfterValidator(_matching(_SESSION_NAME, "2-64 characters of letters, digits and _+=,.@-")),
    ] = None
    durationSeconds: Annotated[int, Field(ge=900, le=43_200)] = 3600

    @model_validator(mode="after")
    def _fields_for_type(self) -> Authentication:
        keys = [name for name in ("accessKey", "secretKey") if getattr(self, name) is not None]
        if self.type == "credentials" and len(keys) < 2:
            missing = [name for name in ("accessKey", "secretKey") if name not in keys]
            raise ValueError(f"{' and '.join(missing)} required when type is 'credentials'")
        if self.type == "assumeRole":
            if self.roleArn is None:
                raise ValueError("roleArn required when type is 'assumeRole'")
            if len(keys) == 1:
                raise ValueError("accessKey and secretKey go together (or leave both empty for the default chain)")
        return self

    @property
    def has_keys(self) -> bool:
        return self.accessKey is not None and self.secretKey is not None


class Configuration(_Input):
    region: Region = None
    endpoint: Endpoint = None
    # None: path-style for custom endpoints (MinIO, Ceph), virtual-hosted for AWS.
    forcePathStyle: bool | None = None
    fips: bool = False
    dualStack: bool = False


class AwsCredential(_Input):
    """Camunda v6's reusable credential: ``{authentication, region}``; it takes precedence."""

    authentication: Authentication
    region: Region = None


# The length limit sits on the str branch: on the union it would also be applied to None.
VersionId = Annotated[Annotated[str, Field(max_length=1024)] | None, BeforeValidator(_blank_to_none)]
ShortText = Annotated[Annotated[str, Field(max_length=1024)] | None, BeforeValidator(_blank_to_none)]
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


class UploadAction(_Input):
    bucket: BucketName
    key: Annotated[ObjectKey | None, BeforeValidator(_blank_to_none)] = None
    document: Any = None
    # "base64": the inline content (or plain string) is base64 and uploaded decoded.
    contentEncoding: Annotated[Literal["base64"] | None, BeforeValidator(_blank_to_none)] = None
    contentType: ShortText = None
    metadata: Annotated[dict[str, str] | None, AfterValidator(_check_metadata)] = None
    tags: Annotated[dict[str, str] | None, AfterValidator(_check_tags)] = None
    storageClass: Annotated[StorageClass | None, BeforeValidator(_blank_to_none)] = None
    serverSideEncryption: Annotated[
        Literal["AES256", "aws:kms", "aws:kms:dsse"] | None, BeforeValidator(_blank_to_none)
    ] = None
    kmsKeyId: ShortText = None
    cacheControl: ShortText = None
    contentDisposition: ShortText = None
    createOnly: bool = False
    # ISO-8601 duration (e.g. PT1H); SigV4 presigned URLs last at most 7 days.
    presignedLinkExpiry: ShortText = None

    @model_validator(mode="after")
    def _kms_key_needs_kms(self) -> UploadAction:
        if self.kmsKeyId and self.serverSideEncryption not in ("aws:kms", "aws:kms:dsse"):
            raise ValueError("kmsKeyId needs serverSideEncryption 'aws:kms' or 'aws:kms:dsse'")
        return self


class DownloadAction(_Input):
    bucket: BucketName
    key: ObjectKey
    asFile: bool = False
    versionId: VersionId = None
    # Download as a document: its time to live (ISO-8601) and custom properties.
    documentTimeToLive: ShortText = None
    documentCustomProperties: dict[str, Any] | None = None
    # Also create a link to the new document, valid this long (ISO-8601).
    documentLinkTimeToLive: ShortText = None
    range: Annotated[
        Annotated[str, Field(pattern=r"^bytes=(\d+-\d*|-\d+)$")] | None, BeforeValidator(_blank_to_none)
    ] = None


class DeleteAction(_Input):
    bucket: BucketName
    key: ObjectKey
    versionId: VersionId = None


class DocumentReturnFormat(_Input):
    """Camunda v5/v6 ``documentReturnFormat``; a blank choice means the legacy ``asFile`` flow."""

    # AUTO (ours): typed by the object's content type, as Camunda's legacy asFile=false.
    choice: Annotated[Literal["DOCUMENT", "TEXT", "JSON", "AUTO"] | None, BeforeValidator(_blank_to_none)] = None
    encoding: Annotated[str | None, BeforeValidator(_blank_to_none)] = None
