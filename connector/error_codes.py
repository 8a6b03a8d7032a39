"""THE table of error codes: every code a job can fail with, what it means, whether it retries.

Our own codes are SCREAMING_SNAKE; S3's codes keep S3's own names (``NoSuchKey``). An S3 code
not listed here passes through as S3 sent it, retryable only for 5xx and 429 answers. The
README's list of codes is checked against this table by a test.
"""

from __future__ import annotations

from connector.errors import ErrorCode

__all__ = ["CODES", "S3_CODES", "lookup"]


def _input(code: str, meaning: str) -> ErrorCode:
    return ErrorCode(code, meaning, retryable=False, kind="input")


def _permanent(code: str, meaning: str) -> ErrorCode:
    return ErrorCode(code, meaning, retryable=False)


def _transient(code: str, meaning: str) -> ErrorCode:
    return ErrorCode(code, meaning, retryable=True)


# --- Job input and headers (retries 0)
INVALID_INPUT = _input("INVALID_INPUT", "a variable is missing or invalid; the message names each field")
INVALID_DOCUMENT = _input("INVALID_DOCUMENT", "a document reference is malformed; the message names the sub-field")
INVALID_HEADER = _input("INVALID_HEADER", "a task header is not a string, or not a valid duration")
INVALID_EXPRESSION = _input("INVALID_EXPRESSION", "a FEEL expression does not parse or fails to evaluate")
INVALID_RESULT_EXPRESSION = _input(
    "INVALID_RESULT_EXPRESSION", "resultExpression is neither FEEL nor JSONPath, or yields no context"
)
INVALID_ERROR_EXPRESSION = _input(
    "INVALID_ERROR_EXPRESSION", "errorExpression yields something other than bpmnError/jobError/ignoreError/null"
)
OUTPUT_TOO_LARGE = _input("OUTPUT_TOO_LARGE", "the output variables exceed 1.5 MiB")
SECRET_NOT_FOUND = _input("SECRET_NOT_FOUND", "a {{secrets.NAME}} placeholder names a secret the worker does not have")
INVALID_REQUEST = _input("INVALID_REQUEST", "botocore refused the request parameters before sending")
UNSUPPORTED_CHARSET = _input("UNSUPPORTED_CHARSET", "documentReturnFormat.encoding or the object's charset is unknown")
INLINE_UPLOAD_TOO_LARGE = _input(
    "INLINE_UPLOAD_TOO_LARGE", "inline upload content exceeds S3_CONNECTOR_INLINE_UPLOAD_MAX_BYTES"
)
# --- The operator's policy (retries 0)
ENDPOINT_NOT_ALLOWED = _input("ENDPOINT_NOT_ALLOWED", "configuration.endpoint is not on S3_CONNECTOR_ALLOWED_ENDPOINTS")
BUCKET_NOT_ALLOWED = _input("BUCKET_NOT_ALLOWED", "the bucket is not on S3_CONNECTOR_ALLOWED_BUCKETS")
DEFAULT_CREDENTIALS_NOT_ALLOWED = _input(
    "DEFAULT_CREDENTIALS_NOT_ALLOWED",
    "the worker's own AWS identity is disabled (S3_CONNECTOR_ALLOW_DEFAULT_CREDENTIALS)",
)
URL_NOT_ALLOWED = _input("URL_NOT_ALLOWED", "an external document URL's scheme or address is refused")
DOCUMENT_TOO_LARGE = _input("DOCUMENT_TOO_LARGE", "an external document exceeds S3_CONNECTOR_EXTERNAL_MAX_BYTES")
MISSING_CREDENTIALS = _input("MISSING_CREDENTIALS", "no usable credentials: a key without its secret, or none found")
# --- Objects and content
OBJECT_TOO_LARGE = _permanent(
    "OBJECT_TOO_LARGE", "an upload exceeds 9,999 parts of the part size; the upload was aborted"
)
CONTENT_TOO_LARGE = _permanent(
    "CONTENT_TOO_LARGE", "the object is over the inline limit for a download; use document mode"
)
CONTENT_NOT_TEXT = _permanent("CONTENT_NOT_TEXT", "the object is not valid text in the chosen charset")
INVALID_JSON = _transient("INVALID_JSON", "JSON was asked for but the object is not JSON (it may be rewritten)")
COPY_NOT_VERIFIED = _transient(
    "COPY_NOT_VERIFIED", "move: the copy's size or checksum differs from the source's; the source was kept"
)
SOURCE_NOT_DELETED = _transient(
    "SOURCE_NOT_DELETED", "move: the copy is verified but the source could not be deleted; a retry only deletes"
)
# --- Camunda's document store and external URLs
DOCUMENT_STORE_NOT_CONFIGURED = _permanent(
    "DOCUMENT_STORE_NOT_CONFIGURED", "the job needs documents but CAMUNDA_REST_ADDRESS is unset"
)
DOCUMENT_NOT_FOUND = _permanent("DOCUMENT_NOT_FOUND", "the document (or external URL) answered 404/410")
DOCUMENT_STORE_UNAUTHORIZED = _permanent(
    "DOCUMENT_STORE_UNAUTHORIZED", "the document store or its token endpoint refused the worker"
)
DOCUMENT_STORE_UNAVAILABLE = _transient(
    "DOCUMENT_STORE_UNAVAILABLE", "the document store answered 5xx/429 or could not be reached"
)
DOCUMENT_READ_FAILED = _permanent("DOCUMENT_READ_FAILED", "the document store refused to read the document (other 4xx)")
DOCUMENT_CREATE_FAILED = _permanent(
    "DOCUMENT_CREATE_FAILED", "the document store refused to create the document (other 4xx)"
)
DOCUMENT_LINK_FAILED = _permanent("DOCUMENT_LINK_FAILED", "the document store refused to create a link (other 4xx)")
DOCUMENT_SIZE_MISMATCH = _permanent("DOCUMENT_SIZE_MISMATCH", "the bytes streamed differ from the size announced")
DOCUMENT_HASH_MISMATCH = _transient(
    "DOCUMENT_HASH_MISMATCH", "the bytes read do not match the document's contentHash; nothing was written"
)
EXTERNAL_URL_UNAVAILABLE = _transient(
    "EXTERNAL_URL_UNAVAILABLE", "an external URL answered 5xx/408/429, timed out or could not be resolved now"
)
EXTERNAL_URL_FAILED = _permanent(
    "EXTERNAL_URL_FAILED", "an external URL answered another error status, or redirected too often"
)
URL_HOST_UNKNOWN = _permanent("URL_HOST_UNKNOWN", "an external URL's host name does not exist")
# --- Talking to S3 (transport; ours)
ENDPOINT_UNREACHABLE = _transient(
    "ENDPOINT_UNREACHABLE", "the S3 endpoint could not be reached or closed the connection"
)
TIMEOUT = _transient("TIMEOUT", "connecting to or reading from S3 timed out")
INCOMPLETE_READ = _transient("INCOMPLETE_READ", "the object's body ended early")
OBJECT_CHANGED = _transient(
    "OBJECT_CHANGED", "the object was overwritten during a ranged download (its ETag changed); nothing was kept"
)
CHECKSUM_MISMATCH = _transient(
    "CHECKSUM_MISMATCH", "the downloaded bytes differ from the full-object checksum S3 stores; nothing was kept"
)
TLS_ERROR = _permanent("TLS_ERROR", "the endpoint's TLS certificate failed verification")
S3_ERROR = _transient("S3_ERROR", "an unexpected S3 failure, or a 5xx answer without a code")
S3_REQUEST_REJECTED = _permanent("S3_REQUEST_REJECTED", "a 4xx answer without an error code")
# --- The worker itself
GATEWAY_UNAVAILABLE = _transient("GATEWAY_UNAVAILABLE", "the job's timeout could not be extended at the gateway")
INTERNAL_ERROR = _transient("INTERNAL_ERROR", "a bug in the connector; details are in the worker's log")
# --- s3-connector check (steps of the report, not job failures)
CONTENT_MISMATCH = _permanent("CONTENT_MISMATCH", "check: GetObject returned other bytes than were put")
LIST_MISMATCH = _permanent("LIST_MISMATCH", "check: ListObjectsV2 did not show the challenge object")
SKIPPED = _permanent("SKIPPED", "check: the step needs the challenge object, which put could not write")

