"""create_app(settings): one ASGI application serving every surface from one port."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

import leadhub
from leadhub.config import Settings
from leadhub.surfaces.common.context import ResponseContextMiddleware
from leadhub.surfaces.common.openapi import merged_schema
from leadhub.surfaces.common.reference import reference_page
from leadhub.surfaces.common.routing import surface_at
from leadhub.surfaces.common.runtime import Runtime
from leadhub.surfaces.common.security import BASELINE, HttpsResponses, SecurityHeaders
from leadhub.surfaces.leadpanther.app import MOUNT_PATH as LEADPANTHER_PATH
from leadhub.surfaces.leadpanther.app import create_leadpanther_app
from leadhub.surfaces.leadsopedia.app import MOUNT_PATH as LEADSOPEDIA_PATH
from leadhub.surfaces.leadsopedia.app import create_leadsopedia_app
from leadhub.surfaces.leadtrackr.app import MOUNT_PATH as LEADTRACKR_PATH
from leadhub.surfaces.leadtrackr.app import create_leadtrackr_app
from leadhub.surfaces.native.app import MOUNT_PATH as NATIVE_PATH
from leadhub.surfaces.native.app import create_native_app
from leadhub.surfaces.public.app import (
    DOWNLOADS_PATH,
    FORMS_PATH,
    MAGNETS_PATH,
    UPLOADS_PATH,
    create_downloads_app,
    create_forms_app,
    create_magnets_app,
    create_uploads_app,
)
from leadhub.surfaces.web.app import create_web_app

DESCRIPTION = (
    "LeadHub's native REST API. Authenticate with `Authorization: Bearer lh_…` or "
    "`X-Api-Key: lh_…`. Every authenticated response carries `X-RateLimit-Limit`, "
    "`X-RateLimit-Remaining` and `X-RateLimit-Reset`. Every POST of the native API and of "
    "inbound intake takes an optional `Idempotency-Key` header: the same request sent again "
    "with the key within 24 hours answers the first answer again (with "
    "`Idempotent-Replayed: true`) without doing the work twice; the key with another request is "
    "a 422. Successes and refusals of the request itself (400, 404, 413, 415, 422) are kept; "
    "5xx, 401, 402, 403, 409 and 429 are not, so a retry can succeed."
)


def create_app(
    settings: Settings | None = None,
    runtime: Runtime | None = None,
    *,
    consume_jobs: bool = False,
) -> FastAPI:
    """The whole LeadHub node for these settings (tests build their own).

    With `consume_jobs`, the job consumer runs in this process while it serves (`leadhub serve`).
    """
    settings = settings or Settings()
    runtime = runtime or Runtime.build(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # What the app serves, as its requests find it (app.state), not what it was built with.
        serving: Runtime = app.state.runtime
        serving.usage.start()  # API calls are written every few seconds, and at shutdown
        serving.db.deferred.start()  # so are the searches' records
        if consume_jobs:
            serving.jobs.start_consumer()
        try:
            yield
        finally:
            if consume_jobs:
                # Jobs in flight finish; the ones that cannot return to pending for the sweep.
                serving.jobs.stop_consumer()
            serving.close()

    app = FastAPI(
        title="LeadHub",
        version=leadhub.__version__,
        lifespan=lifespan,
        docs_url=None,  # served below, under a policy of its own
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.runtime = runtime

    @app.get("/docs", include_in_schema=False)
    async def _reference(request: Request) -> Response:
        root = request.scope.get("root_path", "")
        return reference_page(f"{root}/openapi.json", "LeadHub - Swagger UI")

    surfaces = [
        (NATIVE_PATH, create_native_app(runtime)),
        (LEADPANTHER_PATH, create_leadpanther_app(runtime)),
        (LEADSOPEDIA_PATH, create_leadsopedia_app(runtime)),
        (LEADTRACKR_PATH, create_leadtrackr_app(runtime)),
    ]
    for path, surface in surfaces:
        app.mount(path, surface)
    app.mount(FORMS_PATH, create_forms_app(runtime))
    app.mount(UPLOADS_PATH, create_uploads_app(runtime))
    app.mount(MAGNETS_PATH, create_magnets_app(runtime))
    app.mount(DOWNLOADS_PATH, create_downloads_app(runtime))
    # Last: the web app answers every path the other surfaces do not.
    app.mount("/", create_web_app(runtime))

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = merged_schema(
                title="LeadHub",
                version=leadhub.__version__,
                description=DESCRIPTION,
                surfaces=surfaces,
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.exception_handler(StarletteHTTPException)
    async def _unrouted(request: Request, exc: StarletteHTTPException) -> Response:
        """A request no surface's mount took: the surface its path names answers it."""
        surface = surface_at(app.routes, request.url.path)
        handler = surface.exception_handlers.get(StarletteHTTPException) if surface else None
        if handler is None:
            return await http_exception_handler(request, exc)
        response: Response = await handler(request, exc)
        return response

    app.add_middleware(ResponseContextMiddleware)
    app.add_middleware(SecurityHeaders, headers=BASELINE)
    app.add_middleware(
        HttpsResponses,
        always=settings.effective_base_url.startswith("https://"),
        hsts_seconds=settings.hsts_seconds,
    )
    if settings.trusted_proxy_list:
        # Outermost: the client's address and scheme are known before anything else runs.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list)
    logging.getLogger("leadhub").setLevel(logging.INFO)
    return app


def create_app_from_env() -> FastAPI:
    """Factory for `leadhub serve` workers: settings from the environment, jobs consumed here."""
    return create_app(Settings(), consume_jobs=True)
