"""boto3 sessions for each credentials mode: static keys, default chain, assumed role.

An assumed role's temporary credentials are ``RefreshableCredentials``: botocore renews them
from STS before they expire (advisory 15 min, mandatory 10 min ahead), so a cached client
keeps working across the role session's lifetime without a new AssumeRole per job.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.session
from botocore.credentials import RefreshableCredentials

__all__ = ["AssumeRole", "assume_role_session", "digest"]


@dataclass(frozen=True, kw_only=True)
class AssumeRole:
    """An IAM role to assume on top of the base credentials (static keys or default chain).

    Attributes:
        role_arn: ``arn:aws:iam::<account>:role/<name>``.
        external_id: the external id a third-party role requires; never shown in ``repr``.
        session_name: shown in CloudTrail; 2-64 characters of ``[\\w+=,.@-]``.
        duration_s: role session length, 900-43200 seconds (the role's maximum applies).
    """

    role_arn: str
    external_id: str | None = field(default=None, repr=False)
    session_name: str = "zeebe-s3-connector"
    duration_s: int = 3600

    def cache_key(self) -> tuple[Any, ...]:
        return (self.role_arn, digest(self.external_id), self.session_name, self.duration_s)


def digest(secret: str | None) -> str | None:
    """A sha256 stands in for a secret in cache keys, so a key never holds the secret."""
    if secret is None:
        return None
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def assume_role_session(
    base: boto3.Session, role: AssumeRole, *, region: str, sts_endpoint_url: str | None
) -> boto3.Session:
    """A session whose credentials come from ``sts:AssumeRole`` and refresh themselves.

    The first AssumeRole call happens here, so a role that cannot be assumed fails before
    any S3 request, with STS's own error.

    Raises:
        botocore.exceptions.ClientError: STS refused (``AccessDenied``, ``ValidationError``, ...).
        botocore.exceptions.BotoCoreError: STS unreachable or no base credentials.
    """
    sts = base.client("sts", region_name=region, endpoint_url=sts_endpoint_url)

    def fetch() -> dict[str, Any]:
        request: dict[str, Any] = {
            "RoleArn": role.role_arn,
            "RoleSessionName": role.session_name,
            "DurationSeconds": role.duration_s,
        }
        if role.external_id:
            request["ExternalId"] = role.external_id
        credentials = sts.assume_role(**request)["Credentials"]
        return {
            "access_key": credentials["AccessKeyId"],
            "secret_key": credentials["SecretAccessKey"],
            "token": credentials["SessionToken"],
            "expiry_time": credentials["Expiration"].isoformat(),
        }

    refreshable = RefreshableCredentials.create_from_metadata(
        metadata=fetch(), refresh_using=fetch, method="sts-assume-role"
    )
    core = botocore.session.get_session()
    # botocore has no public setter for a session's credentials; this is the documented idiom
    # (and what botocore's own AssumeRoleProvider ends up with).
    core._credentials = refreshable  # type: ignore[attr-defined]
    return boto3.Session(botocore_session=core, region_name=region)
