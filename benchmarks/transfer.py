"""Large transfers through a per-connection throttle: the worker against boto3's s3transfer.

Against S3 one TCP connection is limited by round trips and per-connection throughput; tools
get their speed from many requests in flight. ``benchmarks.throttle_proxy`` (its own process)
gives every connection ``--rate-mib`` MiB/s and ``--latency-ms`` of round trip, with no cap
on the total, in front of the store: s3rver (default; moto reads the whole object for every
range) or MinIO (``--store minio``). Its unthrottled ceiling is measured and printed first.

For each size, the same run measures, at the same concurrency and at the defaults:

- the worker's jobs (a fresh worker process per transfer, so its peak RSS is that transfer's,
  warmed up by one 7-byte upload as boto3's client is built before its clock starts):
  document store -> S3 (upload of a Camunda document) and S3 -> document store (download as
  a document); the document store (the double of Camunda's REST API) is not throttled, as a
  cluster-local Camunda would not be;
- boto3's ``upload_fileobj`` / ``download_fileobj`` from / to a local file, through the same
  proxy, with ``TransferConfig(max_concurrency=N, multipart_chunksize=8 MiB)`` and with
  ``TransferConfig()`` (its defaults: 10 threads, 8 MiB).

It prints a Markdown table, with each peak RSS checked against the README's memory formula
(idle + concurrency x part size + 20 MiB), and writes a PNG plot (matplotlib, the ``bench``
extra).

Usage: .venv/bin/python -m benchmarks.transfer [--sizes-mib 64,1024] [--concurrency 4]
       [--rate-mib 8] [--latency-ms 20] [--store s3rver|minio] [--plot docs/transfer.png]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

from benchmarks import memory
from benchmarks.memory import BUCKET, MIB, pattern_chunks, peak_rss_mib
from benchmarks.throttle_proxy import measure_ceiling
from testkit.documents_api import DocumentsApi
from testkit.gateway import GatewayServer

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONCURRENCY = 10  # ours (S3_CONNECTOR_TRANSFER_CONCURRENCY) and s3transfer's
PART = 8 * MIB
# The README's memory formula: peak <= idle + concurrency x part size + this constant.
FORMULA_CONSTANT_MIB = 20


@dataclass
class Result:
    who: str
    direction: str
    size_mib: int
    concurrency: int
    seconds: float
    peak_rss_mib: float | None = None
    idle_rss_mib: float | None = None

    @property
    def mib_s(self) -> float:
        return self.size_mib / self.seconds


@contextlib.contextmanager
def store(kind: str, workdir: Path) -> Iterator[tuple[str, str, str]]:
    """(endpoint, access key, secret key) of a running store."""
    if kind == "minio":
        from testkit.minio import REGION, ROOT_PASSWORD, ROOT_USER, minio_server

        assert REGION
        with minio_server(workdir / "minio") as minio:
            yield minio.url, ROOT_USER, ROOT_PASSWORD
    else:
        from testkit.s3rver import ACCESS_KEY, SECRET_KEY, S3rver

        s3rver = S3rver(workdir / "s3rver")
        try:
            yield s3rver.url, ACCESS_KEY, SECRET_KEY
        finally:
            s3rver.stop()


@contextlib.contextmanager
def throttled(endpoint: str, rate_mib: float, latency_ms: float) -> Iterator[str]:
    target = endpoint.removeprefix("http://")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchmarks.throttle_proxy",
            "--target",
            target,
            "--rate-mib",
            str(rate_mib),
            "--latency-ms",
            str(latency_ms),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        port = int(line.rsplit(" ", 1)[1])
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def start_worker(
    gateway: GatewayServer, endpoint: str, documents: DocumentsApi, concurrency: int, log: Path
) -> subprocess.Popen[bytes]:
    return memory.start_worker(gateway, endpoint, documents, log, S3_CONNECTOR_TRANSFER_CONCURRENCY=str(concurrency))


def worker_job(
    gateway: GatewayServer,
    endpoint: str,
    documents: DocumentsApi,
    concurrency: int,
    variables: dict[str, Any],
    log: Path,
) -> tuple[dict[str, Any], float, float, float]:
    worker = start_worker(gateway, endpoint, documents, concurrency, log)
    try:
        # Warm-up, as boto3's client is built before its clock starts: imports, the client, the
        # first connections. The idle footprint is read after it.
        warm = {name: variables[name] for name in ("authentication", "configuration")}
        warm |= {
            "actionDiscriminator": "uploadObject",
            "action": {"bucket": BUCKET, "key": "w.txt", "document": "warm-up"},
        }
        key = gateway.gateway.create_job("io.camunda:aws-s3:1", warm, {"resultVariable": "r"})
        if gateway.gateway.wait_for_outcome(key, timeout_s=120).kind != "complete":
            raise RuntimeError(f"warm-up job failed; log: {log}")
        idle = peak_rss_mib(worker.pid)[1]
        started = time.perf_counter()
        key = gateway.gateway.create_job("io.camunda:aws-s3:1", variables, {"resultVariable": "r"})
        outcome = gateway.gateway.wait_for_outcome(key, timeout_s=1800)
        elapsed = time.perf_counter() - started
        peak = peak_rss_mib(worker.pid)[0]
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    if outcome.kind != "complete":
        raise RuntimeError(f"job failed: {outcome}; log: {log}")
    return dict(outcome.variables["r"]), idle, peak, elapsed


def boto3_client(endpoint: str, access: str, secret: str, connections: int) -> Any:
    config = Config(
        s3={"addressing_style": "path"},
        max_pool_connections=max(10, connections),
        # The worker's policy for custom endpoints: checksums only when required.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=access,
        aws_secret_access_key=secret,
        config=config,
    )


def run_size(
    size_mib: int,
    concurrencies: list[int],
    *,
    gateway: GatewayServer,
    documents: DocumentsApi,
    proxy: str,
    access: str,
    secret: str,
    workdir: Path,
) -> list[Result]:
    results: list[Result] = []
    size = size_mib * MIB
    source = documents.put_document_stream(pattern_chunks(size), "application/octet-stream", f"{size_mib}.bin")
    local = workdir / f"local-{size_mib}.bin"
    with local.open("wb") as out:
        for chunk in pattern_chunks(size):
            out.write(chunk)
    auth = {
        "authentication": {"accessKey": access, "secretKey": secret},
        "configuration": {"region": "us-east-1", "endpoint": proxy},
    }
    for concurrency in concurrencies:
        key = f"worker-{size_mib}-{concurrency}.bin"
        up, idle, peak, seconds = worker_job(
            gateway,
            proxy,
            documents,
            concurrency,
            {
                **auth,
                "actionDiscriminator": "uploadObject",
                "action": {"bucket": BUCKET, "key": key, "document": source},
            },
            workdir / f"up-{size_mib}-{concurrency}.log",
        )
        assert up["size"] == size, up
        results.append(Result("worker", "upload", size_mib, concurrency, seconds, peak, idle))
        down, idle, peak, seconds = worker_job(
            gateway,
            proxy,
            documents,
            concurrency,
            {
                **auth,
                "actionDiscriminator": "downloadObject",
                "action": {"bucket": BUCKET, "key": key},
                "documentReturnFormat": {"choice": "DOCUMENT"},
            },
            workdir / f"down-{size_mib}-{concurrency}.log",
        )
        copy_hash, copy_size = documents.content_sha256(down["element"]["document"]["documentId"])
        assert (copy_hash, copy_size) == (source["contentHash"], size), "the round trip changed the bytes"
        results.append(Result("worker", "download", size_mib, concurrency, seconds, peak, idle))

        client = boto3_client(proxy, access, secret, concurrency)
        config = (
            TransferConfig()
            if concurrency == DEFAULT_CONCURRENCY
            else TransferConfig(max_concurrency=concurrency, multipart_chunksize=PART, multipart_threshold=PART)
        )
        bkey = f"boto3-{size_mib}-{concurrency}.bin"
        started = time.perf_counter()
        with local.open("rb") as file:
            client.upload_fileobj(file, BUCKET, bkey, Config=config)
        results.append(Result("boto3", "upload", size_mib, concurrency, time.perf_counter() - started))
        target = workdir / "download.bin"
        started = time.perf_counter()
        with target.open("wb") as file:
            client.download_fileobj(BUCKET, bkey, file, Config=config)
        results.append(Result("boto3", "download", size_mib, concurrency, time.perf_counter() - started))
        target.unlink()
    local.unlink()
    return results


def table(results: list[Result]) -> str:
    lines = [
        "| size | concurrency | direction | worker MiB/s | boto3 MiB/s | worker ÷ boto3 | worker peak RSS (idle) "
        "| within formula |",
        "|---|---|---|---|---|---|---|---|",
    ]
    keyed = {(r.who, r.direction, r.size_mib, r.concurrency): r for r in results}
    for r in results:
        if r.who != "worker":
            continue
        other = keyed[("boto3", r.direction, r.size_mib, r.concurrency)]
        label = f"{r.concurrency}" + (" (defaults)" if r.concurrency == DEFAULT_CONCURRENCY else "")
        assert r.peak_rss_mib is not None and r.idle_rss_mib is not None
        bound = r.idle_rss_mib + r.concurrency * PART / MIB + FORMULA_CONSTANT_MIB
        within = f"{'yes' if r.peak_rss_mib <= bound else 'NO'} (≤ {bound:.0f})"
        lines.append(
            f"| {r.size_mib} MiB | {label} | {r.direction} | {r.mib_s:.1f} | {other.mib_s:.1f} | "
            f"{r.mib_s / other.mib_s:.2f} | {r.peak_rss_mib:.0f} MiB ({r.idle_rss_mib:.0f}) | {within} |"
        )
    return "\n".join(lines)


def plot(results: list[Result], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = sorted({(r.size_mib, r.concurrency, r.direction) for r in results})
    keyed = {(r.who, r.direction, r.size_mib, r.concurrency): r.mib_s for r in results}
    labels = [f"{d}\n{s} MiB, c={c}" for s, c, d in groups]
    xs = range(len(groups))
    fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(groups)), 4.5))
    ax.bar([x - 0.2 for x in xs], [keyed[("worker", d, s, c)] for s, c, d in groups], 0.4, label="s3-connector worker")
    ax.bar([x + 0.2 for x in xs], [keyed[("boto3", d, s, c)] for s, c, d in groups], 0.4, label="boto3 s3transfer")
    ax.set_xticks(list(xs), labels, fontsize=8)
    ax.set_ylabel("MiB/s")
    ax.set_title(title, fontsize=9)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes-mib", default="64,1024")
    parser.add_argument("--concurrency", type=int, default=4, help="the equal concurrency besides the defaults")
    parser.add_argument("--rate-mib", type=float, default=8.0)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--store", choices=["s3rver", "minio"], default="s3rver")
    parser.add_argument("--plot", type=Path, default=ROOT / "docs" / "transfer.png")
    args = parser.parse_args()
    ceiling = measure_ceiling(connections=DEFAULT_CONCURRENCY)
    print(f"Machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print(f"Proxy ceiling (unthrottled, {DEFAULT_CONCURRENCY} connections): {ceiling:.0f} MiB/s")
    print(f"Throttle: {args.rate_mib} MiB/s per connection, {args.latency_ms} ms round trip; store {args.store}\n")
    concurrencies = sorted({args.concurrency, DEFAULT_CONCURRENCY})
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp, store(args.store, Path(tmp)) as (endpoint, access, secret):
        boto3_client(endpoint, access, secret, 1).create_bucket(Bucket=BUCKET)
        with (
            DocumentsApi() as documents,
            GatewayServer() as gateway,
            throttled(endpoint, args.rate_mib, args.latency_ms) as proxy,
        ):
            for size_mib in (int(s) for s in args.sizes_mib.split(",")):
                results += run_size(
                    size_mib,
                    concurrencies,
                    gateway=gateway,
                    documents=documents,
                    proxy=proxy,
                    access=access,
                    secret=secret,
                    workdir=Path(tmp),
                )
                print(table(results), flush=True)
    print()
    print(table(results))
    title = f"{args.rate_mib:g} MiB/s and {args.latency_ms:g} ms per connection, {args.store}"
    plot(results, args.plot, title)
    print(f"\nplot: {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
