"""A TCP proxy that throttles each connection on its own, as S3 looks from one client.

Every accepted connection gets ``--rate-mib`` MiB/s in each direction and ``--latency-ms`` of
round trip (half each way), with no cap on the total: many connections go many times faster
than one, as against S3. The proxy's own ceiling (what it moves unthrottled, on this machine)
is measured by ``--measure-ceiling`` and reported beside the results, so a result near it is
known to measure the proxy, not the client.

Usage:
    .venv/bin/python -m benchmarks.throttle_proxy --target 127.0.0.1:9000 --rate-mib 8 --latency-ms 20
    .venv/bin/python -m benchmarks.throttle_proxy --measure-ceiling [--connections 10]
It prints ``listening on PORT`` once ready.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

CHUNK = 64 * 1024
_QUEUED_CHUNKS = 8  # per direction: keeps TCP's backpressure instead of buffering without bound


class Throttle:
    """One direction of one connection: each chunk leaves after half the latency, paced to the rate."""

    def __init__(self, rate_bytes_s: float, one_way_s: float) -> None:
        self.rate = rate_bytes_s
        self.one_way_s = one_way_s

    async def pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue(_QUEUED_CHUNKS)

        async def receive() -> None:
            while chunk := await reader.read(CHUNK):
                await queue.put((time.monotonic(), chunk))
            await queue.put((time.monotonic(), b""))

        receiving = asyncio.ensure_future(receive())
        next_free = 0.0
        try:
            while True:
                arrived, chunk = await queue.get()
                if not chunk:
                    break
                now = time.monotonic()
                leave = max(arrived + self.one_way_s, next_free)
                if leave > now:
                    await asyncio.sleep(leave - now)
                writer.write(chunk)
                await writer.drain()
                if self.rate > 0:
                    next_free = leave + len(chunk) / self.rate
            if writer.can_write_eof():
                writer.write_eof()
        except (ConnectionError, OSError):
            pass
        finally:
            receiving.cancel()


async def serve(
    target_host: str, target_port: int, rate_mib: float, latency_ms: float, port: int = 0
) -> asyncio.Server:
    rate = rate_mib * 1024 * 1024
    one_way = latency_ms / 2000

    async def handle(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(target_host, target_port)
        except OSError:
            client_writer.close()
            return
        # The TCP handshake to S3 costs one round trip too.
        await asyncio.sleep(2 * one_way)
        await asyncio.gather(
            Throttle(rate, one_way).pump(client_reader, upstream_writer),
            Throttle(rate, one_way).pump(upstream_reader, client_writer),
            return_exceptions=True,
        )
        for writer in (client_writer, upstream_writer):
            writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", port)


async def _measure_ceiling(connections: int, mib_each: int) -> float:
    """MiB/s the proxy moves unthrottled through ``connections`` at once (sink upstream)."""

    async def sink(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while await reader.read(1024 * 1024):
            pass
        writer.write(b"k")
        await writer.drain()
        writer.close()

    sink_server = await asyncio.start_server(sink, "127.0.0.1", 0)
    sink_port = sink_server.sockets[0].getsockname()[1]
    proxy = await serve("127.0.0.1", sink_port, 0, 0)
    proxy_port = proxy.sockets[0].getsockname()[1]
    block = b"\x5a" * (1024 * 1024)

    async def push() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", proxy_port)
        for _ in range(mib_each):
            writer.write(block)
            await writer.drain()
        writer.write_eof()
        await reader.read(1)
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(push() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    proxy.close()
    sink_server.close()
    return connections * mib_each / elapsed


def measure_ceiling(connections: int = 10, mib_each: int = 64) -> float:
    return asyncio.run(_measure_ceiling(connections, mib_each))


async def _main(args: argparse.Namespace) -> None:
    host, _, port = args.target.rpartition(":")
    server = await serve(host, int(port), args.rate_mib, args.latency_ms, args.port)
    print(f"listening on {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--target", help="HOST:PORT to forward to")
    parser.add_argument("--rate-mib", type=float, default=8.0, help="MiB/s per connection and direction (0: none)")
    parser.add_argument("--latency-ms", type=float, default=20.0, help="round trip added per connection")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--measure-ceiling", action="store_true", help="measure the unthrottled ceiling and exit")
    parser.add_argument("--connections", type=int, default=10)
    args = parser.parse_args()
    if args.measure_ceiling:
        print(f"ceiling: {measure_ceiling(args.connections):.0f} MiB/s through {args.connections} connections")
        return 0
    if not args.target:
        parser.error("--target is required")
    asyncio.run(_main(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
