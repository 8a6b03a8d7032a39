"""The real ``s3-connector worker`` as a child process, with its log captured to a file."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

# The worker must see only what a test gives it: no AWS identity, no gateway, no secrets.
_SCRUBBED_PREFIXES = ("AWS_", "ZEEBE_", "CAMUNDA_", "S3_CONNECTOR_", "SECRET_")


class WorkerProcess:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        base = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED_PREFIXES)}
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "connector", "worker"],
            env={**base, **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.health_url = ""

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, pattern: str, timeout_s: float = 20.0) -> re.Match[str]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            match = re.search(pattern, self.log())
            if match:
                return match
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited with {self.process.returncode}:\n{self.log()}")
            time.sleep(0.05)
        raise AssertionError(f"no log line matching {pattern!r} within {timeout_s}s:\n{self.log()}")

    def wait_started(self) -> None:
        match = self.wait_for_log(r"health and metrics: (http://[\d.]+:\d+)")
        self.health_url = match.group(1)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.health_url + path, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def readiness(self) -> dict[str, Any]:
        return dict(json.loads(self.get("/health/ready")[1]))

    def wait_ready(self, ready: bool = True, timeout_s: float = 20.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.readiness()["ready"] is ready:
                return
            time.sleep(0.05)
        raise AssertionError(f"readiness never became {ready}:\n{self.log()}")

    def terminate(self, timeout_s: float = 30.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout_s)
        finally:
            self._log.close()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self._log.close()
