"""Settings: the overview page, and every settings section's routes under /settings."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from leadhub.surfaces.web.routes import (
    settings_clients,
    settings_conversion_labels,
    settings_integrations,
    settings_keys,
    settings_privacy,
    settings_tags,
    settings_users,
    settings_workspace,
)
from leadhub.surfaces.web.routes.settings_common import settings_page
from leadhub.surfaces.web.session import CurrentUser

router = APIRouter()


@router.get("/settings", response_class=HTMLResponse, name="settings")
def settings_index(request: Request, user: CurrentUser) -> HTMLResponse:
    """The settings sections this person may use."""
    return settings_page(request, "settings/index.html", user, section=None)


for section_router in (
    settings_workspace.router,
    settings_users.router,
    settings_keys.router,
    settings_integrations.router,
    settings_tags.router,
    settings_conversion_labels.router,
    settings_clients.router,
    settings_privacy.router,
):
    router.include_router(section_router)
