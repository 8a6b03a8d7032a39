"""The seam for FEEL: result and error expressions are evaluated through ``ExpressionEngine``
(``connector.feel.FeelEngine`` in the worker). ``decision_from_value`` is the pure part of
error expressions: it reads what ``bpmnError()``, ``jobError()`` and ``ignoreError()`` return.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from connector.error_codes import INVALID_ERROR_EXPRESSION
from connector.errors import InputError
from connector.feel.durations import DurationError, parse_duration_ms
from connector.runtime.outcome import BpmnError, ErrorDecision, IgnoreError, JobError

__all__ = ["ExpressionEngine", "decision_from_value", "evaluate_header"]


class ExpressionEngine(Protocol):
    """What the pipeline needs of FEEL: evaluate an expression over a context."""

    def evaluate(self, expression: str, context: Mapping[str, Any]) -> Any:
        """Evaluate a FEEL expression (without its leading ``=``) over a context.

        Raises:
            InputError: the expression cannot be parsed or evaluated.
        """


def evaluate_header(feel: ExpressionEngine, header: str, expression: str, context: Mapping[str, Any]) -> Any:
    """Evaluate the FEEL expression of ``header``; a failure names the header (``Header 'errorExpression': ...``).

    Raises:
        InputError: the expression cannot be parsed or evaluated, or passes an evaluation limit.
    """
    try:
        return feel.evaluate(expression, context)
    except InputError as exc:
        exc.message = f"Header '{header}': {exc.message}"  # same code and retries, now naming the field
        exc.args = (exc.message,)
        raise


def _backoff_ms(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, str):
        try:
            return parse_duration_ms(value)
        except DurationError as exc:
            raise INVALID_ERROR_EXPRESSION.error(f"jobError retryBackoff: {exc}") from exc
    raise INVALID_ERROR_EXPRESSION.error("jobError retryBackoff must be a duration")


def _context(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise INVALID_ERROR_EXPRESSION.error(f"{what} must be a context")
    return dict(value)


def decision_from_value(value: Any) -> ErrorDecision | None:
    """Read an error expression's result. Null or ``{}`` means "no error".

    Raises:
        InputError: ``INVALID_ERROR_EXPRESSION`` for anything that is not one of the three
            connector error shapes.
    """
    if value is None or value == {}:
        return None
    if not isinstance(value, Mapping):
        raise INVALID_ERROR_EXPRESSION.error("errorExpression must return a context or null")
    kind = value.get("errorType")
    variables = _context(value.get("variables"), "error variables")
    if kind == "bpmnError":
        code = value.get("errorCode")
        if not code:
            return None  # Camunda ignores a bpmnError without a code.
        message = value.get("errorMessage")
        return BpmnError(code=str(code), message=None if message is None else str(message), variables=variables)
    if kind == "jobError":
        retries = value.get("retries", 0)
        if not isinstance(retries, (int, float)) or isinstance(retries, bool):
            raise INVALID_ERROR_EXPRESSION.error("jobError retries must be a number")
        return JobError(
            message=str(value.get("errorMessage") or ""),
            variables=variables,
            retries=int(retries),
            retry_backoff_ms=_backoff_ms(value.get("retryBackoff")),
        )
    if kind == "ignoreError":
        return IgnoreError(variables=variables)
    raise INVALID_ERROR_EXPRESSION.error(
        "errorExpression must return bpmnError(...), jobError(...), ignoreError(...) or null"
    )
