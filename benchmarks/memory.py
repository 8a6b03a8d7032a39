"""Peak RSS of the worker while it moves one large object each way.

1. document store -> S3: a Camunda document reference is uploaded (streamed GET, multipart).
2. S3 -> document store: the object is downloaded as a document (streamed multipart POST).

Each direction runs in a fresh worker process; its peak resident set (VmHWM in
/proc/PID/status) is read after the job completes. The S3 store is s3rver (files on disk)
or moto's server (memory), each in its own process; the document store is the fake of
Camunda's REST API, which spools to disk. Goal: < 150 MiB each way for 1 GiB.

Usage: .venv/bin/python -m benchmarks.memory [--size-mib 1024] [--store s3rver|moto]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3

from benchmarks.throughput import start_moto
from testkit.documents_api import DocumentsApi
from testkit.gateway import GatewayServer
from testkit.s3rver import ACCESS_KEY, SECRET_KEY, S3rver

ROOT = Path(__file__).resolve().parents[1]
BUCKET = "memory-bucket"
MIB = 1024 * 1024


def pattern_chunks(size: int) -> Iterator[bytes]:
    """Distinct 1 MiB chunks (a counter in each), so no layer can deduplicate them."""
    block = bytes(range(256)) * (MIB // 256)
    for index in range(size // MIB):
        yield index.to_bytes(8, "big") + block[8:]


def peak_rss_mib(pid: int) -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024


def start_worker(
    gateway: GatewayServer,
    endpoint: str,
    documents: DocumentsApi,
    log: Path,
    *,
    settle_s: float = 2.0,
    **settings: str,
) -> subprocess.Popen[bytes]:
    """The real worker process for the benchmarks, on the gateway double, one S3 endpoint and
    the document API double; ``settings`` add or replace its environment (``S3_CONNECTOR_...``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "S3_CONNECTOR_", "ZEEBE_", "CAMUNDA_"))}
    env.update(
        {
            "ZEEBE_ADDRESS": gateway.address,
            "S3_CONNECTOR_ALLOWED_ENDPOINTS": endpoint,
            "CAMUNDA_REST_ADDRESS": documents.base_url,
            "S3_CONNECTOR_HEALTH_ENABLED": "false",
            "S3_CONNECTOR_POLL_REQUEST_TIMEOUT_MS": "1000",
            "S3_CONNECTOR_JOB_TIMEOUT_MS": "1800000",
            **settings,
        }
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "connector", "worker"],
        env=env,
        cwd=ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    time.sleep(settle_s)  # let it import and connect before measuring the idle footprint
    return process


def run(gateway: GatewayServer, variables: dict[str, Any]) -> dict[str, Any]:
    key = gateway.gateway.create_job("io.camunda:aws-s3:1", variables, {"resultVariable": "r"})
    outcome = gateway.gateway.wait_for_outcome(key, timeout_s=1800)
    if outcome.kind != "complete":
        raise RuntimeError(f"job failed: {outcome}")
    return dict(outcome.variables["r"])


def measure(
    gateway: GatewayServer, endpoint: str, documents: DocumentsApi, variables: dict[str, Any], log: Path
) -> tuple[dict[str, Any], float, float, float]:
    worker = start_worker(gateway, endpoint, documents, log)
    try:
        idle = peak_rss_mib(worker.pid)[1]
        started = time.perf_counter()
        response = run(gateway, variables)
        elapsed = time.perf_counter() - started
        peak = peak_rss_mib(worker.pid)[0]
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return response, idle, peak, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--store", choices=["s3rver", "moto"], default="s3rver")
    args = parser.parse_args()
    size = args.size_mib * MIB
    with tempfile.TemporaryDirectory() as tmp, DocumentsApi() as documents, GatewayServer() as gateway:
        if args.store == "s3rver":
            store = S3rver(Path(tmp) / "s3")
            endpoint, stop = store.url, store.stop
        else:
            moto, endpoint = start_moto()
            stop = moto.terminate
        try:
            boto3.client(
                "s3",
                endpoint_url=endpoint,
                region_name="us-east-1",
                aws_access_key_id=ACCESS_KEY,
                aws_secret_access_key=SECRET_KEY,
            ).create_bucket(Bucket=BUCKET)
            source = documents.put_document_stream(pattern_chunks(size), "application/octet-stream", "big.bin")
            auth = {
                "authentication": {"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY},
                "configuration": {"region": "us-east-1", "endpoint": endpoint},
            }
            up, up_idle, up_peak, up_s = measure(
                gateway,
                endpoint,
                documents,
                {**auth, "actionDiscriminator": "uploadObject", "action": {"bucket": BUCKET, "document": source}},
                Path(tmp) / "up.log",
            )
            down, down_idle, down_peak, down_s = measure(
                gateway,
                endpoint,
                documents,
                {
                    **auth,
                    "actionDiscriminator": "downloadObject",
                    "action": {"bucket": BUCKET, "key": "big.bin"},
                    "documentReturnFormat": {"choice": "DOCUMENT"},
                },
                Path(tmp) / "down.log",
            )
            copy_hash, copy_size = documents.content_sha256(down["element"]["document"]["documentId"])
        finally:
            stop()
    assert up["size"] == size and copy_size == size, (up["size"], copy_size)
    assert copy_hash == source["contentHash"], "the round trip changed the bytes"
    print(f"Machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print(f"Object: {args.size_mib} MiB, S3 store: {args.store}, bytes identical after the round trip (SHA-256)\n")
    print("| direction | worker RSS idle | worker peak RSS | time | throughput |")
    print("|---|---|---|---|---|")
    for name, idle, peak, seconds in (
        ("document store → S3 (upload)", up_idle, up_peak, up_s),
        ("S3 → document store (download as document)", down_idle, down_peak, down_s),
    ):
        print(f"| {name} | {idle:.0f} MiB | {peak:.0f} MiB | {seconds:.1f} s | {args.size_mib / seconds:.0f} MiB/s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
