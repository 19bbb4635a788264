"""Settings → API keys: create (the key is shown once), list and revoke (owners and admins)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from leadhub.auth.scopes import ACTIONS, ALL, RESOURCES
from leadhub.domains.apikeys import service as apikeys
from leadhub.errors import Invalid
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.web.render import redirect
from leadhub.surfaces.web.routes.settings_common import Posted, settings_page, text, texts
from leadhub.surfaces.web.session import AdminUser, Csrf, flash, seal, unseal

router = APIRouter(prefix="/settings/api-keys")
KeyId = Annotated[int, Path(ge=1, le=MAX_ID)]
# The new key waits in the session, sealed, for the one page that shows it, then is gone.
NEW_KEY = "new_api_key"
SECTION = "settings_keys"
# Every scope by resource, as the checkboxes of the form show them.
SCOPE_GROUPS = [
    (resource.replace("_", " ").capitalize(), [f"{action}:{resource}" for action in ACTIONS])
    for resource in RESOURCES
]


@router.get("", response_class=HTMLResponse, name="settings_keys")
def list_keys(request: Request, user: AdminUser, session: SessionDep) -> HTMLResponse:
    """The workspace's API keys, and a key just created (this once)."""
    created = request.session.pop(NEW_KEY, None)
    if isinstance(created, dict):
        created["key"] = unseal(request, created.get("key"))
    keys = apikeys.list_keys(session, user.principal())
    return settings_page(
        request, "settings/keys.html", user, section=SECTION, keys=keys, created=created
    )


@router.get("/new", response_class=HTMLResponse, name="settings_key_new")
def new_key(request: Request, user: AdminUser) -> HTMLResponse:
    """The form for a new key."""
    values = {"name": "", "scopes": [], "rate_limit": str(apikeys.DEFAULT_RATE_LIMIT)}
    return _form(request, user, values, {})


@router.post("", dependencies=[Csrf], name="settings_key_create")
def create_key(request: Request, user: AdminUser, session: SessionDep, form: Posted) -> Response:
    """Create a key; the next page shows it once."""
    values: dict[str, Any] = {
        "name": text(form, "name").strip(),
        "scopes": texts(form, "scopes"),
        "rate_limit": text(form, "rate_limit").strip(),
    }
    try:
        created = apikeys.create_key(
            session,
            user.principal(),
            name=values["name"],
            scopes=values["scopes"],
            rate_limit=_rate_limit(values["rate_limit"]),
        )
    except Invalid as exc:
        session.rollback()
        return _form(request, user, values, exc.fields, status=422)
    record = created.record
    # No flash: the next page's own notice shows the key, and saying it twice is noise.
    request.session[NEW_KEY] = {
        "id": record.id,
        "name": record.name,
        "key": seal(request, created.plaintext),
    }
    return redirect(request, "settings_keys")


@router.post("/{key_id}/revoke", dependencies=[Csrf], name="settings_key_revoke")
def revoke_key(request: Request, user: AdminUser, session: SessionDep, key_id: KeyId) -> Response:
    """Revoke a key: it stops working at once."""
    revoked = apikeys.revoke(session, user.principal(), key_id)
    flash(request, f"The key “{revoked.name}” is revoked.")
    return redirect(request, "settings_keys")


def _rate_limit(raw: str) -> int:
    """The posted hourly limit; not a whole number reads as 0, which the service refuses with
    its range, beside the other fields' messages."""
    if not raw:
        return apikeys.DEFAULT_RATE_LIMIT
    try:
        return int(raw)
    except ValueError:
        return 0


def _form(
    request: Request,
    user: AdminUser,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    *,
    status: int = 200,
) -> HTMLResponse:
    return settings_page(
        request,
        "settings/key_new.html",
        user,
        section=SECTION,
        status=status,
        values=values,
        errors=errors,
        scope_groups=SCOPE_GROUPS,
        all_scopes=ALL,
        default_rate_limit=apikeys.DEFAULT_RATE_LIMIT,
    )
