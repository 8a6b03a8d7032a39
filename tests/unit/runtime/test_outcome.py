from connector.errors import ConnectorError, InputError
from connector.redaction import Redactor
from connector.runtime.outcome import (
    MAX_MESSAGE_CHARS,
    BpmnError,
    Complete,
    Fail,
    IgnoreError,
    JobError,
    Throw,
    decide_outcome,
)


def decide(**kwargs):  # type: ignore[no-untyped-def]
    base = {"output_variables": None, "error": None, "job_retries": 3, "retry_backoff_ms": None}
    return decide_outcome(**{**base, **kwargs})


class TestWithoutErrorExpression:
    def test_success_completes_with_output_variables(self) -> None:
        assert decide(output_variables={"r": 1}) == Complete({"r": 1})

    def test_input_error_fails_with_retries_zero_and_no_backoff(self) -> None:
        outcome = decide(error=InputError("action.bucket: required"), retry_backoff_ms=30_000)
        assert isinstance(outcome, Fail)
        assert (outcome.retries, outcome.retry_backoff_ms) == (0, 0)
        assert outcome.variables["error"]["code"] == "INVALID_INPUT"

    def test_retryable_error_decrements_retries_and_applies_backoff(self) -> None:
        outcome = decide(error=ConnectorError("slow", code="SlowDown"), job_retries=3, retry_backoff_ms=5_000)
        assert outcome == Fail(
            message="slow",
            retries=2,
            retry_backoff_ms=5_000,
            variables={"error": {"type": "ConnectorError", "code": "SlowDown", "message": "slow", "variables": {}}},
        )

    def test_last_retry_never_goes_negative(self) -> None:
        outcome = decide(error=ConnectorError("x"), job_retries=0, retry_backoff_ms=1000)
        assert isinstance(outcome, Fail) and outcome.retries == 0 and outcome.retry_backoff_ms == 0

    def test_message_is_redacted_and_truncated(self) -> None:
        error = ConnectorError("token=hunter2 " + "x" * 10_000)
        outcome = decide(error=error, redact=Redactor(frozenset({"hunter2"})))
        assert isinstance(outcome, Fail)
        assert len(outcome.message) == MAX_MESSAGE_CHARS
        assert "hunter2" not in outcome.message and outcome.message.startswith("token=***")
        assert "hunter2" not in str(outcome.variables)


class TestErrorExpressionDecisions:
    def test_bpmn_error_throws_even_on_success(self) -> None:
        outcome = decide(output_variables={"a": 1}, decision=BpmnError("NOT_FOUND", "gone", {"k": 1}))
        assert outcome == Throw(code="NOT_FOUND", message="gone", variables={"k": 1})

    def test_job_error_uses_its_own_retries_and_backoff(self) -> None:
        outcome = decide(
            error=ConnectorError("x"), decision=JobError("custom", {"v": 1}, retries=5, retry_backoff_ms=60_000)
        )
        assert outcome == Fail(
            message="custom", retries=5, retry_backoff_ms=60_000, variables={"v": 1, "error": "custom"}
        )

    def test_job_error_negative_retries_clamped(self) -> None:
        outcome = decide(decision=JobError("m", retries=-1))
        assert isinstance(outcome, Fail) and outcome.retries == 0

    def test_ignore_error_completes_with_its_variables(self) -> None:
        assert decide(error=ConnectorError("x"), decision=IgnoreError({"ok": True})) == Complete({"ok": True})


class TestErrorVariablesAreMasked:
    def test_secret_in_error_variables_is_masked(self) -> None:
        error = ConnectorError("missing", code="NoSuchKey", variables={"key": "hunter2", "nested": {"hunter2": 1}})
        outcome = decide(error=error, redact=Redactor(frozenset({"hunter2"})))
        assert isinstance(outcome, Fail)
        assert outcome.variables["error"]["variables"] == {"key": "***", "nested": {"***": 1}}
