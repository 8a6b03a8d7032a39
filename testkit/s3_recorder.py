"""A recording S3 proxy: forwards every request to a real S3 server on loopback and records
when each one was in flight, so a test can prove that parts overlap (peak concurrency), and
can change a request on its way (flip a byte of a body, answer a fault, run a callback
before a request is forwarded)."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from testkit.http_servers import LoopbackServer

__all__ = ["Fault", "RecordedRequest", "RecordingS3Proxy"]


@dataclass
class RecordedRequest:
    """One request: ``operation`` is a coarse name (UploadPart, GetObject, ...)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    operation: str
    started: float = 0.0
    ended: float = 0.0
    status: int = 0


@dataclass(frozen=True)
class Fault:
    """An answer the proxy gives itself instead of forwarding."""

    status: int
    code: str
    message: str = "injected by the test"


Tamper = Callable[[RecordedRequest, bytes], "bytes | Fault | None"]


def _operation(method: str, query: dict[str, list[str]], headers: dict[str, str]) -> str:
    if method == "PUT" and "partNumber" in query:
        return "UploadPart"
    if method == "POST" and "uploads" in query:
        return "CreateMultipartUpload"
    if method == "POST" and "uploadId" in query:
        return "CompleteMultipartUpload"
    if method == "DELETE" and "uploadId" in query:
        return "AbortMultipartUpload"
    if method == "GET" and "uploads" in query:
        return "ListMultipartUploads"
    if method == "GET" and "uploadId" in query:
        return "ListParts"
    if method == "PUT":
        return "PutObject"
    if method == "GET":
        return "GetObject"
    if method == "HEAD":
        return "HeadObject"
    return method


@dataclass
class _Log:
    requests: list[RecordedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class RecordingS3Proxy(LoopbackServer):
    """Forward to ``target`` after ``delay_s`` per request (so overlap is visible), recording.

    Args:
        target: the S3 server's loopback URL.
        delay_s: held before forwarding each request of the operations in ``delay_for``.
        tamper: called with each request and its body; returns a new body, a ``Fault`` to
            answer instead, or None to forward unchanged.
    """

    def __init__(
        self,
        target: str,
        *,
        delay_s: float = 0.0,
        delay_for: frozenset[str] = frozenset({"UploadPart", "GetObject"}),
        tamper: Tamper | None = None,
    ) -> None:
        parts = urlsplit(target)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        self._log = _Log()
        self.tamper = tamper
        self.delay_s = delay_s
        log, proxy = self._log, self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                split = urlsplit(self.path)
                query = parse_qs(split.query, keep_blank_values=True)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                record = RecordedRequest(
                    self.command, split.path, query, headers, _operation(self.command, query, headers)
                )
                record.started = time.monotonic()
                with log.lock:
                    log.requests.append(record)
                try:
                    changed = proxy.tamper(record, body) if proxy.tamper else None
                    if isinstance(changed, Fault):
                        self._fault(changed, record)
                        return
                    if changed is not None:
                        body = changed
                    if record.operation in delay_for:
                        time.sleep(proxy.delay_s)
                    self._relay(body, record)
                finally:
                    record.ended = time.monotonic()

            def _relay(self, body: bytes, record: RecordedRequest) -> None:
                upstream = http.client.HTTPConnection(host, port, timeout=60)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                    upstream.request(self.command, self.path, body=body or None, headers=headers)
                    response = upstream.getresponse()
                    payload = response.read()
                finally:
                    upstream.close()
                record.status = response.status
                self.send_response(response.status)
                for key, value in response.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                # A HEAD answer's length is the object's, not of the (empty) payload.
                length = response.getheader("Content-Length") if self.command == "HEAD" else None
                self.send_header("Content-Length", length or str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            def _fault(self, fault: Fault, record: RecordedRequest) -> None:
                payload = (
                    f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{fault.code}</Code>'
                    f"<Message>{fault.message}</Message><RequestId>FAULT</RequestId></Error>"
                ).encode()
                record.status = fault.status
                self.send_response(fault.status)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward

            def log_message(self, format: str, *args: object) -> None:
                return None

        super().__init__(Handler, "127.0.0.1")

    def requests(self, operation: str | None = None) -> list[RecordedRequest]:
        with self._log.lock:
            return [r for r in self._log.requests if operation is None or r.operation == operation]

    def peak_in_flight(self, operation: str) -> int:
        """The most requests of ``operation`` that were in flight at one moment."""
        events: list[tuple[float, int]] = []
        for record in self.requests(operation):
            events += [(record.started, 1), (record.ended, -1)]
        peak = current = 0
        for _, step in sorted(events, key=lambda event: (event[0], event[1])):
            current += step
            peak = max(peak, current)
        return peak
