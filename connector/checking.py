"""``s3-connector check``: prove that credentials can use a bucket, before any process does.

The credentials and endpoint come in the same shape as a job's variables (``authentication``,
``configuration``, ``awsCredential``, with ``{{secrets.NAME}}`` resolved as the worker would),
or, when none are given, from the worker's own default chain. The operator runs this, so the
job-level policy (endpoint allow-list, default-chain refusal) does not apply.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

from connector.actions.binding import bind
from connector.actions.clients import client_spec
from connector.actions.connection import S3Job
from connector.actions.inputs.common import BucketName
from connector.actions.registry import s3_policy
from connector.error_codes import INVALID_INPUT, SKIPPED
from connector.redaction import Redactor
from connector.runtime.secrets import substitute_secrets
from connector.s3.check import CheckStep, run_check
from connector.s3.client import ClientCache
from connector.s3.errors import s3_errors
from connector.s3.stale_uploads import CleanupRule
from connector.settings import WorkerSettings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["check_bucket", "connect", "lifecycle_json", "lifecycle_text", "report_json", "report_text"]


def check_bucket(
    settings: WorkerSettings,
    environ: Mapping[str, str],
    *,
    bucket: str,
    variables: Mapping[str, Any],
    prefix: str = "",
    include_list: bool = False,
) -> list[CheckStep]:
    """Run the challenge-object check.

    Raises:
        InputError: invalid bucket name or credentials/configuration input.
        ConnectorError: the client could not be built (e.g. AssumeRole refused).
    """
    client = connect(settings, environ, bucket=bucket, variables=variables)
    return run_check(client, bucket=bucket, prefix=prefix, include_list=include_list)


def connect(
    settings: WorkerSettings, environ: Mapping[str, str], *, bucket: str, variables: Mapping[str, Any]
) -> S3Client:
    """The client an operator command uses for ``bucket``, from job-shaped variables.

    Raises:
        InputError: invalid bucket name or credentials/configuration input.
        ConnectorError: the client could not be built (e.g. AssumeRole refused).
    """
    from pydantic import TypeAdapter, ValidationError

    from connector.components import build_secrets

    try:
        TypeAdapter(BucketName).validate_python(bucket)
    except ValidationError as exc:
        raise INVALID_INPUT.error(f"--bucket: {exc.errors()[0]['msg']}") from None
    text, _ = substitute_secrets(json.dumps(dict(variables), ensure_ascii=False), build_secrets(settings, environ))
    resolved = json.loads(text)
    if "authentication" not in resolved and "awsCredential" not in resolved:
        resolved["authentication"] = {"type": "defaultCredentialsChain"}
    target = bind(S3Job, resolved).target
    policy = replace(
        s3_policy(settings),
        allow_default_credentials=True,
        allowed_endpoints=(target.endpoint,) if target.endpoint else (),
    )
    spec = client_spec(target, policy)
    with s3_errors(spec.build_operation, bucket):
        return ClientCache(default_region=settings.aws_region).get(spec)


def lifecycle_text(rule: CleanupRule, redact: Redactor) -> str:
    """One line on the bucket's cleanup of incomplete multipart uploads (advice, not a failure)."""
    if rule.found:
        scope = f" under '{rule.prefix}'" if rule.prefix else ""
        return (
            f"Lifecycle: incomplete multipart uploads{scope} are aborted after {rule.days} day(s) "
            f"(rule '{rule.rule_id or ''}', AbortIncompleteMultipartUpload)."
        )
    if rule.found is None:
        return f"Lifecycle: could not be read ({redact(rule.error or '')}); check AbortIncompleteMultipartUpload."
    return (
        "Lifecycle: no AbortIncompleteMultipartUpload rule. Uploads of killed workers stay billed until removed: "
        "add a rule (e.g. DaysAfterInitiation 7), or run 's3-connector uploads --abort' regularly."
    )


def lifecycle_json(rule: CleanupRule, redact: Redactor) -> dict[str, Any]:
    return {
        "abortIncompleteMultipartUpload": rule.found,
        "daysAfterInitiation": rule.days,
        "ruleId": rule.rule_id,
        "prefix": rule.prefix,
        "error": redact(rule.error) if rule.error else None,
    }


def report_text(bucket: str, steps: list[CheckStep], redact: Redactor) -> str:
    """The check report for a terminal, one line per permission; secrets masked."""
    lines = [f"Permission check on bucket '{bucket}':"]
    for step in steps:
        status = "ok" if step.ok else f"FAILED ({step.code})"
        lines.append(f"  {step.name:<7} {step.iam_action:<16} {status}")
        if not step.ok and step.code != SKIPPED.code:
            lines.append(f"          {redact(step.message or '')}")
            lines.append(
                f"          -> grant {step.iam_action} on arn:aws:s3:::{bucket}"
                + ("" if step.iam_action == "s3:ListBucket" else "/*")
            )
    put, delete = steps[0], steps[-1]
    if put.ok and not delete.ok:
        lines.append(
            "  The challenge object could not be removed: delete it by hand (its key is in the message above)."
        )
    verdict = "all permissions work" if all(s.ok for s in steps) else "some permissions are missing"
    lines.append(f"Result: {verdict}.")
    return "\n".join(lines)


def report_json(bucket: str, steps: list[CheckStep], redact: Redactor) -> dict[str, Any]:
    """The check report as JSON (``--json``); secrets masked."""
    return {
        "bucket": bucket,
        "ok": all(step.ok for step in steps),
        "steps": [{**asdict(step), "message": redact(step.message) if step.message else None} for step in steps],
    }
