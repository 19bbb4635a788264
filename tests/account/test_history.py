"""Every search of leads, through any API surface or the web app, is noted with its type, terms
and how many leads it found."""

from __future__ import annotations

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.account import history
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.kit.pagination import PageRequest
from tests.factories import Workspace, make_key, make_lead, make_workspace

HISTORY = "/api/v1/account/history"


def searches(client: TestClient, headers: dict[str, str]) -> list[dict[str, object]]:
    response = client.get(HISTORY, headers=headers)
    assert response.status_code == 200, response.text
    found: list[dict[str, object]] = response.json()["data"]
    return found


def test_a_search_term_on_the_native_api_is_a_contacts_search(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    make_lead(db, workspace, first_name="Ada", company="Initech")
    make_lead(db, workspace, first_name="Bob", company="Initech")
    make_lead(db, workspace, first_name="Cy", company="Globex")
    answer = client.get(
        "/api/v1/leads", params={"search": "initech", "per_page": 1}, headers=headers
    )
    assert answer.json()["meta"]["total"] == 2
    key_id = client.get("/api/v1/me", headers=headers).json()["data"]["api_key_id"]
    [search] = searches(client, headers)
    assert set(search) == {
        "id",
        "type",
        "query",
        "lead_count",
        "user_id",
        "api_key_id",
        "date_added",
    }
    assert (search["type"], search["query"], search["lead_count"]) == ("contacts", "initech", 2)
    assert search["api_key_id"] == key_id and search["user_id"] is None


def test_an_email_filter_on_leadtrackr_is_an_email_search(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    make_lead(db, workspace, email="ada@example.com")
    response = client.get(
        "/compat/leadtrackr/api/leads/getLeads",
        params={"email": "ada@example.com"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    [search] = searches(client, headers)
    assert (search["type"], search["query"], search["lead_count"]) == (
        "email",
        "ada@example.com",
        1,
    )


def test_lists_without_a_search_and_later_pages_are_not_searches(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    for name in ("Ada", "Adam", "Adele"):
        make_lead(db, workspace, first_name=name)
    client.get("/api/v1/leads", headers=headers)
    client.get("/api/v1/leads", params={"status": "new"}, headers=headers)
    client.get("/api/v1/leads", params={"search": "ad", "per_page": 1, "page": 2}, headers=headers)
    client.get("/api/v1/leads", params={"search": "  "}, headers=headers)
    assert searches(client, headers) == []
    client.get("/api/v1/leads", params={"search": "ad", "per_page": 1}, headers=headers)
    assert [search["lead_count"] for search in searches(client, headers)] == [3]


def test_a_search_that_finds_nothing_is_noted_with_zero(
    client: TestClient, headers: dict[str, str]
) -> None:
    client.get("/api/v1/leads", params={"search": "nobody"}, headers=headers)
    assert [(s["query"], s["lead_count"]) for s in searches(client, headers)] == [("nobody", 0)]


def test_the_type_rule(workspace: Workspace) -> None:
    assert history.search_of(LeadFilters()) is None
    assert history.search_of(LeadFilters(search=" ada ")) == ("contacts", "ada")
    assert history.search_of(LeadFilters(search="ada", email="a@b.co")) == ("email", "a@b.co")


def test_history_is_newest_first_paged_and_kept_per_workspace(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    for term in ("one", "two", "three"):
        client.get("/api/v1/leads", params={"search": term}, headers=headers)
    page = client.get(HISTORY, params={"per_page": 2}, headers=headers).json()
    assert [search["query"] for search in page["data"]] == ["three", "two"]
    assert page["meta"]["total"] == 3 and page["links"]["next"].endswith("page=2")
    other = make_workspace(db, "globex")
    other_headers = {"Authorization": f"Bearer {make_key(db, other)}"}
    assert searches(client, other_headers) == []
    with db.unit_of_work(write=False) as session:
        mine = history.list_history(session, workspace.principal(), page=PageRequest(1, 10))
    assert mine.total == 3
