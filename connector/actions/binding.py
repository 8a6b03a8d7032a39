"""From job variables to validated input models, with every problem named by its field path.

``bind`` validates the whole variables document against a job model (or a union of them) and
turns pydantic's errors into one ``- <field path>: <reason>`` line each. Tags of
discriminated unions are left out of the paths; a problem found by a model validator names
its own field (``field_error``). Offending values are never echoed: they may be credentials.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar, overload

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from connector.documents.references import DOCUMENT_TAGS, TYPE_KEY
from connector.error_codes import INVALID_DOCUMENT
from connector.errors import InputError

__all__ = ["ACTION_TAGS", "bind", "field_error", "validation_message"]

T = TypeVar("T")

_ACTIONS = ("uploadObject", "downloadObject", "deleteObject")
ACTION_TAGS = frozenset(_ACTIONS)
_TAGS = ACTION_TAGS | DOCUMENT_TAGS
_FIELD_ERROR = "field_error"
_REASONS = {
    "missing": "required",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "bool_type": "must be true or false",
}


def field_error(field: str, problem: str) -> PydanticCustomError:
    """An error a model validator raises for ``field`` (a path relative to the model)."""
    return PydanticCustomError(_FIELD_ERROR, "{problem}", {"field": field, "problem": problem})


def _path(error: ErrorDetails) -> list[str]:
    parts = [str(part) for part in error["loc"] if part not in _TAGS]
    ctx = error.get("ctx") or {}
    if error["type"] == _FIELD_ERROR:
        parts.extend(str(ctx["field"]).split("."))
    elif error["type"] in ("union_tag_invalid", "union_tag_not_found") and error.get("input") is not None:
        # The tag itself is the problem: name the key that holds it.
        parts.append("actionDiscriminator" if not parts else TYPE_KEY)
    return parts


def _reason(error: ErrorDetails, path: list[str]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "union_tag_invalid":
        expected = ", ".join(t.strip("'") for t in str(ctx.get("expected_tags", "")).split(", ") if t != "'plain'")
        return f"must be one of {expected}, got {str(ctx.get('tag', ''))[:100]!r}"
    if kind == "union_tag_not_found":
        if path[-1:] == ["actionDiscriminator"]:
            return f"must be one of {', '.join(_ACTIONS)} (missing)"
        if error.get("input") is None:
            return "must not be null"
        return f"must be a document reference (an object with '{TYPE_KEY}')"
    return _REASONS.get(kind) or error["msg"].removeprefix("Value error, ")


def validation_message(exc: ValidationError) -> str:
    """One line per problem, ``- <field path>: <reason>``; never the offending value."""
    lines = []
    for error in exc.errors(include_url=False):
        path = _path(error)
        lines.append(f"- {'.'.join(path) or 'variables'}: {_reason(error, path)}")
    return "Invalid input:\n" + "\n".join(dict.fromkeys(lines))


def _is_document_problem(exc: ValidationError) -> bool:
    def under_document(error: ErrorDetails) -> bool:
        return "document" in [str(part) for part in error["loc"]]

    return all(under_document(error) for error in exc.errors(include_url=False))


@cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


@overload
def bind(model: type[T], variables: Mapping[str, Any]) -> T: ...


@overload
def bind(model: Any, variables: Mapping[str, Any]) -> Any: ...


def bind(model: Any, variables: Mapping[str, Any]) -> Any:
    """Validate a job's ``variables`` as ``model`` (a model class or an annotated union).

    Raises:
        InputError: ``INVALID_INPUT`` naming each field path (``INVALID_DOCUMENT`` when every
            problem lies inside a document reference).
    """
    try:
        bound = _adapter(model).validate_python(dict(variables))
    except ValidationError as exc:
        message = validation_message(exc)
        if _is_document_problem(exc):
            raise INVALID_DOCUMENT.error(message) from None
        raise InputError(message) from None
    return bound
