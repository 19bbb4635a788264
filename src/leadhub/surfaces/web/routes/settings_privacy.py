"""Settings → Privacy (owners and admins): look a person up by email, phone or lead id, see
what is held about them, download it all as JSON, and erase it after typing a confirmation.

The person's identifiers travel in posted forms, never in a URL, so they stay out of access
logs and the browser's history."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from leadhub.domains.privacy import service as privacy
from leadhub.domains.privacy.schemas import KINDS, PersonQuery, PersonSummary
from leadhub.errors import Invalid, NotFound
from leadhub.surfaces.common.deps import RuntimeDep, SessionDep
from leadhub.surfaces.common.privacy import reference_key, with_links
from leadhub.surfaces.web.render import redirect
from leadhub.surfaces.web.routes.settings_common import Posted, settings_page, text
from leadhub.surfaces.web.session import AdminUser, Csrf, WebUser, flash, require_scope
from leadhub.surfaces.web.validation import parse

router = APIRouter(prefix="/settings/privacy")
SECTION = "settings_privacy"
TEMPLATE = "settings/privacy.html"
CONFIRM_TEMPLATE = "settings/privacy_erase.html"
# What the person erasing types to confirm: a deliberate act, not a stray click.
CONFIRM_WORD = "ERASE"
_FIELDS = ("email", "phone", "lead_id")
LABELS = {kind: kind.replace("_", " ").capitalize() for kind in KINDS}


@router.get("", response_class=HTMLResponse, name="settings_privacy")
def privacy_page(request: Request, user: AdminUser) -> HTMLResponse:
    """The look-up form."""
    require_scope(user.principal(), "read:privacy")
    return _page(request, user, values=dict.fromkeys(_FIELDS, ""))


@router.post("/lookup", dependencies=[Csrf], name="settings_privacy_lookup")
def look_up(
    request: Request, user: AdminUser, runtime: RuntimeDep, session: SessionDep, form: Posted
) -> Response:
    """What is held about the person, counted by kind, with their files."""
    principal = user.principal()
    require_scope(principal, "read:privacy")
    values = _values(form)
    try:
        summary = _summary(runtime, session, user, values)
    except (Invalid, NotFound) as exc:
        return _page(request, user, values=values, errors=_errors(exc), status=422)
    return _page(request, user, values=values, summary=summary)


@router.post("/export", dependencies=[Csrf], name="settings_privacy_export")
def download_export(
    request: Request, user: AdminUser, runtime: RuntimeDep, session: SessionDep, form: Posted
) -> Response:
    """Everything held about the person as a JSON file (the export is audited)."""
    principal = user.principal()
    require_scope(principal, "read:privacy")
    values = _values(form)
    try:
        query = _query(values)
        found = privacy.export(
            session, principal, query, store=runtime.store, key=reference_key(runtime)
        )
    except (Invalid, NotFound) as exc:
        session.rollback()
        return _page(request, user, values=values, errors=_errors(exc), status=422)
    found = found.model_copy(update={"files": with_links(runtime, session, principal, found.files)})
    body = json.dumps(found.model_dump(mode="json"), indent=2, ensure_ascii=False)
    filename = f"person-export-{found.reference}.json"
    return Response(
        body.encode("utf-8"),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@router.post("/erase", dependencies=[Csrf], name="settings_privacy_erase")
def confirm_erasure(
    request: Request, user: AdminUser, runtime: RuntimeDep, session: SessionDep, form: Posted
) -> Response:
    """The confirmation: what will be erased, and the word to type."""
    require_scope(user.principal(), "delete:privacy")
    values = _values(form)
    try:
        summary = _summary(runtime, session, user, values)
    except (Invalid, NotFound) as exc:
        return _page(request, user, values=values, errors=_errors(exc), status=422)
    return _confirmation(request, user, values, summary)


@router.post("/delete", dependencies=[Csrf], name="settings_privacy_delete")
def erase(
    request: Request, user: AdminUser, runtime: RuntimeDep, session: SessionDep, form: Posted
) -> Response:
    """Erase the person once the confirmation word is typed."""
    principal = user.principal()
    require_scope(principal, "delete:privacy")
    values = _values(form)
    try:
        query = _query(values)
        if text(form, "confirm").strip() != CONFIRM_WORD:
            summary = _summary(runtime, session, user, values)
            message = f"Type {CONFIRM_WORD} to confirm the erasure."
            return _confirmation(request, user, values, summary, {"confirm": [message]}, 422)
        result = privacy.erase(
            session, principal, query, store=runtime.store, key=reference_key(runtime)
        )
    except (Invalid, NotFound) as exc:
        session.rollback()
        return _page(request, user, values=values, errors=_errors(exc), status=422)
    deleted, anonymised = sum(result.deleted.values()), sum(result.anonymised.values())
    flash(
        request,
        f"Erased: {deleted} record{'s' if deleted != 1 else ''} deleted, {anonymised} anonymised,"
        f" {result.files_deleted} file{'s' if result.files_deleted != 1 else ''} deleted"
        f" (reference {result.reference}).",
    )
    return redirect(request, SECTION)


def _summary(
    runtime: RuntimeDep, session: SessionDep, user: WebUser, values: dict[str, str]
) -> PersonSummary:
    principal = user.principal()
    found = privacy.summarize(
        session, principal, _query(values), store=runtime.store, key=reference_key(runtime)
    )
    return found.model_copy(update={"files": with_links(runtime, session, principal, found.files)})


def _values(form: FormData) -> dict[str, str]:
    return {name: text(form, name).strip() for name in _FIELDS}


def _query(values: dict[str, str]) -> PersonQuery:
    """The look-up's input; blank fields are left out and a lead id must be a number."""
    given: dict[str, Any] = {name: value for name, value in values.items() if value}
    return parse(PersonQuery, given)


def _errors(exc: Invalid | NotFound) -> dict[str, list[str]]:
    if isinstance(exc, NotFound):
        return {"lead_id": ["No lead of this workspace has this id."]}
    return exc.fields


def _page(
    request: Request,
    user: WebUser,
    *,
    values: dict[str, str],
    summary: PersonSummary | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HTMLResponse:
    return settings_page(
        request,
        TEMPLATE,
        user,
        section=SECTION,
        status=status,
        values=values,
        summary=summary,
        errors=errors or {},
        labels=LABELS,
        may_erase=user.principal().allows("delete:privacy"),
    )


def _confirmation(
    request: Request,
    user: WebUser,
    values: dict[str, str],
    summary: PersonSummary,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HTMLResponse:
    return settings_page(
        request,
        CONFIRM_TEMPLATE,
        user,
        section=SECTION,
        status=status,
        values=values,
        summary=summary,
        errors=errors or {},
        labels=LABELS,
        confirm_word=CONFIRM_WORD,
    )
