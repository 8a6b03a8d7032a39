"""A small client for MinIO's admin API (``/minio/admin/v3``), without ``mc``: users and policies,
so the interop suite can test a real non-root identity and STS ``AssumeRole`` for it.

Requests are signed with SigV4 (service ``s3``) like any S3 call. Bodies that carry a secret
(``add-user``) are encrypted the way ``madmin.EncryptData`` does, in its FIPS form, which every
MinIO server decrypts::

    salt (32) | 0x02 (PBKDF2-SHA256 + AES-256-GCM) | nonce (8) | sio-go stream

The key is PBKDF2-HMAC-SHA256(admin secret, salt, 8192 rounds, 32 bytes). The sio-go stream
of a body shorter than its 16 KiB fragment is one AES-GCM sealed fragment: nonce = nonce (8) |
little-endian fragment number (4); the associated data is a flag byte (0x80: final fragment)
followed by the tag of an empty seal under fragment number 0.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from typing import Any

import httpx
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["MinioAdmin", "MinioAdminError", "encrypt_admin_body"]

_PBKDF2_AES_GCM = 0x02
_PBKDF2_ROUNDS = 8192
_SIO_FRAGMENT_BYTES = 1 << 14


class MinioAdminError(RuntimeError):
    """The admin API refused a request (``status`` and MinIO's JSON error in the message)."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"MinIO admin API answered {status}: {body[:500]}")
        self.status = status


def encrypt_admin_body(secret_key: str, plaintext: bytes) -> bytes:
    """Encrypt an admin request body as ``madmin.EncryptData`` (FIPS variant) does.

    Raises:
        ValueError: the body would need more than one sio fragment (never the case for the
            small JSON documents this client sends).
    """
    if len(plaintext) >= _SIO_FRAGMENT_BYTES:
        raise ValueError("admin bodies of 16 KiB or more need a multi-fragment sio stream")
    salt, nonce = os.urandom(32), os.urandom(8)
    key = hashlib.pbkdf2_hmac("sha256", secret_key.encode(), salt, _PBKDF2_ROUNDS, 32)
    aead = AESGCM(key)
    header_tag = aead.encrypt(nonce + struct.pack("<I", 0), b"", None)  # sealing b"" yields the tag alone
    sealed = aead.encrypt(nonce + struct.pack("<I", 1), plaintext, b"\x80" + header_tag)
    return salt + bytes([_PBKDF2_AES_GCM]) + nonce + sealed


class MinioAdmin:
    """Signed calls to one MinIO server's admin API with its root credentials.

    Args:
        url: the server's S3 API URL (the admin API shares it).
        access_key / secret_key: root (or an admin user's) credentials.
        region: the server's site region, which signatures must name.
    """

    def __init__(self, url: str, access_key: str, secret_key: str, region: str) -> None:
        self._url = url.rstrip("/")
        self._credentials = Credentials(access_key, secret_key)
        self._secret_key = secret_key
        self._region = region

    def add_user(self, access_key: str, secret_key: str) -> None:
        """Create (or update) an enabled user with no policy yet.

        Raises:
            MinioAdminError: the server refused (e.g. a secret shorter than 8 characters).
        """
        body = json.dumps({"secretKey": secret_key, "status": "enabled"}).encode()
        self._call("PUT", "add-user", {"accessKey": access_key}, encrypt_admin_body(self._secret_key, body))

    def remove_user(self, access_key: str) -> None:
        """Delete a user (its temporary credentials stop working with it)."""
        self._call("DELETE", "remove-user", {"accessKey": access_key})

    def add_policy(self, name: str, document: dict[str, Any]) -> None:
        """Create or replace a canned IAM policy (an AWS-style JSON policy document)."""
        self._call("PUT", "add-canned-policy", {"name": name}, json.dumps(document).encode())

    def set_user_policy(self, access_key: str, policy: str) -> None:
        """Attach canned policy ``policy`` (e.g. ``readwrite``) to a user, replacing others."""
        query = {"policyName": policy, "userOrGroup": access_key, "isGroup": "false"}
        self._call("PUT", "set-user-or-group-policy", query)

    def _call(self, method: str, api: str, query: dict[str, str], body: bytes = b"") -> bytes:
        url = str(httpx.URL(f"{self._url}/minio/admin/v3/{api}", params=query))
        request = AWSRequest(method=method, url=url, data=body)
        S3SigV4Auth(self._credentials, "s3", self._region).add_auth(request)
        with httpx.Client(timeout=10, trust_env=False) as http:
            response = http.request(method, url, content=body, headers=dict(request.headers.items()))
        if response.status_code >= 300:
            raise MinioAdminError(response.status_code, response.text)
        return response.content
