"""Job inputs as pydantic models: one per action, shared by our task types and Camunda's.

Unknown fields are ignored (Camunda's templates send helper inputs such as
``action.action_document_*``). Credentials are ``SecretStr`` so that no repr, log line or
validation message can show them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, SecretStr, model_validator

from connector.s3.validation import bucket_name_problem, endpoint_problem, key_problem

__all__ = [
    "Authentication",
    "AwsCredential",
    "Configuration",
    "DeleteAction",
    "DocumentReturnFormat",
    "DownloadAction",
    "UploadAction",
]


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _check(problem_of: Any) -> Any:
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


BucketName = Annotated[str, BeforeValidator(_strip), AfterValidator(_check(bucket_name_problem))]
ObjectKey = Annotated[str, AfterValidator(_check(key_problem))]
# The region format is checked only for AWS itself (see camunda.resolve_target): S3-compatible
# stores use names such as "auto" (Cloudflare R2) that AWS would reject.
Region = Annotated[str | None, BeforeValidator(_strip), BeforeValidator(_blank_to_none)]
Endpoint = Annotated[str | None, BeforeValidator(_blank_to_none), AfterValidator(_check(endpoint_problem))]
OptionalSecret = Annotated[SecretStr | None, BeforeValidator(_blank_to_none)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Authentication(_Input):
    """``authentication.*``; a missing ``type`` means static credentials, as in Camunda."""

    type: Literal["credentials", "defaultCredentialsChain"] = "credentials"
    accessKey: OptionalSecret = None
    secretKey: OptionalSecret = None
    sessionToken: OptionalSecret = None

    @model_validator(mode="after")
    def _keys_for_credentials(self) -> Authentication:
        if self.type == "credentials":
            missing = [name for name in ("accessKey", "secretKey") if getattr(self, name) is None]
            if missing:
                raise ValueError(f"{' and '.join(missing)} required when type is 'credentials'")
        return self


class Configuration(_Input):
    region: Region = None
    endpoint: Endpoint = None


class AwsCredential(_Input):
    """Camunda v6's reusable credential: ``{authentication, region}``; it takes precedence."""

    authentication: Authentication
    region: Region = None


class UploadAction(_Input):
    bucket: BucketName
    key: Annotated[ObjectKey | None, BeforeValidator(_blank_to_none)] = None
    document: Any = None


class DownloadAction(_Input):
    bucket: BucketName
    key: ObjectKey
    asFile: bool = False


class DeleteAction(_Input):
    bucket: BucketName
    key: ObjectKey


class DocumentReturnFormat(_Input):
    """Camunda v5/v6 ``documentReturnFormat``; a blank choice means the legacy ``asFile`` flow."""

    choice: Annotated[Literal["DOCUMENT", "TEXT", "JSON"] | None, BeforeValidator(_blank_to_none)] = None
    encoding: Annotated[str | None, BeforeValidator(_blank_to_none)] = None
