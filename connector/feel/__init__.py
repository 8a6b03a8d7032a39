"""A FEEL evaluator compatible with Camunda 8's engine, for result and error expressions.

Usage::

    engine = FeelEngine()
    engine.evaluate('if error.code = "NoSuchKey" then bpmnError("NOT_FOUND", error.message) else null',
                    {"error": {"code": "NoSuchKey", "message": "gone"}})
    # -> {"errorType": "bpmnError", "errorCode": "NOT_FOUND", "errorMessage": "gone"}

Inputs and outputs are JSON-like Python values; temporal values and durations leave an
expression as the strings Camunda's connector runtime writes for them (``PT1M``,
``2019-01-01T10:00:00+01:00``). Where Camunda's engine yields null (a missing variable,
``1 + "a"``) the result is ``None``; where it fails, ``evaluate`` raises
``connector.errors.InputError`` with code ``INVALID_EXPRESSION``. The deliberate differences
from Camunda's engine (feel-scala 1.20.2) are listed in ``UNSUPPORTED.md`` next to this file.

Modules: ``grammar`` (lark grammar) -> ``parser`` (syntax tree of ``nodes``) -> ``evaluator*``
(closures over ``operators``, ``values``, ``durations``, ``temporals`` and their ``temporal_*``
parsing, formatting and arithmetic, ``zones``, ``entry_order``) -> ``registry`` of ``builtins_*``
and ``functions_connector`` (regular expressions in ``regex``); ``engine`` ties them together with
the cache, the ``clock`` and the ``budget`` that bounds one evaluation (``FeelLimits``: steps,
text built, time; passing one fails the evaluation naming the limit).
"""

from __future__ import annotations

from connector.feel.engine import CompiledExpression, FeelEngine, FeelLimits

__all__ = ["CompiledExpression", "FeelEngine", "FeelLimits"]
