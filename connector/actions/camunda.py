"""Camunda's AWS S3 template shapes (v1..v6 and the hybrid one) mapped onto our inputs.

- v6's ``awsCredential`` = ``{authentication, region}`` takes precedence over the inline
  ``authentication``; the endpoint still comes from ``configuration.endpoint``, and v8's
  region override (``configuration.region`` beside a credential) wins over its region.
- Templates v3..v6 send ``action.document = null`` (their FEEL composer reads the helper
  inputs by bare names while they are nested under ``action``); we rebuild the document from
  ``action.action_document_*`` exactly as the fixed composer (template v7) does.
- Downloads: v5/v6 ``documentReturnFormat.choice`` wins when set; otherwise v1/v2's
  ``action.asFile`` decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from connector.actions.binding import bind
from connector.actions.models import Authentication, AwsCredential, Configuration, DocumentReturnFormat
from connector.errors import InputError
from connector.s3.validation import region_problem

__all__ = ["ACTIONS", "DownloadFormat", "S3Target", "download_format", "repaired_document", "resolve_target"]

ACTIONS = ("uploadObject", "downloadObject", "deleteObject")
DownloadMode = Literal["DOCUMENT", "TEXT", "JSON", "AUTO"]


@dataclass(frozen=True)
class S3Target:
    authentication: Authentication
    region: str | None
    endpoint: str | None
    configuration: Configuration


@dataclass(frozen=True)
class DownloadFormat:
    mode: DownloadMode
    encoding: str | None = None


def resolve_target(variables: Mapping[str, Any]) -> S3Target:
    """Credentials, region and endpoint of a job, honouring ``awsCredential`` precedence.

    Raises:
        InputError: missing or invalid ``authentication``/``awsCredential``/``configuration``.
    """
    configuration = bind(Configuration, variables.get("configuration") or {}, "configuration")
    if variables.get("awsCredential") is not None:
        credential = bind(AwsCredential, variables["awsCredential"], "awsCredential")
        # Template v8's "region override" writes configuration.region beside the credential.
        region = configuration.region or credential.region
        target = S3Target(credential.authentication, region, configuration.endpoint, configuration)
        region_field = "configuration.region" if configuration.region else "awsCredential.region"
    else:
        authentication = bind(Authentication, variables.get("authentication"), "authentication")
        target = S3Target(authentication, configuration.region, configuration.endpoint, configuration)
        region_field = "configuration.region"
    problem = region_problem(target.region) if target.region and not target.endpoint else None
    if problem:
        raise InputError(f"Invalid input:\n- {region_field}: {problem}", code="INVALID_INPUT")
    return target


def _helper(action: Mapping[str, Any], name: str) -> Any:
    return action.get(f"action_document_{name}")


def repaired_document(action: Mapping[str, Any]) -> Any:
    """``action.document``, or the document the v3..v6 helper inputs describe when it is null."""
    document = action.get("document")
    if document is not None:
        return document
    source = _helper(action, "documentSource")
    if source == "camunda":
        return _helper(action, "camundaReference")
    if source == "inline":
        return {
            "camunda.document.type": "inline",
            "content": _helper(action, "inline_content"),
            "name": _helper(action, "inline_fileName"),
            "contentType": _helper(action, "inline_contentType"),
        }
    if source == "external":
        return {
            "camunda.document.type": "external",
            "url": _helper(action, "external_url"),
            "name": _helper(action, "external_fileName"),
        }
    return None


def download_format(variables: Mapping[str, Any], action: Mapping[str, Any]) -> DownloadFormat:
    """How a download returns the object: as a document, text, JSON, or typed by content type.

    Raises:
        InputError: an invalid ``documentReturnFormat`` or ``action.asFile``.
    """
    raw = variables.get("documentReturnFormat")
    if raw is not None:
        chosen = bind(DocumentReturnFormat, raw, "documentReturnFormat")
        if chosen.choice is not None:
            return DownloadFormat(chosen.choice, chosen.encoding if chosen.choice == "TEXT" else None)
    as_file = action.get("asFile", False)
    if not isinstance(as_file, bool):
        raise InputError("Invalid input:\n- action.asFile: must be true or false", code="INVALID_INPUT")
    return DownloadFormat("DOCUMENT" if as_file else "AUTO")


def discriminator(variables: Mapping[str, Any]) -> str:
    """Raises:
    InputError: ``actionDiscriminator`` missing or not one of uploadObject/downloadObject/deleteObject.
    """
    value = variables.get("actionDiscriminator")
    if value not in ACTIONS:
        shown = "missing" if value is None else f"got {str(value)[:100]!r}"
        raise InputError(
            f"Invalid input:\n- actionDiscriminator: must be one of {', '.join(ACTIONS)} ({shown})",
            code="INVALID_INPUT",
        )
    return str(value)
