"""What a surface's error handlers ask of its routing table."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import BaseRoute, Match, Mount

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of this application serves at the request's path.

    Starlette's 405 names only the methods of the first route that matched the path.
    """
    routes = request.app.router.routes
    return [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes
        )
    ]


def surface_at(routes: list[BaseRoute], path: str) -> Starlette | None:
    """The mounted surface whose prefix the path starts with (the longest one).

    A path that no mount matched (Starlette's mounts do not match a path with a line feed in it)
    still belongs to the surface its prefix names, which answers its errors.
    """
    surfaces = [
        (len(route.path), route.app)
        for route in routes
        if isinstance(route, Mount)
        and isinstance(route.app, Starlette)
        and (path == route.path or path.startswith(route.path.rstrip("/") + "/"))
    ]
    return max(surfaces, key=lambda found: found[0])[1] if surfaces else None
