"""The table of built-in functions, and how an invocation picks an overload and binds its arguments.

Functions are registered with :func:`builtin` by the ``builtins_*`` modules and by
:mod:`connector.feel.functions_connector`. Like Camunda's engine, an invocation picks the
overload by the number of positional arguments, or by the names of the named arguments; when
none fits, the invocation yields null.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from connector.feel.values import FeelFunction

__all__ = ["BUILTINS", "UNSUPPORTED", "bind", "builtin", "select"]

BUILTINS: dict[str, list[FeelFunction]] = {}

# Camunda built-ins this worker does not implement. Calling one fails the evaluation instead of
# silently yielding null where Camunda yields a value.
UNSUPPORTED = frozenset({"createDocument"})


def builtin(name: str, *params: str, varargs: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as an overload of the built-in ``name``.

    The function receives the arguments as positional Python parameters in ``params`` order
    (with ``varargs``, the last one is the list of remaining arguments) and returns a FEEL value;
    ``None`` is FEEL's null, which is also how a built-in rejects arguments of the wrong type.
    """

    def register(implementation: Callable[..., Any]) -> Callable[..., Any]:
        function = FeelFunction(name, params, lambda args: implementation(*args), varargs)
        BUILTINS.setdefault(name, []).append(function)
        return implementation

    return register


def select(
    overloads: Sequence[FeelFunction], count: int | None = None, names: Sequence[str] | None = None
) -> FeelFunction | None:
    """The overload for ``count`` positional arguments, or for the given argument ``names``."""
    if names is not None:
        fitting = [f for f in overloads if set(names) <= set(f.params)]
        return min(fitting, key=lambda f: len(f.params)) if fitting else None
    for function in overloads:
        if len(function.params) == count and not function.varargs:
            return function
    for function in overloads:
        if function.varargs and count is not None and count >= len(function.params) - 1:
            return function
    return None


def bind(function: FeelFunction, positional: list[Any] | None, named: dict[str, Any] | None) -> list[Any] | None:
    """The argument list for ``function``, or ``None`` if the arguments do not fit its parameters.

    Named arguments that are not given are null. With varargs, the extra positional arguments
    are collected into a list -- and a single list argument is taken as that list, so both
    ``sum(1, 2)`` and ``sum([1, 2])`` work, as in Camunda.
    """
    params = function.params
    if named is not None:
        if not set(named) <= set(params):
            return None
        return [named.get(param) for param in params]
    arguments = positional or []
    if not function.varargs:
        return arguments if len(arguments) == len(params) else None
    fixed = len(params) - 1
    if len(arguments) < fixed:
        return None
    rest = arguments[fixed:]
    if fixed == 0 and len(rest) == 1 and type(rest[0]) is list:
        return [rest[0]]
    return [*arguments[:fixed], rest]
