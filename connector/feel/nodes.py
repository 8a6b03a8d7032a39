"""The syntax tree of a parsed FEEL expression (what :mod:`connector.feel.parser` builds).

Nodes are immutable. ``Call`` carries the source position (1-based line and column) because
function invocations are where evaluation can fail hard (connector functions, ``assert``).
"""

from __future__ import annotations

from collections.abc import Iterator as _Iterator
from dataclasses import dataclass, fields
from typing import Any

__all__ = [
    "And",
    "Arithmetic",
    "Between",
    "Call",
    "Compare",
    "ContextLiteral",
    "Filter",
    "For",
    "FunctionDefinition",
    "If",
    "In",
    "InstanceOf",
    "Iterator",
    "ListLiteral",
    "Literal",
    "Name",
    "Negate",
    "Node",
    "Or",
    "Path",
    "Quantified",
    "TemporalLiteral",
    "TestCompare",
    "TestExpression",
    "TestInterval",
    "TestList",
    "walk",
]


class Node:
    """Base class of all syntax tree nodes."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Literal(Node):
    value: Any  # Decimal, str, bool or None


@dataclass(frozen=True, slots=True)
class TemporalLiteral(Node):
    """``@"..."``, or ``date("...")``/``time("...")``/``date and time("...")``/``duration("...")`` with a literal."""

    kind: str  # "@", "date", "time", "date and time", "duration"
    text: str


@dataclass(frozen=True, slots=True)
class Name(Node):
    name: str


@dataclass(frozen=True, slots=True)
class Path(Node):
    base: Node
    key: str


@dataclass(frozen=True, slots=True)
class Filter(Node):
    base: Node
    condition: Node


@dataclass(frozen=True, slots=True)
class Call(Node):
    callee: Node  # Name (also a several-word built-in name), Path (qualified) or any expression
    positional: tuple[Node, ...] | None
    named: tuple[tuple[str, Node], ...] | None
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class ListLiteral(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class ContextLiteral(Node):
    entries: tuple[tuple[str, Node], ...]


@dataclass(frozen=True, slots=True)
class FunctionDefinition(Node):
    params: tuple[str, ...]
    body: Node


@dataclass(frozen=True, slots=True)
class Negate(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class Arithmetic(Node):
    operator: str  # + - * / **
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Compare(Node):
    operator: str  # = != < <= > >=
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Between(Node):
    value: Node
    low: Node
    high: Node


@dataclass(frozen=True, slots=True)
class InstanceOf(Node):
    value: Node
    type_name: str


@dataclass(frozen=True, slots=True)
class And(Node):
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Or(Node):
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class If(Node):
    condition: Node
    then: Node
    otherwise: Node


@dataclass(frozen=True, slots=True)
class Iterator(Node):
    name: str
    source: Node
    range_end: Node | None  # `x in a..b` iterates over a numeric range


@dataclass(frozen=True, slots=True)
class For(Node):
    iterators: tuple[Iterator, ...]
    body: Node


@dataclass(frozen=True, slots=True)
class Quantified(Node):
    every: bool  # False: `some`
    iterators: tuple[Iterator, ...]
    condition: Node


@dataclass(frozen=True, slots=True)
class In(Node):
    value: Node
    test: Node  # one of the Test* nodes


@dataclass(frozen=True, slots=True)
class TestExpression(Node):
    """A positive unary test that is an expression: true, a list holding the input, or equal to it."""

    expression: Node


@dataclass(frozen=True, slots=True)
class TestCompare(Node):
    operator: str  # < <= > >=
    value: Node


@dataclass(frozen=True, slots=True)
class TestInterval(Node):
    """``[a..b]``: a unary test inside ``in``, a range value as a function argument or a whole expression."""

    start: Node
    end: Node
    start_closed: bool
    end_closed: bool


@dataclass(frozen=True, slots=True)
class TestList(Node):
    tests: tuple[Node, ...]


def walk(node: Node) -> _Iterator[Node]:
    """The node and all nodes below it, depth first."""
    yield node
    for field in fields(node):  # type: ignore[arg-type]
        yield from _children(getattr(node, field.name))


def _children(value: Any) -> _Iterator[Node]:
    if isinstance(value, Node):
        yield from walk(value)
    elif isinstance(value, tuple):
        for item in value:
            yield from _children(item)
