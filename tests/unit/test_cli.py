"""``s3-connector invoke`` as a user runs it: a real subprocess, JSON in, JSON out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_cli(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "S3_CONNECTOR_", "SECRET_"))}
    return subprocess.run(
        [sys.executable, "-m", "connector", *args],
        env={**base, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


class TestInvoke:
    def test_input_error_prints_fail_outcome_and_exits_1(self) -> None:
        variables = {
            "authentication": {"accessKey": "a", "secretKey": "b"},
            "actionDiscriminator": "deleteObject",
            "action": {"key": "k"},
        }
        result = run_cli("invoke", "--variables", json.dumps(variables), "--headers", '{"jobTimeout": "PT1M"}')
        assert result.returncode == 1, result.stderr
        outcome = json.loads(result.stdout)
        assert outcome["outcome"] == "fail" and outcome["retries"] == 0
        assert "action.bucket" in outcome["message"] and outcome["jobTimeoutMs"] == 60_000

    def test_variables_from_file_and_stdin(self, tmp_path: Path) -> None:
        path = tmp_path / "vars.json"
        path.write_text(json.dumps({"actionDiscriminator": "nope"}))
        from_file = json.loads(run_cli("invoke", "--variables", f"@{path}").stdout)
        from_stdin = json.loads(run_cli("invoke", "--variables", "-", stdin=path.read_text()).stdout)
        assert from_file == from_stdin and "actionDiscriminator" in from_file["message"]

    def test_missing_secret_fails_with_retries_zero(self) -> None:
        variables = {"authentication": {"accessKey": "a", "secretKey": "{{secrets.NOT_SET}}"}}
        outcome = json.loads(
            run_cli("invoke", "--task-type", "s3-connector:delete:1", "--variables", json.dumps(variables)).stdout
        )
        assert outcome["retries"] == 0 and "NOT_SET" in outcome["message"]

    @pytest.mark.parametrize(
        "args",
        [["invoke", "--task-type", "unknown:1"], ["invoke", "--variables", "[1]"], ["invoke", "--variables", "{bad"]],
    )
    def test_usage_errors_exit_2(self, args: list[str]) -> None:
        result = run_cli(*args)
        assert result.returncode == 2 and result.stderr.strip()

    def test_invalid_configuration_is_reported_not_a_traceback(self) -> None:
        result = run_cli("invoke", env={"S3_CONNECTOR_MAX_RUNNING_JOBS": "zero"})
        assert result.returncode != 0 and "invalid configuration" in result.stderr
        assert "Traceback" not in result.stderr

    def test_version(self) -> None:
        assert run_cli("--version").stdout.startswith("s3-connector ")


class TestFeelCommand:
    def test_evaluates_with_context(self) -> None:
        result = run_cli("feel", '=if size > 10 then "big" else "small"', "--context", '{"size": 42}')
        assert result.returncode == 0 and json.loads(result.stdout) == "big"

    def test_error_exits_1_with_position(self) -> None:
        result = run_cli("feel", "={a: }")
        assert result.returncode == 1 and "line 1" in result.stderr

    def test_batch_keeps_order_and_reports_errors_per_line(self) -> None:
        lines = "\n".join(
            [
                json.dumps({"expression": 'bpmnError("E", "m")'}),
                json.dumps({"expression": "x +", "context": {}}),
                json.dumps({"expression": "a.b", "context": {"a": {"b": [1, 2]}}}),
            ]
        )
        result = run_cli("feel", "--batch", stdin=lines + "\n")
        outputs = [json.loads(line) for line in result.stdout.splitlines()]
        assert outputs[0] == {"result": {"errorType": "bpmnError", "errorCode": "E", "errorMessage": "m"}}
        assert "error" in outputs[1] and outputs[2] == {"result": [1, 2]}

    def test_missing_expression_is_a_usage_error(self) -> None:
        assert run_cli("feel").returncode == 2
