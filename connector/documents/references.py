"""Camunda document references, parsed from job variables — pure, no I/O.

A JSON value is a document reference iff it has the key ``camunda.document.type``; its value
picks one of three kinds (Camunda's ``DocumentReferenceModel``)::

    camunda   {"camunda.document.type": "camunda", "storeId", "documentId", "contentHash", "metadata": {...}}
    inline    {"camunda.document.type": "inline", "content", "name", "contentType"}
    external  {"camunda.document.type": "external", "url", "name"}

Unknown properties are ignored, as in Camunda. A one-element list is accepted for a single
document (Forms' file picker always yields a list).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn
from urllib.parse import urlsplit

from connector.errors import InputError

__all__ = [
    "TYPE_KEY",
    "CamundaDocumentRef",
    "DocumentMetadata",
    "DocumentRef",
    "ExternalDocumentRef",
    "InlineDocumentRef",
    "is_document_ref",
    "parse_document_ref",
]

TYPE_KEY = "camunda.document.type"


@dataclass(frozen=True)
class DocumentMetadata:
    """The ``metadata`` of a Camunda document; every field may be absent."""

    content_type: str | None = None
    file_name: str | None = None
    size: int | None = None
    expires_at: str | None = None
    process_definition_id: str | None = None
    # Long in the Java runtime, a string in the REST API since 8.8: both are kept as given.
    process_instance_key: int | str | None = None
    custom_properties: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def to_json(self) -> dict[str, Any]:
        """The metadata JSON with nulls and an empty ``customProperties`` left out (NON_EMPTY)."""
        values = {
            "contentType": self.content_type,
            "fileName": self.file_name,
            "size": self.size,
            "expiresAt": self.expires_at,
            "processDefinitionId": self.process_definition_id,
            "processInstanceKey": self.process_instance_key,
            "customProperties": dict(self.custom_properties) or None,
        }
        return {key: value for key, value in values.items() if value is not None and value != ""}


@dataclass(frozen=True)
class CamundaDocumentRef:
    """A document in Camunda's document store, read through the REST API."""

    document_id: str
    store_id: str | None = None
    content_hash: str | None = None
    metadata: DocumentMetadata = field(default_factory=DocumentMetadata)

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


@dataclass(frozen=True)
class InlineDocumentRef:
    """A document whose content travels in the variable itself, as text."""

    content: str
    name: str | None = None
    content_type: str | None = None


@dataclass(frozen=True)
class ExternalDocumentRef:
    """A document behind an http(s) URL; fetched through the address guard."""

    url: str
    name: str | None = None


DocumentRef = CamundaDocumentRef | InlineDocumentRef | ExternalDocumentRef


def is_document_ref(value: Any) -> bool:
    """Whether ``value`` is a document reference (an object with ``camunda.document.type``)."""
    return isinstance(value, Mapping) and TYPE_KEY in value


def parse_document_ref(value: Any, field: str) -> DocumentRef:
    """Parse a document reference found at ``field`` of the job variables.

    Raises:
        InputError: code ``INVALID_DOCUMENT`` for a list of other than one element, a value
            that is not a reference, an unknown type, or a missing or mistyped sub-field;
            the message names ``field`` and the sub-field.
    """
    if isinstance(value, list):
        if len(value) != 1:
            _invalid(field, f"a list must hold exactly one document, got {len(value)}")
        value, field = value[0], f"{field}[0]"
    if not is_document_ref(value):
        _invalid(field, f"must be a document reference (an object with '{TYPE_KEY}')")
    kind = value[TYPE_KEY]
    if kind == "camunda":
        return _camunda(value, field)
    if kind == "inline":
        return _inline(value, field)
    if kind == "external":
        return _external(value, field)
    _invalid(f"{field}.{TYPE_KEY}", f"must be camunda, inline or external, got {kind!r}")


def _invalid(path: str, problem: str) -> NoReturn:
    raise InputError(f"Invalid input:\n- {path}: {problem}", code="INVALID_DOCUMENT")


def _string(value: Mapping[str, Any], key: str, path: str) -> str | None:
    item = value.get(key)
    if item is not None and not isinstance(item, str):
        _invalid(f"{path}.{key}", "must be a string")
    return item


def _required_string(value: Mapping[str, Any], key: str, path: str) -> str:
    item = value.get(key)
    if item is None:
        _invalid(f"{path}.{key}", "is required")
    if not isinstance(item, str) or not item:
        _invalid(f"{path}.{key}", "must be a non-empty string")
    return item


def _camunda(value: Mapping[str, Any], path: str) -> CamundaDocumentRef:
    document_id = _required_string(value, "documentId", path)
    raw_metadata = value.get("metadata")
    if raw_metadata is not None and not isinstance(raw_metadata, Mapping):
        _invalid(f"{path}.metadata", "must be an object")
    return CamundaDocumentRef(
        document_id=document_id,
        store_id=_string(value, "storeId", path),
        content_hash=_string(value, "contentHash", path),
        metadata=_metadata(raw_metadata or {}, f"{path}.metadata"),
    )


def _metadata(value: Mapping[str, Any], path: str) -> DocumentMetadata:
    size = value.get("size")
    # bool is an int in Python but never a size in JSON.
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        _invalid(f"{path}.size", "must be a non-negative integer")
    key = value.get("processInstanceKey")
    if key is not None and (isinstance(key, bool) or not isinstance(key, (int, str))):
        _invalid(f"{path}.processInstanceKey", "must be an integer or a string")
    custom = value.get("customProperties")
    if custom is not None and not isinstance(custom, Mapping):
        _invalid(f"{path}.customProperties", "must be an object")
    return DocumentMetadata(
        content_type=_string(value, "contentType", path),
        file_name=_string(value, "fileName", path),
        size=size,
        expires_at=_string(value, "expiresAt", path),
        process_definition_id=_string(value, "processDefinitionId", path),
        process_instance_key=key,
        custom_properties=dict(custom or {}),
    )


def _inline(value: Mapping[str, Any], path: str) -> InlineDocumentRef:
    content = value.get("content")
    if content is None:
        _invalid(f"{path}.content", "is required for an inline document")
    if not isinstance(content, str):
        # As Camunda's InlineContentDeserializer: any other JSON value becomes compact JSON text.
        content = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return InlineDocumentRef(
        content=content,
        name=_string(value, "name", path),
        content_type=_string(value, "contentType", path),
    )


def _external(value: Mapping[str, Any], path: str) -> ExternalDocumentRef:
    url = _required_string(value, "url", path)
    try:
        parts = urlsplit(url)
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # an unbalanced IPv6 bracket or a port out of range
        valid = False
    if not valid:
        _invalid(f"{path}.url", "must be an absolute http or https URL")
    return ExternalDocumentRef(url=url, name=_string(value, "name", path))
