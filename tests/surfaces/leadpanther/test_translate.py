"""translate.py without a database: timestamps, scope spelling, limits, ids and filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from leadhub.domains.activity.schemas import (
    ActivityMetadata,
    ActivityRead,
    LeadEmails,
    LeadSources,
    SocialLeadRead,
)
from leadhub.domains.grants.clients import ClientRead, GrantRead
from leadhub.domains.lead_magnets import schemas as magnets
from leadhub.domains.posts.schemas import EngagementRead, Metrics, PostRead
from leadhub.domains.workspaces.service import Identity, WorkspaceRead
from leadhub.surfaces.leadpanther import translate

WHEN = datetime(2026, 5, 25, 0, 0, 0, 123456, tzinfo=UTC)
UUID = "00000000-0000-4000-8000-000000000003"


def test_timestamps_are_utc_with_milliseconds_and_z() -> None:
    assert translate.timestamp(WHEN) == "2026-05-25T00:00:00.123Z"
    assert translate.timestamp(datetime(2026, 5, 25)) == "2026-05-25T00:00:00.000Z"
    paris = datetime(2026, 5, 25, 2, 0, tzinfo=timezone(timedelta(hours=2)))
    assert translate.timestamp(paris) == "2026-05-25T00:00:00.000Z"
    assert translate.timestamp(None) is None


def test_scopes_are_spelled_the_leadpanther_way() -> None:
    assert translate.scope("read:leads") == "leads:read"
    assert translate.scope("write:lead_magnets") == "lead_magnets:write"
    assert translate.scope("*") == "*"
    assert translate.scopes(["write:posts", "read:clients"]) == ["clients:read", "posts:write"]


def test_the_limit_is_clamped_between_1_and_100() -> None:
    assert translate.limit(50) == 50
    assert translate.limit(500) == 100
    assert translate.limit(0) == 1


def workspace(*, agency: bool) -> WorkspaceRead:
    return WorkspaceRead(
        id=1, public_id="ws_abc", slug="acme", name="Acme", is_agency=agency, default_region="US"
    )


def test_me_names_the_owner_and_the_actor_type() -> None:
    identity = Identity(
        workspace=workspace(agency=True),
        actor_type="agency",
        scopes=["read:clients", "write:posts"],
        api_key_id=1,
    )
    me = translate.me(identity)
    assert me.model_dump() == {
        "owner": {
            "user_id": "ws_abc",
            "full_name": "Acme",
            "business_name": "Acme",
            "account_status": "active",
        },
        "actor_type": "agency",
        "scopes": ["clients:read", "posts:write"],
        "subject": {"user_id": "ws_abc"},
    }
    user = Identity(
        workspace=workspace(agency=False), actor_type="workspace", scopes=["*"], api_key_id=None
    )
    assert translate.me(user, owner_name="Ann Owner").owner.full_name == "Ann Owner"
    assert translate.me(user).actor_type == "user"


def test_a_client_carries_its_grant_in_leadpanther_spelling() -> None:
    found = ClientRead(
        id="ws_client",
        name="Client A",
        slug="client-a",
        grant=GrantRead(
            id=6,
            label="Client A",
            status="active",
            permissions=["read:posts", "write:lead_magnets"],
            created_at=WHEN,
            updated_at=WHEN,
        ),
    )
    answer = translate.client(found).model_dump()
    assert answer["user_id"] == "ws_client"
    assert answer["grant"] == {
        "id": "6",
        "label": "Client A",
        "status": "active",
        "permissions": ["lead_magnets:write", "posts:read"],
        "created_at": "2026-05-25T00:00:00.123Z",
        "updated_at": "2026-05-25T00:00:00.123Z",
    }


def test_magnet_analytics_use_uuids_and_the_lead_ids_given() -> None:
    found = magnets.MagnetAnalytics(
        lead_magnet=magnets.MagnetSummary(id=3, uuid=UUID, keyword="GUIDE", resource_name="G"),
        page=None,
        metrics=magnets.MagnetMetrics(
            page_views=1,
            unique_visitors=1,
            unique_visitors_limited=False,
            unlocks=1,
            conversion_rate=1.0,
            content_access=0,
            cta_clicks=0,
            download_clicks=0,
            captures=2,
        ),
        recent_captures=[
            magnets.CaptureRead(
                id="c1", source="comments", lead_id=7, tracking_link_id="t", created_at=WHEN
            ),
            magnets.CaptureRead(
                id="c2", source="hosted_page", lead_id=8, tracking_link_id=None, created_at=WHEN
            ),
        ],
        pagination=magnets.OffsetPagination(limit=25, offset=0, has_more=False),
    )
    assert translate.capture_lead_ids(found) == [7, 8]
    answer = translate.magnet_analytics(found, {7: "lead-uuid"})
    assert answer.lead_magnet.id == UUID
    assert [c.lead_id for c in answer.recent_captures] == ["lead-uuid", None]
    assert answer.recent_captures[0].created_at == "2026-05-25T00:00:00.123Z"
    assert answer.page is None


def test_a_post_and_its_engagement_use_uuids() -> None:
    post = PostRead(
        id=2,
        uuid="post-uuid",
        text="t",
        status="scheduled",
        scheduled_at=WHEN,
        theme_id=None,
        theme=None,
        template_id=3,
        template_uuid=UUID,
        images=[],
        document_url=None,
        document_type=None,
        notes=None,
        followups={"reaction": None, "repost": None, "comments": []},
        metrics={},
        published_url=None,
        published_at=None,
        publish_note=None,
        last_error=None,
        scheduled_followups=[],
        created_at=WHEN,
        updated_at=WHEN,
    )
    assert translate.post(post).model_dump() == {
        "id": "post-uuid",
        "status": "scheduled",
        "scheduled_at": "2026-05-25T00:00:00.123Z",
        "template_id": UUID,
        "metrics": {},
        "theme": None,
        "followups": {"reaction": None, "repost": None, "comments": []},
    }
    engagement = EngagementRead(
        post_id=2,
        post_uuid="post-uuid",
        published_url=None,
        metrics_available=False,
        metrics=Metrics(),
    )
    assert translate.engagement(engagement).post_id == "post-uuid"


def test_a_social_lead_and_an_activity_use_their_uuids() -> None:
    lead = SocialLeadRead(
        id=4,
        uuid="lead-uuid",
        linkedin_profile_url="https://www.linkedin.com/in/x",
        name="X",
        headline=None,
        emails=LeadEmails(submitted=None, work=None, personal=None),
        submitted_name=None,
        submitted_at=None,
        submitted_via_magnet_id=UUID,
        sources=LeadSources(comments=True, dms=False, intent=False),
        total_interactions=1,
        latest_keyword="GUIDE",
        keywords=["GUIDE"],
        has_intent=True,
        intent_signals=["x"],
        qualification_status="qualified",
        first_seen_at=WHEN,
        last_seen_at=WHEN,
        created_at=WHEN,
        updated_at=None,
    )
    answer = translate.lead(lead)
    assert answer.id == "lead-uuid"
    assert answer.first_seen_at == "2026-05-25T00:00:00.123Z"
    assert answer.updated_at is None and answer.submitted_at is None
    activity = ActivityRead(
        id="act-uuid",
        source="comment",
        author_name=None,
        author_headline=None,
        linkedin_profile_url="u",
        content="c",
        keyword=None,
        status="new",
        occurred_at=WHEN,
        metadata=ActivityMetadata(post_id="p"),
        lead_id=4,
        created_at=WHEN,
    )
    wire = translate.activity(activity).model_dump()
    assert wire["id"] == "act-uuid"
    assert "lead_id" not in wire and "created_at" not in wire
    assert wire["metadata"] == {
        "post_id": "p",
        "comment_id": None,
        "is_lead_magnet_request": False,
        "matched_template_id": None,
    }


def test_filters_drop_blanks_and_take_leadpanthers_plural_sources() -> None:
    filters = translate.activity_filters(source="comments", keyword="  ", search=" GUIDE ")
    assert (filters.source, filters.keyword, filters.search) == ("comment", None, "GUIDE")
    assert translate.activity_filters(source="dm").source == "dm"
    leads = translate.lead_filters(keyword=" GUIDE ", source="dms", has_email=True)
    assert (leads.keyword, leads.source, leads.has_email) == ("GUIDE", "dms", True)
    assert translate.lead_filters(search="").search is None
