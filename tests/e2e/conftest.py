from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from testkit.gateway import GatewayServer
from testkit.moto_http import admin_client, moto_server
from tests.e2e.worker_process import WorkerProcess

BUCKET = "e2e-bucket"
ACCESS_KEY = "AKIAE2EEXAMPLE"
# Distinctive, so that finding it anywhere it must not be is unambiguous.
SECRET_VALUE = "Zq7-e2e-SECRET-value-9xK"


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    with moto_server(BUCKET) as endpoint:
        yield endpoint


@pytest.fixture
def s3(s3_endpoint: str) -> Any:
    return admin_client(s3_endpoint)


@pytest.fixture
def gateway() -> Iterator[GatewayServer]:
    with GatewayServer() as server:
        yield server


@pytest.fixture
def start_worker(gateway: GatewayServer, s3_endpoint: str, tmp_path: Path) -> Iterator[Callable[..., WorkerProcess]]:
    workers: list[WorkerProcess] = []

    def start(allowed_endpoints: str | None = None, **extra_env: str) -> WorkerProcess:
        env = {
            "ZEEBE_ADDRESS": gateway.address,
            "S3_CONNECTOR_ALLOWED_ENDPOINTS": allowed_endpoints if allowed_endpoints is not None else s3_endpoint,
            "S3_CONNECTOR_HEALTH_HOST": "127.0.0.1",
            "S3_CONNECTOR_HEALTH_PORT": "0",
            "S3_CONNECTOR_POLL_REQUEST_TIMEOUT_MS": "1000",
            "S3_CONNECTOR_GATEWAY_RETRY_INITIAL_MS": "100",
            "S3_CONNECTOR_GATEWAY_RETRY_MAX_MS": "500",
            "S3_CONNECTOR_SHUTDOWN_TIMEOUT_S": "20",
            "S3_CONNECTOR_LOG_LEVEL": "DEBUG",
            "SECRET_S3_SECRET_KEY": SECRET_VALUE,
            "SECRET_KEY_PREFIX": "from-secret",
            # moto's server answers STS too, for assumeRole.
            "S3_CONNECTOR_STS_ENDPOINT": s3_endpoint,
            **extra_env,
        }
        worker = WorkerProcess(env, tmp_path / f"worker-{len(workers)}.log")
        workers.append(worker)
        worker.wait_started()
        return worker

    yield start
    for worker in workers:
        worker.kill()


def s3_variables(s3_endpoint: str, action: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "authentication": {"type": "credentials", "accessKey": ACCESS_KEY, "secretKey": "{{secrets.S3_SECRET_KEY}}"},
        "configuration": {"region": "us-east-1", "endpoint": s3_endpoint},
        "action": action,
        **more,
    }
