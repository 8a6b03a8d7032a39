"""What an upload sends: bytes, a file name and a content type, from the ``document`` input.

Handled here: inline document references (``camunda.document.type = inline``) and plain
string or JSON values. Camunda document store and external URL references need the
document store client, which a later release brings; they are refused with a clear message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from connector.errors import InputError

__all__ = ["UploadBody", "upload_body"]

_TYPE_KEY = "camunda.document.type"


@dataclass(frozen=True)
class UploadBody:
    data: bytes
    file_name: str | None
    content_type: str | None
    # Used when neither the document nor the key's extension names a type.
    fallback_content_type: str | None = None


def _text_of(value: Any) -> str:
    # Camunda captures a non-string inline value as compact JSON text.
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _inline(reference: Mapping[str, Any], field: str) -> UploadBody:
    if "content" not in reference or reference["content"] is None:
        raise InputError(f"Invalid input:\n- {field}.content: required for an inline document", code="INVALID_INPUT")
    name = reference.get("name")
    content_type = reference.get("contentType")
    for key, value in (("name", name), ("contentType", content_type)):
        if value is not None and not isinstance(value, str):
            raise InputError(f"Invalid input:\n- {field}.{key}: must be a string", code="INVALID_INPUT")
    return UploadBody(_text_of(reference["content"]).encode("utf-8"), name or None, content_type or None)


def upload_body(document: Any, field: str = "action.document") -> UploadBody:
    """Turn the ``document`` input into the bytes to upload.

    Raises:
        InputError: null document, a list of several documents, an unknown or unsupported
            document type, or a malformed inline reference — each naming ``field``.
    """
    if isinstance(document, list):
        if len(document) != 1:
            raise InputError(
                f"Invalid input:\n- {field}: a list must hold exactly one document, got {len(document)}",
                code="INVALID_INPUT",
            )
        document = document[0]
    if document is None:
        raise InputError(f"Invalid input:\n- {field}: must not be null", code="INVALID_INPUT")
    if isinstance(document, Mapping) and _TYPE_KEY in document:
        kind = document[_TYPE_KEY]
        if kind == "inline":
            return _inline(document, field)
        if kind in ("camunda", "external"):
            raise InputError(
                f"{field}: '{kind}' documents are not supported by this version of the worker yet; "
                'send the content inline ({"camunda.document.type": "inline", "content": ...})',
                code="DOCUMENT_TYPE_UNSUPPORTED",
            )
        raise InputError(
            f"Invalid input:\n- {field}.{_TYPE_KEY}: must be camunda, inline or external", code="INVALID_INPUT"
        )
    if isinstance(document, str):
        return UploadBody(document.encode("utf-8"), None, None, "text/plain; charset=utf-8")
    return UploadBody(_text_of(document).encode("utf-8"), None, None, "application/json")
