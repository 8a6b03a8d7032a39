"""Fixtures for the S3 layer: an isolated AWS environment and an in-process moto S3.

Why these unit tests run on moto in-process only: they intercept boto3 inside the test process
(``mock_aws``), which no server outside it can do, so they run in milliseconds and can reach
into the model (STS clocks, exact request counts). What they prove about S3 is proven again over
HTTP on moto, s3rver and MinIO by ``tests/integration`` (the ``s3_server`` fixture) and the
truth suite ``tests/interop/s3``, where each server's difference is a named strict xfail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from moto import mock_aws

from connector.s3 import ClientCache, ClientSpec

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

BUCKET = "connector-unit"

_AWS_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "AWS_S3_ADDRESSING_STYLE",
)


@pytest.fixture(autouse=True)
def isolated_aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No profile, region, endpoint or instance metadata of this machine leaks into a test."""
    for name in _AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    # The default credential chain must never reach out to 169.254.169.254.
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def s3() -> Iterator[S3Client]:
    """A client from a real ClientCache, talking to moto in-process, with one bucket."""
    with mock_aws():
        spec = ClientSpec(
            access_key_id="AKIAFAKEFAKEFAKE0001", secret_access_key="fake-secret-0001", region="eu-central-1"
        )
        client = ClientCache().get(spec)
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
        yield client


def put_many(bucket: str, keys: list[str], body: bytes = b"") -> None:
    """Create many objects in moto in-process at once, straight in its backend (a client's
    PutObject costs about 10 ms each on a small machine; this about 0.2 ms)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    for key in keys:
        backend.put_object(bucket, key, body)


@pytest.fixture(scope="session")
def _session_client() -> S3Client:
    # Built once: moto routes every client to the mock active at the time of each call.
    with mock_aws():
        spec = ClientSpec(
            access_key_id="AKIAFAKEFAKEFAKE0001", secret_access_key="fake-secret-0001", region="eu-central-1"
        )
        return ClientCache().get(spec)


@pytest.fixture
def shared_s3(_session_client: S3Client) -> Iterator[S3Client]:
    """As ``s3``, with a client shared by the tests that take it (a fresh, empty moto each
    time); hooks a test registers on it go through ``hooks`` so that they end with the test."""
    with mock_aws():
        _session_client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
        yield _session_client


@pytest.fixture
def hooks(shared_s3: S3Client) -> Iterator[Callable[[str, Callable[..., Any]], None]]:
    """``hooks(event, handler)``: register a botocore event handler for this test only."""
    registered: list[tuple[str, Callable[..., Any]]] = []

    def register(event: str, handler: Callable[..., Any]) -> None:
        shared_s3.meta.events.register(event, handler)
        registered.append((event, handler))

    yield register
    for event, handler in registered:
        shared_s3.meta.events.unregister(event, handler)
