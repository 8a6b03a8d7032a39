"""The inputs of ``s3-connector:list:1``: one page of a bucket's keys under a prefix."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from connector.actions.connection import Input, S3Job, blank_to_none, checked
from connector.actions.inputs.addressing import Uri, from_uri, raising
from connector.actions.inputs.common import BucketName
from connector.s3.listing import resume_after

__all__ = ["ListAction", "ListJob"]

_MAX_KEY_BYTES = 1024


def _key_part_problem(text: str) -> str | None:
    if len(text.encode("utf-8", "surrogatepass")) > _MAX_KEY_BYTES:
        return f"must be at most {_MAX_KEY_BYTES} bytes in UTF-8, as keys are"
    return None


def _none_to_empty(value: Any) -> Any:
    return "" if value is None else value


# A prefix is taken as given: " " and "a/" are prefixes too, so nothing is stripped.
KeyPart = Annotated[str, AfterValidator(checked(_key_part_problem))]


class ListAction(Input):
    """``uri``: ``s3://bucket/prefix``. ``delimiter`` (e.g. ``/``) rolls keys up into folders."""

    bucket: BucketName
    prefix: Annotated[KeyPart, BeforeValidator(_none_to_empty)] = ""
    uri: Uri = None
    delimiter: Annotated[Annotated[str, Field(max_length=64)] | None, BeforeValidator(blank_to_none)] = None
    startAfter: Annotated[KeyPart | None, BeforeValidator(blank_to_none)] = None
    maxKeys: Annotated[int, Field(ge=1, le=1000)] = 1000
    continuationToken: Annotated[
        Annotated[str, Field(max_length=4096), AfterValidator(checked(raising(resume_after)))] | None,
        BeforeValidator(blank_to_none),
    ] = None

    @model_validator(mode="before")
    @classmethod
    def _from_uri(cls, data: Any) -> Any:
        return from_uri(data, "uri", key_field="prefix", needs_key=False)


class ListJob(S3Job):
    action: ListAction
