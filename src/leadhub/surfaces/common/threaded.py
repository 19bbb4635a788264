"""The API surfaces' route class: sync endpoints run in the thread pool as coroutines (so their
answer is checked inline), their unit of work opens after everything else they depend on, and
JSON bodies are read strictly."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, get_args, get_origin

from fastapi import params
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from leadhub.surfaces.common.bodies import StrictJsonRequest
from leadhub.surfaces.common.deps import end_in_thread, get_session
from leadhub.surfaces.common.limits import path_problem


class ThreadedRoute(APIRoute):
    """The API surfaces' route: a path that is not UTF-8 or holds a NUL is refused, naming the
    parameter that holds it, and the JSON body is read strictly (see StrictJsonRequest).

    FastAPI runs a plain `def` endpoint in a worker thread, then hands its return value to
    another worker thread to be checked against the response model (a microsecond's work) before
    serializing it: every hand-over to a thread and back costs more than that under load. Here
    the endpoint is wrapped in a coroutine that runs it in the thread pool itself, so FastAPI
    checks the answer where it stands.

    The endpoint's unit of work ends (commits) in that same thread as soon as it returns,
    instead of in one more worker thread when FastAPI closes the session's dependency.

    FastAPI resolves an endpoint's dependencies in the order of its parameters. The session's
    comes last here: on SQLite a write request's unit of work holds the process's write turn
    (turns.py), and the caller's key, rate limit and scope are checked, and any other
    dependency resolved, before it takes that turn, not while every other writer waits."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _in_thread(endpoint)
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handle_strictly(request: Request) -> Response:
            if (problem := path_problem(request.scope)) is not None:
                raise RequestValidationError([problem])
            return await handle(StrictJsonRequest(request.scope, request.receive))

        return handle_strictly


def _in_thread(function: Callable[..., Any]) -> Callable[..., Any]:
    signature, sessions = _session_last(function)

    @functools.wraps(function)
    async def run(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(_ending_units, function, sessions, args, kwargs)

    run.__signature__ = signature  # type: ignore[attr-defined]
    return run


def _ending_units(
    function: Callable[..., Any],
    sessions: tuple[str, ...],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Any:
    """The endpoint's answer, its unit of work ended in this same thread."""
    try:
        answer = function(*args, **kwargs)
    except BaseException as exc:
        for name in sessions:
            end_in_thread(kwargs[name], exc)
        raise
    for name in sessions:
        end_in_thread(kwargs[name], None)
    return answer


def _session_last(function: Callable[..., Any]) -> tuple[inspect.Signature, tuple[str, ...]]:
    """The function's signature with its session parameter moved to the end (keyword-only, so
    any order of defaults stays valid; FastAPI calls endpoints by keyword), and its name."""
    try:
        signature = inspect.signature(function, eval_str=True)
    except NameError:
        return inspect.signature(function), ()
    sessions = [p for p in signature.parameters.values() if _is_session(p.annotation)]
    if not sessions:
        return signature, ()
    rest = [p for p in signature.parameters.values() if p not in sessions]
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in rest):
        return signature, ()
    moved = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in sessions]
    return signature.replace(parameters=[*rest, *moved]), tuple(p.name for p in sessions)


def _is_session(annotation: Any) -> bool:
    if get_origin(annotation) is not Annotated:
        return False
    return any(
        isinstance(found, params.Depends) and found.dependency is get_session
        for found in get_args(annotation)[1:]
    )
