"""The one exception tree of the connector.

Every failure a job can meet is raised as a ``ConnectorError``; foreign errors (botocore,
pydantic, gRPC) are mapped onto it once, at the boundary where they occur::

    ConnectorError(code, retryable)          retryable=True  -> FailJob with retries - 1
    ├── InputError                           retryable=False -> FailJob with retries 0
    │   (validation, missing secret, unknown discriminator, bad header, refused by policy)
    └── (raised with an explicit code, e.g. "NoSuchKey", "SlowDown", by connector.s3.errors)

``code`` is stable and is what an ``errorExpression`` sees as ``error.code``. Messages name
the field, bucket or key involved and never contain a credential or a secret value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["ConnectorError", "InputError"]


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
