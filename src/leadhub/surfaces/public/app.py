"""The hosted forms as a sub-application mounted at /f."""

from __future__ import annotations

from fastapi import FastAPI

from leadhub.surfaces.common.boundary import ErrorBoundary
from leadhub.surfaces.common.runtime import Runtime
from leadhub.surfaces.public import errors, forms

FORMS_PATH = "/f"


def create_forms_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.state.runtime = runtime
    errors.install(app)
    app.add_middleware(ErrorBoundary, render=errors.server_error)
    app.include_router(forms.router)
    return app
