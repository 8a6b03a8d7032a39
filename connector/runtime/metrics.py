"""Prometheus metrics and the health endpoint: liveness, readiness, ``/metrics``.

Labels stay low-cardinality: task type, outcome and direction only — never bucket or key.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

__all__ = ["HealthServer", "HealthState", "PrometheusObserver"]

logger = logging.getLogger(__name__)

_DURATION_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)


class PrometheusObserver:
    """A ``JobObserver`` that counts jobs, outcomes, durations, in-flight jobs and bytes."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.jobs = Counter(
            "connector_jobs",
            "Jobs handled, by task type and outcome",
            ["task_type", "outcome"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "connector_job_duration_seconds",
            "Time from activation handling to outcome",
            ["task_type"],
            buckets=_DURATION_BUCKETS_S,
            registry=self.registry,
        )
        self.in_flight = Gauge("connector_jobs_in_flight", "Jobs being handled", ["task_type"], registry=self.registry)
        self.bytes = Counter("connector_bytes", "Object bytes moved", ["direction"], registry=self.registry)
        self.gateway_up = Gauge(
            "connector_gateway_up", "1 when the last gateway call succeeded", registry=self.registry
        )

    def on_job_start(self, task_type: str) -> None:
        self.in_flight.labels(task_type).inc()

    def on_job_end(self, task_type: str, outcome: str, duration_s: float) -> None:
        self.in_flight.labels(task_type).dec()
        self.jobs.labels(task_type, outcome).inc()
        self.duration.labels(task_type).observe(duration_s)

    def on_bytes(self, direction: str, count: int) -> None:
        self.bytes.labels(direction).inc(count)


class HealthState:
    """Readiness: the gateway answered recently, every task type is being polled, and the
    worker is not shutting down. Thread-safe: probes read it from the health server's thread."""

    def __init__(self, observer: PrometheusObserver | None = None) -> None:
        self._lock = threading.Lock()
        self._gateway_ok = False
        self._stopping = False
        self._detail = "not connected to the gateway yet"
        self._pollers_down: dict[str, str] = {}
        self._observer = observer

    def gateway_reachable(self) -> None:
        with self._lock:
            self._gateway_ok, self._detail = True, "ok"
        if self._observer:
            self._observer.gateway_up.set(1)

    def gateway_unreachable(self, detail: str) -> None:
        with self._lock:
            self._gateway_ok, self._detail = False, detail
        if self._observer:
            self._observer.gateway_up.set(0)

    def poller_down(self, task_type: str, detail: str) -> None:
        """The poll loop of ``task_type`` died and waits to be restarted."""
        with self._lock:
            self._pollers_down[task_type] = detail

    def poller_up(self, task_type: str) -> None:
        with self._lock:
            self._pollers_down.pop(task_type, None)

    def stopping(self) -> None:
        with self._lock:
            self._stopping, self._detail = True, "shutting down"

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            ready = self._gateway_ok and not self._stopping and not self._pollers_down
            detail = self._detail
            if self._pollers_down and not self._stopping:
                detail = "not polling " + ", ".join(f"{t} ({d})" for t, d in sorted(self._pollers_down.items()))
            return {
                "ready": ready,
                "gateway": self._gateway_ok,
                "stopping": self._stopping,
                "notPolling": sorted(self._pollers_down),
                "detail": detail,
            }


def _handler_class(state: HealthState, registry: CollectorRegistry) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path in ("/health/live", "/healthz", "/livez"):
                self._send(200, "application/json", json.dumps({"status": "UP"}).encode())
            elif path in ("/health/ready", "/readyz", "/health"):
                snap = state.snapshot()
                self._send(200 if snap["ready"] else 503, "application/json", json.dumps(snap).encode())
            elif path == "/metrics":
                self._send(200, CONTENT_TYPE_LATEST, generate_latest(registry))
            else:
                self._send(404, "text/plain", b"not found\n")

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return None  # probes every few seconds would drown the job log

    return Handler


class HealthServer:
    """Serves health and metrics on its own thread so a busy event loop cannot fail probes."""

    def __init__(self, *, host: str, port: int, state: HealthState, registry: CollectorRegistry) -> None:
        self._server = ThreadingHTTPServer((host, port), _handler_class(state, registry))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="health-http", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
