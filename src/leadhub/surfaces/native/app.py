"""The native API as a sub-application mounted at /api."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from leadhub.surfaces.common import idempotency
from leadhub.surfaces.common.boundary import ErrorBoundary
from leadhub.surfaces.common.clients import CLIENT_PREFIX, client_path
from leadhub.surfaces.common.cors import PublicCors
from leadhub.surfaces.common.limits import RequestLimits, upload_limit
from leadhub.surfaces.common.runtime import Runtime
from leadhub.surfaces.native import errors
from leadhub.surfaces.native.routes import (
    account,
    activity,
    agency,
    automations,
    conversions,
    exports,
    facebook,
    forms,
    google,
    health,
    imports,
    inbound,
    integrations,
    lead_magnets,
    leads,
    lists,
    media,
    pipelines,
    posts,
    privacy,
    social_leads,
    tags,
    users,
    webhooks,
)

MOUNT_PATH = "/api"
VERSION = "/v1"
# An import's file may be larger than any other body (LEADHUB_IMPORT_MAX_BYTES).
IMPORTS_PATH = r"/v1(/clients/[^/]+)?/imports"
# The workspace's resources: served at /v1/…, and for an agency at /v1/clients/{client_id}/….
WORKSPACE_ROUTERS = (
    leads.router,
    pipelines.router,
    tags.router,
    lists.router,
    imports.router,
    exports.router,
    users.router,
    forms.router,
    automations.router,
    integrations.router,
    conversions.router,
    webhooks.router,
    media.router,
    lead_magnets.router,
    activity.router,
    social_leads.router,
    posts.router,
    account.router,
    privacy.router,
)
VERSION_ROUTERS = (health.router, agency.router)
# Outside /v1: inbound intake and the ad platforms' callbacks.
OTHER_ROUTERS = (inbound.router, facebook.router, google.router)


def create_native_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(title="LeadHub API", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.runtime = runtime
    errors.install(app)
    app.add_middleware(ErrorBoundary, render=errors.server_error, unavailable=errors.unavailable)
    settings = runtime.settings
    app.add_middleware(
        RequestLimits,
        max_body=settings.max_body_bytes,
        larger={IMPORTS_PATH: upload_limit(settings.import_max_bytes)},
        single_values=True,
        check_path=False,  # the routes check it (ThreadedRoute), naming the parameter
    )
    # Browsers on any site may post a form's submissions with its public key (and make them
    # safe to retry).
    app.add_middleware(
        PublicCors,
        path_pattern=r"/v1/forms/\d+/submissions",
        allow_headers=(idempotency.HEADER,),
        expose_headers=(idempotency.REPLAYED_HEADER,),
    )
    # Routes are matched one by one in this order: intake, the busiest write, comes first.
    for router in OTHER_ROUTERS:
        app.include_router(router)
    for router in (*VERSION_ROUTERS, *WORKSPACE_ROUTERS):
        app.include_router(router, prefix=VERSION)
    for router in WORKSPACE_ROUTERS:
        # The twins are the same operations; the API reference documents them once.
        app.include_router(
            router,
            prefix=VERSION + CLIENT_PREFIX,
            dependencies=[Depends(client_path)],
            include_in_schema=False,
        )
    return app
