"""``s3://bucket/key`` URIs, read and written as the AWS CLI does.

Everything after ``s3://bucket/`` is the key, taken literally: no percent-decoding, and ``%``,
``#``, ``?``, spaces and non-ASCII characters are part of the key (a URI here is a name, not
a URL; S3 keys may contain any of them). ``s3://bucket`` and ``s3://bucket/`` name the bucket
alone; a key that ends in ``/`` is a prefix (a "folder") where the caller means one.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["S3Uri", "parse_s3_uri", "s3_uri"]

_SCHEME = "s3://"


@dataclass(frozen=True)
class S3Uri:
    """A parsed ``s3://`` URI: the bucket, and the key or prefix after it ("" for none)."""

    bucket: str
    key: str

    @property
    def is_folder(self) -> bool:
        """True for ``s3://bucket``, ``s3://bucket/`` and ``s3://bucket/prefix/``."""
        return not self.key or self.key.endswith("/")


def parse_s3_uri(text: str) -> S3Uri:
    """Split ``s3://bucket/key`` into bucket and key (checked by the callers' own rules).

    Raises:
        ValueError: another scheme, or no bucket; the message says which.
    """
    if text[: len(_SCHEME)].lower() != _SCHEME:
        scheme = text.split("://", 1)[0] if "://" in text else ""
        found = f"'{scheme[:20]}://'" if scheme and "/" not in scheme else "no scheme"
        raise ValueError(f"must be an s3:// URI such as s3://my-bucket/path/file.txt (it has {found})")
    bucket, _, key = text[len(_SCHEME) :].partition("/")
    if not bucket:
        raise ValueError("must name a bucket after s3:// (s3://my-bucket/...)")
    return S3Uri(bucket, key)


def s3_uri(bucket: str, key: str = "") -> str:
    """The ``s3://`` URI of an object (or of a prefix, or of the bucket for an empty key)."""
    return f"{_SCHEME}{bucket}/{key}"
