"""Every credential mode and client option, through the handlers, against moto in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from moto import mock_aws

from connector.actions.binding import bind
from connector.actions.clients import client_spec
from connector.actions.connection import S3Job
from connector.actions.handlers import S3Actions
from connector.actions.policy import S3Policy
from connector.errors import InputError
from connector.runtime.executor import BlockingExecutor
from connector.runtime.jobs import Job
from connector.runtime.outcome import Complete, Fail
from connector.runtime.pipeline import Pipeline, TaskSpec
from connector.runtime.secrets import EnvironmentSecrets
from connector.s3.client import ClientCache

BUCKET = "modes-bucket"
ROLE = "arn:aws:iam::123456789012:role/s3-writer"
KEYS = {"accessKey": "AKIAMODES", "secretKey": "modes-secret"}


def target_of(variables: dict[str, Any]) -> Any:
    return bind(S3Job, variables).target


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
        client.create_bucket(Bucket=BUCKET)
        yield client


def make_actions(**policy: Any) -> tuple[S3Actions, ClientCache]:
    cache = ClientCache()
    return S3Actions(policy=S3Policy(**policy), clients=cache), cache


@pytest.fixture
async def executor() -> AsyncIterator[BlockingExecutor]:
    pool = BlockingExecutor(max_workers=2)
    yield pool
    pool.shutdown(wait=True)


async def upload(
    actions: S3Actions, executor: BlockingExecutor, authentication: dict[str, Any], key: str = "k", **action: Any
) -> Any:
    pipeline = Pipeline(secrets=EnvironmentSecrets({}), executor=executor)
    variables = {
        "authentication": authentication,
        "configuration": {"region": "us-east-1"},
        "action": {"bucket": BUCKET, "key": key, "document": "data", **action},
    }
    job = Job.of(key=1, task_type="u", retries=3, variables=variables, headers={"resultVariable": "r"})
    return await pipeline.run(job, TaskSpec("u", (), actions.upload))


def credentials_of(cache: ClientCache) -> Any:
    client = next(iter(cache._clients.values()))
    return client._request_signer._credentials


class TestStaticCredentials:
    async def test_session_token_is_used(self, s3: Any, executor: BlockingExecutor) -> None:
        actions, cache = make_actions()
        outcome = await upload(actions, executor, {**KEYS, "sessionToken": "FwoGZXIvYXdzE-token"})
        assert isinstance(outcome, Complete)
        creds = credentials_of(cache)
        assert (creds.access_key, creds.token) == ("AKIAMODES", "FwoGZXIvYXdzE-token")


class TestDefaultChain:
    async def test_refused_by_default_naming_the_setting(self, s3: Any, executor: BlockingExecutor) -> None:
        actions, cache = make_actions()
        outcome = await upload(actions, executor, {"type": "defaultCredentialsChain"})
        assert isinstance(outcome, Fail) and outcome.retries == 0
        assert "S3_CONNECTOR_ALLOW_DEFAULT_CREDENTIALS" in outcome.message and len(cache) == 0

    async def test_allowed_uses_the_worker_identity(
        self, s3: Any, executor: BlockingExecutor, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAWORKER")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "worker-secret")
        actions, cache = make_actions(allow_default_credentials=True)
        outcome = await upload(actions, executor, {"type": "defaultCredentialsChain"})
        assert isinstance(outcome, Complete), outcome
        assert credentials_of(cache).access_key == "AKIAWORKER"


class TestAssumeRole:
    async def test_role_assumed_on_top_of_static_keys(self, s3: Any, executor: BlockingExecutor) -> None:
        actions, cache = make_actions()
        auth = {"type": "assumeRole", **KEYS, "roleArn": ROLE, "externalId": "ext-123", "roleSessionName": "job-1"}
        outcome = await upload(actions, executor, auth)
        assert isinstance(outcome, Complete), outcome
        creds = credentials_of(cache)
        # Temporary credentials from STS, refreshable, not the base keys.
        assert creds.access_key.startswith("ASIA") and creds.token
        assert creds.method == "sts-assume-role"
        # A second job reuses the cached session: no new client, no new AssumeRole.
        await upload(actions, executor, auth, key="k2")
        assert len(cache) == 1

    async def test_without_keys_needs_the_default_chain_allowed(self, s3: Any, executor: BlockingExecutor) -> None:
        actions, _ = make_actions()
        outcome = await upload(actions, executor, {"type": "assumeRole", "roleArn": ROLE})
        assert isinstance(outcome, Fail) and "S3_CONNECTOR_ALLOW_DEFAULT_CREDENTIALS" in outcome.message

    @pytest.mark.parametrize(
        ("auth", "field"),
        [
            ({"type": "assumeRole", **KEYS}, "roleArn required"),
            ({"type": "assumeRole", **KEYS, "roleArn": "arn:aws:s3:::bucket"}, "IAM role ARN"),
            ({"type": "assumeRole", **KEYS, "roleArn": ROLE, "durationSeconds": 60}, "durationSeconds"),
            ({"type": "assumeRole", "accessKey": "A", "roleArn": ROLE}, "go together"),
        ],
    )
    def test_invalid_role_inputs(self, auth: dict[str, Any], field: str) -> None:
        with pytest.raises(InputError) as info:
            target_of({"authentication": auth})
        assert field in info.value.message


class TestAnonymous:
    def test_requests_are_unsigned(self, s3: Any) -> None:
        target = target_of({"authentication": {"type": "anonymous"}, "configuration": {"region": "us-east-1"}})
        spec = client_spec(target, S3Policy())
        assert spec.anonymous and spec.access_key_id is None
        client = ClientCache().get(spec)
        assert client.meta.config.signature_version is UNSIGNED

    async def test_public_object_can_be_read(self, s3: Any, executor: BlockingExecutor) -> None:
        s3.put_object(Bucket=BUCKET, Key="public.txt", Body=b"open data", ContentType="text/plain", ACL="public-read")
        s3.put_object(Bucket=BUCKET, Key="private.txt", Body=b"closed")
        actions, _ = make_actions()
        pipeline = Pipeline(secrets=EnvironmentSecrets({}), executor=executor)
        variables = {
            "authentication": {"type": "anonymous"},
            "configuration": {"region": "us-east-1"},
            "action": {"bucket": BUCKET, "key": "public.txt"},
        }
        job = Job.of(key=1, task_type="d", retries=3, variables=variables, headers={"resultVariable": "r"})
        outcome = await pipeline.run(job, TaskSpec("d", (), actions.download))
        assert isinstance(outcome, Complete) and outcome.variables["r"]["element"] == {"content": "open data"}
        private = Job.of(
            key=2,
            task_type="d",
            retries=3,
            headers={},
            variables={**variables, "action": {"bucket": BUCKET, "key": "private.txt"}},
        )
        refused = await pipeline.run(private, TaskSpec("d", (), actions.download))
        assert isinstance(refused, Fail) and refused.retries == 0
        assert refused.variables["error"]["code"] == "AccessDenied"


class TestClientOptions:
    def spec(self, configuration: dict[str, Any], **policy: Any) -> Any:
        target = target_of({"authentication": KEYS, "configuration": configuration})
        return client_spec(target, S3Policy(allowed_endpoints=("http://127.0.0.1:9000",), **policy))

    def test_custom_endpoint_defaults_to_path_style_and_lean_checksums(self) -> None:
        spec = self.spec({"region": "auto", "endpoint": "http://127.0.0.1:9000"})
        assert spec.path_style and spec.checksum_when_required and spec.endpoint_url == "http://127.0.0.1:9000"

    def test_aws_defaults_to_virtual_hosts_and_full_checksums(self) -> None:
        spec = self.spec({"region": "eu-central-1"})
        assert not spec.path_style and not spec.checksum_when_required

    def test_path_style_can_be_forced_either_way(self) -> None:
        assert self.spec({"region": "eu-central-1", "forcePathStyle": True}).path_style
        assert not self.spec({"endpoint": "http://127.0.0.1:9000", "forcePathStyle": False}).path_style

    def test_fips_and_dual_stack_reach_the_client(self) -> None:
        spec = self.spec({"region": "us-east-1", "fips": True, "dualStack": True})
        client = ClientCache().get(spec)
        assert client.meta.endpoint_url == "https://s3-fips.dualstack.us-east-1.amazonaws.com"

    def test_fips_with_custom_endpoint_is_refused(self) -> None:
        with pytest.raises(InputError, match="fips"):
            self.spec({"endpoint": "http://127.0.0.1:9000", "fips": True})

    def test_retry_mode_and_checksum_policy(self) -> None:
        spec = self.spec({"region": "eu-central-1"}, retry_mode="adaptive", checksum_mode="when_required")
        client = ClientCache().get(spec)
        assert client.meta.config.retries["mode"] == "adaptive"
        assert client.meta.config.request_checksum_calculation == "when_required"
