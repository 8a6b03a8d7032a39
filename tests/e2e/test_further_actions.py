"""The further task types through the real worker process, against the gateway double (gRPC)
and moto (HTTP S3): list, copy and move, presign, head, delete of many, key templates with the
job's own context, and s3:// URIs."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from testkit.gateway import GatewayServer
from tests.e2e.conftest import BUCKET, s3_variables
from tests.e2e.worker_process import WorkerProcess

pytestmark = pytest.mark.e2e

StartWorker = Callable[..., WorkerProcess]


def run_job(gateway: GatewayServer, task_type: str, variables: dict[str, Any]) -> tuple[int, Any]:
    key = gateway.gateway.create_job(task_type, variables, {"resultVariable": "r"})
    return key, gateway.gateway.wait_for_outcome(key, timeout_s=20)


def completed(outcome: Any) -> dict[str, Any]:
    assert outcome.kind == "complete", outcome
    return dict(outcome.variables["r"])


def test_list_copy_move_head_presign_and_delete_many(
    gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str, s3: Any
) -> None:
    start_worker()
    for name in ("a.txt", "b b.csv", "sub/c"):
        s3.put_object(Bucket=BUCKET, Key=f"further/in/{name}", Body=name.encode())

    _, listed = run_job(
        gateway,
        "s3-connector:list:1",
        s3_variables(s3_endpoint, {"uri": f"s3://{BUCKET}/further/in/", "delimiter": "/"}),
    )
    page = completed(listed)
    assert [o["key"] for o in page["objects"]] == ["further/in/a.txt", "further/in/b b.csv"]
    assert page["folders"] == ["further/in/sub/"]

    job_key, copied = run_job(
        gateway,
        "s3-connector:copy:1",
        s3_variables(
            s3_endpoint,
            {
                "sourceUri": page["objects"][0]["uri"],
                "target": {"keyTemplate": "further/archive/{bpmn_process_id}/{job_key}-{file_name}"},
            },
        ),
    )
    target = completed(copied)["target"]
    assert target["key"] == f"further/archive/test-process/{job_key}-a.txt"
    assert s3.get_object(Bucket=BUCKET, Key=target["key"])["Body"].read() == b"a.txt"

    _, moved = run_job(
        gateway,
        "s3-connector:copy:1",
        s3_variables(
            s3_endpoint,
            {
                "sourceUri": f"s3://{BUCKET}/further/in/b b.csv",
                "targetUri": f"s3://{BUCKET}/further/done/",
                "deleteSource": True,
            },
        ),
    )
    assert completed(moved)["sourceDeleted"] is True

    _, present = run_job(
        gateway, "s3-connector:head:1", s3_variables(s3_endpoint, {"uri": f"s3://{BUCKET}/further/done/b b.csv"})
    )
    _, absent = run_job(
        gateway, "s3-connector:head:1", s3_variables(s3_endpoint, {"uri": f"s3://{BUCKET}/further/in/b b.csv"})
    )
    assert (completed(present)["exists"], completed(present)["size"]) == (True, 7)
    assert completed(absent)["exists"] is False

    _, signed = run_job(
        gateway, "s3-connector:presign:1", s3_variables(s3_endpoint, {"uri": f"s3://{BUCKET}/further/done/b b.csv"})
    )
    url = completed(signed)["url"]
    assert url.startswith(f"{s3_endpoint}/{BUCKET}/further/done/b%20b.csv?")
    with httpx.Client(timeout=10, trust_env=False) as http:
        assert http.get(url).content == b"b b.csv"

    keys = ["further/in/a.txt", "further/in/sub/c", "further/never-there"]
    _, deleted = run_job(gateway, "s3-connector:delete:1", s3_variables(s3_endpoint, {"bucket": BUCKET, "keys": keys}))
    assert [d["key"] for d in completed(deleted)["deleted"]] == keys
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="further/in/").get("Contents", [])] == []


def test_upload_with_a_key_template_and_a_folder_uri(
    gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str, s3: Any
) -> None:
    start_worker()
    document = {"camunda.document.type": "inline", "content": "hello", "name": "greeting.txt"}
    _, templated = run_job(
        gateway,
        "s3-connector:upload:1",
        s3_variables(
            s3_endpoint,
            {
                "bucket": BUCKET,
                "keyTemplate": "further/{element_id}/{year}/{process_instance_key}-{file_stem}.{extension}",
                "document": document,
            },
        ),
    )
    response = completed(templated)
    assert re.fullmatch(r"further/Task_1/\d{4}/\d+-greeting\.txt", response["key"])
    assert response["uri"] == f"s3://{BUCKET}/{response['key']}"

    _, into_folder = run_job(
        gateway,
        "s3-connector:upload:1",
        s3_variables(s3_endpoint, {"uri": f"s3://{BUCKET}/further/up/", "document": document}),
    )
    assert completed(into_folder)["key"] == "further/up/greeting.txt"
    assert s3.get_object(Bucket=BUCKET, Key="further/up/greeting.txt")["Body"].read() == b"hello"

    _, bad = run_job(
        gateway,
        "s3-connector:upload:1",
        s3_variables(s3_endpoint, {"bucket": BUCKET, "keyTemplate": "{today}", "document": document}),
    )
    assert (
        bad.kind == "fail"
        and bad.retries == 0
        and "action.keyTemplate: unknown placeholder {today}" in bad.error_message
    )
