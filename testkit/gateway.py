"""A Zeebe gateway test double that speaks the real gRPC protocol.

``GatewayServer`` serves a ``FakeGateway`` (a ``GatewayServicer``) on a real ``grpc.aio`` server
bound to loopback. The server runs its own event loop in a background thread, so synchronous
tests, async tests on another loop and workers in other processes can all talk to it::

    with GatewayServer() as server:
        key = server.gateway.create_job("s3-connector:upload:1", {"bucket": "b"})
        ...  # point the worker at server.address
        outcome = server.gateway.wait_for_outcome(key)

``stop()`` followed by ``restart()`` simulates the gateway going away and coming back: the same
port, the same jobs, locks and outcomes.
"""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from pyzeebe.proto.gateway_pb2_grpc import add_GatewayServicer_to_server

from ._gateway_jobs import Outcome
from ._gateway_servicer import DEFAULT_LONG_POLL_MS, GATEWAY_VERSION, FakeGateway

__all__ = ["DEFAULT_LONG_POLL_MS", "GATEWAY_VERSION", "FakeGateway", "GatewayServer", "Outcome"]

_LIFECYCLE_TIMEOUT_S = 10.0
# The service name pyzeebe's healthcheck() asks the standard gRPC health service about.
_HEALTH_SERVICE = "gateway_protocol.Gateway"


class GatewayServer:
    """Runs a ``FakeGateway`` on a real gRPC server in a background thread with its own event loop."""

    def __init__(self, gateway: FakeGateway | None = None) -> None:
        # The generated .pyi marks every RPC abstract; at runtime the base class answers UNIMPLEMENTED.
        self.gateway: FakeGateway = gateway or FakeGateway()  # type: ignore[abstract]
        self._host = "127.0.0.1"
        self._port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: grpc.aio.Server | None = None

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        if not self._port:
            raise RuntimeError("the gateway double has not been started")
        return self._port

    @property
    def address(self) -> str:
        """``host:port`` to give a client, e.g. ``127.0.0.1:40123``."""
        return f"{self._host}:{self.port}"

    def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Bind ``host:port`` (0 picks a free port) and serve until ``stop()``.

        Raises RuntimeError if already running or the port cannot be bound.
        """
        if self.running:
            raise RuntimeError(f"the gateway double is already serving on {self.address}")
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="fake-zeebe-gateway", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread
        try:
            future = asyncio.run_coroutine_threadsafe(self._serve(host, port), loop)
            self._port = future.result(timeout=_LIFECYCLE_TIMEOUT_S)
        except BaseException:
            self._stop_loop()
            raise
        self._host = host
        self.gateway.advertised_host, self.gateway.advertised_port = host, self._port

    async def _serve(self, host: str, port: int) -> int:
        # No SO_REUSEPORT: a restart must get this port back exclusively, or fail loudly.
        server = grpc.aio.server(options=[("grpc.so_reuseport", 0)])
        add_GatewayServicer_to_server(self.gateway, server)
        health_servicer = health.aio.HealthServicer()
        await health_servicer.set(_HEALTH_SERVICE, health_pb2.HealthCheckResponse.SERVING)
        health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
        try:
            bound_port: int = server.add_insecure_port(f"{host}:{port}")
        except RuntimeError as error:
            raise RuntimeError(f"cannot bind the gateway double to {host}:{port}") from error
        if bound_port == 0:  # older grpc versions report a failed bind this way
            raise RuntimeError(f"cannot bind the gateway double to {host}:{port}")
        await server.start()
        self._server = server
        return bound_port

    def stop(self, grace_s: float = 0.0) -> None:
        """Stop serving; in-flight calls get ``grace_s`` to finish, then are cancelled. Jobs are kept."""
        if self._loop is None:
            return
        server, self._server = self._server, None
        if server is not None:
            future = asyncio.run_coroutine_threadsafe(server.stop(grace_s), self._loop)
            future.result(timeout=grace_s + _LIFECYCLE_TIMEOUT_S)
        self._stop_loop()

    def restart(self) -> None:
        """Serve again on the same host and port with the same job state (stopping first if running)."""
        port = self.port
        self.stop()
        self.start(self._host, port)

    def _stop_loop(self) -> None:
        loop, thread = self._loop, self._thread
        self._loop, self._thread = None, None
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(_cancel_remaining_tasks(), loop).result(timeout=_LIFECYCLE_TIMEOUT_S)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=_LIFECYCLE_TIMEOUT_S)
        loop.close()

    def __enter__(self) -> GatewayServer:
        if not self.running:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


async def _cancel_remaining_tasks() -> None:
    # Whatever grpc left behind must not die as "Task was destroyed but it is pending" warnings.
    current = asyncio.current_task()
    tasks = [task for task in asyncio.all_tasks() if task is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.get_running_loop().shutdown_asyncgens()
