"""LeadPanther's API v1 as a sub-application mounted at /compat/leadpanther.

The workspace routes answer directly under /api/v1 and, for an agency acting through its grant
on a client, under /api/v1/clients/{clientId}/…; every other path is a 404 in LeadPanther's shape.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI

from leadhub.surfaces.common.boundary import ErrorBoundary
from leadhub.surfaces.common.clients import CLIENT_PREFIX, client_path
from leadhub.surfaces.common.limits import RequestLimits
from leadhub.surfaces.common.runtime import Runtime
from leadhub.surfaces.leadpanther import errors, routes

MOUNT_PATH = "/compat/leadpanther"
VERSION = "/api/v1"


def create_leadpanther_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(title="LeadPanther API", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.runtime = runtime
    errors.install(app)
    app.add_middleware(ErrorBoundary, render=errors.server_error, unavailable=errors.unavailable)
    # Routes check their paths themselves (ThreadedRoute), naming the parameter.
    app.add_middleware(
        RequestLimits,
        max_body=runtime.settings.max_body_bytes,
        single_values=True,
        check_path=False,
    )
    app.include_router(routes.account_router, prefix=VERSION)
    app.include_router(routes.workspace_router, prefix=VERSION)
    # The client twins are the same operations; the API reference documents them once.
    app.include_router(
        routes.workspace_router,
        prefix=VERSION + CLIENT_PREFIX,
        dependencies=[Depends(client_path)],
        include_in_schema=False,
    )
    return app
