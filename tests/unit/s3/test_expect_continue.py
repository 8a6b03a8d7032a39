"""Bodies under 2 MiB go out without ``Expect: 100-continue``; larger ones keep it.

The requests are real botocore requests from the connector's own client, caught just before
they would be sent, so nothing connects anywhere.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from connector.s3 import ClientCache, ClientSpec
from connector.s3.expect_continue import CONTINUE_THRESHOLD_BYTES, _expect_continue_for_large_bodies

SPEC = ClientSpec(
    access_key_id="AKIAFAKEFAKEFAKE0001",
    secret_access_key="fake-secret",
    region="eu-central-1",
    endpoint_url="http://127.0.0.1:4566",
)


class _Caught(Exception):
    pass


def sent_headers(call: str, **params: Any) -> dict[str, str]:
    client = ClientCache().get(SPEC)
    seen: dict[str, str] = {}

    def catch(request: Any, **_: Any) -> None:
        seen.update({k: v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()})
        raise _Caught

    client.meta.events.register("before-send.s3", catch)
    try:
        with pytest.raises(_Caught):
            getattr(client, call)(Bucket="b", Key="k", **params)
    finally:
        client.meta.events.unregister("before-send.s3", catch)
    return seen


class TestExpectContinue:
    @pytest.mark.parametrize("size", [0, 1, 1024, CONTINUE_THRESHOLD_BYTES - 1])
    def test_small_bodies_are_sent_at_once(self, size: int) -> None:
        assert "Expect" not in sent_headers("put_object", Body=b"x" * size)

    @pytest.mark.parametrize("size", [CONTINUE_THRESHOLD_BYTES, CONTINUE_THRESHOLD_BYTES + 1])
    def test_large_bodies_wait_for_the_server(self, size: int) -> None:
        assert sent_headers("put_object", Body=b"x" * size)["Expect"] == "100-continue"

    def test_a_part_under_the_threshold_is_sent_at_once(self) -> None:
        headers = sent_headers("upload_part", UploadId="u", PartNumber=1, Body=io.BytesIO(b"x" * 1024))

        assert "Expect" not in headers

    def test_a_part_at_the_threshold_waits(self) -> None:
        headers = sent_headers("upload_part", UploadId="u", PartNumber=1, Body=b"x" * CONTINUE_THRESHOLD_BYTES)

        assert headers["Expect"] == "100-continue"

    @pytest.mark.parametrize(("size", "expected"), [(1024, None), (CONTINUE_THRESHOLD_BYTES, "100-continue")])
    def test_a_part_in_a_bytearray_follows_the_same_rule(self, size: int, expected: str | None) -> None:
        headers = sent_headers("upload_part", UploadId="u", PartNumber=1, Body=bytearray(size))

        assert headers.get("Expect") == expected

    def test_a_body_of_unknown_length_waits(self) -> None:
        class Unsized(io.RawIOBase):
            def readable(self) -> bool:
                return True

        params: dict[str, Any] = {"headers": {"Expect": "100-continue"}, "body": Unsized()}
        _expect_continue_for_large_bodies(params)

        assert params["headers"] == {"Expect": "100-continue"}
