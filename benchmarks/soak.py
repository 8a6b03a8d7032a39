"""Soak: a bounded run of mixed jobs through the real worker process while faults come and go.

Everything runs on loopback: the gateway double (in this process), moto's S3 server (its own
process) behind a fault proxy, the document store double, and one ``s3-connector worker``.
Jobs: small uploads (inline), small downloads (inline), deletes, and every 15 s a large
(6 MiB, multipart) upload from a document and a large download into the document store.

Faults, in a 30 s cycle, on the S3 side (toxiproxy when it can be provided, else the Python
proxy of ``testkit/tcp_proxy.py``): clean 12 s; latency 250 ms for 5 s; connection resets
for 2 s; bandwidth 500 KB/s for 6 s; bodies cut (``limit_data``) for 2 s; clean 3 s. The
document store answers its next two requests with 503 at the start of each cycle.

Recorded every 2 s: jobs completed, failed attempts (retries - 1), RSS and open file
descriptors of the worker process. At the end (faults removed, every job given time to
finish) it checks, and exits 1 when one fails:

- no job lost (each has a final outcome, and it is "complete") and none completed twice;
- every uploaded object is there exactly once with the right SHA-256, every deleted one gone,
  every download returned the right bytes;
- no incomplete multipart upload in the bucket;
- flat memory: the median RSS of the last quarter of the run is at most 10 % (or 20 MiB,
  whichever is more: one large transfer in flight holds parts of 5 MiB and their buffers)
  above the median of the second quarter (the first quarter is warm-up); open FDs of the
  last quarter at most 16 above the second quarter's maximum.

Usage: .venv/bin/python -m benchmarks.soak [--minutes 10] [--out-dir DIR] [--publish]
(``--publish`` writes the plots to docs/ and the summary into docs/RELIABILITY.md.)
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import itertools
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks import memory
from benchmarks.throughput import start_moto
from testkit.documents_api import DocumentsApi
from testkit.gateway import GatewayServer
from testkit.moto_http import admin_client
from testkit.tcp_proxy import TcpProxy

ROOT = Path(__file__).resolve().parents[1]
BUCKET = "soak-bucket"
CAMUNDA = "io.camunda:aws-s3:1"
MIB = 1024 * 1024
PART = 5 * MIB
LARGE_SIZE = 6 * MIB
CYCLE_S = 30.0
SAMPLE_S = 2.0
SMALL_JOBS_PER_S = 4.0
LARGE_EVERY_S = 15.0
# (start s within the cycle, phase name); each phase lasts until the next one starts.
PHASES = [(0.0, "clean"), (12.0, "latency"), (17.0, "reset"), (19.0, "bandwidth"), (25.0, "cut"), (27.0, "clean")]
BACKOFF = "PT1S"
RETRIES = 8


def phase_at(elapsed_s: float) -> str:
    within = elapsed_s % CYCLE_S
    return [name for start, name in PHASES if start <= within][-1]


class Faults:
    """Applies a phase to the S3 proxy: toxiproxy's toxics, or the Python proxy's equivalents."""

    def __init__(self, upstream: str, log_dir: Path, use_toxiproxy: bool) -> None:
        self.tool = "python"
        self._toxics: list[str] = []
        self._toxiproxy: Any = None
        self._python: TcpProxy | None = None
        if use_toxiproxy:
            try:
                from testkit.toxiproxy import Toxiproxy

                self._toxiproxy = Toxiproxy(log_dir)
                self._proxy = self._toxiproxy.client.create_proxy("soak-s3", upstream=upstream)
                self.url = self._proxy.url
                self.tool = "toxiproxy"
                return
            except RuntimeError as error:  # no Go, or the build failed: say so, and go on in Python
                print(f"soak: toxiproxy unavailable, using the Python proxy ({str(error)[:200]})", file=sys.stderr)
        self._python = TcpProxy(upstream).__enter__()
        self.url = self._python.url

    def apply(self, phase: str) -> None:
        if self._python is not None:
            return self._apply_python(phase)
        from testkit.toxiproxy import bandwidth, latency, limit_data, reset_peer

        for name in self._toxics:
            self._proxy.remove(name)
        self._toxics = []
        toxics = {
            "latency": [(latency(latency_ms=250, jitter_ms=50), "downstream", 1.0)],
            "reset": [(reset_peer(timeout_ms=0), "downstream", 1.0)],
            "bandwidth": [(bandwidth(rate_kb_s=500), "downstream", 1.0), (bandwidth(rate_kb_s=500), "upstream", 1.0)],
            "cut": [(limit_data(bytes_=20_000), "downstream", 1.0)],
        }.get(phase, [])
        for toxic, stream, toxicity in toxics:
            self._toxics.append(self._proxy.add(toxic, stream=stream, toxicity=toxicity))

    def _apply_python(self, phase: str) -> None:
        assert self._python is not None
        proxy = self._python
        proxy.reset_next(0, after_bytes=0)
        proxy.set_rates(None, None)
        if phase == "latency":
            proxy.set_rates(200_000, 200_000)
        elif phase == "reset":
            proxy.reset_next(6, after_bytes=1)
        elif phase == "bandwidth":
            proxy.set_rates(500_000, 500_000)
        elif phase == "cut":
            proxy.reset_next(4, after_bytes=20_000)

    def close(self) -> None:
        if self._python is not None:
            self._python.__exit__(None, None, None)
        if self._toxiproxy is not None:
            self._toxiproxy.stop()


@dataclass
class Expected:
    kind: str  # upload | download | delete | large-upload | large-download
    key: str
    sha256: str = ""


@dataclass
class Sample:
    t_s: float
    phase: str
    rss_mib: float
    fds: int
    threads: int
    completed: int
    failed_attempts: int


@dataclass
class Result:
    minutes: float
    tool: str
    jobs: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    completed: int = 0
    failed_attempts: int = 0
    incidents: int = 0
    lost: int = 0
    duplicated: int = 0
    wrong_objects: list[str] = field(default_factory=list)
    incomplete_uploads: int = 0
    incomplete_upload_keys: list[str] = field(default_factory=list)
    aborts_failed: int = 0  # the worker's "Could not abort multipart upload" warnings
    rss_q2_median_mib: float = 0.0
    rss_q4_median_mib: float = 0.0
    rss_max_mib: float = 0.0
    fds_q2_max: int = 0
    fds_q4_max: int = 0
    samples: list[Sample] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def proc_status(pid: int) -> tuple[float, int, int]:
    """RSS (MiB), open file descriptors and threads of ``pid``."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    rss = int(fields["VmRSS"].split()[0]) / 1024
    return rss, len(os.listdir(f"/proc/{pid}/fd")), int(fields["Threads"])


