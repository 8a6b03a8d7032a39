"""From a job's credentials and configuration to a ``ClientSpec``, under the operator's policy."""

from __future__ import annotations

from connector.actions.connection import S3Target
from connector.actions.policy import S3Policy
from connector.errors import invalid
from connector.s3.client import ClientSpec
from connector.s3.credentials import AssumeRole

__all__ = ["client_spec"]


def _secret(value: object) -> str | None:
    getter = getattr(value, "get_secret_value", None)
    return getter() if getter else None


def client_spec(target: S3Target, policy: S3Policy) -> ClientSpec:
    """Build the client configuration a job asks for, if the policy allows it.

    Raises:
        InputError: a refused endpoint or default-chain use, or FIPS/dual-stack combined
            with a custom endpoint.
    """
    policy.check_endpoint(target.endpoint)
    auth = target.authentication
    config = target.configuration
    # Both modes fall back to the worker's own identity when no keys are given.
    if auth.type == "defaultCredentialsChain" or (auth.type == "assumeRole" and not auth.has_keys):
        policy.check_default_credentials()
    endpoint = target.endpoint or policy.default_endpoint
    if endpoint and (config.fips or config.dualStack):
        raise invalid("configuration.fips/dualStack", "only for AWS endpoints, not with a custom endpoint")
    role = None
    if auth.type == "assumeRole" and auth.roleArn:
        role = AssumeRole(
            role_arn=auth.roleArn,
            external_id=_secret(auth.externalId),
            session_name=auth.roleSessionName or "zeebe-s3-connector",
            duration_s=auth.durationSeconds,
        )
    static = auth.type in ("credentials", "assumeRole") and auth.has_keys
    checksum_when_required = policy.checksum_mode == "when_required" or (
        policy.checksum_mode == "auto" and endpoint is not None
    )
    return ClientSpec(
        access_key_id=_secret(auth.accessKey) if static else None,
        secret_access_key=_secret(auth.secretKey) if static else None,
        session_token=_secret(auth.sessionToken) if static else None,
        region=target.region,
        endpoint_url=endpoint,
        # S3-compatible stores rarely resolve bucket subdomains; AWS prefers virtual hosts.
        path_style=config.forcePathStyle if config.forcePathStyle is not None else endpoint is not None,
        connect_timeout_s=policy.connect_timeout_s,
        read_timeout_s=policy.read_timeout_s,
        max_attempts=policy.max_attempts,
        anonymous=auth.type == "anonymous",
        assume_role=role,
        use_fips=config.fips,
        use_dualstack=config.dualStack,
        checksum_when_required=checksum_when_required,
        retry_mode=policy.retry_mode,
        sts_endpoint_url=policy.sts_endpoint,
    )
