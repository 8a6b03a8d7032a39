"""``Expect: 100-continue`` only on bodies large enough for it to pay.

botocore asks for a 100 Continue before every PutObject and UploadPart body, whatever its
size. For a small body that is one more round trip for nothing: the body would have been on
the wire before the answer to the question came back. Like the AWS SDK for Go v2, bodies
under 2 MiB are sent straight away; larger ones still wait, so that a refused request (wrong
region, expired credentials) does not cost the upload of a whole part.
"""

from __future__ import annotations

from typing import Any

from botocore.utils import determine_content_length

__all__ = ["CONTINUE_THRESHOLD_BYTES", "send_small_bodies_at_once"]

CONTINUE_THRESHOLD_BYTES = 2 * 1024 * 1024


def send_small_bodies_at_once(client: Any) -> None:
    """Make ``client`` ask for a 100 Continue exactly for bodies of the threshold and more."""
    # register_last: botocore's own before-call handler adds the header first.
    client.meta.events.register_last("before-call.s3", _expect_continue_for_large_bodies)


def _expect_continue_for_large_bodies(params: dict[str, Any], **_: Any) -> None:
    headers = params.get("headers")
    body = params.get("body")
    # botocore asks for file-like bodies; a part read into a bytearray is sent as it is.
    if headers is None or not ("Expect" in headers or isinstance(body, bytearray)):
        return
    length = determine_content_length(body)
    if length is None:
        return
    if length < CONTINUE_THRESHOLD_BYTES:
        headers.pop("Expect", None)
    else:
        headers["Expect"] = "100-continue"
