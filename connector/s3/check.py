"""A permission check with a challenge object: put, head, get, (list,) delete.

Like Stitch's challenge file and Unstructured's precheck: it proves that given credentials
can do what the connector needs on a bucket, names the IAM action behind each failure, and
removes the challenge object again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from connector.error_codes import CONTENT_MISMATCH, LIST_MISMATCH, SKIPPED
from connector.errors import ConnectorError
from connector.s3.errors import s3_errors
from connector.s3.uploads import put_object

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["CheckStep", "run_check"]

_BODY = b"zeebe-s3-connector permission check\n"


@dataclass(frozen=True)
class CheckStep:
    """One permission: ``ok``, or the error code and message S3 answered with."""

    name: str
    iam_action: str
    ok: bool
    code: str | None = None
    message: str | None = None


def _step(name: str, iam_action: str, call: Callable[[], None]) -> CheckStep:
    try:
        call()
    except ConnectorError as exc:
        return CheckStep(name, iam_action, False, exc.code, exc.message)
    return CheckStep(name, iam_action, True)


def run_check(client: S3Client, *, bucket: str, prefix: str = "", include_list: bool = False) -> list[CheckStep]:
    """Exercise each permission once with a fresh challenge key under ``prefix``.

    Steps after a failed put are skipped (reported as not ok with code ``SKIPPED``), since
    they need the object. The object is deleted at the end whenever the put succeeded.
    """
    key = f"{prefix}s3-connector-check/{uuid.uuid4()}.txt"

    def put() -> None:
        put_object(client, bucket=bucket, key=key, body=_BODY, content_type="text/plain")

    def head() -> None:
        with s3_errors("HeadObject", bucket, key):
            client.head_object(Bucket=bucket, Key=key)

    def get() -> None:
        with s3_errors("GetObject", bucket, key):
            body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
        if body != _BODY:
            raise CONTENT_MISMATCH.error(f"GetObject returned {len(body)} bytes that differ from what was put")

    def listing() -> None:
        with s3_errors("ListObjectsV2", bucket, key):
            found = client.list_objects_v2(Bucket=bucket, Prefix=key).get("Contents", [])
        if not any(item.get("Key") == key for item in found):
            raise LIST_MISMATCH.error("ListObjectsV2 did not show the challenge object")

    def delete() -> None:
        with s3_errors("DeleteObject", bucket, key):
            client.delete_object(Bucket=bucket, Key=key)

    steps = [_step("put", "s3:PutObject", put)]
    rest: list[tuple[str, str, Callable[[], None]]] = [
        ("head", "s3:GetObject", head),
        ("get", "s3:GetObject", get),
    ]
    if include_list:
        rest.append(("list", "s3:ListBucket", listing))
    rest.append(("delete", "s3:DeleteObject", delete))
    for name, action, call in rest:
        if not steps[0].ok:
            steps.append(
                CheckStep(name, action, False, SKIPPED.code, "needs the challenge object, which put could not write")
            )
        else:
            steps.append(_step(name, action, call))
    return steps
