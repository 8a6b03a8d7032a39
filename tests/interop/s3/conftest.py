"""Fixtures of the S3 truth suite: boto3 straight at each server of ``--s3-servers``.

The suite states what a real S3 server (MinIO) answers; where moto or s3rver answer
otherwise, the test carries ``s3_gap`` (see ``tests/conftest.py``) or its expected answer
is given per server. Every bucket is new per test, so tests never see each other's objects.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from testkit.minio_admin import MinioAdmin
from testkit.s3servers import S3Server

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

ROLE_ARN = "arn:aws:iam::000000000000:role/zeebe-s3-connector"  # MinIO ignores the role: the user's policy applies


@pytest.fixture
def s3(s3_server: S3Server) -> S3Client:
    """A client with the server's own (root) credentials."""
    return s3_server.client()


@pytest.fixture
def bucket(s3_server: S3Server) -> str:
    return s3_server.new_bucket()


def s3_error(call: Callable[[], Any]) -> tuple[str, int]:
    """Run ``call``, which must fail with an S3 error; return (error code, HTTP status).

    HEAD answers carry no body, so their code is the bare status (``"404"``), as botocore reports it.
    """
    with pytest.raises(ClientError) as raised:
        call()
    response = raised.value.response
    return str(response["Error"]["Code"]), int(response["ResponseMetadata"]["HTTPStatusCode"])


class Identities:
    """Makes users with a policy, on the servers that have users (MinIO: the admin API;
    moto: its IAM API, which its S3 does not enforce)."""

    def __init__(self, server: S3Server) -> None:
        self._server = server

    def user(self, policy: dict[str, Any]) -> tuple[str, str]:
        """A new user allowed what ``policy`` (an IAM policy document) allows; its key pair.

        Raises:
            NotImplementedError: the server has no users (s3rver).
        """
        name, secret = f"user-{uuid.uuid4().hex[:10]}", f"secret-{uuid.uuid4().hex}"
        if self._server.name == "minio":
            admin = self.admin()
            admin.add_user(name, secret)
            admin.add_policy(f"policy-{name}", policy)
            admin.set_user_policy(name, f"policy-{name}")
            return name, secret
        if self._server.name == "moto":
            iam = boto3.client(
                "iam",
                endpoint_url=self._server.endpoint_url,
                region_name=self._server.region,
                aws_access_key_id=self._server.access_key_id,
                aws_secret_access_key=self._server.secret_access_key,
            )
            iam.create_user(UserName=name)
            iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(policy))
            key = iam.create_access_key(UserName=name)["AccessKey"]
            return key["AccessKeyId"], key["SecretAccessKey"]
        raise NotImplementedError(f"{self._server.name} has no users")

    def admin(self) -> MinioAdmin:
        """MinIO's admin API with the root credentials (MinIO only)."""
        if self._server.name != "minio":
            raise NotImplementedError(f"{self._server.name} has no MinIO admin API")
        server = self._server
        return MinioAdmin(server.endpoint_url, server.access_key_id, server.secret_access_key, server.region)

    def role_session(self, bucket: str, session_name: str = "zeebe") -> tuple[str, dict[str, Any]]:
        """A new user with every right on ``bucket``, and temporary credentials from STS
        AssumeRole for it: (the user's access key, the Credentials STS answered)."""
        key, secret = self.user(bucket_policy(bucket, "s3:*"))
        credentials = self.sts(key, secret).assume_role(RoleArn=ROLE_ARN, RoleSessionName=session_name)
        return key, dict(credentials["Credentials"])

    def sts(self, access_key_id: str, secret_access_key: str, **config: Any) -> Any:
        """An STS client at the server's endpoint (MinIO and moto serve STS there)."""
        return boto3.client(
            "sts",
            endpoint_url=self._server.endpoint_url,
            region_name=self._server.region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=Config(retries={"total_max_attempts": 1}, **config),
        )


def session_client(server: S3Server, credentials: dict[str, Any], token: str | None = "") -> S3Client:
    """A client with STS credentials; ``token`` replaces their session token ("" keeps it)."""
    sent = credentials["SessionToken"] if token == "" else token
    return server.client_as(credentials["AccessKeyId"], credentials["SecretAccessKey"], sent)


@pytest.fixture
def identities(s3_server: S3Server) -> Identities:
    return Identities(s3_server)


def bucket_policy(bucket: str, *actions: str) -> dict[str, Any]:
    """An IAM policy allowing ``actions`` on ``bucket`` and its objects."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": list(actions),
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            }
        ],
    }
