"""The public entry point: :class:`FeelEngine` parses, caches and evaluates FEEL expressions.

Evaluation takes JSON-like Python values in and gives JSON-like Python values out (numbers as
``int``/``float``, durations as ISO-8601 strings). A parsed and compiled expression is cached
(LRU), so repeated evaluations of the same header cost only the evaluation itself.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from connector.errors import InputError
from connector.feel import nodes as n
from connector.feel.budget import FeelLimits, start_budget, stop_budget
from connector.feel.clock import Clock, reset_clock, use_clock
from connector.feel.compiler import Evaluator, Scope
from connector.feel.errors import ERROR_CODE, FeelFailure, evaluation_error, quote
from connector.feel.evaluator import compile_expression
from connector.feel.parser import parse
from connector.feel.values import from_python, to_python

__all__ = ["CompiledExpression", "FeelEngine", "FeelLimits"]

_DEFAULT_LIMITS = FeelLimits()


@dataclass(frozen=True, slots=True)
class CompiledExpression:
    """A parsed FEEL expression, compiled and ready to evaluate any number of times, from any thread."""

    source: str
    tree: n.Node
    names: frozenset[str]  # the variables it may read; only these are converted from the input
    evaluator: Evaluator

    def evaluate(self, context: Mapping[str, Any], limits: FeelLimits = _DEFAULT_LIMITS) -> Any:
        """Evaluate over ``context`` (JSON-like values) and return a JSON-like value.

        Raises:
            InputError: ``INVALID_EXPRESSION`` if the evaluation fails where Camunda's engine fails
                (a connector function's bad argument, ``assert``, an unsupported built-in), or
                passes one of ``limits`` (the message names the limit).
        """
        variables = {name: from_python(context[name]) for name in self.names if name in context}
        token = start_budget(limits)
        try:
            return to_python(self.evaluator(Scope(variables)))
        except FeelFailure as failure:
            raise evaluation_error(self.source, failure) from None
        except RecursionError:
            raise InputError(f"FEEL expression {quote(self.source)} nests too deeply", code=ERROR_CODE) from None
        except Exception as exc:  # a bug in the evaluator must not take the worker down
            raise InputError(
                f"Failed to evaluate FEEL expression {quote(self.source)}: {type(exc).__name__}: {exc}",
                code=ERROR_CODE,
            ) from exc
        finally:
            stop_budget(token)


class FeelEngine:
    """Evaluates FEEL expressions the way Camunda's connector runtime does.

    Thread-safe: the only shared state is the LRU cache of compiled expressions, guarded by a lock.

    Args:
        cache_size: how many distinct compiled expressions to keep.
        clock: what ``now()`` and ``today()`` read (an aware ``datetime``; its offset is the one
            ``now()`` has); the system clock in UTC when not given.
        limits: what one evaluation may spend (steps, text, time; see :mod:`connector.feel.budget`).
    """

    def __init__(
        self, *, cache_size: int = 1024, clock: Clock | None = None, limits: FeelLimits = _DEFAULT_LIMITS
    ) -> None:
        self.limits = limits
        self._cache: OrderedDict[str, CompiledExpression] = OrderedDict()
        self._cache_size = max(cache_size, 1)
        self._lock = threading.Lock()
        self._clock = clock

    def evaluate(self, expression: str, context: Mapping[str, Any]) -> Any:
        """Evaluate ``expression`` (a leading ``=`` is ignored) over ``context``.

        Returns the result as a JSON-like Python value; null is ``None``.

        Raises:
            InputError: ``INVALID_EXPRESSION`` for an expression that does not parse (the message
                points at line and column, with a caret) or whose evaluation fails.
        """
        compiled = self.compile(expression)
        if self._clock is None:
            return compiled.evaluate(context, self.limits)
        token = use_clock(self._clock)
        try:
            return compiled.evaluate(context, self.limits)
        finally:
            reset_clock(token)

    def compile(self, expression: str) -> CompiledExpression:
        """The compiled form of ``expression``, from the cache when it was compiled before.

        Raises:
            InputError: ``INVALID_EXPRESSION`` if the expression does not parse.
        """
        source = _strip(expression)
        with self._lock:
            cached = self._cache.get(source)
            if cached is not None:
                self._cache.move_to_end(source)
                return cached
        compiled = _compile(source)  # outside the lock: other threads keep evaluating
        with self._lock:
            cached = self._cache.setdefault(source, compiled)  # another thread may have been first
            self._cache.move_to_end(source)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return cached


def _strip(expression: str) -> str:
    # like Camunda's LocalFeelExpressionEvaluator: trim, drop one leading '=', trim again
    text = expression.strip()
    return text[1:].strip() if text.startswith("=") else text


def _compile(source: str) -> CompiledExpression:
    try:
        tree = parse(source)
        evaluator = compile_expression(tree)
    except RecursionError:
        raise InputError(f"FEEL expression {quote(source)} nests too deeply", code=ERROR_CODE) from None
    names = frozenset(node.name for node in n.walk(tree) if isinstance(node, n.Name))
    return CompiledExpression(source, tree, names, evaluator)
