"""Latency of a small PutObject through the per-connection throttle, with and without
``Expect: 100-continue``.

botocore asks for a 100 Continue before every PutObject body and waits for it; the worker's
clients send bodies under 2 MiB at once (``connector.s3.expect_continue``). This measures the
difference where it shows, with a round trip in the way: sequential 1 KiB PUTs on one
reused connection, through ``benchmarks.throttle_proxy`` in front of s3rver (or MinIO), the
plain boto3 client against the same client with the worker's handler installed.

Usage:
    .venv/bin/python -m benchmarks.small_put_latency [--puts 100] [--latency-ms 20] [--store minio]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.transfer import BUCKET, boto3_client, store, throttled
from connector.s3.expect_continue import send_small_bodies_at_once

BODY = b"x" * 1024


def latencies_ms(client: Any, puts: int, prefix: str) -> list[float]:
    client.put_object(Bucket=BUCKET, Key=f"{prefix}/warm-up", Body=BODY)  # the connection
    measured = []
    for i in range(puts):
        started = time.perf_counter()
        client.put_object(Bucket=BUCKET, Key=f"{prefix}/{i}", Body=BODY)
        measured.append((time.perf_counter() - started) * 1000)
    return measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--puts", type=int, default=100)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--store", choices=["s3rver", "minio"], default="s3rver")
    args = parser.parse_args()
    print(f"Machine: {platform.platform()}, Python {platform.python_version()}")
    print(f"Throttle: {args.latency_ms} ms round trip, 8 MiB/s per connection; store {args.store}; {args.puts} PUTs\n")
    with tempfile.TemporaryDirectory() as tmp, store(args.store, Path(tmp)) as (endpoint, access, secret):
        boto3_client(endpoint, access, secret, 1).create_bucket(Bucket=BUCKET)
        with throttled(endpoint, 8.0, args.latency_ms) as proxy:
            plain = boto3_client(proxy, access, secret, 1)
            ours = boto3_client(proxy, access, secret, 1)
            send_small_bodies_at_once(ours)
            rows = [
                ("boto3 (Expect: 100-continue)", latencies_ms(plain, args.puts, "plain")),
                ("worker's client (body at once)", latencies_ms(ours, args.puts, "ours")),
            ]
    print("| client | median ms | p90 ms |")
    print("|---|---|---|")
    for name, values in rows:
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"| {name} | {statistics.median(values):.1f} | {p90:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
