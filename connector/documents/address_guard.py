"""Which network addresses an external document URL may reach — decisions are pure.

A process model must not be able to point the worker at its own infrastructure (SSRF). By
default an external URL may only reach public addresses; refused are:

    unspecified   0.0.0.0/8, ::
    loopback      127.0.0.0/8, ::1
    private       10/8, 172.16/12, 192.168/16, fc00::/7 (and the other ranges Python calls private)
    link-local    169.254/16, fe80::/10
    cloud metadata 169.254.169.254, 169.254.170.2 (ECS), fd00:ec2::254, 100.100.100.200
    shared        100.64.0.0/10 (carrier-grade NAT)
    multicast, reserved, and anything else that is not globally routable

IPv6 forms that embed an IPv4 address (IPv4-mapped ``::ffff:a.b.c.d``, 6to4 ``2002::/16``,
NAT64 ``64:ff9b::/96``) are judged by that IPv4 address.

Operators opt in with ``S3_CONNECTOR_ALLOW_PRIVATE_URLS=true`` (every category except cloud
metadata) or by listing host names in ``S3_CONNECTOR_ALLOWED_URL_HOSTS`` (any address, cloud
metadata included — a deliberate, named exception). The metadata endpoints hand out the
worker's own cloud credentials, so a blanket switch does not open them.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from connector.error_codes import EXTERNAL_URL_UNAVAILABLE, URL_HOST_UNKNOWN, URL_NOT_ALLOWED

__all__ = [
    "ALLOWED_HOSTS_SETTING",
    "ALLOW_PRIVATE_SETTING",
    "AddressPolicy",
    "IPAddress",
    "Resolver",
    "address_category",
    "resolve_checked",
    "system_resolver",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# (host, port) -> the addresses the host resolves to, as strings or address objects.
Resolver = Callable[[str, int], Awaitable[Sequence[str | IPAddress]]]

ALLOW_PRIVATE_SETTING = "S3_CONNECTOR_ALLOW_PRIVATE_URLS"
ALLOWED_HOSTS_SETTING = "S3_CONNECTOR_ALLOWED_URL_HOSTS"

METADATA_CATEGORY = "cloud metadata"
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_category(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public address (e.g. ``"loopback"``), or None when it is public."""
    ip = _embedded_ipv4(ip) or ip
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        ip = ipaddress.IPv6Address(int(ip))  # a zone ("%eth0") changes equality, not the range
    checks: tuple[tuple[str, bool], ...] = (
        (METADATA_CATEGORY, ip in _METADATA),
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("shared (carrier-grade NAT)", isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("non-public", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def _normalize_host(host: str) -> str:
    host = host.strip().lower().rstrip(".").removeprefix("[").removesuffix("]")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


@dataclass(frozen=True)
class AddressPolicy:
    """The operator's choice of what external URLs may reach.

    Args:
        allow_private: allow every non-public category except cloud metadata.
        allowed_hosts: host names (or IP literals) that may resolve to any address.
    """

    allow_private: bool = False
    allowed_hosts: tuple[str, ...] = ()

    def host_is_allowed(self, host: str) -> bool:
        """Whether ``host`` is on the operator's list (case-insensitive, IP literals canonical)."""
        wanted = _normalize_host(host)
        return any(_normalize_host(allowed) == wanted for allowed in self.allowed_hosts)

    def check_address(self, ip: IPAddress | str, *, host: str | None = None) -> None:
        """Accept ``ip`` (which ``host`` resolved to) or refuse it.

        Raises:
            InputError: code ``URL_NOT_ALLOWED``, naming the setting that would allow it.
            ValueError: ``ip`` is not an IP address.
        """
        address = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
        if host is not None and self.host_is_allowed(host):
            return
        category = address_category(address)
        if category is None or (self.allow_private and category != METADATA_CATEGORY):
            return
        shown = host if host is not None else str(address)
        remedy = f"add the host to {ALLOWED_HOSTS_SETTING}"
        if category != METADATA_CATEGORY:
            remedy += f" or set {ALLOW_PRIVATE_SETTING}=true"
        raise URL_NOT_ALLOWED.error(
            f"External document URL host {shown!r} resolves to {address}, a {category} address, "
            f"which the worker does not contact; to allow it, {remedy}"
        )


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the operating system's resolver (``getaddrinfo``), off the loop."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos if info[0] in (socket.AF_INET, socket.AF_INET6)]


async def resolve_checked(host: str, port: int, policy: AddressPolicy, resolver: Resolver) -> list[IPAddress]:
    """Resolve ``host`` and check EVERY address it resolves to; return them in resolver order.

    An IP literal is not resolved. One refused address refuses the host: a name that points
    at a public and a private address must not reach the private one on a retry.

    Raises:
        InputError: ``URL_NOT_ALLOWED`` when any address is refused.
        ConnectorError: ``EXTERNAL_URL_UNAVAILABLE`` (retryable) when resolution fails
            temporarily, ``URL_HOST_UNKNOWN`` (not retryable) when the name does not exist.
    """
    bare = host.removeprefix("[").removesuffix("]")
    try:
        addresses: list[IPAddress] = [ipaddress.ip_address(bare)]
    except ValueError:
        addresses = await _resolve(bare, port, resolver)
    for address in addresses:
        policy.check_address(address, host=bare)
    return addresses


async def _resolve(host: str, port: int, resolver: Resolver) -> list[IPAddress]:
    try:
        found = await resolver(host, port)
    except socket.gaierror as exc:
        if exc.errno == socket.EAI_AGAIN:
            raise EXTERNAL_URL_UNAVAILABLE.error(
                f"External document URL host {host!r} could not be resolved right now"
            ) from None
        found = []
    except OSError:
        raise EXTERNAL_URL_UNAVAILABLE.error(f"External document URL host {host!r} could not be resolved") from None
    addresses: list[IPAddress] = []
    for item in found:
        address = ipaddress.ip_address(item) if isinstance(item, str) else item
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise URL_HOST_UNKNOWN.error(f"External document URL host {host!r} does not resolve to any address")
    return addresses
