"""The servers the suites start talk to loopback only: no update checks, no call-home."""

from __future__ import annotations

import ipaddress

from testkit.processes import tcp_endpoints
from testkit.s3servers import S3Server


def ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped:
        return parsed.ipv4_mapped
    return parsed


def loopback_only(local: str, remote: str) -> bool:
    """Bound to loopback, and connected to loopback or to nothing (a listening socket)."""
    return ip(local).is_loopback and (ip(remote).is_loopback or ip(remote).is_unspecified)


def test_the_server_has_loopback_sockets_only(s3_server: S3Server) -> None:
    s3_server.client().list_buckets()  # at least one connection in use
    assert s3_server.pid is not None

    endpoints = tcp_endpoints(s3_server.pid)

    assert endpoints, "the server holds no TCP socket at all"
    assert [pair for pair in endpoints if not loopback_only(*pair)] == []
