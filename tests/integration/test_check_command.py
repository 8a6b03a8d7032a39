"""``s3-connector check`` against moto's server over HTTP, as an operator runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from testkit.moto_http import admin_client, moto_server

BUCKET = "check-bucket"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_server(BUCKET) as url:
        yield url


def check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "S3_CONNECTOR_", "SECRET_"))}
    return subprocess.run(
        [sys.executable, "-m", "connector", "check", *args],
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def variables(endpoint: str, **auth: Any) -> str:
    authentication = auth or {"accessKey": "AKIACHECK", "secretKey": "{{secrets.CHECK_SECRET}}"}
    return json.dumps(
        {"authentication": authentication, "configuration": {"region": "us-east-1", "endpoint": endpoint}}
    )


class TestCheck:
    def test_all_permissions_work_and_nothing_is_left(self, endpoint: str) -> None:
        result = check(
            "--bucket",
            BUCKET,
            "--variables",
            variables(endpoint),
            "--list",
            "--json",
            env={"SECRET_CHECK_SECRET": "check-secret-value"},
        )
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["ok"] and [s["name"] for s in report["steps"]] == ["put", "head", "get", "list", "delete"]
        s3 = admin_client(endpoint)
        assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
        assert "check-secret-value" not in result.stdout + result.stderr

    def test_missing_permissions_are_named_and_exit_1(self, endpoint: str) -> None:
        # moto lets anonymous callers write to a bucket without a policy, but not read or delete.
        result = check("--bucket", BUCKET, "--variables", variables(endpoint, type="anonymous"), "--prefix", "anon/")
        assert result.returncode == 1
        assert "put     s3:PutObject     ok" in result.stdout
        assert "get     s3:GetObject     FAILED (AccessDenied)" in result.stdout
        assert "grant s3:DeleteObject on arn:aws:s3:::check-bucket/*" in result.stdout
        assert "could not be removed" in result.stdout and "some permissions are missing" in result.stdout
        s3 = admin_client(endpoint)
        for item in s3.list_objects_v2(Bucket=BUCKET, Prefix="anon/").get("Contents", []):
            s3.delete_object(Bucket=BUCKET, Key=item["Key"])

    def test_steps_after_a_failed_put_are_skipped(self, endpoint: str) -> None:
        result = check("--bucket", "absent-bucket-y", "--variables", variables(endpoint, type="anonymous"), "--json")
        report = json.loads(result.stdout)
        assert result.returncode == 1 and report["steps"][0]["ok"] is False
        assert {step["code"] for step in report["steps"][1:]} == {"SKIPPED"}

    def test_missing_bucket(self, endpoint: str) -> None:
        result = check(
            "--bucket", "no-such-bucket-x", "--variables", variables(endpoint), env={"SECRET_CHECK_SECRET": "s"}
        )
        assert result.returncode == 1 and "NoSuchBucket" in result.stdout

    def test_invalid_bucket_name_fails_before_any_request(self, endpoint: str) -> None:
        result = check("--bucket", "Bad_Name", "--variables", variables(endpoint), env={"SECRET_CHECK_SECRET": "s"})
        assert result.returncode == 1 and "--bucket" in result.stderr
