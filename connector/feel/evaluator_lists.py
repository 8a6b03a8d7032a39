"""Compilers for filters, ``for``, ``some``/``every`` and ``in`` with its unary tests.

The rules follow Camunda's interpreter: a filter that is a number literal (or evaluates to a
number) picks an item by 1-based index, negative from the end; otherwise each item is tested
with ``item`` (and, for contexts, its entries) in scope. Iterating over something that is not
a list yields null.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from connector.feel import nodes as n
from connector.feel.budget import current_budget
from connector.feel.compiler import Evaluator, Scope, compile_node, compiles
from connector.feel.operators import ORDERED_TYPES, equals, order, same
from connector.feel.values import DECIMAL, clamped_int

__all__: list[str] = []

Test = Callable[[Scope, Any], "bool | None"]


def _number_literal(node: n.Node) -> Decimal | None:
    if isinstance(node, n.Literal) and type(node.value) is Decimal:
        return node.value
    if isinstance(node, n.Negate) and isinstance(node.operand, n.Literal) and type(node.operand.value) is Decimal:
        return node.operand.value.copy_negate()
    return None


def _at(items: Any, index: Decimal) -> Any:
    if type(items) is not list:
        return None
    position = DECIMAL.subtract(index, 1) if index > 0 else DECIMAL.add(Decimal(len(items)), index)
    if position < 0 or position >= len(items):
        return None
    return items[int(position)]


def _item_scope(item: Any, scope: Scope) -> Scope:
    if type(item) is dict:
        variables = {"item": item}
        variables.update(item)  # a context item's own entries win, even one named `item`
        return Scope(variables, scope)
    return Scope({"item": item}, scope)


@compiles(n.Filter)
def _filter(node: n.Filter) -> Evaluator:
    base, index = compile_node(node.base), _number_literal(node.condition)
    if index is not None:
        return lambda scope: _at(base(scope), index)
    condition = compile_node(node.condition)
    # Camunda tests comparisons and invocations per item; anything else it first evaluates once
    # outside the items, and uses a number result as an index (`xs[i]`).
    per_item = isinstance(node.condition, n.Call) or (
        isinstance(node.condition, n.Compare) and node.condition.operator != "!="
    )

    def run(scope: Scope) -> Any:
        items = base(scope)
        if type(items) is not list:
            return None
        if not per_item:
            value = condition(scope)
            if type(value) is Decimal:
                return _at(items, value)
        return _select(items, condition, scope)

    return run


def _select(items: list[Any], condition: Evaluator, scope: Scope) -> Any:
    if not items:
        return []
    head = condition(_item_scope(items[0], scope))
    if type(head) is Decimal:  # the condition yields an index, e.g. `xs[count(xs)]`
        return _at(items, head)
    budget = current_budget()
    budget.spend(len(items))  # one step per item tested
    selected = [items[0]] if head is True else []
    selected.extend(item for item in items[1:] if condition(_item_scope(item, scope)) is True)
    return selected


def _iteration_source(iterator: n.Iterator) -> Evaluator:
    start = compile_node(iterator.source)
    if iterator.range_end is None:
        return start
    end = compile_node(iterator.range_end)
    return lambda scope: _range(start(scope), end(scope))


def _range(start: Any, end: Any) -> list[Decimal] | None:
    if type(start) is not Decimal or type(end) is not Decimal:
        return None
    count = clamped_int(abs(DECIMAL.subtract(end, start))) + 1
    # `for x in 1..n` materializes the range: spent before building it, the steps bound its memory
    current_budget().spend(count)
    step = 1 if start < end else -1
    return [DECIMAL.add(start, step * offset) for offset in range(count)]


def _bindings(iterators: tuple[n.Iterator, ...]) -> Callable[[Scope], list[dict[str, Any]] | None]:
    """All combinations of the iteration variables; the first iterator varies slowest."""
    sources, names = [_iteration_source(it) for it in iterators], [it.name for it in iterators]

    def run(scope: Scope) -> list[dict[str, Any]] | None:
        lists = [source(scope) for source in sources]  # all evaluated in the outer scope
        if any(type(values) is not list for values in lists):
            return None
        combinations = 1
        for values in lists:
            combinations *= len(values)
        current_budget().spend(combinations)  # one step per iteration, spent before building them
        if len(lists) == 1:
            name = names[0]
            return [{name: value} for value in lists[0]]
        return [dict(zip(names, combination, strict=True)) for combination in itertools.product(*lists)]

    return run


@compiles(n.For)
def _for(node: n.For) -> Evaluator:
    bindings, body = _bindings(node.iterators), compile_node(node.body)
    uses_partial = any(isinstance(sub, n.Name) and sub.name == "partial" for sub in n.walk(node.body))

    def run(scope: Scope) -> list[Any] | None:
        combinations = bindings(scope)
        if combinations is None:
            return None
        results: list[Any] = []
        budget = current_budget()
        for variables in combinations:
            if uses_partial:  # the results so far, as a fresh list the body may keep
                budget.spend(len(results))
                variables["partial"] = list(results)
            results.append(body(Scope(variables, scope)))
        return results

    return run


@compiles(n.Quantified)
def _quantified(node: n.Quantified) -> Evaluator:
    bindings, condition, every = _bindings(node.iterators), compile_node(node.condition), node.every

    def run(scope: Scope) -> bool | None:
        combinations = bindings(scope)
        if combinations is None:
            return None
        values = (condition(Scope(variables, scope)) for variables in combinations)
        return _all(values) if every else _any(values)

    return run


def _any(values: Any) -> bool | None:
    """Three-valued `or` over lazily evaluated values: stops at the first true."""
    state: bool | None = False
    for value in values:
        if value is True:
            return True
        if state is False:
            state = value if type(value) is bool else None
    return state


def _all(values: Any) -> bool | None:
    """Three-valued `and` over lazily evaluated values: stops at the first false."""
    state: bool | None = True
    for value in values:
        if value is False:
            return False
        if state is True:
            state = value if type(value) is bool else None
    return state


@compiles(n.In)
def _in(node: n.In) -> Evaluator:
    value, test = compile_node(node.value), _compile_test(node.test)
    return lambda scope: test(scope, value(scope))


def _compile_test(node: n.Node) -> Test:
    if isinstance(node, n.TestList):
        tests = [_compile_test(test) for test in node.tests]
        return lambda scope, value: _any(test(scope, value) for test in tests)
    if isinstance(node, n.TestCompare):
        bound, symbol = compile_node(node.value), node.operator
        return lambda scope, value: order(symbol, value, bound(scope))
    if isinstance(node, n.TestInterval):
        return _interval(node)
    assert isinstance(node, n.TestExpression)
    if isinstance(node.expression, n.Literal) and type(node.expression.value) is bool:
        # a boolean literal is compared with the input, not taken as "the test holds"
        literal = node.expression.value
        return lambda scope, value: equals(value, literal)
    expression = compile_node(node.expression)
    return lambda scope, value: _test_expression(value, expression(scope))


def _test_expression(value: Any, result: Any) -> bool | None:
    if result is True:
        return True
    if type(result) is list and any(same(value, item) for item in result):
        return True
    equal = equals(value, result)
    if equal is True:
        return True
    if result is False or type(result) is list:
        return False
    return None if equal is None else False


def _interval(node: n.TestInterval) -> Test:
    start, end = compile_node(node.start), compile_node(node.end)
    low, high = (">=" if node.start_closed else ">"), ("<=" if node.end_closed else "<")

    def run(scope: Scope, value: Any) -> bool | None:
        lower, upper = start(scope), end(scope)
        kind = type(value)
        if kind not in ORDERED_TYPES or type(lower) is not kind or type(upper) is not kind:
            return None
        return order(low, value, lower) is True and order(high, value, upper) is True

    return run
