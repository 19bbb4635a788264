"""Sync endpoints run in the thread pool as coroutines, so their answer is checked inline."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool


class ThreadedRoute(APIRoute):
    """FastAPI runs a plain `def` endpoint in a worker thread, then hands its return value to
    another worker thread to be checked against the response model (a microsecond's work) before
    serializing it: every hand-over to a thread and back costs more than that under load. Here
    the endpoint is wrapped in a coroutine that runs it in the thread pool itself, so FastAPI
    checks the answer where it stands."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _in_thread(endpoint)
        super().__init__(path, endpoint, **kwargs)


def _in_thread(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    async def run(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(function, *args, **kwargs)

    return run
