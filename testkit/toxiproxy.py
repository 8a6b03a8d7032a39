"""Shopify's toxiproxy as a loopback subprocess, and a small client for its HTTP API: TCP proxies
in front of a server of ours, with faults ("toxics") added and removed while traffic flows.

The binary comes from ``scripts/provide-toxiproxy.sh`` (built from the Go module proxy and
cached). Both ends of every proxy must be on 127.0.0.0/8: ``ToxiproxyClient`` refuses any
other listen or upstream address before it reaches the server.

Usage::

    with toxiproxy_server(tmp_path) as toxiproxy:
        proxy = toxiproxy.client.create_proxy("s3", upstream="127.0.0.1:9000")
        name = proxy.add(latency(latency_ms=200))
        ... traffic to proxy.url ...
        proxy.remove(name)

Toxic attributes (units as toxiproxy defines them): ``latency`` ms (+ jitter ms),
``bandwidth`` KB/s (1 KB = 1000 bytes), ``timeout`` ms (0: forever), ``reset_peer`` ms before
the reset, ``slicer`` bytes and µs between slices, ``limit_data`` bytes before the close,
``slow_close`` ms. ``stream`` is ``downstream`` (server → client) or ``upstream``.
"""

from __future__ import annotations

import ipaddress
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx

from testkit.processes import free_port, loopback_only_environment, provide, stop_process, wait_until

__all__ = [
    "Proxy",
    "Toxic",
    "Toxiproxy",
    "ToxiproxyClient",
    "ToxiproxyError",
    "bandwidth",
    "latency",
    "limit_data",
    "reset_peer",
    "slicer",
    "slow_close",
    "timeout",
    "toxiproxy_server",
]

Stream = Literal["downstream", "upstream"]


