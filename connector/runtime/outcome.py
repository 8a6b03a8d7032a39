"""What happens to a job — decided by a pure function, applied elsewhere.

``decide_outcome`` turns the pieces of a finished job (mapped output variables, or the error
it failed with, and the decision of an ``errorExpression`` if any) into exactly one
``Outcome``: ``Complete``, ``Fail`` (with explicit retries and backoff) or ``Throw`` (a BPMN
error). The rules follow Camunda's connector runtime: an input error fails with retries 0,
any other error with retries - 1 and the ``retryBackoff``; an error expression may turn
either into a BPMN error, a job error with its own retries, or an ignored error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from connector.errors import ConnectorError
from connector.redaction import Redactor

__all__ = [
    "MAX_MESSAGE_CHARS",
    "BpmnError",
    "Complete",
    "ErrorDecision",
    "Fail",
    "IgnoreError",
    "JobError",
    "Outcome",
    "Throw",
    "decide_outcome",
    "truncate_message",
]

# Zeebe accepts longer messages, but Camunda's runtime cuts at 6000 and Operate shows them whole.
MAX_MESSAGE_CHARS = 6000


@dataclass(frozen=True)
class Complete:
    """CompleteJob with these variables."""

    variables: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Fail:
    """FailJob with explicit retries and backoff."""

    message: str
    retries: int
    retry_backoff_ms: int = 0
    variables: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Throw:
    """ThrowError: a BPMN error with this code."""

    code: str
    message: str
    variables: Mapping[str, Any] = field(default_factory=dict)


Outcome: TypeAlias = Complete | Fail | Throw


@dataclass(frozen=True)
class BpmnError:
    """``bpmnError(code, message, variables)`` from an error expression."""

    code: str
    message: str | None = None
    variables: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class JobError:
    """``jobError(message, variables, retries, retryBackoff)`` from an error expression."""

    message: str
    variables: Mapping[str, Any] = field(default_factory=dict)
    retries: int = 0
    retry_backoff_ms: int = 0


@dataclass(frozen=True)
class IgnoreError:
    """``ignoreError(variables)``: complete the job with exactly these variables."""

    variables: Mapping[str, Any] = field(default_factory=dict)


ErrorDecision: TypeAlias = BpmnError | JobError | IgnoreError


def truncate_message(message: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Cut a message to ``limit`` characters, marking the cut."""
    if len(message) <= limit:
        return message
    marker = "… (truncated)"
    return message[: limit - len(marker)] + marker


_NO_SECRETS = Redactor()


def error_variables(error: ConnectorError, redact: Redactor) -> dict[str, Any]:
    """The ``error`` context Camunda exposes to error expressions and sets on failed jobs,
    with secret values masked everywhere in it."""
    return {
        "type": type(error).__name__,
        "code": error.code,
        "message": truncate_message(redact(error.message)),
        "variables": redact.json_value(error.variables),
    }


def decide_outcome(
    *,
    output_variables: Mapping[str, Any] | None,
    error: ConnectorError | None,
    job_retries: int,
    retry_backoff_ms: int | None,
    decision: ErrorDecision | None = None,
    redact: Redactor = _NO_SECRETS,
) -> Outcome:
    """Decide the single outcome of a job. Pure: no I/O, no clock.

    Args:
        output_variables: variables produced by result mapping (None if the job failed).
        error: the error the job failed with, if any.
        job_retries: the retries of the activated job, before this attempt is counted.
        retry_backoff_ms: the ``retryBackoff`` header in ms, if present.
        decision: what the ``errorExpression`` returned, if it returned anything.
        redact: masks secret values in every message and variable that leaves the worker.
    """
    if isinstance(decision, BpmnError):
        message = truncate_message(redact(decision.message or ""))
        return Throw(code=decision.code, message=message, variables=redact.json_value(dict(decision.variables)))
    if isinstance(decision, JobError):
        message = truncate_message(redact(decision.message))
        return Fail(
            message=message,
            retries=max(decision.retries, 0),
            retry_backoff_ms=max(decision.retry_backoff_ms, 0),
            variables=redact.json_value({**decision.variables, "error": message}),
        )
    if isinstance(decision, IgnoreError):
        return Complete(variables=redact.json_value(dict(decision.variables)))
    if error is None:
        # A secret must not leave through the response either (e.g. placed into a key).
        return Complete(variables=redact.json_value(dict(output_variables or {})))
    retries = max(job_retries - 1, 0) if error.retryable else 0
    backoff = (retry_backoff_ms or 0) if error.retryable and retries > 0 else 0
    return Fail(
        message=truncate_message(redact(error.message)),
        retries=retries,
        retry_backoff_ms=max(backoff, 0),
        variables={"error": error_variables(error, redact)},
    )
