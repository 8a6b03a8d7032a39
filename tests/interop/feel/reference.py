"""A client for Camunda's FEEL engine running as ``tools/feel-reference`` on the JVM, and the comparison rules.

One JVM serves the whole session: requests are JSON lines on its stdin, answers JSON lines on its
stdout, in order. :func:`outcome_of_ours` evaluates the same request with this worker's engine, and
:func:`same_outcome` decides whether the two agree: both failed, or both gave the same JSON value
(numbers compared as Camunda's runtime writes them: whole numbers as long integers, others as doubles).
"""

from __future__ import annotations

import datetime
import json
import subprocess
import threading
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from connector.errors import InputError
from connector.feel import FeelEngine

NOW = "2024-06-15T12:34:56.789+02:00"
FAILED = "<evaluation failed>"
REPOSITORY = Path(__file__).resolve().parents[3]
_LONG = 2**63


def fixed_clock() -> datetime.datetime:
    """The moment both engines read as ``now()`` in the differential runs."""
    return datetime.datetime.fromisoformat(NOW)


class ReferenceEngine:
    """Camunda's FEEL engine in a JVM subprocess."""

    def __init__(self, jar: str) -> None:
        self._process = subprocess.Popen(
            ["java", "-Xss8m", "-jar", jar],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        self._lock = threading.Lock()

    def ask(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send requests and read one answer per request (a writer thread keeps the pipes flowing)."""
        assert self._process.stdin is not None and self._process.stdout is not None
        lines = [json.dumps(request, ensure_ascii=False) + "\n" for request in requests]
        with self._lock:
            writer = threading.Thread(target=self._write, args=(lines,), daemon=True)
            writer.start()
            answers = [self._read_line() for _ in lines]
            writer.join()
        return answers

    def _write(self, lines: Iterable[str]) -> None:
        assert self._process.stdin is not None
        for line in lines:
            self._process.stdin.write(line)
        self._process.stdin.flush()

    def _read_line(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"the FEEL reference engine stopped (exit code {self._process.poll()})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def evaluate(self, expression: str, context: dict[str, Any] | None = None) -> Any:
        """Camunda's outcome for one expression: the JSON value, or :data:`FAILED`."""
        return outcome_of_reference(self.ask([request(expression, context)])[0])

    def close(self) -> None:
        """Stop the JVM."""
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=30)


def request(expression: str, context: dict[str, Any] | None = None, now: str = NOW) -> dict[str, Any]:
    """The reference request for an expression, with a fixed clock (``ZonedDateTime.parse`` text)."""
    return {"expression": expression, "context": context or {}, "now": now}


def outcome_of_reference(answer: dict[str, Any]) -> Any:
    """The reference's answer as an outcome: the value, or :data:`FAILED`."""
    return answer["value"] if answer["ok"] else FAILED


def outcome_of_ours(engine: FeelEngine, expression: str, context: dict[str, Any] | None = None) -> Any:
    """This worker's outcome for an expression: the JSON value (through a JSON round trip), or :data:`FAILED`."""
    try:
        value = engine.evaluate(expression, context or {})
    except InputError:
        return FAILED
    return json.loads(json.dumps(value))


def _normal(value: Any) -> Any:
    """Numbers as Camunda's runtime writes them (a long, else a double) in one comparable type."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return Decimal(value) if -_LONG <= value < _LONG else Decimal(repr(float(value)))
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, list):
        return [_normal(item) for item in value]
    if isinstance(value, dict):
        return {key: _normal(item) for key, item in value.items()}
    return value


def same_outcome(ours: Any, theirs: Any) -> bool:
    """Whether two outcomes agree (types matter: ``1`` is not ``true``, ``"1"`` is not ``1``)."""
    return _equal(_normal(ours), _normal(theirs))


def _equal(left: Any, right: Any) -> bool:
    if type(left) is not type(right):
        return False
    if isinstance(left, list):
        return len(left) == len(right) and all(_equal(x, y) for x, y in zip(left, right, strict=True))
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(_equal(left[key], right[key]) for key in left)
    return bool(left == right)
