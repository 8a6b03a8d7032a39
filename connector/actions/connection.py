"""How a job reaches S3: credentials, region and endpoint, as every task type takes them.

``S3Job`` is the base of every job model. It resolves Camunda's shapes once, in validators:
v6's ``awsCredential`` (``{authentication, region}``) takes precedence over the inline
``authentication``; the endpoint still comes from ``configuration.endpoint``; template v8's
region override (``configuration.region`` beside a credential) wins over the credential's
region. Credentials are ``SecretStr`` so no repr, log line or message can show them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, SecretStr, model_validator

from connector.actions.binding import field_error
from connector.s3.validation import endpoint_problem, region_problem

__all__ = ["Authentication", "AwsCredential", "Configuration", "Input", "S3Job", "S3Target", "blank_to_none", "checked"]


class Input(BaseModel):
    """Base of every input model: frozen, unknown fields ignored (templates send helpers)."""

    model_config = ConfigDict(extra="ignore", frozen=True)


def blank_to_none(value: Any) -> Any:
    """Before-validator: an empty or blank string means the field was not given."""
    return None if isinstance(value, str) and not value.strip() else value


def checked(problem_of: Any) -> Any:
    """After-validator from a pure ``value -> problem | None`` check."""

    def validate(value: str | None) -> str | None:
        if value is None:
            return None
        problem = problem_of(value)
        if problem:
            raise ValueError(problem)
        return value

    return validate


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


# The region format is checked only for AWS itself (see S3Job): S3-compatible stores use
# names such as "auto" (Cloudflare R2) that AWS would reject.
Region = Annotated[str | None, BeforeValidator(_strip), BeforeValidator(blank_to_none)]
Endpoint = Annotated[str | None, BeforeValidator(blank_to_none), AfterValidator(checked(endpoint_problem))]
OptionalSecret = Annotated[SecretStr | None, BeforeValidator(blank_to_none)]

_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/[A-Za-z0-9_+=,.@/-]{1,512}")
_SESSION_NAME = re.compile(r"[A-Za-z0-9_+=,.@-]{2,64}")


def _matching(pattern: re.Pattern[str], what: str) -> Any:
    def validate(value: str | None) -> str | None:
        if value is not None and not pattern.fullmatch(value):
            raise ValueError(f"must be {what}")
        return value

    return validate


class Authentication(Input):
    """``authentication.*``; a missing ``type`` means static credentials, as in Camunda.

    ``assumeRole`` assumes ``roleArn`` on top of the static keys when given, else on top of
    the worker's default chain (which the operator must allow). ``anonymous`` sends unsigned
    requests, for public buckets.
    """

    type: Literal["credentials", "defaultCredentialsChain", "assumeRole", "anonymous"] = "credentials"
    accessKey: OptionalSecret = None
    secretKey: OptionalSecret = None
    sessionToken: OptionalSecret = None
    roleArn: Annotated[
        str | None, BeforeValidator(blank_to_none), AfterValidator(_matching(_ROLE_ARN, "an IAM role ARN"))
    ] = None
    externalId: OptionalSecret = None
    roleSessionName: Annotated[
        str | None,
        BeforeValidator(blank_to_none),
        AfterValidator(_matching(_SESSION_NAME, "2-64 characters of letters, digits and _+=,.@-")),
    ] = None
    durationSeconds: Annotated[int, Field(ge=900, le=43_200)] = 3600

    @model_validator(mode="after")
    def _fields_for_type(self) -> Authentication:
        keys = [name for name in ("accessKey", "secretKey") if getattr(self, name) is not None]
        if self.type == "credentials" and len(keys) < 2:
            missing = [name for name in ("accessKey", "secretKey") if name not in keys]
            raise ValueError(f"{' and '.join(missing)} required when type is 'credentials'")
        if self.type == "assumeRole":
            if self.roleArn is None:
                raise ValueError("roleArn required when type is 'assumeRole'")
            if len(keys) == 1:
                raise ValueError("accessKey and secretKey go together (or leave both empty for the default chain)")
        return self

    @property
    def has_keys(self) -> bool:
        return self.accessKey is not None and self.secretKey is not None


class Configuration(Input):
    """``configuration.*``: region, custom endpoint and addressing; FIPS and dual-stack are AWS only."""

    region: Region = None
    endpoint: Endpoint = None
    # None: path-style for custom endpoints (MinIO, Ceph), virtual-hosted for AWS.
    forcePathStyle: bool | None = None
    fips: bool = False
    dualStack: bool = False


class AwsCredential(Input):
    """Camunda v6's reusable credential: ``{authentication, region}``; it takes precedence."""

    authentication: Authentication
    region: Region = None


@dataclass(frozen=True)
class S3Target:
    """Which credentials, region and endpoint a job's S3 calls use."""

    authentication: Authentication
    region: str | None
    endpoint: str | None
    configuration: Configuration


def _none_to_empty(value: Any) -> Any:
    return {} if value is None else value


class S3Job(Input):
    """The connection inputs every job has; ``target`` is what they resolve to."""

    authentication: Authentication | None = None
    configuration: Annotated[Configuration, BeforeValidator(_none_to_empty)] = Field(default_factory=Configuration)
    awsCredential: AwsCredential | None = None

    @model_validator(mode="before")
    @classmethod
    def _credential_wins(cls, data: Any) -> Any:
        # Templates v6+ still write the (empty) inline authentication beside the credential.
        if isinstance(data, dict) and data.get("awsCredential") is not None:
            return {name: value for name, value in data.items() if name != "authentication"}
        return data

    @model_validator(mode="after")
    def _resolvable(self) -> S3Job:
        if self.awsCredential is None and self.authentication is None:
            raise field_error("authentication", "required")
        target = self.target
        problem = region_problem(target.region) if target.region and not target.endpoint else None
        if problem:
            from_credential = self.awsCredential is not None and not self.configuration.region
            raise field_error("awsCredential.region" if from_credential else "configuration.region", problem)
        return self

    @property
    def target(self) -> S3Target:
        """Credentials, region and endpoint, honouring ``awsCredential`` precedence."""
        configuration = self.configuration
        if self.awsCredential is not None:
            # Template v8's "region override" writes configuration.region beside the credential.
            region = configuration.region or self.awsCredential.region
            return S3Target(self.awsCredential.authentication, region, configuration.endpoint, configuration)
        assert self.authentication is not None  # the validator made sure
        return S3Target(self.authentication, configuration.region, configuration.endpoint, configuration)
