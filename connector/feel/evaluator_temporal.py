"""Compilers for temporal literals (``@"2019-01-01"``, ``duration("PT1H")``) and range values (``[1..5]``).

A literal is read once, when the expression is compiled, as feel-scala reads it when parsing; a
text no kind accepts is null. A range is a value only as a function argument or as the whole
expression; its ends must be points of one type (numbers, temporals, durations), else it is null.
"""

from __future__ import annotations

from typing import Any

from connector.feel import nodes as n
from connector.feel.builtins_range import make_range
from connector.feel.compiler import Evaluator, Scope, compile_node, compiles
from connector.feel.errors import FeelFailure
from connector.feel.temporal_text import parse_date, parse_date_time, parse_duration_literal, parse_literal, parse_time

__all__: list[str] = []

_READERS: dict[str, Any] = {
    "@": parse_literal,
    "date": parse_date,
    "time": parse_time,
    "date and time": lambda text: parse_date_time(text, literal=True),
    "duration": parse_duration_literal,
}


@compiles(n.TemporalLiteral)
def _temporal(node: n.TemporalLiteral) -> Evaluator:
    try:
        value = _READERS[node.kind](node.text)
    except FeelFailure as failure:  # e.g. a year this worker cannot represent: fail when evaluated
        reason = failure

        def fail(scope: Scope) -> Any:
            raise FeelFailure(reason.message)

        return fail
    return lambda scope: value


@compiles(n.TestInterval)
def _range(node: n.TestInterval) -> Evaluator:
    start, end = compile_node(node.start), compile_node(node.end)
    start_closed, end_closed = node.start_closed, node.end_closed
    return lambda scope: make_range(start(scope), start_closed, end(scope), end_closed)
