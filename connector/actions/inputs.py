"""Job inputs as pydantic models: one per action, for our task types and for Camunda's.

``UploadJob``/``DownloadJob``/``DeleteJob`` are what our task types bind; ``CamundaJob`` is
the discriminated union on ``actionDiscriminator`` that ``io.camunda:aws-s3:1`` binds.
Handlers receive these models and never look at the raw variables again. Durations are
parsed here (to milliseconds), template shapes are resolved here (``camunda.py``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StrictBool, model_validator

from connector.actions.camunda import DownloadFormat, download_format, repair_document
from connector.actions.connection import Input, S3Job, blank_to_none, checked
from connector.documents.references import UploadDocument
from connector.runtime.durations import DurationError, parse_duration_ms
from connector.s3.validation import bucket_name_problem, key_problem

__all__ = [
    "CamundaDelete",
    "CamundaDownload",
    "CamundaJob",
    "CamundaUpload",
    "DeleteAction",
    "DeleteJob",
    "DocumentReturnFormat",
    "DownloadAction",
    "DownloadJob",
    "UploadAction",
    "UploadJob",
]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


BucketName = Annotated[str, BeforeValidator(_strip), AfterValidator(checked(bucket_name_problem))]
ObjectKey = Annotated[str, AfterValidator(checked(key_problem))]
# The length limit sits on the str branch: on the union it would also be applied to None.
VersionId = Annotated[Annotated[str, Field(max_length=1024)] | None, BeforeValidator(blank_to_none)]
ShortText = Annotated[Annotated[str, Field(max_length=1024)] | None, BeforeValidator(blank_to_none)]
_MAX_PRESIGN_MS = 7 * 24 * 3600 * 1000  # SigV4's limit


def _duration_ms(minimum_ms: int, maximum_ms: int | None = None, bounds: str = "must be positive") -> Any:
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
PositiveDuration = Annotated[int | None, BeforeValidator(_duration_ms(1)), BeforeValidator(blank_to_none)]
PresignExpiry = Annotated[
    int | None,
    BeforeValidator(_duration_ms(1000, _MAX_PRESIGN_MS, "must be between PT1S and P7D")),
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


class UploadAction(Input):
    bucket: BucketName
    key: Annotated[ObjectKey | None, BeforeValidator(blank_to_none)] = None
    document: UploadDocument
    # "base64": the inline content (or plain string) is base64 and uploaded decoded.
    contentEncoding: Annotated[Literal["base64"] | None, BeforeValidator(blank_to_none)] = None
    contentType: ShortText = None
    metadata: Annotated[dict[str, str] | None, AfterValidator(_check_metadata)] = None
    tags: Annotated[dict[str, str] | None, AfterValidator(_check_tags)] = None
    storageClass: Annotated[StorageClass | None, BeforeValidator(blank_to_none)] = None
    serverSideEncryption: Annotated[
        Literal["AES256", "aws:kms", "aws:kms:dsse"] | None, BeforeValidator(blank_to_none)
    ] = None
    kmsKeyId: ShortText = None
    cacheControl: ShortText = None
    contentDisposition: ShortText = None
    createOnly: bool = False
    # SigV4 presigned URLs last at most 7 days.
    presignedLinkExpiry: PresignExpiry = None

    @model_validator(mode="before")
    @classmethod
    def _v3_to_v6_document(cls, data: Any) -> Any:
        return repair_document(data)

    @model_validator(mode="after")
    def _kms_key_needs_kms(self) -> UploadAction:
        if self.kmsKeyId and self.serverSideEncryption not in ("aws:kms", "aws:kms:dsse"):
            raise ValueError("kmsKeyId needs serverSideEncryption 'aws:kms' or 'aws:kms:dsse'")
        return self


class DownloadAction(Input):
    bucket: BucketName
    key: ObjectKey
    asFile: StrictBool = False
    versionId: VersionId = None
    # Download as a document: its time to live and custom properties.
    documentTimeToLive: PositiveDuration = None
    documentCustomProperties: dict[str, Any] | None = None
    # Also create a link to the new document, valid this long.
    documentLinkTimeToLive: PositiveDuration = None
    range: Annotated[
        Annotated[str, Field(pattern=r"^bytes=(\d+-\d*|-\d+)$")] | None, BeforeValidator(blank_to_none)
    ] = None


class DeleteAction(Input):
    bucket: BucketName
    key: ObjectKey
    versionId: VersionId = None


class DocumentReturnFormat(Input):
    """Camunda v5/v6 ``documentReturnFormat``; a blank choice means the legacy ``asFile`` flow."""

    # AUTO (ours): typed by the object's content type, as Camunda's legacy asFile=false.
    choice: Annotated[Literal["DOCUMENT", "TEXT", "JSON", "AUTO"] | None, BeforeValidator(blank_to_none)] = None
    encoding: Annotated[str | None, BeforeValidator(blank_to_none)] = None


class UploadJob(S3Job):
    action: UploadAction


class DownloadJob(S3Job):
    action: DownloadAction
    documentReturnFormat: DocumentReturnFormat | None = None

    @property
    def format(self) -> DownloadFormat:
        """How the object comes back: v5/v6's ``documentReturnFormat`` wins over v1/v2's ``asFile``."""
        chosen = self.documentReturnFormat
        return download_format(
            chosen.choice if chosen else None, chosen.encoding if chosen else None, self.action.asFile
        )


class DeleteJob(S3Job):
    action: DeleteAction


class CamundaUpload(UploadJob):
    actionDiscriminator: Literal["uploadObject"]


class CamundaDownload(DownloadJob):
    actionDiscriminator: Literal["downloadObject"]


class CamundaDelete(DeleteJob):
    actionDiscriminator: Literal["deleteObject"]


CamundaJob = Annotated[CamundaUpload | CamundaDownload | CamundaDelete, Field(discriminator="actionDiscriminator")]
