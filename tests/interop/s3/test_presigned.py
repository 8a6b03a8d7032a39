"""Presigned GET and PUT URLs, checked by the server: a URL works as signed, and only as signed.
moto serves any presigned URL, tampered or expired; s3rver checks the expiry, not the signature."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

import httpx
import pytest

from testkit.s3servers import S3Server

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


def fetch(
    method: str, url: str, *, content: bytes | None = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    with httpx.Client(timeout=10, trust_env=False) as http:
        return http.request(method, url, content=content, headers=headers)


def error_code(response: httpx.Response) -> tuple[str, int]:
    """The S3 error code in an XML error body, with the HTTP status."""
    found = re.search(r"<Code>([^<]+)</Code>", response.text)
    return (found.group(1) if found else "", response.status_code)


def with_signature(url: str, signature: str) -> str:
    return re.sub(r"X-Amz-Signature=[0-9a-f]+", f"X-Amz-Signature={signature}", url)


class TestPresignedGet:
    def test_a_presigned_get_serves_the_object(self, s3: S3Client, bucket: str) -> None:
        s3.put_object(Bucket=bucket, Key="shared file.txt", Body=b"share me")

        url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "shared file.txt"}, ExpiresIn=60)

        response = fetch("GET", url)
        assert (response.status_code, response.content) == (200, b"share me")

    @pytest.mark.s3_gap(feature="presigned-check")
    @pytest.mark.s3_gap("s3rver", reason="s3rver serves presigned URLs without checking the signature")
    def test_a_tampered_signature_is_refused(self, s3: S3Client, bucket: str) -> None:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x")
        url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=60)

        assert error_code(fetch("GET", with_signature(url, "0" * 64))) == ("SignatureDoesNotMatch", 403)

    @pytest.mark.s3_gap(feature="presigned-check")
    @pytest.mark.s3_gap("s3rver", reason="s3rver serves presigned URLs without checking the signature")
    def test_a_url_signed_for_one_key_opens_no_other(self, s3: S3Client, bucket: str) -> None:
        s3.put_object(Bucket=bucket, Key="other", Body=b"not shared")
        url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "shared"}, ExpiresIn=60)

        assert error_code(fetch("GET", url.replace("/shared?", "/other?"))) == ("SignatureDoesNotMatch", 403)

    @pytest.mark.s3_gap(feature="presigned-check")
    def test_an_expired_url_is_access_denied(self, s3: S3Client, bucket: str) -> None:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x")
        url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=1)

        time.sleep(2.2)  # X-Amz-Date has one-second resolution: two seconds are past expiry

        response = fetch("GET", url)
        assert error_code(response) == ("AccessDenied", 403)
        assert "expired" in response.text

    @pytest.mark.s3_gap(feature="presigned-check")
    @pytest.mark.s3_gap("s3rver", reason="s3rver serves presigned URLs without checking the signature")
    def test_a_url_signed_with_a_wrong_secret_is_refused(self, s3_server: S3Server, bucket: str) -> None:
        s3_server.client().put_object(Bucket=bucket, Key="k", Body=b"x")
        forged = s3_server.client_as(s3_server.access_key_id, "not-the-secret-at-all")

        url = forged.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=60)

        assert error_code(fetch("GET", url)) == ("SignatureDoesNotMatch", 403)


class TestPresignedPut:
    def test_a_presigned_put_stores_the_body(self, s3: S3Client, bucket: str) -> None:
        url = s3.generate_presigned_url(
            "put_object", Params={"Bucket": bucket, "Key": "up.txt", "ContentType": "text/plain"}, ExpiresIn=60
        )

        response = fetch("PUT", url, content=b"via presign", headers={"Content-Type": "text/plain"})

        assert response.status_code == 200
        stored = s3.get_object(Bucket=bucket, Key="up.txt")
        assert (stored["Body"].read(), stored["ContentType"]) == (b"via presign", "text/plain")

    @pytest.mark.s3_gap(feature="presigned-check")
    @pytest.mark.s3_gap("s3rver", reason="s3rver does not check which headers a presigned URL signed")
    def test_a_content_type_other_than_signed_is_refused(self, s3: S3Client, bucket: str) -> None:
        url = s3.generate_presigned_url(
            "put_object", Params={"Bucket": bucket, "Key": "up.txt", "ContentType": "text/plain"}, ExpiresIn=60
        )

        response = fetch("PUT", url, content=b"{}", headers={"Content-Type": "application/json"})

        assert error_code(response) == ("SignatureDoesNotMatch", 403)

    @pytest.mark.s3_gap(feature="presigned-check")
    @pytest.mark.s3_gap("s3rver", reason="s3rver serves presigned URLs without checking the signature")
    def test_a_tampered_put_url_stores_nothing(self, s3: S3Client, bucket: str) -> None:
        url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "up.txt"}, ExpiresIn=60)

        response = fetch("PUT", with_signature(url, "f" * 64), content=b"forged")

        assert error_code(response) == ("SignatureDoesNotMatch", 403)
        assert s3.list_objects_v2(Bucket=bucket).get("KeyCount") == 0
