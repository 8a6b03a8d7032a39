"""A FEEL evaluator compatible with Camunda 8's engine, for result and error expressions.

Usage::

    engine = FeelEngine()
    engine.evaluate('if error.code = "NoSuchKey" then bpmnError("NOT_FOUND", error.message) else null',
                    {"error": {"code": "NoSuchKey", "message": "gone"}})
    # -> {"errorType": "bpmnError", "errorCode": "NOT_FOUND", "errorMessage": "gone"}

Inputs and outputs are JSON-like Python values. Where Camunda's engine yields null (a missing
variable, ``1 + "a"``, an unknown function) the result is ``None``; where it fails, ``evaluate``
raises ``connector.errors.InputError`` with code ``INVALID_EXPRESSION``. What is deliberately not
supported is listed in ``UNSUPPORTED.md`` next to this file.

Modules: ``grammar`` (lark grammar) -> ``parser`` (syntax tree of ``nodes``) -> ``evaluator*``
(closures over ``operators``, ``values``, ``durations``) -> ``registry`` of ``builtins_*`` and
``functions_connector``; ``engine`` ties them together with the cache.
"""

from __future__ import annotations

from connector.feel.engine import CompiledExpression, FeelEngine

__all__ = ["CompiledExpression", "FeelEngine"]
