"""Leadsopedia's API as a sub-application mounted at /compat/leadsopedia."""

from __future__ import annotations

from fastapi import FastAPI

from leadhub.surfaces.common.boundary import ErrorBoundary
from leadhub.surfaces.common.limits import RequestLimits
from leadhub.surfaces.common.runtime import Runtime
from leadhub.surfaces.leadsopedia import account, contacts, downloads, errors, lists

MOUNT_PATH = "/compat/leadsopedia"
VERSION = "/v1"


def create_leadsopedia_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(title="Leadsopedia API", openapi_url=None, docs_url=None, redoc_url=None)
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
    for router in (lists.router, contacts.router, account.router):
        app.include_router(router, prefix=VERSION)
    for prefix in downloads.PREFIXES:
        app.include_router(downloads.router, prefix=VERSION + prefix)
    return app
