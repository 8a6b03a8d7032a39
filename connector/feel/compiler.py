"""Turning syntax tree nodes into Python closures, and the scopes the closures read variables from.

A parsed expression is compiled once into nested closures (``Evaluator``: scope -> value); an
evaluation then only calls them, without looking at the tree again. The ``evaluator*`` modules
register one compile function per node type with :func:`compiles`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from connector.feel.nodes import Node

__all__ = ["Evaluator", "Scope", "compile_node", "compiles"]

_MISSING = object()
NodeT = TypeVar("NodeT", bound=Node)


class Scope:
    """Variables visible to an expression: own entries first, then the enclosing scope's.

    Scopes are created per evaluation (and per iteration, filter item or function call) and
    never shared between evaluations, which is what makes evaluation thread-safe.
    """

    __slots__ = ("parent", "variables")

    def __init__(self, variables: Mapping[str, Any], parent: Scope | None = None) -> None:
        self.variables = variables
        self.parent = parent

    def lookup(self, name: str) -> Any:
        """The value of a variable; a missing variable is null, as in Camunda."""
        scope: Scope | None = self
        while scope is not None:
            value = scope.variables.get(name, _MISSING)
            if value is not _MISSING:
                return value
            scope = scope.parent
        return None


Evaluator = Callable[[Scope], Any]
_COMPILERS: dict[type[Node], Callable[[Any], Evaluator]] = {}


def compiles(kind: type[NodeT]) -> Callable[[Callable[[NodeT], Evaluator]], Callable[[NodeT], Evaluator]]:
    """Register the decorated function as the compiler for nodes of type ``kind``."""

    def register(function: Callable[[NodeT], Evaluator]) -> Callable[[NodeT], Evaluator]:
        _COMPILERS[kind] = function
        return function

    return register


def compile_node(node: Node) -> Evaluator:
    """Compile a node (and its children) into an evaluator."""
    return _COMPILERS[type(node)](node)
