"""GET /api/v1/activity and /api/v1/social-leads: every documented filter, newest first."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from leadhub.db.uow import Database
from leadhub.models import SocialProfile
from tests.activity.helpers import ACTIVITY, SOCIAL_LEADS, listed, record
from tests.lead_magnets.helpers import create

ANA = "https://www.linkedin.com/in/ana"
BEN = "https://www.linkedin.com/in/ben"
CID = "https://www.linkedin.com/in/cid"


@pytest.fixture
def seeded(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    """Ana asks for GUIDE in a comment, Ben writes a DM without keyword, Cid asks for CHECKLIST
    in a DM and comments later; Ben's DM is marked replied."""
    create(client, headers)
    create(
        client,
        headers,
        keyword="CHECKLIST",
        resource_name="Example Checklist",
        hosted_page={"title": "Example Checklist"},
    )
    ana = record(
        client,
        headers,
        linkedin_profile_url=ANA,
        author_name="Ana Alvarez",
        author_headline="Founder at Alpha",
        content="GUIDE please",
        occurred_at="2026-06-01T10:00:00Z",
    )
    ben = record(
        client,
        headers,
        source="dm",
        linkedin_profile_url=BEN,
        author_name="Ben Brown",
        author_headline="CTO at Beta",
        content="Hello there, nice post",
        occurred_at="2026-06-02T10:00:00Z",
    )
    cid = record(
        client,
        headers,
        source="dm",
        linkedin_profile_url=CID,
        author_name="Cid Costa",
        author_headline="Marketer",
        content="checklist?",
        occurred_at="2026-06-03T10:00:00Z",
    )
    later = record(
        client,
        headers,
        linkedin_profile_url=CID,
        author_name="Cid Costa",
        content="Thanks!",
        occurred_at="2026-06-04T10:00:00Z",
    )
    patched = client.patch(
        f"{ACTIVITY}/{ben['activity']['id']}", json={"status": "replied"}, headers=headers
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["data"]["status"] == "replied"
    return {"ana": ana, "ben": ben, "cid": cid, "later": later}


def authors(rows: list[dict[str, Any]]) -> list[str]:
    return [row["author_name"] for row in rows]


def names(rows: list[dict[str, Any]]) -> list[str]:
    return [row["name"] for row in rows]


def test_activity_lists_newest_first_with_native_pagination(
    client: TestClient, headers: dict[str, str], seeded: dict[str, Any]
) -> None:
    response = client.get(ACTIVITY, params={"per_page": 3}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert [row["content"] for row in body["data"]] == [
        "Thanks!",
        "checklist?",
        "Hello there, nice post",
    ]
    assert body["meta"]["total"] == 4 and body["meta"]["last_page"] == 2
    assert body["links"]["next"].endswith("per_page=3&page=2")
    second = client.get(ACTIVITY, params={"per_page": 3, "page": 2}, headers=headers).json()
    assert authors(second["data"]) == ["Ana Alvarez"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"source": "comment"}, ["Cid Costa", "Ana Alvarez"]),
        ({"source": "comments"}, ["Cid Costa", "Ana Alvarez"]),
        ({"source": "dm"}, ["Cid Costa", "Ben Brown"]),
        ({"source": "dms"}, ["Cid Costa", "Ben Brown"]),
        ({"status": "new"}, ["Cid Costa", "Cid Costa", "Ana Alvarez"]),
        ({"status": "replied"}, ["Ben Brown"]),
        ({"status": "ignored"}, []),
        ({"keyword": "guide"}, ["Ana Alvarez"]),
        ({"keyword": "CHECKLIST"}, ["Cid Costa"]),
        ({"search": "GUIDE"}, ["Ana Alvarez"]),
        ({"search": "brown"}, ["Ben Brown"]),
        ({"search": "100%"}, []),
        ({"source": "dm", "status": "new"}, ["Cid Costa"]),
    ],
)
def test_activity_filters(
    client: TestClient,
    headers: dict[str, str],
    seeded: dict[str, Any],
    params: dict[str, str],
    expected: list[str],
) -> None:
    assert authors(listed(client, headers, ACTIVITY, **params)) == expected


def test_one_activity_is_read_by_its_id(
    client: TestClient, headers: dict[str, str], seeded: dict[str, Any]
) -> None:
    activity = seeded["ana"]["activity"]
    response = client.get(f"{ACTIVITY}/{activity['id']}", headers=headers)
    assert response.status_code == 200
    assert response.json()["data"] == activity


