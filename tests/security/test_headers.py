"""Security headers on every page: a Content-Security-Policy that lets only the app's own script
files run, `nosniff`, a referrer policy, and framing refused everywhere except the embeddable
hosted form (/f/…), which any site may frame."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.surfaces.public.headers import form_policy
from tests.conftest import BASE_URL
from tests.factories import Workspace, make_lead
from tests.lead_magnets.helpers import create as create_magnet
from tests.security.policies import (
    assert_baseline,
    assert_frameable,
    assert_not_frameable,
    policy,
    web_operations,
)
from tests.web.conftest import WebSession

SURFACES = Path(__file__).parents[2] / "src" / "leadhub" / "surfaces"
TEMPLATES = sorted((SURFACES / "web" / "templates").rglob("*.html")) + sorted(
    (SURFACES / "public" / "templates").rglob("*.html")
)
SCRIPTS = sorted(SURFACES.rglob("static/*.js")) + sorted(SURFACES.rglob("static/*.tmpl"))
_SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
FIELDS = [
    {"name": "email", "type": "email", "required": True},
    {"name": "first_name", "label": "First name", "type": "text"},
]


def assert_no_inline_script(html: str, where: str) -> None:
    for attributes in _SCRIPT_TAG.findall(html):
        assert "src=" in attributes, f"an inline <script> on {where}"
    assert not _HANDLER.search(html), f"an inline event handler on {where}"
    assert "javascript:" not in html.lower(), f"a javascript: URL on {where}"


def make_form(client: TestClient, headers: dict[str, str], **changes: object) -> int:
    body = {"name": "Book a demo", "fields": FIELDS, **changes}
    response = client.post("/api/v1/forms", json=body, headers=headers)
    assert response.status_code == 201, response.text
    form_id: int = response.json()["data"]["id"]
    return form_id


def test_every_page_of_the_web_app_refuses_framing_and_foreign_script(
    app: FastAPI, owner: WebSession, db: Database, workspace: Workspace
) -> None:
    for index in range(3):
        make_lead(db, workspace, email=f"lead{index}@example.com", source=f"source{index}")
    pages = [op for op in web_operations(app) if op.method == "GET"]
    assert len(pages) > 60
    anonymous = TestClient(app, base_url=BASE_URL, follow_redirects=False)
    for op in pages:
        for visitor in (owner.client, anonymous):
            response = visitor.get(op.example_path(), follow_redirects=False)
            assert response.status_code < 500, f"{op}: {response.status_code}"
            assert_not_frameable(response)
            if response.headers.get("content-type", "").startswith("text/html"):
                assert_no_inline_script(response.text, str(op))


def test_the_web_app_policy_allows_its_own_files_and_frames_only_itself(
    owner: WebSession,
) -> None:
    response = owner.get("/")
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert all("'unsafe-eval'" not in sources for sources in directives.values())
    assert directives["frame-src"] == ["'self'"]  # the form builder previews /f/… in a frame
    assert directives["form-action"] == ["'self'"]
    assert owner.get("/static/app.js").headers["x-content-type-options"] == "nosniff"


def test_the_hosted_form_may_be_framed_by_any_site_and_runs_only_its_own_script(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    form_id = make_form(client, headers)
    visitor = TestClient(app, base_url=BASE_URL, follow_redirects=False)
    embedded = visitor.get(f"/f/{form_id}?embed=1")
    assert '<script src="/f/assets/frame.js" defer></script>' in embedded.text
    invalid = visitor.post(f"/f/{form_id}", data={"email": "not an email"})
    thanks = visitor.post(f"/f/{form_id}", data={"email": "ada@example.com"})
    assert (invalid.status_code, thanks.status_code) == (422, 200)
    for response in (
        visitor.get(f"/f/{form_id}"),
        embedded,
        invalid,
        thanks,
        visitor.get("/f/999999999"),
    ):
        assert_frameable(response)
        assert_no_inline_script(response.text, str(response.request.url))
        assert policy(response)["form-action"] == ["'self'"]
    script = visitor.get("/f/assets/frame.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert_baseline(script)


def test_a_form_that_redirects_may_post_on_to_its_target_only(
    app: FastAPI, client: TestClient, headers: dict[str, str]
) -> None:
    form_id = make_form(client, headers, redirect_url="https://www.example.com:8443/thanks?x=1")
    visitor = TestClient(app, base_url=BASE_URL, follow_redirects=False)
    for response in (
        visitor.get(f"/f/{form_id}"),
        visitor.post(f"/f/{form_id}", data={"email": "bad"}),
    ):
        assert_frameable(response)
        assert policy(response)["form-action"] == ["'self'", "https://www.example.com:8443"]
    done = visitor.post(f"/f/{form_id}", data={"email": "ada@example.com"})
    assert done.status_code == 303
    assert done.headers["location"] == "https://www.example.com:8443/thanks?x=1"


@pytest.mark.parametrize("mode", ["hosted_content", "gated"])
def test_lead_magnet_pages_may_not_be_framed_and_run_no_script(
    app: FastAPI, client: TestClient, headers: dict[str, str], mode: str
) -> None:
    create_magnet(client, headers, delivery_mode=mode)
    visitor = TestClient(app, base_url=BASE_URL, follow_redirects=False)
    responses = [
        visitor.get("/m/example-guide"),
        visitor.get("/m/no-such-page"),
        visitor.get("/m/example-guide/cta"),
    ]
    if mode == "gated":
        responses.append(visitor.post("/m/example-guide", data={"email": "ada@example.com"}))
    for response in responses:
        assert_not_frameable(response)
        assert policy(response)["default-src"] == ["'none'"]
        assert "script-src" not in policy(response)


def test_every_other_response_says_nosniff(
    client: TestClient, headers: dict[str, str], workspace: Workspace
) -> None:
    for path in (
        "/api/v1/health",
        "/api/v1/leads",
        "/api/v1/no-such-thing",
        "/compat/leadpanther/api/v1/me",
        "/compat/leadsopedia/v1/mylists",
        "/compat/leadtrackr/api/leads/getLeads",
        "/uploads/api-uploads/nothing/here.png",
        "/downloads/00000000-0000-0000-0000-000000000000/x.csv?token=bad",
        "/openapi.json",
    ):
        assert_baseline(client.get(path, headers=headers))
    assert_baseline(client.get("/api/v1/leads"))  # an error without a key too


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_templates_hold_no_inline_script_or_handler(template: Path) -> None:
    assert_no_inline_script(template.read_text(), str(template))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_scripts_evaluate_no_strings(script: Path) -> None:
    code = script.read_text()
    assert "eval(" not in code and "new Function" not in code
    assert not re.search(r"set(Timeout|Interval)\(\s*['\"`]", code)


@pytest.mark.parametrize(
    "redirect",
    ["https://a.example;script-src *", "https://*.example/", "https://a.example 'unsafe-inline'/"],
)
def test_a_redirect_url_cannot_widen_the_form_policy(redirect: str) -> None:
    assert form_policy(redirect) == form_policy(None)
    assert (
        form_policy("http://user:pw@b.example:81/x").count(
            "form-action 'self' http://b.example:81;"
        )
        == 1
    )
