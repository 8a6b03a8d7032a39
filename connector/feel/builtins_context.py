"""Context and boolean built-ins as Camunda defines them (``get value``, ``context put``, ``is defined``...).

``assert`` is the one built-in here that fails the evaluation (by design); the others yield null
for arguments of the wrong type.
"""

from __future__ import annotations

from typing import Any

from connector.feel.entry_order import hashed
from connector.feel.errors import FeelFailure
from connector.feel.registry import builtin

__all__: list[str] = []


def _keys(keys: Any) -> list[str] | None:
    """A key path: a non-empty list of strings."""
    if type(keys) is not list or not keys or any(type(key) is not str for key in keys):
        return None
    return keys


@builtin("get value", "context", "key")
def _get_value(context: Any, key: Any) -> Any:
    if type(context) is not dict:
        return None
    if type(key) is str:
        return context.get(key)
    path = _keys(key)
    value: Any = context
    for step in path or ():
        value = value.get(step) if type(value) is dict else None
    return value if path else None


@builtin("get entries", "m")
@builtin("get entries", "context")
def _get_entries(context: Any) -> Any:
    if type(context) is not dict:
        return None
    return [{"key": key, "value": value} for key, value in context.items()]


def _put_path(context: dict[str, Any], keys: list[str], value: Any) -> dict[str, Any]:
    head, rest = keys[0], keys[1:]
    if rest:
        inner = context.get(head)
        value = _put_path(inner if type(inner) is dict else {}, rest, value)
    return hashed({**context, head: value})


@builtin("put", "context", "key", "value")
@builtin("context put", "context", "key", "value")
def _context_put(context: Any, key: Any, value: Any) -> Any:
    if type(context) is not dict:
        return None
    if type(key) is str:
        return hashed({**context, key: value})
    path = _keys(key)
    return None if path is None else _put_path(context, path, value)


@builtin("put all", "contexts", varargs=True)
@builtin("context merge", "contexts", varargs=True)
def _context_merge(contexts: Any) -> Any:
    if type(contexts) is not list or any(type(context) is not dict for context in contexts):
        return None
    merged: dict[str, Any] = {}
    for context in contexts:
        merged.update(context)
    return hashed(merged)


@builtin("context", "entries")
def _context(entries: Any) -> Any:
    if type(entries) is not list:
        return None
    result: dict[str, Any] = {}
    for entry in entries:
        if type(entry) is not dict or type(entry.get("key")) is not str or "value" not in entry:
            return None
        result[entry["key"]] = entry["value"]
    return hashed(result)


@builtin("not", "negand")
def _not(value: Any) -> Any:
    return (not value) if type(value) is bool else None


@builtin("is defined", "value")
def _is_defined(value: Any) -> Any:
    # Camunda 8.x: a missing variable and a null value are both "not defined"
    return value is not None


@builtin("get or else", "value", "default")
def _get_or_else(value: Any, default: Any) -> Any:
    return default if value is None else value


@builtin("assert", "value", "condition")
def _assert(value: Any, condition: Any) -> Any:
    if condition is not True:
        raise FeelFailure("assertion failed: the condition is not true")
    return value


@builtin("assert", "value", "condition", "cause")
def _assert_cause(value: Any, condition: Any, cause: Any) -> Any:
    if condition is not True:
        raise FeelFailure(cause if type(cause) is str else "assertion failed: the condition is not true")
    return value