class ToxiproxyError(RuntimeError):
    """toxiproxy's API refused a request (``status`` and its message)."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"toxiproxy answered {status}: {body[:500]}")
        self.status = status


@dataclass(frozen=True)
class Toxic:
    """One fault: a toxiproxy toxic type and its attributes (build it with the functions below)."""

    type: str
    attributes: dict[str, int] = field(default_factory=dict)


def latency(*, latency_ms: int, jitter_ms: int = 0) -> Toxic:
    """Delay every chunk of data by ``latency_ms`` ± ``jitter_ms``."""
    return Toxic("latency", {"latency": latency_ms, "jitter": jitter_ms})


def bandwidth(*, rate_kb_s: int) -> Toxic:
    """Limit throughput to ``rate_kb_s`` kilobytes (1000 bytes) per second."""
    return Toxic("bandwidth", {"rate": rate_kb_s})


def timeout(*, timeout_ms: int) -> Toxic:
    """Stop all data, and close the connection after ``timeout_ms`` (0: never close)."""
    return Toxic("timeout", {"timeout": timeout_ms})


def reset_peer(*, timeout_ms: int = 0) -> Toxic:
    """Reset the connection (TCP RST) after ``timeout_ms``."""
    return Toxic("reset_peer", {"timeout": timeout_ms})


def slicer(*, average_size_bytes: int, size_variation_bytes: int = 0, delay_us: int = 0) -> Toxic:
    """Cut data into small packets of about ``average_size_bytes``, ``delay_us`` apart."""
    return Toxic(
        "slicer", {"average_size": average_size_bytes, "size_variation": size_variation_bytes, "delay": delay_us}
    )


def limit_data(*, bytes_: int) -> Toxic:
    """Close the connection once ``bytes_`` bytes have passed (a body cut mid-way)."""
    return Toxic("limit_data", {"bytes": bytes_})


def slow_close(*, delay_ms: int) -> Toxic:
    """Delay the close of the connection by ``delay_ms``."""
    return Toxic("slow_close", {"delay": delay_ms})


def _require_loopback(address: str) -> None:
    """Refuse ``host:port`` unless host is on 127.0.0.0/8 (or ``localhost``)."""
    host, _, port = address.rpartition(":")
    if not port.isdigit():
        raise ValueError(f"{address!r} is not host:port")
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"{address!r} is not a loopback address; toxiproxy here proxies loopback only")


@dataclass
class Proxy:
    """A proxy on the toxiproxy server; ``url`` is where clients connect instead of upstream."""

    name: str
    listen: str
    upstream: str
    _client: ToxiproxyClient = field(repr=False)
    _count: int = field(default=0, repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.listen}"

    def add(self, toxic: Toxic, *, stream: Stream = "downstream", toxicity: float = 1.0) -> str:
        """Add ``toxic`` on ``stream`` to a ``toxicity`` share of connections; returns its name.

        Raises:
            ToxiproxyError: the server refused it (unknown type, bad attributes).
        """
        self._count += 1
        name = f"{toxic.type}_{stream}_{self._count}"
        body = {
            "name": name,
            "type": toxic.type,
            "stream": stream,
            "toxicity": toxicity,
            "attributes": toxic.attributes,
        }
        self._client.request("POST", f"/proxies/{self.name}/toxics", body)
        return name

    def remove(self, toxic_name: str) -> None:
        """Remove one toxic; connections flow cleanly again."""
        self._client.request("DELETE", f"/proxies/{self.name}/toxics/{toxic_name}")

    def toxics(self) -> list[dict[str, Any]]:
        """The toxics in place, as toxiproxy reports them."""
        result: list[dict[str, Any]] = self._client.request("GET", f"/proxies/{self.name}/toxics")
        return result

    def set_enabled(self, enabled: bool) -> None:
        """Disable (close every connection and stop listening) or re-enable the proxy."""
        body = {"listen": self.listen, "upstream": self.upstream, "enabled": enabled}
        self._client.request("POST", f"/proxies/{self.name}", body)

    def delete(self) -> None:
        self._client.request("DELETE", f"/proxies/{self.name}")


class ToxiproxyClient:
    """The HTTP API of one toxiproxy server (``http://127.0.0.1:PORT``)."""

    def __init__(self, api_url: str) -> None:
        self._http = httpx.Client(base_url=api_url, timeout=5, trust_env=False)

    def close(self) -> None:
        self._http.close()

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """One API call; returns the decoded JSON answer (None for an empty one).

        Raises:
            ToxiproxyError: any answer of 300 or more.
        """
        response = self._http.request(method, path, json=body)
        if response.status_code >= 300:
            raise ToxiproxyError(response.status_code, response.text)
        return response.json() if response.content else None

    def version(self) -> str:
        return self._http.get("/version").text.strip()

    def create_proxy(self, name: str, *, upstream: str, listen: str = "127.0.0.1:0") -> Proxy:
        """Create and enable a proxy from ``listen`` (default: a free loopback port) to ``upstream``.

        Raises:
            ValueError: ``listen`` or ``upstream`` is not a loopback ``host:port``.
            ToxiproxyError: the server refused (name taken, port in use).
        """
        _require_loopback(listen)
        _require_loopback(upstream)
        created = self.request("POST", "/proxies", {"name": name, "listen": listen, "upstream": upstream})
        return Proxy(name=name, listen=created["listen"], upstream=upstream, _client=self)

    def reset(self) -> None:
        """Remove every toxic and re-enable every proxy."""
        self.request("POST", "/reset")


class Toxiproxy:
    """A running toxiproxy server on 127.0.0.1; ``stop()`` ends it and waits.

    Raises:
        RuntimeError: from the constructor, when the server exits or does not answer in time.
    """

    def __init__(self, log_dir: Path, *, binary: Path | None = None, startup_timeout_s: float = 20) -> None:
        binary = binary or provide("toxiproxy")
        port = free_port()
        self.api_url = f"http://127.0.0.1:{port}"
        self._log = log_dir / "toxiproxy.log"
        with self._log.open("wb") as log:
            self._process = subprocess.Popen(
                [str(binary), "-host", "127.0.0.1", "-port", str(port)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=loopback_only_environment(LOG_LEVEL="warn"),
            )
        self.pid = self._process.pid
        self.client = ToxiproxyClient(self.api_url)
        try:
            wait_until(
                self._answers, process=self._process, what="toxiproxy", log=self._log, timeout_s=startup_timeout_s
            )
        except BaseException:
            self.stop()
            raise

    def _answers(self) -> bool:
        try:
            return bool(self.client.version())
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        self.client.close()
        stop_process(self._process)


@contextmanager
def toxiproxy_server(log_dir: Path) -> Iterator[Toxiproxy]:
    """Start toxiproxy on a free 127.0.0.1 port (its log in ``log_dir``); stop it on exit."""
    server = Toxiproxy(log_dir)
    try:
        yield server
    finally:
        server.stop()
