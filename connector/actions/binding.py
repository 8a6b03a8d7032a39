"""From job variables to validated inputs, with every problem named by its field path."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from connector.errors import InputError

__all__ = ["bind", "validation_message"]

M = TypeVar("M", bound=BaseModel)


def validation_message(exc: ValidationError, prefix: str) -> str:
    """One line per problem, ``- <field path>: <reason>``; never the offending value, which
    may be a credential."""
    lines = []
    for error in exc.errors(include_input=False, include_url=False):
        path = ".".join(str(part) for part in (prefix, *error["loc"]) if part != "")
        reason = error["msg"].removeprefix("Value error, ")
        lines.append(f"- {path or prefix}: {reason}")
    return "Invalid input:\n" + "\n".join(lines)


def bind(model: type[M], value: Any, field: str) -> M:
    """Validate ``value`` (the variable named ``field``) as ``model``.

    Raises:
        InputError: ``INVALID_INPUT`` naming each field path, when the value is missing,
            not an object, or invalid.
    """
    if value is None:
        raise InputError(f"Invalid input:\n- {field}: required", code="INVALID_INPUT")
    if not isinstance(value, Mapping):
        raise InputError(f"Invalid input:\n- {field}: must be an object", code="INVALID_INPUT")
    try:
        return model.model_validate(dict(value))
    except ValidationError as exc:
        raise InputError(validation_message(exc, field), code="INVALID_INPUT") from None
