"""Small-object job throughput: our worker vs the thinnest job loop vs a bare boto3 loop.

All three upload the same small objects to the same S3 endpoint (moto's server in its own
process by default; ``--store s3rver`` or ``--store minio`` for those) at the same
concurrency; the two Zeebe modes go through the same gateway double.
The ratio worker / thin loop is the price of our runtime (goal >= 0.85). The ratio to the
bare boto3 loop is reported too; on 2 cores that also run the doubles it mostly measures
the machine.

Usage: .venv/bin/python -m benchmarks.throughput [--jobs 1000] [--concurrency 16] [--rounds 3]
                                              [--store moto|s3rver|minio]
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import boto3
from botocore.config import Config

from testkit.gateway import GatewayServer
from testkit.s3servers import start_s3_server

ROOT = Path(__file__).resolve().parents[1]
BUCKET = "bench-bucket"
TASK_TYPE = "s3-connector:upload:1"
BODY = "x" * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Store:
    endpoint: str
    access_key: str
    secret_key: str


def start_moto() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("moto_server did not start")


@contextmanager
def running_store(name: str) -> Iterator[Store]:
    """The S3 server to measure against; moto in its own process, so that its CPU is not the driver's."""
    if name == "moto":
        moto, endpoint = start_moto()
        try:
            yield Store(endpoint, "a", "b")
        finally:
            moto.terminate()
            moto.wait(timeout=30)
        return
    with tempfile.TemporaryDirectory() as workdir, start_s3_server(name, Path(workdir)) as server:
        yield Store(server.endpoint_url, server.access_key_id, server.secret_access_key)


def client(store: Store, concurrency: int) -> object:
    return boto3.client(
        "s3",
        endpoint_url=store.endpoint,
        region_name="us-east-1",
        aws_access_key_id=store.access_key,
        aws_secret_access_key=store.secret_key,
        config=Config(max_pool_connections=concurrency, s3={"addressing_style": "path"}),
    )


def run_jobs(gateway: GatewayServer, store: Store, jobs: int, prefix: str) -> float:
    variables = {
        "authentication": {"accessKey": store.access_key, "secretKey": store.secret_key},
        "configuration": {"region": "us-east-1", "endpoint": store.endpoint},
    }
    started = time.perf_counter()
    keys = [
        gateway.gateway.create_job(
            TASK_TYPE, {**variables, "action": {"bucket": BUCKET, "key": f"{prefix}/{i}", "document": BODY}}
        )
        for i in range(jobs)
    ]
    for key in keys:
        outcome = gateway.gateway.wait_for_outcome(key, timeout_s=120)
        if outcome.kind != "complete":
            raise RuntimeError(f"job failed: {outcome}")
    return jobs / (time.perf_counter() - started)


def start_process(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=ROOT)


def bench_worker(gateway: GatewayServer, store: Store, args: argparse.Namespace, log_dir: Path) -> list[float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "S3_CONNECTOR_", "ZEEBE_"))}
    env.update(
        {
            "ZEEBE_ADDRESS": gateway.address,
            "S3_CONNECTOR_ALLOWED_ENDPOINTS": store.endpoint,
            "S3_CONNECTOR_MAX_RUNNING_JOBS": str(args.concurrency),
            "S3_CONNECTOR_HEALTH_ENABLED": "false",
            "S3_CONNECTOR_LOG_LEVEL": "WARNING",
            "S3_CONNECTOR_POLL_REQUEST_TIMEOUT_MS": "1000",
        }
    )
    process = start_process([sys.executable, "-m", "connector", "worker"], env, log_dir / "worker.log")
    try:
        run_jobs(gateway, store, min(50, args.jobs), "warmup-worker")
        return [run_jobs(gateway, store, args.jobs, f"worker-{r}") for r in range(args.rounds)]
    finally:
        process.terminate()
        process.wait(timeout=60)


def bench_thin(gateway: GatewayServer, store: Store, args: argparse.Namespace, log_dir: Path) -> list[float]:
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "thin_worker.py"),
        gateway.address,
        store.endpoint,
        str(args.concurrency),
    ]
    env = {**os.environ, "AWS_ACCESS_KEY_ID": store.access_key, "AWS_SECRET_ACCESS_KEY": store.secret_key}
    process = start_process(command, env, log_dir / "thin.log")
    try:
        run_jobs(gateway, store, min(50, args.jobs), "warmup-thin")
        return [run_jobs(gateway, store, args.jobs, f"thin-{r}") for r in range(args.rounds)]
    finally:
        process.terminate()
        process.wait(timeout=60)


def bench_bare(store: Store, args: argparse.Namespace) -> list[float]:
    s3 = client(store, args.concurrency)
    results = []
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        for r in range(args.rounds):
            started = time.perf_counter()
            list(
                pool.map(
                    lambda i, r=r: s3.put_object(Bucket=BUCKET, Key=f"bare-{r}/{i}", Body=BODY),  # type: ignore[attr-defined]
                    range(args.jobs),
                )
            )
            results.append(args.jobs / (time.perf_counter() - started))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--store", choices=("moto", "s3rver", "minio"), default="moto")
    args = parser.parse_args()
    with running_store(args.store) as store:
        client(store, 1).create_bucket(Bucket=BUCKET)  # type: ignore[attr-defined]
        with tempfile.TemporaryDirectory() as logs, GatewayServer() as gateway:
            worker = bench_worker(gateway, store, args, Path(logs))
            thin = bench_thin(gateway, store, args, Path(logs))
        bare = bench_bare(store, args)
    w, t, b = (statistics.median(x) for x in (worker, thin, bare))
    print(f"Machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print(f"Store: {args.store}. Jobs per round: {args.jobs}, concurrency: {args.concurrency}, ", end="")
    print(f"rounds: {args.rounds} (median shown)\n")
    print("| mode | jobs/s (median) | rounds |")
    print("|---|---|---|")
    for name, value, rounds in (
        ("s3-connector worker", w, worker),
        ("thinnest job loop", t, thin),
        ("bare boto3 loop (no Zeebe)", b, bare),
    ):
        print(f"| {name} | {value:.0f} | {', '.join(f'{x:.0f}' for x in rounds)} |")
    print(f"\nworker / thin loop = {w / t:.2f}   worker / bare boto3 = {w / b:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
