"""How FEEL failures become the connector's ``InputError`` (retries 0).

Camunda's engine turns most problems into ``null`` (missing variables, wrong operand types,
unknown functions). The few that fail the whole evaluation are raised as :class:`FeelFailure`
inside the evaluator and mapped once, by :func:`evaluation_error`, to an ``InputError`` whose
message quotes the expression and names the position.
"""

from __future__ import annotations

from connector.errors import InputError

__all__ = ["ERROR_CODE", "FeelFailure", "evaluation_error", "quote", "syntax_error"]

ERROR_CODE = "INVALID_EXPRESSION"
_MAX_QUOTED = 1000


class FeelFailure(Exception):
    """An evaluation failure Camunda does not turn into null (e.g. a connector function's bad argument).

    The position is filled in by the innermost function invocation that sees the failure.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def quote(expression: str) -> str:
    """The expression in single quotes, shortened if very long (job error messages are capped)."""
    if len(expression) > _MAX_QUOTED:
        expression = expression[:_MAX_QUOTED] + "..."
    return f"'{expression}'"


def evaluation_error(expression: str, failure: FeelFailure) -> InputError:
    """The ``InputError`` for a failed evaluation, with the position of the failing invocation."""
    where = "" if failure.line is None else f" at line {failure.line}, column {failure.column}"
    return InputError(
        f"Failed to evaluate FEEL expression {quote(expression)}{where}: {failure.message}",
        code=ERROR_CODE,
    )


def syntax_error(expression: str, line: int, column: int, problem: str, expected: str = "") -> InputError:
    """The ``InputError`` for an expression that does not parse, with a caret under the position."""
    lines = expression.splitlines() or [""]
    # A tab would shift the caret; one column is one character.
    source = (lines[line - 1] if 0 < line <= len(lines) else "").replace("\t", " ")
    caret = " " * (column - 1) + "^"
    return InputError(
        f"Invalid FEEL expression {quote(expression)}: {problem} at line {line}, column {column}"
        + (f" (expected {expected})" if expected else "")
        + "\n"
        f"  {source}\n  {caret}",
        code=ERROR_CODE,
    )
