"""The public pages as sub-applications: hosted forms at /f, media uploads at /uploads, lead
magnets' hosted pages at /m."""

from __future__ import annotations

from fastapi import FastAPI

from leadhub.kit.signed import TokenSigner
from leadhub.surfaces.common.boundary import ErrorBoundary
from leadhub.surfaces.common.downloads import DOWNLOADS_PATH
from leadhub.surfaces.common.limits import RequestLimits
from leadhub.surfaces.common.links import MAGNETS_PATH, UPLOADS_PATH
from leadhub.surfaces.common.runtime import Runtime
from leadhub.surfaces.common.security import SecurityHeaders
from leadhub.surfaces.public import downloads, errors, forms, lead_magnets, upload_errors, uploads
from leadhub.surfaces.public.headers import FORM_HEADERS, MAGNET_HEADERS

FORMS_PATH = "/f"
__all__ = [
    "DOWNLOADS_PATH",
    "FORMS_PATH",
    "MAGNETS_PATH",
    "UPLOADS_PATH",
    "create_downloads_app",
    "create_forms_app",
    "create_magnets_app",
    "create_uploads_app",
]


def create_forms_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.state.runtime = runtime
    errors.install(app)
    app.add_middleware(ErrorBoundary, render=errors.server_error, unavailable=errors.unavailable)
    app.add_middleware(RequestLimits, max_body=runtime.settings.max_body_bytes)
    app.add_middleware(SecurityHeaders, headers=FORM_HEADERS)
    app.include_router(forms.router)
    return app


def create_uploads_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.state.runtime = runtime
    upload_errors.install(app)
    app.add_middleware(
        ErrorBoundary,
        render=upload_errors.server_error,
        unavailable=upload_errors.unavailable,
    )
    # An upload's size is checked against what its signed URL allows, as it streams in.
    app.add_middleware(RequestLimits, max_body=None)
    app.include_router(uploads.router)
    return app


def create_magnets_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.state.runtime = runtime
    # Signs the cookie that keeps a gated page open for the visitor who gave their email.
    app.state.unlock_signer = TokenSigner(
        runtime.settings.effective_secret_key(), purpose="magnet-unlock"
    )
    errors.install(app)
    app.add_middleware(ErrorBoundary, render=errors.server_error, unavailable=errors.unavailable)
    app.add_middleware(RequestLimits, max_body=runtime.settings.max_body_bytes)
    app.add_middleware(SecurityHeaders, headers=MAGNET_HEADERS)
    app.include_router(lead_magnets.router)
    return app


def create_downloads_app(runtime: Runtime) -> FastAPI:
    """Export files behind signed, expiring links."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.state.runtime = runtime
    downloads.install(app)
    app.add_middleware(ErrorBoundary, render=errors.server_error, unavailable=errors.unavailable)
    app.add_middleware(RequestLimits, max_body=runtime.settings.max_body_bytes)
    app.include_router(downloads.router)
    return app
