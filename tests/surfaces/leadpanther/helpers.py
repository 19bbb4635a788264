"""The LeadPanther document's requests and example answers, and checks against them."""

from __future__ import annotations

import copy
import re
import uuid
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import update

from leadhub.db.uow import Database
from leadhub.domains.grants import service as grants
from leadhub.kit.clock import utcnow
from leadhub.models import Post
from tests.conftest import BASE_URL
from tests.factories import Workspace, make_key

BASE = "/compat/leadpanther/api/v1"
REQUEST_ID = "req_000000000000000000000001"
LINKEDIN_POST = "https://www.linkedin.com/posts/example-post"
PROFILE = "https://www.linkedin.com/in/example-profile"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
UNSUPPORTED = (
    "/accounts",
    "/users",
    "/lists",
    "/campaigns",
    "/organizations",
    "/team",
    "/workspaces",
    "/lead-magnet-posts",
)


def headers(key: str, request_id: str = REQUEST_ID) -> dict[str, str]:
    """As the document's curl examples send them."""
    return {
        "Authorization": f"Bearer {key}",
        "Accept": "application/json",
        "X-Request-Id": request_id,
    }


def key_headers(db: Database, workspace: Workspace, *scopes: str) -> dict[str, str]:
    return headers(make_key(db, workspace, scopes=list(scopes) or None))


def make_grant(
    db: Database, agency: Workspace, client: Workspace, *permissions: str, label: str | None = None
) -> int:
    with db.unit_of_work() as session:
        return grants.create(
            session,
            agency_slug=agency.slug,
            client_slug=client.slug,
            permissions=list(permissions),
            label=label,
        ).id


def revoke(db: Database, grant_id: int) -> None:
    with db.unit_of_work() as session:
        grants.revoke(session, grant_id)


def browser(app: FastAPI) -> TestClient:
    return TestClient(app, base_url=BASE_URL, follow_redirects=False)


# -- the document's request bodies ----------------------------------------------------------

GUIDE_BODY: dict[str, Any] = {
    "delivery_mode": "hosted_content",
    "keyword": "GUIDE",
    "resource_name": "Example Guide",
    "description": "A public-safe guide description.",
    "text_template": "Here is the guide: {{resource_link}}",
    "not_connected_reply": "Connect with me and I will send it over.",
    "linked_posts": [],
    "confirm_missing_magnet_url": False,
    "confirm_legacy_placeholder": False,
    "hosted_page": {
        "title": "Example Guide",
        "markdown_content": "# Example Guide\n\nPublic-safe guide content.",
        "external_resource_url": None,
        "cta_label": None,
        "cta_url": None,
        "status": "published",
    },
}
CHECKLIST_BODY: dict[str, Any] = {
    "delivery_mode": "hosted_content",
    "keyword": "CHECKLIST",
    "resource_name": "Example Checklist",
    "description": "A public-safe checklist description.",
    "text_template": "Here is the checklist: {{resource_link}}",
    "linked_posts": [],
    "hosted_page": {
        "title": "Example Checklist",
        "markdown_content": "# Example Checklist\n\nPublic-safe checklist content.",
        "external_resource_url": None,
        "cta_label": None,
        "cta_url": None,
        "status": "published",
    },
}
IMAGE_UPLOAD = {"filename": "example-image.png", "content_type": "image/png", "file_size": 102400}
PDF_UPLOAD = {
    "filename": "example-document.pdf",
    "content_type": "application/pdf",
    "file_size": 204800,
}


def draft_post(template_id: str) -> dict[str, Any]:
    return {
        "text": "Public-safe post copy. Comment GUIDE and I will send the resource.",
        "status": "draft",
        "scheduled_at": None,
        "theme_id": None,
        "template_id": template_id,
        "images": [
            {"url": "https://cdn.example.com/api-uploads/example-image.png", "type": "image"}
        ],
        "document_url": None,
        "document_type": "image",
        "notes": "Public-safe internal note.",
        "followups": {
            "reaction": {"enabled": True, "delay_minutes": 30, "reaction_type": "like"},
            "repost": None,
            "comments": [{"text": "Comment GUIDE if you want the resource.", "delay_minutes": 60}],
        },
    }


