"""The inputs of upload, download and delete, for our task types and for Camunda's.

``UploadJob``/``DownloadJob``/``DeleteJob`` are what our task types bind; ``CamundaJob`` is
the discriminated union on ``actionDiscriminator`` that ``io.camunda:aws-s3:1`` binds.
Handlers receive these models and never look at the raw variables again. Durations are
parsed here (to milliseconds), template shapes are resolved here (``camunda.py``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StrictBool, model_validator

from connector.actions.camunda import DownloadFormat, download_format, repair_document
from connector.actions.connection import Input, S3Job, blank_to_none
from connector.actions.inputs.common import (
    KMS_ENCRYPTIONS,
    BucketName,
    Encryption,
    ObjectKey,
    OptionalStorageClass,
    PositiveDuration,
    PresignExpiry,
    ShortText,
    Tags,
    UserMetadata,
    VersionId,
)
from connector.documents.references import UploadDocument


class UploadAction(Input):
    """``action.*`` of an upload: target, document and per-object options."""

    bucket: BucketName
    key: Annotated[ObjectKey | None, BeforeValidator(blank_to_none)] = None
    document: UploadDocument
    # "base64": the inline content (or plain string) is base64 and uploaded decoded.
    contentEncoding: Annotated[Literal["base64"] | None, BeforeValidator(blank_to_none)] = None
    contentType: ShortText = None
    metadata: UserMetadata = None
    tags: Tags = None
    storageClass: OptionalStorageClass = None
    serverSideEncryption: Encryption = None
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
        if self.kmsKeyId and self.serverSideEncryption not in KMS_ENCRYPTIONS:
            raise ValueError("kmsKeyId needs serverSideEncryption 'aws:kms' or 'aws:kms:dsse'")
        return self


class DownloadAction(Input):
    """``action.*`` of a download: source, version, range, and document-mode options."""

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
    """``action.*`` of a delete: the object and optionally one version of it."""

    bucket: BucketName
    key: ObjectKey
    versionId: VersionId = None


class DocumentReturnFormat(Input):
    """Camunda v5/v6 ``documentReturnFormat``; a blank choice means the legacy ``asFile`` flow."""

    # AUTO (ours): typed by the object's content type, as Camunda's legacy asFile=false.
    choice: Annotated[Literal["DOCUMENT", "TEXT", "JSON", "AUTO"] | None, BeforeValidator(blank_to_none)] = None
    encoding: Annotated[str | None, BeforeValidator(blank_to_none)] = None


class UploadJob(S3Job):
    """The variables of an upload job (our task type)."""

    action: UploadAction


class DownloadJob(S3Job):
    """The variables of a download job (our task type)."""

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
    """The variables of a delete job (our task type)."""

    action: DeleteAction


class CamundaUpload(UploadJob):
    """``io.camunda:aws-s3:1`` with ``actionDiscriminator = uploadObject``."""

    actionDiscriminator: Literal["uploadObject"]


class CamundaDownload(DownloadJob):
    """``io.camunda:aws-s3:1`` with ``actionDiscriminator = downloadObject``."""

    actionDiscriminator: Literal["downloadObject"]


class CamundaDelete(DeleteJob):
    """``io.camunda:aws-s3:1`` with ``actionDiscriminator = deleteObject``."""

    actionDiscriminator: Literal["deleteObject"]


CamundaJob = Annotated[CamundaUpload | CamundaDownload | CamundaDelete, Field(discriminator="actionDiscriminator")]
