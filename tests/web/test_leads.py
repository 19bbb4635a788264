"""The leads pages: the table with its filters, sort and pages, bulk actions, a lead's page, and
the create and edit forms."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.apikeys import service as apikeys
from leadhub.domains.forms import service as forms
from leadhub.domains.forms.schemas import FormCreate, SubmissionMeta
from leadhub.domains.leads import service as leads
from leadhub.domains.leads.schemas import LeadUpdate
from leadhub.models import Lead, LeadEvent
from tests.factories import Workspace, default_pipeline, make_lead, make_workspace
from tests.web.conftest import WebSession, make_member

# -- helpers -------------------------------------------------------------------------------


def text_of(html: str) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def rows(html: str) -> list[str]:
    """The lead names in the table, in order."""
    return [unescape(name) for name in re.findall(r'aria-label="Select (?!every)([^"]+)"', html)]


def lead_row(db: Database, lead_id: int) -> Lead | None:
    with db.unit_of_work(write=False) as session:
        return session.get(Lead, lead_id)


def tags_of(db: Database, workspace: Workspace, lead_id: int) -> list[str]:
    with db.unit_of_work(write=False) as session:
        return leads.get(session, workspace.principal(), lead_id).tags


def set_created(db: Database, lead_id: int, moment: datetime) -> None:
    with db.unit_of_work() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        lead.created_at = moment


def update_as(db: Database, session_user: WebSession, lead_id: int, **fields: Any) -> None:
    """Change a lead through the service as a signed-in person (so events name them)."""
    from leadhub.domains.users import signin

    with db.unit_of_work() as session:
        membership = signin.memberships(session, [session_user.user_id])[0]
        leads.update(session, membership.principal(), lead_id, data=LeadUpdate(**fields))


@pytest.fixture
def other(db: Database) -> Workspace:
    return make_workspace(db, "globex")


# -- the table -----------------------------------------------------------------------------


def test_the_table_shows_every_column(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    _, stages = default_pipeline(db, workspace)
    lead_id = make_lead(
        db,
        workspace,
        first_name="Ann",
        last_name="Lee",
        email="ann@example.com",
        phone="+14155550101",
        company="Acme",
        source="facebook",
        status="contacted",
        pipeline_stage_id=stages[1],
        assigned_user_id=owner.user_id,
        tags=["vip"],
    )
    page = owner.get("/leads")
    assert page.status_code == 200
    text = text_of(page.text)
    for shown in ("Ann Lee", "ann@example.com", "+14155550101", "Acme", "facebook", "contacted"):
        assert shown in text
    assert "Contacted" in text and "Olivia Owner" in text and "vip" in text
    assert f'href="/leads/{lead_id}"' in page.text
    assert "1 lead in" in text


def test_an_empty_workspace_says_so_and_offers_to_add_a_lead(owner: WebSession) -> None:
    text = text_of(owner.get("/leads").text)
    assert "No leads yet" in text and "Add a lead" in text


def test_filters_that_match_nothing_offer_to_clear_them(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, first_name="Ann")
    page = owner.get("/leads?search=nobody")
    assert "No leads match these filters" in text_of(page.text)
    assert 'href="/leads">Clear filters' in page.text


FILTER_CASES = [
    ("source=facebook", ["Ann"]),
    ("source=facebook,google", ["Bob", "Ann"]),
    ("status=won", ["Bob"]),
    ("status=won&status=new", ["Cy", "Bob"]),
    ("tag=VIP", ["Ann"]),
    ("search=bob", ["Bob"]),
    ("search=cy%40example", ["Cy"]),
    ("starred=true", ["Cy"]),
    ("starred=false", ["Bob", "Ann"]),
]


def test_each_filter_works_from_the_query_string(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, first_name="Ann", source="facebook", status="contacted", tags=["vip"])
    make_lead(db, workspace, first_name="Bob", source="google", status="won")
    make_lead(db, workspace, first_name="Cy", email="cy@example.com", starred=True)
    for query, expected in FILTER_CASES:
        page = owner.get(f"/leads?{query}")
        assert rows(page.text) == expected, query
        assert re.search(r"leads? match(es)? these filters", page.text), query


def test_pipeline_stage_and_owner_filters(
    owner: WebSession, member: WebSession, db: Database, workspace: Workspace
) -> None:
    pipeline_id, stages = default_pipeline(db, workspace)
    make_lead(db, workspace, first_name="Ann", pipeline_stage_id=stages[2])
    make_lead(db, workspace, first_name="Bob", pipeline_id=pipeline_id)
    make_lead(db, workspace, first_name="Cy", assigned_user_id=member.user_id)
    assert rows(owner.get(f"/leads?pipeline_id={pipeline_id}").text) == ["Bob", "Ann"]
    assert rows(owner.get(f"/leads?stage_id={stages[2]}").text) == ["Ann"]
    page = owner.get(f"/leads?assigned_user_id={member.user_id}")
    assert rows(page.text) == ["Cy"]
    assert "Owner: Max Member" in text_of(page.text)


def test_created_after_and_before(owner: WebSession, db: Database, workspace: Workspace) -> None:
    for name, day in (("Ann", 1), ("Bob", 10), ("Cy", 20)):
        set_created(
            db, make_lead(db, workspace, first_name=name), datetime(2025, 3, day, tzinfo=UTC)
        )
    page = owner.get("/leads?created_after=2025-03-05&created_before=2025-03-15")
    assert rows(page.text) == ["Bob"]
    assert 'value="2025-03-05"' in page.text


SORT_CASES = [
    ("first_name", "asc", ["Ann Zed", "Bob Young", "Cy Xu"]),
    ("first_name", "desc", ["Cy Xu", "Bob Young", "Ann Zed"]),
    ("last_name", "asc", ["Cy Xu", "Bob Young", "Ann Zed"]),
    ("email", "asc", ["Bob Young", "Cy Xu", "Ann Zed"]),
    ("lead_score", "desc", ["Cy Xu", "Ann Zed", "Bob Young"]),
    ("created_at", "asc", ["Ann Zed", "Bob Young", "Cy Xu"]),
    ("created_at", "desc", ["Cy Xu", "Bob Young", "Ann Zed"]),
    ("updated_at", "desc", ["Bob Young", "Ann Zed", "Cy Xu"]),
]


def test_sorting_from_the_query_string(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann", last_name="Zed", email="c@x.io", lead_score=5)
    bob = make_lead(db, workspace, first_name="Bob", last_name="Young", email="a@x.io")
    make_lead(db, workspace, first_name="Cy", last_name="Xu", email="b@x.io", lead_score=9)
    with db.unit_of_work() as session:
        later = datetime.now(UTC) + timedelta(minutes=5)
        for lead_id, moment in ((ann, later - timedelta(minutes=1)), (bob, later)):
            found = session.get(Lead, lead_id)
            assert found is not None
            found.updated_at = moment
    for sort, direction, expected in SORT_CASES:
        page = owner.get(f"/leads?sort={sort}&direction={direction}")
        assert rows(page.text) == expected, (sort, direction)


def test_column_headers_toggle_the_sort_and_keep_the_filters(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, first_name="Ann")
    page = owner.get("/leads?status=new&sort=email&direction=asc&page=1").text
    assert 'href="/leads?status=new&amp;sort=email&amp;direction=desc"' in page
    assert 'aria-sort="ascending"' in page
    assert "status=new&amp;sort=lead_score&amp;direction=desc" in page
    assert "status=new&amp;sort=first_name&amp;direction=asc" in page


def test_pages_and_per_page_stay_in_the_url(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    for name in ("Ann", "Bob", "Cy", "Di", "Ed"):
        make_lead(db, workspace, first_name=name, status="new")
    page = owner.get("/leads?status=new&sort=first_name&direction=asc&per_page=2&page=2")
    assert rows(page.text) == ["Cy", "Di"]
    assert "3\u20134 of 5" in page.text
    assert "status=new&amp;sort=first_name&amp;direction=asc&amp;per_page=2&amp;page=3" in page.text
    past = owner.get("/leads?per_page=2&page=9")
    assert "There is nothing on this page" in text_of(past.text)


def test_unreadable_parameters_are_left_out_and_reported(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, first_name="Ann")
    page = owner.get("/leads?pipeline_id=abc&created_after=yesterday&sort=nope&per_page=x")
    assert page.status_code == 200
    assert rows(page.text) == ["Ann"]
    text = text_of(page.text)
    assert "could not be read" in text and "pipeline_id" in text and "created_after" in text


def test_the_table_shows_only_this_workspace(
    owner: WebSession, db: Database, workspace: Workspace, other: Workspace
) -> None:
    make_lead(db, workspace, first_name="Ann")
    make_lead(db, other, first_name="Stranger")
    assert rows(owner.get("/leads").text) == ["Ann"]


# -- bulk actions --------------------------------------------------------------------------


def test_bulk_tag_adds_the_tag_and_returns_to_the_same_view(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann, bob = (
        make_lead(db, workspace, first_name="Ann"),
        make_lead(db, workspace, first_name="Bob"),
    )
    response = owner.post(
        "/leads/bulk",
        {"action": "tag", "tag": "hot", "ids": [ann, bob], "back": "status=new&page=2&evil=1"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/leads?status=new&page=2"
    assert tags_of(db, workspace, ann) == ["hot"] and tags_of(db, workspace, bob) == ["hot"]
    assert "Tagged 2 leads “hot”." in owner.get("/leads").text


def test_bulk_assign_and_unassign(
    owner: WebSession, member: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    owner.post("/leads/bulk", {"action": "assign", "user_id": member.user_id, "ids": [ann]})
    lead = lead_row(db, ann)
    assert lead is not None and lead.assigned_user_id == member.user_id
    owner.post("/leads/bulk", {"action": "assign", "user_id": "abc", "ids": [ann]})
    lead = lead_row(db, ann)
    assert lead is not None and lead.assigned_user_id == member.user_id
    owner.post("/leads/bulk", {"action": "assign", "user_id": "", "ids": [ann]})
    lead = lead_row(db, ann)
    assert lead is not None and lead.assigned_user_id is None


def test_bulk_assign_to_another_workspaces_user_changes_nothing(
    owner: WebSession, db: Database, workspace: Workspace, other: Workspace
) -> None:
    stranger = make_member(db, other, "x@globex.com")
    ann = make_lead(db, workspace, first_name="Ann")
    owner.post("/leads/bulk", {"action": "assign", "user_id": stranger, "ids": [ann]})
    lead = lead_row(db, ann)
    assert lead is not None and lead.assigned_user_id is None
    assert "The selected user is invalid." in owner.get("/leads").text


def test_bulk_status_changes_it_and_records_events(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    owner.post("/leads/bulk", {"action": "status", "status": "Qualified", "ids": [ann]})
    lead = lead_row(db, ann)
    assert lead is not None and lead.status == "qualified"
    with db.unit_of_work(write=False) as session:
        event = session.query(LeadEvent).filter_by(lead_id=ann, type="status_changed").one()
        assert (event.actor_type, event.actor_id) == ("user", owner.user_id)


def test_a_bad_bulk_status_changes_nothing_and_says_why(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann = make_lead(db, workspace, first_name="Ann")
    owner.post("/leads/bulk", {"action": "status", "status": "no<way>", "ids": [ann]})
    lead = lead_row(db, ann)
    assert lead is not None and lead.status == "new"
    assert "The status field may contain only" in unescape(owner.get("/leads").text)


def test_bulk_without_a_selection_asks_for_one(owner: WebSession) -> None:
    response = owner.post("/leads/bulk", {"action": "tag", "tag": "x"})
    assert response.status_code == 303
    assert "Select at least one lead first." in owner.get("/leads").text


def test_bulk_delete_asks_first_then_deletes(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    ann, bob = (
        make_lead(db, workspace, first_name="Ann"),
        make_lead(db, workspace, first_name="Bob"),
    )
    asked = owner.post("/leads/bulk", {"action": "delete", "ids": [ann, bob], "back": "tag=x"})
    assert asked.status_code == 200
    assert "Delete 2 leads?" in asked.text and 'name="confirm" value="yes"' in asked.text
    assert lead_row(db, ann) is not None
    done = owner.post(
        "/leads/bulk", {"action": "delete", "ids": [ann, bob], "back": "tag=x", "confirm": "yes"}
    )
    assert done.status_code == 303 and done.headers["location"] == "/leads?tag=x"
    assert lead_row(db, ann) is None and lead_row(db, bob) is None


def test_bulk_actions_never_touch_another_workspaces_leads(
    owner: WebSession, db: Database, workspace: Workspace, other: Workspace
) -> None:
    mine = make_lead(db, workspace, first_name="Ann")
    theirs = make_lead(db, other, first_name="Stranger")
    owner.post("/leads/bulk", {"action": "tag", "tag": "hot", "ids": [mine, theirs]})
    owner.post("/leads/bulk", {"action": "status", "status": "won", "ids": [theirs]})
    owner.post("/leads/bulk", {"action": "delete", "ids": [theirs], "confirm": "yes"})
    assert tags_of(db, other, theirs) == []
    stranger = lead_row(db, theirs)
    assert stranger is not None and stranger.status == "new"
    assert tags_of(db, workspace, mine) == ["hot"]


# -- a lead's page -------------------------------------------------------------------------


def test_the_lead_page_shows_fields_custom_fields_and_attribution(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    lead_id = make_lead(
        db,
        workspace,
        first_name="Ann",
        last_name="Lee",
        email="ann@example.com",
        job_title="CTO",
        value="1250.5",
        notes="Call back on Monday",
        unique_identifier="crm-7",
        custom_fields={"plan": "pro", "seats": 12},
        attribution={"utm_source": "newsletter", "gclid": "g-123"},
    )
    page = owner.get(f"/leads/{lead_id}")
    assert page.status_code == 200
    text = text_of(page.text)
    for shown in ("Ann Lee", "ann@example.com", "CTO", "1,250.50", "Call back on Monday", "crm-7"):
        assert shown in text
    assert "plan pro" in text and "seats 12" in text
    assert "UTM source newsletter" in text and "Google click id (gclid) g-123" in text


def test_the_lead_page_lists_its_form_submissions(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    with db.unit_of_work() as session:
        form = forms.create_form(
            session,
            workspace.principal(),
            data=FormCreate(name="Contact us", fields=[{"name": "email", "type": "email"}]),
        )
        result = forms.record_public(
            session,
            form.id,
            values={"email": "ann@example.com", "message": "hi"},
            meta=SubmissionMeta(attribution={"utm_campaign": "spring"}),
        )
    assert result.lead_id is not None
    text = text_of(owner.get(f"/leads/{result.lead_id}").text)
    assert "Form submissions (1)" in text and "Contact us" in text and "spring" in text
    assert "Form “Contact us” submitted" in text


def test_the_timeline_reads_as_sentences_with_who_did_it(
    owner: WebSession, client: TestClient, db: Database, workspace: Workspace
) -> None:
    _, stages = default_pipeline(db, workspace)
    with db.unit_of_work() as session:
        key = apikeys.create(session, workspace.id, name="zapier").plaintext
    created = client.post(
        "/api/v1/leads",
        json={"first_name": "Ann", "tags": ["a"]},
        headers={"Authorization": f"Bearer {key}"},
    ).json()["data"]
    lead_id = created["id"]
    update_as(
        db,
        owner,
        lead_id,
        status="contacted",
        pipeline_stage_id=stages[1],
        assigned_user_id=owner.user_id,
        company="Acme",
    )
    text = text_of(owner.get(f"/leads/{lead_id}").text)
    assert "Lead created (source: api) by API key zapier" in text
    assert "Status changed from new to contacted by Olivia Owner" in text
    assert "Put in stage Contacted by Olivia Owner" in text
    assert "Assigned to Olivia Owner by Olivia Owner" in text
    assert "Details updated by Olivia Owner" in text and "Company: empty → Acme" in text


def test_changes_made_by_leadhub_itself_are_signed_leadhub(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    lead_id = make_lead(db, workspace, first_name="Ann", source="import")
    assert "Lead created (source: import) by LeadHub" in text_of(
        owner.get(f"/leads/{lead_id}").text
    )


def test_a_long_timeline_has_pages(owner: WebSession, db: Database, workspace: Workspace) -> None:
    lead_id = make_lead(db, workspace, first_name="Ann")
    for score in range(1, 26):
        update_as(db, owner, lead_id, lead_score=score)
    first = owner.get(f"/leads/{lead_id}").text
    assert "Score: 24 → 25" in first and "Score: 0 → 1" not in first
    assert "timeline_page=2" in first
    second = owner.get(f"/leads/{lead_id}?timeline_page=2").text
    assert "Score: 0 → 1" in second and "Lead created" in text_of(second)


def test_tags_are_added_and_removed_inline(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    lead_id = make_lead(db, workspace, first_name="Ann")
    response = owner.post(f"/leads/{lead_id}/tags", {"tag": "Hot lead"})
    assert response.status_code == 303 and response.headers["location"] == f"/leads/{lead_id}"
    assert tags_of(db, workspace, lead_id) == ["Hot lead"]
    page = owner.get(f"/leads/{lead_id}").text
    assert "Tag “Hot lead” added by Olivia Owner" in text_of(page)
    owner.post(f"/leads/{lead_id}/tags/remove", {"tag": "Hot lead"})
    assert tags_of(db, workspace, lead_id) == []


def test_a_bad_tag_is_shown_beside_the_tag_field(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    lead_id = make_lead(db, workspace, first_name="Ann")
    response = owner.post(f"/leads/{lead_id}/tags", {"tag": "x" * 51})
    assert response.status_code == 422
    assert 'aria-describedby="e-tag"' in response.text
    assert "Each tag must be 1 to 50 characters." in response.text


def test_deleting_a_lead_asks_first(owner: WebSession, db: Database, workspace: Workspace) -> None:
    lead_id = make_lead(db, workspace, first_name="Ann")
    page = owner.get(f"/leads/{lead_id}").text
    assert 'data-confirm="Delete Ann? This cannot be undone."' in page
    asked = owner.post(f"/leads/{lead_id}/delete")
    assert asked.status_code == 200 and "Delete Ann?" in asked.text
    assert lead_row(db, lead_id) is not None
    done = owner.post(f"/leads/{lead_id}/delete", {"confirm": "yes"})
    assert done.status_code == 303 and done.headers["location"] == "/leads"
    assert lead_row(db, lead_id) is None
    assert "Deleted Ann." in owner.get("/leads").text


# -- create and edit -----------------------------------------------------------------------


def test_the_new_lead_form_offers_stages_users_and_blank_custom_rows(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    page = owner.get("/leads/new")
    assert page.status_code == 200
    assert '<optgroup label="Sales">' in page.text
    assert ">Olivia Owner</option>" in page.text
    assert page.text.count('name="cf_key"') == 3
    assert 'value="manual"' in page.text


def test_creating_a_lead_with_every_kind_of_field(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    _, stages = default_pipeline(db, workspace)
    response = owner.post(
        "/leads/new",
        {
            "first_name": "Ann",
            "last_name": "Lee",
            "email": "Ann@Example.com",
            "phone": "+1 415 555 0101",
            "source": "manual",
            "status": "new",
            "pipeline_stage_id": stages[2],
            "assigned_user_id": owner.user_id,
            "lead_score": "7",
            "value": "99.5",
            "starred": "1",
            "tags": "vip, spring ,",
            "cf_key": ["plan", "", "seats"],
            "cf_value": ["pro", "", "3"],
            "attribution.utm_source": "newsletter",
        },
    )
    assert response.status_code == 303, response.text
    lead_id = int(response.headers["location"].rsplit("/", 1)[1])
    with db.unit_of_work(write=False) as session:
        lead = leads.get(session, workspace.principal(), lead_id)
        event = session.query(LeadEvent).filter_by(lead_id=lead_id, type="lead_created").one()
    assert lead.email == "ann@example.com" and lead.phone == "+14155550101"
    assert lead.pipeline_stage_id == stages[2] and lead.assigned_user_id == owner.user_id
    assert (lead.lead_score, lead.value, lead.starred) == (7, 99.5, True)
    assert sorted(lead.tags) == ["spring", "vip"]
    assert lead.custom_fields == {"plan": "pro", "seats": "3"}
    assert lead.attribution.utm_source == "newsletter"
    assert (event.actor_type, event.actor_id) == ("user", owner.user_id)


def test_validation_messages_show_beside_the_fields_and_keep_the_values(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, first_name="Taken", email="taken@example.com")
    response = owner.post(
        "/leads/new",
        {"first_name": "", "last_name": "Lee", "email": "taken@example.com", "lead_score": "x"},
    )
    assert response.status_code == 422
    html = response.text
    assert 'id="e-first_name">The first name field is required.' in html
    assert (
        'id="f-first_name" name="first_name"' in html and 'aria-describedby="e-first_name"' in html
    )
    assert 'id="e-lead_score">The lead score field must be an integer.' in html
    assert 'value="Lee"' in html
    fixed = owner.post("/leads/new", {"first_name": "Ann", "email": "taken@example.com"})
    assert fixed.status_code == 422
    assert 'id="e-email">The email has already been taken.' in fixed.text


def test_custom_field_rows_need_a_name(owner: WebSession) -> None:
    response = owner.post("/leads/new", {"first_name": "Ann", "cf_key": [""], "cf_value": ["x"]})
    assert response.status_code == 422
    assert "Each custom field needs a name." in response.text


def test_the_edit_form_shows_the_lead_and_saves_changes(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    lead_id = make_lead(
        db,
        workspace,
        first_name="Ann",
        email="ann@example.com",
        tags=["old"],
        custom_fields={"seats": 12, "plan": "pro", "gone": "x"},
    )
    page = owner.get(f"/leads/{lead_id}/edit")
    assert page.status_code == 200
    assert 'value="ann@example.com"' in page.text and 'value="12"' in page.text
    response = owner.post(
        f"/leads/{lead_id}/edit",
        {
            "first_name": "Anna",
            "email": "ann@example.com",
            "status": "contacted",
            "tags": "new",
            "cf_key": ["seats", "plan", "gone", "extra"],
            "cf_value": ["12", "team", "", "yes"],
        },
    )
    assert response.status_code == 303 and response.headers["location"] == f"/leads/{lead_id}"
    with db.unit_of_work(write=False) as session:
        lead = leads.get(session, workspace.principal(), lead_id)
    assert (lead.first_name, lead.status, lead.tags) == ("Anna", "contacted", ["new"])
    assert lead.custom_fields == {"seats": 12, "plan": "team", "extra": "yes"}


def test_an_invalid_edit_shows_the_message_and_changes_nothing(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    lead_id = make_lead(db, workspace, first_name="Ann")
    response = owner.post(
        f"/leads/{lead_id}/edit", {"first_name": "Anna", "email": "not-an-email", "value": "-1"}
    )
    assert response.status_code == 422
    assert 'id="e-email">The email field must be a valid email address.' in response.text
    assert 'id="e-value">The value field must be at least 0.' in response.text
    assert 'value="Anna"' in response.text
    lead = lead_row(db, lead_id)
    assert lead is not None and lead.first_name == "Ann"


# -- who may do what -----------------------------------------------------------------------


def test_posts_without_the_csrf_token_are_refused(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    lead_id = make_lead(db, workspace, first_name="Ann")
    data = {"first_name": "X", "tag": "x", "confirm": "yes", "action": "delete", "ids": lead_id}
    for path in (
        "/leads/bulk",
        "/leads/new",
        "/leads/{id}/edit",
        "/leads/{id}/tags",
        "/leads/{id}/delete",
    ):
        url = path.format(id=lead_id)
        response = owner.client.post(url, data=data, follow_redirects=False)
        assert response.status_code == 403, path
    assert lead_row(db, lead_id) is not None
    assert tags_of(db, workspace, lead_id) == []
    assert rows(owner.get("/leads").text) == ["Ann"]


def test_every_form_on_the_leads_pages_carries_the_csrf_token(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    lead_id = make_lead(db, workspace, first_name="Ann", tags=["vip"])
    for path in ("/leads", f"/leads/{lead_id}", f"/leads/{lead_id}/edit", "/leads/new"):
        html = owner.get(path).text
        forms_html = re.findall(r'<form method="post".*?</form>', html, flags=re.S)
        assert forms_html, path
        for form_html in forms_html:
            assert f'name="csrf_token" value="{owner.csrf}"' in form_html, (path, form_html[:80])


def test_another_workspaces_lead_is_not_found(
    owner: WebSession, db: Database, other: Workspace
) -> None:
    theirs = make_lead(db, other, first_name="Stranger", tags=["x"])
    data = {"first_name": "Mine", "tag": "x", "confirm": "yes"}
    for method, path in (
        ("get", "/leads/{id}"),
        ("get", "/leads/{id}/edit"),
        ("post", "/leads/{id}/edit"),
        ("post", "/leads/{id}/tags"),
        ("post", "/leads/{id}/tags/remove"),
        ("post", "/leads/{id}/delete"),
    ):
        url = path.format(id=theirs)
        response = owner.get(url) if method == "get" else owner.post(url, data)
        assert response.status_code == 404, (method, path)
        assert "Page not found" in response.text
    assert lead_row(db, theirs) is not None and tags_of(db, other, theirs) == ["x"]


def test_unknown_lead_ids_are_not_found(owner: WebSession) -> None:
    assert owner.get("/leads/999999").status_code == 404
    assert owner.get("/leads/99999999999").status_code == 404
    assert owner.get("/leads/abc").status_code == 404


def test_a_member_works_leads(member: WebSession, db: Database, workspace: Workspace) -> None:
    assert member.get("/leads").status_code == 200
    created = member.post("/leads/new", {"first_name": "Ann"})
    assert created.status_code == 303
    lead_id = int(created.headers["location"].rsplit("/", 1)[1])
    assert member.post(f"/leads/{lead_id}/edit", {"first_name": "Anna"}).status_code == 303
    member.post("/leads/bulk", {"action": "tag", "tag": "x", "ids": [lead_id]})
    assert tags_of(db, workspace, lead_id) == ["x"]
    assert "by Max Member" in member.get(f"/leads/{lead_id}").text
    deleted = member.post("/leads/bulk", {"action": "delete", "ids": [lead_id], "confirm": "yes"})
    assert deleted.status_code == 303 and lead_row(db, lead_id) is None


def test_pages_need_a_signed_in_person(client: TestClient) -> None:
    response = client.get("/leads?status=new", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/leads%3Fstatus%3Dnew"
