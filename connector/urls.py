"""URL facts more than one room needs: the default ports of http(s) and what an IP literal is."""

from __future__ import annotations

import ipaddress

__all__ = ["DEFAULT_PORTS", "is_ip_literal"]

DEFAULT_PORTS = {"http": 80, "https": 443}


def is_ip_literal(host: str, *, version: int | None = None) -> bool:
    """Whether ``host`` is an IP address (of ``version`` 4 or 6 when given), not a name."""
    try:
        address = ipaddress.ip_address(host.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    return version is None or address.version == version
