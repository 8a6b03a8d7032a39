"""``resultVariable`` and ``resultExpression``: from a response to the job's output variables.

A ``resultExpression`` starting with ``=`` is FEEL over the response fields (top level and as
``response``); any other value is a JSON object whose values are JSONPath expressions over
the response, e.g. ``{"link": "$.link"}``. Results are merged after ``resultVariable``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jsonpath_ng import JSONPath
from jsonpath_ng.exceptions import JsonPathParserError
from jsonpath_ng.ext.parser import parse as parse_jsonpath

from connector.error_codes import INVALID_RESULT_EXPRESSION, OUTPUT_TOO_LARGE
from connector.runtime.expressions import ExpressionEngine, evaluate_header
from connector.runtime.headers import JobHeaders

__all__ = ["MAX_OUTPUT_BYTES", "map_result"]

# Zeebe rejects oversized variable documents; Camunda guards outputs at 1.5 MiB.
MAX_OUTPUT_BYTES = 1_572_864


@lru_cache(maxsize=512)
def _compiled(path: str) -> JSONPath:
    try:
        return parse_jsonpath(path)
    except (JsonPathParserError, Exception) as exc:
        raise INVALID_RESULT_EXPRESSION.error(f"Header 'resultExpression': invalid JSONPath {path!r}: {exc}") from exc


def _jsonpath_mapping(expression: str, response: Mapping[str, Any]) -> dict[str, Any]:
    try:
        mapping = json.loads(expression)
    except json.JSONDecodeError as exc:
        raise INVALID_RESULT_EXPRESSION.error(
            "Header 'resultExpression' must be a FEEL expression starting with '=' or a JSON object "
            f'of JSONPath expressions, e.g. {{"link": "$.link"}}: {exc.msg}'
        ) from exc
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise INVALID_RESULT_EXPRESSION.error("Header 'resultExpression' must map variable names to JSONPath strings")
    result: dict[str, Any] = {}
    for name, path in mapping.items():
        matches = [match.value for match in _compiled(path).find(dict(response))]
        result[name] = None if not matches else matches[0] if len(matches) == 1 else matches
    return result


def _feel_mapping(expression: str, response: Mapping[str, Any], feel: ExpressionEngine) -> dict[str, Any]:
    value = evaluate_header(feel, "resultExpression", expression[1:], {**response, "response": dict(response)})
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise INVALID_RESULT_EXPRESSION.error(
            f"Header 'resultExpression' must return a context, but got {type(value).__name__}"
        )
    return dict(value)


def map_result(response: Mapping[str, Any], headers: JobHeaders, feel: ExpressionEngine) -> dict[str, Any]:
    """Build the output variables. Without ``resultVariable``/``resultExpression`` there are none.

    Raises:
        InputError: invalid expression, a FEEL result that is not a context, or outputs over
            ``MAX_OUTPUT_BYTES`` when serialised.
    """
    output: dict[str, Any] = {}
    if headers.result_variable:
        output[headers.result_variable] = dict(response)
    expression = headers.result_expression
    if expression:
        if expression.startswith("="):
            output.update(_feel_mapping(expression, response, feel))
        else:
            output.update(_jsonpath_mapping(expression, response))
    size = len(json.dumps(output, ensure_ascii=False).encode("utf-8")) if output else 0
    if size > MAX_OUTPUT_BYTES:
        raise OUTPUT_TOO_LARGE.error(
            f"The output variables are {size} bytes, over the limit of {MAX_OUTPUT_BYTES} bytes; "
            "map fewer fields with resultExpression or download as a document"
        )
    return output
