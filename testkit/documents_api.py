"""A loopback HTTP server shaped like Camunda's REST document API, for integration tests.

Routes and field names follow the Orchestration Cluster API (camunda-orchestration-sdk
``api/document/*.py``, ``models/document_*.py``)::

    POST   /v2/documents?storeId&documentId   multipart ``file`` + ``metadata`` (JSON) -> 201 DocumentReference
    GET    /v2/documents/{id}?storeId&contentHash                   -> 200 bytes | 404 ProblemDetail
    POST   /v2/documents/{id}/links?storeId&contentHash {timeToLive} -> 201 {url, expiresAt}
    DELETE /v2/documents/{id}?storeId                                -> 204 | 404
    POST   /oauth/token   (client credentials, only with require_oauth) -> {access_token, expires_in}

Bodies go to a temporary directory, never to memory: a multipart upload is parsed as it
arrives and the ``file`` part written straight to its file (hashed on the way), so gigabyte
uploads work and cost one pass, not a spool and two scans. Test hooks:
``fail_next`` (inject 5xx), ``requests`` (method, route, query, headers of each request),
``require_basic`` / ``require_oauth`` / ``revoke_tokens``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import shutil
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

NOT_FOUND_TITLE = "io.camunda.document.api.DocumentError$DocumentNotFound"
_BLOCK = 1 << 20


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    route: str  # create | get | link | delete | token | other
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names


@dataclass
class StoredDocument:
    path: Path
    reference: dict[str, Any]


@dataclass
class _State:
    root: Path
    lock: threading.Lock = field(default_factory=threading.Lock)
    documents: dict[str, StoredDocument] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    uploads: list[dict[str, Any]] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    basic: str | None = None
    oauth: tuple[str, str] | None = None
    token_expires_in: int = 3600
    tokens: set[str] = field(default_factory=set)
    token_requests: list[dict[str, str]] = field(default_factory=list)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gives up mid-request (a test of aborted uploads) is not a server error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class DocumentsApi:
    """The fake server. Use as a context manager; ``base_url`` is ``http://127.0.0.1:<port>``."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._state = _State(root=Path(tempfile.mkdtemp(prefix="fake-documents-")))
        self._httpd = _Server((host, 0), _handler_for(self._state, self))
        # A short poll interval keeps shutdown (once per test) fast.
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> DocumentsApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        shutil.rmtree(self._state.root, ignore_errors=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/oauth/token"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    @property
    def uploads(self) -> list[dict[str, Any]]:
        """For each create: ``{"metadata": <JSON part>, "file_headers": {...}, "query": {...}}``."""
        with self._state.lock:
            return list(self._state.uploads)

    @property
    def token_requests(self) -> list[dict[str, str]]:
        with self._state.lock:
            return list(self._state.token_requests)

    @property
    def valid_tokens(self) -> set[str]:
        with self._state.lock:
            return set(self._state.tokens)

    def count(self, route: str) -> int:
        return sum(1 for request in self.requests if request.route == route)

    def fail_next(self, n: int, status: int = 500) -> None:
        """Answer the next ``n`` document requests with ``status`` (a ProblemDetail)."""
        with self._state.lock:
            self._state.failures.extend([status] * n)

    def require_basic(self, user: str, password: str) -> None:
        self._state.basic = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def require_oauth(self, client_id: str, client_secret: str, *, expires_in: int = 3600) -> None:
        self._state.oauth = (client_id, client_secret)
        self._state.token_expires_in = expires_in

    def revoke_tokens(self) -> None:
        """Invalidate every token issued so far (the next document request gets 401)."""
        with self._state.lock:
            self._state.tokens.clear()

    def put_document(
        self, data: bytes, content_type: str = "application/octet-stream", file_name: str = "file.bin"
    ) -> dict[str, Any]:
        """Store a document directly and return its reference JSON."""
        document_id = str(uuid.uuid4())
        path = self._state.root / document_id
        path.write_bytes(data)
        metadata = {"contentType": content_type, "fileName": file_name, "size": len(data)}
        return _store(self._state, document_id, path, hashlib.sha256(data).hexdigest(), "in-memory", metadata)

    def put_document_stream(
        self, chunks: Iterable[bytes], content_type: str = "application/octet-stream", file_name: str = "file.bin"
    ) -> dict[str, Any]:
        """Store a large document chunk by chunk (to disk, never whole in memory)."""
        document_id = str(uuid.uuid4())
        path = self._state.root / document_id
        digest = hashlib.sha256()
        size = 0
        with path.open("wb") as file:
            for chunk in chunks:
                file.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        metadata = {"contentType": content_type, "fileName": file_name, "size": size}
        return _store(self._state, document_id, path, digest.hexdigest(), "in-memory", metadata)

    def content_sha256(self, document_id: str) -> tuple[str, int]:
        """The SHA-256 and size of a stored document, read in chunks."""
        digest = hashlib.sha256()
        size = 0
        with self._state.documents[document_id].path.open("rb") as file:
            while chunk := file.read(1024 * 1024):
                digest.update(chunk)
                size += len(chunk)
        return digest.hexdigest(), size

    def document_ids(self) -> list[str]:
        """Every stored document's id (only whole uploads are ever stored: a cut body is refused)."""
        with self._state.lock:
            return list(self._state.documents)

    def content(self, document_id: str) -> bytes:
        return self._state.documents[document_id].path.read_bytes()

    def reference(self, document_id: str) -> dict[str, Any]:
        return self._state.documents[document_id].reference


def _store(
    state: _State, document_id: str, path: Path, content_hash: str, store_id: str, metadata: dict[str, Any]
) -> dict[str, Any]:
    full_metadata = {
        "contentType": metadata.get("contentType") or "application/octet-stream",
        "fileName": metadata.get("fileName"),
        "expiresAt": metadata.get("expiresAt"),
        "size": metadata["size"],
        "processDefinitionId": metadata.get("processDefinitionId"),
        "processInstanceKey": metadata.get("processInstanceKey"),
        "customProperties": metadata.get("customProperties") or {},
    }
    reference = {
        "camunda.document.type": "camunda",
        "storeId": store_id,
        "documentId": document_id,
        "contentHash": content_hash,
        "metadata": full_metadata,
    }
    with state.lock:
        state.documents[document_id] = StoredDocument(path, reference)
    return reference


def _route(method: str, path: str) -> tuple[str, str | None]:
    parts = [p for p in path.split("/") if p]
    if method == "POST" and parts == ["oauth", "token"]:
        return "token", None
    if parts[:2] != ["v2", "documents"]:
        return "other", None
    if method == "POST" and len(parts) == 2:
        return "create", None
    if method == "GET" and len(parts) == 3:
        return "get", parts[2]
    if method == "POST" and len(parts) == 4 and parts[3] == "links":
        return "link", parts[2]
    if method == "DELETE" and len(parts) == 3:
        return "delete", parts[2]
    return "other", None


def _handler_for(state: _State, api: DocumentsApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return None

        def do_GET(self) -> None:
            self._handle()

        do_POST = do_DELETE = do_PUT = do_GET

        def _handle(self) -> None:
            self._body_read = False  # one handler serves every request of a keep-alive connection
            url = urlsplit(self.path)
            route, document_id = _route(self.command, url.path)
            query = dict(parse_qsl(url.query))
            headers = {k.lower(): v for k, v in self.headers.items()}
            with state.lock:
                state.requests.append(RecordedRequest(self.command, route, url.path, query, headers))
            if route == "token":
                return self._token()
            if not self._authorized(headers.get("authorization")):
                return self._problem(401, "Unauthorized", "missing or invalid credentials")
            with state.lock:
                failure = state.failures.pop(0) if state.failures else None
            if failure is not None:
                return self._problem(failure, "Injected failure", f"the fake answers {failure}")
            if route == "create":
                return self._create(query)
            if route == "other" or document_id is None:
                return self._problem(404, "Not Found", f"no route for {self.command} {url.path}")
            stored = state.documents.get(document_id)
            if stored is None or not _matches(stored, query, check_hash=route != "delete"):
                return self._problem(404, NOT_FOUND_TITLE, f"Document with id '{document_id}' not found")
            if route == "get":
                return self._get(stored)
            if route == "link":
                return self._link(document_id, query)
            self._drain()
            with state.lock:
                state.documents.pop(document_id, None)
            self._respond(204, b"", None)

        def _authorized(self, header: str | None) -> bool:
            if state.basic is not None:
                return header == state.basic
            if state.oauth is not None:
                token = (header or "").removeprefix("Bearer ")
                with state.lock:
                    return bool(header) and token in state.tokens
            return True

        def _token(self) -> None:
            form = dict(parse_qsl(b"".join(_body_chunks(self)).decode()))
            with state.lock:
                state.token_requests.append(form)
            if state.oauth != (form.get("client_id"), form.get("client_secret")):
                return self._respond(401, json.dumps({"error": "invalid_client"}).encode(), "application/json")
            token = secrets.token_urlsafe(24)
            with state.lock:
                state.tokens.add(token)
            body = {"access_token": token, "token_type": "Bearer", "expires_in": state.token_expires_in}
            self._respond(200, json.dumps(body).encode(), "application/json")

        def _create(self, query: dict[str, str]) -> None:
            try:
                boundary = _boundary(self.headers.get("content-type", ""))
                document_id = query.get("documentId") or str(uuid.uuid4())
                reference = _save_streamed(state, _body_chunks(self), boundary, document_id, query)
            except ValueError as exc:
                self._drain()
                return self._problem(400, "Bad Request", str(exc))
            self._respond(201, json.dumps(reference).encode(), "application/json")

        def _get(self, stored: StoredDocument) -> None:
            self._drain()
            self.send_response(200)
            self.send_header("Content-Type", stored.reference["metadata"]["contentType"])
            self.send_header("Content-Length", str(stored.path.stat().st_size))
            self.end_headers()
            with stored.path.open("rb") as source:
                shutil.copyfileobj(source, self.wfile, 64 * 1024)

        def _link(self, document_id: str, query: dict[str, str]) -> None:
            payload = json.loads(b"".join(_body_chunks(self)) or b"{}")
            ttl_ms = int(payload.get("timeToLive", 3_600_000))
            expires = datetime.now(timezone.utc) + timedelta(milliseconds=ttl_ms)
            body = {
                "url": f"{api.base_url}/v2/documents/{document_id}?storeId={query.get('storeId', 'in-memory')}",
                "expiresAt": expires.isoformat().replace("+00:00", "Z"),
            }
            self._respond(201, json.dumps(body).encode(), "application/json")

        def _problem(self, status: int, title: str, detail: str) -> None:
            self._drain()
            problem = {"type": "about:blank", "title": title, "status": status, "detail": detail}
            problem["instance"] = urlsplit(self.path).path
            self._respond(status, json.dumps(problem).encode(), "application/problem+json")

        def _drain(self) -> None:
            for _ in _body_chunks(self):
                pass

        def _respond(self, status: int, body: bytes, content_type: str | None) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            if status != 204:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _matches(stored: StoredDocument, query: dict[str, str], *, check_hash: bool) -> bool:
    reference = stored.reference
    if "storeId" in query and query["storeId"] != reference["storeId"]:
        return False
    return not (check_hash and "contentHash" in query and query["contentHash"] != reference["contentHash"])


def _body_chunks(handler: BaseHTTPRequestHandler) -> Iterator[bytes]:
    """The request body, de-chunked; each call reads what is left (at most once)."""
    if getattr(handler, "_body_read", False):
        return
    handler._body_read = True  # type: ignore[attr-defined]  # set per request by the handler
    rfile = handler.rfile
    if handler.headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int(rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return
            remaining = size
            while remaining:
                data = rfile.read(min(remaining, _BLOCK))
                if not data:
                    return
                remaining -= len(data)
                yield data
            rfile.readline()
    else:
        remaining = int(handler.headers.get("content-length") or 0)
        while remaining:
            data = rfile.read(min(remaining, _BLOCK))
            if not data:
                return
            remaining -= len(data)
            yield data


def _boundary(content_type: str) -> bytes:
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "boundary" and value:
            return value.strip('"').encode()
    raise ValueError("multipart/form-data with a boundary expected")


class _Stream:
    """A byte stream over chunks with a small look-ahead buffer, for parsing as it arrives."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self.buffer = bytearray()

    def fill(self) -> bool:
        chunk = next(self._chunks, None)
        if chunk is None:
            return False
        self.buffer += chunk
        return True

    def until(self, needle: bytes, sink: Any | None = None) -> bool:
        """Consume up to and including ``needle``; what precedes it goes to ``sink(bytes)``.

        Holds at most one chunk plus ``len(needle)`` bytes. False when the stream ends first.
        """
        start = 0
        while True:
            found = self.buffer.find(needle, start)
            if found >= 0:
                if sink is not None and found:
                    sink(bytes(self.buffer[:found]))
                del self.buffer[: found + len(needle)]
                return True
            keep = len(needle) - 1
            if len(self.buffer) > keep:
                cut = len(self.buffer) - keep
                if sink is not None:
                    sink(bytes(self.buffer[:cut]))
                del self.buffer[:cut]
            start = 0
            if not self.fill():
                return False


def _save_streamed(
    state: _State, chunks: Iterator[bytes], boundary: bytes, document_id: str, query: dict[str, str]
) -> dict[str, Any]:
    """Parse ``multipart/form-data`` as it arrives: ``metadata`` (JSON) and ``file`` parts."""
    stream = _Stream(iter(chunks))
    if not stream.until(b"--" + boundary):
        raise ValueError("multipart boundary not found")
    delimiter = b"\r\n--" + boundary
    target = state.root / document_id
    digest, sizes, metadata, file_headers = hashlib.sha256(), [0], {}, None
    while True:
        while len(stream.buffer) < 2 and stream.fill():
            pass
        if stream.buffer[:2] != b"\r\n":
            break  # "--" closes the body
        del stream.buffer[:2]
        raw: list[bytes] = []
        if not stream.until(b"\r\n\r\n", raw.append):
            raise ValueError("truncated multipart headers")
        headers = {}
        for line in b"".join(raw).decode("utf-8").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        part_name = _disposition_name(headers, "name")
        if part_name == "file":
            file_headers = headers
            with target.open("wb") as out:

                def write(block: bytes, out: Any = out) -> None:
                    digest.update(block)
                    out.write(block)
                    sizes[0] += len(block)

                complete = stream.until(delimiter, write)
        else:
            body: list[bytes] = []
            complete = stream.until(delimiter, body.append)
            if part_name == "metadata":
                metadata = json.loads(b"".join(body))
        if not complete:
            raise ValueError("truncated multipart body")
    for _ in stream._chunks:  # the epilogue, if any
        pass
    if file_headers is None:
        raise ValueError("the multipart part 'file' is required")
    with state.lock:
        state.uploads.append({"metadata": metadata, "file_headers": file_headers, "query": query})
    given = {
        **metadata,
        "size": sizes[0],
        "contentType": metadata.get("contentType") or file_headers.get("content-type"),
        "fileName": metadata.get("fileName") or _disposition_name(file_headers, "filename"),
    }
    return _store(state, document_id, target, digest.hexdigest(), query.get("storeId", "in-memory"), given)


def _disposition_name(headers: dict[str, str], key: str) -> str | None:
    for param in headers.get("content-disposition", "").split(";")[1:]:
        name, _, value = param.strip().partition("=")
        if name.lower() == key:
            return value.strip('"')
    return None
