"""The Posts pages: a month's calendar, the editor with follow-ups, its errors beside the form,
the published lock, delete; and what acting for a client needs to open them."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from leadhub.db.uow import Database
from leadhub.domains.posts import service as posts
from leadhub.kit.clock import utcnow
from leadhub.kit.pagination import PageRequest
from leadhub.models import Job
from leadhub.surfaces.web import acting
from tests.factories import Workspace
from tests.web.conftest import WebSession


def _posts(db: Database, workspace: Workspace) -> list[posts.PostRead]:
    with db.unit_of_work(write=False) as session:
        return posts.list_posts(session, workspace.principal(), page=PageRequest(1, 50)).items


def _form(**changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "text": "Comment GUIDE and I will send it.",
        "status": "draft",
        "scheduled_at": "",
        "images": "https://cdn.example.com/a.png\nhttps://cdn.example.com/b.png",
        "notes": "Internal.",
        "reaction_enabled": "1",
        "reaction_type": "celebrate",
        "reaction_delay": "30",
        "repost_delay": "120",
        "comment_text": ["First comment.", ""],
        "comment_delay": ["60", "0"],
    }
    form.update(changes)
    return form


def test_the_calendar_shows_the_months_posts_on_their_days(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    assert "Posts" in owner.get("/").text  # in the navigation
    when = (utcnow() + timedelta(days=40)).replace(hour=14, minute=0, second=0, microsecond=0)
    created = owner.post(
        "/posts",
        _form(status="scheduled", scheduled_at=when.strftime("%Y-%m-%dT%H:%M"), text="Launch day"),
    )
    assert created.status_code == 303, created.text
    owner.post("/posts", _form(text="An idea for later"))
    month = owner.get(f"/posts?month={when.strftime('%Y-%m')}").text
    assert when.strftime("%B %Y") in month and "Launch day" in month and "14:00" in month
    assert "An idea for later" in month  # drafts without a time are listed below
    assert "Launch day" not in owner.get("/posts").text  # 40 days ahead: another month
    assert owner.get("/posts?month=2026-13").status_code >= 400


def test_the_editor_saves_every_field_and_the_follow_ups(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    response = owner.post(
        "/posts", _form(repost_enabled="1", document_url="https://x.example/d.pdf")
    )
    assert response.status_code == 303, response.text
    (post,) = _posts(db, workspace)
    assert post.text == "Comment GUIDE and I will send it." and post.status == "draft"
    assert [image["url"] for image in post.images] == [
        "https://cdn.example.com/a.png",
        "https://cdn.example.com/b.png",
    ]
    assert post.document_url == "https://x.example/d.pdf"
    assert post.followups == {
        "reaction": {"enabled": True, "delay_minutes": 30, "reaction_type": "celebrate"},
        "repost": {"enabled": True, "delay_minutes": 120},
        "comments": [{"text": "First comment.", "delay_minutes": 60}],
    }
    page = owner.get(response.headers["location"]).text
    assert "First comment." in page and 'value="celebrate" selected' in page
    saved = owner.post(f"/posts/{post.id}", _form(text="Edited", comment_text=[""]))
    assert saved.status_code == 303, saved.text
    (edited,) = _posts(db, workspace)
    assert edited.text == "Edited" and edited.followups["comments"] == []
    assert edited.followups["repost"] is None


def test_errors_are_shown_beside_the_form_with_the_values_kept(owner: WebSession) -> None:
    response = owner.post(
        "/posts", _form(status="scheduled", scheduled_at="2020-01-01T10:00", text="Keep me")
    )
    assert response.status_code == 422
    assert "The scheduled at must be a date in the future." in response.text
    assert "Keep me" in response.text
    images = owner.post("/posts", _form(images="ftp://nope.example/a.png"))
    assert images.status_code == 422 and "images.0.url" in images.text


def test_a_published_post_takes_only_its_notes(
    owner: WebSession, app: FastAPI, db: Database, workspace: Workspace
) -> None:
    when = (utcnow() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    owner.post("/posts", _form(status="scheduled", scheduled_at=when))
    (post,) = _posts(db, workspace)
    with db.unit_of_work() as session:
        for job in session.query(Job).filter(Job.kind == "posts.publish"):
            job.run_after = utcnow()
    app.state.runtime.jobs.run_pending()
    page = owner.get(f"/posts/{post.id}").text
    assert "only its notes can change" in page and "No active webhook" in page
    saved = owner.post(f"/posts/{post.id}", {"notes": "Went well", "text": "ignored"})
    assert saved.status_code == 303
    (after,) = _posts(db, workspace)
    assert (after.notes, after.text, after.status) == ("Went well", post.text, "published")
    assert "Follow-up schedule" in owner.get(f"/posts/{post.id}").text


def test_delete(owner: WebSession, db: Database, workspace: Workspace) -> None:
    owner.post("/posts", _form())
    (post,) = _posts(db, workspace)
    assert owner.post(f"/posts/{post.id}/delete").status_code == 303
    assert _posts(db, workspace) == []
    assert owner.get(f"/posts/{post.id}").status_code == 404


def test_acting_for_a_client_needs_the_posts_scopes() -> None:
    assert acting.required_scope("GET", "/posts") == "read:posts"
    assert acting.required_scope("GET", "/posts/new") == "write:posts"
    assert acting.required_scope("GET", "/posts/3") == "read:posts"
    assert acting.required_scope("POST", "/posts/3") == "write:posts"
    assert acting.required_scope("POST", "/posts/3/delete") == "delete:posts"
