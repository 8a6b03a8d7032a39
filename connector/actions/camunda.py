"""Camunda's AWS S3 template shapes (v1..v8 and the hybrid one), resolved inside the models.

- Templates v3..v6 send ``action.document = null`` (their FEEL composer reads the helper
  inputs by bare names while they are nested under ``action``); ``repair_document`` rebuilds
  the document from ``action.action_document_*`` exactly as the fixed composer (v7) does.
- Downloads: v5/v6 ``documentReturnFormat.choice`` wins when set; otherwise v1/v2's
  ``action.asFile`` decides (``download_format``).
- v6's ``awsCredential`` precedence is resolved by ``connection.S3Job``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["DownloadFormat", "DownloadMode", "download_format", "repair_document"]

DownloadMode = Literal["DOCUMENT", "TEXT", "JSON", "AUTO"]


@dataclass(frozen=True)
class DownloadFormat:
    """How a download returns the object; ``encoding`` only for TEXT."""

    mode: DownloadMode
    encoding: str | None = None


def _document_from_helpers(action: Mapping[str, Any]) -> Any:
    def helper(name: str) -> Any:
        return action.get(f"action_document_{name}")

    source = helper("documentSource")
    if source == "camunda":
        return helper("camundaReference")
    if source == "inline":
        return {
            "camunda.document.type": "inline",
            "content": helper("inline_content"),
            "name": helper("inline_fileName"),
            "contentType": helper("inline_contentType"),
        }
    if source == "external":
        return {
            "camunda.document.type": "external",
            "url": helper("external_url"),
            "name": helper("external_fileName"),
        }
    return None


def repair_document(action: Any) -> Any:
    """``action`` with the document the v3..v6 helper inputs describe, where it is null."""
    if not isinstance(action, Mapping) or action.get("document") is not None:
        return action
    return {**action, "document": _document_from_helpers(action)}


def download_format(choice: DownloadMode | None, encoding: str | None, as_file: bool) -> DownloadFormat:
    """How a download returns the object: as a document, text, JSON, or typed by content type."""
    if choice is not None:
        return DownloadFormat(choice, encoding if choice == "TEXT" else None)
    return DownloadFormat("DOCUMENT" if as_file else "AUTO")
