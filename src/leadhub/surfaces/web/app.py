"""The web app as a sub-application mounted at /, served on the same services as the API."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from leadhub.surfaces.common.boundary import ErrorBoundary
from leadhub.surfaces.common.limits import RequestLimits, upload_limit
from leadhub.surfaces.common.runtime import Runtime
from leadhub.surfaces.common.security import BASELINE, SecurityHeaders, csp
from leadhub.surfaces.web import errors
from leadhub.surfaces.web.render import STATIC
from leadhub.surfaces.web.routes import (
    account,
    auth,
    automations,
    clients,
    conversions,
    dashboard,
    exports,
    forms,
    imports,
    inbox,
    lead_magnet_analytics,
    lead_magnets,
    leads,
    lists,
    pipelines,
    posts,
    settings,
    webhooks,
)

SESSION_COOKIE = "leadhub_session"
# The import wizard's upload takes a file as large as LEADHUB_IMPORT_MAX_BYTES.
IMPORT_UPLOAD_PATH = "/imports"
SESSION_DAYS = 14
# Scripts only from the app's own files (no inline script, handler or eval); inline styles stay
# allowed for the charts' SVG and a few custom properties. Only the app frames its own pages
# (the form preview frames /f); nobody frames the app.
HEADERS = {
    **BASELINE,
    "Content-Security-Policy": csp(
        default_src="'self'",
        script_src="'self'",
        style_src="'self' 'unsafe-inline'",
        img_src="'self' https: data:",
        connect_src="'self'",
        frame_src="'self'",
        object_src="'none'",
        form_action="'self'",
        base_uri="'none'",
        frame_ancestors="'none'",
    ),
    "X-Frame-Options": "DENY",
}
ROUTERS = [
    account.router,
    auth.router,
    automations.router,
    clients.router,
    conversions.router,
    dashboard.router,
    exports.router,
    pipelines.router,
    forms.router,
    imports.router,
    inbox.router,
    lead_magnets.router,
    lead_magnet_analytics.router,
    leads.router,
    lists.router,
    posts.router,
    settings.router,
    webhooks.router,
]


def create_web_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.state.runtime = runtime
    errors.install(app)
    app.add_middleware(ErrorBoundary, render=errors.server_error, unavailable=errors.unavailable)
    settings = runtime.settings
    app.add_middleware(
        RequestLimits,
        max_body=settings.max_body_bytes,
        larger={IMPORT_UPLOAD_PATH: upload_limit(settings.import_max_bytes)},
    )
    # Signed (itsdangerous), HttpOnly, SameSite=Lax; the root application adds Secure whenever
    # the request came over HTTPS.
    app.add_middleware(
        SessionMiddleware,
        secret_key=runtime.settings.effective_secret_key(),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_DAYS * 24 * 3600,
        same_site="lax",
    )
    app.add_middleware(SecurityHeaders, headers=HEADERS)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)
    return app
