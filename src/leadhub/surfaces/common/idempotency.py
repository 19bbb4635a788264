"""The `Idempotency-Key` header on POST: the HTTP side of safe retries (the rules live in
`leadhub.domains.idempotency`).

`IdempotentRoute` is a route class. On a POST route it does two things, so no endpoint has to:

- It gives the endpoint one more dependency, `take_key`, as its last parameter, so that FastAPI
  resolves it after every other one: the key is looked at only once the credential is
  authenticated (401), within its budget (429) and holding the route's scope (403). It checks
  the header, fingerprints what the request asks for (its canonical body and query string) and
  takes the key in the request's unit of work. A key that already answered this request raises
  `_Replay`, so the endpoint never runs again.
- It wraps the route's request handler, which returns the response before the session
  dependency ends (FastAPI closes function-scoped dependencies after the handler returns): the
  answer is recorded in the transaction that did the work, and the two commit together or not at
  all. A refusal worth keeping (a 422, a 404…) is recorded after its work is rolled back.

Two requests with the same key at once: the first to take the key holds it until its
transaction ends; the second waits for that here, on the event loop, holding neither a worker
thread nor a database connection (so the one at work always has both to finish with), then
replays the first answer, or answers 409 if the first is still at work after `WAIT_SECONDS`. On
SQLite, write requests take turns anyway (turns.py, db/engine.py), so the second simply finds the
first one's record.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

import anyio
import anyio.to_thread
from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import Response

from leadhub.domains.idempotency import service as idempotency
from leadhub.domains.idempotency.schemas import (
    Busy,
    KeyScope,
    Outcome,
    Replay,
    StoredResponse,
)
from leadhub.errors import Conflict
from leadhub.surfaces.common.context import caller_of, context
from leadhub.surfaces.common.deps import SessionDep, hold_open
from leadhub.surfaces.common.threaded import ThreadedRoute

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# The headers of an answer that belong to it, and are replayed with it; the others (request id,
# rate limits) belong to each request.
KEPT_HEADERS = frozenset({"content-type", "location", "content-disposition", "content-language"})
WAIT_SECONDS = 10.0
HEADER_DESCRIPTION = (
    "Makes the POST safe to retry: the same key with the same body within 24 hours answers the "
    "first response again (with `Idempotent-Replayed: true`) without doing the work twice; the "
    "same key with another body is a 422. 1 to 255 printable ASCII characters."
)
_CLAIM = "idempotency_claim"
_PARAMETER = "idempotency_claim"
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


@dataclass(frozen=True)
class Claim:
    """A key this request took: its answer is recorded in `session`'s transaction."""

    session: Session
    scope: KeyScope
    fingerprint: str


class _NoCaller:
    """What `take_key` answers when no dependency before it resolved the caller."""


_NO_CALLER = _NoCaller()


class _Replay(Exception):
    def __init__(self, response: StoredResponse) -> None:
        super().__init__("replay")
        self.response = response


async def take_key(
    request: Request,
    session: SessionDep,
    key: Annotated[
        str | None,
        Header(
            alias=HEADER,
            description=HEADER_DESCRIPTION,
            examples=["order-7f3c2a9e-create"],
            # Documented only: take_key checks the key and answers in the surface's envelope.
            json_schema_extra={"minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"},
        ),
    ] = None,
) -> Claim | _NoCaller | None:
    """Take the request's Idempotency-Key, or replay the answer it already has."""
    if key is None:
        return None
    caller = caller_of(request)
    if caller is None:
        # The dependency that resolves the caller was not run: FastAPI goes on solving the
        # others when a request's parameters are invalid (a path id out of range), then answers
        # their error without calling the endpoint. The endpoint refuses to run without one.
        return _NO_CALLER
    scope = KeyScope(
        workspace_id=caller.workspace_id,
        actor=caller.actor,
        method=request.method,
        path=request.url.path,
        # Whitespace around a field value is not part of it (RFC 9110, 5.5).
        key=idempotency.checked_key(key.strip(" \t")),
    )
    fingerprint = await request_fingerprint(request)
    outcome = await _begin(session, scope, fingerprint)
    if isinstance(outcome, Replay):
        raise _Replay(outcome.response)
    claim = Claim(session=session, scope=scope, fingerprint=fingerprint)
    context(request)[_CLAIM] = claim
    hold_open(session)  # the answer is recorded in the same transaction, after the endpoint
    return claim


