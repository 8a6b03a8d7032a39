"""The connector runtime's FEEL functions return exactly the contexts Camunda's functions build.

Shapes follow ``BpmnErrorFunction``, ``JobErrorFunction``, ``IgnoreErrorFunction`` and
``BackoffFunction`` in camunda/connectors (``connector-runtime/connector-feel``) and their
``LocalFeelExpressionEvaluatorExpressionEvaluationTest``.
"""

from __future__ import annotations

from typing import Any

import pytest

from connector.errors import InputError
from connector.feel import FeelEngine
from connector.feel.durations import parse_day_time_duration

ENGINE = FeelEngine()


def evaluate(expression: str, variables: dict[str, Any] | None = None) -> Any:
    return ENGINE.evaluate(expression, variables or {})


def parse_duration_ms(text: str) -> int:
    nanos = parse_day_time_duration(text)
    assert nanos is not None, text
    return nanos // 1_000_000


class TestBpmnError:
    def test_code_only_has_no_message_and_no_variables_keys(self) -> None:
        assert evaluate('bpmnError("testOnlyCode")') == {"errorType": "bpmnError", "errorCode": "testOnlyCode"}

    def test_code_and_message(self) -> None:
        assert evaluate('=bpmnError("test", "test message")') == {
            "errorType": "bpmnError",
            "errorCode": "test",
            "errorMessage": "test message",
        }

    def test_code_message_and_variables(self) -> None:
        result = evaluate('bpmnError("test", "test message", variables)', {"variables": {"errorVariable": "test"}})
        assert result == {
            "errorType": "bpmnError",
            "errorCode": "test",
            "errorMessage": "test message",
            "variables": {"errorVariable": "test"},
        }

    def test_named_arguments(self) -> None:
        assert evaluate('bpmnError(errorMessage: "m", errorCode: "C")') == {
            "errorType": "bpmnError",
            "errorCode": "C",
            "errorMessage": "m",
        }

    @pytest.mark.parametrize(
        ("expression", "message"),
        [
            ("bpmnError(1)", "Parameter 'errorCode' of function 'bpmnError' must be a String"),
            ('bpmnError("C", 1)', "Parameter 'errorMessage' of function 'bpmnError' must be a String"),
            ('bpmnError("C", null)', "Parameter 'errorMessage' of function 'bpmnError' must be a String"),
            ('bpmnError("test", "test", "test")', "Parameter 'variables' of function 'bpmnError' must be a Context"),
        ],
    )
    def test_wrong_argument_types_fail(self, expression: str, message: str) -> None:
        with pytest.raises(InputError, match=message):
            evaluate(expression)

    def test_too_many_arguments_is_no_function(self) -> None:
        assert evaluate('bpmnError("a", "b", {}, 1)') is None


class TestJobError:
    def test_all_parameters(self) -> None:
        result = evaluate(
            'jobError(message, {"key": "value"}, job.retries - 1, duration("PT1M"))',
            {"message": "some Message", "job": {"retries": 3}},
        )
        assert result == {
            "errorType": "jobError",
            "errorMessage": "some Message",
            "variables": {"key": "value"},
            "retries": 2,
            "retryBackoff": "PT1M",
        }

    def test_defaults_variables_retries_and_backoff(self) -> None:
        expected = {"errorType": "jobError", "errorMessage": "m", "variables": {}, "retries": 0, "retryBackoff": "PT0S"}
        assert evaluate('jobError("m")') == expected
        assert evaluate('jobError("m", {})') == expected
        assert evaluate('jobError("m", {}, 0)') == expected

    def test_retries_without_backoff(self) -> None:
        assert evaluate('jobError("m", {"key": "value"}, 2)')["retryBackoff"] == "PT0S"

    def test_variables_keep_json_types(self) -> None:
        result = evaluate('jobError("m", {str: "text", num: 42, dec: 3.14, bool: true, items: [1, 2], n: {k: "v"}})')
        assert result["variables"] == {
            "str": "text",
            "num": 42,
            "dec": 3.14,
            "bool": True,
            "items": [1, 2],
            "n": {"k": "v"},
        }
        assert type(result["variables"]["num"]) is int

    @pytest.mark.parametrize(
        ("backoff", "iso"),
        [("PT10S", "PT10S"), ("PT1M", "PT1M"), ("P1D", "PT24H"), ("PT1.5S", "PT1.5S"), ("PT90M", "PT1H30M")],
    )
    def test_retry_backoff_is_an_iso_duration_the_runtime_reads(self, backoff: str, iso: str) -> None:
        result = evaluate(f'jobError("m", {{}}, 1, duration("{backoff}"))')
        assert result["retryBackoff"] == iso
        assert parse_duration_ms(result["retryBackoff"]) > 0

    @pytest.mark.parametrize(
        ("expression", "message"),
        [
            ("jobError(1)", "Parameter 'errorMessage' of function 'jobError' must be a String"),
            ('jobError("m", null)', "Parameter 'variables' of function 'jobError' must be a Context"),
            ('jobError("m", {}, "3")', "Parameter 'retries' of function 'jobError' must be a Number"),
            (
                'jobError("m", {}, 3, "PT1M")',
                r"Parameter 'retryBackoff' of function 'jobError' must be a day-time duration",
            ),
            ('jobError("m", {}, 3, duration("P1Y"))', "must be a day-time duration"),
        ],
    )
    def test_wrong_argument_types_fail(self, expression: str, message: str) -> None:
        with pytest.raises(InputError, match=message):
            evaluate(expression)


