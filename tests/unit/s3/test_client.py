"""One boto3 client per distinct configuration, reused, bounded, and free of raw secrets."""

from __future__ import annotations

import threading
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from connector.s3 import ClientCache, ClientSpec
from connector.s3.client import cache_key

SECRET = "wJalrXUtnFEMI-fake-secret"
TOKEN = "FwoGZXIvYXdzEJr-fake-session-token"
SPEC = ClientSpec(
    access_key_id="AKIAFAKEFAKEFAKE0001",
    secret_access_key=SECRET,
    session_token=TOKEN,
    region="eu-central-1",
    endpoint_url="http://127.0.0.1:4566",
)


def presigned_query(client: object) -> dict[str, list[str]]:
    """The query of a presigned GET: computed locally, it shows which credentials sign."""
    url = client.generate_presigned_url(  # type: ignore[attr-defined]
        "get_object", Params={"Bucket": "b", "Key": "k"}, ExpiresIn=60
    )
    return parse_qs(urlsplit(url).query)


class TestReuse:
    def test_equal_specs_share_one_client(self) -> None:
        cache = ClientCache()

        first = cache.get(SPEC)
        second = cache.get(replace(SPEC))

        assert first is second
        assert len(cache) == 1

    @pytest.mark.parametrize(
        "change",
        [
            {"region": "us-west-2"},
            {"endpoint_url": "http://127.0.0.1:4567"},
            {"access_key_id": "AKIAFAKEFAKEFAKE0002"},
            {"secret_access_key": "another-fake-secret"},
            {"session_token": None},
            {"path_style": True},
            {"max_attempts": 1},
            {"read_timeout_s": 5},
        ],
    )
    def test_any_difference_gets_its_own_client(self, change: dict[str, object]) -> None:
        cache = ClientCache()

        base = cache.get(SPEC)
        other = cache.get(replace(SPEC, **change))

        assert other is not base
        assert len(cache) == 2

    def test_concurrent_first_use_builds_once(self) -> None:
        cache = ClientCache()
        results: list[object] = []
        barrier = threading.Barrier(8)

        def worker() -> None:
            barrier.wait()
            results.append(cache.get(SPEC))

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert len(results) == 8
        assert all(client is results[0] for client in results)


class TestEviction:
    def test_least_recently_used_client_is_dropped_beyond_max_size(self) -> None:
        cache = ClientCache(max_size=2)
        specs = [replace(SPEC, region=region) for region in ("eu-west-1", "eu-west-2", "eu-west-3")]

        a = cache.get(specs[0])
        b = cache.get(specs[1])
        assert cache.get(specs[0]) is a  # a is now the most recently used
        cache.get(specs[2])  # evicts b

        assert len(cache) == 2
        assert cache.get(specs[0]) is a
        assert cache.get(specs[1]) is not b

    def test_max_size_must_be_positive(self) -> None:
        with pytest.raises(ValueError):
            ClientCache(max_size=0)


class TestConfiguration:
    def test_client_carries_timeouts_retries_and_path_style(self) -> None:
        spec = replace(SPEC, path_style=True, connect_timeout_s=2.5, read_timeout_s=7, max_attempts=5)

        config = ClientCache(max_pool_connections=32).get(spec).meta.config

        assert config.connect_timeout == 2.5
        assert config.read_timeout == 7
        assert config.retries == {"mode": "standard", "total_max_attempts": 5}
        assert config.s3 == {"addressing_style": "path"}
        assert config.max_pool_connections == 32

    def test_endpoint_and_region_are_used(self) -> None:
        meta = ClientCache().get(SPEC).meta

        assert meta.endpoint_url == "http://127.0.0.1:4566"
        assert meta.region_name == "eu-central-1"

    def test_static_credentials_and_session_token_sign_requests(self) -> None:
        query = presigned_query(ClientCache().get(SPEC))

        assert query["X-Amz-Credential"][0].startswith("AKIAFAKEFAKEFAKE0001/")
        assert query["X-Amz-Security-Token"] == [TOKEN]

    def test_anonymous_clients_do_not_sign(self) -> None:
        query = presigned_query(ClientCache().get(ClientSpec(anonymous=True, region="eu-central-1")))

        assert "X-Amz-Signature" not in query
        assert "X-Amz-Credential" not in query

    def test_invalid_timeouts_and_attempts_are_refused(self) -> None:
        with pytest.raises(ValueError):
            replace(SPEC, read_timeout_s=0)
        with pytest.raises(ValueError):
            replace(SPEC, max_attempts=0)


class TestRegionResolution:
    def test_botocore_chain_applies_when_the_spec_has_no_region(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-2")

        client = ClientCache().get(replace(SPEC, region=None))

        assert client.meta.region_name == "ap-southeast-2"

    def test_operator_default_region_comes_before_botocore_chain(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-2")

        client = ClientCache(default_region="eu-north-1").get(replace(SPEC, region=None))

        assert client.meta.region_name == "eu-north-1"

    def test_us_east_1_when_nothing_is_configured(self) -> None:
        client = ClientCache().get(replace(SPEC, region=None))

        assert client.meta.region_name == "us-east-1"


class TestSecretsStayOut:
    def test_repr_hides_secret_and_token(self) -> None:
        text = repr(SPEC)

        assert SECRET not in text
        assert TOKEN not in text
        assert "AKIAFAKEFAKEFAKE0001" in text

    def test_cache_key_holds_digests_not_secrets(self) -> None:
        key = repr(cache_key(SPEC))

        assert SECRET not in key
        assert TOKEN not in key
        assert cache_key(SPEC) != cache_key(replace(SPEC, secret_access_key="other"))
