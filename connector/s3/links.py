"""Plain (unsigned) object URLs that are right for the region, endpoint and addressing style.

Camunda's connector returns ``https://<bucket>.s3.amazonaws.com/<key>`` verbatim: wrong for
custom endpoints and broken for keys with spaces, ``+``, ``#`` or ``?``. Here the key is
percent-encoded segment by segment and the host follows the client's configuration.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from connector.s3.validation import DEFAULT_REGION
from connector.urls import is_ip_literal

__all__ = ["object_link", "quote_key"]

# A bucket can be a DNS label sequence only if it is lowercase letters, digits, dots, hyphens.
_DNS_COMPATIBLE = re.compile(r"^[a-z0-9][a-z0-9.-]*[a-z0-9]$")


def quote_key(key: str) -> str:
    """Percent-encode an object key for a URL path, keeping ``/`` as the separator.

    Args:
        key: the S3 object key.

    Returns:
        The key with spaces, ``+``, ``=``, ``#``, ``?``, ``%`` and non-ASCII encoded.
    """
    return quote(key, safe="/~-._")


def object_link(*, bucket: str, key: str, region: str | None, endpoint_url: str | None, path_style: bool) -> str:
    """Build the URL of an object.

    AWS (no endpoint): ``https://{bucket}.s3.{region}.amazonaws.com/{key}``, or the path-style
    ``https://s3.{region}.amazonaws.com/{bucket}/{key}`` when ``path_style`` is set or the
    bucket name cannot be a TLS host name (dots break the ``*.s3`` wildcard certificate).
    Custom endpoint: ``{endpoint}/{bucket}/{key}`` for path style, else
    ``{scheme}://{bucket}.{host}/{key}``; IP-literal endpoints are always path style.

    Args:
        bucket: the bucket name.
        key: the object key (unencoded).
        region: the client's region; None means ``us-east-1``.
        endpoint_url: the custom endpoint, or None for AWS.
        path_style: whether the client addresses buckets path-style.

    Returns:
        An absolute URL whose path, once unquoted, ends in ``/{key}``.

    Raises:
        ValueError: if ``endpoint_url`` is not an absolute http(s) URL with a host.
    """
    quoted = quote_key(key)
    if endpoint_url is None:
        return _aws_link(bucket, quoted, region or DEFAULT_REGION, path_style)
    return _endpoint_link(bucket, quoted, endpoint_url, path_style)


def _aws_link(bucket: str, quoted_key: str, region: str, path_style: bool) -> str:
    # China regions live under their own top-level domain.
    domain = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    if path_style or not _virtual_host_ok(bucket, "https"):
        return f"https://s3.{region}.{domain}/{bucket}/{quoted_key}"
    return f"https://{bucket}.s3.{region}.{domain}/{quoted_key}"


def _endpoint_link(bucket: str, quoted_key: str, endpoint_url: str, path_style: bool) -> str:
    parts = urlsplit(endpoint_url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("endpoint_url must be an absolute http(s) URL with a host")
    # Userinfo never reaches a link: links end up in process variables.
    host = parts.netloc.rpartition("@")[2]
    base_path = parts.path.rstrip("/")
    if path_style or is_ip_literal(parts.hostname) or not _virtual_host_ok(bucket, parts.scheme.lower()):
        return f"{parts.scheme}://{host}{base_path}/{bucket}/{quoted_key}"
    return f"{parts.scheme}://{bucket}.{host}{base_path}/{quoted_key}"


def _virtual_host_ok(bucket: str, scheme: str) -> bool:
    """Whether ``bucket.host`` is a usable host name (over TLS, a dot breaks the wildcard)."""
    if not _DNS_COMPATIBLE.match(bucket):
        return False
    return not (scheme == "https" and "." in bucket)