def scheduled_post(
    template_id: str, scheduled_at: str = "2036-06-15T14:00:00.000Z"
) -> dict[str, Any]:
    # The document's 2026-06-15 is in the past of this test run's clock: a future one instead.
    return {
        "text": "Public-safe scheduled post copy. Comment CHECKLIST and I will send the resource.",
        "status": "scheduled",
        "scheduled_at": scheduled_at,
        "theme_id": None,
        "template_id": template_id,
        "images": [],
        "document_url": None,
        "document_type": "image",
        "notes": "Public-safe internal note.",
        "followups": {
            "reaction": {"enabled": False, "delay_minutes": 30, "reaction_type": "like"},
            "repost": None,
            "comments": [],
        },
    }


# -- the document's example answers ---------------------------------------------------------

ME = {
    "data": {
        "owner": {
            "user_id": "00000000-0000-4000-8000-000000000010",
            "full_name": "Example Agency Owner",
            "business_name": "Example Agency",
            "account_status": "active",
        },
        "actor_type": "agency",
        "scopes": ["clients:read", "lead_magnets:write", "posts:write"],
        "subject": {"user_id": "00000000-0000-4000-8000-000000000010"},
    },
    "request_id": "req_000000000000000000000001",
}
CLIENTS = {
    "data": [
        {
            "user_id": "00000000-0000-4000-8000-000000000001",
            "full_name": "Client A",
            "business_name": "Client A Company",
            "account_status": "active",
            "grant": {
                "id": "00000000-0000-4000-8000-000000000006",
                "label": "Client A",
                "status": "active",
                "permissions": ["posts:read", "posts:write", "lead_magnets:write"],
                "created_at": "2026-05-25T00:00:00.000Z",
                "updated_at": "2026-05-25T00:00:00.000Z",
            },
        }
    ],
    "pagination": {"limit": 1, "offset": 0, "has_more": False},
    "request_id": "req_000000000000000000000002",
}
MAGNET_SAVED = {
    "data": {
        "lead_magnet": {
            "id": "00000000-0000-4000-8000-000000000003",
            "delivery_mode": "hosted_content",
            "keyword": "GUIDE",
            "resource_name": "Example Guide",
        },
        "result": {"status": "saved"},
    },
    "request_id": "req_000000000000000000000003",
}
UPLOAD_URL = {
    "data": {
        "upload_url": "https://storage.example.com/upload/REDACTED",
        "token": "REDACTED_UPLOAD_TOKEN",
        "path": "api-uploads/00000000-0000-4000-8000-000000000001/example-image.png",
        "public_url": "https://cdn.example.com/api-uploads/example-image.png",
        "bucket": "content-images",
        "content_type": "image/png",
    },
    "request_id": "req_000000000000000000000004",
}
POST = {
    "data": {
        "id": "00000000-0000-4000-8000-000000000002",
        "status": "scheduled",
        "scheduled_at": "2026-06-15T14:00:00.000Z",
        "template_id": "00000000-0000-4000-8000-000000000003",
        "metrics": {},
        "theme": None,
        "followups": {
            "reaction": {"enabled": False, "delay_minutes": 30, "reaction_type": "like"},
            "repost": None,
            "comments": [],
        },
    },
    "request_id": "req_000000000000000000000005",
}
ENGAGEMENT = {
    "data": {
        "post_id": "00000000-0000-4000-8000-000000000002",
        "published_url": "https://www.linkedin.com/posts/example-post",
        "metrics_available": True,
        "metrics": {"impressions": 1200, "reactions": 42, "comments": 8, "reposts": 2},
    },
    "request_id": "req_000000000000000000000006",
}
ANALYTICS = {
    "data": {
        "lead_magnet": {
            "id": "00000000-0000-4000-8000-000000000003",
            "keyword": "GUIDE",
            "resource_name": "Example Guide",
        },
        "page": {
            "id": "00000000-0000-4000-8000-000000000008",
            "title": "Example Guide",
            "slug": "example-guide",
            "status": "published",
            "published_at": "2026-06-15T14:00:00.000Z",
            "created_at": "2026-06-15T14:00:00.000Z",
            "updated_at": None,
        },
        "metrics": {
            "page_views": 300,
            "unique_visitors": 240,
            "unique_visitors_limited": False,
            "unlocks": 24,
            "conversion_rate": 0.1,
            "content_access": 22,
            "cta_clicks": 8,
            "download_clicks": 16,
            "captures": 24,
        },
        "recent_captures": [
            {
                "id": "00000000-0000-4000-8000-000000000007",
                "source": "comments",
                "lead_id": "00000000-0000-4000-8000-000000000004",
                "tracking_link_id": None,
                "created_at": "2026-06-15T15:30:00.000Z",
            }
        ],
        "pagination": {"limit": 25, "offset": 0, "has_more": False},
    },
    "request_id": "req_000000000000000000000007",
}
LEADS = {
    "data": [
        {
            "id": "00000000-0000-4000-8000-000000000004",
            "linkedin_profile_url": "https://www.linkedin.com/in/example-profile",
            "name": "Example Person",
            "headline": "Example Headline",
            "emails": {"submitted": "person@example.com", "work": None, "personal": None},
            "submitted_name": "Example Person",
            "submitted_at": "2026-06-15T15:30:00.000Z",
            "submitted_via_magnet_id": "00000000-0000-4000-8000-000000000003",
            "sources": {"comments": True, "dms": False, "intent": False},
            "total_interactions": 1,
            "latest_keyword": "GUIDE",
            "keywords": ["GUIDE"],
            "has_intent": True,
            "intent_signals": ["Requested guide"],
            "qualification_status": "qualified",
            "first_seen_at": "2026-06-15T15:30:00.000Z",
            "last_seen_at": "2026-06-15T15:30:00.000Z",
            "created_at": "2026-06-15T15:30:00.000Z",
            "updated_at": None,
        }
    ],
    "pagination": {"limit": 50, "offset": 0, "has_more": False},
    "request_id": "req_000000000000000000000008",
}
ACTIVITY = {
    "data": [
        {
            "id": "00000000-0000-4000-8000-000000000005",
            "source": "comment",
            "author_name": "Example Person",
            "author_headline": "Example Headline",
            "linkedin_profile_url": "https://www.linkedin.com/in/example-profile",
            "content": "REDACTED_MESSAGE_CONTENT",
            "keyword": "GUIDE",
            "status": "new",
            "occurred_at": "2026-06-15T15:45:00.000Z",
            "metadata": {
                "post_id": "00000000-0000-4000-8000-000000000002",
                "comment_id": "REDACTED_PLATFORM_COMMENT_ID",
                "is_lead_magnet_request": True,
                "matched_template_id": "00000000-0000-4000-8000-000000000003",
            },
        }
    ],
    "pagination": {"limit": 50, "offset": 0, "has_more": False},
    "request_id": "req_000000000000000000000009",
}


