"""Fixtures of the toxiproxy fault matrix: the real worker process (tests/e2e's fixtures), with
S3 and the document store double each reached through a toxiproxy proxy.

S3 here is moto over HTTP, whatever ``--s3-servers`` says: the rows are about the worker's
answer to a broken network, not about one server's dialect (the S3 layer under each toxic on
MinIO, moto and s3rver is tests/interop/s3/test_toxiproxy_faults.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from testkit.documents_api import DocumentsApi
from testkit.moto_http import admin_client, moto_server
from testkit.toxiproxy import Proxy, Toxiproxy, toxiproxy_server
from tests.e2e.conftest import BUCKET, _figures, figure, gateway, start_worker

__all__ = [
    "_figures",
    "documents",
    "documents_proxy",
    "figure",
    "gateway",
    "s3",
    "s3_endpoint",
    "s3_proxy",
    "start_worker",
    "toxiproxy",
]


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    with moto_server(BUCKET) as endpoint:
        yield endpoint


@pytest.fixture
def s3(s3_endpoint: str) -> Any:
    return admin_client(s3_endpoint)


@pytest.fixture(scope="session")
def toxiproxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Toxiproxy]:
    with toxiproxy_server(Path(tmp_path_factory.mktemp("toxiproxy"))) as server:
        yield server


def _proxy(toxiproxy: Toxiproxy, name: str, url: str) -> Iterator[Proxy]:
    created = toxiproxy.client.create_proxy(f"{name}-{uuid.uuid4().hex[:8]}", upstream=urlsplit(url).netloc)
    yield created
    created.delete()


@pytest.fixture
def s3_proxy(toxiproxy: Toxiproxy, s3_endpoint: str) -> Iterator[Proxy]:
    yield from _proxy(toxiproxy, "s3", s3_endpoint)


@pytest.fixture
def documents() -> Iterator[DocumentsApi]:
    with DocumentsApi() as api:
        yield api


@pytest.fixture
def documents_proxy(toxiproxy: Toxiproxy, documents: DocumentsApi) -> Iterator[Proxy]:
    yield from _proxy(toxiproxy, "documents", documents.base_url)
