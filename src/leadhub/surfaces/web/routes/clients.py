"""Acting for a client: an agency's member switches into a client workspace its agency holds an
active grant on, and back."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from leadhub.domains.grants import clients
from leadhub.errors import Forbidden
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.web import session as web_session
from leadhub.surfaces.web.render import redirect
from leadhub.surfaces.web.routes.settings_common import Posted, text
from leadhub.surfaces.web.session import Csrf, CurrentUser, flash

router = APIRouter(prefix="/clients")


@router.post("/act", dependencies=[Csrf], name="act_for_client")
def act_for_client(
    request: Request, user: CurrentUser, session: SessionDep, form: Posted
) -> Response:
    """Work in a client's workspace through the agency's grant (blank: back to the agency)."""
    home = user.home()
    client_id = text(form, "client_id").strip()
    if not client_id:
        return _back_home(request, user)
    if not home.workspace_is_agency:
        raise Forbidden("Only members of an agency workspace act for clients.")
    # Forbidden (the 403 page) unless the agency holds an active grant on this client.
    _lent, client = clients.acting_for(session, home.principal(), client_id)
    web_session.start_acting(request, client.id)
    flash(request, f"You are acting for {client.name}.")
    return redirect(request, "dashboard")


@router.post("/leave", dependencies=[Csrf], name="stop_acting")
def stop_acting(request: Request, user: CurrentUser) -> Response:
    """Stop acting for a client: back to the agency's own workspace."""
    return _back_home(request, user)


def _back_home(request: Request, user: CurrentUser) -> Response:
    web_session.stop_acting(request)
    if user.acting:
        flash(request, f"You are back in {user.home().workspace_name}.")
    return redirect(request, "dashboard")
