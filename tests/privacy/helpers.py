"""A person with a record of every kind LeadHub can hold about them, made as clients and
visitors make them (the API, the hosted pages), and ways to look at what is left."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from leadhub.db.base import Base
from leadhub.db.uow import Database
from tests.activity.helpers import record
from tests.conftest import BASE_URL
from tests.exports.helpers import grant, run_jobs
from tests.factories import Workspace, make_automation
from tests.lead_magnets.helpers import create as create_magnet
from tests.media.samples import ask, sample

EMAIL = "jane.doe@example.com"
PHONE = "+14155550123"
PROFILE = "https://www.linkedin.com/in/jane-doe"
OTHER_EMAIL = "other.person@example.com"
OTHER_PROFILE = "https://www.linkedin.com/in/other-person"
LEADS = "/api/v1/leads"
EXPORTS = "/api/v1/privacy/exports"
ERASURES = "/api/v1/privacy/erasures"


@dataclass(frozen=True)
class Person:
    lead_id: int
    gone_lead_id: int
    other_lead_id: int
    form_id: int
    magnet_id: int
    media_key: str
    media_url: str
    export_ids: list[int]
    export_keys: list[str]


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()["data"]


def build_person(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    db: Database,
    workspace: Workspace,
    hook_url: str,
) -> Person:
    """Jane: a lead deleted once, then back through a LinkedIn comment, a reply's tracking link
    and a gated page, with a phone, notes, a CV uploaded and linked, a tag, a form submission,
    a list, a search for her, two export files, automation runs, webhook deliveries, a rated and
    processed conversion; and the jobs still waiting to send some of it. Beside her, another
    person in the same form, list and exports."""
    ok(
        client.post("/api/v1/webhooks", json={"url": hook_url, "events": ["*"]}, headers=headers),
        201,
    )
    make_automation(db, workspace, trigger="lead_created", tag="welcomed")
    form = ok(client.post("/api/v1/forms", json=_form(), headers=headers), 201)
    gone = ok(client.post(LEADS, json={"first_name": "Jane", "email": EMAIL}, headers=headers), 201)
    _submit(client, headers, form["id"], EMAIL, "First try")
    # Someone else comes in after her first lead, so its id is not the highest when it goes.
    other = _submit(client, headers, form["id"], OTHER_EMAIL, "Hello")
    assert client.delete(f"{LEADS}/{gone['id']}", headers=headers).status_code == 204

    magnet = create_magnet(client, headers, delivery_mode="gated")
    reply = record(client, headers, linkedin_profile_url=PROFILE, author_name="Jane Doe")
    lead_id = reply["lead"]["id"]
    path = reply["resource_link"].removeprefix(BASE_URL)
    visitor = TestClient(app, base_url=BASE_URL, follow_redirects=False)
    assert visitor.get(path).status_code == 200
    assert visitor.post(path, data={"email": EMAIL, "name": "Jane Doe"}).status_code == 200

    upload = ask(client, headers, content_type="application/pdf", filename="jane-cv.pdf")
    stored = client.put(
        upload["upload_url"],
        content=sample("application/pdf"),
        headers={"Content-Type": "application/pdf"},
    )
    assert stored.status_code == 201, stored.text
    changes = {
        "phone": PHONE,
        "notes": "Asked for a call.",
        "tags": ["vip"],
        "custom_fields": {"cv": upload["public_url"]},
    }
    ok(client.patch(f"{LEADS}/{lead_id}", json=changes, headers=headers))
    _submit(client, headers, form["id"], EMAIL, f"Call me on {PHONE}")
    record(client, headers, linkedin_profile_url=OTHER_PROFILE, content="Nice post")

    found = client.get(LEADS, params={"search": EMAIL}, headers=headers)
    assert found.json()["meta"]["total"] == 1
    hot = ok(client.post("/api/v1/lists", json={"name": "Hot"}, headers=headers), 201)
    members = {"lead_ids": [lead_id, other["lead_id"]]}
    ok(client.post(f"/api/v1/lists/{hot['id']}/leads", json=members, headers=headers))
    grant(db, workspace, 100)
    export_ids = [
        ok(
            client.post(
                f"/api/v1/lists/{hot['id']}/exports", json={"format": kind}, headers=headers
            ),
            202,
        )["id"]
        for kind in ("csv", "xlsx")
    ]
    run_jobs(app)  # automations run, webhooks deliver, exports are written

    _rate_and_process(client, headers, lead_id)  # leaves the conversion's jobs waiting
    return Person(
        lead_id=lead_id,
        gone_lead_id=gone["id"],
        other_lead_id=other["lead_id"],
        form_id=form["id"],
        magnet_id=magnet["id"],
        media_key=upload["public_url"].removeprefix(f"{BASE_URL}/uploads/"),
        media_url=upload["public_url"],
        export_ids=export_ids,
        export_keys=_export_keys(db, export_ids),
    )


def _form() -> dict[str, Any]:
    return {
        "name": "Contact",
        "fields": [
            {"name": "email", "label": "Email", "type": "email", "required": True},
            {"name": "message", "label": "Message", "type": "textarea"},
        ],
    }


def _submit(
    client: TestClient, headers: dict[str, str], form_id: int, email: str, message: str
) -> Any:
    body = {"email": email, "message": message, "utm_source": "newsletter"}
    return ok(client.post(f"/api/v1/forms/{form_id}/submissions", json=body, headers=headers), 201)


def _rate_and_process(client: TestClient, headers: dict[str, str], lead_id: int) -> None:
    settings = {"measurement_id": "G-TEST123", "api_secret": "ga-secret"}
    body = {"type": "ga4_measurement_protocol", "name": "GA4", "settings": settings}
    ga4 = ok(client.post("/api/v1/integrations", json=body, headers=headers), 201)
    destination = {"integration_id": ga4["id"], "target": "close_convert_lead"}
    label = {"name": "Customer", "value": "99.00", "destinations": [destination]}
    made = ok(client.post("/api/v1/conversion-labels", json=label, headers=headers), 201)
    ok(client.put(f"{LEADS}/{lead_id}/rating", json={"label_id": made["id"]}, headers=headers))
    ok(client.post("/api/v1/conversions/process", json={"lead_ids": [lead_id]}, headers=headers))


def _export_keys(db: Database, export_ids: list[int]) -> list[str]:
    with db.unit_of_work(write=False) as session:
        statement = text("SELECT file_key FROM lead_exports WHERE id IN (:a, :b) ORDER BY id")
        rows = session.execute(statement, {"a": export_ids[0], "b": export_ids[1]})
        keys = [row[0] for row in rows]
    assert all(keys), "the exports were not written"
    return keys


def dump(db: Database, workspace_id: int | None = None) -> dict[str, list[str]]:
    """Every row of every table as text, table by table in a stable order; with a workspace,
    only the rows of the tables that belong to one, and only that workspace's."""
    found = {}
    with db.unit_of_work(write=False) as session:
        for table in Base.metadata.sorted_tables:
            statement = table.select()
            if workspace_id is not None:
                if "workspace_id" not in table.c:
                    continue
                statement = statement.where(table.c.workspace_id == workspace_id)
            rows = session.execute(statement).all()
            found[table.name] = sorted(repr(tuple(row)) for row in rows)
    return found


def tables_holding(db: Database, workspace_id: int, *needles: str) -> dict[str, list[str]]:
    """The workspace's rows of any table that still hold one of the needles (any case)."""
    found = {}
    for table, rows in dump(db, workspace_id).items():
        hits = [row for row in rows if any(n.lower() in row.lower() for n in needles)]
        if hits:
            found[table] = hits
    return found
