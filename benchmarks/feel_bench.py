"""Per-evaluation cost of typical result and error expressions, after the parse cache is warm.

Run: ``.venv/bin/python benchmarks/feel_bench.py [--number N]``. Prints a markdown table
(expression, microseconds per evaluation, best of several repeats) and the machine it ran on.
The first evaluation of each expression (parse + compile, with the grammar already built) is
reported separately.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import timeit
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector.feel import FeelEngine

RESPONSE = {
    "bucket": "invoices",
    "key": "2024/06/invoice-0042.pdf",
    "link": "https://invoices.s3.eu-central-1.amazonaws.com/2024/06/invoice-0042.pdf",
    "versionId": None,
    "eTag": '"9b2cf535f27731c974343645a3985328"',
    "size": 48213,
    "contentType": "application/pdf",
}
RESULT_CONTEXT: dict[str, Any] = {**RESPONSE, "response": RESPONSE}
FAILURE = {"code": "NoSuchKey", "message": "The specified key does not exist.", "type": "S3Exception", "variables": {}}
ERROR_CONTEXT: dict[str, Any] = {"error": FAILURE, "response": {"error": FAILURE}, "job": {"retries": 3}}
SUCCESS_CONTEXT: dict[str, Any] = {**RESULT_CONTEXT, "job": {"retries": 3}}
DOWNLOAD = {"element": {"content": "hello"}, "items": [{"name": f"file-{i}.txt"} for i in range(5)]}
HEAD = {**RESPONSE, "lastModified": "2024-06-14T08:15:00Z"}
HEAD_CONTEXT: dict[str, Any] = {**HEAD, "response": HEAD}

CASES: list[tuple[str, dict[str, Any]]] = [
    ("{link: link, size: size}", RESULT_CONTEXT),
    ("{s3Key: response.key}", RESULT_CONTEXT),
    ("{content: element.content, names: for i in items return i.name}", DOWNLOAD),
    ('if error.code = "NoSuchKey" then bpmnError("NOT_FOUND", error.message) else null', ERROR_CONTEXT),
    (
        'if error != null then jobError("S3 failed: " + error.message, {}, job.retries - 1, duration("PT1M"))'
        " else null",
        ERROR_CONTEXT,
    ),
    ('if response.size > 1000 then bpmnError("TOO_BIG", "size " + string(response.size)) else null', SUCCESS_CONTEXT),
    # temporal values and ranges, as Camunda's documentation writes them
    ('jobError("S3 failed: " + error.message, {}, job.retries - 1, @"PT1M")', ERROR_CONTEXT),
    ("{uploadedAt: now(), key: key}", RESULT_CONTEXT),
    ('{stale: date and time(response.lastModified) < now() - @"P1D"}', HEAD_CONTEXT),
    ('{category: if size in [1..1000] then "small" else "large"}', RESULT_CONTEXT),
    # a regular expression (on `regex`, with the evaluation's remaining time as its timeout)
    ('{isPdf: matches(key, "\\.pdf$"), name: replace(key, "^.*/", "")}', RESULT_CONTEXT),
]

# A listing's worth of work: what the evaluation budget (steps, text, time) meters, at its defaults
LISTING = {"contents": [{"key": f"reports/{i:04}.csv", "size": i * 100} for i in range(1000)]}
LARGE_CASES: list[tuple[str, dict[str, Any]]] = [
    ("{keys: for o in contents[size > 50000] return o.key, total: sum(contents.size)}", LISTING),
    ('{csv: count(contents[matches(key, "\\.csv$")]), names: string join(contents.key, ",")}', LISTING),
]
LARGE_NUMBER = 200


def _per_call_us(engine: FeelEngine, expression: str, context: dict[str, Any], number: int, repeat: int) -> float:
    runs = timeit.repeat(lambda: engine.evaluate(expression, context), number=number, repeat=repeat)
    return min(runs) / number * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=20_000, help="evaluations per timing run")
    parser.add_argument("--repeat", type=int, default=5, help="timing runs per expression (best is shown)")
    arguments = parser.parse_args()

    FeelEngine().compile("1")  # build the shared LALR parser once, outside the measurements
    engine = FeelEngine()
    print("| expression | µs per evaluation (cached) | first evaluation (parse + compile), µs |")
    print("|---|---:|---:|")
    for expression, context in CASES:
        started = time.perf_counter()
        engine.evaluate(expression, context)
        first_us = (time.perf_counter() - started) * 1e6
        per_call_us = _per_call_us(engine, expression, context, arguments.number, arguments.repeat)
        shown = expression.replace("|", "\\|")
        print(f"| `{shown}` | {per_call_us:.1f} | {first_us:.0f} |")
    print()
    print(f"Over a listing of 1,000 objects (best of {arguments.repeat} x {LARGE_NUMBER}):")
    print()
    print("| expression | µs per evaluation (cached) |")
    print("|---|---:|")
    for expression, context in LARGE_CASES:
        per_call_us = _per_call_us(engine, expression, context, LARGE_NUMBER, arguments.repeat)
        print(f"| `{expression}` | {per_call_us:.0f} |")
    print()
    print(f"Machine: {platform.platform()}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs")
    print(f"Python {platform.python_version()} ({platform.python_implementation()})")


if __name__ == "__main__":
    main()
