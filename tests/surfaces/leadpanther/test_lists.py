"""/leads and /activity: limit and offset pagination (50 by default, at most 100) and every
documented filter; /clients pages the same way."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from leadhub.db.uow import Database
from leadhub.models import SocialProfile
from tests.conftest import BASE_URL
from tests.factories import Workspace, make_workspace
from tests.surfaces.leadpanther.helpers import (
    BASE,
    assert_error,
    browser,
    create_magnet,
    key_headers,
    make_grant,
    record_activity,
)

ANNA = "https://www.linkedin.com/in/anna"
BEN = "https://www.linkedin.com/in/ben"
CARL = "https://www.linkedin.com/in/carl"


@pytest.fixture
def people(app: FastAPI, client: TestClient, db: Database, workspace: Workspace) -> dict[str, Any]:
    """Anna asked for GUIDE in a comment and gave her email; Ben sent a DM; Carl commented
    without a keyword, has intent and is disqualified (asking for a keyword is intent, and
    qualifies)."""
    native = key_headers(db, workspace)
    create_magnet(client, native, delivery_mode="gated")
    anna = record_activity(
        client, native, linkedin_profile_url=ANNA, author_name="Anna Alpha", content="GUIDE pls"
    )
    path = anna["resource_link"].removeprefix(BASE_URL)
    visitor = browser(app)
    visitor.get(path)
    assert visitor.post(path, data={"email": "anna@example.com"}).status_code == 200
    ben = record_activity(
        client,
        native,
        source="dm",
        linkedin_profile_url=BEN,
        author_name="Ben Beta",
        content="Hello there",
        occurred_at="2026-06-15T16:00:00Z",
    )
    carl = record_activity(
        client,
        native,
        linkedin_profile_url=CARL,
        author_name="Carl Gamma",
        content="Nice post",
        occurred_at="2026-06-15T17:00:00Z",
    )
    with db.unit_of_work() as session:
        session.execute(
            update(SocialProfile)
            .where(SocialProfile.linkedin_profile_url == CARL)
            .values(
                has_intent=True,
                intent_signals=["Asked for pricing"],
                qualification_status="disqualified",
            )
        )
    replied = client.patch(
        f"/api/v1/activity/{ben['activity']['id']}", json={"status": "replied"}, headers=native
    )
    assert replied.status_code == 200, replied.text
    return {"anna": anna, "ben": ben, "carl": carl}


def names(client: TestClient, headers: dict[str, str], path: str, **params: Any) -> list[str]:
    response = client.get(f"{BASE}{path}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return sorted(item.get("name") or item["author_name"] for item in response.json()["data"])


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Anna Alpha", "Ben Beta", "Carl Gamma"]),
        ({"keyword": "GUIDE"}, ["Anna Alpha"]),
        ({"keyword": "guide"}, ["Anna Alpha"]),
        ({"source": "comments"}, ["Anna Alpha", "Carl Gamma"]),
        ({"source": "dms"}, ["Ben Beta"]),
        ({"source": "intent"}, []),
        ({"has_email": "true"}, ["Anna Alpha"]),
        ({"has_email": "false"}, ["Ben Beta", "Carl Gamma"]),
        ({"has_intent": "true"}, ["Anna Alpha", "Carl Gamma"]),
        ({"has_intent": "false"}, ["Ben Beta"]),
        ({"qualification": "qualified"}, ["Anna Alpha"]),
        ({"qualification": "unqualified"}, ["Ben Beta"]),
        ({"qualification": "disqualified"}, ["Carl Gamma"]),
        ({"search": "beta"}, ["Ben Beta"]),
        ({"search": "anna@example"}, ["Anna Alpha"]),
        ({"source": "comments", "has_email": "true"}, ["Anna Alpha"]),
    ],
)
def test_every_leads_filter(
    client: TestClient, db: Database, workspace: Workspace, params: Any, expected: list[str]
) -> None:
    assert names(client, key_headers(db, workspace, "leads:read"), "/leads", **params) == expected


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Anna Alpha", "Ben Beta", "Carl Gamma"]),
        ({"source": "comments"}, ["Anna Alpha", "Carl Gamma"]),
        ({"source": "comment"}, ["Anna Alpha", "Carl Gamma"]),
        ({"source": "dms"}, ["Ben Beta"]),
        ({"status": "new"}, ["Anna Alpha", "Carl Gamma"]),
        ({"status": "replied"}, ["Ben Beta"]),
        ({"keyword": "GUIDE"}, ["Anna Alpha"]),
        ({"search": "nice"}, ["Carl Gamma"]),
        ({"search": "GUIDE"}, ["Anna Alpha"]),
        ({"source": "comments", "status": "new", "keyword": "guide"}, ["Anna Alpha"]),
    ],
)
def test_every_activity_filter(
    client: TestClient, db: Database, workspace: Workspace, params: Any, expected: list[str]
) -> None:
    headers = key_headers(db, workspace, "activity:read")
    assert names(client, headers, "/activity", **params) == expected


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize("path", ["/leads", "/activity"])
def test_limit_and_offset_page_with_has_more(
    client: TestClient, db: Database, workspace: Workspace, path: str
) -> None:
    headers = key_headers(db, workspace)
    first = client.get(f"{BASE}{path}?limit=2", headers=headers).json()
    assert first["pagination"] == {"limit": 2, "offset": 0, "has_more": True}
    rest = client.get(f"{BASE}{path}?limit=2&offset=2", headers=headers).json()
    assert rest["pagination"] == {"limit": 2, "offset": 2, "has_more": False}
    ids = [item["id"] for item in first["data"] + rest["data"]]
    assert len(ids) == len(set(ids)) == 3
    default = client.get(f"{BASE}{path}", headers=headers).json()["pagination"]
    assert default == {"limit": 50, "offset": 0, "has_more": False}
    beyond = client.get(f"{BASE}{path}?offset=10", headers=headers).json()
    assert beyond["data"] == [] and beyond["pagination"]["has_more"] is False


@pytest.mark.parametrize("path", ["/leads", "/activity", "/clients"])
def test_the_limit_is_at_most_100_and_at_least_1(
    client: TestClient, db: Database, workspace: Workspace, path: str
) -> None:
    headers = key_headers(db, workspace)
    clamped = client.get(f"{BASE}{path}?limit=500", headers=headers)
    assert clamped.status_code == 200, clamped.text
    assert clamped.json()["pagination"]["limit"] == 100
    for bad in ("limit=0", "limit=-1", "limit=many", "offset=-1"):
        error = assert_error(
            client.get(f"{BASE}{path}?{bad}", headers=headers), 400, "validation_failed"
        )
        assert bad.split("=", maxsplit=1)[0] in error["details"]


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/leads", "source=twitter"),
        ("/leads", "qualification=maybe"),
        ("/leads", "has_email=perhaps"),
        ("/activity", "status=done"),
        ("/activity", "source=email"),
    ],
)
def test_an_unknown_filter_value_is_400(
    client: TestClient, db: Database, workspace: Workspace, path: str, param: str
) -> None:
    response = client.get(f"{BASE}{path}?{param}", headers=key_headers(db, workspace))
    error = assert_error(response, 400, "validation_failed")
    assert param.split("=", maxsplit=1)[0] in error["details"]


def test_clients_are_paged(client: TestClient, db: Database, agency: Workspace) -> None:
    for slug in ("client-a", "client-b", "client-c"):
        make_grant(db, agency, make_workspace(db, slug))
    headers = key_headers(db, agency, "clients:read")
    first = client.get(f"{BASE}/clients?limit=2", headers=headers).json()
    assert first["pagination"] == {"limit": 2, "offset": 0, "has_more": True}
    rest = client.get(f"{BASE}/clients?limit=2&offset=2", headers=headers).json()
    assert rest["pagination"] == {"limit": 2, "offset": 2, "has_more": False}
    users = [item["user_id"] for item in first["data"] + rest["data"]]
    assert len(set(users)) == 3


def test_magnet_analytics_page_their_captures(
    app: FastAPI, client: TestClient, db: Database, workspace: Workspace
) -> None:
    headers = key_headers(db, workspace)
    magnet_id = create_magnet(client, headers, delivery_mode="gated")
    for name in ("a", "b", "c"):
        browser(app).post("/m/example-guide", data={"email": f"{name}@example.com"})
    path = f"{BASE}/lead-magnets/{magnet_id}/analytics"
    first = client.get(f"{path}?limit=2", headers=headers).json()["data"]
    assert len(first["recent_captures"]) == 2
    assert first["pagination"] == {"limit": 2, "offset": 0, "has_more": True}
    # A capture without a social lead has no LeadPanther lead id.
    assert all(capture["lead_id"] is None for capture in first["recent_captures"])
    clamped = client.get(f"{path}?limit=500", headers=headers).json()["data"]
    assert clamped["pagination"] == {"limit": 100, "offset": 0, "has_more": False}
