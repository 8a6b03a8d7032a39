"""moto's S3 as a real HTTP server on loopback, with a bucket, for integration and e2e tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from moto.server import ThreadedMotoServer


def admin_client(endpoint: str) -> Any:
    """A client that bypasses the connector, to arrange and inspect the store."""
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )


@contextmanager
def moto_server(*buckets: str) -> Iterator[str]:
    """Start moto on 127.0.0.1 (a free port), create ``buckets``, yield the endpoint URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        for bucket in buckets:
            admin_client(endpoint).create_bucket(Bucket=bucket)
        yield endpoint
    finally:
        server.stop()
