"""``s3-connector check`` against real S3 servers over HTTP (moto, s3rver; MinIO in the interop
command), as an operator runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from typing import Any

import pytest

from testkit.minio_admin import MinioAdmin
from testkit.s3servers import S3Server

BUCKET = "check-bucket"
SECRET = "check-secret-value"


@pytest.fixture
def server(s3_server: S3Server) -> S3Server:
    s3_server.ensure_bucket(BUCKET)
    return s3_server


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


def variables(server: S3Server, **auth: Any) -> str:
    authentication = auth or {"accessKey": server.access_key_id, "secretKey": "{{secrets.CHECK_SECRET}}"}
    return json.dumps(
        {"authentication": authentication, "configuration": {"region": server.region, "endpoint": server.endpoint_url}}
    )


def put_only(server: S3Server) -> dict[str, str]:
    """Credentials that may put objects in :data:`BUCKET` and do nothing else.

    moto enforces no user policies, but refuses anonymous reads and deletes while letting an
    anonymous caller write to a bucket without a policy; MinIO enforces a user's policy."""
    if server.name == "moto":
        return {"type": "anonymous"}
    admin = MinioAdmin(server.endpoint_url, server.access_key_id, server.secret_access_key, server.region)
    user, secret = f"put-only-{uuid.uuid4().hex[:8]}", f"secret-{uuid.uuid4().hex}"
    admin.add_user(user, secret)
    statement = {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": [f"arn:aws:s3:::{BUCKET}/*"]}
    admin.add_policy(f"policy-{user}", {"Version": "2012-10-17", "Statement": [statement]})
    admin.set_user_policy(user, f"policy-{user}")
    return {"accessKey": user, "secretKey": secret}


class TestCheck:
    def test_all_permissions_work_and_nothing_is_left(self, server: S3Server) -> None:
        result = check(
            "--bucket",
            BUCKET,
            "--variables",
            variables(server),
            "--list",
            "--json",
            env={"SECRET_CHECK_SECRET": server.secret_access_key},
        )
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["ok"] and [s["name"] for s in report["steps"]] == ["put", "head", "get", "list", "delete"]
        assert server.client().list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
        assert server.secret_access_key not in result.stdout + result.stderr

    @pytest.mark.s3_gap("s3rver", reason="s3rver has no users and no access checks: every request is allowed")
    def test_missing_permissions_are_named_and_exit_1(self, server: S3Server) -> None:
        result = check("--bucket", BUCKET, "--variables", variables(server, **put_only(server)), "--prefix", "anon/")
        assert result.returncode == 1
        assert "put     s3:PutObject     ok" in result.stdout
        assert "get     s3:GetObject     FAILED (AccessDenied)" in result.stdout
        assert "grant s3:DeleteObject on arn:aws:s3:::check-bucket/*" in result.stdout
        assert "could not be removed" in result.stdout and "some permissions are missing" in result.stdout
        s3 = server.client()
        for item in s3.list_objects_v2(Bucket=BUCKET, Prefix="anon/").get("Contents", []):
            s3.delete_object(Bucket=BUCKET, Key=item["Key"])

    def test_steps_after_a_failed_put_are_skipped(self, server: S3Server) -> None:
        result = check("--bucket", "absent-bucket-y", "--variables", variables(server, type="anonymous"), "--json")
        report = json.loads(result.stdout)
        assert result.returncode == 1 and report["steps"][0]["ok"] is False
        assert {step["code"] for step in report["steps"][1:]} == {"SKIPPED"}

    def test_missing_bucket(self, server: S3Server) -> None:
        result = check(
            "--bucket",
            "no-such-bucket-x",
            "--variables",
            variables(server),
            env={"SECRET_CHECK_SECRET": server.secret_access_key},
        )
        assert result.returncode == 1 and "NoSuchBucket" in result.stdout

    def test_invalid_bucket_name_fails_before_any_request(self, server: S3Server) -> None:
        result = check("--bucket", "Bad_Name", "--variables", variables(server), env={"SECRET_CHECK_SECRET": "s"})
        assert result.returncode == 1 and "--bucket" in result.stderr
