"""Fixtures shared by the integration tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from connector.s3 import ClientCache, ClientSpec
from testkit.s3_recorder import RecordingS3Proxy
from testkit.s3servers import S3Server

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


def connector_spec(server: S3Server, **more: Any) -> ClientSpec:
    """The connector's client for ``server``, as a job with a custom endpoint gets it."""
    base: dict[str, Any] = {
        "access_key_id": server.access_key_id,
        "secret_access_key": server.secret_access_key,
        "region": server.region,
        "endpoint_url": server.endpoint_url,
        "path_style": True,
        "connect_timeout_s": 2,
        "read_timeout_s": 10,
    }
    return ClientSpec(**{**base, **more})


@pytest.fixture(scope="module")
def no_aws_setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """An environment with no AWS set-up and no proxies, so only the spec configures clients."""
    empty: Path = tmp_path_factory.mktemp("aws")
    with pytest.MonkeyPatch.context() as env:
        for name in ("AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
            env.delenv(name, raising=False)
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
            env.delenv(name, raising=False)
        env.setenv("NO_PROXY", "127.0.0.1")
        env.setenv("AWS_CONFIG_FILE", str(empty / "config"))
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty / "credentials"))
        env.setenv("AWS_EC2_METADATA_DISABLED", "true")
        yield


@pytest.fixture(scope="module")
def direct(s3_server: S3Server) -> S3Client:
    """The connector's client straight to the server."""
    return ClientCache().get(connector_spec(s3_server))


@pytest.fixture
def bucket(direct: S3Client) -> str:
    """A new, empty bucket."""
    name = f"it-{uuid.uuid4().hex[:12]}"
    direct.create_bucket(Bucket=name)
    return name


@pytest.fixture
def proxy(s3_server: S3Server) -> Iterator[RecordingS3Proxy]:
    """A proxy in front of the server that records every request (and injects faults)."""
    with RecordingS3Proxy(s3_server.endpoint_url, delay_s=0.3) as running:
        yield running


@pytest.fixture
def via_proxy(s3_server: S3Server, proxy: RecordingS3Proxy) -> S3Client:
    """The connector's client through :func:`proxy`."""
    # One attempt: an injected fault must not be hidden by botocore's retries.
    return ClientCache().get(connector_spec(s3_server, endpoint_url=proxy.url, max_attempts=1, read_timeout_s=30))
