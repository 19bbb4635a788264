"""Property tests of the lead domain: the duplicate matcher, the list filters and pagination.

The matcher is driven through `intake.capture` (every channel's way in) in fresh workspaces; the
filters and pages through GET /api/v1/leads over a seeded workspace, each answer compared with a
plain Python filter and sort of the same rows.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadhub.db.uow import Database
from leadhub.domains.leads.intake import capture
from leadhub.domains.leads.repository import LeadRepository
from leadhub.domains.leads.schemas import SORT_FIELDS, LeadFields
from leadhub.domains.lists import service as lists
from leadhub.domains.lists.schemas import ListCreate
from leadhub.models import Lead
from tests.factories import Workspace, default_pipeline, make_user, make_workspace

LEADS = "/api/v1/leads"
_FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

# -- the duplicate matcher -------------------------------------------------------------------------

# A few people, so that drawn contacts often share an address or a number; each written several
# ways (the matcher must see through case, spaces and phone formatting).
_EMAILS = ["ann@example.com", "bob@example.org", "cid@bücher.example"]
_PHONES = ["+14155550101", "+442079460958", "+33612345678"]
_EMAIL_WRITINGS: list[Callable[[str], str]] = [
    lambda email: email,
    str.upper,
    lambda email: f"  {email.title()}\t",
]
_PHONE_WRITINGS: dict[str, list[str]] = {
    "+14155550101": ["+14155550101", "+1 (415) 555-0101", "415.555.0101", "(415) 555 0101"],
    "+442079460958": ["+442079460958", "+44 20 7946 0958", "+44 (0)20 7946-0958"],
    "+33612345678": ["+33612345678", "+33 6 12 34 56 78", "+33.6.12.34.56.78"],
}


@dataclass(frozen=True)
class Contact:
    """A contact as sent, and the canonical email and phone it stands for."""

    email: str | None
    phone: str | None
    canonical_email: str | None
    canonical_phone: str | None

    def fields(self) -> LeadFields:
        given = {"first_name": "Someone", "email": self.email, "phone": self.phone}
        return LeadFields(**{name: value for name, value in given.items() if value is not None})

    def matches(self, other: Contact) -> bool:
        """What de-duplication promises: the same email, or else the same phone."""
        same_email = self.canonical_email is not None and self.canonical_email == (
            other.canonical_email
        )
        same_phone = self.canonical_phone is not None and self.canonical_phone == (
            other.canonical_phone
        )
        return same_email or same_phone


@st.composite
def contacts(draw: st.DrawFn) -> Contact:
    email = draw(st.none() | st.sampled_from(_EMAILS))
    phone = draw(st.none() if email is None else st.none() | st.sampled_from(_PHONES))
    if email is None and phone is None:
        phone = draw(st.sampled_from(_PHONES))
    return Contact(
        email=draw(st.sampled_from(_EMAIL_WRITINGS))(email) if email else None,
        phone=draw(st.sampled_from(_PHONE_WRITINGS[phone])) if phone else None,
        canonical_email=email,
        canonical_phone=phone,
    )


class Workspaces:
    """A fresh workspace for each capture sequence (the matcher looks in one workspace)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.numbers = itertools.count()

    def captured(self, *sent: Contact) -> list[tuple[int, bool]]:
        """(lead id, is_duplicate) of each contact captured in turn into a new workspace."""
        workspace = make_workspace(self.db, f"dedupe-{next(self.numbers)}")
        answers = []
        for contact in sent:
            with self.db.unit_of_work() as session:
                result = capture(session, workspace.id, data=contact.fields(), default_source="api")
            answers.append((result.lead_id, result.is_duplicate))
        return answers


@pytest.fixture
def workspaces(db: Database) -> Workspaces:
    return Workspaces(db)


@settings(max_examples=40, deadline=None, suppress_health_check=_FIXTURES)
@given(first=contacts(), second=contacts())
def test_a_second_contact_is_a_duplicate_exactly_when_it_shares_an_email_or_phone(
    workspaces: Workspaces, first: Contact, second: Contact
) -> None:
    (first_id, first_dup), (second_id, second_dup) = workspaces.captured(first, second)
    assert not first_dup
    assert second_dup == first.matches(second)
    assert (second_id == first_id) == second_dup


