"""The one exception tree of the connector.

Every failure a job can meet is raised as a ``ConnectorError``; foreign errors (botocore,
httpx, pydantic, gRPC) are mapped onto this tree once, at the boundary where they occur::

    Exception
    ├── ConnectorError(code, retryable)    a job's failure: FailJob with retries - 1 (retryable)
    │   └── InputError                     bad input no retry can fix: FailJob with retries 0
    ├── ConfigurationError                 the worker cannot start as configured (CLI exit 2)
    │   └── UsageError                     a bad command line (CLI exit 2)
    └── GatewayError                       the worker loop's view of the Zeebe gateway
        ├── GatewayUnavailable             no answer: try again later
        └── JobGone                        the job is no longer locked to this worker

Inside a room, parsers raise ``ValueError`` subclasses of their own (``feel``'s
``DurationError``, ``FeelFailure``), which the room's callers turn into ``InputError``.

Every code, with its meaning and retryability, is in the table ``connector.error_codes``; an
``ErrorCode`` builds its error (``NO_SUCH_KEY.error(message)``). ``code`` is stable and is what
an ``errorExpression`` sees as ``error.code``. Messages name the field, bucket or key involved
and never contain a credential or a secret value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "ConfigurationError",
    "ConnectorError",
    "ErrorCode",
    "GatewayError",
    "GatewayUnavailable",
    "InputError",
    "JobGone",
    "UsageError",
    "invalid",
]


class ConnectorError(Exception):
    """A job failure with a stable code and a retryable flag.

    Args:
        message: human-readable text; must not contain secret values.
        code: stable machine-readable code (``error.code`` in error expressions).
        retryable: whether Zeebe should retry the job (retries - 1) or raise an incident (0).
        variables: optional extra context for ``error.variables``; must not contain secrets.
    """

    default_code = "CONNECTOR_ERROR"
    default_retryable = True

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        retryable: bool | None = None,
        variables: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.retryable = self.default_retryable if retryable is None else retryable
        self.variables: dict[str, Any] = dict(variables or {})

    def __str__(self) -> str:
        return self.message


class InputError(ConnectorError):
    """Bad input that no retry can fix: the job fails with retries 0 (an incident)."""

    default_code = "INVALID_INPUT"
    default_retryable = False


class ConfigurationError(Exception):
    """The worker cannot start as configured; the message names the setting."""


class UsageError(ConfigurationError):
    """A problem with the command line."""


class GatewayError(Exception):
    """The Zeebe gateway did not do what the worker loop asked."""


class GatewayUnavailable(GatewayError):
    """The gateway did not take a request (unreachable, overloaded, restarting): try again later."""


class JobGone(GatewayError):
    """The job is no longer locked to this worker: timed out, cancelled, or finished elsewhere."""


@dataclass(frozen=True)
class ErrorCode:
    """One row of the code table: the code, what it means, and how a job fails with it.

    Attributes:
        kind: ``input`` codes raise ``InputError`` (``error.type`` is ``InputError``), the
            others ``ConnectorError``.
    """

    code: str
    meaning: str
    retryable: bool
    kind: Literal["input", "failure"] = "failure"

    def error(self, message: str, variables: Mapping[str, Any] | None = None) -> ConnectorError:
        """The error to raise for this code."""
        cls = InputError if self.kind == "input" else ConnectorError
        return cls(message, code=self.code, retryable=self.retryable, variables=variables)


def invalid(field: str, problem: str) -> InputError:
    """The input error for one field: ``Invalid input:\\n- <field>: <problem>`` (INVALID_INPUT)."""
    return InputError(f"Invalid input:\n- {field}: {problem}")
