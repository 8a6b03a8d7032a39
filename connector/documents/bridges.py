"""Bounded bridges between the event loop and blocking code, for document bytes.

Documents flow between the Camunda document store (async, httpx) and S3 (blocking, boto3 on
the ``BlockingExecutor``). Neither side ever holds a whole document: the bridges pass chunks
through small bounded buffers, so memory per transfer is a constant (formulas in each class),
whatever the document size.

    document store --aiter_bytes--> AsyncToSyncReader --read(n)--> the uploader (a thread)
    S3 body read (a thread) --> SyncToAsyncChunks --async for--> document store create
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

__all__ = ["AsyncToSyncReader", "SyncToAsyncChunks"]


class _End:
    """Marks the end of a stream in a queue; ``error`` set when the source failed."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


class AsyncToSyncReader(io.RawIOBase):
    """A blocking, read-only file object over an async iterator of byte chunks.

    A worker thread hands it to the uploader; each ``read`` pulls chunks from
    ``chunks`` on ``loop`` through ``asyncio.run_coroutine_threadsafe``. A pump task on the
    loop reads ahead, but only while fewer than ``max_buffered_chunks`` chunks are held.

    Memory bound: ``max_buffered_chunks * chunk_size + n`` bytes, where ``chunk_size`` is
    the largest chunk the iterator yields and ``n`` the size of one ``read(n)`` (the chunk
    being copied out counts as held until fully consumed). ``read()`` without a size reads
    to the end and so holds the rest of the stream: only do that for small objects.

    ``read(n)`` returns exactly ``n`` bytes unless the stream ends (as a buffered file would),
    because the uploader sizes multipart parts by its reads. An exception raised by
    the async side is raised by ``read``. ``close`` cancels the pump and closes ``chunks``.

    Args:
        chunks: the source, e.g. ``DocumentStream.aiter_bytes()``; empty chunks are skipped.
        loop: the running event loop that owns ``chunks``; never call ``read`` on it.
        max_buffered_chunks: chunks held at most (read ahead plus the one being consumed).
    """

    def __init__(
        self, chunks: AsyncIterator[bytes], loop: asyncio.AbstractEventLoop, *, max_buffered_chunks: int = 2
    ) -> None:
        super().__init__()
        if max_buffered_chunks < 1:
            raise ValueError("max_buffered_chunks must be at least 1")
        self._chunks = chunks
        self._loop = loop
        self._slots = asyncio.Semaphore(max_buffered_chunks)
        self._queue: asyncio.Queue[bytes | _End] = asyncio.Queue()
        self._pump: concurrent.futures.Future[None] | None = None
        self._current = memoryview(b"")
        self._ended: _End | None = None
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        """Fill ``buffer`` completely unless the stream ends; return the bytes written.

        Raises:
            RuntimeError: called on the event loop's own thread (it would deadlock).
            Exception: whatever the async iterator raised.
        """
        view = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(view):
            if not self._current and not self._next_chunk():
                break
            count = min(len(self._current), len(view) - filled)
            view[filled : filled + count] = self._current[:count]
            self._current = self._current[count:]
            filled += count
            if not self._current:
                self._release()
        self.bytes_read += filled
        return filled

    def read(self, size: int | None = -1, /) -> bytes:
        """Exactly ``size`` bytes unless the stream ends, copied once (``RawIOBase.read``
        would fill a buffer and copy it again: two parts in memory for each part read)."""
        if size is None or size < 0:
            return self.readall()
        pieces: list[memoryview] = []
        remaining = size
        while remaining > 0:
            if not self._current and not self._next_chunk():
                break
            count = min(len(self._current), remaining)
            pieces.append(self._current[:count])
            self._current = self._current[count:]
            remaining -= count
            if not self._current:
                self._release()
        self.bytes_read += size - remaining
        return b"".join(pieces)

    def _next_chunk(self) -> bool:
        if self._ended is None:
            self._ensure_pump()
            item = asyncio.run_coroutine_threadsafe(self._queue.get(), self._loop).result()
            if isinstance(item, _End):
                self._ended = item
            else:
                self._current = memoryview(item)
                return True
        if self._ended.error is not None:
            raise self._ended.error
        return False

    def _ensure_pump(self) -> None:
        if self.closed:
            raise ValueError("read from a closed AsyncToSyncReader")
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            raise RuntimeError("AsyncToSyncReader must be read from a worker thread, not its event loop")
        if self._pump is None:
            self._pump = asyncio.run_coroutine_threadsafe(self._run_pump(), self._loop)

    async def _run_pump(self) -> None:
        try:
            while True:
                # Wait for room before pulling, so the chunk in hand counts against the bound.
                await self._slots.acquire()
                try:
                    chunk = await anext(self._chunks)
                except StopAsyncIteration:
                    self._queue.put_nowait(_End())
                    return
                if not chunk:
                    self._slots.release()
                    continue
                self._queue.put_nowait(chunk)
        except Exception as exc:
            self._queue.put_nowait(_End(exc))
        finally:
            aclose = getattr(self._chunks, "aclose", None)
            if aclose is not None:
                await aclose()

    def _release(self) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is already closed: nothing to wake
            self._loop.call_soon_threadsafe(self._slots.release)

    def close(self) -> None:
        """Stop pulling from the async side and release its resources; idempotent."""
        if self.closed:
            return
        if self._pump is not None:
            self._pump.cancel()
        with contextlib.suppress(RuntimeError):
            # Wake a read blocked in another thread; it then sees the end of the stream.
            self._loop.call_soon_threadsafe(self._queue.put_nowait, _End(ValueError("the reader was closed")))
        self._current = memoryview(b"")
        super().close()


