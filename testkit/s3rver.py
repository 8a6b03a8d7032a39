"""s3rver (npm), a second, independent S3 implementation, as a loopback subprocess."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BINARY = ROOT / "tools" / "node_modules" / ".bin" / "s3rver"
ACCESS_KEY = SECRET_KEY = "S3RVER"  # s3rver's fixed credentials


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class S3rver:
    def __init__(self, directory: Path) -> None:
        if not BINARY.exists():
            raise RuntimeError(f"{BINARY} is missing: run ./scripts/bootstrap.sh (it installs tools/ with npm)")
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process = subprocess.Popen(
            [str(BINARY), "-d", str(directory), "-a", "127.0.0.1", "-p", str(self.port), "--silent"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.pid = self._process.pid
        self._wait_listening()

    def _wait_listening(self, timeout_s: float = 20.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"s3rver exited: {self._process.stderr.read().decode() if self._process.stderr else ''}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("s3rver did not start listening")

    def stop(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
