"""Settings of Camunda's REST document store and of external document URLs.

The store is configured by the names Camunda's SDKs use: ``CAMUNDA_REST_ADDRESS`` (alias
``ZEEBE_REST_ADDRESS``; unset means no document store), ``CAMUNDA_AUTH_STRATEGY`` (inferred:
OAuth with client credentials, basic with a basic user, else none), the basic user, and the
OAuth client credentials shared with the gateway.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr, field_validator

__all__ = ["DocumentSettings"]


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


class DocumentSettings(BaseModel):
    """Camunda's REST document store, external URLs and inline uploads."""

    rest_address: str | None = Field(
        None, validation_alias=AliasChoices("CAMUNDA_REST_ADDRESS", "ZEEBE_REST_ADDRESS", "rest_address")
    )
    auth_strategy: Literal["NONE", "BASIC", "OAUTH"] | None = Field(
        None, validation_alias=AliasChoices("CAMUNDA_AUTH_STRATEGY", "auth_strategy")
    )
    basic_auth_username: str | None = Field(
        None, validation_alias=AliasChoices("CAMUNDA_BASIC_AUTH_USERNAME", "basic_auth_username")
    )
    basic_auth_password: SecretStr | None = Field(
        None, validation_alias=AliasChoices("CAMUNDA_BASIC_AUTH_PASSWORD", "basic_auth_password")
    )
    rest_ca_certificate_path: str | None = Field(
        None, validation_alias=AliasChoices("CAMUNDA_CA_CERTIFICATE_PATH", "rest_ca_certificate_path")
    )
    # External document URLs: the address guard and a size cap.
    allow_private_urls: bool = False
    allowed_url_hosts: str = ""
    external_max_bytes: int = Field(5 * 1024**3, ge=1)
    verify_content_hash: bool = True
    # Zeebe's default message limit is 4 MiB, so larger inline content cannot be a variable anyway.
    inline_upload_max_bytes: int = Field(4 * 1024 * 1024, ge=1)

    @field_validator("rest_address", "basic_auth_username", "rest_ca_certificate_path", mode="before")
    @classmethod
    def _blank_means_unset(cls, value: Any) -> Any:
        return _blank_to_none(value)

    @field_validator("auth_strategy", mode="before")
    @classmethod
    def _strategy_upper(cls, value: Any) -> Any:
        value = _blank_to_none(value)
        return value.upper() if isinstance(value, str) else value

    @property
    def allowed_url_host_list(self) -> tuple[str, ...]:
        return tuple(item.strip().lower() for item in self.allowed_url_hosts.split(",") if item.strip())