class SyncToAsyncChunks:
    """An async iterator of chunks read from a blocking stream on an executor.

    ``read(chunk_size)`` runs through ``executor_run`` (e.g. ``BlockingExecutor.run``),
    one call at a time, in order; iteration stops at the first ``b""``. A background task
    reads ahead while fewer than ``max_buffered_chunks`` chunks are held; the chunk last
    handed out counts as held until the consumer asks for the next one.

    Memory bound: ``max_buffered_chunks * chunk_size`` bytes (``read`` returns at most
    ``chunk_size``), provided the consumer drops each chunk before asking for the next.

    An exception raised by ``read`` is raised by ``__anext__``. ``aclose`` cancels the
    read-ahead without waiting for a ``read`` already running in a thread; close the
    underlying stream afterwards to end that read.
    """

    def __init__(
        self,
        read: Callable[[int], bytes],
        executor_run: Callable[[Callable[[], bytes]], Awaitable[bytes]],
        *,
        chunk_size: int,
        max_buffered_chunks: int = 2,
    ) -> None:
        if chunk_size < 1 or max_buffered_chunks < 1:
            raise ValueError("chunk_size and max_buffered_chunks must be at least 1")
        self._read = functools.partial(read, chunk_size)
        self._run = executor_run
        self._slots = asyncio.Semaphore(max_buffered_chunks)
        self._queue: asyncio.Queue[bytes | _End] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._holding = False
        self._ended: _End | None = None

    def __aiter__(self) -> SyncToAsyncChunks:
        return self

    async def __anext__(self) -> bytes:
        """The next chunk. Raises ``StopAsyncIteration`` at the end, or what ``read`` raised."""
        if self._holding:  # the consumer is done with the previous chunk
            self._holding = False
            self._slots.release()
        if self._ended is None:
            if self._task is None:
                self._task = asyncio.ensure_future(self._pump())
            item = await self._queue.get()
            if not isinstance(item, _End):
                self._holding = True
                return item
            self._ended = item
        if self._ended.error is not None:
            raise self._ended.error
        raise StopAsyncIteration

    async def _pump(self) -> None:
        try:
            while True:
                await self._slots.acquire()
                chunk = await self._run(self._read)
                if not chunk:
                    self._queue.put_nowait(_End())
                    return
                self._queue.put_nowait(chunk)
        except Exception as exc:
            self._queue.put_nowait(_End(exc))

    async def aclose(self) -> None:
        """Cancel the read-ahead; further iteration ends. Idempotent."""
        if self._ended is None:
            self._ended = _End()
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def __aenter__(self) -> SyncToAsyncChunks:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
