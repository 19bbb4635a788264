"""Every route the application serves, read from its routing table through every mounted
sub-application (hidden ones such as the agency's client twins included), with its surface."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute, Mount, Route

from leadhub.app import create_app
from leadhub.config import Settings
from leadhub.db.uow import Database
from leadhub.surfaces.common.deps import RequireScope, authenticate
from leadhub.surfaces.common.ratelimit import RateLimiter
from leadhub.surfaces.common.runtime import Runtime

CLIENT_TWIN = "/clients/{client_id}"
NATIVE = "native"
LEADPANTHER = "leadpanther"
LEADSOPEDIA = "leadsopedia"
LEADTRACKR = "leadtrackr"
WEB = "web"
PUBLIC = "public"  # hosted forms and pages, uploads, signed downloads, the API reference
CALLBACK = "callback"  # ad platforms' webhooks, signed by the platform
API_SURFACES = (NATIVE, LEADPANTHER, LEADSOPEDIA, LEADTRACKR)
_PREFIXES = (
    ("/api/integrations/", CALLBACK),
    ("/api/", NATIVE),
    ("/compat/leadpanther/", LEADPANTHER),
    ("/compat/leadsopedia/", LEADSOPEDIA),
    ("/compat/leadtrackr/", LEADTRACKR),
    ("/f/", PUBLIC),
    ("/m/", PUBLIC),
    ("/uploads/", PUBLIC),
    ("/downloads/", PUBLIC),
    ("/docs", PUBLIC),
    ("/openapi.json", PUBLIC),
)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # the full path template, e.g. /api/v1/clients/{client_id}/leads/{lead_id}
    surface: str
    scopes: tuple[str, ...]  # the scopes its dependencies require (RequireScope)
    keyed: bool  # whether an API key authenticates it (the `authenticate` dependency)

    @property
    def twin(self) -> bool:
        """An agency's client route: the same operation as `base`, through a grant."""
        return CLIENT_TWIN in self.path

    @property
    def base(self) -> str:
        """The path without the client selector: the key of the case table."""
        return self.path.replace(CLIENT_TWIN, "", 1)

    @property
    def key(self) -> str:
        return f"{self.method} {self.base}"

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def operations(app: FastAPI) -> list[Operation]:
    """Every method and path the app serves, mounted sub-applications included."""
    return list(_walk(app.routes, ""))


@cache
def served_operations() -> tuple[Operation, ...]:
    """The operations of an app built for this purpose alone (for test parametrisation)."""
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(data_dir=Path(scratch), secret_key="routes", base_url="http://t")
        runtime = Runtime(
            settings=settings, db=Database(f"sqlite:///{scratch}/routes.db"), limiter=RateLimiter()
        )
        return tuple(operations(create_app(settings, runtime=runtime)))


def _walk(routes: list[BaseRoute], prefix: str) -> list[Operation]:
    found: list[Operation] = []
    for context in iter_route_contexts(routes):
        original = context.original_route
        if isinstance(original, Mount):
            found.extend(_walk(list(original.routes), prefix + original.path))
        elif isinstance(original, Route):
            path = prefix + (context.path_format or original.path_format)
            scopes, keyed = _security(original if isinstance(original, APIRoute) else None)
            found.extend(
                Operation(method, path, surface_of(path), scopes, keyed)
                for method in sorted(context.methods or original.methods or ())
                if method != "HEAD"
            )
    return found


def surface_of(path: str) -> str:
    return next((surface for prefix, surface in _PREFIXES if path.startswith(prefix)), WEB)


def _security(route: APIRoute | None) -> tuple[tuple[str, ...], bool]:
    """The scopes a route requires and whether a key authenticates it: from its dependencies,
    or from `x-required-scopes` where the route authenticates in its body (form submissions)."""
    if route is None:
        return (), False
    declared = (route.openapi_extra or {}).get("x-required-scopes", [])
    scopes: list[str] = list(declared)
    keyed = bool(declared)
    pending: list[Dependant] = [route.dependant]
    while pending:
        current = pending.pop()
        call = current.call
        if isinstance(call, RequireScope):
            scopes.append(call.scope)
        if call is authenticate:
            keyed = True
        pending.extend(current.dependencies)
    return tuple(sorted(set(scopes))), keyed
