"""botocore and S3 errors mapped onto ``ConnectorError``, in one table.

Every S3 call in this package passes its exceptions through :func:`map_s3_error`, so a job
only ever sees a ``ConnectorError`` with a stable ``code`` (the S3 error code where S3 gave
one) and a ``retryable`` flag::

    ClientError (S3 answered)        -> code = S3 code ("NoSuchKey", "SlowDown", ...)
    transport errors (no answer)     -> "EndpointUnreachable" / "Timeout" / "IncompleteRead"
    credentials missing locally      -> "MissingCredentials"
    ParamValidationError             -> InputError "INVALID_REQUEST"
    anything else from botocore      -> "S3Error" (retryable, as Camunda's runtime would do)

Messages name the operation, bucket and key, carry S3's own message and request id, and
never contain request headers or parameters (where credentials live).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from botocore import exceptions as bce

from connector.errors import ConnectorError, InputError

__all__ = ["map_s3_error", "s3_errors"]

# S3 messages are short; a cap keeps a misbehaving S3-compatible store from flooding the
# job's error message (Zeebe limits it, and the runtime truncates at 6000 characters anyway).
_MAX_S3_MESSAGE_CHARS = 1000


@dataclass(frozen=True)
class _Rule:
    code: str
    retryable: bool
    error_class: type[ConnectorError] = ConnectorError


def _rules(codes: str, retryable: bool) -> dict[str | type[Exception], _Rule]:
    return {code: _Rule(code, retryable) for code in codes.split()}


# THE table. Keys are S3 error codes (from a ClientError) or botocore exception classes
# (looked up along the exception's MRO, so the most specific class wins).
_TABLE: dict[str | type[Exception], _Rule] = {
    # An object may appear later (eventual producers); Camunda decrements retries here too.
    **_rules("NoSuchKey", retryable=True),
    # Fixing these needs a human: wrong bucket, wrong keys, wrong request.
    **_rules(
        "NoSuchBucket NoSuchVersion AccessDenied AllAccessDisabled AccountProblem "
        "InvalidAccessKeyId SignatureDoesNotMatch ExpiredToken InvalidToken "
        "AuthorizationHeaderMalformed InvalidBucketName InvalidRequest InvalidArgument "
        "KeyTooLongError EntityTooLarge InvalidObjectState MethodNotAllowed "
        "PreconditionFailed PermanentRedirect",
        retryable=False,
    ),
    # Throttling and server trouble pass; OperationAborted is a conflicting call in flight.
    **_rules(
        "SlowDown InternalError ServiceUnavailable RequestTimeout Throttling "
        "ThrottlingException TooManyRequests RequestLimitExceeded OperationAborted",
        retryable=True,
    ),
    bce.ConnectTimeoutError: _Rule("Timeout", True),
    bce.ReadTimeoutError: _Rule("Timeout", True),
    bce.EndpointConnectionError: _Rule("EndpointUnreachable", True),
    bce.ConnectionClosedError: _Rule("EndpointUnreachable", True),
    bce.ProxyConnectionError: _Rule("EndpointUnreachable", True),
    # A certificate that fails verification will not verify on the next attempt either.
    bce.SSLError: _Rule("TlsError", False),
    bce.ResponseStreamingError: _Rule("IncompleteRead", True),
    bce.IncompleteReadError: _Rule("IncompleteRead", True),
    bce.HTTPClientError: _Rule("EndpointUnreachable", True),
    bce.NoCredentialsError: _Rule("MissingCredentials", False),
    bce.PartialCredentialsError: _Rule("MissingCredentials", False),
    bce.ParamValidationError: _Rule("INVALID_REQUEST", False, InputError),
}

# HEAD responses have no body, so botocore reports the bare HTTP status as the error code.
# Operation-specific aliases turn them back into the code S3 would have sent.
_BARE_STATUS_ALIASES: dict[tuple[str, str], tuple[str, str]] = {
    ("HeadObject", "404"): ("NoSuchKey", "The specified key does not exist."),
    ("GetObject", "404"): ("NoSuchKey", "The specified key does not exist."),
    ("HeadBucket", "404"): ("NoSuchBucket", "The specified bucket does not exist."),
    ("HeadObject", "403"): ("AccessDenied", "Access Denied"),
    ("GetObject", "403"): ("AccessDenied", "Access Denied"),
    ("HeadBucket", "403"): ("AccessDenied", "Access Denied"),
    ("HeadObject", "301"): ("PermanentRedirect", "The bucket is in another region."),
    ("HeadBucket", "301"): ("PermanentRedirect", "The bucket is in another region."),
}


_WRONG_REGION_CODES = frozenset(
    {"PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException"}
)


def map_s3_error(exc: Exception, *, operation: str, bucket: str, key: str | None = None) -> ConnectorError:
    """Translate a botocore exception into a ``ConnectorError`` with a stable code.

    Args:
        exc: the exception raised by a boto3 call (``ClientError`` or ``BotoCoreError``;
            anything else is mapped to the generic retryable ``S3Error``).
        operation: the S3 operation name for the message, e.g. ``"GetObject"``.
        bucket: the bucket the call addressed.
        key: the object key, when the call addressed one.

    Returns:
        The error to raise (``raise map_s3_error(...) from exc``). An exception that already
        is a ``ConnectorError`` is returned unchanged.
    """
    if isinstance(exc, ConnectorError):
        return exc
    variables: dict[str, Any] = {"bucket": bucket}
    if key is not None:
        variables["key"] = key
    if isinstance(exc, bce.ClientError):
        rule, detail = _client_error_rule(exc, operation, variables)
    else:
        rule = _exception_rule(exc)
        detail = f"{rule.code}: {_clip(str(exc))}"
    where = f"bucket '{bucket}'" if key is None else f"bucket '{bucket}', key '{key}'"
    message = f"{operation} failed for {where}: {detail}"
    return rule.error_class(message, code=rule.code, retryable=rule.retryable, variables=variables)


def _client_error_rule(exc: bce.ClientError, operation: str, variables: dict[str, Any]) -> tuple[_Rule, str]:
    """Find the rule for an S3 answer and build ``"Code: message (request id X)"``."""
    error = exc.response.get("Error", {})
    metadata = exc.response.get("ResponseMetadata", {})
    s3_code = str(error.get("Code") or "")
    s3_message = str(error.get("Message") or "")
    status = metadata.get("HTTPStatusCode")
    # HEAD errors carry the id only as a header (AWS: x-amz-request-id, moto: x-amzn-requestid).
    headers = metadata.get("HTTPHeaders") or {}
    request_id = (
        metadata.get("RequestId")
        or error.get("RequestId")
        or headers.get("x-amz-request-id")
        or headers.get("x-amzn-requestid")
    )
    alias = _BARE_STATUS_ALIASES.get((operation, s3_code))
    if alias is not None:
        s3_code, s3_message = alias
    rule = _rule_for_code(s3_code, status)
    if isinstance(status, int):
        variables["httpStatus"] = status
    detail = f"{rule.code}: {_clip(s3_message)}" if s3_message else rule.code
    if request_id:
        variables["requestId"] = str(request_id)
        detail += f" (request id {request_id})"
    # A wrong region is the one error whose fix the answer spells out: say it plainly.
    bucket_region = error.get("Region") or headers.get("x-amz-bucket-region")
    if bucket_region and rule.code in _WRONG_REGION_CODES:
        variables["bucketRegion"] = str(bucket_region)
        detail += f". The bucket is in region '{bucket_region}': set configuration.region to it"
    return rule, detail


def _rule_for_code(s3_code: str, status: object) -> _Rule:
    """Look an S3 code up in the table; unknown codes are retryable only for 5xx and 429."""
    rule = _TABLE.get(s3_code)
    if rule is not None:
        return rule
    retryable = isinstance(status, int) and (status >= 500 or status == 429)
    return _Rule(s3_code or (f"HTTP{status}" if status else "S3Error"), retryable)


def _exception_rule(exc: Exception) -> _Rule:
    """The rule of the most specific botocore class in the exception's MRO."""
    for cls in type(exc).__mro__:
        rule = _TABLE.get(cls)
        if rule is not None:
            return rule
    # Unknown failures are retried, as Camunda's runtime does for any non-input error.
    return _Rule("S3Error", True)


def _clip(text: str) -> str:
    text = text.strip()
    if len(text) <= _MAX_S3_MESSAGE_CHARS:
        return text
    return text[: _MAX_S3_MESSAGE_CHARS - 1] + "…"


@contextmanager
def s3_errors(operation: str, bucket: str, key: str | None = None) -> Iterator[None]:
    """Turn botocore exceptions raised inside the block into ``ConnectorError`` (the one
    boundary every S3 call in this package goes through)."""
    try:
        yield
    except (bce.ClientError, bce.BotoCoreError) as exc:
        raise map_s3_error(exc, operation=operation, bucket=bucket, key=key) from exc
