"""Suite selection and the shared S3 server fixture.

``tests/interop`` needs tools beyond Python and Node (Go, Java), so it is collected only with
``--interop`` (``./scripts/test-interop.sh``); the default command leaves it out.

``s3_server``: a test that takes it runs once per server named by ``--s3-servers`` (default
``moto,s3rver``; the interop command adds ``minio``). Each server starts once per session.
A test that a server cannot pass says so by name, and is a strict xfail there::

    @pytest.mark.s3_gap("s3rver", reason="s3rver ignores If-None-Match")
    @pytest.mark.s3_gap(feature="versioning")   # every server whose description lacks it

A strict xfail fails the run when the test passes after all: the marker must then go.

``tests/e2e`` takes its servers from ``--e2e-s3-servers`` instead (default ``moto``; the interop
command runs it on ``minio``): each end-to-end test starts real worker processes, so running the
suite once per server would double the default run. s3rver is not one of them, by name: it
accepts only its fixed key pair (``S3RVER``/``S3RVER``, access key equal to secret), so the
suite's checks that the secret never leaks could not tell the secret from the access key. It
runs the integration suite instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from testkit.s3servers import FEATURES, LACKS, SERVER_NAMES, S3Server, start_s3_server

_INTEROP = Path(__file__).resolve().parent / "interop"
_E2E = Path(__file__).resolve().parent / "e2e"
_DEFAULT_S3_SERVERS = "moto,s3rver"
_DEFAULT_E2E_S3_SERVERS = "moto"
_E2E_SERVER_NAMES = ("moto", "minio")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--interop",
        action="store_true",
        default=False,
        help="also collect tests/interop (MinIO, toxiproxy, Camunda's FEEL engine; needs Go and Java)",
    )
    parser.addoption(
        "--s3-servers",
        default=_DEFAULT_S3_SERVERS,
        help=f"comma list of S3 servers for the s3_server fixture, of {', '.join(SERVER_NAMES)} "
        f"(default {_DEFAULT_S3_SERVERS}; minio needs Go)",
    )
    parser.addoption(
        "--e2e-s3-servers",
        default=_DEFAULT_E2E_S3_SERVERS,
        help=f"comma list of S3 servers for tests/e2e, of {', '.join(_E2E_SERVER_NAMES)} "
        f"(default {_DEFAULT_E2E_S3_SERVERS}; minio needs Go)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "s3_gap(*servers, feature=None, reason=None): a strict xfail on the named servers (or on those "
        "lacking the feature), for behaviour that server does not have",
    )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if config.getoption("--interop"):
        return None
    if collection_path == _INTEROP or _INTEROP in collection_path.parents:
        return True
    return None


def chosen_servers(
    config: pytest.Config, option: str = "--s3-servers", known: tuple[str, ...] = SERVER_NAMES
) -> list[str]:
    """The names given to ``option``, checked against the ``known`` servers."""
    names = [name.strip() for name in str(config.getoption(option)).split(",") if name.strip()]
    unknown = sorted(set(names) - set(known))
    if unknown or not names:
        raise pytest.UsageError(f"{option}: unknown {unknown or 'empty list'}; known: {', '.join(known)}")
    return list(dict.fromkeys(names))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "s3_server" in metafunc.fixturenames:
        if _E2E in metafunc.definition.path.parents:
            names = chosen_servers(metafunc.config, "--e2e-s3-servers", _E2E_SERVER_NAMES)
        else:
            names = chosen_servers(metafunc.config)
        metafunc.parametrize("s3_server", names, indirect=True, scope="session", ids=names)


@pytest.fixture(scope="session")
def s3_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """A running S3 server (one per name in ``--s3-servers``, started once per session)."""
    name: str = request.param
    with start_s3_server(name, tmp_path_factory.mktemp(name)) as server:
        yield server


def _gap_reason(marker: pytest.Mark, server: str) -> str | None:
    """Why ``marker`` makes the test an xfail on ``server``, or None if it does not apply."""
    feature = marker.kwargs.get("feature")
    if feature is not None:
        if feature not in FEATURES or marker.args:
            raise pytest.UsageError(f"s3_gap(feature={feature!r}): give one known feature and no server names")
        why = LACKS[server].get(feature)
        return f"{server} lacks {feature}: {why}" if why else None
    unknown = set(marker.args) - set(SERVER_NAMES)
    if unknown or not marker.args or not marker.kwargs.get("reason"):
        raise pytest.UsageError(f"s3_gap{marker.args}: name known servers and give a reason")
    return f"{server}: {marker.kwargs['reason']}" if server in marker.args else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        markers = list(item.iter_markers("s3_gap"))
        if not markers:
            continue
        callspec = getattr(item, "callspec", None)
        if callspec is None or "s3_server" not in callspec.params:
            raise pytest.UsageError(f"{item.nodeid}: s3_gap is only for tests that take the s3_server fixture")
        server = callspec.params["s3_server"]
        reasons = [reason for marker in markers if (reason := _gap_reason(marker, server))]
        if reasons:
            item.add_marker(pytest.mark.xfail(strict=True, reason="; ".join(reasons)))
