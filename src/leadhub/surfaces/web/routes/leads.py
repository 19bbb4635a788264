"""The leads table: the API's filters, sort and pages in the query string, and bulk actions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.domains.leads import bulk
from leadhub.domains.leads import service as leads
from leadhub.domains.lists.schemas import ListRead
from leadhub.errors import Invalid
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.common.deps import SessionDep
from leadhub.surfaces.web.render import page, path_for
from leadhub.surfaces.web.routes import lead_forms, lead_page, list_support
from leadhub.surfaces.web.routes.lead_query import (
    PER_PAGE_CHOICES,
    SORT_LABELS,
    ListQuery,
    parse,
)
from leadhub.surfaces.web.routes.lead_support import (
    Choices,
    PostedForm,
    leads_count,
    load_choices,
    require_delete,
)
from leadhub.surfaces.web.session import Csrf, CurrentUser, flash

router = APIRouter()

BULK_ACTIONS = {
    "tag": "Add a tag",
    "assign": "Assign to",
    "status": "Change status",
    "delete": "Delete",
}


@router.get("/leads", response_class=HTMLResponse, name="leads")
def list_leads(request: Request, user: CurrentUser, session: SessionDep) -> HTMLResponse:
    """The leads table."""
    principal = user.principal()
    query = parse(request.query_params.multi_items())
    result = leads.list_leads(session, principal, filters=query.filters, page=query.page)
    choices = load_choices(session, principal, with_labels=True)
    lists = list_support.options(session, principal)
    return page(
        request,
        "leads/index.html",
        user,
        query=query,
        result=result,
        choices=choices,
        chips=_chips(query, choices, {found.id: found.name for found in lists}),
        per_page_choices=PER_PAGE_CHOICES,
        sort_labels=SORT_LABELS,
        bulk_actions=_bulk_actions(principal, lists),
        lists=lists,
    )


@router.post("/leads/bulk", response_class=HTMLResponse, dependencies=[Csrf], name="leads_bulk")
def bulk_action(
    request: Request, user: CurrentUser, session: SessionDep, form: PostedForm
) -> Response:
    """Tag, assign, change the status of, put in a list or take out of one, or delete the picked
    leads, in one transaction."""
    principal = user.principal()
    back = parse(parse_qsl(str(form.get("back") or "")))
    ids = _ids(form.getlist("ids"))
    action = str(form.get("action") or "")
    if not ids:
        flash(request, "Select at least one lead first.", "error")
    elif action not in BULK_ACTIONS and action not in list_support.BULK_ACTIONS:
        flash(request, "Choose what to do with the selected leads.", "error")
    elif action == "delete" and form.get("confirm") != "yes":
        require_delete(principal)
        return _confirm_delete(request, user, ids, back)
    else:
        try:
            if action == "list_remove" and form.get("confirm") != "yes":
                cancel = path_for(request, "leads") + back.link()
                return list_support.confirm_remove(
                    request, user, session, ids, form, back=back.encoded(), cancel=cancel
                )
            flash(request, _apply(session, principal, action, ids, form))
        except Invalid as exc:
            session.rollback()
            flash(request, _first_message(exc), "error")
    return _back_to_list(request, back)


def _apply(
    session: Session, principal: Principal, action: str, ids: list[int], form: PostedForm
) -> str:
    """Run one bulk action; answers the message to show."""
    if action in list_support.BULK_ACTIONS:
        return list_support.apply_bulk(session, principal, action, ids, form)
    if action == "tag":
        tag = str(form.get("tag") or "")
        count = bulk.add_tag(session, principal, ids, tag)
        return f"Tagged {leads_count(count)} “{tag.strip()}”."
    if action == "assign":
        user_id = _user_id(str(form.get("user_id") or ""))
        count = bulk.assign(session, principal, ids, user_id)
        return f"{'Assigned' if user_id else 'Unassigned'} {leads_count(count)}."
    if action == "status":
        status = str(form.get("status") or "")
        count = bulk.set_status(session, principal, ids, status)
        return f"Set the status of {leads_count(count)} to “{status.strip().lower()}”."
    require_delete(principal)
    return f"Deleted {leads_count(bulk.delete(session, principal, ids))}."


def _confirm_delete(
    request: Request, user: CurrentUser, ids: list[int], back: ListQuery
) -> Response:
    """Without JavaScript's dialog, deleting asks on a page of its own first."""
    return page(
        request,
        "leads/confirm_delete.html",
        user,
        title=f"Delete {leads_count(len(ids))}?",
        message="The selected leads and their tags will be deleted. This cannot be undone.",
        action=path_for(request, "leads_bulk"),
        hidden=[("action", "delete"), ("back", back.encoded())] + [("ids", str(i)) for i in ids],
        cancel=path_for(request, "leads") + back.link(),
    )


def _back_to_list(request: Request, back: ListQuery) -> RedirectResponse:
    # Rebuilt from the parsed view, so the redirect can only ever go to the leads table.
    return RedirectResponse(path_for(request, "leads") + back.link(), status_code=303)


def _ids(values: Sequence[object]) -> list[int]:
    """The valid record ids among submitted values, without repeats."""
    found: list[int] = []
    for value in values:
        text = str(value or "").strip()
        number = int(text) if text.isdigit() and len(text) < 12 else 0
        if 1 <= number <= MAX_ID and number not in found:
            found.append(number)
    return found


def _user_id(text: str) -> int | None:
    """The picked user; blank means nobody (unassign), anything else must be an id."""
    if not text.strip():
        return None
    found = _ids([text])
    if not found:
        raise Invalid.field("assigned_user_id", "The selected user is invalid.")
    return found[0]


def _first_message(exc: Invalid) -> str:
    for messages in exc.fields.values():
        if messages:
            return messages[0]
    return exc.message


def _bulk_actions(principal: Principal, lists: Sequence[ListRead]) -> dict[str, str]:
    """The bulk actions this person is offered: the list ones before deleting, which comes last."""
    offered = {key: label for key, label in BULK_ACTIONS.items() if key != "delete"}
    offered.update(list_support.bulk_actions(principal, lists))
    return {**offered, "delete": BULK_ACTIONS["delete"]}


def _chips(query: ListQuery, choices: Choices, list_names: dict[int, str]) -> list[tuple[str, str]]:
    """The filters in force, each with the link that drops it."""
    names: dict[str, Callable[[str], str]] = {
        "search": lambda v: f"Search: “{v}”",
        "source": lambda v: f"Source: {v.replace(',', ', ')}",
        "status": lambda v: f"Status: {v.replace(',', ', ')}",
        "pipeline_id": lambda v: f"Pipeline: {choices.pipeline_name(int(v))}",
        "stage_id": lambda v: f"Stage: {choices.stage_name(int(v), with_pipeline=True)}",
        "assigned_user_id": lambda v: f"Owner: {choices.user_name(int(v))}",
        "tag": lambda v: f"Tag: {v}",
        "list_id": lambda v: f"List: {list_names.get(int(v)) or f'#{v} (not found)'}",
        "created_after": lambda v: f"Created from {v}",
        "created_before": lambda v: f"Created before {v}",
        "starred": lambda v: "Starred" if query.filters.starred else "Not starred",
    }
    return [
        (describe(query.params[key]), query.link(**{key: None, "page": None}))
        for key, describe in names.items()
        if key in query.params
    ]


# /leads/new before /leads/{lead_id}: the literal path must win.
router.include_router(lead_forms.router)
router.include_router(lead_page.router)
