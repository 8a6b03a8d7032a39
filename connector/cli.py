"""``s3-connector``: ``worker`` runs the job worker, ``invoke`` runs one job locally,
``check`` verifies bucket permissions (and reports the incomplete-upload lifecycle rule),
``uploads`` lists and aborts stale incomplete multipart uploads, ``feel`` evaluates FEEL
expressions.

Exit codes: 0 success (``invoke``: the job completed; ``check``: every permission works),
1 the job failed or threw a BPMN error (``invoke``), a permission is missing (``check``) or an
S3 request failed (``uploads``), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from connector import __version__
from connector.errors import ConfigurationError, UsageError
from connector.settings import WorkerSettings

__all__ = ["main"]


def _json_argument(value: str, what: str) -> dict[str, Any]:
    """A JSON object given inline, as ``@file``, as a path to a file, or ``-`` for stdin."""
    text = value
    if value == "-":
        text = sys.stdin.read()
    elif value.startswith("@") or (not value.lstrip().startswith("{") and Path(value).is_file()):
        text = Path(value.removeprefix("@")).read_text(encoding="utf-8")
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"--{what} is not valid JSON: {exc}") from None
    if not isinstance(parsed, dict):
        raise UsageError(f"--{what} must be a JSON object")
    return parsed


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="s3-connector", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("worker", help="run the job worker until SIGTERM/SIGINT (configured by environment)")
    invoke = commands.add_parser("invoke", help="run one job through the worker's pipeline and print the outcome")
    invoke.add_argument(
        "--task-type", default=None, help="task type (default: the first served, normally the Camunda-compatible one)"
    )
    invoke.add_argument("--variables", default="{}", help="job variables: JSON, @file, file path or -")
    invoke.add_argument("--headers", default="{}", help="task headers: JSON, @file or file path")
    invoke.add_argument("--retries", type=int, default=3, help="the job's retries before this attempt (3)")
    check = commands.add_parser(
        "check", help="verify that credentials can put, get and delete a challenge object in a bucket"
    )
    check.add_argument("--bucket", required=True, help="the bucket to check")
    check.add_argument(
        "--variables",
        default="{}",
        help="authentication/configuration as in a job (JSON, @file, file path or -); default: the worker's identity",
    )
    check.add_argument("--prefix", default="", help="key prefix for the challenge object, e.g. incoming/")
    check.add_argument("--list", action="store_true", help="also check s3:ListBucket")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    uploads = commands.add_parser(
        "uploads", help="list (and with --abort abort) incomplete multipart uploads under a prefix older than an age"
    )
    uploads.add_argument("--bucket", required=True, help="the bucket")
    uploads.add_argument("--prefix", default="", help="only keys under this prefix")
    uploads.add_argument("--older-than", default="24h", help="only uploads started longer ago: 90s, 30m, 24h, 7d (24h)")
    uploads.add_argument("--abort", action="store_true", help="abort the uploads found")
    uploads.add_argument(
        "--variables", default="{}", help="authentication/configuration as in a job; default: the worker's identity"
    )
    feel = commands.add_parser("feel", help="evaluate a FEEL expression as result/error expressions are evaluated")
    feel.add_argument("expression", nargs="?", help="the expression (a leading = is optional)")
    feel.add_argument("--context", default="{}", help="variables: JSON, @file, file path or -")
    feel.add_argument(
        "--batch",
        action="store_true",
        help='read JSON lines {"expression": ..., "context": {...}} from stdin, write one result line each',
    )
    return parser


def _settings() -> WorkerSettings:
    try:
        return WorkerSettings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_input=False))
        raise UsageError(f"invalid configuration: {problems}") from None


def _invoke(args: argparse.Namespace, settings: WorkerSettings) -> int:
    from connector import app

    served = settings.served_task_types
    task_type = args.task_type or served[0]
    if task_type not in served:
        raise UsageError(f"unknown task type {task_type!r}; served: {', '.join(served)}")
    variables = _json_argument(args.variables, "variables")
    headers = _json_argument(args.headers, "headers")
    result = asyncio.run(
        app.invoke_job(
            settings,
            os.environ,
            task_type=task_type,
            variables=variables,
            headers={k: str(v) for k, v in headers.items()},
            retries=args.retries,
        )
    )
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if result["outcome"] == "complete" else 1


def _check(args: argparse.Namespace, settings: WorkerSettings) -> int:
    from connector.checking import connect, lifecycle_json, lifecycle_text, report_json, report_text
    from connector.components import known_secret_values
    from connector.errors import ConnectorError
    from connector.redaction import Redactor
    from connector.s3.check import run_check
    from connector.s3.stale_uploads import cleanup_rule

    redact = Redactor(known_secret_values(settings, os.environ))
    variables = _json_argument(args.variables, "variables")
    try:
        client = connect(settings, os.environ, bucket=args.bucket, variables=variables)
    except ConnectorError as exc:
        print(f"s3-connector: check failed before any request: {redact(exc.message)}", file=sys.stderr)
        return 1
    steps = run_check(client, bucket=args.bucket, prefix=args.prefix, include_list=args.list)
    # Advice, not a permission: a missing rule does not fail the check.
    rule = cleanup_rule(client, args.bucket)
    if args.json:
        print(
            json.dumps(report_json(args.bucket, steps, redact) | {"lifecycle": lifecycle_json(rule, redact)}, indent=2)
        )
    else:
        print(report_text(args.bucket, steps, redact))
        print(lifecycle_text(rule, redact))
    return 0 if all(step.ok for step in steps) else 1


def _report_upload(client: Any, args: argparse.Namespace, upload: Any, redact: Callable[[str], str]) -> bool:
    """Print one incomplete upload as a JSON line, aborting it first with ``--abort``; False
    when the abort failed."""
    from connector.errors import ConnectorError
    from connector.s3.stale_uploads import abort_upload

    state, ok = "found", True
    if args.abort:
        try:
            abort_upload(client, bucket=args.bucket, upload=upload)
            state = "aborted"
        except ConnectorError as exc:
            state, ok = f"FAILED ({exc.code}: {redact(exc.message)})", False
    line = {"key": upload.key, "uploadId": upload.upload_id, "initiated": upload.initiated.isoformat(), "state": state}
    print(json.dumps(line, ensure_ascii=False))
    return ok


def _uploads(args: argparse.Namespace, settings: WorkerSettings) -> int:
    from datetime import datetime, timezone

    from connector.checking import connect
    from connector.components import known_secret_values
    from connector.errors import ConnectorError
    from connector.redaction import Redactor
    from connector.s3.stale_uploads import stale_uploads

    redact = Redactor(known_secret_values(settings, os.environ))
    older_than = _age(args.older_than)
    try:
        client = connect(
            settings, os.environ, bucket=args.bucket, variables=_json_argument(args.variables, "variables")
        )
        found = list(
            stale_uploads(
                client, bucket=args.bucket, prefix=args.prefix, older_than=older_than, now=datetime.now(timezone.utc)
            )
        )
        failed = sum(not _report_upload(client, args, upload, redact) for upload in found)
    except ConnectorError as exc:
        print(f"s3-connector: uploads failed: {redact(exc.message)}", file=sys.stderr)
        return 1
    verb = "aborted" if args.abort else "found (pass --abort to abort them)"
    print(
        f"s3-connector: {len(found) - failed} incomplete upload(s) older than {args.older_than} {verb}", file=sys.stderr
    )
    return 1 if failed else 0


_AGE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _age(text: str) -> timedelta:
    """``90s``, ``30m``, ``24h``, ``7d``."""
    number, unit = text[:-1], text[-1:].lower()
    if unit not in _AGE_UNITS or not number.isdigit():
        raise UsageError(f"--older-than must be a number with s, m, h or d (e.g. 24h), not {text!r}")
    return timedelta(seconds=int(number) * _AGE_UNITS[unit])


def _feel(args: argparse.Namespace) -> int:
    from connector.errors import InputError
    from connector.feel import FeelEngine

    engine = FeelEngine()
    if args.batch:
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                request = json.loads(line)
                result: dict[str, Any] = {
                    "result": engine.evaluate(request["expression"], request.get("context") or {})
                }
            except InputError as exc:
                result = {"error": exc.message}
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
                result = {"error": f"not a request line: {exc}"}
            print(json.dumps(result, ensure_ascii=False), flush=True)
        return 0
    if args.expression is None:
        raise UsageError("feel needs an expression (or --batch)")
    try:
        print(json.dumps(engine.evaluate(args.expression, _json_argument(args.context, "context")), ensure_ascii=False))
    except InputError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0, 1 or 2, see the module docstring)."""
    args = _parser().parse_args(argv)
    if args.command == "feel":
        try:
            return _feel(args)
        except UsageError as exc:
            print(f"s3-connector: {exc}", file=sys.stderr)
            return 2
    try:
        settings = _settings()
        # Imported here: --version and usage errors answer without loading the whole worker.
        from connector import app

        app.setup_logging(settings, os.environ)
        if args.command == "worker":
            return asyncio.run(app.run_worker(settings, os.environ))
        if args.command == "check":
            return _check(args, settings)
        if args.command == "uploads":
            return _uploads(args, settings)
        return _invoke(args, settings)
    except (UsageError, ConfigurationError) as exc:
        print(f"s3-connector: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
