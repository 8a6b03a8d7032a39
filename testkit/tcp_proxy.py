"""A TCP proxy on loopback in pure Python, for faults the default suite injects without Go:
throughput limited per direction (so a kill lands mid-transfer), and connections reset after a
number of bytes (a body cut in the middle, as toxiproxy's ``reset_peer`` with ``bandwidth``).

Usage::

    with TcpProxy("127.0.0.1:9000", rate_up_bytes_s=4_000_000) as proxy:
        ... clients connect to proxy.url ...
        proxy.wait_for(lambda: proxy.bytes_up > 6 * MIB)   # mid-upload now
        proxy.set_rates(None, None)                          # heal: full speed
        proxy.reset_next(1, after_bytes=1_000_000)           # the next connection to carry that much is cut

Counters (``connections``, ``resets``, ``bytes_up`` client → server, ``bytes_down``) let a test
prove that a fault happened and what followed it (a second connection is a retry).
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Callable
from types import TracebackType

__all__ = ["TcpProxy"]

_CHUNK = 16 * 1024


class TcpProxy:
    """Forwards each connection on 127.0.0.1 to ``upstream`` (``host:port`` on loopback)."""

    def __init__(
        self, upstream: str, *, rate_up_bytes_s: float | None = None, rate_down_bytes_s: float | None = None
    ) -> None:
        host, _, port = upstream.removeprefix("http://").rstrip("/").rpartition(":")
        if not host.startswith("127.") and host != "localhost":
            raise ValueError(f"{upstream!r} is not on loopback; this proxy forwards to loopback only")
        self._upstream = (host, int(port))
        self._rates = [rate_up_bytes_s, rate_down_bytes_s]
        self._lock = threading.Lock()
        self._resets_planned = 0
        self._reset_after_bytes = 0
        self._sockets: set[socket.socket] = set()
        self.connections = self.resets = self.bytes_up = self.bytes_down = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)  # accept() wakes up to see the proxy closed
        self._closed = False
        self._thread = threading.Thread(target=self._accept, name="tcp-proxy", daemon=True)

    @property
    def address(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"{host}:{port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def set_rates(self, up_bytes_s: float | None, down_bytes_s: float | None) -> None:
        """Change both limits (None: unlimited); connections already open follow at once."""
        with self._lock:
            self._rates = [up_bytes_s, down_bytes_s]

    def reset_next(self, count: int, *, after_bytes: int) -> None:
        """Reset (TCP RST) the next ``count`` connections that carry ``after_bytes`` (both directions
        counted), open or new: whichever connection a client puts a large body on is cut."""
        with self._lock:
            self._resets_planned, self._reset_after_bytes = count, after_bytes

    def wait_for(self, condition: Callable[[], bool], timeout_s: float = 20.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"proxy condition not met in {timeout_s}s: {self.counters()}")
            time.sleep(0.01)

    def counters(self) -> dict[str, int]:
        with self._lock:
            return {
                "connections": self.connections,
                "resets": self.resets,
                "bytes_up": self.bytes_up,
                "bytes_down": self.bytes_down,
            }

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                server = socket.create_connection(self._upstream, timeout=10)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self.connections += 1
                self._sockets.update((client, server))
            link = _Link(self, client, server)
            threading.Thread(target=link.pump, args=(client, server, 0), daemon=True).start()
            threading.Thread(target=link.pump, args=(server, client, 1), daemon=True).start()

    def _rate(self, direction: int) -> float | None:
        with self._lock:
            return self._rates[direction]

    def _count(self, direction: int, n: int) -> None:
        with self._lock:
            if direction == 0:
                self.bytes_up += n
            else:
                self.bytes_down += n

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._closed = True
        self._listener.close()
        with self._lock:
            sockets, self._sockets = set(self._sockets), set()
        for sock in sockets:
            _close(sock)
        self._thread.join(timeout=5)


class _Link:
    """One proxied connection: two pumps, and the reset that may be planned for it."""

    def __init__(self, proxy: TcpProxy, client: socket.socket, server: socket.socket) -> None:
        self._proxy, self._client, self._server = proxy, client, server
        self._passed = 0
        self._lock = threading.Lock()
        self._done = 0

    def pump(self, source: socket.socket, sink: socket.socket, direction: int) -> None:
        try:
            while True:
                rate = self._proxy._rate(direction)
                size = _CHUNK if rate is None else max(1, min(_CHUNK, int(rate / 50)))
                data = source.recv(size)
                if not data:
                    break
                if self._cut(len(data)):
                    return
                sink.sendall(data)
                self._proxy._count(direction, len(data))
                if rate is not None:
                    time.sleep(len(data) / rate)
        except OSError:
            pass
        self._finish(sink)

    def _cut(self, n: int) -> bool:
        with self._lock:
            self._passed += n
            passed = self._passed
        with self._proxy._lock:
            proxy = self._proxy
            if proxy._resets_planned == 0 or passed < proxy._reset_after_bytes:
                return False
            proxy._resets_planned -= 1
            proxy.resets += 1
        for sock in (self._client, self._server):
            # SO_LINGER 0: close() sends RST instead of FIN, as a peer that resets does.
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            _close(sock)
        return True

    def _finish(self, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
        with self._lock:
            self._done += 1
            both = self._done == 2
        if both:
            _close(self._client)
            _close(self._server)
            with self._proxy._lock:
                self._proxy._sockets.discard(self._client)
                self._proxy._sockets.discard(self._server)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.close()