class TestIgnoreError:
    def test_without_variables_has_no_variables_key(self) -> None:
        assert evaluate("ignoreError()") == {"errorType": "ignoreError"}

    def test_with_variables(self) -> None:
        assert evaluate("ignoreError(vars)", {"vars": {"testKey": "testValue"}}) == {
            "errorType": "ignoreError",
            "variables": {"testKey": "testValue"},
        }

    def test_variables_must_be_a_context(self) -> None:
        with pytest.raises(InputError, match="Parameter 'variables' of function 'ignoreError' must be a Context"):
            evaluate('ignoreError("x")')


class TestBackoff:
    def test_attempt_only_uses_the_defaults_with_jitter(self) -> None:
        for _ in range(20):
            assert 45 <= parse_duration_ms(evaluate("backoff(1)")) <= 55

    def test_clamped_to_the_maximum(self) -> None:
        assert 4500 <= parse_duration_ms(evaluate("backoff(100)")) <= 5500

    def test_usable_as_job_error_backoff(self) -> None:
        result = evaluate('jobError("fail", {}, 2, backoff(1, duration("PT1S"), 2, duration("PT1M"), 0))')
        assert result["retryBackoff"] == "PT1S"

    @pytest.mark.parametrize(("attempt", "delay"), [(1, "PT1S"), (2, "PT2S"), (3, "PT4S"), (7, "PT1M"), (30, "PT1M")])
    def test_grows_exponentially_without_jitter(self, attempt: int, delay: str) -> None:
        assert evaluate(f'backoff({attempt}, duration("PT1S"), 2, duration("PT1M"), 0)') == delay

    def test_factor_must_be_positive(self) -> None:
        with pytest.raises(InputError, match="'factor' must be > 0"):
            evaluate('backoff(1, duration("PT0.05S"), 0)')

    def test_min_delay_must_not_exceed_max_delay(self) -> None:
        with pytest.raises(InputError, match="'minDelay' must be <= 'maxDelay'"):
            evaluate('backoff(1, duration("PT1M"), 2, duration("PT1S"))')


UPLOAD_RESPONSE = {
    "bucket": "b",
    "key": "a/b.txt",
    "link": "https://b/a/b.txt",
    "size": 2048,
    "contentType": "text/plain",
}


class TestTypicalConnectorExpressions:
    RESPONSE = UPLOAD_RESPONSE

    def test_result_expressions(self) -> None:
        context = {**self.RESPONSE, "response": self.RESPONSE}
        assert evaluate("{link: link, size: size}", context) == {"link": "https://b/a/b.txt", "size": 2048}
        assert evaluate("{s3Key: response.key}", context) == {"s3Key": "a/b.txt"}
        assert evaluate(
            "{content: element.content, names: for i in items return i.name}",
            {"element": {"content": "hello"}, "items": [{"name": "a"}, {"name": "b"}]},
        ) == {"content": "hello", "names": ["a", "b"]}

    def test_bpmn_error_for_a_missing_key(self) -> None:
        expression = 'if error.code = "NoSuchKey" then bpmnError("NOT_FOUND", error.message) else null'
        error = {"code": "NoSuchKey", "message": "The specified key does not exist."}
        assert evaluate(expression, {"error": error}) == {
            "errorType": "bpmnError",
            "errorCode": "NOT_FOUND",
            "errorMessage": "The specified key does not exist.",
        }
        assert evaluate(expression, {"error": {**error, "code": "AccessDenied"}}) is None
        assert evaluate(expression, {"response": self.RESPONSE}) is None  # success: no error variable

    def test_job_error_with_relative_retries(self) -> None:
        expression = (
            'if error != null then jobError("S3 failed: " + error.message, {}, job.retries - 1, duration("PT1M"))'
            " else null"
        )
        assert evaluate(expression, {"error": {"message": "SlowDown"}, "job": {"retries": 3}}) == {
            "errorType": "jobError",
            "errorMessage": "S3 failed: SlowDown",
            "variables": {},
            "retries": 2,
            "retryBackoff": "PT1M",
        }
        assert evaluate(expression, {"job": {"retries": 3}}) is None

    def test_bpmn_error_from_the_response(self) -> None:
        expression = 'if response.size > 1000 then bpmnError("TOO_BIG", "size " + string(response.size)) else null'
        assert evaluate(expression, {"response": self.RESPONSE}) == {
            "errorType": "bpmnError",
            "errorCode": "TOO_BIG",
            "errorMessage": "size 2048",
        }
        assert evaluate(expression, {"response": {**self.RESPONSE, "size": 10}}) is None

    def test_a_raw_context_with_the_same_keys_is_fine_too(self) -> None:
        expression = (
            '{"errorType":"bpmnError","errorCode":error.code,"errorMessage":error.message,"variables":error.variables}'
        )
        assert evaluate(expression, {"error": {"code": "C", "message": "m", "variables": {"a": 1}}}) == {
            "errorType": "bpmnError",
            "errorCode": "C",
            "errorMessage": "m",
            "variables": {"a": 1},
        }

    def test_camunda_status_example(self) -> None:
        expression = (
            "if response.status = 204 then {retries: job.retries, responseRetries: response.job.retries} else null"
        )
        variables = {"status": 204, "response": {"status": 204, "body": ""}, "job": {"retries": 3}}
        assert evaluate(expression, variables) == {"retries": 3, "responseRetries": None}
