"""Every botocore/S3 failure becomes a ConnectorError with a stable code and retry decision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ParamValidationError,
    PartialCredentialsError,
    ReadTimeoutError,
    SSLError,
)

from connector.errors import ConnectorError, InputError
from connector.s3 import ClientSpec, delete_object, get_object, map_s3_error, put_object

from .conftest import BUCKET

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

LOOPBACK_URL = "http://127.0.0.1:9/connector-unit/report.csv"


def client_error(
    code: str,
    status: int,
    message: str = "",
    *,
    operation: str = "GetObject",
    request_id: str = "REQ123",
    headers: dict[str, str] | None = None,
    extra_error_fields: dict[str, str] | None = None,
) -> ClientError:
    """A ClientError shaped like botocore's parse of a real S3 error response."""
    error: dict[str, Any] = {"Code": code, "Message": message, **(extra_error_fields or {})}
    response: Any = {
        "Error": error,
        "ResponseMetadata": {
            "RequestId": request_id,
            "HostId": "host-id",
            "HTTPStatusCode": status,
            "HTTPHeaders": headers or {},
            "RetryAttempts": 0,
        },
    }
    return ClientError(response, operation)


def mapped(exc: Exception, operation: str = "GetObject", key: str | None = "k") -> ConnectorError:
    return map_s3_error(exc, operation=operation, bucket="b", key=key)


class TestS3ErrorCodes:
    @pytest.mark.parametrize(
        ("code", "status", "retryable"),
        [
            ("NoSuchKey", 404, True),
            ("NoSuchBucket", 404, False),
            ("AccessDenied", 403, False),
            ("InvalidAccessKeyId", 403, False),
            ("SignatureDoesNotMatch", 403, False),
            ("ExpiredToken", 400, False),
            ("InvalidBucketName", 400, False),
            ("InvalidRequest", 400, False),
            ("PreconditionFailed", 412, False),
            ("AuthorizationHeaderMalformed", 400, False),
            ("PermanentRedirect", 301, False),
            ("SlowDown", 503, True),
            ("InternalError", 500, True),
            ("ServiceUnavailable", 503, True),
            ("RequestTimeout", 400, True),
            ("Throttling", 400, True),
        ],
    )
    def test_known_codes_keep_the_s3_code_and_their_retry_decision(
        self, code: str, status: int, retryable: bool
    ) -> None:
        error = mapped(client_error(code, status, "details"))

        assert type(error) is ConnectorError
        assert error.code == code
        assert error.retryable is retryable
        assert error.variables["httpStatus"] == status

    @pytest.mark.parametrize(
        ("status", "retryable"), [(500, True), (502, True), (503, True), (429, True), (400, False), (409, False)]
    )
    def test_unknown_codes_are_retryable_only_for_5xx_and_429(self, status: int, retryable: bool) -> None:
        error = mapped(client_error("SomethingNew", status, "new failure"))

        assert error.code == "SomethingNew"
        assert error.retryable is retryable

    @pytest.mark.parametrize("operation", ["HeadObject", "GetObject"])
    def test_bare_404_from_an_object_read_is_no_such_key(self, operation: str) -> None:
        error = mapped(client_error("404", 404, "Not Found", operation=operation), operation)

        assert error.code == "NoSuchKey"
        assert error.retryable is True
        assert "The specified key does not exist." in error.message

    def test_bare_404_from_head_bucket_is_no_such_bucket(self) -> None:
        error = mapped(client_error("404", 404, "Not Found", operation="HeadBucket"), "HeadBucket", None)

        assert error.code == "NoSuchBucket"
        assert error.retryable is False

    def test_bare_403_from_head_object_is_access_denied(self) -> None:
        error = mapped(client_error("403", 403, "Forbidden", operation="HeadObject"), "HeadObject")

        assert (error.code, error.retryable) == ("AccessDenied", False)

    def test_request_id_from_headers_when_the_body_had_none(self) -> None:
        exc = client_error(
            "404", 404, "Not Found", operation="HeadObject", request_id="", headers={"x-amz-request-id": "H1"}
        )

        assert mapped(exc, "HeadObject").variables["requestId"] == "H1"


class TestMessagesAndVariables:
    def test_message_names_operation_bucket_key_code_and_request_id(self) -> None:
        error = map_s3_error(
            client_error("NoSuchKey", 404, "The specified key does not exist.", request_id="ABC"),
            operation="GetObject",
            bucket="b",
            key="k",
        )

        assert error.message == (
            "GetObject failed for bucket 'b', key 'k': NoSuchKey: The specified key does not exist. (request id ABC)"
        )
        assert error.variables == {"bucket": "b", "key": "k", "requestId": "ABC", "httpStatus": 404}

    def test_without_key_and_request_id_neither_appears(self) -> None:
        error = mapped(client_error("NoSuchBucket", 404, "gone", request_id=""), "ListObjectsV2", key=None)

        assert error.message == "ListObjectsV2 failed for bucket 'b': NoSuchBucket: gone"
        assert error.variables == {"bucket": "b", "httpStatus": 404}

    def test_signature_details_and_headers_never_reach_message_or_variables(self) -> None:
        exc = client_error(
            "SignatureDoesNotMatch",
            403,
            "The request signature we calculated does not match the signature you provided.",
            headers={"authorization": "AWS4-HMAC-SHA256 Credential=AKIAX/..., Signature=deadbeef"},
            extra_error_fields={
                "AWSAccessKeyId": "AKIAX",
                "StringToSign": "AWS4-HMAC-SHA256 secret-bits",
                "SignatureProvided": "deadbeef",
            },
        )

        error = mapped(exc)

        rendered = error.message + repr(error.variables)
        for leaked in ("AKIAX", "deadbeef", "secret-bits", "AWS4-HMAC"):
            assert leaked not in rendered

    def test_a_flood_of_text_from_a_store_is_clipped(self) -> None:
        error = mapped(client_error("InternalError", 500, "x" * 50_000))

        assert len(error.message) < 1200

    def test_connector_errors_pass_through_unchanged(self) -> None:
        original = InputError("bad", code="X")

        assert mapped(original) is original


