"""Pure checks of S3 names and endpoints: each returns a problem description or None.

The messages describe the value's problem without echoing secrets: an endpoint URL is never
repeated (it may carry credentials or a token in its query), bucket names and regions are.
Callers prefix the field name (``action.bucket: ...``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from connector.urls import is_ip_literal

__all__ = ["DEFAULT_REGION", "bucket_name_problem", "endpoint_problem", "key_problem", "region_problem"]

# What botocore itself picks when nothing at all names a region for S3.
DEFAULT_REGION = "us-east-1"

_BUCKET_CHARS = re.compile(r"^[a-z0-9.-]+$")
_MAX_KEY_BYTES = 1024
# Partition prefix of 2-4 letters (us, cn, il, eusc), words, then a number: us-gov-west-1.
_REGION = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", "--x-s3", "--table-s3")


def bucket_name_problem(name: str) -> str | None:
    """Check a general-purpose bucket name against the S3 naming rules.

    Args:
        name: the bucket name.

    Returns:
        A description of the first rule broken, or None if the name is valid.
    """
    if not 3 <= len(name) <= 63:
        return f"bucket name '{name}' must be 3 to 63 characters long (it has {len(name)})"
    if not _BUCKET_CHARS.match(name):
        return f"bucket name '{name}' may contain only lowercase letters, digits, dots and hyphens"
    if not (name[0].isalnum() and name[-1].isalnum()):
        return f"bucket name '{name}' must start and end with a letter or digit"
    if ".." in name:
        return f"bucket name '{name}' must not contain two adjacent dots"
    if is_ip_literal(name, version=4):
        return f"bucket name '{name}' must not be formatted as an IP address"
    for prefix in _RESERVED_PREFIXES:
        if name.startswith(prefix):
            return f"bucket name '{name}' must not start with the reserved prefix '{prefix}'"
    for suffix in _RESERVED_SUFFIXES:
        if name.endswith(suffix):
            return f"bucket name '{name}' must not end with the reserved suffix '{suffix}'"
    return None


def key_problem(key: str) -> str | None:
    """Check an object key: non-empty, at most 1024 UTF-8 bytes, no NUL character.

    Args:
        key: the object key.

    Returns:
        A description of the problem, or None if S3 accepts the key.
    """
    if not key:
        return "object key must not be empty"
    if "\x00" in key:
        return "object key must not contain a NUL character"
    try:
        size_bytes = len(key.encode("utf-8"))
    except UnicodeEncodeError:
        # Lone surrogates (e.g. from a badly decoded file name) cannot be sent at all.
        return "object key must be valid Unicode text (it contains a lone surrogate)"
    if size_bytes > _MAX_KEY_BYTES:
        return f"object key must be at most {_MAX_KEY_BYTES} bytes in UTF-8 (it has {size_bytes})"
    return None


def region_problem(region: str) -> str | None:
    """Check that a region looks like an AWS region name (``eu-central-1``, ``us-gov-west-1``).

    S3-compatible stores accept other names (Cloudflare R2 uses ``auto``), so callers apply
    this check only when no custom endpoint is configured.

    Args:
        region: the region name.

    Returns:
        A description of the problem, or None if the name has the AWS form.
    """
    if not _REGION.match(region):
        return f"region '{region}' is not an AWS region name such as 'us-east-1' or 'eu-central-1'"
    return None


def endpoint_problem(url: str) -> str | None:
    """Check a custom endpoint URL: http(s), a host, no credentials, no query or fragment.

    Args:
        url: the endpoint URL.

    Returns:
        A description of the problem (never containing the URL), or None if usable.
    """
    if url != url.strip() or any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        return "endpoint URL must not contain whitespace or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a non-numeric or out-of-range port
    except ValueError:
        return "endpoint URL is malformed (check the host and port)"
    if parts.scheme.lower() not in ("http", "https"):
        return "endpoint URL must start with http:// or https://"
    if parts.username is not None or parts.password is not None:
        return "endpoint URL must not contain credentials (user:password@); configure them as credentials"
    if not parts.hostname:
        return "endpoint URL must name a host"
    # Checked on the raw text: urlsplit drops an empty "?" or "#".
    if "?" in url or "#" in url:
        return "endpoint URL must not have a query string or fragment"
    if port == 0:
        return "endpoint URL must not use port 0"
    return None
