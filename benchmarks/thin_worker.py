"""The thinnest possible job loop, for comparison: activate, put_object, complete.

Same gateway, same S3 endpoint, same concurrency as the real worker, but no pipeline: no
input models, no secrets, no result mapping, no metrics. What the real worker loses against
this loop is the price of its runtime.

Usage: python benchmarks/thin_worker.py GATEWAY_ADDRESS S3_ENDPOINT CONCURRENCY [upload|download]
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3
import grpc
from botocore.config import Config
from pyzeebe.grpc_internals.zeebe_adapter import ZeebeAdapter

TASK_TYPE = "s3-connector:upload:1"


async def main(gateway: str, endpoint: str, concurrency: int, action_name: str = "upload") -> None:
    task_type = TASK_TYPE if action_name == "upload" else "s3-connector:download:1"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        # The driver sets the keys of its store; moto, the default store, takes any.
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "a"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "b"),
        config=Config(max_pool_connections=concurrency, s3={"addressing_style": "path"}),
    )
    pool = ThreadPoolExecutor(max_workers=concurrency)
    adapter = ZeebeAdapter(grpc.aio.insecure_channel(gateway), max_connection_retries=-1)
    running: set[asyncio.Task[None]] = set()
    loop = asyncio.get_running_loop()

    async def handle(job: object) -> None:
        action = job.variables["action"]  # type: ignore[attr-defined]
        if action_name == "upload":
            await loop.run_in_executor(
                pool, lambda: client.put_object(Bucket=action["bucket"], Key=action["key"], Body=action["document"])
            )
        else:
            await loop.run_in_executor(
                pool, lambda: client.get_object(Bucket=action["bucket"], Key=action["key"])["Body"].read()
            )
        await adapter.complete_job(job.key, {})  # type: ignore[attr-defined]

    while True:
        free = concurrency - len(running)
        if free <= 0:
            await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            continue
        async for job in adapter.activate_jobs(
            task_type=task_type,
            worker="thin",
            timeout=60_000,
            max_jobs_to_activate=free,
            variables_to_fetch=["action"],
            request_timeout=1_000,
        ):
            task = asyncio.create_task(handle(job))
            running.add(task)
            task.add_done_callback(running.discard)


if __name__ == "__main__":
    print(json.dumps({"started": True}), flush=True)
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), *sys.argv[4:5]))
