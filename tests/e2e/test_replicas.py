"""Scaling out is running more replicas: Zeebe is the queue, so several workers share one gateway.

Every job is completed exactly once and the work spreads over the replicas; a replica killed
mid-run (SIGKILL, no drain) loses nothing: its jobs come back after their lock timeout and
finish on the others.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest

from testkit.gateway import GatewayServer
from testkit.http_servers import DelayingProxy
from tests.e2e.conftest import BUCKET, s3_variables
from tests.e2e.worker_process import WorkerProcess

pytestmark = pytest.mark.e2e

UPLOAD = "s3-connector:upload:1"
StartWorker = Callable[..., WorkerProcess]
JOBS = 45


def completed_keys(worker: WorkerProcess) -> list[int]:
    return [int(key) for key in re.findall(r"Job (\d+) \(\S+\) completed", worker.log())]


def upload_job(gateway: GatewayServer, endpoint: str, name: str) -> int:
    variables = s3_variables(endpoint, {"bucket": BUCKET, "key": f"replicas/{name}.txt", "document": name})
    return gateway.gateway.create_job(UPLOAD, variables, {"resultVariable": "r"})


def wait_all(gateway: GatewayServer, keys: list[int], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    for key in keys:
        gateway.gateway.wait_for_outcome(key, timeout_s=max(deadline - time.monotonic(), 0.1))


class TestReplicas:
    def test_three_replicas_complete_every_job_exactly_once_and_share_the_work(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str, s3: Any
    ) -> None:
        # Few jobs per activation, so no replica takes the whole batch in one poll.
        workers = [start_worker(S3_CONNECTOR_MAX_RUNNING_JOBS="2") for _ in range(3)]
        keys = [upload_job(gateway, s3_endpoint, f"spread-{n}") for n in range(JOBS)]

        wait_all(gateway, keys, timeout_s=60)

        for key in keys:
            [outcome] = gateway.gateway.outcomes(key)
            assert outcome.kind == "complete", outcome
        per_worker = [completed_keys(worker) for worker in workers]
        assert sorted(key for keys_of in per_worker for key in keys_of) == sorted(keys)
        assert all(per_worker), [len(k) for k in per_worker]
        listed = s3.list_objects_v2(Bucket=BUCKET, Prefix="replicas/spread-")["KeyCount"]
        assert listed == JOBS

    def test_a_killed_replica_loses_nothing_its_jobs_finish_elsewhere_after_the_lock(
        self, gateway: GatewayServer, start_worker: StartWorker, s3_endpoint: str
    ) -> None:
        with DelayingProxy(s3_endpoint, delay_s=1.5) as slow:
            # The first replica reaches S3 through a slow proxy, so its jobs are mid-upload when it dies.
            doomed = start_worker(
                allowed_endpoints=slow.url, S3_CONNECTOR_JOB_TIMEOUT_MS="3000", S3_CONNECTOR_MAX_RUNNING_JOBS="4"
            )
            keys = [upload_job(gateway, slow.url, f"rescued-{n}") for n in range(4)]
            for key in keys:
                gateway.gateway.wait_for_activation(key, timeout_s=20)
            doomed.kill()
            survivors = [start_worker(allowed_endpoints=slow.url) for _ in range(2)]

            wait_all(gateway, keys, timeout_s=60)

        for key in keys:
            [outcome] = gateway.gateway.outcomes(key)
            assert outcome.kind == "complete", outcome
            assert gateway.gateway.activation_count(key) == 2  # once by the killed one, once after its lock
        assert completed_keys(doomed) == []
        assert sorted(k for worker in survivors for k in completed_keys(worker)) == sorted(keys)