def test_social_leads_list_most_recently_seen_first(
    client: TestClient, headers: dict[str, str], seeded: dict[str, Any]
) -> None:
    response = client.get(SOCIAL_LEADS, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert names(body["data"]) == ["Cid Costa", "Ben Brown", "Ana Alvarez"]
    assert body["meta"]["total"] == 3
    cid = body["data"][0]
    assert cid["total_interactions"] == 2
    assert cid["sources"] == {"comments": True, "dms": True, "intent": False}
    assert cid["keywords"] == ["CHECKLIST"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"keyword": "guide"}, ["Ana Alvarez"]),
        ({"keyword": "CHECKLIST"}, ["Cid Costa"]),
        ({"keyword": "NOPE"}, []),
        ({"source": "comments"}, ["Cid Costa", "Ana Alvarez"]),
        ({"source": "dms"}, ["Cid Costa", "Ben Brown"]),
        ({"source": "intent"}, []),
        ({"has_intent": "true"}, ["Cid Costa", "Ana Alvarez"]),
        ({"has_intent": "false"}, ["Ben Brown"]),
        ({"qualification": "qualified"}, ["Cid Costa", "Ana Alvarez"]),
        ({"qualification": "unqualified"}, ["Ben Brown"]),
        ({"qualification": "disqualified"}, []),
        ({"search": "alpha"}, ["Ana Alvarez"]),
        ({"search": "linkedin.com/in/ben"}, ["Ben Brown"]),
        ({"search": "costa"}, ["Cid Costa"]),
        ({"has_email": "true"}, []),
        ({"has_email": "false"}, ["Cid Costa", "Ben Brown", "Ana Alvarez"]),
        ({"source": "dms", "has_intent": "true"}, ["Cid Costa"]),
    ],
)
def test_social_lead_filters(
    client: TestClient,
    headers: dict[str, str],
    seeded: dict[str, Any],
    params: dict[str, str],
    expected: list[str],
) -> None:
    assert names(listed(client, headers, SOCIAL_LEADS, **params)) == expected


def test_has_email_counts_submitted_work_and_personal_emails(
    client: TestClient, headers: dict[str, str], seeded: dict[str, Any], db: Database
) -> None:
    lead_id = seeded["ben"]["lead"]["id"]
    client.patch(f"/api/v1/leads/{lead_id}", json={"email": "ben@example.com"}, headers=headers)
    with db.unit_of_work() as session:
        ana = session.query(SocialProfile).filter_by(linkedin_profile_url=ANA).one()
        ana.work_email = "ana@alpha.example"
    with_email = listed(client, headers, SOCIAL_LEADS, has_email="true")
    assert names(with_email) == ["Ben Brown", "Ana Alvarez"]
    assert with_email[0]["emails"]["submitted"] == "ben@example.com"
    assert with_email[1]["emails"]["work"] == "ana@alpha.example"
    assert names(listed(client, headers, SOCIAL_LEADS, has_email="false")) == ["Cid Costa"]
    assert names(listed(client, headers, SOCIAL_LEADS, search="ben@example")) == ["Ben Brown"]


def test_a_disqualified_lead_stays_disqualified(
    client: TestClient, headers: dict[str, str], seeded: dict[str, Any], db: Database
) -> None:
    with db.unit_of_work() as session:
        ana = session.query(SocialProfile).filter_by(linkedin_profile_url=ANA).one()
        ana.qualification_status = "disqualified"
    lead = record(
        client, headers, linkedin_profile_url=ANA, author_name="Ana Alvarez", content="guide again"
    )["lead"]
    assert lead["qualification_status"] == "disqualified"
    assert names(listed(client, headers, SOCIAL_LEADS, qualification="disqualified")) == [
        "Ana Alvarez"
    ]


def test_a_page_of_social_leads_is_two_queries_whatever_its_size(
    client: TestClient, headers: dict[str, str], seeded: dict[str, Any], db: Database
) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statement = str(args[2])
        if "social_profiles" in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        listed(client, headers, SOCIAL_LEADS)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    # One page query (profiles joined with their leads) and one count.
    assert len(statements) == 2, statements


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (ACTIVITY, {"source": "email"}),
        (ACTIVITY, {"status": "done"}),
        (ACTIVITY, {"per_page": 0}),
        (SOCIAL_LEADS, {"source": "comment"}),
        (SOCIAL_LEADS, {"qualification": "maybe"}),
        (SOCIAL_LEADS, {"has_email": "perhaps"}),
        (SOCIAL_LEADS, {"page": 0}),
    ],
)
def test_an_unknown_filter_value_is_a_validation_error(
    client: TestClient, headers: dict[str, str], path: str, params: dict[str, str]
) -> None:
    response = client.get(path, params=params, headers=headers)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["status"] == "error" and body["code"] == "VALIDATION_FAILED"
