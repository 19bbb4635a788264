"""What the lists pages and the leads pages share: the workspace's lists for pickers and filter
chips, the scope checks, and putting leads in a list or taking them out (in bulk from the leads
table, one at a time from a lead's page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from leadhub.auth.principal import Principal
from leadhub.domains.leads import service as leads
from leadhub.domains.lists import service as lists
from leadhub.domains.lists.schemas import ListCreate, ListRead
from leadhub.domains.users.signin import Membership
from leadhub.errors import Invalid
from leadhub.kit.pagination import PageRequest
from leadhub.kit.types import MAX_ID
from leadhub.surfaces.web.render import page, path_for
from leadhub.surfaces.web.routes.lead_support import leads_count
from leadhub.surfaces.web.session import require_scope
from leadhub.surfaces.web.validation import parse

# Enough for any real workspace's pickers, read in one query.
_ALL = PageRequest(1, 1000)
BULK_ACTIONS = {"list_add": "Add to list…", "list_remove": "Remove from list"}
_CHOOSE = "Choose a list."


def options(session: Session, principal: Principal) -> list[ListRead]:
    """The workspace's lists for a picker, oldest first; none for someone who may not read them."""
    if not principal.allows("read:lists"):
        return []
    return lists.list_lists(session, principal, page=_ALL).items


def bulk_actions(principal: Principal, available: Sequence[ListRead]) -> dict[str, str]:
    """The list actions the leads table offers this person (taking out needs a list to exist)."""
    if not principal.allows("write:lists"):
        return {}
    return BULK_ACTIONS if available else {"list_add": BULK_ACTIONS["list_add"]}


def apply_bulk(
    session: Session, principal: Principal, action: str, ids: list[int], form: FormData
) -> str:
    """Put the picked leads in the chosen (or a new) list, or take them out; the message to show."""
    require_scope(principal, "write:lists")
    if action == "list_add":
        target = _target(session, principal, form)
        change = lists.add_leads(session, principal, target.id, ids)
        already = f" ({change.unchanged} already in it)" if change.unchanged else ""
        return f"Added {leads_count(change.changed)} to the list “{target.name}”{already}."
    chosen = lists.get_list(session, principal, list_id(form))
    change = lists.remove_leads(session, principal, chosen.id, ids)
    return (
        f"Took {leads_count(change.changed)} out of the list “{chosen.name}”;"
        " they stay in the workspace."
    )


def confirm_remove(
    request: Request,
    user: Membership,
    session: Session,
    ids: list[int],
    form: FormData,
    *,
    back: str,
    cancel: str,
) -> HTMLResponse:
    """Without JavaScript's dialog, taking leads out of a list asks on a page of its own first."""
    require_scope(user.principal(), "write:lists")
    chosen = lists.get_list(session, user.principal(), list_id(form))
    hidden = [("action", "list_remove"), ("list_id", str(chosen.id)), ("back", back)]
    return page(
        request,
        "lists/confirm.html",
        user,
        title=f"Take {leads_count(len(ids))} out of the list “{chosen.name}”?",
        message="The leads stay in the workspace with everything they hold; only their place in"
        " this list goes.",
        action=path_for(request, "leads_bulk"),
        hidden=hidden + [("ids", str(lead_id)) for lead_id in ids],
        cancel=cancel,
        confirm_label="Yes, take them out",
    )


@dataclass(frozen=True)
class LeadLists:
    """The lists a lead is in, the others it could join, and whether this person may change it."""

    member_of: list[ListRead]
    others: list[ListRead]
    can_write: bool


def of_lead(session: Session, principal: Principal, lead_id: int) -> LeadLists | None:
    """A lead's lists for its page; None for someone who may not read lists."""
    if not principal.allows("read:lists"):
        return None
    every = options(session, principal)
    joined = lists.lists_of(session, principal, [lead_id]).get(lead_id, [])
    known = {found.id: found for found in every}
    member_of = [known.get(i) or lists.get_list(session, principal, i) for i in joined]
    others = [found for found in every if found.id not in joined]
    return LeadLists(member_of, others, principal.allows("write:lists"))


def add_lead(session: Session, principal: Principal, lead_id: int, form: FormData) -> ListRead:
    """Put one lead in the chosen list (404 for a lead or list of another workspace)."""
    require_scope(principal, "write:lists")
    leads.get(session, principal, lead_id)
    chosen = lists.get_list(session, principal, list_id(form))
    lists.add_leads(session, principal, chosen.id, [lead_id])
    return chosen


def remove_lead(
    session: Session, principal: Principal, lead_id: int, form: FormData
) -> tuple[ListRead, bool]:
    """Take one lead out of a list: (the list, whether it was in it)."""
    require_scope(principal, "write:lists")
    leads.get(session, principal, lead_id)
    chosen = lists.get_list(session, principal, list_id(form))
    change = lists.remove_leads(session, principal, chosen.id, [lead_id])
    return chosen, change.changed > 0


def list_id(form: FormData) -> int:
    """The chosen list's id; Invalid when none (or no number) was chosen."""
    value = form.get("list_id")
    text = value.strip() if isinstance(value, str) else ""
    number = int(text) if text.isdigit() and len(text) < 12 else 0
    if not 1 <= number <= MAX_ID:
        raise Invalid.field("list_id", _CHOOSE)
    return number


def _target(session: Session, principal: Principal, form: FormData) -> ListRead:
    """The list to add to: a new one when a name is typed, else the one picked."""
    value = form.get("new_list")
    name = value.strip() if isinstance(value, str) else ""
    if not name:
        return lists.get_list(session, principal, list_id(form))
    try:
        return lists.create_list(session, principal, data=parse(ListCreate, {"name": name}))
    except Invalid as exc:
        message = (exc.fields.get("name") or [exc.message])[0]
        raise Invalid.field("new_list", f"New list: {message}") from exc
