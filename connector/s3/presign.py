"""Presigned GET and PUT URLs: signed locally with the client's credentials, no request sent.

A presigned URL stops working at the earlier of its own expiry and the expiry of the
credentials that signed it, so ``presign`` also reports the signing credentials' expiry when
botocore knows it (an assumed role's refreshable credentials); for static keys, with or
without a pasted session token, nothing is known and None is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal

from botocore.credentials import RefreshableCredentials

from connector.s3.errors import s3_errors

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["Presigned", "presign"]


@dataclass(frozen=True)
class Presigned:
    """A presigned URL and the headers a request must send for its signature to hold.

    Attributes:
        credentials_expire_at: when the signing credentials expire (UTC), if known.
    """

    url: str
    headers: dict[str, str] = field(default_factory=dict)
    credentials_expire_at: datetime | None = None


def _credentials_expiry(client: S3Client) -> datetime | None:
    # botocore keeps the signing credentials on the client's request signer and has no public
    # getter for them or their expiry; both attributes have been stable since botocore 1.x.
    credentials = getattr(getattr(client, "_request_signer", None), "_credentials", None)
    if not isinstance(credentials, RefreshableCredentials):
        return None
    credentials.get_frozen_credentials()  # refreshes first when due: the expiry is the signing one
    expiry = getattr(credentials, "_expiry_time", None)
    return expiry.astimezone(timezone.utc) if isinstance(expiry, datetime) else None


def presign(
    client: S3Client,
    *,
    method: Literal["GET", "PUT"],
    bucket: str,
    key: str,
    expires_s: int,
    content_type: str | None = None,
    content_disposition: str | None = None,
    version_id: str | None = None,
) -> Presigned:
    """Sign a GET or PUT of one object for ``expires_s`` seconds.

    GET: ``content_type``/``content_disposition`` override what S3 serves (response-content-*
    parameters, part of the signature). PUT: they are headers the uploader must send, and
    S3 stores them with the object; ``headers`` lists them.

    Raises:
        ConnectorError: botocore could not sign (e.g. no credentials), mapped.
    """
    params: dict[str, Any] = {"Bucket": bucket, "Key": key}
    headers: dict[str, str] = {}
    if method == "GET":
        operation = "get_object"
        optional = {
            "VersionId": version_id,
            "ResponseContentType": content_type,
            "ResponseContentDisposition": content_disposition,
        }
    else:
        operation = "put_object"
        optional = {"ContentType": content_type, "ContentDisposition": content_disposition}
        headers = {
            name: value
            for name, value in (("Content-Type", content_type), ("Content-Disposition", content_disposition))
            if value
        }
    params.update({name: value for name, value in optional.items() if value})
    with s3_errors(f"Presign{method.title()}Object", bucket, key):
        expiry = _credentials_expiry(client)
        url = str(client.generate_presigned_url(operation, Params=params, ExpiresIn=expires_s))
    return Presigned(url, headers, expiry)
