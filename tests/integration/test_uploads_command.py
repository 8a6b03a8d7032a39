"""``s3-connector check`` reports the incomplete-upload lifecycle rule; ``s3-connector uploads``
lists and aborts stale incomplete multipart uploads (moto's server over HTTP, as an operator)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta
from functools import partial

import pytest

from connector.s3.stale_uploads import stale_uploads
from testkit.moto_http import admin_client, moto_server

BUCKET = "uploads-bucket"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_server(BUCKET) as url:
        yield url


def run(*args: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "S3_CONNECTOR_", "SECRET_"))}
    return subprocess.run(
        [sys.executable, "-m", "connector", *args],
        env={**base, "SECRET_KEY": "uploads-secret-value"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def variables(endpoint: str) -> str:
    return json.dumps(
        {
            "authentication": {"accessKey": "AKIAUPLOADS", "secretKey": "{{secrets.KEY}}"},
            "configuration": {"region": "us-east-1", "endpoint": endpoint},
        }
    )


class TestLifecycleInCheck:
    def test_a_bucket_without_the_rule_is_reported_but_the_check_passes(self, endpoint: str) -> None:
        bucket = f"no-rule-{uuid.uuid4().hex[:8]}"
        admin_client(endpoint).create_bucket(Bucket=bucket)
        result = run("check", "--bucket", bucket, "--variables", variables(endpoint))
        assert result.returncode == 0, result.stderr
        assert "no AbortIncompleteMultipartUpload rule" in result.stdout

    def test_the_rule_is_named_with_its_days(self, endpoint: str) -> None:
        bucket = f"rule-{uuid.uuid4().hex[:8]}"
        s3 = admin_client(endpoint)
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_lifecycle_configuration(
            Bucket=bucket,
            LifecycleConfiguration={
                "Rules": [
                    {
                        "ID": "strays",
                        "Status": "Enabled",
                        "Filter": {"Prefix": ""},
                        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 3},
                    }
                ]
            },
        )
        result = run("check", "--bucket", bucket, "--variables", variables(endpoint), "--json")
        assert result.returncode == 0, result.stderr
        lifecycle = json.loads(result.stdout)["lifecycle"]
        assert lifecycle["abortIncompleteMultipartUpload"] is True
        assert (lifecycle["daysAfterInitiation"], lifecycle["ruleId"]) == (3, "strays")


class TestStaleUploads:
    def test_lists_then_aborts_only_uploads_under_the_prefix(self, endpoint: str) -> None:
        s3 = admin_client(endpoint)
        mine = s3.create_multipart_upload(Bucket=BUCKET, Key="in/old.bin")["UploadId"]
        elsewhere = s3.create_multipart_upload(Bucket=BUCKET, Key="out/old.bin")["UploadId"]
        args = (
            "uploads",
            "--bucket",
            BUCKET,
            "--prefix",
            "in/",
            "--older-than",
            "1s",
            "--variables",
            variables(endpoint),
        )
        # moto dates every upload 2010-11-10, so all are old here; the age cut is tested below.
        listed = run(*args)
        assert listed.returncode == 0, listed.stderr
        rows = [json.loads(line) for line in listed.stdout.splitlines()]
        assert [(r["key"], r["uploadId"], r["state"]) for r in rows] == [("in/old.bin", mine, "found")]
        assert len(s3.list_multipart_uploads(Bucket=BUCKET)["Uploads"]) == 2

        aborted = run(*args, "--abort")
        assert aborted.returncode == 0, aborted.stderr
        assert [json.loads(line)["state"] for line in aborted.stdout.splitlines()] == ["aborted"]
        left = {u["UploadId"] for u in s3.list_multipart_uploads(Bucket=BUCKET)["Uploads"]}
        assert left == {elsewhere}
        assert "uploads-secret-value" not in listed.stdout + listed.stderr + aborted.stdout + aborted.stderr

    def test_only_uploads_older_than_the_age_are_stale(self, endpoint: str) -> None:
        s3 = admin_client(endpoint)
        s3.create_multipart_upload(Bucket=BUCKET, Key="aged/x.bin")
        initiated = s3.list_multipart_uploads(Bucket=BUCKET, Prefix="aged/")["Uploads"][0]["Initiated"]
        found = partial(stale_uploads, s3, bucket=BUCKET, prefix="aged/", now=initiated + timedelta(hours=2))
        assert [u.key for u in found(older_than=timedelta(hours=1))] == ["aged/x.bin"]
        assert list(found(older_than=timedelta(hours=3))) == []

    def test_a_bad_age_is_a_usage_error(self, endpoint: str) -> None:
        result = run("uploads", "--bucket", BUCKET, "--older-than", "soon")
        assert result.returncode == 2 and "--older-than" in result.stderr
