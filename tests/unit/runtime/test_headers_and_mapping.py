from typing import Any

import pytest

from connector.errors import InputError
from connector.feel import FeelEngine
from connector.runtime.expressions import decision_from_value
from connector.runtime.headers import JobHeaders, parse_headers
from connector.runtime.outcome import BpmnError, IgnoreError, JobError
from connector.runtime.result_mapping import MAX_OUTPUT_BYTES, map_result


class TestHeaders:
    def test_all_known_headers(self) -> None:
        headers = parse_headers(
            {
                "resultVariable": "s3Result",
                "resultExpression": '{"l": "$.link"}',
                "errorExpression": "=null",
                "retryBackoff": "PT30S",
                "jobTimeout": "PT5M",
                "elementTemplateVersion": "6",
            }
        )
        assert headers == JobHeaders("s3Result", '{"l": "$.link"}', "=null", 30_000, 300_000)

    def test_blank_headers_mean_absent(self) -> None:
        assert parse_headers({"retryBackoff": "  ", "resultVariable": ""}) == JobHeaders()

    @pytest.mark.parametrize(
        ("key", "value"), [("retryBackoff", "30s"), ("jobTimeout", "soon"), ("jobTimeout", "PT0S")]
    )
    def test_invalid_duration_names_the_header(self, key: str, value: str) -> None:
        with pytest.raises(InputError) as info:
            parse_headers({key: value})
        assert key in info.value.message and info.value.retryable is False

    @pytest.mark.parametrize(
        ("value", "ms"), [("PT1.S", 1_000), ("pt0,5s", 500), ("-PT-1S", 1_000), ("P1DT1S", 86_401_000)]
    )
    def test_durations_are_read_as_javas_duration_parse_reads_them(self, value: str, ms: int) -> None:
        assert parse_headers({"retryBackoff": value}).retry_backoff_ms == ms

    @pytest.mark.parametrize("value", [" P1D", "PT5S ", "PT\uff11S", "P1W", "PT"])
    def test_what_duration_parse_refuses_is_an_invalid_header(self, value: str) -> None:
        with pytest.raises(InputError) as info:
            parse_headers({"retryBackoff": value})
        assert info.value.code == "INVALID_HEADER"

    def test_negative_backoff_refused(self) -> None:
        with pytest.raises(InputError, match="retryBackoff"):
            parse_headers({"retryBackoff": "-PT1S"})


RESPONSE: dict[str, Any] = {"bucket": "b", "key": "k", "link": "https://x/k", "element": {"content": [1, 2]}}


class TestResultMapping:
    def test_nothing_configured_means_no_variables(self) -> None:
        assert map_result(RESPONSE, JobHeaders(), FeelEngine()) == {}

    def test_result_variable_holds_the_whole_response(self) -> None:
        assert map_result(RESPONSE, JobHeaders(result_variable="r"), FeelEngine()) == {"r": RESPONSE}

    def test_jsonpath_mapping_merges_after_result_variable(self) -> None:
        headers = JobHeaders(
            result_variable="r", result_expression='{"r": "$.key", "items": "$.element.content[*]", "none": "$.nope"}'
        )
        assert map_result(RESPONSE, headers, FeelEngine()) == {"r": "k", "items": [1, 2], "none": None}

    @pytest.mark.parametrize("expression", ["not json", '["$.a"]', '{"a": 1}', '{"a": "$[?"}'])
    def test_invalid_mapping_is_an_input_error(self, expression: str) -> None:
        with pytest.raises(InputError) as info:
            map_result(RESPONSE, JobHeaders(result_expression=expression), FeelEngine())
        assert "resultExpression" in info.value.message

    def test_feel_sees_fields_top_level_and_as_response(self) -> None:
        headers = JobHeaders(result_variable="r", result_expression="={link: link, k: response.key, r: 1}")
        assert map_result(RESPONSE, headers, FeelEngine()) == {"r": 1, "link": "https://x/k", "k": "k"}

    def test_feel_null_result_adds_nothing(self) -> None:
        assert map_result(RESPONSE, JobHeaders(result_expression="=null"), FeelEngine()) == {}

    def test_feel_result_must_be_a_context(self) -> None:
        with pytest.raises(InputError, match="must return a context"):
            map_result(RESPONSE, JobHeaders(result_expression="=[1, 2]"), FeelEngine())

    def test_feel_syntax_error_quotes_the_expression(self) -> None:
        with pytest.raises(InputError) as info:
            map_result(RESPONSE, JobHeaders(result_expression="={link: }"), FeelEngine())
        assert info.value.code == "INVALID_EXPRESSION" and "{link: }" in info.value.message

    def test_feel_engine_sees_fields_top_level_and_as_response(self) -> None:
        seen: dict[str, Any] = {}

        class Engine:
            def evaluate(self, expression: str, context: Any) -> Any:
                seen.update(expression=expression, context=context)
                return {"l": context["link"]}

        assert map_result(RESPONSE, JobHeaders(result_expression="={l: link}"), Engine()) == {"l": "https://x/k"}
        assert seen["expression"] == "{l: link}" and seen["context"]["response"] == RESPONSE

    def test_output_size_guard(self) -> None:
        big = {"blob": "x" * (MAX_OUTPUT_BYTES + 1)}
        with pytest.raises(InputError, match="over the limit"):
            map_result(big, JobHeaders(result_variable="r"), FeelEngine())


class TestErrorExpressionValues:
    def test_null_and_empty_mean_no_error(self) -> None:
        assert decision_from_value(None) is None and decision_from_value({}) is None

    def test_bpmn_error(self) -> None:
        value = {"errorType": "bpmnError", "errorCode": "E1", "errorMessage": "m", "variables": {"a": 1}}
        assert decision_from_value(value) == BpmnError("E1", "m", {"a": 1})

    def test_bpmn_error_without_code_is_ignored(self) -> None:
        assert decision_from_value({"errorType": "bpmnError", "errorCode": None}) is None

    def test_job_error_with_duration_backoff(self) -> None:
        value = {"errorType": "jobError", "errorMessage": "m", "retries": 2, "retryBackoff": "PT1M"}
        assert decision_from_value(value) == JobError("m", {}, 2, 60_000)

    def test_ignore_error(self) -> None:
        assert decision_from_value({"errorType": "ignoreError", "variables": {"x": 1}}) == IgnoreError({"x": 1})

    @pytest.mark.parametrize("value", [1, "x", {"errorType": "other"}, {"errorType": "jobError", "retries": "2"}])
    def test_anything_else_is_an_input_error(self, value: Any) -> None:
        with pytest.raises(InputError):
            decision_from_value(value)
