"""The inputs of ``s3-connector:head:1`` (is the object there, and what is it?) and
``s3-connector:presign:1`` (a time-limited URL to GET or PUT it)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, model_validator

from connector.actions.binding import field_error
from connector.actions.connection import Input, S3Job, blank_to_none
from connector.actions.inputs.addressing import Uri, from_uri
from connector.actions.inputs.common import BucketName, ObjectKey, PresignExpiry, ShortText, VersionId

__all__ = ["HeadAction", "HeadJob", "PresignAction", "PresignJob"]

_DEFAULT_EXPIRY = "PT15M"


def _default_when_blank(value: Any) -> Any:
    return _DEFAULT_EXPIRY if blank_to_none(value) is None else value


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


class _OneObject(Input):
    bucket: BucketName
    key: ObjectKey
    uri: Uri = None
    versionId: VersionId = None

    @model_validator(mode="before")
    @classmethod
    def _from_uri(cls, data: Any) -> Any:
        return from_uri(data, "uri")


class HeadAction(_OneObject):
    """``failIfMissing``: a missing object fails the job (``NoSuchKey``, retried) instead of
    answering ``exists: false``."""

    failIfMissing: bool = False


class PresignAction(_OneObject):
    """GET (default) or PUT. ``contentType``/``contentDisposition``: for GET what S3 serves
    (e.g. a download file name), for PUT headers the uploader must send."""

    method: Annotated[Literal["GET", "PUT"], BeforeValidator(_upper)] = "GET"
    expiresIn: Annotated[PresignExpiry, BeforeValidator(_default_when_blank)] = 15 * 60 * 1000
    contentType: ShortText = None
    contentDisposition: ShortText = None

    @model_validator(mode="after")
    def _version_for_get(self) -> PresignAction:
        if self.versionId and self.method == "PUT":
            raise field_error("versionId", "applies only to GET: a PUT always writes a new version")
        return self

    @property
    def expires_s(self) -> int:
        assert self.expiresIn is not None  # a blank value means the default too
        return self.expiresIn // 1000


class HeadJob(S3Job):
    action: HeadAction


class PresignJob(S3Job):
    action: PresignAction
