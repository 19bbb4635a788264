"""LeadTrackr's API as a sub-application mounted at /compat/leadtrackr."""

from __future__ import annotations

from fastapi import FastAPI

from leadhub.surfaces.common.boundary import ErrorBoundary
from leadhub.surfaces.common.cors import PublicCors
from leadhub.surfaces.common.limits import RequestLimits
from leadhub.surfaces.common.runtime import Runtime
from leadhub.surfaces.leadtrackr import errors, routes

MOUNT_PATH = "/compat/leadtrackr"
# Browsers on any site post leads here with the project's public id, without a key.
CREATE_LEAD_PATH = "/api/leads/createLead"


def create_leadtrackr_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(title="LeadTrackr API", openapi_url=None, docs_url=None, redoc_url=None)
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
    app.add_middleware(PublicCors, path_pattern=CREATE_LEAD_PATH)
    app.include_router(routes.router)
    return app