async def _begin(session: Session, scope: KeyScope, fingerprint: str) -> Outcome:
    begin = functools.partial(_try_begin, session, scope, fingerprint)
    deadline = anyio.current_time() + WAIT_SECONDS
    pause = 0.02
    while True:
        outcome = await anyio.to_thread.run_sync(begin)
        if not isinstance(outcome, Busy):
            return outcome
        if anyio.current_time() + pause > deadline:
            raise Conflict(
                "A request with this Idempotency-Key is still in progress; retry once it has "
                "finished."
            )
        await anyio.sleep(pause)
        pause = min(pause * 2, 0.5)


def _try_begin(session: Session, scope: KeyScope, fingerprint: str) -> Outcome:
    outcome = idempotency.begin(session, scope, fingerprint=fingerprint)
    if isinstance(outcome, Busy):
        # Nothing is done yet: the connection goes back to the pool while the request waits.
        session.rollback()
    return outcome


async def request_fingerprint(request: Request) -> str:
    """SHA-256 of what the request asks for: its query string and its body, both canonical (a
    JSON body's key order and spacing, a multipart body's boundary do not count)."""
    material = {
        "query": sorted(request.query_params.multi_items()),
        "body": await _body_material(request),
    }
    text = json.dumps(material, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


async def _body_material(request: Request) -> Any:
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith(_FORM_TYPES):
        # FastAPI has parsed the form already (the stream is spent); Starlette keeps it.
        form = await request.form()
        items = [(name, await _form_value(value)) for name, value in form.multi_items()]
        return sorted(items, key=lambda item: item[0])
    body = await request.body()
    if "json" in content_type:
        try:
            return {"json": json.loads(body)}
        except ValueError:
            pass
    return {"bytes": hashlib.sha256(body).hexdigest()} if body else None


async def _form_value(value: UploadFile | str) -> Any:
    if isinstance(value, str):
        return value
    digest = hashlib.sha256()
    await value.seek(0)
    while chunk := await value.read(1 << 16):
        digest.update(chunk)
    await value.seek(0)  # the endpoint reads the file next
    return {"file": value.filename, "type": value.content_type, "sha256": digest.hexdigest()}


ClaimDep = Annotated[Claim | _NoCaller | None, Depends(take_key)]


class IdempotentRoute(ThreadedRoute):
    """A route whose POST honours the `Idempotency-Key` header (see the module's docstring);
    its other methods are served as by ThreadedRoute."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        methods = {method.upper() for method in kwargs.get("methods") or ()}
        self.takes_keys = "POST" in methods
        if self.takes_keys:
            endpoint = _taking_key_last(endpoint)
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if not self.takes_keys:
            return handler

        async def handle(request: Request) -> Response:
            try:
                response = await handler(request)
            except _Replay as replay:
                return replayed(replay.response)
            except Exception as exc:
                refusal = await _recorded_refusal(request, exc)
                if refusal is None:
                    raise
                return refusal
            claim: Claim | None = context(request).get(_CLAIM)
            if claim is not None and _keepable(response):
                finish = functools.partial(_finish, claim, _stored(response))
                await anyio.to_thread.run_sync(finish)
            return response

        return handle


def _taking_key_last(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """The endpoint with `take_key` as one more, last, parameter: FastAPI resolves an
    endpoint's dependencies in the order of its parameters, so the key is taken after the
    credential and its scope are checked. The endpoint itself does not receive it."""
    try:
        signature = inspect.signature(endpoint, eval_str=True)
    except NameError:
        signature = inspect.signature(endpoint)
    parameter = inspect.Parameter(_PARAMETER, inspect.Parameter.KEYWORD_ONLY, annotation=ClaimDep)
    parameters = list(signature.parameters.values())
    if any(existing.kind is inspect.Parameter.VAR_KEYWORD for existing in parameters):
        raise TypeError(f"{endpoint.__name__}: an endpoint taking **kwargs cannot take keys")
    wrapper: Any
    if inspect.iscoroutinefunction(endpoint):

        async def run_async(*args: Any, **kwargs: Any) -> Any:
            _require_caller(endpoint, kwargs.pop(_PARAMETER, None))
            return await endpoint(*args, **kwargs)

        wrapper = run_async
    else:

        def run(*args: Any, **kwargs: Any) -> Any:
            _require_caller(endpoint, kwargs.pop(_PARAMETER, None))
            return endpoint(*args, **kwargs)

        wrapper = run
    functools.update_wrapper(wrapper, endpoint)
    wrapper.__signature__ = signature.replace(parameters=[*parameters, parameter])
    taking: Callable[..., Any] = wrapper
    return taking


def _require_caller(endpoint: Callable[..., Any], claim: object) -> None:
    if claim is _NO_CALLER:  # a route that resolves no caller cannot scope its keys
        raise RuntimeError(f"{endpoint.__name__} takes an Idempotency-Key but has no caller")


def _keepable(response: Response) -> bool:
    """An answer whose whole body is at hand (not streamed) with a status worth keeping."""
    return idempotency.is_stored(response.status_code) and isinstance(
        getattr(response, "body", None), bytes
    )


def _stored(response: Response) -> StoredResponse:
    headers = tuple(
        (name, value) for name, value in response.headers.items() if name in KEPT_HEADERS
    )
    return StoredResponse(response.status_code, headers, bytes(response.body))


def _finish(claim: Claim, response: StoredResponse) -> None:
    idempotency.finish(claim.session, claim.scope, fingerprint=claim.fingerprint, response=response)


async def _recorded_refusal(request: Request, exc: Exception) -> Response | None:
    """The error answer for `exc`, recorded for the key's retries when it is one to keep (the
    work is rolled back first); None leaves the error to the surface's handlers as usual."""
    claim: Claim | None = context(request).get(_CLAIM)
    if claim is None:
        return None
    response = await _rendered(request, exc)
    if response is None or not _keepable(response):
        return None
    record = functools.partial(_record_refusal, claim, _stored(response))
    await anyio.to_thread.run_sync(record)
    return response


def _record_refusal(claim: Claim, response: StoredResponse) -> None:
    # The edge owns the transaction: nothing the refused request wrote may stay.
    claim.session.rollback()
    idempotency.record_refusal(
        claim.session, claim.scope, fingerprint=claim.fingerprint, response=response
    )


async def _rendered(request: Request, exc: Exception) -> Response | None:
    """The error answer the surface's own exception handlers give (None: they have none)."""
    handlers, status_handlers = request.scope.get("starlette.exception_handlers", ({}, {}))
    handler = status_handlers.get(exc.status_code) if isinstance(exc, HTTPException) else None
    if handler is None:
        handler = next((handlers[kind] for kind in type(exc).__mro__ if kind in handlers), None)
    if handler is None:
        return None
    if inspect.iscoroutinefunction(handler):
        answer = await handler(request, exc)
    else:
        answer = await run_in_threadpool(handler, request, exc)
    return answer if isinstance(answer, Response) else None


def replayed(stored: StoredResponse) -> Response:
    response = Response(content=stored.body, status_code=stored.status_code)
    for name, value in stored.headers:
        response.headers.append(name, value)
    response.headers[REPLAYED_HEADER] = "true"
    return response
