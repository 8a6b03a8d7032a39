"""The S3 layer over real HTTP, on every server of ``--s3-servers`` (moto and s3rver by default,
MinIO in the interop command), with clients from ClientCache."""

from __future__ import annotations

import socket
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

import pytest

from connector.errors import ConnectorError
from connector.s3 import (
    ClientCache,
    ClientSpec,
    decode_content,
    delete_object,
    get_object,
    object_link,
    put_object,
)
from testkit.s3servers import S3Server
from tests.integration.conftest import connector_spec

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

TRICKY_KEYS = [
    "plain.txt",
    "folder/with space/file name.txt",
    "plus+equals=sign.txt",
    "hash#and?question.txt",
    "percent%25literal%.txt",
    "ünïcödé/日本語/🚀.bin",
    "mixed dir/a+b=c#d?e%f ü.json",
]


@pytest.fixture(scope="module", autouse=True)
def _no_aws_setup(no_aws_setup: None) -> None:
    """Only the spec configures clients here (see ``conftest.no_aws_setup``)."""


@pytest.fixture(scope="module")
def cache() -> ClientCache:
    return ClientCache()


@pytest.fixture(scope="module")
def endpoint_url(s3_server: S3Server) -> str:
    return s3_server.endpoint_url


@pytest.fixture(scope="module")
def spec(s3_server: S3Server) -> ClientSpec:
    return connector_spec(s3_server)


@pytest.fixture(scope="module")
def s3(cache: ClientCache, spec: ClientSpec) -> S3Client:
    return cache.get(spec)


@pytest.fixture(scope="module")
def bucket(s3: S3Client) -> str:
    name = f"it-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


def closed_loopback_port() -> int:
    """A port on 127.0.0.1 that was just free: bind, read the port, close."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class TestRoundTripOverHttp:
    @pytest.mark.parametrize("key", TRICKY_KEYS)
    def test_put_get_delete_with_tricky_keys(self, s3: S3Client, bucket: str, key: str) -> None:
        body = f"content of {key}".encode()

        put = put_object(s3, bucket=bucket, key=key, body=body, content_type="text/plain; charset=utf-8")
        got = get_object(s3, bucket=bucket, key=key, max_bytes=1024)
        listed = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket, Prefix=key).get("Contents", [])]
        deleted = delete_object(s3, bucket=bucket, key=key)

        assert listed == [key]
        assert got.body == body
        assert got.etag == put.etag
        assert got.content_type == "text/plain; charset=utf-8"
        assert deleted.delete_marker is False
        with pytest.raises(ConnectorError) as raised:
            get_object(s3, bucket=bucket, key=key, max_bytes=1024)
        assert raised.value.code == "NoSuchKey"

    def test_downloaded_json_is_typed(self, s3: S3Client, bucket: str) -> None:
        put_object(s3, bucket=bucket, key="doc.json", body=b'{"n": 1}', content_type="Application/JSON; Charset=UTF-8")

        got = get_object(s3, bucket=bucket, key="doc.json", max_bytes=1024)

        assert decode_content(got.body, got.content_type).value == {"n": 1}

    def test_equal_specs_reuse_the_client(self, cache: ClientCache, spec: ClientSpec, s3: S3Client) -> None:
        assert cache.get(ClientSpec(**{**spec.__dict__})) is s3


class TestLinks:
    @pytest.mark.parametrize("key", TRICKY_KEYS)
    def test_path_style_link_encodes_the_key_reversibly(
        self, s3: S3Client, spec: ClientSpec, bucket: str, key: str, endpoint_url: str
    ) -> None:
        put_object(s3, bucket=bucket, key=key, body=b"linked", content_type=None)

        link = object_link(
            bucket=bucket,
            key=key,
            region=s3.meta.region_name,
            endpoint_url=spec.endpoint_url,
            path_style=spec.path_style,
        )

        assert link == endpoint_url + "/" + bucket + "/" + quote(key, safe="/~-._")
        assert unquote(urlsplit(link).path) == f"/{bucket}/{key}"


class TestFailuresOverHttp:
    def test_object_over_the_cap_is_content_too_large(self, s3: S3Client, bucket: str) -> None:
        put_object(s3, bucket=bucket, key="big.bin", body=b"\0" * 4096, content_type=None)

        with pytest.raises(ConnectorError) as raised:
            get_object(s3, bucket=bucket, key="big.bin", max_bytes=4095)

        assert (raised.value.code, raised.value.retryable) == ("CONTENT_TOO_LARGE", False)
        assert "4096 bytes" in raised.value.message

    def test_missing_key(self, s3: S3Client, bucket: str) -> None:
        with pytest.raises(ConnectorError) as raised:
            get_object(s3, bucket=bucket, key="nope/ü.txt", max_bytes=10)

        assert (raised.value.code, raised.value.retryable) == ("NoSuchKey", True)
        assert raised.value.variables["httpStatus"] == 404

    def test_missing_bucket(self, s3: S3Client) -> None:
        with pytest.raises(ConnectorError) as raised:
            put_object(s3, bucket="no-such-bucket-here", key="k", body=b"x", content_type=None)

        assert (raised.value.code, raised.value.retryable) == ("NoSuchBucket", False)

    @pytest.mark.parametrize("max_attempts", [1, 2])
    def test_closed_port_is_a_retryable_unreachable_endpoint(self, cache: ClientCache, max_attempts: int) -> None:
        unreachable = ClientSpec(
            access_key_id="AKIAFAKEFAKEFAKE0001",
            secret_access_key="fake-secret",
            region="us-east-1",
            endpoint_url=f"http://127.0.0.1:{closed_loopback_port()}",
            path_style=True,
            connect_timeout_s=1,
            read_timeout_s=1,
            max_attempts=max_attempts,
        )
        client = cache.get(unreachable)
        sends: list[Any] = []
        client.meta.events.register("before-send.s3.GetObject", lambda **kwargs: sends.append(kwargs["request"]))

        with pytest.raises(ConnectorError) as raised:
            get_object(client, bucket="b", key="k", max_bytes=10)

        assert (raised.value.code, raised.value.retryable) == ("ENDPOINT_UNREACHABLE", True)
        assert "127.0.0.1" in raised.value.message
        assert len(sends) == max_attempts
