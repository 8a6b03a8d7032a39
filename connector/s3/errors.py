"""botocore and S3 errors mapped onto ``ConnectorError`` — the one boundary of this package.

Every S3 call passes its exceptions through :func:`s3_errors`, so a job only ever sees a
``ConnectorError`` with a stable ``code`` and the retryability of ``connector.error_codes``::

    ClientError (S3 answered)        -> S3's code ("NoSuchKey", "SlowDown", ...)
    transport errors (no answer)     -> ENDPOINT_UNREACHABLE / TIMEOUT / INCOMPLETE_READ / TLS_ERROR
    credentials missing locally      -> MISSING_CREDENTIALS
    ParamValidationError             -> INVALID_REQUEST (an input error)
    anything else from botocore      -> S3_ERROR (retryable, as Camunda's runtime would do)

Messages name the operation, bucket and key, carry S3's own message and request id, and
never contain request headers or parameters (where credentials live).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore import exceptions as bce

from connector.error_codes import (
    CHECKSUM_MISMATCH,
    ENDPOINT_UNREACHABLE,
    INCOMPLETE_READ,
    INVALID_REQUEST,
    MISSING_CREDENTIALS,
    S3_CODES,
    S3_ERROR,
    S3_REQUEST_REJECTED,
    TIMEOUT,
    TLS_ERROR,
)
from connector.errors import ConnectorError, ErrorCode

__all__ = ["code_for", "map_s3_error", "s3_errors"]

# S3 messages are short; a cap keeps a misbehaving S3-compatible store from flooding the
# job's error message (Zeebe limits it, and the runtime truncates at 6000 characters anyway).
_MAX_S3_MESSAGE_CHARS = 1000


# botocore's exception classes, looked up along the exception's MRO (the most specific wins).
_EXCEPTION_CODES: dict[type[Exception], ErrorCode] = {
    bce.ConnectTimeoutError: TIMEOUT,
    bce.ReadTimeoutError: TIMEOUT,
    bce.EndpointConnectionError: ENDPOINT_UNREACHABLE,
    bce.ConnectionClosedError: ENDPOINT_UNREACHABLE,
    bce.ProxyConnectionError: ENDPOINT_UNREACHABLE,
    # A certificate that fails verification will not verify on the next attempt either.
    bce.SSLError: TLS_ERROR,
    bce.ResponseStreamingError: INCOMPLETE_READ,
    bce.IncompleteReadError: INCOMPLETE_READ,
    bce.HTTPClientError: ENDPOINT_UNREACHABLE,
    bce.NoCredentialsError: MISSING_CREDENTIALS,
    bce.PartialCredentialsError: MISSING_CREDENTIALS,
    bce.ParamValidationError: INVALID_REQUEST,
    # botocore's own check of a response's x-amz-checksum-* against the body it read.
    bce.FlexibleChecksumError: CHECKSUM_MISMATCH,
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
    ("HeadObject", "405"): ("MethodNotAllowed", "The version is a delete marker."),
    ("HeadObject", "412"): ("PreconditionFailed", "At least one of the preconditions did not hold."),
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
        entry, detail = _client_error_code(exc, operation, variables)
    else:
        entry = _exception_code(exc)
        detail = f"{entry.code}: {_clip(str(exc))}"
    where = f"bucket '{bucket}'" if key is None else f"bucket '{bucket}', key '{key}'"
    return entry.error(f"{operation} failed for {where}: {detail}", variables)


def _client_error_code(exc: bce.ClientError, operation: str, variables: dict[str, Any]) -> tuple[ErrorCode, str]:
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
    entry = _code_of(s3_code, status)
    if isinstance(status, int):
        variables["httpStatus"] = status
    detail = f"{entry.code}: {_clip(s3_message)}" if s3_message else entry.code
    if request_id:
        variables["requestId"] = str(request_id)
        detail += f" (request id {request_id})"
    # A wrong region is the one error whose fix the answer spells out: say it plainly.
    bucket_region = error.get("Region") or headers.get("x-amz-bucket-region")
    if bucket_region and entry.code in _WRONG_REGION_CODES:
        variables["bucketRegion"] = str(bucket_region)
        detail += f". The bucket is in region '{bucket_region}': set configuration.region to it"
    return entry, detail


def code_for(s3_code: str) -> ErrorCode:
    """The table's row for a code S3 reported without an HTTP status of its own (e.g. per key
    in a DeleteObjects answer); a code the table does not know is retryable."""
    return _code_of(s3_code, None)


def _code_of(s3_code: str, status: object) -> ErrorCode:
    """S3's code from the table; one it does not know passes through, retryable only for
    5xx and 429; an answer without a code is ``S3_REQUEST_REJECTED`` (4xx) or ``S3_ERROR``."""
    known = S3_CODES.get(s3_code)
    if known is not None:
        return known
    transient = not isinstance(status, int) or status >= 500 or status == 429
    if s3_code:
        return ErrorCode(s3_code, "S3's own code", retryable=transient)
    return S3_ERROR if transient else S3_REQUEST_REJECTED


def _exception_code(exc: Exception) -> ErrorCode:
    """The code of the most specific botocore class in the exception's MRO."""
    for cls in type(exc).__mro__:
        entry = _EXCEPTION_CODES.get(cls)
        if entry is not None:
            return entry
    # Unknown failures are retried, as Camunda's runtime does for any non-input error.
    return S3_ERROR


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
