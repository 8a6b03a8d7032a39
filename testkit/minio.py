"""MinIO, the S3 server self-managed Camunda users run, as a loopback subprocess.

The binary comes from ``scripts/provide-minio.sh`` (built from the Go module proxy, cached
outside the repository). One server: a single drive in a temporary directory (which supports
versioning), known root credentials, the API and the (disabled) console on free 127.0.0.1
ports, and nothing that phones home: no update checks, no call-home, no browser.

Usage::

    with minio_server(tmp_path) as minio:
        boto3.client("s3", endpoint_url=minio.url, aws_access_key_id=ROOT_USER, ...)
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from testkit.processes import free_port, loopback_only_environment, provide, stop_process, wait_until

__all__ = ["REGION", "ROOT_PASSWORD", "ROOT_USER", "MinIO", "minio_binary", "minio_server"]

ROOT_USER = "zeebe-s3-root"
ROOT_PASSWORD = "zeebe-s3-root-secret"  # MinIO wants at least 8 characters
REGION = "us-east-1"  # MinIO's default site region, set explicitly so signatures name it

# Why each variable: MINIO_BROWSER=off serves no console; MINIO_UPDATE=off never looks for a
# newer release; MINIO_CALLHOME_ENABLE=off sends no diagnostics; MINIO_CI_CD=1 accepts a drive
# on the root disk, as a test machine's temporary directory is.
_ENVIRONMENT = {
    "MINIO_ROOT_USER": ROOT_USER,
    "MINIO_ROOT_PASSWORD": ROOT_PASSWORD,
    "MINIO_SITE_REGION": REGION,
    "MINIO_BROWSER": "off",
    "MINIO_UPDATE": "off",
    "MINIO_CALLHOME_ENABLE": "off",
    "MINIO_CI_CD": "1",
}


def minio_binary() -> Path:
    """The MinIO server binary, built on first use (minutes) and cached.

    Raises:
        RuntimeError: Go is missing or too old, or the build failed (the script says which).
    """
    return provide("minio")


class MinIO:
    """A running MinIO server; ``stop()`` (or the context manager) ends it and waits.

    Attributes:
        url: the S3 API, ``http://127.0.0.1:PORT`` (path-style; no virtual hosts).
        pid: the server's process id.

    Raises:
        RuntimeError: from the constructor, when the server exits or is not healthy in time.
    """

    def __init__(self, data_dir: Path, *, binary: Path | None = None, startup_timeout_s: float = 60) -> None:
        binary = binary or minio_binary()
        self._log = data_dir.parent / f"{data_dir.name}.minio.log"
        api_port, console_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{api_port}"
        command = [
            str(binary),
            "server",
            str(data_dir),
            "--address",
            f"127.0.0.1:{api_port}",
            "--console-address",
            f"127.0.0.1:{console_port}",
            "--quiet",
            "--anonymous",  # keep credentials and addresses out of its log
        ]
        with self._log.open("wb") as log:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=loopback_only_environment(**_ENVIRONMENT),
            )
        self.pid = self._process.pid
        try:
            # live: the process serves HTTP; ready: the drive and IAM are up (before that S3
            # calls may get 503 "Server not initialized").
            wait_until(self._healthy, process=self._process, what="MinIO", log=self._log, timeout_s=startup_timeout_s)
        except BaseException:
            self.stop()
            raise

    def _healthy(self) -> bool:
        try:
            with httpx.Client(base_url=self.url, timeout=1, trust_env=False) as http:
                return all(http.get(path).status_code == 200 for path in ("/minio/health/live", "/minio/health/ready"))
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s) and wait for it."""
        stop_process(self._process)


@contextmanager
def minio_server(data_dir: Path) -> Iterator[MinIO]:
    """Start MinIO on a single drive at ``data_dir`` (created if missing); stop it on exit.

    Raises:
        RuntimeError: the binary could not be provided, or the server did not become healthy.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    server = MinIO(data_dir)
    try:
        yield server
    finally:
        server.stop()
