"""FastAPI dependencies every API surface uses: the session, the principal, its scopes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.auth.scopes import canonical
from leadhub.domains.apikeys import service as apikeys
from leadhub.domains.grants import clients
from leadhub.errors import RateLimited
from leadhub.surfaces.common.context import set_budget
from leadhub.surfaces.common.runtime import Runtime

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer_scheme = HTTPBearer(
    auto_error=False, scheme_name="bearerAuth", description="`Authorization: Bearer lh_…`"
)
api_key_scheme = APIKeyHeader(
    name="X-Api-Key", auto_error=False, scheme_name="apiKeyHeader", description="`X-Api-Key: lh_…`"
)


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_session(request: Request, runtime: RuntimeDep) -> Iterator[Session]:
    """One unit of work per request, committed before the response is sent."""
    with runtime.db.unit_of_work(write=request.method not in _READ_METHODS) as session:
        yield session


# scope="function": the unit of work ends (commits) when the route returns, before the response.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def authenticate(
    request: Request,
    runtime: RuntimeDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
) -> Principal:
    """The caller behind the key in either header, charged one request of its hourly budget."""
    raw = bearer.credentials if bearer is not None else api_key
    with runtime.db.unit_of_work(write=False) as session:
        found = apikeys.authenticate(session, raw)
    budget = runtime.limiter.hit(found.limiter_key, found.rate_limit)
    set_budget(request, budget)
    if not budget.allowed:
        raise RateLimited(budget.retry_after)
    if apikeys.needs_touch(found.last_used_at):
        with runtime.db.unit_of_work() as session:
            apikeys.touch(session, found.key_id)
    client_id = request.path_params.get("client_id")
    if client_id is None:
        return found.principal
    # An agency's `/clients/{client_id}/…` route: the key acts on the client through its grant.
    with runtime.db.unit_of_work(write=False) as session:
        return clients.for_client(session, found.principal, str(client_id))


class RequireScope:
    """A dependency that admits a principal holding `scope`; the OpenAPI lists it per route."""

    def __init__(self, scope: str) -> None:
        self.scope = canonical(scope)

    def __call__(self, principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        principal.require(self.scope)
        return principal
