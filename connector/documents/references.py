"""Camunda document references as pydantic models, discriminated on ``camunda.document.type``.

A JSON value is a document reference iff it has the key ``camunda.document.type``; its value
picks one of three kinds (Camunda's ``DocumentReferenceModel``)::

    camunda   {"camunda.document.type": "camunda", "storeId", "documentId", "contentHash", "metadata": {...}}
    inline    {"camunda.document.type": "inline", "content", "name", "contentType"}
    external  {"camunda.document.type": "external", "url", "name"}

Unknown properties are ignored, as in Camunda. ``OneDocument`` also takes a one-element list
(Forms' file picker always yields a list). ``UploadDocument`` is what an upload may send: a
reference, or a plain string or JSON value (``PlainValue``) uploaded as text or JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    RootModel,
    StrictInt,
    StrictStr,
    Tag,
)

__all__ = [
    "DOCUMENT_TAGS",
    "TYPE_KEY",
    "CamundaDocument",
    "DocumentMetadata",
    "DocumentReference",
    "ExternalDocument",
    "InlineDocument",
    "OneDocument",
    "PlainValue",
    "UploadDocument",
]

TYPE_KEY = "camunda.document.type"
# The tags pydantic puts into error locations; messages leave them out of field paths.
DOCUMENT_TAGS = frozenset({"camunda", "inline", "external", "plain"})

_NonNegative = Annotated[StrictInt, Field(ge=0)]
_NonEmpty = Annotated[StrictStr, Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


def _none_to_empty(value: Any) -> Any:
    return {} if value is None else value


class DocumentMetadata(_Model):
    """The ``metadata`` of a Camunda document; every field may be absent."""

    content_type: StrictStr | None = Field(None, alias="contentType")
    file_name: StrictStr | None = Field(None, alias="fileName")
    size: _NonNegative | None = None
    expires_at: StrictStr | None = Field(None, alias="expiresAt")
    process_definition_id: StrictStr | None = Field(None, alias="processDefinitionId")
    # Long in the Java runtime, a string in the REST API since 8.8: both are kept as given.
    process_instance_key: StrictInt | StrictStr | None = Field(None, alias="processInstanceKey")
    custom_properties: Annotated[dict[str, Any], BeforeValidator(_none_to_empty)] = Field(
        default_factory=dict, alias="customProperties"
    )

    def to_json(self) -> dict[str, Any]:
        """The metadata JSON with nulls and an empty ``customProperties`` left out (NON_EMPTY)."""
        values = self.model_dump(by_alias=True, exclude_none=True)
        return {key: value for key, value in values.items() if value not in ("", {})}


class CamundaDocument(_Model):
    """A document in Camunda's document store, read through the REST API."""

    type: Literal["camunda"] = Field("camunda", alias=TYPE_KEY)
    store_id: StrictStr | None = Field(None, alias="storeId")
    document_id: _NonEmpty = Field(alias="documentId")
    content_hash: StrictStr | None = Field(None, alias="contentHash")
    metadata: Annotated[DocumentMetadata, BeforeValidator(_none_to_empty)] = Field(default_factory=DocumentMetadata)

    def to_json(self) -> dict[str, Any]:
        """The reference as Camunda serializes it into process variables."""
        result: dict[str, Any] = {TYPE_KEY: "camunda"}
        if self.store_id is not None:
            result["storeId"] = self.store_id
        result["documentId"] = self.document_id
        if self.content_hash is not None:
            result["contentHash"] = self.content_hash
        result["metadata"] = self.metadata.to_json()
        return result


def _inline_text(value: Any) -> Any:
    if value is None:
        raise ValueError("is required for an inline document")
    # As Camunda's InlineContentDeserializer: any other JSON value becomes compact JSON text.
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class InlineDocument(_Model):
    """A document whose content travels in the variable itself, as text."""

    type: Literal["inline"] = Field("inline", alias=TYPE_KEY)
    content: Annotated[str, BeforeValidator(_inline_text)]
    name: StrictStr | None = None
    content_type: StrictStr | None = Field(None, alias="contentType")


def _http_url(url: str) -> str:
    try:
        parts = urlsplit(url)
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # an unbalanced IPv6 bracket or a port out of range
        valid = False
    if not valid:
        raise ValueError("must be an absolute http or https URL")
    return url


class ExternalDocument(_Model):
    """A document behind an http(s) URL; fetched through the address guard."""

    type: Literal["external"] = Field("external", alias=TYPE_KEY)
    url: Annotated[_NonEmpty, AfterValidator(_http_url)]
    name: StrictStr | None = None


class PlainValue(RootModel[Any]):
    """Not a reference: a string (uploaded as text) or another JSON value (uploaded as JSON)."""

    model_config = ConfigDict(frozen=True)


def _kind(value: Any) -> str | None:
    if isinstance(value, (CamundaDocument, InlineDocument, ExternalDocument)):
        return value.type
    if isinstance(value, PlainValue):
        return "plain"
    if isinstance(value, Mapping) and TYPE_KEY in value:
        kind = value[TYPE_KEY]
        return kind if isinstance(kind, str) else repr(kind)
    return None if value is None else "plain"


def _reference_kind(value: Any) -> str | None:
    kind = _kind(value)
    return None if kind == "plain" else kind


def _single(value: Any) -> Any:
    if isinstance(value, list):
        if len(value) != 1:
            raise ValueError(f"a list must hold exactly one document, got {len(value)}")
        return value[0]
    return value


_References = (
    Annotated[CamundaDocument, Tag("camunda")]
    | Annotated[InlineDocument, Tag("inline")]
    | Annotated[ExternalDocument, Tag("external")]
)
DocumentReference = Annotated[_References, Discriminator(_reference_kind)]
OneDocument = Annotated[DocumentReference, BeforeValidator(_single)]
UploadDocument = Annotated[
    _References | Annotated[PlainValue, Tag("plain")], Discriminator(_kind), BeforeValidator(_single)
]
