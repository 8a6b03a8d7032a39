"""External URL documents over real HTTP, on loopback only: refused hosts are never contacted.

Every server here listens on 127.0.0.0/8. Loopback is refused by default, which makes it the
stand-in for "an internal host": the tests prove the guard refuses it without contact, and
that an operator's opt-in opens it. Non-loopback addresses are exercised only as strings, in
tests/unit/runtime/test_address_guard.py.
"""

from __future__ import annotations

import datetime
import socket
import ssl
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from connector.documents.address_guard import (
    ALLOW_PRIVATE_SETTING,
    ALLOWED_HOSTS_SETTING,
    AddressPolicy,
    IPAddress,
    Resolver,
)
from connector.documents.external import ExternalFetcher
from connector.errors import ConnectorError, InputError


@dataclass(frozen=True)
class Canned:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    length: bool = True  # send Content-Length; without it the body ends when the connection closes


class ContentServer:
    """Answers canned responses by path on a loopback address and records (path, Host) of every
    request it receives — with no routes it is a recorder that proves nobody called."""

    def __init__(self, routes: dict[str, Canned], host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        self.seen: list[tuple[str, str | None]] = []
        seen = self.seen

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append((self.path, self.headers.get("Host")))
                canned = routes.get(self.path.split("?")[0], Canned(404, body=b"missing"))
                self.send_response(canned.status)
                for name, value in canned.headers.items():
                    self.send_header(name, value)
                if canned.length:
                    self.send_header("Content-Length", str(len(canned.body)))
                self.end_headers()
                self.wfile.write(canned.body)

            def log_message(self, format: str, *args: object) -> None:
                return None

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def url(self, path: str, host: str | None = None, scheme: str = "http") -> str:
        return f"{scheme}://{host or self.httpd.server_address[0]!s}:{self.port}{path}"

    def __enter__(self) -> ContentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def fixed_resolver(table: dict[str, Sequence[str]], calls: list[str]) -> Resolver:
    async def resolve(host: str, port: int) -> Sequence[str | IPAddress]:
        calls.append(host)
        return list(table[host])

    return resolve


def fetcher(
    policy: AddressPolicy,
    *,
    max_bytes: int = 1 << 20,
    max_redirects: int = 5,
    resolver: Resolver | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> ExternalFetcher:
    return ExternalFetcher(
        policy,
        resolver=resolver,
        max_bytes=max_bytes,
        connect_timeout_s=2,
        read_timeout_s=5,
        max_redirects=max_redirects,
        ssl_context=ssl_context,
    )


async def fetch(fetcher: ExternalFetcher, url: str, name: str | None = None) -> tuple[bytes, str | None, str | None]:
    async with fetcher.open(url, name=name) as stream:
        body = b"".join([chunk async for chunk in stream.aiter_bytes()])
        return body, stream.content_type, stream.file_name


async def refused(fetcher: ExternalFetcher, url: str) -> InputError:
    with pytest.raises(InputError) as info:
        await fetch(fetcher, url)
    assert info.value.code == "URL_NOT_ALLOWED"
    return info.value


@pytest.fixture
def pdf_server() -> Iterator[ContentServer]:
    routes = {
        "/files/report.pdf": Canned(headers={"Content-Type": "application/pdf"}, body=b"%PDF-1.7 report"),
        "/named": Canned(
            headers={"Content-Disposition": "attachment; filename=\"plain.txt\"; filename*=UTF-8''na%C3%AFve.txt"},
            body=b"text",
        ),
    }
    with ContentServer(routes) as server:
        yield server


class TestTheGuardKeepsInternalHostsOut:
    async def test_loopback_is_refused_by_default_without_any_contact(self) -> None:
        with ContentServer({}, host="127.0.0.1") as target:
            error = await refused(fetcher(AddressPolicy()), target.url("/latest/meta-data/"))
        assert target.seen == []
        assert ALLOW_PRIVATE_SETTING in error.message and ALLOWED_HOSTS_SETTING in error.message
        assert "loopback" in error.message

    async def test_allow_private_opens_loopback(self, pdf_server: ContentServer) -> None:
        body, content_type, name = await fetch(
            fetcher(AddressPolicy(allow_private=True)), pdf_server.url("/files/report.pdf")
        )
        assert (body, content_type, name) == (b"%PDF-1.7 report", "application/pdf", "report.pdf")

    async def test_an_allowed_host_is_fetched(self, pdf_server: ContentServer) -> None:
        policy = AddressPolicy(allowed_hosts=("127.0.0.1",))
        body, _, _ = await fetch(fetcher(policy), pdf_server.url("/files/report.pdf"))
        assert body == b"%PDF-1.7 report"

    async def test_a_redirect_to_a_refused_address_is_not_followed(self) -> None:
        with ContentServer({}, host="127.0.0.2") as internal:
            routes = {"/go": Canned(302, {"Location": internal.url("/secret")})}
            with ContentServer(routes, host="127.0.0.1") as public:
                policy = AddressPolicy(allowed_hosts=("127.0.0.1",))
                error = await refused(fetcher(policy), public.url("/go"))
        assert internal.seen == []
        assert [path for path, _ in public.seen] == ["/go"]
        assert "127.0.0.2" in error.message

    async def test_non_http_schemes_are_refused(self) -> None:
        error = await refused(fetcher(AddressPolicy(allow_private=True)), "ftp://127.0.0.1/file")
        assert "http" in error.message

    async def test_messages_hide_credentials_and_query_strings(self) -> None:
        with ContentServer({}) as target:
            url = target.url("/x?X-Amz-Signature=s1gnature", host="user:pa55word@127.0.0.1")
            error = await refused(fetcher(AddressPolicy()), url)
        assert target.seen == []
        assert "pa55word" not in error.message and "s1gnature" not in error.message


class TestPinning:
    async def test_the_checked_address_is_used_and_the_name_sent_as_host(self, pdf_server: ContentServer) -> None:
        calls: list[str] = []
        resolver = fixed_resolver({"docs.test": ["127.0.0.1"]}, calls)
        policy = AddressPolicy(allowed_hosts=("docs.test",))
        url = pdf_server.url("/files/report.pdf", host="docs.test")
        body, _, _ = await fetch(fetcher(policy, resolver=resolver), url)
        assert body == b"%PDF-1.7 report"
        assert pdf_server.seen == [("/files/report.pdf", f"docs.test:{pdf_server.port}")]
        assert calls == ["docs.test"]  # resolved once: nothing can re-bind between check and connect

    async def test_https_verifies_the_name_while_connecting_to_the_checked_address(self, tmp_path: Path) -> None:
        trust, server_tls, sni_seen = tls_pair(tmp_path, "docs.test")
        routes = {"/a.txt": Canned(headers={"Content-Type": "text/plain"}, body=b"over tls")}
        with ContentServer(routes, tls=server_tls) as server:
            resolver = fixed_resolver({"docs.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]}, [])
            policy = AddressPolicy(allowed_hosts=("docs.test", "other.test"))
            pinned = fetcher(policy, resolver=resolver, ssl_context=trust)
            assert (await fetch(pinned, server.url("/a.txt", "docs.test", "https")))[0] == b"over tls"
            with pytest.raises(ConnectorError) as info:  # the certificate names docs.test only
                await fetch(pinned, server.url("/a.txt", "other.test", "https"))
        assert sni_seen[:2] == ["docs.test", "other.test"]
        assert info.value.code == "EXTERNAL_URL_UNAVAILABLE"
        assert [path for path, _ in server.seen] == ["/a.txt"]


def tls_pair(tmp_path: Path, name: str) -> tuple[ssl.SSLContext, ssl.SSLContext, list[str]]:
    """A client context trusting a fresh CA, a server context with a certificate for ``name``
    signed by it, and the list the server appends each SNI name it is offered to."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())

    def certificate(subject: str, key: Any, ca: bool) -> Any:
        cn = x509.oid.NameOID.COMMON_NAME
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(cn, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(cn, "test CA")]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False)
        return builder.sign(ca_key, hashes.SHA256())

    pem = serialization.Encoding.PEM
    (tmp_path / "ca.pem").write_bytes(certificate("test CA", ca_key, True).public_bytes(pem))
    (tmp_path / "leaf.pem").write_bytes(certificate(name, leaf_key, False).public_bytes(pem))
    key_format = serialization.PrivateFormat.PKCS8
    (tmp_path / "leaf.key").write_bytes(leaf_key.private_bytes(pem, key_format, serialization.NoEncryption()))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tmp_path / "leaf.pem", tmp_path / "leaf.key")
    sni_seen: list[str] = []
    server.sni_callback = lambda sock, server_name, context: sni_seen.append(server_name)
    return ssl.create_default_context(cafile=str(tmp_path / "ca.pem")), server, sni_seen


class TestResponses:
    async def test_redirects_are_followed_and_the_final_url_names_the_file(self, pdf_server: ContentServer) -> None:
        routes = {"/short": Canned(301, {"Location": "/hop"}), "/hop": Canned(307, {"Location": "/x/final.csv"})}
        routes["/x/final.csv"] = Canned(headers={"Content-Type": "text/csv"}, body=b"a,b")
        with ContentServer(routes) as server:
            result = await fetch(fetcher(AddressPolicy(allow_private=True)), server.url("/short"))
        assert result == (b"a,b", "text/csv", "final.csv")

    async def test_too_many_redirects(self) -> None:
        looping = ContentServer({"/loop": Canned(302, {"Location": "/loop"})})
        with looping as server, pytest.raises(ConnectorError) as info:
            await fetch(fetcher(AddressPolicy(allow_private=True), max_redirects=3), server.url("/loop"))
        assert (info.value.code, info.value.retryable) == ("EXTERNAL_URL_FAILED", False)
        assert len(server.seen) == 4

    async def test_content_disposition_names_the_file_unless_a_name_is_given(self, pdf_server: ContentServer) -> None:
        policy = AddressPolicy(allow_private=True)
        assert (await fetch(fetcher(policy), pdf_server.url("/named")))[2] == "naïve.txt"
        assert (await fetch(fetcher(policy), pdf_server.url("/named"), name="given.txt"))[2] == "given.txt"

    @pytest.mark.parametrize(
        ("status", "code", "retryable"),
        [
            (404, "DOCUMENT_NOT_FOUND", False),
            (403, "EXTERNAL_URL_FAILED", False),
            (500, "EXTERNAL_URL_UNAVAILABLE", True),
            (503, "EXTERNAL_URL_UNAVAILABLE", True),
        ],
    )
    async def test_statuses_map_to_codes(self, status: int, code: str, retryable: bool) -> None:
        with ContentServer({"/f": Canned(status, body=b"no")}) as server, pytest.raises(ConnectorError) as info:
            await fetch(fetcher(AddressPolicy(allow_private=True)), server.url("/f"))
        assert (info.value.code, info.value.retryable) == (code, retryable)

    async def test_a_refused_connection_is_retryable(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with pytest.raises(ConnectorError) as info:
            await fetch(fetcher(AddressPolicy(allow_private=True)), f"http://127.0.0.1:{port}/f")
        assert (info.value.code, info.value.retryable) == ("EXTERNAL_URL_UNAVAILABLE", True)


class TestSizeCap:
    async def test_a_declared_length_over_the_cap_fails_before_reading(self) -> None:
        with ContentServer({"/big": Canned(body=b"x" * 5000)}) as server, pytest.raises(InputError) as info:
            async with fetcher(AddressPolicy(allow_private=True), max_bytes=4096).open(server.url("/big")):
                pytest.fail("opened a document over the cap")
        assert info.value.code == "DOCUMENT_TOO_LARGE"
        assert "4096" in info.value.message

    async def test_a_stream_over_the_cap_fails_while_streaming(self) -> None:
        with ContentServer({"/big": Canned(body=b"x" * 100_000, length=False)}) as server:
            async with fetcher(AddressPolicy(allow_private=True), max_bytes=4096).open(server.url("/big")) as stream:
                assert stream.content_length is None
                received = 0
                with pytest.raises(InputError) as info:
                    async for chunk in stream.aiter_bytes(1024):
                        received += len(chunk)
        assert info.value.code == "DOCUMENT_TOO_LARGE"
        assert received <= 4096

    async def test_a_document_at_the_cap_passes(self) -> None:
        with ContentServer({"/f": Canned(body=b"y" * 4096, length=False)}) as server:
            body, _, _ = await fetch(fetcher(AddressPolicy(allow_private=True), max_bytes=4096), server.url("/f"))
        assert body == b"y" * 4096
