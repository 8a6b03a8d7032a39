"""The checksums S3 verifies on every write: which algorithm, the header value, the composite.

S3 checks ``x-amz-checksum-*`` against the bytes it received and refuses a mismatch
(``BadDigest``), so nothing it stores differs from what this process handed over. SHA-256 is
the default; CRC32 is for stores without SHA-256; ``NONE`` sends no checksum at all (a store
that refuses the headers). A multipart object's checksum is *composite*: the checksum of the
parts' binary checksums, with ``-N`` appended, which is what ``composite`` computes.
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from typing import Literal

__all__ = ["ChecksumAlgorithm", "b64_of_hex", "checksum_b64", "composite", "request_field"]

ChecksumAlgorithm = Literal["SHA256", "CRC32", "NONE"]


def checksum_b64(algorithm: ChecksumAlgorithm, data: bytes | bytearray) -> str:
    """The base64 value S3 expects for ``data`` (raises ValueError for ``NONE``)."""
    return base64.b64encode(_digest(algorithm, data)).decode("ascii")


def _digest(algorithm: ChecksumAlgorithm, data: bytes | bytearray) -> bytes:
    if algorithm == "SHA256":
        return hashlib.sha256(data).digest()
    if algorithm == "CRC32":
        return zlib.crc32(data).to_bytes(4, "big")
    raise ValueError("no checksum algorithm")


def composite(algorithm: ChecksumAlgorithm, part_checksums: list[str]) -> str:
    """S3's composite checksum of a multipart object from its parts' base64 checksums."""
    joined = b"".join(base64.b64decode(value) for value in part_checksums)
    return f"{checksum_b64(algorithm, joined)}-{len(part_checksums)}"


def request_field(algorithm: ChecksumAlgorithm) -> str:
    """The boto3 parameter that carries the value: ``ChecksumSHA256`` or ``ChecksumCRC32``."""
    return f"Checksum{algorithm}"


def b64_of_hex(hex_digest: str) -> str:
    """A hex digest (the document store's ``contentHash``) as S3's base64 form."""
    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")
