"""POST /api/v1/activity: every author becomes a lead; a keyword answers the reply to send."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.models import Lead, LeadEvent, SocialProfile, TrackingLink
from tests.activity.helpers import ACTIVITY, PROFILE, event, record
from tests.conftest import BASE_URL
from tests.lead_magnets.helpers import create

LINK = re.compile(rf"{BASE_URL}/m/example-guide\?t=([0-9a-f-]{{36}})")


def test_a_comment_with_a_keyword_makes_a_lead_and_answers_the_reply(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    magnet = create(client, headers)
    data = record(client, headers, content="Love this, GUIDE please!", comment_id="c-1")
    reply = data["reply"]
    assert reply.startswith("Here is the guide: ")
    found = LINK.fullmatch(reply.removeprefix("Here is the guide: "))
    assert found is not None, reply
    assert data["resource_link"] == reply.removeprefix("Here is the guide: ")
    activity = data["activity"]
    assert activity["source"] == "comment"
    assert activity["keyword"] == "GUIDE"
    assert activity["status"] == "new"
    assert activity["linkedin_profile_url"] == PROFILE
    assert activity["occurred_at"].startswith("2026-06-15T15:45:00")
    assert activity["metadata"] == {
        "post_id": "post-1",
        "comment_id": "c-1",
        "is_lead_magnet_request": True,
        "matched_template_id": magnet["uuid"],
    }
    lead = data["lead"]
    assert lead["linkedin_profile_url"] == PROFILE
    assert lead["name"] == "Example Person"
    assert lead["headline"] == "Example Headline"
    assert lead["emails"] == {"submitted": None, "work": None, "personal": None}
    assert lead["sources"] == {"comments": True, "dms": False, "intent": False}
    assert lead["total_interactions"] == 1
    assert lead["keywords"] == ["GUIDE"] and lead["latest_keyword"] == "GUIDE"
    assert lead["has_intent"] is True
    assert lead["intent_signals"] == ["Requested Example Guide"]
    assert lead["qualification_status"] == "qualified"
    assert lead["first_seen_at"] == lead["last_seen_at"] == activity["occurred_at"]
    assert activity["lead_id"] == lead["id"]
    with db.unit_of_work(write=False) as session:
        stored = session.get(Lead, lead["id"])
        assert stored is not None
        assert (stored.first_name, stored.last_name, stored.source) == (
            "Example",
            "Person",
            "linkedin",
        )
        link = session.query(TrackingLink).filter_by(uuid=found.group(1)).one()
        assert (link.lead_id, link.source, link.clicks) == (lead["id"], "comments", 0)
        kinds = [e.type for e in session.query(LeadEvent).filter_by(lead_id=lead["id"])]
        assert sorted(kinds) == ["lead_created", "social_activity"]


def test_the_tracking_link_resolves_to_the_hosted_page(
    client: TestClient, headers: dict[str, str]
) -> None:
    create(client, headers)
    link = record(client, headers)["resource_link"]
    page = client.get(link.removeprefix(BASE_URL))
    assert page.status_code == 200
    assert "Public-safe guide content." in page.text


def test_the_same_profile_again_by_dm_is_one_lead_with_two_interactions(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    create(client, headers)
    first = record(client, headers)
    second = record(
        client,
        headers,
        source="dm",
        content="hi, I am interested",
        linkedin_profile_url="https://linkedin.com/in/example-profile/?trk=x",
        author_headline="New Headline",
        occurred_at="2026-06-16T09:00:00+02:00",
    )
    assert second["reply"] is None
    lead = second["lead"]
    assert lead["id"] == first["lead"]["id"]
    assert lead["total_interactions"] == 2
    assert lead["sources"] == {"comments": True, "dms": True, "intent": False}
    assert lead["keywords"] == ["GUIDE"] and lead["latest_keyword"] == "GUIDE"
    assert lead["headline"] == "New Headline"
    assert lead["first_seen_at"].startswith("2026-06-15T15:45:00")
    assert lead["last_seen_at"].startswith("2026-06-16T07:00:00")
    with db.unit_of_work(write=False) as session:
        assert session.query(SocialProfile).count() == 1
        assert session.query(Lead).count() == 1


def test_a_second_keyword_adds_to_the_leads_keywords_and_signals(
    client: TestClient, headers: dict[str, str]
) -> None:
    create(client, headers)
    create(
        client,
        headers,
        keyword="CHECKLIST",
        resource_name="Example Checklist",
        hosted_page={"title": "Example Checklist"},
    )
    record(client, headers)
    lead = record(client, headers, content="checklist too", occurred_at="2026-06-17T00:00:00Z")[
        "lead"
    ]
    assert lead["keywords"] == ["GUIDE", "CHECKLIST"]
    assert lead["latest_keyword"] == "CHECKLIST"
    assert lead["intent_signals"] == ["Requested Example Guide", "Requested Example Checklist"]


def test_an_author_who_is_not_connected_gets_the_not_connected_reply(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    create(client, headers)
    data = record(client, headers, connected=False)
    assert data["reply"] == "Connect with me and I will send it over."
    assert data["resource_link"] is None
    assert data["activity"]["keyword"] == "GUIDE"
    with db.unit_of_work(write=False) as session:
        assert session.query(TrackingLink).count() == 0


def test_no_keyword_means_no_reply_but_the_author_is_still_a_lead(
    client: TestClient, headers: dict[str, str]
) -> None:
    create(client, headers)
    data = record(client, headers, content="Great post! Where is the guidebook?")
    assert data["reply"] is None and data["resource_link"] is None
    assert data["activity"]["keyword"] is None
    assert data["activity"]["metadata"]["is_lead_magnet_request"] is False
    assert data["activity"]["metadata"]["matched_template_id"] is None
    lead = data["lead"]
    assert lead["total_interactions"] == 1
    assert lead["sources"]["comments"] is True
    assert lead["keywords"] == [] and lead["latest_keyword"] is None
    assert lead["has_intent"] is False and lead["intent_signals"] == []
    assert lead["qualification_status"] == "unqualified"


def test_an_external_link_magnet_replies_with_its_url(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    create(
        client,
        headers,
        delivery_mode="external_link",
        external_resource_url="https://example.com/guide.pdf",
        text_template="Grab it: {{resource_link}}",
        hosted_page=None,
    )
    data = record(client, headers)
    assert data["reply"] == "Grab it: https://example.com/guide.pdf"
    with db.unit_of_work(write=False) as session:
        assert session.query(TrackingLink).count() == 0


def test_an_event_without_occurred_at_happened_now(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = event()
    del body["occurred_at"]
    response = client.post(ACTIVITY, json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["data"]["activity"]["occurred_at"].startswith("20")


def test_an_event_names_the_lead_by_its_latest_author_name(
    client: TestClient, headers: dict[str, str]
) -> None:
    record(client, headers, author_name="Old Name", occurred_at="2026-06-10T00:00:00Z")
    lead = record(client, headers, author_name="Earlier Name", occurred_at="2026-06-01T00:00:00Z")[
        "lead"
    ]
    assert lead["name"] == "Old Name"
    assert lead["first_seen_at"].startswith("2026-06-01")
