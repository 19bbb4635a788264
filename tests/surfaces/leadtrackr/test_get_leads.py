"""GET /compat/leadtrackr/api/leads/getLeads: LeadTrackr's documented list, every parameter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.leads import service as leads
from leadhub.domains.leads.schemas import LeadCreate
from tests.factories import Workspace, make_key, make_lead, make_workspace
from tests.surfaces.leadtrackr.helpers import (
    GET_LEADS,
    LEAD_KEYS,
    assert_message,
    get_leads,
    ids,
    set_created,
)

T0 = datetime(2026, 3, 15, 10, 30, tzinfo=UTC)


def lead_at(db: Database, workspace: Workspace, minutes: int, **fields: Any) -> int:
    """A lead created `minutes` after T0."""
    lead_id = make_lead(db, workspace, **fields)
    set_created(db, lead_id, T0 + timedelta(minutes=minutes))
    return lead_id


# -- the answer ---------------------------------------------------------------------------------


def test_an_empty_project_answers_the_documented_shape(
    client: TestClient, headers: dict[str, str]
) -> None:
    assert get_leads(client, headers) == {
        "message": "Leads retrieved",
        "leads": [],
        "total": 0,
        "page": 1,
        "limit": 50,
        "totalPages": 0,
        "hasMore": False,
    }


def test_each_lead_is_leadtrackrs_lead_object(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    lead_id = lead_at(
        db,
        workspace,
        0,
        first_name="John",
        last_name="Doe",
        email="john@example.com",
        phone="+31612345678",
        company="Acme Inc.",
        status="open",
        form_name="Contact Form",
        unique_identifier="crm-lead-456",
        value="42.50",
        notes="Call after 5",
        form_data={"message": "Hello"},
        channel_flow="google / cpc",
        attribution={"gclid": "g-1", "utm_source": "google"},
    )
    body = get_leads(client, headers)
    assert (body["total"], body["totalPages"], body["hasMore"]) == (1, 1, False)
    (lead,) = body["leads"]
    assert set(lead) == LEAD_KEYS
    assert lead == {
        "id": lead_id,
        "status": "open",
        "formName": "Contact Form",
        "firstName": "John",
        "lastName": "Doe",
        "phone": "+31612345678",
        "email": "john@example.com",
        "companyName": "Acme Inc.",
        "price": 4250,
        "note": "Call after 5",
        "formData": {"message": "Hello"},
        "userData": {
            "firstName": "John",
            "lastName": "Doe",
            "email": "john@example.com",
            "phone": "+31612345678",
            "companyName": "Acme Inc.",
        },
        "attributionData": {"gclid": "g-1", "utm_source": "google"},
        "channelFlow": "google / cpc",
        "uniqueIdentifier": "crm-lead-456",
        "createdAt": "2026-03-15T10:30:00.000Z",
    }


def test_a_lead_without_price_form_data_or_attribution_has_nulls(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, first_name="Jane")
    (lead,) = get_leads(client, headers)["leads"]
    assert lead["price"] is None
    assert lead["formData"] is None
    assert lead["attributionData"] is None
    assert lead["uniqueIdentifier"] is None
    assert lead["userData"]["firstName"] == "Jane"


def test_only_the_keys_project_is_listed(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    mine = make_lead(db, workspace, first_name="Mine")
    make_lead(db, make_workspace(db, "globex"), first_name="Theirs")
    assert ids(get_leads(client, headers)) == [mine]


# -- pagination ---------------------------------------------------------------------------------


def test_the_limit_defaults_to_50(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    with db.unit_of_work() as session:
        for number in range(51):
            leads.create(
                session, workspace.principal(), data=LeadCreate(first_name=f"Lead {number}")
            )
    body = get_leads(client, headers)
    assert (len(body["leads"]), body["limit"], body["total"]) == (50, 50, 51)
    assert (body["totalPages"], body["hasMore"]) == (2, True)
    second = get_leads(client, headers, page=2)
    assert (len(second["leads"]), second["hasMore"]) == (1, False)


def test_pages_total_pages_and_has_more(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    created = [lead_at(db, workspace, minutes) for minutes in range(5)]
    newest_first = list(reversed(created))
    pages = [get_leads(client, headers, limit=2, page=page) for page in (1, 2, 3, 4)]
    assert [ids(page) for page in pages] == [newest_first[:2], newest_first[2:4], created[:1], []]
    assert [page["hasMore"] for page in pages] == [True, True, False, False]
    assert {(page["total"], page["totalPages"], page["limit"]) for page in pages} == {(5, 3, 2)}
    assert [page["page"] for page in pages] == [1, 2, 3, 4]


@pytest.mark.parametrize("limit", ["1", "100"])
def test_the_limit_may_be_1_to_100(client: TestClient, headers: dict[str, str], limit: str) -> None:
    assert get_leads(client, headers, limit=limit)["limit"] == int(limit)


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "0"},
        {"limit": "101"},
        {"limit": "-5"},
        {"limit": "ten"},
        {"page": "0"},
        {"page": "two"},
    ],
)
def test_a_limit_or_page_out_of_range_is_400(
    client: TestClient, headers: dict[str, str], params: dict[str, str]
) -> None:
    response = client.get(GET_LEADS, params=params, headers=headers)
    assert_message(response, 400, next(iter(params)))


# -- filters ------------------------------------------------------------------------------------


def test_status_filters_one_or_several_comma_separated(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    opened = lead_at(db, workspace, 0, status="open")
    pending = lead_at(db, workspace, 1, status="pending")
    lead_at(db, workspace, 2, status="lost")
    assert ids(get_leads(client, headers, status="open")) == [opened]
    assert ids(get_leads(client, headers, status="open,pending")) == [pending, opened]
    assert ids(get_leads(client, headers, status="Pending")) == [pending]


def test_form_name_filters_exactly(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    contact = lead_at(db, workspace, 0, form_name="Contact Form")
    lead_at(db, workspace, 1, form_name="Contact")
    assert ids(get_leads(client, headers, formName="Contact Form")) == [contact]


def test_unique_identifier_filters_exactly(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    wanted = lead_at(db, workspace, 0, unique_identifier="crm-lead-456")
    lead_at(db, workspace, 1, unique_identifier="crm-lead-4567")
    assert ids(get_leads(client, headers, uniqueIdentifier="crm-lead-456")) == [wanted]


def test_email_filters_exactly_in_any_case(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    john = lead_at(db, workspace, 0, email="john+news@example.com")
    lead_at(db, workspace, 1, email="johnny@example.com")
    assert ids(get_leads(client, headers, email="John+News@Example.com")) == [john]
    assert get_leads(client, headers, email="john@example.com")["total"] == 0
    # A `+` sent unencoded arrives as a space: it still finds the address.
    unencoded = client.get(f"{GET_LEADS}?email=john+news@example.com", headers=headers)
    assert ids(unencoded.json()) == [john]


def test_phone_filters_exactly(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    dutch = lead_at(db, workspace, 0, phone="+31612345678")
    lead_at(db, workspace, 1, phone="+31612345679")
    assert ids(get_leads(client, headers, phone="+31612345678")) == [dutch]
    unencoded = client.get(f"{GET_LEADS}?phone=+31612345678", headers=headers)
    assert ids(unencoded.json()) == [dutch]


def test_created_at_bounds_are_inclusive(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    before, at_start, inside, at_end, after = (
        lead_at(db, workspace, minutes) for minutes in (-1, 0, 30, 60, 61)
    )
    window = {
        "createdAt[gte]": "2026-03-15T10:30:00.000Z",
        "createdAt[lte]": "2026-03-15T11:30:00Z",
    }
    assert ids(get_leads(client, headers, **window)) == [at_end, inside, at_start]
    only_gte = get_leads(client, headers, **{"createdAt[gte]": "2026-03-15T11:30:00Z"})
    assert ids(only_gte) == [after, at_end]
    only_lte = get_leads(client, headers, **{"createdAt[lte]": "2026-03-15T10:30:00+00:00"})
    assert ids(only_lte) == [at_start, before]


def test_a_date_only_upper_bound_covers_that_whole_day(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    late = lead_at(db, workspace, 13 * 60 + 29)  # 23:59 on the 15th
    next_day = lead_at(db, workspace, 13 * 60 + 31)
    assert ids(get_leads(client, headers, **{"createdAt[lte]": "2026-03-15"})) == [late]
    assert ids(get_leads(client, headers, **{"createdAt[gte]": "2026-03-16"})) == [next_day]


@pytest.mark.parametrize("name", ["createdAt[gte]", "createdAt[lte]"])
@pytest.mark.parametrize("value", ["yesterday", "2026-02-30", "15-03-2026"])
def test_an_invalid_date_is_400(
    client: TestClient, headers: dict[str, str], name: str, value: str
) -> None:
    response = client.get(GET_LEADS, params={name: value}, headers=headers)
    assert_message(response, 400, name)


@pytest.mark.parametrize(
    ("search", "field"),
    [
        ("joh", "first_name"),
        ("DOE", "last_name"),
        ("mail.example", "email"),
        ("61234", "phone"),
        ("acme", "company"),
    ],
)
def test_search_matches_names_email_phone_and_company(
    client: TestClient,
    headers: dict[str, str],
    db: Database,
    workspace: Workspace,
    search: str,
    field: str,
) -> None:
    values = {
        "first_name": "Johanna",
        "last_name": "Doerr",
        "email": "jo@mail.example.com",
        "phone": "+31612345678",
        "company": "Acme Inc.",
    }
    wanted = make_lead(db, workspace, **{"first_name": "Someone", field: values[field]})
    make_lead(db, workspace, first_name="Other", last_name="Person", email="x@other.org")
    assert ids(get_leads(client, headers, search=search)) == [wanted]


@pytest.mark.parametrize("search", ["a", " b ", "", "  "])
def test_a_search_shorter_than_2_characters_is_400(
    client: TestClient, headers: dict[str, str], search: str
) -> None:
    response = client.get(GET_LEADS, params={"search": search}, headers=headers)
    assert_message(response, 400, "search")


@pytest.mark.parametrize("name", ["gclid", "cid", "fbp", "fbc"])
def test_each_exists_filter_true_and_false(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace, name: str
) -> None:
    value = "fb.1.1700000000000.abc" if name == "fbc" else f"{name}-value"
    having = lead_at(db, workspace, 0, attribution={name: value})
    lacking = lead_at(db, workspace, 1, attribution={"utm_source": "google"})
    assert ids(get_leads(client, headers, **{f"{name}[exists]": "true"})) == [having]
    assert ids(get_leads(client, headers, **{f"{name}[exists]": "false"})) == [lacking]
    assert get_leads(client, headers)["total"] == 2


def test_exists_filters_combine(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    both = lead_at(db, workspace, 0, attribution={"gclid": "g", "fbp": "fb.1.1.1"})
    lead_at(db, workspace, 1, attribution={"gclid": "g2"})
    params = {"gclid[exists]": "true", "fbp[exists]": "true", "cid[exists]": "false"}
    assert ids(get_leads(client, headers, **params)) == [both]


@pytest.mark.parametrize("name", ["gclid", "cid", "fbp", "fbc"])
def test_an_exists_filter_that_is_not_a_boolean_is_400(
    client: TestClient, headers: dict[str, str], name: str
) -> None:
    response = client.get(GET_LEADS, params={f"{name}[exists]": "maybe"}, headers=headers)
    assert_message(response, 400, f"{name}[exists]")


def test_filters_combine(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    wanted = lead_at(db, workspace, 0, status="open", form_name="Quote", first_name="Ann")
    lead_at(db, workspace, 1, status="open", form_name="Contact", first_name="Ann")
    lead_at(db, workspace, 2, status="lost", form_name="Quote", first_name="Ann")
    body = get_leads(client, headers, status="open", formName="Quote", search="ann")
    assert ids(body) == [wanted]


# -- sorting ------------------------------------------------------------------------------------


@pytest.fixture
def sortable(db: Database, workspace: Workspace) -> dict[str, int]:
    """Three leads whose order differs on every sort field."""
    return {
        "b": lead_at(
            db,
            workspace,
            0,
            first_name="Bea",
            last_name="Cole",
            email="a@example.com",
            value="20",
            status="pending",
        ),
        "c": lead_at(
            db,
            workspace,
            1,
            first_name="Cid",
            last_name="Abel",
            email="c@example.com",
            value="10",
            status="open",
        ),
        "a": lead_at(
            db,
            workspace,
            2,
            first_name="Ada",
            last_name="Baker",
            email="b@example.com",
            value="30",
            status="lost",
        ),
    }


@pytest.mark.parametrize(
    ("field", "ascending"),
    [
        ("createdAt", "bca"),
        ("firstName", "abc"),
        ("lastName", "cab"),
        ("email", "bac"),
        ("price", "cba"),
        ("status", "acb"),
    ],
)
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_each_sort_field_in_each_direction(
    client: TestClient,
    headers: dict[str, str],
    sortable: dict[str, int],
    field: str,
    ascending: str,
    direction: str,
) -> None:
    order = ascending if direction == "asc" else ascending[::-1]
    body = get_leads(client, headers, sort=f"{field}:{direction}")
    assert ids(body) == [sortable[name] for name in order]


def test_the_default_sort_is_newest_first(
    client: TestClient, headers: dict[str, str], sortable: dict[str, int]
) -> None:
    assert ids(get_leads(client, headers)) == [sortable[name] for name in "acb"]


@pytest.mark.parametrize(
    "sort", ["value:asc", "created_at:desc", "createdAt:sideways", "name", "createdAt:asc:x"]
)
def test_an_unknown_sort_field_or_direction_is_400(
    client: TestClient, headers: dict[str, str], sort: str
) -> None:
    assert_message(client.get(GET_LEADS, params={"sort": sort}, headers=headers), 400, "sort")


# -- credentials --------------------------------------------------------------------------------


def test_get_leads_needs_a_key(client: TestClient) -> None:
    assert_message(client.get(GET_LEADS), 401)


def test_get_leads_takes_the_key_in_x_api_key(client: TestClient, key: str) -> None:
    response = client.get(GET_LEADS, headers={"X-API-Key": key})
    assert response.status_code == 200, response.text


def test_get_leads_needs_read_leads(client: TestClient, db: Database, workspace: Workspace) -> None:
    key = make_key(db, workspace, scopes=["write:leads"])
    response = client.get(GET_LEADS, headers={"X-API-Key": key})
    assert_message(response, 403, "read:leads")
    reader = make_key(db, workspace, scopes=["read:leads"])
    assert client.get(GET_LEADS, headers={"X-API-Key": reader}).status_code == 200
