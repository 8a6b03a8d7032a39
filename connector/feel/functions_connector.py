"""The FEEL functions of Camunda's connector runtime: ``bpmnError``, ``jobError``, ``ignoreError``, ``backoff``.

They build the contexts an ``errorExpression`` returns, with exactly the keys Camunda's
``BpmnErrorFunction``/``JobErrorFunction``/``IgnoreErrorFunction`` put in:

- ``bpmnError(code)`` -> ``{errorType, errorCode}``; with a message adds ``errorMessage``; with
  variables adds ``variables``. Absent optional arguments leave their keys out.
- ``jobError(message[, variables[, retries[, retryBackoff]]])`` -> always all five keys, with
  the defaults ``{}``, ``0`` and ``PT0S``.
- ``ignoreError()`` -> ``{errorType}``; ``ignoreError(variables)`` adds ``variables``.

An argument of the wrong type (null included) fails the evaluation with Camunda's message, e.g.
"Parameter 'errorCode' of function 'bpmnError' must be a String".
"""

from __future__ import annotations

import math
import random
from decimal import Decimal
from typing import Any

from connector.feel.errors import FeelFailure
from connector.feel.registry import builtin
from connector.feel.values import DayTimeDuration, clamped_int

__all__: list[str] = []

_KINDS = {str: "a String", dict: "a Context", Decimal: "a Number"}
_NO_BACKOFF = DayTimeDuration(0)
_MILLI = 1_000_000


def _check(value: Any, kind: type, function: str, parameter: str) -> Any:
    if type(value) is not kind:
        wanted = 'a day-time duration (e.g. duration("PT1S"))' if kind is DayTimeDuration else _KINDS[kind]
        raise FeelFailure(f"Parameter '{parameter}' of function '{function}' must be {wanted}")
    return value


@builtin("bpmnError", "errorCode")
def _bpmn_error(code: Any) -> Any:
    return {"errorType": "bpmnError", "errorCode": _check(code, str, "bpmnError", "errorCode")}


@builtin("bpmnError", "errorCode", "errorMessage")
def _bpmn_error_message(code: Any, message: Any) -> Any:
    return {
        "errorType": "bpmnError",
        "errorCode": _check(code, str, "bpmnError", "errorCode"),
        "errorMessage": _check(message, str, "bpmnError", "errorMessage"),
    }


@builtin("bpmnError", "errorCode", "errorMessage", "variables")
def _bpmn_error_variables(code: Any, message: Any, variables: Any) -> Any:
    return {
        "errorType": "bpmnError",
        "errorCode": _check(code, str, "bpmnError", "errorCode"),
        "errorMessage": _check(message, str, "bpmnError", "errorMessage"),
        "variables": _check(variables, dict, "bpmnError", "variables"),
    }


def _job_error(message: Any, variables: Any, retries: Any, backoff: Any) -> dict[str, Any]:
    return {
        "errorType": "jobError",
        "errorMessage": _check(message, str, "jobError", "errorMessage"),
        "variables": _check(variables, dict, "jobError", "variables"),
        "retries": _check(retries, Decimal, "jobError", "retries"),
        "retryBackoff": _check(backoff, DayTimeDuration, "jobError", "retryBackoff"),
    }


@builtin("jobError", "errorMessage")
def _job_error_1(message: Any) -> Any:
    return _job_error(message, {}, Decimal(0), _NO_BACKOFF)


@builtin("jobError", "errorMessage", "variables")
def _job_error_2(message: Any, variables: Any) -> Any:
    return _job_error(message, variables, Decimal(0), _NO_BACKOFF)


@builtin("jobError", "errorMessage", "variables", "retries")
def _job_error_3(message: Any, variables: Any, retries: Any) -> Any:
    return _job_error(message, variables, retries, _NO_BACKOFF)


@builtin("jobError", "errorMessage", "variables", "retries", "retryBackoff")
def _job_error_4(message: Any, variables: Any, retries: Any, backoff: Any) -> Any:
    return _job_error(message, variables, retries, backoff)


@builtin("ignoreError")
def _ignore_error() -> Any:
    return {"errorType": "ignoreError"}


@builtin("ignoreError", "variables")
def _ignore_error_variables(variables: Any) -> Any:
    return {"errorType": "ignoreError", "variables": _check(variables, dict, "ignoreError", "variables")}


_DEFAULT_MIN = DayTimeDuration(50 * _MILLI)
_DEFAULT_MAX = DayTimeDuration(5_000 * _MILLI)
_DEFAULT_FACTOR = Decimal("1.6")
_DEFAULT_JITTER = Decimal("0.1")


@builtin("backoff", "attempt")
def _backoff_1(attempt: Any) -> Any:
    return _backoff(attempt, _DEFAULT_MIN, _DEFAULT_FACTOR, _DEFAULT_MAX, _DEFAULT_JITTER)


@builtin("backoff", "attempt", "minDelay", "factor")
def _backoff_3(attempt: Any, minimum: Any, factor: Any) -> Any:
    return _backoff(attempt, minimum, factor, _DEFAULT_MAX, _DEFAULT_JITTER)


@builtin("backoff", "attempt", "minDelay", "factor", "maxDelay")
def _backoff_4(attempt: Any, minimum: Any, factor: Any, maximum: Any) -> Any:
    return _backoff(attempt, minimum, factor, maximum, _DEFAULT_JITTER)


@builtin("backoff", "attempt", "minDelay", "factor", "maxDelay", "jitterFactor")
def _backoff(attempt: Any, minimum: Any, factor: Any, maximum: Any, jitter: Any) -> Any:
    """``minDelay * factor^(attempt-1)``, clamped to [minDelay, maxDelay], +/- jitter; whole milliseconds."""
    tries = clamped_int(_check(attempt, Decimal, "backoff", "attempt"))
    low_ms = _check(minimum, DayTimeDuration, "backoff", "minDelay").millis
    growth = float(_check(factor, Decimal, "backoff", "factor"))
    high_ms = _check(maximum, DayTimeDuration, "backoff", "maxDelay").millis
    spread = float(_check(jitter, Decimal, "backoff", "jitterFactor"))
    if tries < 1:
        raise FeelFailure(f"backoff(): 'attempt' must be >= 1, but was {tries}")
    if growth <= 0:
        raise FeelFailure(f"backoff(): 'factor' must be > 0, but was {growth}")
    if low_ms > high_ms:
        raise FeelFailure(f"backoff(): 'minDelay' must be <= 'maxDelay', but {low_ms}ms > {high_ms}ms")
    if spread < 0:
        raise FeelFailure(f"backoff(): 'jitterFactor' must be >= 0, but was {spread}")
    try:
        raw = low_ms * growth ** (tries - 1)
    except OverflowError:
        raw = float("inf")
    delay = max(float(low_ms), min(float(high_ms), raw))
    offset = random.uniform(-spread * delay, spread * delay) if spread > 0 else 0.0
    return DayTimeDuration(math.floor(delay + offset + 0.5) * _MILLI)  # Java's Math.round
