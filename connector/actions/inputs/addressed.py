"""Upload, download and delete as our own task types take them: Camunda's inputs, plus
``action.uri`` everywhere, ``action.keyTemplate``/``action.timeZone`` for uploads, and
``action.keys`` for deleting many objects at once.

The Camunda-compatible models in ``objects`` stay exactly what Camunda's templates produce;
these are separate classes, bound only by ``s3-connector:*`` task types.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, model_validator

from connector.actions.binding import field_error
from connector.actions.connection import Input, S3Job, blank_to_none
from connector.actions.inputs.addressing import KeyTemplateText, TimeZoneName, Uri, from_uri, uri_of
from connector.actions.inputs.common import BucketName, ObjectKey, VersionId
from connector.actions.inputs.objects import DownloadAction, DownloadJob, UploadAction, UploadJob
from connector.s3.batch_delete import MAX_BATCH_KEYS

__all__ = [
    "KeyVersion",
    "OwnDeleteAction",
    "OwnDeleteJob",
    "OwnDownloadAction",
    "OwnDownloadJob",
    "OwnUploadAction",
    "OwnUploadJob",
]


class OwnUploadAction(UploadAction):
    """``uri``: ``s3://bucket/key``, or ``s3://bucket/folder/`` for the document's file name in
    that folder. ``keyTemplate``: a key built per job (``connector.s3.key_templates``)."""

    uri: Uri = None
    keyTemplate: KeyTemplateText = None
    timeZone: TimeZoneName = None

    @model_validator(mode="before")
    @classmethod
    def _from_uri(cls, data: Any) -> Any:
        return from_uri(data, "uri", needs_key=False, folder_is_prefix=True)

    @model_validator(mode="after")
    def _one_way_to_the_key(self) -> OwnUploadAction:
        if self.keyTemplate and self.key:
            raise field_error("keyTemplate", "give either action.key (or a key in action.uri) or a key template")
        if self.keyTemplate and self.folder:
            raise field_error("uri", "with action.keyTemplate, name only the bucket: s3://bucket")
        if self.timeZone and not self.keyTemplate:
            raise field_error("timeZone", "applies only to action.keyTemplate")
        return self

    @property
    def folder(self) -> str:
        """The folder a ``uri`` like ``s3://bucket/folder/`` names ("" for none)."""
        return uri_of("uri", self.uri).key if self.uri and not self.key else ""


class OwnDownloadAction(DownloadAction):
    uri: Uri = None

    @model_validator(mode="before")
    @classmethod
    def _from_uri(cls, data: Any) -> Any:
        return from_uri(data, "uri")


def _entry(value: Any) -> Any:
    return {"key": value} if isinstance(value, str) else value


class KeyVersion(Input):
    """One entry of ``action.keys``: a key, or ``{key, versionId}`` for one version of it."""

    key: ObjectKey
    versionId: VersionId = None


def _batch_size(keys: list[KeyVersion] | None) -> list[KeyVersion] | None:
    if keys is not None and not 1 <= len(keys) <= MAX_BATCH_KEYS:
        raise ValueError(f"must hold 1 to {MAX_BATCH_KEYS} keys (one DeleteObjects request), got {len(keys)}")
    return keys


class OwnDeleteAction(Input):
    """One object (``key``/``uri``, optionally ``versionId``) or many (``keys``)."""

    bucket: BucketName
    key: Annotated[ObjectKey | None, BeforeValidator(blank_to_none)] = None
    versionId: VersionId = None
    uri: Uri = None
    keys: Annotated[list[Annotated[KeyVersion, BeforeValidator(_entry)]] | None, AfterValidator(_batch_size)] = None

    @model_validator(mode="before")
    @classmethod
    def _from_uri(cls, data: Any) -> Any:
        many = isinstance(data, dict) and data.get("keys") is not None
        return from_uri(data, "uri", needs_key=not many)

    @model_validator(mode="after")
    def _one_or_many(self) -> OwnDeleteAction:
        if self.keys is not None and self.key is not None:
            raise field_error("keys", "give either action.key (or a key in action.uri) or action.keys")
        if self.keys is None and self.key is None:
            raise field_error("key", "required (or action.keys to delete many)")
        if self.keys is not None and self.versionId is not None:
            raise field_error("versionId", "with action.keys, give each entry its own: {key, versionId}")
        return self


class OwnUploadJob(UploadJob):
    action: OwnUploadAction


class OwnDownloadJob(DownloadJob):
    action: OwnDownloadAction


class OwnDeleteJob(S3Job):
    action: OwnDeleteAction