# -- checks ---------------------------------------------------------------------------------


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def assert_like(
    actual: Any,
    example: Any,
    where: str = "",
    *,
    not_uuid: frozenset[str] = frozenset(),
    nullable: frozenset[str] = frozenset(),
) -> None:
    """`actual` has the example's keys at every level, and values of the example's types.

    A value the example shows as a placeholder uuid must be a uuid (unless its dotted path is in
    `not_uuid`); one it shows as a timestamp must be ISO 8601 with milliseconds and Z; a null
    in the example admits any value.
    """
    if example is None or (actual is None and where in nullable):
        return
    if isinstance(example, dict):
        assert isinstance(actual, dict), (where, actual)
        if example:
            assert set(actual) == set(example), (where, sorted(actual), sorted(example))
            for name, value in example.items():
                path = f"{where}.{name}" if where else name
                assert_like(actual[name], value, path, not_uuid=not_uuid, nullable=nullable)
        return
    if isinstance(example, list):
        assert isinstance(actual, list), (where, actual)
        for item in actual if example else []:
            assert_like(item, example[0], where + "[]", not_uuid=not_uuid, nullable=nullable)
        return
    if isinstance(example, bool):
        assert isinstance(actual, bool), (where, actual)
    elif isinstance(example, int):
        assert isinstance(actual, int) and not isinstance(actual, bool), (where, actual)
    elif isinstance(example, float):
        assert isinstance(actual, int | float) and not isinstance(actual, bool), (where, actual)
    elif isinstance(example, str):
        assert isinstance(actual, str), (where, actual)
        if is_uuid(example) and where not in not_uuid:
            assert is_uuid(actual), (where, actual)
        if _TIMESTAMP.match(example):
            assert _TIMESTAMP.match(actual), (where, actual)