@settings(max_examples=30, deadline=None, suppress_health_check=_FIXTURES)
@given(first=contacts(), second=contacts())
def test_matching_is_symmetric(workspaces: Workspaces, first: Contact, second: Contact) -> None:
    """Whichever of two contacts arrives first, the other one merges into it, or neither does."""
    (_, one_way) = workspaces.captured(first, second)[1]
    (_, other_way) = workspaces.captured(second, first)[1]
    assert one_way == other_way


class MatcherModel:
    """The documented rule, in memory: a contact is merged into the lead with its email, or else
    the one with its phone, and fills that lead's empty email or phone (unless another lead
    holds it); a contact that matches neither is a new lead."""

    def __init__(self) -> None:
        self.leads: list[dict[str, str | None]] = []

    def capture(self, contact: Contact) -> tuple[int, bool]:
        """(the lead's position among the leads made, is_duplicate)."""
        sent = {"email": contact.canonical_email, "phone": contact.canonical_phone}
        found = self._holding("email", sent["email"])
        if found is None:
            found = self._holding("phone", sent["phone"])
        if found is None:
            self.leads.append(sent)
            return len(self.leads) - 1, False
        lead = self.leads[found]
        for name, value in sent.items():
            if value and not lead[name] and self._holding(name, value) is None:
                lead[name] = value
        return found, True

    def _holding(self, name: str, value: str | None) -> int | None:
        if not value:
            return None
        return next((n for n, lead in enumerate(self.leads) if lead[name] == value), None)


@settings(max_examples=40, deadline=None, suppress_health_check=_FIXTURES)
@given(sent=st.lists(contacts(), min_size=1, max_size=8))
def test_any_sequence_of_contacts_merges_as_the_rule_says(
    workspaces: Workspaces, sent: list[Contact]
) -> None:
    """However each address and number is written, every contact lands where the rule puts it:
    the same lead as the model's, and a duplicate exactly when the model merges it."""
    model = MatcherModel()
    expected = [model.capture(contact) for contact in sent]
    answers = workspaces.captured(*sent)
    made: list[int] = []  # lead ids in the order they were made
    for (lead_id, duplicate), (position, model_duplicate) in zip(answers, expected, strict=True):
        assert duplicate == model_duplicate
        if not duplicate:
            made.append(lead_id)
        assert made[position] == lead_id


# -- a seeded workspace for the list tests ---------------------------------------------------------

FIRST_NAMES = ["Ann", "Bob", "Cid", "Dee"]
LAST_NAMES = ["Ash", "Birch", "Cedar"]
COMPANIES = ["Acme", "Globex", "Initech"]
STATUSES = ["new", "contacted", "won"]
SOURCES = ["api", "form", "import"]
SCORES = [0, 10, 20]
TAGS = ["vip", "cold"]
# Few distinct moments, so that sorting by them has many ties.
MOMENTS = [datetime(2026, 3, day, 9, 30, tzinfo=UTC) for day in (2, 5, 5, 9)]
LEAD_COUNT = 36


@dataclass
class Row:
    id: int
    first_name: str
    last_name: str
    email: str
    company: str
    status: str
    source: str
    lead_score: int
    starred: bool
    pipeline_id: int | None
    pipeline_stage_id: int | None
    assigned_user_id: int | None
    gclid: str | None
    fbp: str | None
    created_at: datetime
    updated_at: datetime
    tags: list[str] = field(default_factory=list)
    lists: list[int] = field(default_factory=list)


@dataclass
class Seeded:
    rows: list[Row]
    pipeline_id: int
    stage_ids: list[int]
    user_ids: list[int]
    list_ids: list[int]


