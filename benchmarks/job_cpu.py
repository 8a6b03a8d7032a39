"""CPU per small job: the worker's process against the thinnest job loop, for 1 KiB downloads.

Both serve the same 1 KiB inline downloads from moto's server (its own process) through the
gateway double (in this process), at the same concurrency. What is compared is the CPU time
of each job process (user + system, from /proc/PID/stat) per job, after a warm-up: both make
the same S3 and gRPC calls, so the difference is the runtime's own cost per job (input models,
secrets, result mapping, metrics, logs). Goal: < 1 ms. The object has a content type, as most
do; ``--untyped`` stores it without one, and the worker then sniffs it with libmagic (the thin
loop returns bytes and does not type them). ``--profile`` runs the worker under
pyinstrument (the ``bench`` extra) and prints where its event loop spends the time.

Usage: .venv/bin/python -m benchmarks.job_cpu [--jobs 2000] [--concurrency 16] [--rounds 3] [--profile]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.throughput import BUCKET, ROOT, Store, client, start_moto
from testkit.gateway import GatewayServer

TASK_TYPE = "s3-connector:download:1"
KEY = "small/1k.txt"
_TICKS = os.sysconf("SC_CLK_TCK")


# libmagic's text tests take about 0.5 ms on one byte repeated 1,024 times and about 5 µs on
# ordinary lines of text (measured with python-magic on this machine).
BODIES = {
    "repeated": b"x" * 1024,
    "lines": (b"order 4711 shipped to Hamburg on 2026-12-02 in 3 parcels\n" * 20)[:1024],
}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def run_jobs(gateway: GatewayServer, endpoint: str, jobs: int) -> None:
    variables = {
        "authentication": {"accessKey": "a", "secretKey": "b"},
        "configuration": {"region": "us-east-1", "endpoint": endpoint},
        "action": {"bucket": BUCKET, "key": KEY},
    }
    keys = [gateway.gateway.create_job(TASK_TYPE, variables) for _ in range(jobs)]
    for key in keys:
        outcome = gateway.gateway.wait_for_outcome(key, timeout_s=300)
        if outcome.kind != "complete":
            raise RuntimeError(f"job failed: {outcome}")


def per_job_ms(
    process: subprocess.Popen[bytes], gateway: GatewayServer, endpoint: str, args: argparse.Namespace
) -> list[float]:
    run_jobs(gateway, endpoint, 100)  # warm-up: imports, client build, caches
    rounds = []
    for _ in range(args.rounds):
        before = cpu_seconds(process.pid)
        run_jobs(gateway, endpoint, args.jobs)
        rounds.append((cpu_seconds(process.pid) - before) * 1000 / args.jobs)
    return rounds


def worker_command(args: argparse.Namespace, profile_path: Path) -> list[str]:
    base = ["-m", "connector", "worker"]
    if args.profile:
        return [
            sys.executable,
            "-m",
            "pyinstrument",
            "--renderer",
            "text",
            "-o",
            str(profile_path),
            "--show-all",
            *base,
        ]
    return [sys.executable, *base]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--untyped", action="store_true", help="store the object without a content type (the worker then sniffs it)"
    )
    parser.add_argument(
        "--body",
        choices=sorted(BODIES),
        default="repeated",
        help="the 1 KiB object: one byte repeated (libmagic's slowest text case) or lines of text",
    )
    args = parser.parse_args()
    moto, endpoint = start_moto()
    with tempfile.TemporaryDirectory() as tmp, GatewayServer() as gateway:
        try:
            store = Store(endpoint, "a", "b")  # moto takes any keys
            client(store, 1).create_bucket(Bucket=BUCKET)  # type: ignore[attr-defined]
            typed = {} if args.untyped else {"ContentType": "text/plain; charset=utf-8"}
            client(store, 1).put_object(Bucket=BUCKET, Key=KEY, Body=BODIES[args.body], **typed)  # type: ignore[attr-defined]
            env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "S3_CONNECTOR_", "ZEEBE_"))}
            env.update(
                {
                    "ZEEBE_ADDRESS": gateway.address,
                    "S3_CONNECTOR_ALLOWED_ENDPOINTS": endpoint,
                    "S3_CONNECTOR_MAX_RUNNING_JOBS": str(args.concurrency),
                    "S3_CONNECTOR_HEALTH_ENABLED": "false",
                    "S3_CONNECTOR_LOG_LEVEL": "WARNING",
                    "S3_CONNECTOR_POLL_REQUEST_TIMEOUT_MS": "1000",
                }
            )
            profile_path = Path(tmp) / "profile.txt"
            worker = subprocess.Popen(
                worker_command(args, profile_path),
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                time.sleep(2)
                worker_ms = per_job_ms(worker, gateway, endpoint, args)
            finally:
                worker.terminate()
                worker.wait(timeout=120)
            thin = subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "benchmarks" / "thin_worker.py"),
                    gateway.address,
                    endpoint,
                    str(args.concurrency),
                    "download",
                ],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            try:
                time.sleep(2)
                thin_ms = per_job_ms(thin, gateway, endpoint, args)
            finally:
                thin.terminate()
                thin.wait(timeout=60)
        finally:
            moto.terminate()
        print(f"Machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
        kind = f"untyped, {args.body} body" if args.untyped else "text/plain"
        print(
            f"{args.jobs} jobs x {args.rounds} rounds, concurrency {args.concurrency}, 1 KiB {kind} inline downloads\n"
        )
        print("| process | CPU ms per job (median) | rounds |")
        print("|---|---|---|")
        for name, values in (("s3-connector worker", worker_ms), ("thinnest job loop", thin_ms)):
            print(f"| {name} | {statistics.median(values):.2f} | {', '.join(f'{v:.2f}' for v in values)} |")
        print(f"\nruntime overhead per job: {statistics.median(worker_ms) - statistics.median(thin_ms):.2f} ms")
        if args.profile and profile_path.exists():
            print("\n" + profile_path.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
