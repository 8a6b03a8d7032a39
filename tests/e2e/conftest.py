from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from testkit.gateway import GatewayServer
from testkit.minio_admin import MinioAdmin
from testkit.s3servers import S3Server
from tests.e2e.worker_process import WorkerProcess

BUCKET = "e2e-bucket"
ACCESS_KEY = "AKIAE2EEXAMPLE"
# Distinctive, so that finding it anywhere it must not be is unambiguous.
SECRET_VALUE = "Zq7-e2e-SECRET-value-9xK"


@pytest.fixture(scope="session")
def _figures() -> Iterator[dict[str, dict[str, float]]]:
    """Figures the fault tests measured, written as JSON to ``$FAULT_FIGURES`` when it is set
    (``make faults``; docs/RELIABILITY.md quotes them). Never asserted as timings."""
    figures: dict[str, dict[str, float]] = {}
    yield figures
    target = os.environ.get("FAULT_FIGURES")
    if target and figures:
        path = Path(target)
        earlier = json.loads(path.read_text()) if path.exists() else {}
        path.write_text(json.dumps({**earlier, **figures}, indent=1, sort_keys=True) + "\n")


@pytest.fixture
def figure(request: pytest.FixtureRequest, _figures: dict[str, dict[str, float]]) -> Callable[[str, float], None]:
    def record(name: str, value: float) -> None:
        _figures.setdefault(request.node.name, {})[name] = round(value, 2)

    return record


@pytest.fixture(scope="session")
def e2e_store(s3_server: S3Server) -> S3Server:
    """The session's S3 server (``--e2e-s3-servers``), with :data:`BUCKET` and a user whose keys
    are :data:`ACCESS_KEY` and :data:`SECRET_VALUE`: the worker signs with them, and on MinIO a
    wrong signature is refused, so the secret really travels through the secrets provider."""
    if s3_server.name == "minio":
        admin = MinioAdmin(
            s3_server.endpoint_url, s3_server.access_key_id, s3_server.secret_access_key, s3_server.region
        )
        admin.add_user(ACCESS_KEY, SECRET_VALUE)
        admin.set_user_policy(ACCESS_KEY, "readwrite")
    s3_server.ensure_bucket(BUCKET)
    return s3_server


@pytest.fixture(scope="session")
def s3_endpoint(e2e_store: S3Server) -> str:
    return e2e_store.endpoint_url


@pytest.fixture
def s3(e2e_store: S3Server) -> Any:
    """A client with the server's own (root) credentials, to arrange and check objects."""
    return e2e_store.client()


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
            # moto's server and MinIO answer STS too, for assumeRole.
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