# --- S3's own codes (S3's names)
# An object may appear later (eventual producers); Camunda decrements retries here too.
NO_SUCH_KEY = _transient("NoSuchKey", "the object does not exist (yet)")
_S3_PERMANENT = {
    "NoSuchBucket": "the bucket does not exist",
    "NoSuchVersion": "the object version does not exist",
    "AccessDenied": "the credentials may not do this",
    "AllAccessDisabled": "all access to this object has been disabled",
    "AccountProblem": "the AWS account has a problem",
    "InvalidAccessKeyId": "the access key id does not exist",
    "SignatureDoesNotMatch": "the secret key is wrong",
    "ExpiredToken": "the session token has expired",
    "InvalidToken": "the session token is malformed or invalid",
    "AuthorizationHeaderMalformed": "the request was signed for another region",
    "InvalidBucketName": "the bucket name is not valid",
    "InvalidRequest": "S3 refused the request",
    "InvalidArgument": "S3 refused an argument",
    "KeyTooLongError": "the key is too long",
    "EntityTooLarge": "the object or part is larger than S3 allows",
    "InvalidObjectState": "the object is archived (e.g. Glacier) and must be restored first",
    "MethodNotAllowed": "the operation is not allowed on this resource",
    "PreconditionFailed": "a condition did not hold (createOnly: the key exists; the object changed)",
    "PermanentRedirect": "the bucket is in another region",
    "NotImplemented": "the store does not implement this (e.g. encryption on MinIO without a KMS)",
    "InvalidTokenId": "the session token is not valid (MinIO's name for InvalidToken)",
    "BadDigest": "the bytes do not match the checksum sent with them",
    "XAmzContentChecksumMismatch": "the bytes do not match the checksum sent with them (MinIO)",
    "InvalidPart": "a part is missing or does not match its ETag or checksum",
    "EntityTooSmall": "a part other than the last is smaller than 5 MiB",
    "InvalidRange": "the requested byte range is not satisfiable",
    "NoSuchUpload": "the multipart upload does not exist (it was aborted or completed)",
}
_S3_TRANSIENT = {
    "SlowDown": "S3 is throttling requests",
    "InternalError": "S3 had an internal error",
    "ServiceUnavailable": "S3 is unavailable",
    "RequestTimeout": "the connection was idle too long",
    "Throttling": "requests are throttled",
    "ThrottlingException": "requests are throttled",
    "TooManyRequests": "requests are throttled",
    "RequestLimitExceeded": "requests are throttled",
    "OperationAborted": "a conflicting operation is in progress",
}
S3_CODES: dict[str, ErrorCode] = {
    NO_SUCH_KEY.code: NO_SUCH_KEY,
    **{code: _permanent(code, meaning) for code, meaning in _S3_PERMANENT.items()},
    **{code: _transient(code, meaning) for code, meaning in _S3_TRANSIENT.items()},
}

CODES: dict[str, ErrorCode] = {
    entry.code: entry for entry in globals().copy().values() if isinstance(entry, ErrorCode)
} | S3_CODES


def lookup(code: str) -> ErrorCode | None:
    """The table's row for ``code``, or None for a code the table does not know."""
    return CODES.get(code)
