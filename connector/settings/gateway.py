"""Settings of the Zeebe gateway connection, by the names pyzeebe and Camunda's credential
files use (``ZEEBE_ADDRESS``, ``ZEEBE_CLIENT_ID``/``CAMUNDA_CLIENT_ID``, …). The OAuth client
credentials serve the Camunda REST API (documents) too; Camunda's names win over the aliases."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, BaseModel, Field, SecretStr

__all__ = ["DEFAULT_AUDIENCE", "DEFAULT_OAUTH_URL", "GatewaySettings"]

DEFAULT_OAUTH_URL = "https://login.cloud.camunda.io/oauth/token"
DEFAULT_AUDIENCE = "zeebe.camunda.io"


def _names(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class GatewaySettings(BaseModel):
    """The Zeebe gateway and the OAuth client credentials."""

    zeebe_address: str = Field("localhost:26500", validation_alias=_names("ZEEBE_ADDRESS", "zeebe_address"))
    client_id: str | None = Field(None, validation_alias=_names("CAMUNDA_CLIENT_ID", "ZEEBE_CLIENT_ID", "client_id"))
    client_secret: SecretStr | None = Field(
        None, validation_alias=_names("CAMUNDA_CLIENT_SECRET", "ZEEBE_CLIENT_SECRET", "client_secret")
    )
    oauth_url: str | None = Field(
        None, validation_alias=_names("CAMUNDA_OAUTH_URL", "ZEEBE_AUTHORIZATION_SERVER_URL", "oauth_url")
    )
    token_audience: str | None = Field(
        None, validation_alias=_names("CAMUNDA_TOKEN_AUDIENCE", "ZEEBE_TOKEN_AUDIENCE", "token_audience")
    )
    token_scope: str | None = Field(
        None, validation_alias=_names("CAMUNDA_TOKEN_SCOPE", "ZEEBE_TOKEN_SCOPE", "token_scope")
    )
    cluster_id: str | None = Field(None, validation_alias=_names("CAMUNDA_CLUSTER_ID", "cluster_id"))
    cluster_region: str | None = Field(None, validation_alias=_names("CAMUNDA_CLUSTER_REGION", "cluster_region"))
    ca_certificate_path: Path | None = Field(
        None,
        validation_alias=_names("ZEEBE_CA_CERTIFICATE_PATH", "CAMUNDA_CA_CERTIFICATE_PATH", "ca_certificate_path"),
    )
    zeebe_tls: bool = False
    # At least the gateway's maxMessageSize (Zeebe's default is 4 MiB), or a batch of large jobs
    # would be refused on arrival again and again.
    max_message_bytes: int = Field(16 * 1024 * 1024, ge=4 * 1024 * 1024, le=512 * 1024 * 1024)

    @property
    def uses_oauth(self) -> bool:
        return bool(self.client_id and self.client_secret)

    @property
    def gateway_address(self) -> str:
        """``ZEEBE_ADDRESS``; for Camunda SaaS (cluster id and region) unless it is set explicitly."""
        if self.cluster_id and self.cluster_region and "zeebe_address" not in self.model_fields_set:
            return f"{self.cluster_id}.{self.cluster_region}.zeebe.camunda.io:443"
        return self.zeebe_address
