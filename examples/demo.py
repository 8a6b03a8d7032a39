"""Quick-start demo: upload, download and delete an object through ``s3-connector invoke``.

A local S3 (moto's server, on loopback) is started for the demo; the jobs use the variables
Camunda's AWS S3 element template produces, with the secret key given as a
``{{secrets.NAME}}`` placeholder, exactly as a process model would.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

BUCKET = "demo-bucket"
KEY = "invoices/2026/invoice #1.txt"


def invoke(env: dict[str, str], variables: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "connector",
        "invoke",
        "--task-type",
        "io.camunda:aws-s3:1",
        "--variables",
        json.dumps(variables),
        "--headers",
        json.dumps(headers),
    ]
    print(f"\n$ s3-connector invoke  # actionDiscriminator={variables['actionDiscriminator']}")
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if completed.stderr.strip():
        print(completed.stderr.strip(), file=sys.stderr)
    print(completed.stdout.strip())
    return dict(json.loads(completed.stdout))


def main() -> int:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-request access log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        print(f"Local S3 (moto) at {endpoint}, bucket {BUCKET!r}")
        boto3.client(
            "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="demo", aws_secret_access_key="demo"
        ).create_bucket(Bucket=BUCKET)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "S3_CONNECTOR_"))},
            "S3_CONNECTOR_ALLOWED_ENDPOINTS": endpoint,  # a job may only name endpoints the operator allows
            "SECRET_DEMO_SECRET_KEY": "demo-secret-key",  # resolves {{secrets.DEMO_SECRET_KEY}}
            "S3_CONNECTOR_LOG_LEVEL": "WARNING",
        }
        common = {
            "authentication": {"type": "credentials", "accessKey": "demo", "secretKey": "{{secrets.DEMO_SECRET_KEY}}"},
            "configuration": {"region": "us-east-1", "endpoint": endpoint},
        }
        document = {"camunda.document.type": "inline", "content": "Total: 42 EUR\n", "name": "invoice.txt"}
        outcomes = [
            invoke(
                env,
                {
                    **common,
                    "actionDiscriminator": "uploadObject",
                    "action": {"bucket": BUCKET, "key": KEY, "document": document},
                },
                {"resultVariable": "uploaded"},
            ),
            invoke(
                env,
                {
                    **common,
                    "actionDiscriminator": "downloadObject",
                    "action": {"bucket": BUCKET, "key": KEY},
                    "documentReturnFormat": {"choice": "TEXT", "encoding": "UTF-8"},
                },
                {"resultExpression": '{"text": "$.element.content", "size": "$.size"}'},
            ),
            invoke(
                env,
                {**common, "actionDiscriminator": "deleteObject", "action": {"bucket": BUCKET, "key": KEY}},
                {"resultVariable": "deleted"},
            ),
        ]
        ok = all(outcome["outcome"] == "complete" for outcome in outcomes)
        print("\nDemo " + ("succeeded: uploaded, downloaded and deleted." if ok else "FAILED (see above)."))
        return 0 if ok else 1
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
