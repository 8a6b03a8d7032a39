"""Parse FEEL source text into the syntax tree of :mod:`connector.feel.nodes`.

Raises ``InputError`` (``INVALID_EXPRESSION``) for text that is not a FEEL expression, with the
line, the column and a caret line pointing at the offending token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lark import Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from connector.errors import InputError
from connector.feel import nodes as n
from connector.feel.errors import syntax_error
from connector.feel.grammar import RESERVED_NAMES, feel_parser

__all__ = ["parse", "unescape"]

_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
# feel-scala 1.20 translates exactly these; others (\d in a regex, \u0041) stay as written
_SIMPLE_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}
# with a string literal, feel-scala reads these as temporal values when it parses the expression
_TEMPORAL_FUNCTIONS = frozenset({"date", "time", "date and time", "duration"})


class _ReservedName(Exception):
    def __init__(self, token: Token) -> None:
        super().__init__(token.value)
        self.token = token


@dataclass(frozen=True, slots=True)
class _ReservedRef(n.Node):
    """A reserved word where a variable is expected: only fine as a function name (``and([..])``)."""

    token: Token


def parse(expression: str) -> n.Node:
    """Parse one FEEL expression (without a leading ``=``).

    Raises:
        InputError: ``INVALID_EXPRESSION`` with position and caret if the text does not parse.
    """
    try:
        tree = feel_parser().parse(expression)
        node: n.Node = _ToNodes().transform(tree)
        for sub in n.walk(node):
            if isinstance(sub, _ReservedRef):
                raise _ReservedName(sub.token)
    except UnexpectedInput as exc:
        raise _syntax_error(expression, exc) from None
    except _ReservedName as exc:
        raise _reserved(expression, exc.token) from None
    except VisitError as exc:
        if isinstance(exc.orig_exc, _ReservedName):
            raise _reserved(expression, exc.orig_exc.token) from None
        if isinstance(exc.orig_exc, RecursionError):
            raise exc.orig_exc from None  # the engine reports "nests too deeply"
        raise
    return node


def _reserved(expression: str, token: Token) -> InputError:
    return syntax_error(expression, token.line or 1, token.column or 1, f"'{token.value}' is a reserved word")


def _syntax_error(expression: str, exc: UnexpectedInput) -> InputError:
    line, column = max(exc.line, 1), max(exc.column, 1)
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        lines = expression.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
        problem = "unexpected end of expression"
    elif isinstance(exc, UnexpectedToken):
        problem = f"unexpected {exc.token.value!r}"
    elif isinstance(exc, UnexpectedCharacters):
        char = expression[exc.pos_in_stream or 0]
        problem = "unterminated string" if char == '"' else f"unexpected character {char!r}"
    else:  # pragma: no cover - lark raises only the kinds above
        problem = "unexpected input"
    expected = "" if problem == "unterminated string" else _expected(exc)
    return syntax_error(expression, line, column, problem, expected)


_READABLE = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": "a string",
    "FUNCTION_NAME": "a function name",
    "CONTEXT_KEY": "a context key",
    "TYPE_NAME": "a type name",
    "COMPARATOR": "a comparison",
    "TEST_COMPARATOR": "a comparison",
}


def _expected(exc: UnexpectedInput) -> str:
    names: set[str] = set(getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ())
    terminals = {t.name: t for t in feel_parser().terminals}
    shown: set[str] = set()
    for name in names:
        if name in _READABLE:
            shown.add(_READABLE[name])
        elif name in terminals and terminals[name].pattern.type == "str":
            shown.add(repr(terminals[name].pattern.value))
    if not shown or len(shown) > 8:
        return ""
    ordered = sorted(shown)
    return ordered[0] if len(ordered) == 1 else ", ".join(ordered[:-1]) + " or " + ordered[-1]


def unescape(text: str) -> str:
    """Translate the escapes of a FEEL string literal; unknown ones (``\\d`` in a regex) stay as written."""
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda match: _SIMPLE_ESCAPES.get(match.group(1), match.group(0)), text)


def _name(token: Token) -> str:
    text = str(token.value)
    if token.type == "BACKTICK_NAME":
        return text[1:-1]
    if text in RESERVED_NAMES:
        raise _ReservedName(token)
    return text


def _key(token: Token) -> str:
    text = str(token.value)
    if token.type == "STRING":
        return unescape(text[1:-1])
    return text[1:-1] if token.type == "BACKTICK_NAME" else text


@v_args(inline=True)
class _ToNodes(Transformer[Token, n.Node]):
    """Lark parse tree -> syntax tree. Method names are the grammar's rule aliases."""

    def number(self, token: Token) -> n.Node:
        return n.Literal(Decimal(token.value))

    def string(self, token: Token) -> n.Node:
        return n.Literal(unescape(token.value[1:-1]))

    def temporal(self, token: Token) -> n.Node:
        text = token.value[1:].lstrip()
        return n.TemporalLiteral("@", text[1:-1])

    def whole_range(self, interval: n.Node) -> n.Node:
        return interval

    def true(self, _: Token) -> n.Node:
        return n.Literal(True)

    def false(self, _: Token) -> n.Node:
        return n.Literal(False)

    def null(self, _: Token) -> n.Node:
        return n.Literal(None)

    def name_ref(self, token: Token) -> n.Node:
        if token.type == "NAME" and token.value in RESERVED_NAMES:
            return _ReservedRef(token)
        return n.Name(_name(token))

    def function_name(self, token: Token) -> n.Node:
        return n.Name(" ".join(token.value.split()))

    def path_name(self, token: Token) -> str:
        return _name(token)

    def parameter(self, token: Token) -> str:
        # several-word parameter names are kept as written: a body refers to them in backticks
        return str(token.value) if token.type == "PARAMETER_NAME" else _name(token)

    def list(self, *items: n.Node | None) -> n.Node:
        return n.ListLiteral(tuple(item for item in items if item is not None))

    def entry(self, key: Token, value: n.Node) -> tuple[str, n.Node]:
        return (_key(key), value)

    def context(self, *entries: tuple[str, n.Node] | None) -> n.Node:
        return n.ContextLiteral(tuple(entry for entry in entries if entry is not None))

    def path(self, base: n.Node, key: str) -> n.Node:
        return n.Path(base, key)

    def filter(self, base: n.Node, condition: n.Node) -> n.Node:
        return n.Filter(base, condition)

    @v_args(meta=True, inline=True)
    def call(self, meta: Any, callee: n.Node, arguments: Any) -> n.Node:
        positional: tuple[n.Node, ...] | None = ()
        named: tuple[tuple[str, n.Node], ...] | None = None
        if arguments is not None:
            kind, values = arguments
            positional, named = (values, None) if kind == "positional" else (None, values)
        if isinstance(callee, _ReservedRef):  # the built-ins `and(..)` and `or(..)`
            callee = n.Name(str(callee.token.value))
        if isinstance(callee, n.Name) and callee.name in _TEMPORAL_FUNCTIONS and positional and len(positional) == 1:
            argument = positional[0]
            if isinstance(argument, n.Literal) and type(argument.value) is str:
                return n.TemporalLiteral(callee.name, argument.value)
        return n.Call(callee, positional, named, meta.line, meta.column)

    def positional_arguments(self, *values: n.Node) -> tuple[str, tuple[n.Node, ...]]:
        return ("positional", values)

    def named_arguments(self, *values: tuple[str, n.Node]) -> tuple[str, tuple[tuple[str, n.Node], ...]]:
        return ("named", values)

    def named_argument(self, token: Token, value: n.Node) -> tuple[str, n.Node]:
        return (self.parameter(token), value)

    def negate(self, operand: n.Node) -> n.Node:
        return n.Negate(operand)

    def double_negate(self, token: Token) -> n.Node:
        # `--10`: Camunda reads the second `-` as the sign of a number literal
        return n.Negate(n.Literal(Decimal(token.value).copy_negate()))

    def add(self, left: n.Node, right: n.Node) -> n.Node:
        return n.Arithmetic("+", left, right)

    def subtract(self, left: n.Node, right: n.Node) -> n.Node:
        return n.Arithmetic("-", left, right)

    def multiply(self, left: n.Node, right: n.Node) -> n.Node:
        return n.Arithmetic("*", left, right)

    def divide(self, left: n.Node, right: n.Node) -> n.Node:
        return n.Arithmetic("/", left, right)

    def power(self, left: n.Node, right: n.Node) -> n.Node:
        return n.Arithmetic("**", left, right)

    def compare(self, left: n.Node, operator: Token, right: n.Node) -> n.Node:
        return n.Compare(operator.value, left, right)

    def between(self, value: n.Node, _: Token, low: n.Node, __: Token, high: n.Node) -> n.Node:
        return n.Between(value, low, high)

    def instance_of(self, value: n.Node, _: Token, __: Token, type_name: Token) -> n.Node:
        return n.InstanceOf(value, type_name.value)

    def in_test(self, value: n.Node, _: Token, test: n.Node) -> n.Node:
        return n.In(value, test)

    def test_list(self, *tests: n.Node) -> n.Node:
        return n.TestList(tests)

    def test_expr(self, expression: n.Node) -> n.Node:
        return n.TestExpression(expression)

    def test_compare(self, operator: Token, value: n.Node) -> n.Node:
        return n.TestCompare(operator.value, value)

    def interval(self, start: Token, low: n.Node, _: Token, high: n.Node, end: Token) -> n.Node:
        return n.TestInterval(low, high, start.value == "[", end.value == "]")

    def conjunction(self, left: n.Node, _: Token, right: n.Node) -> n.Node:
        return n.And(left, right)

    def disjunction(self, left: n.Node, _: Token, right: n.Node) -> n.Node:
        return n.Or(left, right)

    def if_expr(self, _: Token, condition: n.Node, __: Token, then: n.Node, ___: Token, otherwise: n.Node) -> n.Node:
        return n.If(condition, then, otherwise)

    def iterator(self, name: Token, _: Token, source: n.Node) -> n.Iterator:
        return n.Iterator(_name(name), source, None)

    def range_iterator(self, name: Token, _: Token, start: n.Node, end: n.Node) -> n.Iterator:
        return n.Iterator(_name(name), start, end)

    def iterators(self, *iterators: n.Iterator) -> tuple[n.Iterator, ...]:
        return iterators

    def for_expr(self, _: Token, iterators: tuple[n.Iterator, ...], __: Token, body: n.Node) -> n.Node:
        return n.For(iterators, body)

    def quantified(self, kind: Token, iterators: tuple[n.Iterator, ...], _: Token, condition: n.Node) -> n.Node:
        return n.Quantified(kind.type == "EVERY", iterators, condition)

    def function_definition(self, _: Token, *rest: Any) -> n.Node:
        *params, body = rest
        return n.FunctionDefinition(tuple(param for param in params if param is not None), body)
