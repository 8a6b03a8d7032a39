"""One job through Camunda's connector semantics, independent of how it reached us.

headers -> job timeout -> secrets -> variables -> handler -> result mapping -> error expression
-> Outcome. The worker loop (``worker.py``) and ``s3-connector invoke`` both call
``Pipeline.run``, so a job run locally behaves exactly as it does in the worker. Variables and
headers arrive as the gateway's JSON text and are decoded here, under the depth limit, so
that no document can fail anywhere but inside a job's own outcome.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from connector.clock import SYSTEM_CLOCK, Clock
from connector.error_codes import INTERNAL_ERROR
from connector.errors import ConnectorError
from connector.feel import FeelEngine
from connector.redaction import Redactor
from connector.runtime.executor import BlockingExecutor
from connector.runtime.expressions import ExpressionEngine, decision_from_value, evaluate_header
from connector.runtime.headers import JobHeaders, parse_headers
from connector.runtime.job_json import decode_object
from connector.runtime.jobs import Job
from connector.runtime.observer import JobObserver, NullObserver
from connector.runtime.outcome import (
    Complete,
    ErrorDecision,
    Fail,
    Outcome,
    decide_outcome,
    error_variables,
)
from connector.runtime.result_mapping import map_result
from connector.runtime.secrets import SecretProvider, substitute_secrets

__all__ = ["Handler", "HandlerContext", "Pipeline", "TaskSpec", "TimeoutExtender"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HandlerContext:
    """What a handler may use besides its variables: the I/O pool, the observer, the clock, its job."""

    executor: BlockingExecutor
    observer: JobObserver
    clock: Clock = SYSTEM_CLOCK
    job: Job | None = None


class Handler(Protocol):
    """The work of one task type: variables in, response out."""

    async def __call__(self, variables: Mapping[str, Any], ctx: HandlerContext) -> Mapping[str, Any]:
        """Do the job's work and return the response; raise ``ConnectorError`` on failure."""


@dataclass(frozen=True)
class TaskSpec:
    """A task type the worker serves: which variables to fetch and who handles them."""

    task_type: str
    fetch_variables: tuple[str, ...]
    handler: Handler


TimeoutExtender = Callable[[int], Awaitable[None]]


class Pipeline:
    """Runs jobs through Camunda's connector semantics; one per worker, shared by every task type."""

    def __init__(
        self,
        *,
        secrets: SecretProvider,
        executor: BlockingExecutor,
        feel: ExpressionEngine | None = None,
        observer: JobObserver | None = None,
        clock: Clock = SYSTEM_CLOCK,
        redactor: Redactor | None = None,
    ) -> None:
        self._secrets = secrets
        # Every secret the worker knows; each job adds the ones it used (a directory secret
        # may have changed since start).
        self._redactor = redactor or Redactor()
        self._feel = feel or FeelEngine()
        self._observer = observer or NullObserver()
        self._clock = clock
        self._handler_context = HandlerContext(executor=executor, observer=self._observer, clock=clock)
        # FEEL runs off the event loop, one evaluation at a time: each has its whole time limit to
        # itself (Python runs one thread at a time; evaluations side by side would eat each
        # other's time), a hostile one delays the next ones by at most that limit, and the loop
        # keeps polling and reporting meanwhile.
        self._feel_thread = BlockingExecutor(max_workers=1, name="feel")

    async def run(self, job: Job, spec: TaskSpec, extend_timeout: TimeoutExtender | None = None) -> Outcome:
        """Run one job to its outcome. Never raises for anything a job can cause."""
        started = self._clock.monotonic()
        self._observer.on_job_start(spec.task_type)
        outcome = await self._run(job, spec, extend_timeout)
        kind = {Complete: "complete", Fail: "fail"}.get(type(outcome), "throw")
        self._observer.on_job_end(spec.task_type, kind, self._clock.monotonic() - started)
        return outcome

    async def _run(self, job: Job, spec: TaskSpec, extend_timeout: TimeoutExtender | None) -> Outcome:
        try:
            headers = parse_headers(decode_object(job.headers_json, "headers"))
        except ConnectorError as exc:
            return _failed(exc, job, self._redactor)
        attempt = await self._attempt(job, spec, headers, extend_timeout)
        redact = attempt.redact
        try:
            decision = None
            if headers.error_expression:  # FEEL, off the event loop like the result expression
                decision = await self._feel_thread.run(
                    self._error_decision, headers, job, attempt.response, attempt.output, attempt.error, redact
                )
        except ConnectorError as exc:
            return _failed(exc, job, redact)
        return decide_outcome(
            output_variables=attempt.output,
            error=attempt.error,
            job_retries=job.retries,
            retry_backoff_ms=headers.retry_backoff_ms,
            decision=decision,
            redact=redact,
        )

    async def _attempt(
        self, job: Job, spec: TaskSpec, headers: JobHeaders, extend_timeout: TimeoutExtender | None
    ) -> _Attempt:
        """Run the handler and the result expression; any exception becomes the attempt's error."""
        attempt = _Attempt(redact=self._redactor)
        try:
            if headers.job_timeout_ms and extend_timeout is not None:
                await extend_timeout(headers.job_timeout_ms)
            text, used = substitute_secrets(job.variables_json, self._secrets)
            attempt.redact = attempt.redact.with_values(used)
            variables = decode_object(text, "variables")
            attempt.response = await spec.handler(variables, replace(self._handler_context, job=job))
            if (headers.result_expression or "").startswith("="):
                attempt.output = await self._feel_thread.run(map_result, attempt.response, headers, self._feel)
            else:
                attempt.output = map_result(attempt.response, headers, self._feel)
        except ConnectorError as exc:
            attempt.error = exc
        except Exception as exc:  # a bug (RecursionError, MemoryError too) must fail the job, not the worker
            # A foreign exception's text may quote an input value (a credential given inline,
            # which no redactor knows), so it goes only to the log, masked, never to Zeebe.
            trace = attempt.redact("".join(traceback.format_exception(exc)))
            logger.error("Unexpected error in job %s (%s):\n%s", job.key, spec.task_type, trace)
            attempt.error = INTERNAL_ERROR.error(
                f"Unexpected {type(exc).__name__} in the connector (details in the worker's log)"
            )
        return attempt

    def _error_decision(
        self,
        headers: JobHeaders,
        job: Job,
        response: Mapping[str, Any] | None,
        output: Mapping[str, Any] | None,
        error: ConnectorError | None,
        redact: Redactor,
    ) -> ErrorDecision | None:
        if not headers.error_expression:
            return None
        expression = headers.error_expression.removeprefix("=")
        # As in Camunda: on success the expression sees the mapped outputs when there are any.
        if error is not None:
            result: dict[str, Any] = {"error": error_variables(error, redact)}
        else:
            result = dict(output) if output else dict(response or {})
        context = {**result, "response": result, "job": {"retries": job.retries}}
        return decision_from_value(evaluate_header(self._feel, "errorExpression", expression, context))


@dataclass
class _Attempt:
    """What one run of a handler left: its response, the mapped output or the error, and the
    redactor that knows the secrets the job used."""

    redact: Redactor
    response: Mapping[str, Any] | None = None
    output: dict[str, Any] | None = None
    error: ConnectorError | None = None


def _failed(error: ConnectorError, job: Job, redact: Redactor) -> Outcome:
    return decide_outcome(
        output_variables=None, error=error, job_retries=job.retries, retry_backoff_ms=None, redact=redact
    )
