"""A dedicated, bounded thread pool for blocking work (boto3), never the loop's default."""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

__all__ = ["BlockingExecutor"]

P = ParamSpec("P")
R = TypeVar("R")


class BlockingExecutor:
    """Runs blocking callables on ``max_workers`` threads named ``s3-io-N`` (or ``<name>-N``).

    Args:
        max_workers: the pool size; jobs beyond it wait for a free thread.
        name: the threads' name prefix.
    """

    def __init__(self, *, max_workers: int, name: str = "s3-io") -> None:
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self.max_workers = max_workers
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix=name)

    async def run(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """Run ``fn`` on the pool and await its result, carrying context variables along."""
        loop = asyncio.get_running_loop()
        ctx = contextvars.copy_context()
        call = functools.partial(ctx.run, fn, *args, **kwargs)
        return await loop.run_in_executor(self._pool, call)

    def shutdown(self, *, wait: bool) -> None:
        """Stop the pool; without ``wait``, queued work that has not started is dropped."""
        self._pool.shutdown(wait=wait, cancel_futures=not wait)
