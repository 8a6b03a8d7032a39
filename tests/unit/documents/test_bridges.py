"""The bridges between async streams and blocking code: whole, bounded, failing and cancelled."""

from __future__ import annotations

import asyncio
import hashlib
import random
import threading
from collections.abc import AsyncIterator, Callable

import pytest

from connector.documents.bridges import AsyncToSyncReader, SyncToAsyncChunks
from connector.errors import ConnectorError
from connector.runtime.executor import BlockingExecutor

MIB = 1024 * 1024
TOTAL = 64 * MIB
CHUNK = 32 * 1024
BLOCKS = [random.Random(seed).randbytes(CHUNK) for seed in range(7)]


class TestAsyncToSyncReader:
    @pytest.mark.parametrize("max_buffered_chunks", [1, 3])
    async def test_64_mib_arrive_whole_within_the_memory_bound(self, max_buffered_chunks: int) -> None:
        loop = asyncio.get_running_loop()
        read_size = 100_000  # not a multiple of the chunk size: chunks are split across reads
        produced = hashlib.sha256()
        excess: list[int] = []

        async def source() -> AsyncIterator[bytes]:
            sent = 0
            for index in range(TOTAL // CHUNK):
                sent += CHUNK
                # Bytes pulled but not yet returned by read() never exceed the documented bound.
                excess.append(sent - reader.bytes_read - (max_buffered_chunks * CHUNK + read_size))
                produced.update(BLOCKS[index % len(BLOCKS)])
                yield BLOCKS[index % len(BLOCKS)]

        reader = AsyncToSyncReader(source(), loop, max_buffered_chunks=max_buffered_chunks)

        def consume() -> str:
            received = hashlib.sha256()
            while data := reader.read(read_size):
                received.update(data)
            return received.hexdigest()

        assert await loop.run_in_executor(None, consume) == produced.hexdigest()
        assert reader.bytes_read == TOTAL
        assert max(excess) <= 0

    async def test_read_returns_exactly_n_bytes_until_the_end_and_readall_reads_the_rest(self) -> None:
        loop = asyncio.get_running_loop()

        async def source() -> AsyncIterator[bytes]:
            for part in (b"ab", b"", b"cdefg", b"h"):
                yield part

        reader = AsyncToSyncReader(source(), loop)

        def consume() -> list[bytes]:
            buffer = bytearray(2)
            return [reader.read(3), bytes(buffer[: reader.readinto(buffer)]), reader.read(), reader.read(5)]

        assert await loop.run_in_executor(None, consume) == [b"abc", b"de", b"fgh", b""]
        assert reader.readable()

    async def test_an_error_of_the_async_side_is_raised_by_read(self) -> None:
        loop = asyncio.get_running_loop()
        failure = ConnectorError("the store went away", code="DOCUMENT_STORE_UNAVAILABLE")

        async def source() -> AsyncIterator[bytes]:
            yield b"x" * 10
            raise failure

        reader = AsyncToSyncReader(source(), loop)

        def consume() -> BaseException | None:
            try:
                while reader.read(4):
                    pass
            except ConnectorError as exc:
                return exc
            return None

        assert await loop.run_in_executor(None, consume) is failure

    async def test_close_cancels_the_pull_and_closes_the_source(self) -> None:
        loop = asyncio.get_running_loop()
        closed = asyncio.Event()

        async def endless() -> AsyncIterator[bytes]:
            try:
                yield b"first"
                await asyncio.Event().wait()  # never comes
                yield b"never"
            finally:
                closed.set()

        reader = AsyncToSyncReader(endless(), loop)
        assert await loop.run_in_executor(None, reader.read, 5) == b"first"
        await loop.run_in_executor(None, reader.close)
        await asyncio.wait_for(closed.wait(), 2)
        assert reader.closed
        with pytest.raises(ValueError):
            reader.read(1)

    async def test_close_from_another_thread_wakes_a_blocked_read(self) -> None:
        loop = asyncio.get_running_loop()

        async def stalled() -> AsyncIterator[bytes]:
            await asyncio.Event().wait()
            yield b""

        reader = AsyncToSyncReader(stalled(), loop)
        started = threading.Event()

        def blocked_read() -> str:
            started.set()
            try:
                reader.read(10)
            except ValueError as exc:
                return str(exc)
            return "returned"

        pending = loop.run_in_executor(None, blocked_read)
        await loop.run_in_executor(None, started.wait)
        await asyncio.sleep(0.05)  # let the read block; the test is correct without it too
        reader.close()
        assert "closed" in await asyncio.wait_for(pending, 2)

    async def test_reading_on_the_event_loop_thread_is_refused_instead_of_deadlocking(self) -> None:
        async def source() -> AsyncIterator[bytes]:
            yield b"x"

        reader = AsyncToSyncReader(source(), asyncio.get_running_loop())
        with pytest.raises(RuntimeError, match="worker thread"):
            reader.read(1)
        reader.close()


class CountingSource:
    """A blocking stream of TOTAL bytes that records how far reads run ahead of the consumer."""

    def __init__(self, fail_at_read: int | None = None) -> None:
        self.reads = 0
        self.consumed = 0
        self.max_ahead = 0
        self.fail_at_read = fail_at_read
        self.sent = 0
        self.digest = hashlib.sha256()

    def read(self, size: int) -> bytes:
        self.reads += 1
        self.max_ahead = max(self.max_ahead, self.reads - self.consumed)
        if self.reads == self.fail_at_read:
            raise OSError("connection reset by S3")
        if self.sent >= TOTAL:
            return b""
        data = BLOCKS[self.reads % len(BLOCKS)][:size]
        self.sent += len(data)
        self.digest.update(data)
        return data


class TestSyncToAsyncChunks:
    @pytest.mark.parametrize("max_buffered_chunks", [1, 3])
    async def test_64_mib_arrive_whole_within_the_memory_bound(self, max_buffered_chunks: int) -> None:
        executor = BlockingExecutor(max_workers=2)
        source = CountingSource()
        received = hashlib.sha256()
        async with SyncToAsyncChunks(
            source.read, executor.run, chunk_size=CHUNK, max_buffered_chunks=max_buffered_chunks
        ) as chunks:
            async for chunk in chunks:
                assert len(chunk) <= CHUNK
                received.update(chunk)
                source.consumed += 1
        executor.shutdown(wait=True)
        assert received.hexdigest() == source.digest.hexdigest()
        assert source.sent == TOTAL
        # Reads started minus chunks the consumer finished: never more than the bound.
        assert source.max_ahead <= max_buffered_chunks

    async def test_an_error_of_the_blocking_side_is_raised_by_the_iterator(self) -> None:
        executor = BlockingExecutor(max_workers=1)
        source = CountingSource(fail_at_read=3)
        seen = 0
        with pytest.raises(OSError, match="connection reset"):
            async for _ in SyncToAsyncChunks(source.read, executor.run, chunk_size=CHUNK):
                seen += 1
        assert seen == 2
        executor.shutdown(wait=True)

    async def test_aclose_does_not_wait_for_a_blocked_read(self) -> None:
        executor = BlockingExecutor(max_workers=1)
        release = threading.Event()
        calls: list[int] = []

        def stuck_read(size: int) -> bytes:
            calls.append(size)
            if len(calls) > 1:
                release.wait(5)
            return b"data"

        chunks = SyncToAsyncChunks(stuck_read, executor.run, chunk_size=4)
        assert await chunks.__anext__() == b"data"
        await asyncio.sleep(0.01)  # let the read-ahead start and block
        await asyncio.wait_for(chunks.aclose(), 1)
        with pytest.raises(StopAsyncIteration):
            await chunks.__anext__()
        release.set()
        executor.shutdown(wait=True)

    async def test_stops_at_the_first_empty_read(self) -> None:
        executor = BlockingExecutor(max_workers=1)
        parts = iter([b"a", b"bc", b"", b"never"])
        read: Callable[[int], bytes] = lambda size: next(parts)  # noqa: E731
        assert [c async for c in SyncToAsyncChunks(read, executor.run, chunk_size=8)] == [b"a", b"bc"]
        executor.shutdown(wait=True)