def seed_rows(db: Database, workspace: Workspace) -> Seeded:
    """LEAD_COUNT leads whose every filterable column takes a few values in a fixed pattern."""
    pipeline_id, stage_ids = default_pipeline(db, workspace)
    user_ids = [make_user(db, workspace, f"user{n}@example.com") for n in (1, 2)]
    principal = workspace.principal()
    rows = []
    with db.unit_of_work() as session:
        list_ids = [
            lists.create_list(session, principal, data=ListCreate(name=name)).id
            for name in ("Hot", "Later")
        ]
        repo = LeadRepository(session, workspace.id)
        for n in range(LEAD_COUNT):
            row = _row(n, pipeline_id, stage_ids, user_ids, list_ids)
            lead = repo.add(Lead(workspace_id=workspace.id, custom_fields={}, **_columns(row)))
            session.flush()
            row.id = lead.id
            repo.set_tags(lead.id, row.tags)
            for list_id in row.lists:
                lists.add_leads(session, principal, list_id, [lead.id])
            rows.append(row)
    return Seeded(rows, pipeline_id, stage_ids, user_ids, list_ids)


def _row(
    n: int, pipeline_id: int, stage_ids: list[int], user_ids: list[int], list_ids: list[int]
) -> Row:
    first = FIRST_NAMES[n % 4]
    company = COMPANIES[(n // 2) % 3]
    stage = [None, *stage_ids][n % (len(stage_ids) + 1)]
    return Row(
        id=0,
        first_name=first,
        last_name=LAST_NAMES[(n * 7) % 3],
        # Zero-padded, one shape: every collation orders them the same way.
        email=f"{first.lower()}.{n:03d}@{company.lower()}.example",
        company=company,
        status=STATUSES[(n * 5) % 3],
        source=SOURCES[(n // 3) % 3],
        lead_score=SCORES[(n * 11) % 3],
        starred=n % 5 == 0,
        pipeline_id=pipeline_id if stage is not None else None,
        pipeline_stage_id=stage,
        assigned_user_id=[None, *user_ids][n % 3],
        gclid=f"gclid-{n}" if n % 4 in (1, 2) else None,
        fbp=f"fb.1.{n}" if n % 6 == 0 else None,
        created_at=MOMENTS[(n * 13) % 4],
        updated_at=MOMENTS[(n * 3) % 4] + timedelta(hours=1),
        tags=[tag for index, tag in enumerate(TAGS) if (n >> index) & 1],
        lists=[list_id for index, list_id in enumerate(list_ids) if (n // 3 >> index) & 1],
    )


def _columns(row: Row) -> dict[str, Any]:
    names = [
        "first_name",
        "last_name",
        "email",
        "company",
        "status",
        "source",
        "lead_score",
        "starred",
        "pipeline_id",
        "pipeline_stage_id",
        "assigned_user_id",
        "gclid",
        "fbp",
        "created_at",
        "updated_at",
    ]
    return {name: getattr(row, name) for name in names}


@pytest.fixture
def seeded(db: Database, workspace: Workspace) -> Seeded:
    return seed_rows(db, workspace)


# -- queries and what they should answer -----------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@st.composite
def queries(draw: st.DrawFn, seeded: Seeded) -> dict[str, str]:
    """Query parameters of GET /api/v1/leads: a few filters, a sort and a direction."""
    choices: dict[str, st.SearchStrategy[str]] = {
        "status": _several(STATUSES),
        "source": _several(SOURCES),
        "pipeline_id": st.just(str(seeded.pipeline_id)),
        "stage_id": st.sampled_from([str(stage) for stage in seeded.stage_ids]),
        "assigned_user_id": st.sampled_from([str(user) for user in seeded.user_ids]),
        "tag": st.sampled_from(["vip", "VIP", "cold", "nonesuch"]),
        "list_id": st.sampled_from([str(list_id) for list_id in seeded.list_ids]),
        "created_after": st.sampled_from([_iso(moment) for moment in MOMENTS]),
        "created_before": st.sampled_from([_iso(moment) for moment in MOMENTS]),
        "starred": st.sampled_from(["true", "false"]),
        "gclid_exists": st.sampled_from(["true", "false"]),
        "fbp_exists": st.sampled_from(["true", "false"]),
        "search": st.sampled_from(["acme", "ANN", "birch", "glo", "ex", "de", "bob acme", "zzz"]),
    }
    names = draw(st.lists(st.sampled_from(sorted(choices)), max_size=3, unique=True))
    query = {name: draw(choices[name]) for name in names}
    query["sort"] = draw(st.sampled_from(SORT_FIELDS))
    query["direction"] = draw(st.sampled_from(["asc", "desc"]))
    return query


def _several(values: list[str]) -> st.SearchStrategy[str]:
    chosen = st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True)
    return chosen.map(",".join).flatmap(
        lambda text: st.sampled_from([text, text.upper(), text.replace(",", " , ")])
    )


def expected(rows: list[Row], query: dict[str, str]) -> list[int]:
    """The ids the query should list, in order: a plain filter and sort of the rows."""
    kept = [row for row in rows if all(_keeps(row, name, value) for name, value in query.items())]
    descending = query["direction"] == "desc"
    kept.sort(key=lambda row: (getattr(row, query["sort"]), row.id), reverse=descending)
    return [row.id for row in kept]


def _keeps(row: Row, name: str, value: str) -> bool:
    wanted = {part.strip().lower() for part in value.split(",")}
    checks: dict[str, Callable[[], bool]] = {
        "status": lambda: row.status in wanted,
        "source": lambda: row.source in wanted,
        "pipeline_id": lambda: row.pipeline_id == int(value),
        "stage_id": lambda: row.pipeline_stage_id == int(value),
        "assigned_user_id": lambda: row.assigned_user_id == int(value),
        "tag": lambda: value.lower() in row.tags,
        "list_id": lambda: int(value) in row.lists,
        "created_after": lambda: row.created_at > _moment(value),
        "created_before": lambda: row.created_at < _moment(value),
        "starred": lambda: row.starred == (value == "true"),
        "gclid_exists": lambda: (row.gclid is not None) == (value == "true"),
        "fbp_exists": lambda: (row.fbp is not None) == (value == "true"),
        "search": lambda: all(_found(row, word) for word in value.split()),
    }
    check = checks.get(name)
    return check() if check is not None else True


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _found(row: Row, word: str) -> bool:
    haystack = " ".join((row.first_name, row.last_name, row.email, row.company)).lower()
    return word.lower() in haystack


def pages(client: TestClient, headers: dict[str, str], query: dict[str, str]) -> Iterator[Any]:
    """Every page of the query, the first to the last, following `links.next`."""
    response = client.get(LEADS, params={**query, "page": "1"}, headers=headers)
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        yield body
        if body["links"]["next"] is None:
            return
        response = client.get(body["links"]["next"], headers=headers)


# -- filters and pagination ------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=_FIXTURES)
@given(data=st.data())
def test_a_filtered_list_is_exactly_the_rows_that_pass_the_filter(
    client: TestClient, headers: dict[str, str], seeded: Seeded, data: st.DataObject
) -> None:
    query = data.draw(queries(seeded))
    response = client.get(LEADS, params={**query, "per_page": "100"}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [lead["id"] for lead in body["data"]] == expected(seeded.rows, query)
    assert body["meta"]["total"] == len(body["data"])


@settings(max_examples=40, deadline=None, suppress_health_check=_FIXTURES)
@given(data=st.data(), per_page=st.integers(min_value=1, max_value=11))
def test_pages_partition_the_sorted_result_even_where_the_sort_ties(
    client: TestClient,
    headers: dict[str, str],
    seeded: Seeded,
    data: st.DataObject,
    per_page: int,
) -> None:
    """Walking the pages lists every match once, in order: no duplicates, no gaps, and each
    page's meta tells the same total and its own place in it."""
    query = {**data.draw(queries(seeded)), "per_page": str(per_page)}
    wanted = expected(seeded.rows, query)
    last_page = max(1, math.ceil(len(wanted) / per_page))
    seen: list[int] = []
    for number, body in enumerate(pages(client, headers, query), start=1):
        ids = [lead["id"] for lead in body["data"]]
        meta = body["meta"]
        assert (meta["current_page"], meta["last_page"]) == (number, last_page)
        assert (meta["total"], meta["per_page"]) == (len(wanted), per_page)
        assert ids == wanted[(number - 1) * per_page : number * per_page]
        if ids:
            assert (meta["from"], meta["to"]) == (len(seen) + 1, len(seen) + len(ids))
        seen.extend(ids)
    assert seen == wanted
    beyond = client.get(LEADS, params={**query, "page": str(last_page + 1)}, headers=headers)
    assert beyond.status_code == 200
    assert beyond.json()["data"] == []
    assert beyond.json()["meta"]["total"] == len(wanted)