class TestTransportAndLocalErrors:
    @pytest.mark.parametrize(
        ("exc", "code"),
        [
            (EndpointConnectionError(endpoint_url=LOOPBACK_URL), "ENDPOINT_UNREACHABLE"),
            (ConnectionClosedError(endpoint_url=LOOPBACK_URL), "ENDPOINT_UNREACHABLE"),
            (ConnectTimeoutError(endpoint_url=LOOPBACK_URL), "TIMEOUT"),
            (ReadTimeoutError(endpoint_url=LOOPBACK_URL), "TIMEOUT"),
        ],
    )
    def test_network_failures_are_retryable(self, exc: Exception, code: str) -> None:
        error = mapped(exc)

        assert (error.code, error.retryable) == (code, True)
        assert error.message.startswith(f"GetObject failed for bucket 'b', key 'k': {code}: ")
        assert "127.0.0.1:9" in error.message

    def test_tls_verification_failure_is_not_retried(self) -> None:
        error = mapped(SSLError(endpoint_url="https://127.0.0.1:9", error=OSError("certificate verify failed")))

        assert (error.code, error.retryable) == ("TLS_ERROR", False)

    @pytest.mark.parametrize(
        "exc",
        [NoCredentialsError(), PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY")],
    )
    def test_missing_credentials_are_not_retried(self, exc: Exception) -> None:
        error = mapped(exc)

        assert (error.code, error.retryable) == ("MISSING_CREDENTIALS", False)

    def test_parameter_validation_is_an_input_error(self) -> None:
        error = mapped(ParamValidationError(report="Invalid length for parameter Key, value: 0"))

        assert isinstance(error, InputError)
        assert (error.code, error.retryable) == ("INVALID_REQUEST", False)

    def test_foreign_exceptions_are_retryable_s3_errors(self) -> None:
        error = mapped(RuntimeError("boom"))

        assert (error.code, error.retryable) == ("S3_ERROR", True)


class TestRealMotoErrors:
    def test_missing_key_on_get(self, s3: S3Client) -> None:
        with pytest.raises(ConnectorError) as raised:
            get_object(s3, bucket=BUCKET, key="missing.txt", max_bytes=100)

        error = raised.value
        assert (error.code, error.retryable) == ("NoSuchKey", True)
        assert error.message.startswith(f"GetObject failed for bucket '{BUCKET}', key 'missing.txt': NoSuchKey: ")
        assert error.variables["httpStatus"] == 404
        assert error.variables["requestId"]
        assert isinstance(raised.value.__cause__, ClientError)

    @pytest.mark.parametrize("action", ["get", "put", "delete"])
    def test_missing_bucket(self, s3: S3Client, action: str) -> None:
        calls = {
            "get": lambda: get_object(s3, bucket="no-such-bucket", key="k", max_bytes=10),
            "put": lambda: put_object(s3, bucket="no-such-bucket", key="k", body=b"x", content_type=None),
            "delete": lambda: delete_object(s3, bucket="no-such-bucket", key="k"),
        }

        with pytest.raises(ConnectorError) as raised:
            calls[action]()

        assert (raised.value.code, raised.value.retryable) == ("NoSuchBucket", False)
        assert raised.value.variables["bucket"] == "no-such-bucket"

    def test_empty_key_is_rejected_before_sending(self, s3: S3Client) -> None:
        with pytest.raises(InputError) as raised:
            put_object(s3, bucket=BUCKET, key="", body=b"x", content_type=None)

        assert raised.value.code == "INVALID_REQUEST"


class TestClientSpecErrors:
    def test_a_key_id_without_secret_is_an_input_error(self) -> None:
        with pytest.raises(InputError) as raised:
            ClientSpec(access_key_id="AKIAFAKE")

        assert raised.value.code == "MISSING_CREDENTIALS"


class TestWrongRegion:
    def test_message_names_the_bucket_region(self) -> None:
        from botocore.exceptions import ClientError

        from connector.s3.errors import map_s3_error

        error = ClientError(
            {
                "Error": {
                    "Code": "AuthorizationHeaderMalformed",
                    "Message": "the region 'us-east-1' is wrong",
                    "Region": "eu-central-1",
                },
                "ResponseMetadata": {"HTTPStatusCode": 400, "HTTPHeaders": {}},
            },
            "GetObject",
        )
        mapped = map_s3_error(error, operation="GetObject", bucket="b", key="k")
        assert mapped.retryable is False
        assert "region 'eu-central-1'" in mapped.message and "configuration.region" in mapped.message
        assert mapped.variables["bucketRegion"] == "eu-central-1"

    def test_redirect_header(self) -> None:
        from botocore.exceptions import ClientError

        from connector.s3.errors import map_s3_error

        error = ClientError(
            {
                "Error": {"Code": "PermanentRedirect", "Message": "moved"},
                "ResponseMetadata": {"HTTPStatusCode": 301, "HTTPHeaders": {"x-amz-bucket-region": "ap-south-1"}},
            },
            "PutObject",
        )
        assert "ap-south-1" in map_s3_error(error, operation="PutObject", bucket="b").message
