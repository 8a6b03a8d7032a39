"""The SSRF guard's decisions, on IP strings and an injected resolver — no connection is made."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence

import pytest

from connector.documents.address_guard import (
    ALLOW_PRIVATE_SETTING,
    ALLOWED_HOSTS_SETTING,
    AddressPolicy,
    IPAddress,
    Resolver,
    address_category,
    resolve_checked,
)
from connector.errors import ConnectorError, InputError

REFUSED = {
    "10.0.0.1": "private",
    "172.16.5.4": "private",
    "192.168.1.1": "private",
    "fd00::1": "private",
    "127.0.0.1": "loopback",
    "127.0.0.2": "loopback",
    "::1": "loopback",
    "169.254.10.10": "link-local",
    "fe80::1": "link-local",
    "fe80::1%eth0": "link-local",
    "169.254.169.254": "cloud metadata",
    "fd00:ec2::254": "cloud metadata",
    "100.64.0.1": "shared (carrier-grade NAT)",
    "0.0.0.0": "unspecified",
    "::": "unspecified",
    "224.0.0.1": "multicast",
    "ff02::1": "multicast",
    "::ffff:127.0.0.1": "loopback",
    "::ffff:10.1.2.3": "private",
    "::ffff:169.254.169.254": "cloud metadata",
    "2002:a00:1::1": "private",  # 6to4 around 10.0.0.1
    "64:ff9b::a9fe:a9fe": "cloud metadata",  # NAT64 around 169.254.169.254
}
PUBLIC = ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]


class TestCategories:
    @pytest.mark.parametrize(("ip", "category"), REFUSED.items())
    def test_non_public_addresses_are_named(self, ip: str, category: str) -> None:
        assert address_category(ipaddress.ip_address(ip)) == category

    @pytest.mark.parametrize(
        "ip", ["240.0.0.1", "192.0.2.1", "198.18.0.1", "255.255.255.255", "::a00:1", "2001:db8::1"]
    )
    def test_reserved_and_documentation_ranges_are_not_public(self, ip: str) -> None:
        assert address_category(ipaddress.ip_address(ip)) is not None

    @pytest.mark.parametrize("ip", PUBLIC)
    def test_public_addresses_pass(self, ip: str) -> None:
        assert address_category(ipaddress.ip_address(ip)) is None


class TestPolicy:
    @pytest.mark.parametrize("ip", REFUSED)
    def test_the_default_policy_refuses_every_non_public_address(self, ip: str) -> None:
        with pytest.raises(InputError) as info:
            AddressPolicy().check_address(ip, host="files.example")
        assert info.value.code == "URL_NOT_ALLOWED"
        assert info.value.retryable is False
        assert ALLOWED_HOSTS_SETTING in info.value.message
        assert "files.example" in info.value.message

    @pytest.mark.parametrize("ip", PUBLIC)
    def test_public_addresses_are_allowed_by_default(self, ip: str) -> None:
        AddressPolicy().check_address(ip)

    def test_the_message_names_the_switch_for_private_addresses(self) -> None:
        with pytest.raises(InputError) as info:
            AddressPolicy().check_address("10.0.0.1", host="intranet")
        assert f"{ALLOW_PRIVATE_SETTING}=true" in info.value.message
        assert "private" in info.value.message

    @pytest.mark.parametrize("ip", [ip for ip, category in REFUSED.items() if category != "cloud metadata"])
    def test_allow_private_opens_the_non_public_ranges(self, ip: str) -> None:
        AddressPolicy(allow_private=True).check_address(ip, host="intranet")

    @pytest.mark.parametrize("ip", ["169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254"])
    def test_cloud_metadata_stays_closed_with_allow_private(self, ip: str) -> None:
        with pytest.raises(InputError) as info:
            AddressPolicy(allow_private=True).check_address(ip, host="metadata.internal")
        assert ALLOWED_HOSTS_SETTING in info.value.message
        assert ALLOW_PRIVATE_SETTING not in info.value.message

    @pytest.mark.parametrize(
        ("allowed", "host"),
        [("files.corp", "files.corp"), ("FILES.corp.", "files.CORP"), ("::1", "[::1]"), ("127.0.0.1", "127.0.0.1")],
    )
    def test_an_allowed_host_may_reach_any_address(self, allowed: str, host: str) -> None:
        policy = AddressPolicy(allowed_hosts=(allowed,))
        policy.check_address("10.0.0.1", host=host)
        policy.check_address("169.254.169.254", host=host)

    def test_allowed_hosts_do_not_cover_other_hosts(self) -> None:
        with pytest.raises(InputError):
            AddressPolicy(allowed_hosts=("127.0.0.1",)).check_address("127.0.0.2", host="127.0.0.2")


def resolver_for(table: dict[str, Sequence[str]], calls: list[str] | None = None) -> Resolver:
    async def resolve(host: str, port: int) -> Sequence[str | IPAddress]:
        if calls is not None:
            calls.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(table[host])

    return resolve


class TestResolveChecked:
    async def test_every_resolved_address_is_checked(self) -> None:
        resolver = resolver_for({"mixed.example": ["8.8.8.8", "10.0.0.1"]})
        with pytest.raises(InputError) as info:
            await resolve_checked("mixed.example", 443, AddressPolicy(), resolver)
        assert "10.0.0.1" in info.value.message

    async def test_public_addresses_are_returned_in_order_without_duplicates(self) -> None:
        resolver = resolver_for({"cdn.example": ["1.1.1.1", "2606:4700:4700::1111", "1.1.1.1"]})
        found = await resolve_checked("cdn.example", 443, AddressPolicy(), resolver)
        assert [str(a) for a in found] == ["1.1.1.1", "2606:4700:4700::1111"]

    @pytest.mark.parametrize("host", ["169.254.169.254", "[::ffff:127.0.0.1]", "::1"])
    async def test_ip_literals_are_checked_without_resolving(self, host: str) -> None:
        calls: list[str] = []
        with pytest.raises(InputError):
            await resolve_checked(host, 80, AddressPolicy(), resolver_for({}, calls))
        assert calls == []

    async def test_a_name_rebound_to_metadata_is_refused(self) -> None:
        resolver = resolver_for({"rebind.example": ["169.254.169.254"]})
        with pytest.raises(InputError) as info:
            await resolve_checked("rebind.example", 80, AddressPolicy(allow_private=True), resolver)
        assert "cloud metadata" in info.value.message

    async def test_an_allowed_host_resolving_to_private_addresses_passes(self) -> None:
        resolver = resolver_for({"files.corp": ["10.1.1.1"]})
        found = await resolve_checked("files.corp", 80, AddressPolicy(allowed_hosts=("files.corp",)), resolver)
        assert [str(a) for a in found] == ["10.1.1.1"]

    async def test_an_unknown_name_is_not_retryable(self) -> None:
        with pytest.raises(ConnectorError) as info:
            await resolve_checked("nowhere.invalid", 80, AddressPolicy(), resolver_for({}))
        assert (info.value.code, info.value.retryable) == ("URL_HOST_UNKNOWN", False)

    async def test_a_temporary_resolver_failure_is_retryable(self) -> None:
        async def flaky(host: str, port: int) -> Sequence[str]:
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

        with pytest.raises(ConnectorError) as info:
            await resolve_checked("flaky.example", 80, AddressPolicy(), flaky)
        assert (info.value.code, info.value.retryable) == ("EXTERNAL_URL_UNAVAILABLE", True)
