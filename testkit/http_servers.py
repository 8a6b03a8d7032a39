"""Small loopback HTTP servers for tests: a recorder that logs every contact, and a proxy
that forwards to another loopback server after a delay (a slow S3)."""

from __future__ import annotations

import http.client
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TypeVar
from urllib.parse import urlsplit

_Server = TypeVar("_Server", bound="LoopbackServer")


class LoopbackServer:
    """A threaded HTTP server on loopback for one handler class, started by ``with``."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], host: str) -> None:
        self.httpd = ThreadingHTTPServer((host, 0), handler)
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self: _Server) -> _Server:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class RecordingServer(LoopbackServer):
    """Answers 200 to anything and remembers each request line, to prove nobody called."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.requests: list[str] = []
        recorder = self.requests

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                recorder.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _any

            def log_message(self, format: str, *args: object) -> None:
                return None

        super().__init__(Handler, host)

    def __enter__(self) -> RecordingServer:
        super().__enter__()
        return self


_SLOW_DOWN = (
    b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>'
    b"<Message>Please reduce your request rate.</Message><RequestId>FAULT</RequestId></Error>"
)


class DelayingProxy(LoopbackServer):
    """Forwards every request to ``target`` (a loopback URL) after ``delay_s``.

    With ``throttle_first`` it answers that many requests itself with S3's
    ``503 SlowDown``, as S3 does under load; ``throttled`` counts them.
    """

    def __init__(self, target: str, delay_s: float = 0.0, host: str = "127.0.0.1", throttle_first: int = 0) -> None:
        parts = urlsplit(target)
        target_host, target_port = parts.hostname or "127.0.0.1", parts.port or 80
        self.throttled = 0
        proxy = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _throttle(self) -> bool:
                with lock:
                    if proxy.throttled >= throttle_first:
                        return False
                    proxy.throttled += 1
                self.send_response(503)
                self.send_header("Content-Type", "application/xml")
                self.send_header("x-amz-request-id", "FAULT")  # S3 sends the id as a header too
                self.send_header("Content-Length", str(len(_SLOW_DOWN)))
                self.end_headers()
                self.wfile.write(_SLOW_DOWN)
                return True

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if self._throttle():
                    return
                time.sleep(delay_s)
                upstream = http.client.HTTPConnection(target_host, target_port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                upstream.request(self.command, self.path, body=body, headers=headers)
                response = upstream.getresponse()
                payload = response.read()
                self.send_response(response.status)
                for key, value in response.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)
                upstream.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward

            def log_message(self, format: str, *args: object) -> None:
                return None

        super().__init__(Handler, host)

    def __enter__(self) -> DelayingProxy:
        super().__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        super().__exit__(exc_type, exc, tb)


class StaticServer(LoopbackServer):
    """Serves fixed bodies by path (404 otherwise) and records every request line."""

    def __init__(self, routes: dict[str, tuple[bytes, str]], host: str = "127.0.0.1") -> None:
        self.requests: list[str] = []
        recorder = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                recorder.append(f"GET {self.path}")
                body, content_type = routes.get(self.path.split("?", 1)[0], (b"", ""))
                self.send_response(200 if content_type else 404)
                self.send_header("Content-Type", content_type or "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return None

        super().__init__(Handler, host)

    def __enter__(self) -> StaticServer:
        super().__enter__()
        return self
