"""Who may do what: real signature checks, users and policies, STS AssumeRole and its session
tokens, anonymous access. MinIO checks all of it; moto checks none of it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.config import Config

from testkit.s3servers import S3Server
from tests.interop.s3.conftest import ROLE_ARN, Identities, bucket_policy, s3_error, session_client

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


class TestSignatures:
    @pytest.mark.s3_gap(feature="signature-check")
    @pytest.mark.s3_gap("s3rver", reason="s3rver checks that the access key exists, never the signature")
    def test_a_wrong_secret_is_signature_does_not_match(self, s3_server: S3Server, bucket: str) -> None:
        wrong = s3_server.client_as(s3_server.access_key_id, "not-the-secret-at-all")

        assert s3_error(lambda: wrong.put_object(Bucket=bucket, Key="k", Body=b"x")) == ("SignatureDoesNotMatch", 403)

    @pytest.mark.s3_gap(feature="signature-check")
    def test_an_unknown_access_key_is_invalid_access_key_id(self, s3_server: S3Server, bucket: str) -> None:
        stranger = s3_server.client_as("NOSUCHKEY0000000000", "whatever-secret")

        assert s3_error(lambda: stranger.get_object(Bucket=bucket, Key="k")) == ("InvalidAccessKeyId", 403)

    def test_a_signature_for_another_region_is_accepted(self, s3_server: S3Server, bucket: str) -> None:
        # What a user who sets configuration.region to anything meets: MinIO (site region
        # us-east-1 here), moto and s3rver all accept a request signed for another region.
        other = boto3_client_for_region(s3_server, "eu-central-1")
        scopes: list[str] = []
        other.meta.events.register(
            "before-send.s3.PutObject", lambda request, **_: scopes.append(request.headers["Authorization"].decode())
        )

        other.put_object(Bucket=bucket, Key="k", Body=b"x")

        assert "/eu-central-1/s3/aws4_request" in scopes[0]


def boto3_client_for_region(server: S3Server, region: str) -> S3Client:
    return boto3.client(
        "s3",
        endpoint_url=server.endpoint_url,
        region_name=region,
        aws_access_key_id=server.access_key_id,
        aws_secret_access_key=server.secret_access_key,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


class TestUsersAndPolicies:
    @pytest.mark.s3_gap(feature="access-control")
    def test_a_user_is_refused_outside_its_policy(
        self, s3_server: S3Server, identities: Identities, bucket: str
    ) -> None:
        other_bucket = s3_server.new_bucket()
        key, secret = identities.user(bucket_policy(bucket, "s3:GetObject", "s3:PutObject"))
        user = s3_server.client_as(key, secret)

        user.put_object(Bucket=bucket, Key="mine", Body=b"allowed")

        assert s3_error(lambda: user.put_object(Bucket=other_bucket, Key="k", Body=b"x")) == ("AccessDenied", 403)
        assert s3_error(lambda: user.delete_object(Bucket=bucket, Key="mine")) == ("AccessDenied", 403)
        assert user.get_object(Bucket=bucket, Key="mine")["Body"].read() == b"allowed"


class TestAssumeRole:
    @pytest.mark.s3_gap(feature="sts")
    def test_assumed_role_credentials_work_within_the_users_policy(
        self, s3_server: S3Server, identities: Identities, bucket: str
    ) -> None:
        key, credentials = identities.role_session(bucket)

        session = session_client(s3_server, credentials)
        session.put_object(Bucket=bucket, Key="by-role", Body=b"temporary")

        assert session.get_object(Bucket=bucket, Key="by-role")["Body"].read() == b"temporary"
        assert credentials["AccessKeyId"] != key

    @pytest.mark.s3_gap(feature="token-check")
    @pytest.mark.parametrize("token", ["missing", "another-sessions", "tampered"])
    def test_a_wrong_session_token_is_invalid_token_id(
        self, s3_server: S3Server, identities: Identities, bucket: str, token: str
    ) -> None:
        _, mine = identities.role_session(bucket, "mine")
        _, other = identities.role_session(bucket, "other")
        sent = {
            "missing": None,
            "another-sessions": other["SessionToken"],
            "tampered": mine["SessionToken"][:-4] + "AAAA",
        }[token]
        session = session_client(s3_server, mine, sent)

        # AWS answers InvalidToken; MinIO's code is InvalidTokenId.
        assert s3_error(lambda: session.get_object(Bucket=bucket, Key="k")) == ("InvalidTokenId", 403)

    @pytest.mark.s3_gap(feature="token-check")
    def test_credentials_of_a_removed_user_stop_working(
        self, s3_server: S3Server, identities: Identities, bucket: str
    ) -> None:
        # An STS session lasts at least 900 s (shorter is refused, see below), too long to
        # wait for in a test; removing its user is how a session ends early.
        key, credentials = identities.role_session(bucket)
        session = session_client(s3_server, credentials)
        session.put_object(Bucket=bucket, Key="k", Body=b"x")

        identities.admin().remove_user(key)

        assert s3_error(lambda: session.get_object(Bucket=bucket, Key="k")) == ("AccessDenied", 403)

    @pytest.mark.s3_gap(feature="sts-limits")
    def test_a_session_shorter_than_900_s_is_refused(
        self, s3_server: S3Server, identities: Identities, bucket: str
    ) -> None:
        key, secret = identities.user(bucket_policy(bucket, "s3:*"))
        sts = identities.sts(key, secret, parameter_validation=False)  # boto3 itself refuses < 900

        assert s3_error(lambda: sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="zeebe", DurationSeconds=60)) == (
            "InvalidParameterValue",
            400,
        )

    @pytest.mark.s3_gap(feature="sts-limits")
    def test_temporary_credentials_cannot_assume_a_role_again(
        self, s3_server: S3Server, identities: Identities, bucket: str
    ) -> None:
        _, first = identities.role_session(bucket)
        chained = boto3.client(
            "sts",
            endpoint_url=s3_server.endpoint_url,
            region_name=s3_server.region,
            aws_access_key_id=first["AccessKeyId"],
            aws_secret_access_key=first["SecretAccessKey"],
            aws_session_token=first["SessionToken"],
        )

        assert s3_error(lambda: chained.assume_role(RoleArn=ROLE_ARN, RoleSessionName="again")) == (
            "AccessDenied",
            403,
        )

    @pytest.mark.s3_gap(feature="sts-limits")
    def test_get_session_token_is_not_offered(self, s3_server: S3Server) -> None:
        # Session tokens for MinIO come from AssumeRole (or the web identity / LDAP flows).
        sts = Identities(s3_server).sts(s3_server.access_key_id, s3_server.secret_access_key)

        assert s3_error(sts.get_session_token) == ("InvalidParameterValue", 400)


class TestAnonymous:
    @pytest.mark.s3_gap(feature="access-control")
    def test_a_private_bucket_refuses_anonymous_reads(self, s3_server: S3Server, s3: S3Client, bucket: str) -> None:
        s3.put_object(Bucket=bucket, Key="private", Body=b"secret")

        assert s3_error(lambda: s3_server.anonymous_client().get_object(Bucket=bucket, Key="private")) == (
            "AccessDenied",
            403,
        )

    @pytest.mark.s3_gap(feature="bucket-policy")
    def test_a_public_read_bucket_serves_anonymous_gets_only(
        self, s3_server: S3Server, s3: S3Client, bucket: str
    ) -> None:
        s3.put_object(Bucket=bucket, Key="public", Body=b"for everyone")
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read(bucket)))
        anonymous = s3_server.anonymous_client()

        assert anonymous.get_object(Bucket=bucket, Key="public")["Body"].read() == b"for everyone"
        assert anonymous.head_object(Bucket=bucket, Key="public")["ContentLength"] == len(b"for everyone")
        assert s3_error(lambda: anonymous.get_object(Bucket=bucket, Key="missing")) == ("NoSuchKey", 404)

    @pytest.mark.s3_gap(feature="access-control")
    def test_a_public_read_bucket_refuses_anonymous_writes_and_lists(
        self, s3_server: S3Server, s3: S3Client, bucket: str
    ) -> None:
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read(bucket)))
        anonymous = s3_server.anonymous_client()

        assert s3_error(lambda: anonymous.put_object(Bucket=bucket, Key="k", Body=b"x")) == ("AccessDenied", 403)
        assert s3_error(lambda: anonymous.list_objects_v2(Bucket=bucket)) == ("AccessDenied", 403)


def public_read(bucket: str) -> dict[str, Any]:
    """The usual public-read bucket policy: anyone may GET objects (not list, not write)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": ["*"]},
                "Action": ["s3:GetObject"],
                "Resource": [f"arn:aws:s3:::{bucket}/*"],
            }
        ],
    }
