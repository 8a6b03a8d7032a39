"""Hostile jobs, generated from a seed: what a careless or malicious process model can send.

Each job is ``(task type, raw variables JSON, headers)``; the raw JSON form lets a job hold what
Python's encoder would never produce (nesting thousands of levels deep, lone surrogates).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from typing import Any

TASK_TYPES = ("io.camunda:aws-s3:1", "s3-connector:upload:1", "s3-connector:download:1", "s3-connector:delete:1")
HostileJob = tuple[str, str, dict[str, str]]


def _deep(rng: random.Random) -> Any:
    levels = rng.choice([150, 1_000, 5_000, 50_000])
    opener, closer = rng.choice([('{"a": ', "}"), ("[", "]")])
    return _Raw(opener * levels + "1" + closer * levels)


class _Raw:
    """A JSON fragment inserted as it is (the encoder could not produce it)."""

    def __init__(self, text: str) -> None:
        self.text = text


def _huge(rng: random.Random) -> Any:
    # Up to ~1.4 MB of text (twice that once JSON-escaped): within Zeebe's 4 MiB message limit.
    unit = rng.choice(["x", "ü", "{{secrets.", "\\"])
    return unit * (rng.choice([100_000, 1_000_000, 1_400_000]) // len(unit))


def _odd_text(rng: random.Random) -> Any:
    return rng.choice(
        [
            _Raw('"\\ud800 lone surrogate"'),
            _Raw('"\\udfff\\ud800"'),
            "\x00nul\x00",
            "../../etc/passwd",
            "s3://other-bucket/key",
            "=" * 50,
            "${jndi:ldap://127.0.0.1/x}",
            "'; DROP TABLE jobs; --",
            "🚀" * 500,
            "\r\nInjected-Header: yes",
        ]
    )


def _odd_keys(rng: random.Random) -> Any:
    return {rng.choice(["", "__proto__", "constructor", "..", "a.b", "\u202e", "k" * 5000]): "v" for _ in range(3)}


def _reference(rng: random.Random) -> Any:
    return rng.choice(
        [
            {"camunda.document.type": "camunda"},
            {"camunda.document.type": "camunda", "documentId": 7, "metadata": "x"},
            {"camunda.document.type": "inline", "content": None},
            {"camunda.document.type": "external", "url": "file:///etc/passwd"},
            {"camunda.document.type": "external", "url": "http://169.254.169.254/latest/meta-data/"},
            {"camunda.document.type": "external", "url": "http://127.0.0.1:1/x"},
            {"camunda.document.type": ["inline"]},
            [{"camunda.document.type": "inline", "content": "a"}] * 3,
            {"camunda.document.type": "inline", "content": "x", "contentType": "\r\nX: y"},
        ]
    )


def _secret_placeholder(rng: random.Random) -> Any:
    return rng.choice(
        [
            "{{secrets.S3_SECRET_KEY}}",
            "{{secrets.AWS_SECRET_ACCESS_KEY}}",
            "{{secrets.../../etc/passwd}}",
            "{{ secrets.S3_SECRET_KEY }}/{{secrets.S3_SECRET_KEY}}",
            "{{secrets.}}",
            "{{secrets.MISSING_ONE}}",
            "{{secrets.S3_SECRET_KEY",
        ]
    )


_VALUES: list[Callable[[random.Random], Any]] = [_deep, _huge, _odd_text, _odd_keys, _reference, _secret_placeholder]
_EXPRESSIONS = [
    "=" + "(" * 5_000 + "1" + ")" * 5_000,
    "=" + "[" * 3_000,
    "={a: " * 2_000,
    '=string join(for i in 1..100000 return "x", "")',
    "=bpmnError(error.message, error.message)",
    '=jobError("x", {}, -5, duration("PT-1S"))',
    '=jobError("x", {}, 99999999999999999999, @"P999999999D")',
    '{"a": "$..*..*..*"}',
    '{"a": "$[?(@.x =~ /(a+)+$/)]"}',
    '{"a": 1}',
    "=ignoreError({secret: error.message})",
]
# FEEL that loops, builds or backtracks without bound: each must end in a named limit
HOSTILE_FEEL = [
    '=matches("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "(a+)+$")',
    '=matches("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "(a|aa)+$")',
    "=for i in 1..100000000 return i",
    '=string join(for i in 1..10000000 return "xxxxxxxxxx")',
    "=count(for i in 1..3000, j in 1..3000 return 1)",
    "=for i in 1..40 return partial",
    "=for i in 1..100000 return [partial[-1]]",
    "={f: function(n) if n = 0 then 0 else f(n - 1) + f(n - 1)}.f(40)",
    "={f: function(n) if n = 0 then 0 else 1 + f(n - 1)}.f(100000)",
    "=count(distinct values(for i in 1..100000 return i))",
    "={" + ", ".join(["v0: [1, 1]", *(f"v{i}: [v{i - 1}, v{i - 1}]" for i in range(1, 40))]) + "}.v39",
    "={" + ", ".join(['v0: "xxxxxxxxxx"', *(f"v{i}: v{i - 1} + v{i - 1}" for i in range(1, 30))]) + "}.v29",
    '=replace("' + "a" * 100 + '", "a", string join(for i in 1..200000 return "x"))',
    '=matches("a", "(?:a{60000}){60000}")',
]
_EXPRESSIONS += HOSTILE_FEEL
_HEADERS = ["resultExpression", "errorExpression", "resultVariable", "retryBackoff", "jobTimeout"]


def _encode(value: Any) -> str:
    if isinstance(value, _Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {_encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_encode(v) for v in value) + "]"
    return json.dumps(value)


def _variables(rng: random.Random, bucket: str, endpoint: str) -> dict[str, Any]:
    hostile = rng.choice(_VALUES)(rng)
    action: dict[str, Any] = {"bucket": bucket, "key": "hostile/k.txt", "document": "payload"}
    action[rng.choice(["key", "document", "metadata", "tags", "bucket", "versionId", "range", "x"])] = hostile
    variables: dict[str, Any] = {
        "authentication": {"accessKey": "AKIAHOSTILE", "secretKey": "{{secrets.S3_SECRET_KEY}}"},
        "configuration": {"region": "us-east-1", "endpoint": endpoint},
        "action": action,
        "actionDiscriminator": rng.choice(["uploadObject", "downloadObject", "deleteObject", "listObjects", None]),
    }
    if rng.random() < 0.3:
        variables[rng.choice(["authentication", "configuration", "awsCredential", "documentReturnFormat"])] = (
            rng.choice(_VALUES)(rng)
        )
    return variables


def hostile_jobs(count: int, *, seed: int, bucket: str, endpoint: str) -> Iterator[HostileJob]:
    """``count`` hostile jobs, the same ones for the same seed."""
    rng = random.Random(seed)
    for _ in range(count):
        headers: dict[str, str] = {"resultVariable": "r"}
        if rng.random() < 0.5:
            headers[rng.choice(_HEADERS)] = rng.choice([*_EXPRESSIONS, _huge(rng)])
        yield rng.choice(TASK_TYPES), _encode(_variables(rng, bucket, endpoint)), headers
