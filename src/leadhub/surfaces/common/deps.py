"""FastAPI dependencies every API surface uses: the session, the principal, its scopes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import nullcontext
from typing import Annotated

import anyio.to_thread
from anyio import CancelScope, CapacityLimiter
from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.auth.scopes import canonical
from leadhub.db.uow import UnitOfWork
from leadhub.domains.account import usage
from leadhub.domains.apikeys import service as apikeys
from leadhub.domains.grants import clients
from leadhub.domains.idempotency.schemas import actor_of
from leadhub.errors import RateLimited
from leadhub.kit.clock import utcnow
from leadhub.surfaces.common.context import Caller, set_budget, set_caller
from leadhub.surfaces.common.runtime import Runtime

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Where a request's session keeps its unit of work, and whether the route holds it open.
_UNIT = "leadhub.request_unit"
_HELD = "leadhub.request_unit_held"

bearer_scheme = HTTPBearer(
    auto_error=False, scheme_name="bearerAuth", description="`Authorization: Bearer lh_…`"
)
api_key_scheme = APIKeyHeader(
    name="X-Api-Key", auto_error=False, scheme_name="apiKeyHeader", description="`X-Api-Key: lh_…`"
)


# Dependencies that never block are `async def`: FastAPI runs each sync dependency in the thread
# pool, and every such hop (a hand-over to a worker thread and back) cost more CPU than the
# dependency itself.


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_session(request: Request, runtime: RuntimeDep) -> AsyncIterator[Session]:
    """One unit of work per request, committed before the response is sent.

    Opening it only makes a Session (the connection is taken by its first statement), so that
    happens here. Ending it (commit or rollback) blocks: a plain endpoint's route ends it in the
    worker thread that ran the endpoint, once it returns (`end_in_thread`); any other ends here,
    in a worker thread, shielded from cancellation and with a limiter of its own (as FastAPI
    closes sync dependencies: a full thread pool must not keep a connection from going back to
    its pool). A write request first waits for its turn where the database has one writer at a
    time (turns.py).
    """
    write = request.method not in _READ_METHODS
    async with runtime.write_turns.turn() if write else nullcontext():
        unit = runtime.db.begin(write=write)
        unit.session.info[_UNIT] = unit
        try:
            yield unit.session
        except BaseException as exc:
            await _end(unit, exc)
            raise
        await _end(unit, None)


async def _end(unit: UnitOfWork, error: BaseException | None) -> None:
    if unit.ended:
        return
    with CancelScope(shield=True):
        await anyio.to_thread.run_sync(unit.end, error, limiter=CapacityLimiter(1))


def end_in_thread(session: Session, error: BaseException | None) -> None:
    """End the request's unit of work in the worker thread that ran its endpoint (a hand-over
    to a thread and back costs more than most reads), unless it is held open for more."""
    unit = session.info.get(_UNIT)
    if isinstance(unit, UnitOfWork) and not session.info.get(_HELD):
        unit.end(error)


def hold_open(session: Session) -> None:
    """Keep the request's unit of work open after its endpoint: the route has more to write in
    its transaction (an idempotent answer is recorded with the work that made it)."""
    session.info[_HELD] = True


# scope="function": the unit of work ends (commits) when the route returns, before the response.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def authenticate(
    request: Request,
    runtime: RuntimeDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
) -> Principal:
    """The caller behind the key in either header, charged one request of its hourly budget and
    one call of its workspace's monthly quota (counted in this node's usage meter)."""
    raw = bearer.credentials if bearer is not None else api_key
    with runtime.db.reading() as connection:
        found = apikeys.authenticate(connection, raw)
    budget = runtime.limiter.hit(found.limiter_key, found.rate_limit)
    set_budget(request, budget)
    if not budget.allowed:
        raise RateLimited(budget.retry_after)
    _check_quota(runtime, found)
    runtime.usage.count(found.principal.workspace_id, found.key_id)
    if apikeys.needs_touch(found.last_used_at):
        with runtime.db.unit_of_work() as session:
            apikeys.touch(session, found.key_id)
    principal = found.principal
    client_id = request.path_params.get("client_id")
    if client_id is not None:
        # An agency's `/clients/{client_id}/…` route: the key acts on the client through its grant.
        with runtime.db.unit_of_work(write=False) as session:
            principal = clients.for_client(session, found.principal, str(client_id))
    set_caller(request, Caller(principal.workspace_id, actor_of(principal)))
    return principal


def _check_quota(runtime: Runtime, found: apikeys.Authenticated) -> None:
    """RateLimited until next month once the workspace's calls this month reach its quota."""
    quota = found.monthly_quota
    if quota is None:
        return
    if runtime.usage.month_calls(found.principal.workspace_id) >= quota:
        now = utcnow()
        raise RateLimited(
            usage.seconds_until_next_month(now),
            f"The monthly quota of {quota:,} API calls is used up; it renews on "
            f"{usage.next_month_start(now):%d %b %Y} (UTC).",
        )


class RequireScope:
    """A dependency that admits a principal holding `scope`; the OpenAPI lists it per route."""

    def __init__(self, scope: str) -> None:
        self.scope = canonical(scope)

    async def __call__(self, principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        principal.require(self.scope)
        return principal
