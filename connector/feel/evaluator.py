"""Compilers for literals, names, paths, operators, logic and ``if`` -- with Camunda's null rules.

Importing this module also registers the compilers for lists and loops
(:mod:`connector.feel.evaluator_lists`), for function invocations
(:mod:`connector.feel.evaluator_calls`) and for temporal literals and ranges
(:mod:`connector.feel.evaluator_temporal`), so :func:`compile_expression` handles every node.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from connector.feel import evaluator_calls, evaluator_lists, evaluator_temporal
from connector.feel import nodes as n
from connector.feel.budget import current_budget
from connector.feel.compiler import Evaluator, Scope, compile_node, compiles
from connector.feel.entry_order import hashed
from connector.feel.operators import add, divide, equals, multiply, negate, order, path, power, subtract
from connector.feel.values import FeelFunction, type_name

__all__ = ["compile_expression", "evaluator_calls", "evaluator_lists", "evaluator_temporal"]

# concatenations shorter than this are not counted against the text budget (the steps bound them)
_SMALL_TEXT = 64

_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": add,
    "-": subtract,
    "*": multiply,
    "/": divide,
    "**": power,
}


def compile_expression(node: n.Node) -> Evaluator:
    """Compile a parsed expression into an evaluator (scope -> FEEL value)."""
    return compile_node(node)


@compiles(n.Literal)
def _literal(node: n.Literal) -> Evaluator:
    value = node.value
    return lambda scope: value


@compiles(n.Name)
def _name(node: n.Name) -> Evaluator:
    name = node.name
    return lambda scope: scope.lookup(name)


@compiles(n.Path)
def _path(node: n.Path) -> Evaluator:
    base, key = compile_node(node.base), node.key
    return lambda scope: path(base(scope), key)


@compiles(n.ListLiteral)
def _list(node: n.ListLiteral) -> Evaluator:
    items = [compile_node(item) for item in node.items]
    return lambda scope: [item(scope) for item in items]


@compiles(n.ContextLiteral)
def _context(node: n.ContextLiteral) -> Evaluator:
    entries = [(key, compile_node(value)) for key, value in node.entries]

    def run(scope: Scope) -> dict[str, Any]:
        result: dict[str, Any] = {}
        inner = Scope(result, scope)  # later entries (and nested contexts) see the earlier ones
        for key, value in entries:
            result[key] = value(inner)
        return hashed(result)

    return run


@compiles(n.Negate)
def _negate(node: n.Negate) -> Evaluator:
    operand = compile_node(node.operand)
    return lambda scope: negate(operand(scope))


@compiles(n.Arithmetic)
def _arithmetic(node: n.Arithmetic) -> Evaluator:
    left, right, apply = compile_node(node.left), compile_node(node.right), _ARITHMETIC[node.operator]
    if node.operator == "+":
        return _fast_add(left, right)
    return lambda scope: apply(left(scope), right(scope))


def _fast_add(left: Evaluator, right: Evaluator) -> Evaluator:
    def run(scope: Scope) -> Any:
        a, b = left(scope), right(scope)
        if type(a) is str and type(b) is str:  # concatenation is the common case in messages
            if len(a) + len(b) > _SMALL_TEXT:
                current_budget().spend_text(len(a) + len(b))
            return a + b
        return add(a, b)

    return run


@compiles(n.Compare)
def _compare(node: n.Compare) -> Evaluator:
    left, right, symbol = compile_node(node.left), compile_node(node.right), node.operator
    if symbol == "=":
        return lambda scope: equals(left(scope), right(scope))
    if symbol == "!=":
        return lambda scope: _not(equals(left(scope), right(scope)))
    return lambda scope: order(symbol, left(scope), right(scope))


def _not(value: bool | None) -> bool | None:
    return None if value is None else not value


@compiles(n.Between)
def _between(node: n.Between) -> Evaluator:
    value, low, high = compile_node(node.value), compile_node(node.low), compile_node(node.high)

    def run(scope: Scope) -> bool | None:
        subject = value(scope)
        lower = order(">=", subject, low(scope))
        if lower is False:
            return False
        upper = order("<=", subject, high(scope))
        return _conjunction(lower, upper)

    return run


@compiles(n.InstanceOf)
def _instance_of(node: n.InstanceOf) -> Evaluator:
    value, wanted = compile_node(node.value), node.type_name
    if wanted == "Any":
        return lambda scope: value(scope) is not None
    return lambda scope: type_name(value(scope)) == wanted


def _conjunction(left: Any, right: Any) -> bool | None:
    # three-valued `and` once the left operand is not false (false was already returned)
    if left is True:
        return right if type(right) is bool else None
    return False if right is False else None


@compiles(n.And)
def _and(node: n.And) -> Evaluator:
    left, right = compile_node(node.left), compile_node(node.right)

    def run(scope: Scope) -> bool | None:
        first = left(scope)
        return False if first is False else _conjunction(first, right(scope))

    return run


@compiles(n.Or)
def _or(node: n.Or) -> Evaluator:
    left, right = compile_node(node.left), compile_node(node.right)

    def run(scope: Scope) -> bool | None:
        first = left(scope)
        if first is True:
            return True
        second = right(scope)
        if first is False:
            return second if type(second) is bool else None
        return True if second is True else None

    return run


@compiles(n.If)
def _if(node: n.If) -> Evaluator:
    condition, then, otherwise = compile_node(node.condition), compile_node(node.then), compile_node(node.otherwise)
    # a condition that is not a boolean (null included) takes the else branch
    return lambda scope: then(scope) if condition(scope) is True else otherwise(scope)


@compiles(n.FunctionDefinition)
def _function_definition(node: n.FunctionDefinition) -> Evaluator:
    params, body = node.params, compile_node(node.body)

    def run(scope: Scope) -> FeelFunction:
        # lexical scope: the body sees the variables where the function was defined
        def invoke(args: list[Any]) -> Any:
            current_budget().spend()  # also when `sort` calls it: recursion and callbacks count
            return body(Scope(dict(zip(params, args, strict=True)), scope))

        return FeelFunction("function", params, invoke)

    return run
