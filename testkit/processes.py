"""Helpers for the Go servers the interop suites run as loopback subprocesses (MinIO, toxiproxy):
building them through ``scripts/provide-*.sh``, free ports, waiting for health, stopping.

Everything here talks to 127.0.0.1 only.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

__all__ = ["ROOT", "free_port", "loopback_only_environment", "provide", "stop_process", "tcp_endpoints", "wait_until"]


def provide(tool: str) -> Path:
    """Build (first time) or find the cached binary of ``tool`` with ``scripts/provide-<tool>.sh``.

    Raises:
        RuntimeError: the script failed (no Go, Go too old, the module proxy refused); the
            message carries the script's own explanation from its stderr.
    """
    script = ROOT / "scripts" / f"provide-{tool}.sh"
    # A cold MinIO build takes several minutes on 2 cores; warm runs answer at once.
    done = subprocess.run([str(script)], capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{script.name} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    binary = Path(done.stdout.strip().splitlines()[-1])
    if not binary.is_file():
        raise RuntimeError(f"{script.name} printed {binary}, which is not a file")
    return binary


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (bind to 0, read, close)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(
    ready: Callable[[], bool], *, process: subprocess.Popen[bytes], what: str, log: Path, timeout_s: float
) -> None:
    """Poll ``ready()`` until it is true, the process exits, or ``timeout_s`` passes.

    Raises:
        RuntimeError: the process exited or did not become ready in time; the message ends
            with the tail of its log.
    """
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{_tail(log)}")
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} was not ready after {timeout_s} s:\n{_tail(log)}")


def stop_process(process: subprocess.Popen[bytes], *, timeout_s: float = 10.0) -> None:
    """SIGTERM, wait up to ``timeout_s``, then SIGKILL and wait: the process is gone on return."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout_s)


def _tail(log: Path, max_chars: int = 4000) -> str:
    try:
        return log.read_text(errors="replace")[-max_chars:]
    except OSError:
        return f"(no log at {log})"


def loopback_only_environment(**extra: str) -> dict[str, str]:
    """The parent's environment without proxy settings (a proxy would take loopback traffic
    elsewhere), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in {"http_proxy", "https_proxy", "all_proxy"}}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env.update(extra)
    return env


def tcp_endpoints(pid: int) -> list[tuple[str, str]]:
    """(local, remote) IP addresses of every TCP socket process ``pid`` holds, from /proc (Linux).

    Used to prove a server we started talks to loopback only. Listening sockets have the
    remote address 0.0.0.0 or ::.
    """
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    endpoints = []
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                endpoints.append((_proc_ip(fields[1]), _proc_ip(fields[2])))
    return endpoints


def _proc_ip(hex_address: str) -> str:
    """An address of /proc/net/tcp{,6} (little-endian 32-bit words, ``ADDR:PORT``) as text."""
    address = bytes.fromhex(hex_address.split(":")[0])
    # Each 32-bit word is in host (little-endian) order.
    raw = b"".join(address[i : i + 4][::-1] for i in range(0, len(address), 4))
    return str(ipaddress.ip_address(raw))
