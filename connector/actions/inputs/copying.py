"""The inputs of ``s3-connector:copy:1``: a copy, or with ``deleteSource`` a move.

The target's key is given (``target.key``), built per job (``target.keyTemplate``, where
``{file_name}`` is the source key's last segment), or, with ``targetUri`` ending in ``/``,
the source's file name in that folder. ``target.bucket`` defaults to the source's bucket.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, model_validator

from connector.actions.binding import field_error
from connector.actions.connection import Input, S3Job, blank_to_none
from connector.actions.inputs.addressing import KeyTemplateText, TimeZoneName, Uri, from_uri, uri_of
from connector.actions.inputs.common import (
    KMS_ENCRYPTIONS,
    BucketName,
    Encryption,
    ObjectKey,
    OptionalStorageClass,
    ShortText,
    UserMetadata,
    VersionId,
)

__all__ = ["CopyAction", "CopyJob", "CopySourceInput", "CopyTargetInput"]


class CopySourceInput(Input):
    bucket: BucketName
    key: ObjectKey
    versionId: VersionId = None


class CopyTargetInput(Input):
    bucket: Annotated[BucketName | None, BeforeValidator(blank_to_none)] = None
    key: Annotated[ObjectKey | None, BeforeValidator(blank_to_none)] = None
    keyTemplate: KeyTemplateText = None


def _source_bucket_by_default(data: Any) -> Any:
    if not isinstance(data, dict) or not isinstance(data.get("source"), dict):
        return data
    target = data.get("target")
    target = dict(target) if isinstance(target, dict) else {}
    if blank_to_none(target.get("bucket")) is None and not data.get("targetUri"):
        target["bucket"] = data["source"].get("bucket")
    return {**data, "target": target}


class CopyAction(Input):
    source: CopySourceInput
    sourceUri: Uri = None
    target: CopyTargetInput
    targetUri: Uri = None
    metadataDirective: Literal["COPY", "REPLACE"] = "COPY"
    metadata: UserMetadata = None
    contentType: ShortText = None
    storageClass: OptionalStorageClass = None
    serverSideEncryption: Encryption = None
    kmsKeyId: ShortText = None
    createOnly: bool = False
    deleteSource: bool = False
    timeZone: TimeZoneName = None

    @model_validator(mode="before")
    @classmethod
    def _from_uris(cls, data: Any) -> Any:
        data = from_uri(data, "sourceUri", into="source")
        data = from_uri(data, "targetUri", into="target", needs_key=False, folder_is_prefix=True)
        return _source_bucket_by_default(data)

    @model_validator(mode="after")
    def _consistent(self) -> CopyAction:
        target = self.target
        if target.bucket is None:
            raise field_error("target.bucket", "required")
        if target.key and target.keyTemplate:
            raise field_error("target.keyTemplate", "give either target.key (or a key in targetUri) or a key template")
        if target.keyTemplate and self.target_folder:
            raise field_error("targetUri", "with target.keyTemplate, name only the bucket: s3://bucket")
        if not (target.key or target.keyTemplate or self.targetUri):
            raise field_error("target.key", "required (or target.keyTemplate, or targetUri)")
        if self.timeZone and not target.keyTemplate:
            raise field_error("timeZone", "applies only to target.keyTemplate")
        if self.metadataDirective == "COPY" and (self.metadata or self.contentType):
            raise field_error("metadataDirective", "must be REPLACE to set metadata or contentType")
        if self.kmsKeyId and self.serverSideEncryption not in KMS_ENCRYPTIONS:
            raise field_error("kmsKeyId", "needs serverSideEncryption 'aws:kms' or 'aws:kms:dsse'")
        return self

    @property
    def target_folder(self) -> str:
        """The folder a ``targetUri`` like ``s3://bucket/folder/`` names ("" for none)."""
        return uri_of("targetUri", self.targetUri).key if self.targetUri and not self.target.key else ""


class CopyJob(S3Job):
    action: CopyAction
