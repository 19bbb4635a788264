"""The scenarios: what each asks of LeadHub, and the same question as plain SQL for the floor.

A scenario draws its arguments (a page, a fragment, an id, a new email) from real values, then
turns them into a request to LeadHub, a request to the floor's Starlette app, and (in
bench.floor) the SQL the repository would issue.
"""

from __future__ import annotations

import itertools
import json
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.data import BenchWorkspace
from bench.driver import Call

PER_PAGE = 25
DEEP_PAGE = 1000
LEADTRACKR_LIMIT = 50
# As the repository asks once it has the tag's id: EXISTS for the page, and a tag alone counted
# from its rows in lead_tags.
TAGGED = (
    "EXISTS (SELECT lead_tags.lead_id FROM lead_tags"
    " WHERE lead_tags.lead_id = leads.id AND lead_tags.tag_id IN (?))"
)
TAG_COUNT = "SELECT count(*) AS n FROM lead_tags WHERE workspace_id = ? AND tag_id IN (?)"
# A tag alone, newest first: the page's ids come from the tag rows' index (the repository's
# `_tagged_page`), followed by LIMIT and OFFSET.
TAG_PAGE_IDS = (
    "SELECT lead_id FROM lead_tags WHERE workspace_id = ? AND tag_id = ?"
    " ORDER BY lead_created_at DESC, lead_id DESC"
)
NEWEST_FIRST = "created_at DESC, id DESC"

Args = dict[str, Any]


@dataclass(frozen=True)
class ListFilter:
    """A lead-list filter as query parameters and as the repository's SQL conditions."""

    api: dict[str, str]
    conditions: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    order: str = NEWEST_FIRST
    # The count query when the repository counts otherwise than with the page's conditions.
    count_sql: str | None = None
    count_params: list[Any] = field(default_factory=list)
    # The page's ids when the repository takes them from another table's index (then paged).
    page_ids_sql: str | None = None
    page_ids_params: list[Any] = field(default_factory=list)


def list_filters(ws: BenchWorkspace) -> dict[str, ListFilter]:
    owner = ws.owner_ids[0] if ws.owner_ids else 0
    return {
        "status": ListFilter({"status": "qualified"}, ["status IN (?)"], ["qualified"]),
        "source_dates": ListFilter(
            {
                "source": "google",
                "created_after": ws.created_after.isoformat(),
                "created_before": ws.created_before.isoformat(),
            },
            ["source IN (?)", "created_at > ?", "created_at < ?"],
            ["google", ws.created_after, ws.created_before],
        ),
        "tag": ListFilter(
            {"tag": ws.tag},
            [TAGGED],
            [ws.tag_id],
            count_sql=TAG_COUNT,
            count_params=[ws.id, ws.tag_id],
            page_ids_sql=TAG_PAGE_IDS,
            page_ids_params=[ws.id, ws.tag_id],
        ),
        "starred": ListFilter({"starred": "true"}, ["starred = ?"], [True]),
        "assigned": ListFilter({"assigned_user_id": str(owner)}, ["assigned_user_id = ?"], [owner]),
        "sorted": ListFilter(
            {"sort": "last_name", "direction": "asc"}, order="last_name ASC, id ASC"
        ),
    }


@dataclass(frozen=True)
class Scenario:
    """`kind` tells the floor which SQL to run: list, search, get, insert, duplicate (or none)."""

    name: str
    kind: str
    draw: Callable[[random.Random], Args]
    app: Callable[[Args], Call]
    writes: bool = False
    has_floor: bool = True

    def floor_call(self, args: Args) -> Call:
        if self.writes:
            return Call("POST", f"/q/{self.name}", json=args)
        return Call("GET", f"/q/{self.name}", params={"a": json.dumps(args)})


def build(ws: BenchWorkspace) -> list[Scenario]:
    """Every scenario against workspace `ws`, in the order they run."""
    auth = {"X-Api-Key": ws.key}
    filters = list_filters(ws)
    token = uuid.uuid4().hex[:8]  # new emails stay unique when a database is reused
    counter = itertools.count()

    def new_person(_: random.Random) -> Args:
        number = next(counter)
        return {"first_name": f"New{number}", "email": f"new.{token}.{number}@bench.example.com"}

    def listing(name: str, page: int) -> Scenario:
        api = filters[name].api
        return Scenario(
            f"list_{name}_{'p1' if page == 1 else f'p{page}'}",
            "list",
            lambda _: {"filter": name, "page": page},
            lambda args: Call(
                "GET",
                "/api/v1/leads",
                params={**api, "page": args["page"], "per_page": PER_PAGE},
                headers=auth,
            ),
        )

    def search(name: str, pool: list[str]) -> Scenario:
        return Scenario(
            f"search_{name}",
            "search",
            lambda rng: {"fragment": rng.choice(pool)},
            lambda args: Call(
                "GET",
                "/api/v1/leads",
                params={"search": args["fragment"], "per_page": PER_PAGE},
                headers=auth,
            ),
        )

    scenarios = [listing(name, page) for name in filters for page in (1, DEEP_PAGE)]
    scenarios += [
        search("name", ws.name_fragments),
        search("email", ws.email_fragments),
        search("phone", ws.phone_fragments),
        Scenario(
            "get_lead",
            "get",
            lambda rng: {"id": rng.randint(ws.first_id, ws.last_id)},
            lambda args: Call("GET", f"/api/v1/leads/{args['id']}", headers=auth),
        ),
        Scenario(
            "create_lead",
            "insert",
            new_person,
            lambda args: Call("POST", "/api/v1/leads", json=args, headers=auth),
            writes=True,
        ),
        Scenario(
            "inbound_duplicate",
            "duplicate",
            lambda rng: {"email": rng.choice(ws.emails), "first_name": "Again"},
            lambda args: Call(
                "POST",
                "/api/inbound/leads",
                params={"tenant": ws.slug},
                json=args,
                headers=auth,
            ),
            writes=True,
        ),
        Scenario(
            "form_post",
            "insert",
            new_person,
            # The hosted form allows 10 posts per address: each post comes from its own address
            # (the bench's server trusts X-Forwarded-For from 127.0.0.1: LEADHUB_TRUSTED_PROXIES).
            lambda args: Call(
                "POST",
                f"/f/{ws.form_id}",
                data={"first_name": args["first_name"], "email": args["email"]},
                headers={"X-Forwarded-For": _address(args["email"])},
            ),
            writes=True,
        ),
        Scenario(
            "leadtrackr_getleads",
            "leadtrackr",
            lambda _: {"filter": "status", "page": 1},
            lambda _: Call(
                "GET",
                "/compat/leadtrackr/api/leads/getLeads",
                params={"limit": LEADTRACKR_LIMIT, "page": 1, "status": "qualified"},
                headers=auth,
            ),
        ),
        Scenario(
            "leadpanther_leads",
            "none",
            lambda _: {},
            lambda _: Call("GET", "/compat/leadpanther/api/v1/leads", headers=auth),
            has_floor=False,
        ),
    ]
    return scenarios


SCALING = ("list_status_p1", "search_name", "create_lead")


def _address(email: str) -> str:
    number = abs(hash(email)) % (2**24)
    return f"10.{number >> 16}.{(number >> 8) & 255}.{number & 255}"
