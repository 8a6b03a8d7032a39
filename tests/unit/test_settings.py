"""Settings come from the environment under the names users already have."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from connector.components import gateway_connection
from connector.settings import WorkerSettings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith(("ZEEBE_", "CAMUNDA_", "S3_CONNECTOR_", "AWS_")):
            monkeypatch.delenv(name)


class TestDefaults:
    def test_defaults(self) -> None:
        settings = WorkerSettings()
        assert settings.zeebe_address == "localhost:26500"
        assert settings.task_type_camunda == "io.camunda:aws-s3:1"
        # The pool is shared by the eight task types, each with its own running-jobs limit.
        assert (settings.max_running_jobs, settings.effective_thread_pool_size) == (32, 256)
        assert settings.copy_multipart_threshold_bytes == 5 * 1024**3
        assert settings.secret_prefix == "SECRET_"
        assert settings.allowed_endpoint_list == ()
        assert gateway_connection(settings).describe() == "plaintext"
        assert settings.gateway_address == "localhost:26500"


class TestEnvironmentNames:
    def test_pyzeebe_and_camunda_oauth_names(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("ZEEBE_ADDRESS", "zeebe.example:443")
        monkeypatch.setenv("ZEEBE_CLIENT_ID", "id")
        monkeypatch.setenv("CAMUNDA_CLIENT_SECRET", "s3cr3t")
        monkeypatch.setenv("ZEEBE_AUTHORIZATION_SERVER_URL", "https://idp.example/token")
        monkeypatch.setenv("CAMUNDA_TOKEN_AUDIENCE", "zeebe-api")
        settings = WorkerSettings()
        assert settings.uses_oauth and settings.oauth_url == "https://idp.example/token"
        assert settings.token_audience == "zeebe-api"
        assert gateway_connection(settings).describe() == "TLS + OAuth client credentials"
        assert "s3cr3t" not in repr(settings)

    def test_saas_cluster_address(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CAMUNDA_CLUSTER_ID", "abc")
        monkeypatch.setenv("CAMUNDA_CLUSTER_REGION", "bru-2")
        assert WorkerSettings().gateway_address == "abc.bru-2.zeebe.camunda.io:443"

    def test_explicit_address_wins_over_saas(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CAMUNDA_CLUSTER_ID", "abc")
        monkeypatch.setenv("CAMUNDA_CLUSTER_REGION", "bru-2")
        monkeypatch.setenv("ZEEBE_ADDRESS", "gw:26500")
        assert WorkerSettings().gateway_address == "gw:26500"

    def test_own_settings_and_secret_prefix(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("S3_CONNECTOR_MAX_RUNNING_JOBS", "8")
        monkeypatch.setenv("S3_CONNECTOR_TASK_TYPE_UPLOAD", "custom:upload")
        monkeypatch.setenv("S3_CONNECTOR_ALLOWED_ENDPOINTS", "http://minio:9000, https://r2.example ")
        monkeypatch.setenv("CAMUNDA_CONNECTOR_SECRETPROVIDER_ENVIRONMENT_PREFIX", "MY_")
        monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://minio:9000")
        monkeypatch.setenv("AWS_REGION", "eu-west-3")
        settings = WorkerSettings()
        assert settings.max_running_jobs == 8 and settings.task_type_upload == "custom:upload"
        assert settings.allowed_endpoint_list == ("http://minio:9000", "https://r2.example")
        assert settings.secret_prefix == "MY_" and settings.default_endpoint == "http://minio:9000"
        assert settings.aws_region == "eu-west-3"

    def test_tls_with_ca(self, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
        monkeypatch.setenv("ZEEBE_CA_CERTIFICATE_PATH", str(tmp_path / "ca.pem"))
        assert gateway_connection(WorkerSettings()).describe() == "TLS"


class TestInvalidSettings:
    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("S3_CONNECTOR_MAX_RUNNING_JOBS", "0"),
            ("S3_CONNECTOR_LOG_FORMAT", "xml"),
            ("S3_CONNECTOR_GATEWAY_RETRY_MAX_MS", "50"),
        ],
    )
    def test_rejected(self, monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
        monkeypatch.setenv(name, value)
        with pytest.raises(ValidationError):
            WorkerSettings()


class TestTaskTypeSelection:
    def test_an_empty_name_switches_a_task_type_off(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from connector.actions.registry import build_task_specs

        for name in ("UPLOAD", "DOWNLOAD", "DELETE", "LIST", "COPY", "PRESIGN", "HEAD"):
            monkeypatch.setenv(f"S3_CONNECTOR_TASK_TYPE_{name}", "")
        settings = WorkerSettings()
        assert [spec.task_type for spec in build_task_specs(settings)] == ["io.camunda:aws-s3:1"]
        assert settings.effective_thread_pool_size == 32

    def test_the_further_actions_are_served_renameable_and_switchable(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from connector.actions.registry import build_task_specs

        served = {spec.task_type: spec.fetch_variables for spec in build_task_specs(WorkerSettings())}
        for name in ("list", "copy", "presign", "head"):
            assert served[f"s3-connector:{name}:1"] == ("authentication", "configuration", "action", "awsCredential")
        monkeypatch.setenv("S3_CONNECTOR_TASK_TYPE_LIST", "acme:s3-list")
        monkeypatch.setenv("S3_CONNECTOR_TASK_TYPE_PRESIGN", "")
        settings = WorkerSettings()
        names = [spec.task_type for spec in build_task_specs(settings)]
        assert "acme:s3-list" in names and "s3-connector:presign:1" not in names and len(names) == 7
        assert settings.effective_thread_pool_size == 32 * 7

    @pytest.mark.parametrize("value", ["0", str(5 * 1024**3 + 1)])
    def test_the_copy_threshold_stays_within_copy_objects_limit(
        self, monkeypatch: pytest.MonkeyPatch, value: str
    ) -> None:
        monkeypatch.setenv("S3_CONNECTOR_COPY_MULTIPART_THRESHOLD_BYTES", value)
        with pytest.raises(ValidationError):
            WorkerSettings()

    def test_at_least_one_task_type(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for name in ("CAMUNDA", "UPLOAD", "DOWNLOAD", "DELETE", "LIST", "COPY", "PRESIGN", "HEAD"):
            monkeypatch.setenv(f"S3_CONNECTOR_TASK_TYPE_{name}", " ")
        with pytest.raises(ValidationError, match="serve nothing"):
            WorkerSettings()
