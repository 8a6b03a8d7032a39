"""The connector's own S3 layer (ClientCache, uploads, transfers, error mapping) on each server:
what a job meets on MinIO with each credential mode and checksum setting."""

from __future__ import annotations

import hashlib
import io
import json
from typing import TYPE_CHECKING

import httpx
import pytest

from connector.errors import ConnectorError
from connector.s3 import ClientCache, ClientSpec, get_object, put_object
from connector.s3.credentials import AssumeRole
from connector.s3.transfer import presigned_get_url
from connector.s3.uploads import MIN_PART_SIZE_BYTES, MultipartConfig, UploadOptions, upload_stream
from testkit.s3servers import S3Server
from tests.interop.s3.conftest import ROLE_ARN, Identities, bucket_policy
from tests.interop.s3.test_auth import public_read

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

DATA = bytes(range(256)) * (11 * 1024 * 1024 // 256)  # three parts of 5 MiB (the last one short)
MULTIPART = MultipartConfig(threshold_bytes=MIN_PART_SIZE_BYTES, part_size_bytes=MIN_PART_SIZE_BYTES)


def spec(server: S3Server, **more: object) -> ClientSpec:
    base: dict[str, object] = {
        "access_key_id": server.access_key_id,
        "secret_access_key": server.secret_access_key,
        "region": server.region,
        "endpoint_url": server.endpoint_url,
        "path_style": True,
        "max_attempts": 1,
    }
    return ClientSpec(**{**base, **more})  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def cache() -> ClientCache:
    return ClientCache()


class TestUploads:
    # when_required is what the connector's "auto" checksum mode picks for a custom endpoint;
    # MinIO also takes boto3's default CRC32 on every request (when_supported).
    @pytest.mark.parametrize("checksum_when_required", [True, False], ids=["when_required", "when_supported"])
    def test_a_multipart_upload_stores_the_exact_bytes(
        self, s3_server: S3Server, cache: ClientCache, bucket: str, checksum_when_required: bool
    ) -> None:
        client = cache.get(spec(s3_server, checksum_when_required=checksum_when_required))

        result = upload_stream(
            client, bucket=bucket, key="big.bin", read=io.BytesIO(DATA).read, options=UploadOptions(), config=MULTIPART
        )

        stored = s3_server.client().get_object(Bucket=bucket, Key="big.bin")["Body"].read()
        assert (result.size, hashlib.sha256(stored).digest()) == (len(DATA), hashlib.sha256(DATA).digest())

    @pytest.mark.s3_gap(feature="conditional-writes")
    @pytest.mark.parametrize("size", [10, len(DATA)], ids=["single", "multipart"])
    def test_create_only_on_an_existing_key_fails_for_good_and_leaves_no_upload(
        self, s3_server: S3Server, cache: ClientCache, bucket: str, size: int
    ) -> None:
        admin = s3_server.client()
        admin.put_object(Bucket=bucket, Key="k", Body=b"first")
        client = cache.get(spec(s3_server, checksum_when_required=True))

        with pytest.raises(ConnectorError) as raised:
            upload_stream(
                client,
                bucket=bucket,
                key="k",
                read=io.BytesIO(DATA[:size]).read,
                options=UploadOptions(create_only=True),
                config=MULTIPART,
            )

        assert (raised.value.code, raised.value.retryable) == ("PreconditionFailed", False)
        assert admin.get_object(Bucket=bucket, Key="k")["Body"].read() == b"first"
        assert admin.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []

    def test_encryption_without_a_kms(self, s3_server: S3Server, cache: ClientCache, bucket: str) -> None:
        client = cache.get(spec(s3_server, checksum_when_required=True))
        options = UploadOptions(server_side_encryption="AES256")
        if s3_server.name != "minio":  # moto and s3rver store it
            upload_stream(client, bucket=bucket, key="k", read=io.BytesIO(b"x").read, options=options)
            return
        # MinIO without a KMS answers 501 NotImplemented; no retry can change that.
        with pytest.raises(ConnectorError) as raised:
            upload_stream(client, bucket=bucket, key="k", read=io.BytesIO(b"x").read, options=options)

        assert (raised.value.code, raised.value.variables.get("httpStatus")) == ("NotImplemented", 501)
        assert raised.value.retryable is False


class TestCredentials:
    @pytest.mark.s3_gap(feature="signature-check")
    @pytest.mark.s3_gap("s3rver", reason="s3rver checks that the access key exists, never the signature")
    def test_a_wrong_secret_fails_for_good(self, s3_server: S3Server, cache: ClientCache, bucket: str) -> None:
        client = cache.get(spec(s3_server, secret_access_key="not-the-secret-at-all"))

        with pytest.raises(ConnectorError) as raised:
            put_object(client, bucket=bucket, key="k", body=b"x", content_type=None)

        assert (raised.value.code, raised.value.retryable) == ("SignatureDoesNotMatch", False)

    @pytest.mark.s3_gap(feature="sts")
    def test_assume_role_through_the_servers_sts(
        self, s3_server: S3Server, cache: ClientCache, identities: Identities, bucket: str
    ) -> None:
        key, secret = identities.user(bucket_policy(bucket, "s3:*"))
        role = AssumeRole(role_arn=ROLE_ARN, duration_s=900)
        client = cache.get(
            spec(
                s3_server,
                access_key_id=key,
                secret_access_key=secret,
                assume_role=role,
                sts_endpoint_url=s3_server.endpoint_url,
            )
        )

        put_object(client, bucket=bucket, key="k", body=b"by role", content_type="text/plain")

        assert get_object(client, bucket=bucket, key="k", max_bytes=100).body == b"by role"

    @pytest.mark.s3_gap(feature="token-check")
    def test_a_wrong_session_token_fails_for_good(
        self, s3_server: S3Server, cache: ClientCache, identities: Identities, bucket: str
    ) -> None:
        _, credentials = identities.role_session(bucket)
        client = cache.get(
            spec(
                s3_server,
                access_key_id=credentials["AccessKeyId"],
                secret_access_key=credentials["SecretAccessKey"],
                session_token=credentials["SessionToken"][:-4] + "AAAA",
            )
        )

        with pytest.raises(ConnectorError) as raised:
            get_object(client, bucket=bucket, key="k", max_bytes=10)

        # MinIO's code; AWS says InvalidToken, which the error table lists.
        assert (raised.value.code, raised.value.retryable, raised.value.variables["httpStatus"]) == (
            "InvalidTokenId",
            False,
            403,
        )

    @pytest.mark.s3_gap("s3rver", reason="s3rver has no bucket policies")
    def test_anonymous_reads_a_public_read_bucket(
        self, s3_server: S3Server, cache: ClientCache, s3: S3Client, bucket: str
    ) -> None:
        s3.put_object(Bucket=bucket, Key="public.txt", Body=b"open", ContentType="text/plain")
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read(bucket)))
        client = cache.get(
            ClientSpec(anonymous=True, region=s3_server.region, endpoint_url=s3_server.endpoint_url, path_style=True)
        )

        got = get_object(client, bucket=bucket, key="public.txt", max_bytes=100)

        assert (got.body, got.content_type) == (b"open", "text/plain")

    def test_a_presigned_link_downloads_the_object(
        self, s3_server: S3Server, cache: ClientCache, s3: S3Client, bucket: str
    ) -> None:
        s3.put_object(Bucket=bucket, Key="shared file.txt", Body=b"share me")
        client = cache.get(spec(s3_server))

        url = presigned_get_url(client, bucket=bucket, key="shared file.txt", expires_s=300)

        with httpx.Client(timeout=10, trust_env=False) as http:
            assert http.get(url).content == b"share me"
