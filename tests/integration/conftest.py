"""Fixtures shared by the integration tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from connector.s3 import ClientSpec
from testkit.s3servers import S3Server


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