def assert_answer(
    response: Response,
    status: int,
    example: dict[str, Any],
    request_id: str = REQUEST_ID,
    *,
    not_uuid: frozenset[str] = frozenset(),
    nullable: frozenset[str] = frozenset(),
) -> Any:
    """The documented example's shape, with `request_id` equal to the X-Request-Id header."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["request_id"] == request_id == response.headers["X-Request-Id"]
    assert_like(body, example, not_uuid=not_uuid, nullable=nullable)
    return body["data"]


def assert_error(response: Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "request_id"}, body
    assert body["request_id"] == response.headers["X-Request-Id"]
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert set(body["error"]) <= {"code", "message", "details"}
    error: dict[str, Any] = body["error"]
    return error


# -- records made through the surface -------------------------------------------------------


def create_magnet(client: TestClient, hdrs: dict[str, str], **changes: Any) -> str:
    body = copy.deepcopy(GUIDE_BODY)
    body.update(changes)
    response = client.post(f"{BASE}/lead-magnets", json=body, headers=hdrs)
    assert response.status_code == 201, response.text
    magnet_id: str = response.json()["data"]["lead_magnet"]["id"]
    return magnet_id


def create_post(client: TestClient, hdrs: dict[str, str], template_id: str) -> str:
    response = client.post(f"{BASE}/posts", json=draft_post(template_id), headers=hdrs)
    assert response.status_code == 201, response.text
    post_id: str = response.json()["data"]["id"]
    return post_id


def publish_with_metrics(db: Database, post_id: str) -> None:
    """The post as the publisher and a metrics sync would leave it (set directly here)."""
    with db.unit_of_work() as session:
        session.execute(
            update(Post)
            .where(Post.uuid == post_id)
            .values(
                status="published",
                published_at=utcnow(),
                published_url=LINKEDIN_POST,
                metrics={"impressions": 1200, "reactions": 42, "comments": 8, "reposts": 2},
                metrics_recorded_at=utcnow(),
            )
        )


def record_activity(
    client: TestClient, native_headers: dict[str, str], **changes: Any
) -> dict[str, Any]:
    """A comment recorded through the native API (LeadPanther's document has no such route)."""
    body: dict[str, Any] = {
        "source": "comment",
        "author_name": "Example Person",
        "author_headline": "Example Headline",
        "linkedin_profile_url": PROFILE,
        "content": "GUIDE please!",
        "post_id": str(uuid.uuid4()),
        "comment_id": "REDACTED_PLATFORM_COMMENT_ID",
        "occurred_at": "2026-06-15T15:45:00Z",
    }
    body.update(changes)
    response = client.post("/api/v1/activity", json=body, headers=native_headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data
