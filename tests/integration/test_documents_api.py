"""DocumentStore against a real HTTP server shaped like Camunda's REST document API."""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from connector.clock import Clock as SourceOfTime
from connector.components import document_store_config
from connector.documents.references import CamundaDocument
from connector.documents.store import DocumentStore, DocumentStoreConfig
from connector.errors import ConfigurationError, ConnectorError
from connector.settings import WorkerSettings
from testkit.documents_api import NOT_FOUND_TITLE, DocumentsApi

MIB = 1024 * 1024


@pytest.fixture
def api() -> Iterator[DocumentsApi]:
    with DocumentsApi() as server:
        yield server


class Clock:
    """Time the test moves: token expiry reads ``now``, backoff waits are recorded, not slept."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    @property
    def clock(self) -> SourceOfTime:
        return SourceOfTime(monotonic=lambda: self.now, sleep=self.sleep)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def store_for(api: DocumentsApi, clock: Clock, **config: Any) -> DocumentStore:
    settings = DocumentStoreConfig(**{"base_url": api.base_url, **config})
    return DocumentStore(settings, clock=clock.clock)


def ref_of(reference: dict[str, Any]) -> CamundaDocument:
    ref = CamundaDocument.model_validate(reference)
    return ref


BLOCKS = [bytes(range(seed, 256)) * 300 for seed in range(5)]  # ~64 KiB each, all different


async def pattern(total: int) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        block = BLOCKS[sent % len(BLOCKS)][: total - sent]
        sent += len(block)
        yield block


async def collect(chunks: AsyncIterator[bytes]) -> bytes:
    return b"".join([chunk async for chunk in chunks])


class TestReading:
    async def test_a_document_streams_with_the_metadata_of_its_reference(self, api: DocumentsApi, clock: Clock) -> None:
        data = b"%PDF-1.7 " + bytes(range(256)) * 1000
        reference = api.put_document(data, "application/pdf", "invoice.pdf")
        async with store_for(api, clock) as store, store.open(ref_of(reference)) as stream:
            assert (stream.content_type, stream.file_name, stream.content_length) == (
                "application/pdf",
                "invoice.pdf",
                len(data),
            )
            assert await collect(stream.aiter_bytes(4096)) == data
        (request,) = api.requests
        assert request.path == f"/v2/documents/{reference['documentId']}"
        assert request.query == {"storeId": "in-memory", "contentHash": reference["contentHash"]}

    async def test_a_base_url_ending_in_v2_is_not_doubled(self, api: DocumentsApi, clock: Clock) -> None:
        reference = api.put_document(b"abc")
        async with store_for(api, clock, base_url=f"{api.base_url}/v2/") as store, store.open(ref_of(reference)) as s:
            assert await collect(s.aiter_bytes()) == b"abc"

    async def test_an_unknown_document_is_not_found_and_not_retried(self, api: DocumentsApi, clock: Clock) -> None:
        reference = api.put_document(b"abc")
        missing = ref_of({**reference, "documentId": "no-such-document"})
        async with store_for(api, clock) as store:
            with pytest.raises(ConnectorError) as info:
                async with store.open(missing):
                    pass
        assert (info.value.code, info.value.retryable) == ("DOCUMENT_NOT_FOUND", False)
        assert NOT_FOUND_TITLE in info.value.message and "no-such-document" in info.value.message
        assert api.count("get") == 1

    async def test_a_wrong_content_hash_is_not_found(self, api: DocumentsApi, clock: Clock) -> None:
        reference = api.put_document(b"abc")
        async with store_for(api, clock) as store:
            with pytest.raises(ConnectorError, match="HTTP 404") as info:
                async with store.open(ref_of({**reference, "contentHash": "0" * 64})):
                    pass
        assert info.value.code == "DOCUMENT_NOT_FOUND"


class TestRetries:
    async def test_two_server_errors_then_success_is_retried_with_backoff(
        self, api: DocumentsApi, clock: Clock
    ) -> None:
        reference = api.put_document(b"payload")
        api.fail_next(2, 500)
        async with store_for(api, clock) as store, store.open(ref_of(reference)) as stream:
            assert await collect(stream.aiter_bytes()) == b"payload"
        assert api.count("get") == 3
        assert len(clock.sleeps) == 2 and 0 < clock.sleeps[0] <= clock.sleeps[1] * 2

    async def test_persistent_server_errors_become_a_retryable_job_failure(
        self, api: DocumentsApi, clock: Clock
    ) -> None:
        reference = api.put_document(b"payload")
        api.fail_next(10, 503)
        async with store_for(api, clock, max_attempts=3) as store:
            with pytest.raises(ConnectorError) as info:
                async with store.open(ref_of(reference)):
                    pass
        assert (info.value.code, info.value.retryable) == ("DOCUMENT_STORE_UNAVAILABLE", True)
        assert "HTTP 503" in info.value.message and "Injected failure" in info.value.message
        assert api.count("get") == 3

    async def test_connection_refused_is_retried_then_retryable(self, clock: Clock) -> None:
        with socket.socket() as probe:  # a loopback port nobody listens on
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        config = DocumentStoreConfig(base_url=f"http://127.0.0.1:{port}", max_attempts=2)
        async with DocumentStore(config, clock=clock.clock) as store:
            with pytest.raises(ConnectorError) as info:
                async with store.open(CamundaDocument(document_id="d")):
                    pass
        assert (info.value.code, info.value.retryable) == ("DOCUMENT_STORE_UNAVAILABLE", True)
        assert "ConnectError" in info.value.message
        assert len(clock.sleeps) == 1


class TestCreating:
    async def test_a_known_size_is_sent_with_an_exact_content_length(self, api: DocumentsApi, clock: Clock) -> None:
        size = 3 * MIB + 17
        expected = await collect(pattern(size))
        async with store_for(api, clock) as store:
            reference = await store.create(
                pattern(size),
                size=size,
                content_type="application/octet-stream",
                file_name="report.bin",
                time_to_live_ms=3_600_000,
                custom_properties={"bucket": "b"},
                process_definition_id="p",
                process_instance_key="2251799813690746",
            )
        assert reference["camunda.document.type"] == "camunda"
        assert reference["contentHash"] == hashlib.sha256(expected).hexdigest()
        assert api.content(reference["documentId"]) == expected
        (request,) = api.requests
        assert "transfer-encoding" not in request.headers
        assert int(request.headers["content-length"]) > size
        metadata = api.uploads[0]["metadata"]
        expires = datetime.fromisoformat(metadata.pop("expiresAt").replace("Z", "+00:00"))
        assert abs(expires - datetime.now(timezone.utc) - timedelta(hours=1)) < timedelta(minutes=1)
        assert metadata == {
            "contentType": "application/octet-stream",
            "fileName": "report.bin",
            "size": size,
            "customProperties": {"bucket": "b"},
            "processDefinitionId": "p",
            "processInstanceKey": "2251799813690746",
        }

    async def test_an_unknown_size_is_sent_chunked(self, api: DocumentsApi, clock: Clock) -> None:
        async with store_for(api, clock) as store:
            reference = await store.create(pattern(MIB + 1), size=None, content_type=None, file_name='a "quoted".txt')
        (request,) = api.requests
        assert request.headers.get("transfer-encoding") == "chunked"
        assert "content-length" not in request.headers
        assert reference["metadata"]["size"] == MIB + 1
        assert reference["metadata"]["fileName"] == 'a "quoted".txt'
        assert api.content(reference["documentId"]) == await collect(pattern(MIB + 1))

    @pytest.mark.parametrize(("actual", "announced"), [(1000, 2000), (300_000, 1000)])
    async def test_a_wrong_size_is_caught_before_the_server_takes_a_wrong_body(
        self, api: DocumentsApi, clock: Clock, actual: int, announced: int
    ) -> None:
        async with store_for(api, clock) as store:
            with pytest.raises(ConnectorError) as info:
                await store.create(pattern(actual), size=announced, content_type=None, file_name="x")
        assert (info.value.code, info.value.retryable) == ("DOCUMENT_SIZE_MISMATCH", False)
        assert f"given as {announced}" in info.value.message
        assert api.uploads == []

    async def test_a_failing_source_fails_the_upload_with_its_own_error(self, api: DocumentsApi, clock: Clock) -> None:
        failure = ConnectorError("S3 read timed out", code="S3_UNAVAILABLE")

        async def failing() -> AsyncIterator[bytes]:
            yield b"x" * 1000
            raise failure

        async with store_for(api, clock) as store:
            with pytest.raises(ConnectorError) as info:
                await store.create(failing(), size=None, content_type=None, file_name="x")
        assert info.value is failure
        assert api.uploads == []

    async def test_an_upload_is_not_replayed_once_its_body_streamed(self, api: DocumentsApi, clock: Clock) -> None:
        api.fail_next(1, 500)
        async with store_for(api, clock) as store:
            with pytest.raises(ConnectorError) as info:
                await store.create(pattern(1000), size=1000, content_type=None, file_name="x")
        assert (info.value.code, info.value.retryable) == ("DOCUMENT_STORE_UNAVAILABLE", True)
        assert api.count("create") == 1

    async def test_a_client_error_is_a_create_failure(self, api: DocumentsApi, clock: Clock) -> None:
        api.fail_next(1, 400)
        async with store_for(api, clock) as store:
            with pytest.raises(ConnectorError) as info:
                await store.create(pattern(10), size=10, content_type=None, file_name="x")
        assert (info.value.code, info.value.retryable) == ("DOCUMENT_CREATE_FAILED", False)

    async def test_a_link_is_created_with_a_time_to_live(self, api: DocumentsApi, clock: Clock) -> None:
        reference = api.put_document(b"abc")
        async with store_for(api, clock) as store:
            link = await store.create_link(ref_of(reference), 60_000)
        assert link["url"].startswith(f"{api.base_url}/v2/documents/{reference['documentId']}")
        expires = datetime.fromisoformat(link["expiresAt"].replace("Z", "+00:00"))
        assert expires - datetime.now(timezone.utc) < timedelta(minutes=2)
        (request,) = api.requests
        assert (request.route, request.query["contentHash"]) == ("link", reference["contentHash"])


class TestAuthentication:
    async def test_basic_auth(self, api: DocumentsApi, clock: Clock) -> None:
        api.require_basic("demo", "pa55-word")
        reference = api.put_document(b"abc")
        basic = store_for(api, clock, auth="basic", username="demo", password="pa55-word")
        async with basic as store, store.open(ref_of(reference)) as stream:
            assert await collect(stream.aiter_bytes()) == b"abc"

    async def test_a_refused_password_is_not_retried_nor_shown(self, api: DocumentsApi, clock: Clock) -> None:
        api.require_basic("demo", "right")
        config = DocumentStoreConfig(base_url=api.base_url, auth="basic", username="demo", password="wrong-s3cret")
        assert "wrong-s3cret" not in repr(config)
        async with DocumentStore(config, clock=clock.clock) as store:
            with pytest.raises(ConnectorError) as info:
                async with store.open(ref_of(api.put_document(b"abc"))):
                    pass
        assert (info.value.code, info.value.retryable) == ("DOCUMENT_STORE_UNAUTHORIZED", False)
        assert "wrong-s3cret" not in str(info.value) and "HTTP 401" in info.value.message

    def oauth_store(self, api: DocumentsApi, clock: Clock, secret: str = "client-s3cret") -> DocumentStore:
        return store_for(
            api,
            clock,
            auth="oauth",
            client_id="worker",
            client_secret=secret,
            oauth_url=api.token_url,
            audience="zeebe-api",
            scope="camunda",
        )

    async def test_an_oauth_token_is_fetched_once_and_reused(self, api: DocumentsApi, clock: Clock) -> None:
        api.require_oauth("worker", "client-s3cret", expires_in=300)
        reference = ref_of(api.put_document(b"abc"))
        async with self.oauth_store(api, clock) as store:
            for _ in range(3):
                async with store.open(reference) as stream:
                    assert await collect(stream.aiter_bytes()) == b"abc"
            await store.create_link(reference, None)
        assert api.token_requests == [
            {
                "grant_type": "client_credentials",
                "client_id": "worker",
                "client_secret": "client-s3cret",
                "audience": "zeebe-api",
                "scope": "camunda",
            }
        ]
        assert {r.headers["authorization"] for r in api.requests if r.route != "token"} == {
            f"Bearer {token}" for token in api.valid_tokens
        }

    async def test_an_expired_token_is_refreshed(self, api: DocumentsApi, clock: Clock) -> None:
        api.require_oauth("worker", "client-s3cret", expires_in=300)
        reference = ref_of(api.put_document(b"abc"))
        async with self.oauth_store(api, clock) as store:
            async with store.open(reference):
                pass
            clock.now += 280  # inside the refresh leeway before expiry
            async with store.open(reference):
                pass
        assert len(api.token_requests) == 2

    async def test_a_revoked_token_is_refreshed_once_on_401(self, api: DocumentsApi, clock: Clock) -> None:
        api.require_oauth("worker", "client-s3cret")
        reference = ref_of(api.put_document(b"abc"))
        async with self.oauth_store(api, clock) as store:
            async with store.open(reference):
                pass
            api.revoke_tokens()
            async with store.open(reference) as stream:
                assert await collect(stream.aiter_bytes()) == b"abc"
        assert len(api.token_requests) == 2
        assert api.count("get") == 3

    async def test_refused_client_credentials_are_not_shown(self, api: DocumentsApi, clock: Clock) -> None:
        api.require_oauth("worker", "client-s3cret")
        store = self.oauth_store(api, clock, secret="wrong-s3cret")
        assert "wrong-s3cret" not in repr(store._config)
        async with store:
            with pytest.raises(ConnectorError) as info:
                async with store.open(ref_of(api.put_document(b"abc"))):
                    pass
        assert (info.value.code, info.value.retryable) == ("DOCUMENT_STORE_UNAUTHORIZED", False)
        assert "wrong-s3cret" not in str(info.value)
        assert api.count("get") == 0


class TestConfigFromSettings:
    """The store is configured by Camunda's SDK names, read once into WorkerSettings."""

    @pytest.fixture(autouse=True)
    def clean_env(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for name in list(os.environ):
            if name.startswith(("ZEEBE_", "CAMUNDA_", "S3_CONNECTOR_")):
                monkeypatch.delenv(name)

    @staticmethod
    def config(monkeypatch: pytest.MonkeyPatch, **environ: str) -> DocumentStoreConfig | None:
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return document_store_config(WorkerSettings())

    def test_no_rest_address_means_no_document_store(self, monkeypatch: pytest.MonkeyPatch) -> None:
        assert self.config(monkeypatch, CAMUNDA_CLIENT_ID="x") is None
        assert self.config(monkeypatch, CAMUNDA_REST_ADDRESS="  ") is None

    def test_client_credentials_infer_oauth_with_sdk_defaults(self, monkeypatch: pytest.MonkeyPatch) -> None:
        config = self.config(
            monkeypatch, ZEEBE_REST_ADDRESS="http://camunda:8080", ZEEBE_CLIENT_ID="id", ZEEBE_CLIENT_SECRET="sec"
        )
        assert config is not None
        assert (config.auth, config.client_id, config.client_secret) == ("oauth", "id", "sec")
        assert config.oauth_url == "https://login.cloud.camunda.io/oauth/token"
        assert config.audience == "zeebe.camunda.io"
        assert config.documents_url == "http://camunda:8080/v2/documents"
        assert "sec" not in repr(config)

    def test_camunda_names_win_over_zeebe_aliases(self, monkeypatch: pytest.MonkeyPatch) -> None:
        config = self.config(
            monkeypatch,
            CAMUNDA_REST_ADDRESS="https://c/v2",
            ZEEBE_REST_ADDRESS="http://other",
            CAMUNDA_CLIENT_ID="a",
            ZEEBE_CLIENT_ID="b",
            CAMUNDA_CLIENT_SECRET="s",
            CAMUNDA_OAUTH_URL="https://idp/token",
            ZEEBE_AUTHORIZATION_SERVER_URL="https://other/token",
            CAMUNDA_TOKEN_AUDIENCE="aud",
            CAMUNDA_TOKEN_SCOPE="scope",
            ZEEBE_TOKEN_SCOPE="other-scope",
            CAMUNDA_CA_CERTIFICATE_PATH="/etc/ca.pem",
        )
        assert config is not None
        assert (config.base_url, config.client_id, config.oauth_url) == ("https://c/v2", "a", "https://idp/token")
        assert (config.audience, config.scope, config.ca_certificate_path) == ("aud", "scope", "/etc/ca.pem")
        assert config.documents_url == "https://c/v2/documents"

    def test_a_basic_user_infers_basic(self, monkeypatch: pytest.MonkeyPatch) -> None:
        config = self.config(
            monkeypatch,
            CAMUNDA_REST_ADDRESS="http://c",
            CAMUNDA_BASIC_AUTH_USERNAME="demo",
            CAMUNDA_BASIC_AUTH_PASSWORD="pw",
        )
        assert config is not None
        assert (config.auth, config.username, config.password) == ("basic", "demo", "pw")

    def test_an_explicit_strategy_wins_and_none_needs_nothing(self, monkeypatch: pytest.MonkeyPatch) -> None:
        config = self.config(
            monkeypatch, CAMUNDA_REST_ADDRESS="http://c", CAMUNDA_AUTH_STRATEGY="none", CAMUNDA_CLIENT_ID="a"
        )
        assert config is not None and config.auth == "none"

    @pytest.mark.parametrize(
        "environ",
        [
            {"CAMUNDA_AUTH_STRATEGY": "OAUTH", "CAMUNDA_CLIENT_ID": "a"},
            {"CAMUNDA_AUTH_STRATEGY": "BASIC", "CAMUNDA_BASIC_AUTH_PASSWORD": "hunter2"},
        ],
    )
    def test_an_unusable_strategy_is_a_configuration_error(
        self, monkeypatch: pytest.MonkeyPatch, environ: dict[str, str]
    ) -> None:
        with pytest.raises(ConfigurationError) as info:
            self.config(monkeypatch, CAMUNDA_REST_ADDRESS="http://c", **environ)
        assert "hunter2" not in str(info.value)

    def test_an_unknown_strategy_is_an_invalid_setting(self, monkeypatch: pytest.MonkeyPatch) -> None:
        with pytest.raises(ValidationError, match=r"CAMUNDA_AUTH_STRATEGY"):
            self.config(monkeypatch, CAMUNDA_REST_ADDRESS="http://c", CAMUNDA_AUTH_STRATEGY="KERBEROS")
