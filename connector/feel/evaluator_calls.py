"""The compiler for function invocations: ``f(1)``, ``upper case(s)``, ``ctx.f(x: 1)``.

A name is looked up first among the variables (a context entry holding a ``function(..)``),
then among the built-ins. Like Camunda: arguments that fit no overload yield null; a failure
inside a connector function or ``assert`` fails the evaluation; and a qualified invocation
(``ctx.f()``) whose context or function is missing fails too. Unlike Camunda, a name that is
no function at all fails the evaluation (Camunda returns null), so a typo cannot silently
disable an error expression.
"""

from __future__ import annotations

from typing import Any

from connector.feel import nodes as n
from connector.feel.budget import current_budget
from connector.feel.compiler import Evaluator, Scope, compile_node, compiles
from connector.feel.errors import FeelFailure
from connector.feel.functions import BUILTINS, UNSUPPORTED  # importing it registers every function
from connector.feel.registry import bind, select
from connector.feel.values import FeelFunction, type_name

__all__: list[str] = []

# short strings are not worth counting: the steps that produced them bound them already
_SMALL_TEXT = 64


@compiles(n.Call)
def _call(node: n.Call) -> Evaluator:
    invoke = _invoker(node)

    def run(scope: Scope) -> Any:
        try:
            return invoke(scope)
        except FeelFailure as failure:
            if failure.line is None:  # the innermost invocation names the position
                failure.line, failure.column = node.line, node.column
            raise

    return run


def _invoker(node: n.Call) -> Evaluator:
    positional = None if node.positional is None else [compile_node(arg) for arg in node.positional]
    named = None if node.named is None else [(key, compile_node(arg)) for key, arg in node.named]
    count = None if positional is None else len(positional)
    names = None if named is None else [key for key, _ in named]

    def arguments(scope: Scope) -> tuple[list[Any] | None, dict[str, Any] | None]:
        if positional is not None:
            return [arg(scope) for arg in positional], None
        return None, {key: arg(scope) for key, arg in named or ()}

    callee = node.callee
    if isinstance(callee, n.Name):
        return _by_name(callee.name, count, names, arguments)
    if isinstance(callee, n.Path):
        return _qualified(compile_node(callee.base), callee.key, count, names, arguments)
    function = compile_node(callee)
    return lambda scope: _apply(function(scope), *arguments(scope))


def _fits(function: Any, count: int | None, names: list[str] | None) -> bool:
    return type(function) is FeelFunction and select([function], count, names) is not None


def _by_name(name: str, count: int | None, names: list[str] | None, arguments: Any) -> Evaluator:
    builtin = select(BUILTINS.get(name, ()), count, names)
    known = name in BUILTINS
    unsupported = name in UNSUPPORTED

    def run(scope: Scope) -> Any:
        variable = scope.lookup(name)
        function = variable if _fits(variable, count, names) else builtin
        if function is None:
            if unsupported:
                raise FeelFailure(f"the FEEL function '{name}' is not supported by this worker")
            if not known and type(variable) is not FeelFunction:
                # Camunda yields null here; a typo such as bpmError(...) would then skip the
                # process's error handling without a trace, so the worker fails loudly instead.
                raise FeelFailure(f"no function named '{name}'")
            return None  # Camunda: a known function whose parameters do not fit -> null
        return _apply(function, *arguments(scope))

    return run


def _qualified(base: Evaluator, key: str, count: int | None, names: list[str] | None, arguments: Any) -> Evaluator:
    def run(scope: Scope) -> Any:
        context = base(scope)
        if type(context) is not dict:
            raise FeelFailure(f"expected a context to invoke '{key}' on, but found {type_name(context)}")
        function = context.get(key)
        if not _fits(function, count, names):
            raise FeelFailure(f"no function '{key}' with matching parameters found in the context")
        return _apply(function, *arguments(scope))

    return run


def _apply(function: Any, positional: list[Any] | None, named: dict[str, Any] | None) -> Any:
    if type(function) is not FeelFunction:
        return None
    bound = bind(function, positional, named)
    if bound is None:
        return None
    budget = current_budget()
    budget.spend()
    result = function.invoke(bound)
    # what a built-in builds counts against the budget (a user function's body was counted already)
    kind = type(result)
    if kind is list:
        budget.spend(len(result))
    elif kind is str and len(result) > _SMALL_TEXT and not any(result is arg for arg in bound):
        budget.spend_text(len(result))
    return result
