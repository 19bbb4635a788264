"""The native API as a sub-application mounted at /api."""

from __future__ import annotations

from fastapi import FastAPI

from leadhub.surfaces.common.boundary import ErrorBoundary
from leadhub.surfaces.common.cors import PublicCors
from leadhub.surfaces.common.runtime import Runtime
from leadhub.surfaces.native import errors
from leadhub.surfaces.native.routes import (
    automations,
    facebook,
    forms,
    google,
    health,
    inbound,
    integrations,
    leads,
    pipelines,
    tags,
    users,
    webhooks,
)

MOUNT_PATH = "/api"
ROUTERS = (
    health.router,
    leads.router,
    pipelines.router,
    tags.router,
    users.router,
    forms.router,
    automations.router,
    integrations.router,
    webhooks.router,
    inbound.router,
    facebook.router,
    google.router,
)


def create_native_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(title="LeadHub API", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.runtime = runtime
    errors.install(app)
    app.add_middleware(ErrorBoundary, render=errors.server_error)
    # Browsers on any site may post a form's submissions with its public key.
    app.add_middleware(PublicCors, path_pattern=r"/v1/forms/\d+/submissions")
    for router in ROUTERS:
        app.include_router(router)
    return app
