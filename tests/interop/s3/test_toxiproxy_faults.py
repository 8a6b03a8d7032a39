"""toxiproxy in front of each S3 server: every toxic the fault suites use does what it says on
real S3 traffic, and the connector's error mapping names the fault (issue 14 builds on this)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from connector.errors import ConnectorError
from connector.s3 import ClientCache, get_object
from testkit.processes import tcp_endpoints
from testkit.s3servers import S3Server
from testkit.toxiproxy import (
    Proxy,
    Toxiproxy,
    ToxiproxyClient,
    bandwidth,
    latency,
    limit_data,
    reset_peer,
    slicer,
    timeout,
    toxiproxy_server,
)
from tests.interop.s3.test_connector_on_servers import spec

BODY = bytes(range(256)) * 400  # 100 KiB


@pytest.fixture(scope="session")
def toxiproxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Toxiproxy]:
    with toxiproxy_server(tmp_path_factory.mktemp("toxiproxy")) as server:
        yield server


@pytest.fixture
def proxy(toxiproxy: Toxiproxy, s3_server: S3Server) -> Iterator[Proxy]:
    """A fresh proxy to the server, deleted after the test (with its toxics)."""
    upstream = urlsplit(s3_server.endpoint_url).netloc
    created = toxiproxy.client.create_proxy(f"s3-{uuid.uuid4().hex[:8]}", upstream=upstream)
    yield created
    created.delete()


@pytest.fixture
def stored(s3_server: S3Server) -> tuple[str, str]:
    bucket = s3_server.new_bucket()
    s3_server.client().put_object(Bucket=bucket, Key="k", Body=BODY)
    return bucket, "k"


def client(server: S3Server, proxy: Proxy, *, read_timeout_s: float = 10) -> object:
    """A connector client through the proxy, one attempt per request (faults are not retried away)."""
    return ClientCache().get(spec(server, endpoint_url=proxy.url, connect_timeout_s=2, read_timeout_s=read_timeout_s))


def timed_get(s3: object, bucket: str, key: str) -> tuple[bytes, float]:
    started = time.monotonic()
    body = get_object(s3, bucket=bucket, key=key, max_bytes=len(BODY)).body  # type: ignore[arg-type]
    return body, time.monotonic() - started


class TestToxics:
    def test_a_clean_proxy_passes_everything(self, s3_server: S3Server, proxy: Proxy, stored: tuple[str, str]) -> None:
        assert timed_get(client(s3_server, proxy), *stored)[0] == BODY

    def test_latency_delays_the_answer(self, s3_server: S3Server, proxy: Proxy, stored: tuple[str, str]) -> None:
        s3 = client(s3_server, proxy)
        timed_get(s3, *stored)  # connect first: the toxic then delays data, not the handshake
        proxy.add(latency(latency_ms=400))

        body, elapsed_s = timed_get(s3, *stored)

        assert body == BODY and elapsed_s >= 0.4

    def test_bandwidth_limits_the_rate(self, s3_server: S3Server, proxy: Proxy, stored: tuple[str, str]) -> None:
        proxy.add(bandwidth(rate_kb_s=100))  # 102,400 bytes at 100,000 bytes/s: about a second

        body, elapsed_s = timed_get(client(s3_server, proxy), *stored)

        assert body == BODY and elapsed_s >= 0.9

    def test_slicer_cuts_data_into_small_packets_without_changing_it(
        self, s3_server: S3Server, proxy: Proxy, stored: tuple[str, str]
    ) -> None:
        proxy.add(slicer(average_size_bytes=64, size_variation_bytes=32, delay_us=10))

        assert timed_get(client(s3_server, proxy), *stored)[0] == BODY

    def test_timeout_holds_the_answer_and_the_client_times_out(
        self, s3_server: S3Server, proxy: Proxy, stored: tuple[str, str]
    ) -> None:
        # Upstream: the request never reaches the server. (Downstream, moto's answer would still
        # close its connection, which toxiproxy passes on as a closed connection.)
        proxy.add(timeout(timeout_ms=0), stream="upstream")

        with pytest.raises(ConnectorError) as raised:
            timed_get(client(s3_server, proxy, read_timeout_s=1), *stored)

        assert (raised.value.code, raised.value.retryable) == ("TIMEOUT", True)

    def test_reset_peer_is_a_retryable_unreachable_endpoint(
        self, s3_server: S3Server, proxy: Proxy, stored: tuple[str, str]
    ) -> None:
        proxy.add(reset_peer(timeout_ms=0))

        with pytest.raises(ConnectorError) as raised:
            timed_get(client(s3_server, proxy), *stored)

        assert (raised.value.code, raised.value.retryable) == ("ENDPOINT_UNREACHABLE", True)

    def test_limit_data_cuts_the_body_and_the_read_is_incomplete(
        self, s3_server: S3Server, proxy: Proxy, stored: tuple[str, str]
    ) -> None:
        proxy.add(limit_data(bytes_=len(BODY) // 2))  # headers and half the body, then close

        with pytest.raises(ConnectorError) as raised:
            timed_get(client(s3_server, proxy), *stored)

        assert (raised.value.code, raised.value.retryable) == ("INCOMPLETE_READ", True)

    def test_removing_the_toxic_heals_the_proxy(
        self, s3_server: S3Server, proxy: Proxy, stored: tuple[str, str]
    ) -> None:
        name = proxy.add(reset_peer(timeout_ms=0))
        assert [toxic["name"] for toxic in proxy.toxics()] == [name]

        proxy.remove(name)

        assert proxy.toxics() == []
        assert timed_get(client(s3_server, proxy), *stored)[0] == BODY


class TestToxiproxyItself:
    @pytest.mark.parametrize("upstream", ["10.0.0.1:9000", "example.com:80", "0.0.0.0:9000"])
    def test_only_loopback_upstreams_are_accepted(self, toxiproxy: Toxiproxy, upstream: str) -> None:
        with pytest.raises(ValueError, match="loopback"):
            toxiproxy.client.create_proxy("refused", upstream=upstream)

        assert toxiproxy.client.request("GET", "/proxies") == {}

    def test_the_server_listens_on_loopback_only(self, toxiproxy: Toxiproxy) -> None:
        endpoints = tcp_endpoints(toxiproxy.pid)

        assert endpoints and all(local.startswith("127.") for local, _ in endpoints)

    def test_a_client_needs_a_running_server(self) -> None:
        lost = ToxiproxyClient("http://127.0.0.1:9")  # the discard port: nothing listens there
        with pytest.raises(httpx.ConnectError):
            lost.version()
        lost.close()
