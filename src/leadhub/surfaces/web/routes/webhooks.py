"""Webhooks: where lead events are sent, each delivery's outcome, and Redeliver (admins)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from leadhub.domains.webhooks import service as webhooks
from leadhub.domains.webhooks.schemas import (
    ALL_EVENTS,
    EVENT_TYPES,
    WebhookCreate,
    WebhookRead,
    WebhookUpdate,
)
from leadhub.errors import Invalid
from leadhub.kit.pagination import PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import RuntimeDep, SessionDep
from leadhub.surfaces.web.render import page, redirect
from leadhub.surfaces.web.routes.settings_common import Posted, parse_form, text, texts
from leadhub.surfaces.web.session import AdminUser, Csrf, flash

router = APIRouter(prefix="/webhooks")
WebhookId = Annotated[int, Path(ge=1, le=MAX_ID)]
DeliveryId = Annotated[int, Path(ge=1, le=MAX_ID)]
MOST = 100
DELIVERIES_PER_PAGE = 25
EVENT_LABELS = {ALL_EVENTS: "Every event", **{name: name.replace("_", " ") for name in EVENT_TYPES}}


@router.get("", response_class=HTMLResponse, name="webhooks")
def list_webhooks(request: Request, user: AdminUser, session: SessionDep) -> HTMLResponse:
    """The workspace's webhooks."""
    found = webhooks.list_webhooks(session, user.principal(), page=PageRequest(1, MOST))
    return page(request, "webhooks/index.html", user, hooks=found.items, labels=EVENT_LABELS)


@router.get("/new", response_class=HTMLResponse, name="webhook_new")
def new_webhook(request: Request, user: AdminUser) -> HTMLResponse:
    """The form of a new webhook."""
    values = {"url": "", "events": [ALL_EVENTS], "description": "", "is_active": True}
    return _form(request, user, None, values, {})


@router.post("", dependencies=[Csrf], name="webhook_create")
def create_webhook(
    request: Request, user: AdminUser, session: SessionDep, runtime: RuntimeDep, form: Posted
) -> Response:
    """Create a webhook; its signing secret is shown once."""
    values = _values(form)
    try:
        data = parse_form(WebhookCreate, _data(values, form), required=["url"])
        created = webhooks.create_webhook(
            session,
            user.principal(),
            data=data,
            secret_box=runtime.secret_box,
            allow_private=runtime.settings.webhook_allow_private,
        )
    except Invalid as exc:
        session.rollback()
        return _form(request, user, None, values, exc.fields, status=422)
    flash(
        request,
        f"The webhook is created. Its signing secret, shown only this once: {created.secret}",
        secret=True,
    )
    return redirect(request, "webhook_deliveries", webhook_id=created.id)


@router.get("/{webhook_id}", response_class=HTMLResponse, name="webhook_edit")
def edit_webhook(
    request: Request, user: AdminUser, session: SessionDep, webhook_id: WebhookId
) -> HTMLResponse:
    """A webhook's settings."""
    hook = webhooks.get_webhook(session, user.principal(), webhook_id)
    values = {
        "url": hook.url,
        "events": hook.events,
        "description": hook.description or "",
        "is_active": hook.is_active,
    }
    return _form(request, user, hook, values, {})


@router.post("/{webhook_id}", dependencies=[Csrf], name="webhook_update")
def update_webhook(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    runtime: RuntimeDep,
    webhook_id: WebhookId,
    form: Posted,
) -> Response:
    """Change a webhook; a blank secret keeps the stored one."""
    values = _values(form)
    try:
        data = parse_form(WebhookUpdate, _data(values, form), required=["url"])
        webhooks.update_webhook(
            session,
            user.principal(),
            webhook_id,
            data=data,
            secret_box=runtime.secret_box,
            allow_private=runtime.settings.webhook_allow_private,
        )
    except Invalid as exc:
        session.rollback()
        hook = webhooks.get_webhook(session, user.principal(), webhook_id)
        return _form(request, user, hook, values, exc.fields, status=422)
    flash(request, "The webhook is saved.")
    return redirect(request, "webhooks")


@router.post("/{webhook_id}/delete", dependencies=[Csrf], name="webhook_delete")
def delete_webhook(
    request: Request, user: AdminUser, session: SessionDep, webhook_id: WebhookId
) -> Response:
    """Delete a webhook and its deliveries."""
    webhooks.delete_webhook(session, user.principal(), webhook_id)
    flash(request, "The webhook is deleted.")
    return redirect(request, "webhooks")


@router.get("/{webhook_id}/deliveries", response_class=HTMLResponse, name="webhook_deliveries")
def list_deliveries(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    webhook_id: WebhookId,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """A webhook's deliveries, newest first: status, answer code, time and error."""
    principal = user.principal()
    hook = webhooks.get_webhook(session, principal, webhook_id)
    found = webhooks.list_deliveries(
        session, principal, webhook_id, page=PageRequest(page_number, DELIVERIES_PER_PAGE)
    )
    return page(request, "webhooks/deliveries.html", user, hook=hook, deliveries=found)


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    dependencies=[Csrf],
    name="webhook_redeliver",
)
def redeliver(
    request: Request,
    user: AdminUser,
    session: SessionDep,
    webhook_id: WebhookId,
    delivery_id: DeliveryId,
) -> Response:
    """Send a delivery's event again."""
    again = webhooks.redeliver(session, user.principal(), webhook_id, delivery_id)
    flash(request, f"The {again.event.replace('_', ' ')} event is queued for delivery again.")
    return redirect(request, "webhook_deliveries", webhook_id=webhook_id)


def _values(form: FormData) -> dict[str, Any]:
    return {
        "url": text(form, "url").strip(),
        "events": texts(form, "events"),
        "description": text(form, "description").strip(),
        "is_active": text(form, "is_active") == "1",
    }


def _data(values: dict[str, Any], form: FormData) -> dict[str, Any]:
    """The service's input; a blank secret is left out (generated, or kept when editing)."""
    data = {**values, "description": values["description"] or None}
    secret = text(form, "secret").strip()
    if secret:
        data["secret"] = secret
    return data


def _form(
    request: Request,
    user: AdminUser,
    hook: WebhookRead | None,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    *,
    status: int = 200,
) -> HTMLResponse:
    return page(
        request,
        "webhooks/form.html",
        user,
        status=status,
        hook=hook,
        values=values,
        errors=errors,
        events=list(EVENT_LABELS.items()),
    )
