"""S3 under stress: throttling answered by the store, through a real HTTP proxy on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from connector.actions.handlers import S3Actions
from connector.actions.policy import S3Policy
from connector.runtime.executor import BlockingExecutor
from connector.runtime.jobs import Job
from connector.runtime.outcome import Complete, Fail
from connector.runtime.pipeline import Pipeline, TaskSpec
from connector.runtime.secrets import EnvironmentSecrets
from connector.s3.client import ClientCache
from testkit.http_servers import DelayingProxy
from testkit.s3servers import S3Server

BUCKET = "fault-bucket"


@pytest.fixture
def store(s3_server: S3Server) -> S3Server:
    s3_server.ensure_bucket(BUCKET)
    return s3_server


@pytest.fixture
async def executor() -> AsyncIterator[BlockingExecutor]:
    pool = BlockingExecutor(max_workers=2)
    yield pool
    pool.shutdown(wait=True)


async def upload(executor: BlockingExecutor, store: S3Server, endpoint: str, key: str, max_attempts: int) -> Any:
    actions = S3Actions(
        policy=S3Policy(allowed_endpoints=(endpoint,), max_attempts=max_attempts), clients=ClientCache()
    )
    pipeline = Pipeline(secrets=EnvironmentSecrets({}), executor=executor)
    variables = {
        "authentication": {"accessKey": store.access_key_id, "secretKey": store.secret_access_key},
        "configuration": {"region": store.region, "endpoint": endpoint},
        "action": {"bucket": BUCKET, "key": key, "document": "payload"},
    }
    job = Job.of(key=1, task_type="u", retries=3, variables=variables, headers={"retryBackoff": "PT20S"})
    return await pipeline.run(job, TaskSpec("u", (), actions.upload))


class TestThrottling:
    async def test_short_throttling_is_absorbed_by_request_retries(
        self, store: S3Server, executor: BlockingExecutor
    ) -> None:
        with DelayingProxy(store.endpoint_url, throttle_first=2) as proxy:
            outcome = await upload(executor, store, proxy.url, "throttled/short.txt", max_attempts=3)
            assert isinstance(outcome, Complete) and proxy.throttled == 2
        assert store.client().get_object(Bucket=BUCKET, Key="throttled/short.txt")["Body"].read() == b"payload"

    async def test_lasting_throttling_fails_the_job_for_a_later_retry(
        self, store: S3Server, executor: BlockingExecutor
    ) -> None:
        with DelayingProxy(store.endpoint_url, throttle_first=100) as proxy:
            outcome = await upload(executor, store, proxy.url, "throttled/long.txt", max_attempts=2)
            assert proxy.throttled == 2  # botocore tried twice, then the job gave up for now
        assert isinstance(outcome, Fail)
        assert (outcome.retries, outcome.retry_backoff_ms) == (2, 20_000)
        assert outcome.variables["error"]["code"] == "SlowDown" and "FAULT" in outcome.message
        assert "Contents" not in store.client().list_objects_v2(Bucket=BUCKET, Prefix="throttled/long")
