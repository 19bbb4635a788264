"""Settings → Privacy in the web app: look a person up, download their data, erase them."""

from __future__ import annotations

import json
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.surfaces.web.acting import required_scope
from tests.factories import Workspace, make_key
from tests.privacy.helpers import EMAIL, LEADS, PHONE, build_person, tables_holding
from tests.web.conftest import WebSession
from tests.webhooks.receiver import Receiver

PAGE = "/settings/privacy"


def _count(html: str, kind: str) -> int:
    found = re.search(rf'data-kind="{kind}">(\d+)<', html)
    assert found, f"no count of {kind}"
    return int(found.group(1))


def test_an_owner_looks_up_downloads_and_erases_a_person(
    app: FastAPI,
    client: TestClient,
    owner: WebSession,
    db: Database,
    workspace: Workspace,
    hooks: Receiver,
) -> None:
    headers = {"Authorization": f"Bearer {make_key(db, workspace)}"}
    person = build_person(app, client, headers, db, workspace, hooks.url)
    page = owner.get(PAGE)
    assert page.status_code == 200 and 'action="/settings/privacy/lookup"' in page.text

    found = owner.post(f"{PAGE}/lookup", {"email": EMAIL, "phone": "", "lead_id": ""})
    assert found.status_code == 200
    assert _count(found.text, "leads") == 1 and _count(found.text, "form_submissions") == 2
    assert "jane-cv.pdf" in found.text and 'action="/settings/privacy/erase"' in found.text
    assert EMAIL not in found.request.url.path  # identifiers travel in the form, not the URL

    download = owner.post(f"{PAGE}/export", {"email": EMAIL})
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment;")
    document = json.loads(download.content)
    assert document["lead_ids"] == [person.lead_id]
    assert document["records"]["leads"][0]["phone"] == PHONE

    confirm = owner.post(f"{PAGE}/erase", {"email": EMAIL})
    assert confirm.status_code == 200 and "Type ERASE to confirm" in confirm.text
    assert f'name="email" value="{EMAIL}"' in confirm.text
    refused = owner.post(f"{PAGE}/delete", {"email": EMAIL, "confirm": "yes"})
    assert refused.status_code == 422 and "Type ERASE to confirm the erasure." in refused.text
    assert client.get(f"{LEADS}/{person.lead_id}", headers=headers).status_code == 200

    erased = owner.post(f"{PAGE}/delete", {"email": EMAIL, "confirm": "ERASE"})
    assert erased.status_code == 303 and erased.headers["location"] == PAGE
    assert "Erased:" in owner.get(PAGE).text
    assert client.get(f"{LEADS}/{person.lead_id}", headers=headers).status_code == 404
    assert tables_holding(db, workspace.id, EMAIL, PHONE) == {}
    log = client.get("/api/v1/account/activity", params={"action": "privacy"}, headers=headers)
    entries = log.json()["data"]
    assert [entry["action"] for entry in entries] == ["privacy.erased", "privacy.exported"]
    assert all(entry["actor"] == {**entry["actor"], "type": "user"} for entry in entries)


def test_a_lookup_without_an_identifier_says_so_beside_the_form(owner: WebSession) -> None:
    found = owner.post(f"{PAGE}/lookup", {"email": "", "phone": "", "lead_id": ""})
    assert found.status_code == 422
    assert "Provide an email, a phone or a lead id." in found.text
    bad = owner.post(f"{PAGE}/lookup", {"lead_id": "abc"})
    assert bad.status_code == 422 and "lead id field must be an integer" in bad.text


def test_members_cannot_open_it_and_forms_need_the_csrf_token(
    member: WebSession, owner: WebSession
) -> None:
    assert member.get(PAGE).status_code == 403
    assert member.post(f"{PAGE}/lookup", {"email": EMAIL}).status_code == 403
    assert member.post(f"{PAGE}/delete", {"email": EMAIL, "confirm": "ERASE"}).status_code == 403
    forged = owner.client.post(
        f"{PAGE}/delete",
        data={"email": EMAIL, "confirm": "ERASE", "csrf_token": "forged"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    assert "Privacy" not in member.get("/settings").text
    assert 'href="/settings/privacy"' in owner.get("/settings").text


def test_acting_for_a_client_needs_read_privacy_to_look_up_and_delete_privacy_to_erase() -> None:
    assert required_scope("GET", PAGE) == "read:privacy"
    for step in ("lookup", "export", "erase"):
        assert required_scope("POST", f"{PAGE}/{step}") == "read:privacy"
    assert required_scope("POST", f"{PAGE}/delete") == "delete:privacy"