def start_worker(gateway: GatewayServer, endpoint: str, documents: DocumentsApi, log: Path) -> subprocess.Popen[bytes]:
    return memory.start_worker(
        gateway,
        endpoint,
        documents,
        log,
        settle_s=0,
        S3_CONNECTOR_JOB_TIMEOUT_MS="60000",
        S3_CONNECTOR_MAX_RUNNING_JOBS="8",
        S3_CONNECTOR_S3_CONNECT_TIMEOUT_S="2",
        S3_CONNECTOR_S3_READ_TIMEOUT_S="5",
        S3_CONNECTOR_MULTIPART_THRESHOLD_BYTES=str(PART),
        S3_CONNECTOR_MULTIPART_PART_SIZE_BYTES=str(PART),
        S3_CONNECTOR_LOG_LEVEL="WARNING",
    )


def large_bytes(index: int) -> bytes:
    """Distinct large content per job (a counter in each MiB), so no mix-up can pass unnoticed."""
    return b"".join((index * 64 + n).to_bytes(8, "big") + os.urandom(MIB - 8) for n in range(LARGE_SIZE // MIB))


class Soak:
    def __init__(self, endpoint: str, gateway: GatewayServer, documents: DocumentsApi) -> None:
        self.endpoint, self.gateway, self.documents = endpoint, gateway, documents
        self.expected: dict[int, Expected] = {}
        self.rng = random.Random(14)
        self.seeded: list[tuple[str, str]] = []
        self.seeded_large = ("", "")

    def variables(self, action: dict[str, Any], **more: Any) -> dict[str, Any]:
        return {
            "authentication": {"type": "credentials", "accessKey": "a", "secretKey": "b"},
            "configuration": {"region": "us-east-1", "endpoint": self.endpoint},
            "action": {"bucket": BUCKET, **action},
            **more,
        }

    def create(self, variables: dict[str, Any], expected: Expected) -> None:
        headers = {"resultVariable": "r", "retryBackoff": BACKOFF}
        key = self.gateway.gateway.create_job(CAMUNDA, variables, headers, retries=RETRIES)
        self.expected[key] = expected

    def seed(self, direct: Any, count: int = 40) -> None:
        for n in range(count):
            body = base64.b64encode(os.urandom(self.rng.randint(100, 24_000)))
            direct.put_object(Bucket=BUCKET, Key=f"seed/{n}", Body=body)
            self.seeded.append((f"seed/{n}", hashlib.sha256(body).hexdigest()))

    def small_job(self, number: int, direct: Any) -> None:
        roll = self.rng.random()
        if roll < 0.55:
            text = base64.b64encode(os.urandom(self.rng.randint(10, 48_000))).decode()
            key = f"up/{number}"
            self.create(
                self.variables({"key": key, "document": text}, actionDiscriminator="uploadObject"),
                Expected("upload", key, hashlib.sha256(text.encode()).hexdigest()),
            )
        elif roll < 0.8:
            key, digest = self.rng.choice(self.seeded)
            self.create(
                self.variables(
                    {"key": key},
                    actionDiscriminator="downloadObject",
                    documentReturnFormat={"choice": "TEXT", "encoding": "UTF-8"},
                ),
                Expected("download", key, digest),
            )
        else:
            key = f"del/{number}"
            direct.put_object(Bucket=BUCKET, Key=key, Body=b"to be deleted")
            self.create(self.variables({"key": key}, actionDiscriminator="deleteObject"), Expected("delete", key, ""))

    def large_jobs(self, number: int) -> None:
        data = large_bytes(number)
        digest = hashlib.sha256(data).hexdigest()
        reference = self.documents.put_document(data, "application/octet-stream", f"large-{number}.bin")
        key = f"large/{number}.bin"
        self.create(
            self.variables({"key": key, "document": reference}, actionDiscriminator="uploadObject"),
            Expected("large-upload", key, digest),
        )
        seeded = self.seeded_large
        self.create(
            self.variables(
                {"key": seeded[0]}, actionDiscriminator="downloadObject", documentReturnFormat={"choice": "DOCUMENT"}
            ),
            Expected("large-download", seeded[0], seeded[1]),
        )


def run(minutes: float, use_toxiproxy: bool, work: Path) -> Result:
    moto, direct_endpoint = start_moto()
    faults: Faults | None = None
    worker: subprocess.Popen[bytes] | None = None
    try:
        direct = admin_client(direct_endpoint)
        direct.create_bucket(Bucket=BUCKET)
        faults = Faults(urlsplit(direct_endpoint).netloc, work, use_toxiproxy)
        result = Result(minutes=minutes, tool=faults.tool)
        with GatewayServer() as gateway, DocumentsApi() as documents:
            soak = Soak(faults.url, gateway, documents)
            soak.seed(direct)
            big = large_bytes(999)
            direct.put_object(Bucket=BUCKET, Key="seed/large.bin", Body=big)
            soak.seeded_large = ("seed/large.bin", hashlib.sha256(big).hexdigest())
            worker = start_worker(gateway, faults.url, documents, work / "worker.log")
            time.sleep(2.0)
            started = drive(soak, direct, faults, documents, worker.pid, minutes, result)
            settle(soak, faults)
            verify(soak, direct, documents, result)
            log = (work / "worker.log").read_text(errors="replace")
            result.aborts_failed = log.count("Could not abort multipart upload")
            result.samples.append(sample(worker.pid, time.monotonic() - started, "drained", soak))
        judge(result)
        return result
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)
        if faults is not None:
            faults.close()
        moto.terminate()
        moto.wait(timeout=30)


def counts(soak: Soak) -> tuple[int, int]:
    outcomes = soak.gateway.gateway.outcomes()
    return sum(o.kind == "complete" for o in outcomes), sum(o.kind == "fail" for o in outcomes)


def sample(pid: int, t_s: float, phase: str, soak: Soak) -> Sample:
    rss, fds, threads = proc_status(pid)
    completed, failed = counts(soak)
    return Sample(round(t_s, 1), phase, round(rss, 1), fds, threads, completed, failed)


def drive(
    soak: Soak, direct: Any, faults: Faults, documents: DocumentsApi, pid: int, minutes: float, result: Result
) -> float:
    """Create jobs and switch faults for ``minutes``, sampling the worker; returns the start time."""
    start = time.monotonic()
    duration = minutes * 60
    number, large_number, phase, cycle = 0, 0, "", -1
    next_sample = next_large = start
    while (now := time.monotonic()) - start < duration:
        elapsed = now - start
        if phase_at(elapsed) != phase:
            phase = phase_at(elapsed)
            faults.apply(phase)
        if int(elapsed // CYCLE_S) != cycle:
            cycle = int(elapsed // CYCLE_S)
            documents.fail_next(2, 503)
        if now >= next_large:
            soak.large_jobs(large_number)
            large_number += 1
            next_large += LARGE_EVERY_S
        soak.small_job(number, direct)
        number += 1
        if now >= next_sample:
            result.samples.append(sample(pid, elapsed, phase, soak))
            next_sample += SAMPLE_S
        time.sleep(max(0.0, start + number / SMALL_JOBS_PER_S - time.monotonic()))
    return start


def settle(soak: Soak, faults: Faults, timeout_s: float = 180.0) -> None:
    """Faults off; wait until every job has a final outcome (complete, or no retries left)."""
    faults.apply("clean")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if all(final(soak, key) is not None for key in soak.expected):
            return
        time.sleep(0.5)


def final(soak: Soak, key: int) -> str | None:
    outcomes = soak.gateway.gateway.outcomes(key)
    if any(o.kind == "complete" for o in outcomes):
        return "complete"
    if outcomes and (outcomes[-1].kind == "throw" or outcomes[-1].retries == 0):
        return "incident"
    return None


def verify(soak: Soak, direct: Any, documents: DocumentsApi, result: Result) -> None:
    result.jobs = len(soak.expected)
    for key, expected in soak.expected.items():
        result.by_kind[expected.kind] = result.by_kind.get(expected.kind, 0) + 1
        outcomes = soak.gateway.gateway.outcomes(key)
        completes = [o for o in outcomes if o.kind == "complete"]
        result.failed_attempts += sum(o.kind == "fail" for o in outcomes)
        state = final(soak, key)
        if state is None:
            result.lost += 1
            continue
        if state == "incident":
            result.incidents += 1
            continue
        result.completed += 1
        if len(completes) > 1:
            result.duplicated += 1
        if not check(expected, completes[0].variables.get("r", {}), direct, documents):
            result.wrong_objects.append(f"{expected.kind} {expected.key}")
    uploaded = {e.key for e in soak.expected.values() if e.kind in ("upload", "large-upload")}
    stored: set[str] = set()
    for prefix in ("up/", "large/"):
        for page in direct.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
            stored.update(item["Key"] for item in page.get("Contents", []))
    if stored != uploaded:
        result.wrong_objects.append(f"bucket holds {len(stored)} uploaded keys, jobs wrote {len(uploaded)}")
    left = direct.list_multipart_uploads(Bucket=BUCKET).get("Uploads", [])
    result.incomplete_uploads = len(left)
    result.incomplete_upload_keys = sorted(upload["Key"] for upload in left)


def check(expected: Expected, response: dict[str, Any], direct: Any, documents: DocumentsApi) -> bool:
    if expected.kind in ("upload", "large-upload"):
        body = direct.get_object(Bucket=BUCKET, Key=expected.key)["Body"].read()
        return hashlib.sha256(body).hexdigest() == expected.sha256
    if expected.kind == "delete":
        return int(direct.list_objects_v2(Bucket=BUCKET, Prefix=expected.key)["KeyCount"]) == 0
    if expected.kind == "download":
        content = str(response["element"]["content"]).encode()
        return hashlib.sha256(content).hexdigest() == expected.sha256
    reference = response["element"]["document"]
    return documents.content_sha256(reference["documentId"])[0] == expected.sha256


def judge(result: Result) -> None:
    running = [s for s in result.samples if s.phase != "drained"]
    quarter = max(1, len(running) // 4)
    q2, q4 = running[quarter : 2 * quarter] or running, running[-quarter:]
    result.rss_q2_median_mib = statistics.median(s.rss_mib for s in q2)
    result.rss_q4_median_mib = statistics.median(s.rss_mib for s in q4)
    result.rss_max_mib = max(s.rss_mib for s in running)
    result.fds_q2_max, result.fds_q4_max = max(s.fds for s in q2), max(s.fds for s in q4)
    checks: list[tuple[bool, str]] = [
        (result.lost == 0, f"{result.lost} jobs lost (no final outcome)"),
        (result.incidents == 0, f"{result.incidents} jobs ran out of retries"),
        (result.duplicated == 0, f"{result.duplicated} jobs completed twice"),
        (not result.wrong_objects, f"wrong objects: {result.wrong_objects[:5]}"),
        (
            result.incomplete_uploads == 0,
            f"{result.incomplete_uploads} incomplete multipart uploads ({', '.join(result.incomplete_upload_keys)}; "
            f"{result.aborts_failed} aborts failed under a fault)",
        ),
        (
            result.rss_q4_median_mib <= result.rss_q2_median_mib + max(result.rss_q2_median_mib * 0.10, 20.0),
            f"memory grew: {result.rss_q2_median_mib} -> {result.rss_q4_median_mib} MiB",
        ),
        (result.fds_q4_max <= result.fds_q2_max + 16, f"FDs grew: {result.fds_q2_max} -> {result.fds_q4_max}"),
    ]
    result.failures = [message for ok, message in checks if not ok]


def plot(result: Result, out_dir: Path, prefix: str) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    running = [s for s in result.samples if s.phase != "drained"]
    t = [s.t_s / 60 for s in running]
    paths = []
    figure, axes = plt.subplots(figsize=(9, 4))
    axes.plot(t, [s.completed for s in running], label="jobs completed")
    axes.plot(t, [s.failed_attempts for s in running], label="failed attempts (retried later)")
    shade_faults(axes, running)
    axes.set_xlabel("minutes")
    axes.set_ylabel("count (cumulative)")
    axes.set_title(f"Soak ({result.tool} faults): jobs over time")
    axes.legend(loc="upper left")
    figure.tight_layout()
    paths.append(out_dir / f"{prefix}-jobs.png")
    figure.savefig(paths[-1], dpi=90)
    plt.close(figure)

    figure, (rss_axes, fd_axes) = plt.subplots(2, 1, figsize=(9, 5), sharex=True)
    rss_axes.plot(t, [s.rss_mib for s in running], color="tab:red")
    rss_axes.set_ylabel("worker RSS (MiB)")
    rss_axes.set_ylim(bottom=0)
    fd_axes.plot(t, [s.fds for s in running], label="open FDs")
    fd_axes.plot(t, [s.threads for s in running], label="threads")
    fd_axes.set_ylim(bottom=0)
    fd_axes.set_xlabel("minutes")
    fd_axes.legend(loc="upper left")
    shade_faults(rss_axes, running)
    shade_faults(fd_axes, running)
    rss_axes.set_title("Soak: worker process resources")
    figure.tight_layout()
    paths.append(out_dir / f"{prefix}-resources.png")
    figure.savefig(paths[-1], dpi=90)
    plt.close(figure)
    return paths


def shade_faults(axes: Any, samples: list[Sample]) -> None:
    """Grey bands where a fault phase (not clean) was on."""
    for before, after in itertools.pairwise(samples):
        if before.phase != "clean":
            axes.axvspan(before.t_s / 60, after.t_s / 60, color="0.85", linewidth=0)


def summary(result: Result, command: str) -> str:
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(result.by_kind.items()))
    verdict = "all checks passed" if not result.failures else "FAILED: " + "; ".join(result.failures)
    return "\n".join(
        [
            f"Command: `{command}`",
            "",
            f"Machine: {platform.system()} {platform.release()} {platform.machine()}, Python "
            f"{platform.python_version()}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')}; "
            f"faults by {result.tool}.",
            "",
            "| figure | value |",
            "|---|---|",
            f"| duration | {result.minutes:g} min |",
            f"| jobs | {result.jobs} ({kinds}) |",
            f"| completed | {result.completed} |",
            f"| failed attempts retried later (retries - 1, backoff 1 s) | {result.failed_attempts} |",
            f"| lost / completed twice / out of retries | {result.lost} / {result.duplicated} / {result.incidents} |",
            f"| wrong or missing objects | {len(result.wrong_objects)} |",
            f"| incomplete multipart uploads at the end | {result.incomplete_uploads} |",
            f"| multipart aborts that failed under a fault (worker warnings) | {result.aborts_failed} |",
            f"| worker RSS median, 2nd quarter → last quarter | {result.rss_q2_median_mib:.1f} → "
            f"{result.rss_q4_median_mib:.1f} MiB (max {result.rss_max_mib:.1f}) |",
            f"| open FDs max, 2nd quarter → last quarter | {result.fds_q2_max} → {result.fds_q4_max} |",
            f"| verdict | {verdict} |",
        ]
    )


MARK_BEGIN, MARK_END = "<!-- soak:begin -->", "<!-- soak:end -->"


def publish(result: Result, command: str, plots: list[Path]) -> None:
    document = ROOT / "docs" / "RELIABILITY.md"
    text = document.read_text(encoding="utf-8")
    images = "\n".join(f"![{path.stem}]({path.relative_to(document.parent)})" for path in plots)
    block = f"{MARK_BEGIN}\n{summary(result, command)}\n\n{images}\n{MARK_END}"
    head, _, rest = text.partition(MARK_BEGIN)
    _, _, tail = rest.partition(MARK_END)
    document.write_text(head + block + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--out-dir", type=Path, default=None, help="where plots and soak.json go (default: a temp dir)")
    parser.add_argument("--python-proxy", action="store_true", help="inject faults with the Python proxy only")
    parser.add_argument("--publish", action="store_true", help="plots to docs/, summary into docs/RELIABILITY.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        out_dir = ROOT / "docs" if args.publish else (args.out_dir or Path(tmp))
        out_dir.mkdir(parents=True, exist_ok=True)
        work = args.out_dir or Path(tmp)  # the worker's log stays there with --out-dir
        work.mkdir(parents=True, exist_ok=True)
        result = run(args.minutes, not args.python_proxy, work)
        plots = plot(result, out_dir, "soak")
        (work / "soak.json").write_text(json.dumps(asdict(result), indent=1))
        command = ".venv/bin/python -m benchmarks.soak " + " ".join(argv if argv is not None else sys.argv[1:])
        print(summary(result, command.strip()))
        if args.publish:
            publish(result, command.strip(), plots)
    return 1 if result.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
