"""Exporting and erasing a person through the native API."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from leadhub.db.uow import Database
from leadhub.domains.privacy.schemas import KINDS
from leadhub.models import (
    AuditEntry,
    FormSubmission,
    IdempotencyRecord,
    Job,
    LeadExport,
    MagnetCapture,
    SearchRecord,
    TrackingLink,
)
from tests.exports.helpers import grant
from tests.factories import Workspace, make_key, make_lead, make_workspace
from tests.lead_magnets.helpers import analytics
from tests.media.samples import ask, sample
from tests.privacy.helpers import (
    EMAIL,
    ERASURES,
    EXPORTS,
    LEADS,
    OTHER_EMAIL,
    PHONE,
    PROFILE,
    Person,
    build_person,
    ok,
    tables_holding,
)
from tests.webhooks.receiver import Receiver


def _person(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    db: Database,
    workspace: Workspace,
    hooks: Receiver,
) -> Person:
    return build_person(app, client, headers, db, workspace, hooks.url)


def test_the_export_holds_every_kind_of_record_and_links_the_files(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    db: Database,
    workspace: Workspace,
    hooks: Receiver,
) -> None:
    person = _person(app, client, headers, db, workspace, hooks)
    found = ok(client.post(EXPORTS, json={"email": "  Jane.Doe@Example.COM "}, headers=headers))
    assert list(found["records"]) == list(KINDS)
    empty = [kind for kind in KINDS if not found["records"][kind]]
    assert empty == []
    assert found["counts"] == {kind: len(rows) for kind, rows in found["records"].items()}
    assert found["lead_ids"] == [person.lead_id]
    assert found["workspace"] == workspace.public_id
    [lead] = found["records"]["leads"]
    assert lead["email"] == EMAIL and lead["phone"] == PHONE and lead["tags"] == ["vip", "welcomed"]
    assert lead["custom_fields"]["cv"] == person.media_url
    assert {row["lead_id"] for row in found["records"]["lead_events"]} == {
        person.lead_id,
        person.gone_lead_id,
    }
    submissions = found["records"]["form_submissions"]
    assert {row["lead_id"] for row in submissions} == {person.lead_id, None}
    assert all(row["data"]["email"].lower() == EMAIL for row in submissions)
    assert [row["linkedin_profile_url"] for row in found["records"]["social_activities"]] == [
        PROFILE
    ]
    assert OTHER_EMAIL not in json.dumps(found)  # nobody else's data
    files = {item["kind"]: item for item in found["files"]}
    assert files["media"]["url"] == person.media_url
    assert client.get(files["media"]["url"]).status_code == 200
    exports = [item for item in found["files"] if item["kind"] == "export"]
    assert sorted(int(item["id"]) for item in exports) == person.export_ids
    downloaded = client.get(exports[0]["url"])
    assert downloaded.status_code == 200 and EMAIL.encode() in downloaded.content


def test_a_person_is_found_by_phone_or_lead_id_alike(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    db: Database,
    workspace: Workspace,
    hooks: Receiver,
) -> None:
    person = _person(app, client, headers, db, workspace, hooks)
    by_email = ok(client.post(EXPORTS, json={"email": EMAIL}, headers=headers))
    by_phone = ok(client.post(EXPORTS, json={"phone": "(415) 555-0123"}, headers=headers))
    by_id = ok(client.post(EXPORTS, json={"lead_id": person.lead_id}, headers=headers))
    assert by_phone["reference"] == by_email["reference"] == by_id["reference"]
    assert by_phone["counts"] == by_email["counts"] == by_id["counts"]


def test_erasure_leaves_nothing_of_the_person_and_keeps_the_counts(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    db: Database,
    workspace: Workspace,
    hooks: Receiver,
) -> None:
    person = _person(app, client, headers, db, workspace, hooks)
    elsewhere = make_workspace(db, "elsewhere")
    twin = make_lead(db, elsewhere, email=EMAIL, phone=PHONE)
    before = analytics(client, headers, person.magnet_id)["metrics"]
    submissions_before = _submission_count(db, person.form_id)
    delivered_before = len(hooks.requests)
    assert _pending_jobs(db, workspace) > 0  # her conversion's jobs and events wait to go out
    store = app.state.runtime.store
    assert store.exists(person.media_key) and all(map(store.exists, person.export_keys))

    erased = ok(client.post(ERASURES, json={"email": EMAIL}, headers=headers), 201)

    assert erased["lead_ids"] == sorted([person.lead_id, person.gone_lead_id])
    assert erased["files_deleted"] == 3
    for kind in ("leads", "lead_events", "social_profiles", "social_activities", "conversions"):
        assert erased["deleted"][kind] >= 1, kind
    for kind in ("automation_runs", "webhook_deliveries", "jobs", "exports", "media"):
        assert erased["deleted"][kind] >= 1, kind
    for kind in ("form_submissions", "magnet_captures", "page_events", "tracking_links"):
        assert erased["anonymised"][kind] >= 1, kind
    # Nothing anywhere still holds her email, phone or profile.
    assert tables_holding(db, workspace.id, EMAIL, PHONE, PROFILE, "jane-cv") == {}
    assert client.get(f"{LEADS}/{person.lead_id}", headers=headers).status_code == 404
    # Counts that others rely on hold.
    after = analytics(client, headers, person.magnet_id)["metrics"]
    assert after == before
    assert _submission_count(db, person.form_id) == submissions_before
    _assert_anonymised(db)
    # Her files are gone from the store, and no one else's record is touched.
    assert not store.exists(person.media_key)
    assert not any(map(store.exists, person.export_keys))
    assert client.get(person.media_url).status_code == 404
    other = ok(client.get(f"{LEADS}/{person.other_lead_id}", headers=headers))
    assert other["email"] == OTHER_EMAIL
    twin_key = make_key(db, elsewhere)
    twin_lead = client.get(f"{LEADS}/{twin}", headers={"Authorization": f"Bearer {twin_key}"})
    assert ok(twin_lead)["email"] == EMAIL
    # What was waiting to go out about her never goes.
    app.state.runtime.jobs.run_pending()
    while app.state.runtime.jobs.run_pending():
        pass
    assert _pending_jobs(db, workspace) == 0
    assert len(hooks.requests) == delivered_before
    assert tables_holding(db, workspace.id, EMAIL, PHONE) == {}


def test_exports_and_erasures_are_in_the_audit_log_without_the_persons_data(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    db: Database,
    workspace: Workspace,
    hooks: Receiver,
) -> None:
    person = _person(app, client, headers, db, workspace, hooks)
    exported = ok(client.post(EXPORTS, json={"email": EMAIL}, headers=headers))
    erased = ok(client.post(ERASURES, json={"phone": PHONE}, headers=headers), 201)
    assert erased["reference"] == exported["reference"]
    log = ok(client.get("/api/v1/account/activity", params={"action": "privacy"}, headers=headers))
    by_action = {entry["action"]: entry for entry in log}
    assert set(by_action) == {"privacy.exported", "privacy.erased"}
    for entry in log:
        assert entry["actor"]["type"] == "api_key"
        assert entry["target"] == {"type": "person", "id": exported["reference"]}
        assert EMAIL not in json.dumps(entry) and PHONE not in json.dumps(entry)
    assert by_action["privacy.exported"]["details"]["counts"]["leads"] == 1
    details = by_action["privacy.erased"]["details"]
    assert details["deleted"] == erased["deleted"]
    assert details["anonymised"] == erased["anonymised"]
    assert details["lead_ids"] == sorted([person.lead_id, person.gone_lead_id])


def test_erasure_needs_delete_privacy_and_export_read_privacy(
    client: TestClient, db: Database, workspace: Workspace
) -> None:
    lead_id = make_lead(db, workspace, email=EMAIL)
    writer = {"Authorization": f"Bearer {make_key(db, workspace, scopes=['write:privacy'])}"}
    reader = {"Authorization": f"Bearer {make_key(db, workspace, scopes=['read:privacy'])}"}
    leads = {"Authorization": f"Bearer {make_key(db, workspace, scopes=['delete:leads'])}"}
    for key in (writer, reader, leads):
        refused = client.post(ERASURES, json={"email": EMAIL}, headers=key)
        assert refused.status_code == 403 and refused.json()["code"] == "FORBIDDEN"
    assert client.post(EXPORTS, json={"email": EMAIL}, headers=leads).status_code == 403
    assert client.post(EXPORTS, json={"email": EMAIL}, headers=reader).status_code == 200
    eraser = {"Authorization": f"Bearer {make_key(db, workspace, scopes=['delete:privacy'])}"}
    assert client.post(ERASURES, json={"lead_id": lead_id}, headers=eraser).status_code == 201


def test_bad_requests_answer_in_the_native_envelope(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    nobody = client.post(EXPORTS, json={}, headers=headers)
    assert nobody.status_code == 422 and nobody.json()["code"] == "VALIDATION_FAILED"
    unknown = client.post(EXPORTS, json={"email": EMAIL, "name": "Jane"}, headers=headers)
    assert unknown.status_code == 422 and "name" in unknown.json()["errors"]
    foreign = make_lead(db, make_workspace(db, "foreign"), email=EMAIL)
    missing = client.post(ERASURES, json={"lead_id": foreign}, headers=headers)
    assert missing.status_code == 404 and missing.json()["code"] == "NOT_FOUND"
    nothing = ok(client.post(EXPORTS, json={"email": "nobody@example.com"}, headers=headers))
    assert nothing["lead_ids"] == [] and not any(nothing["counts"].values())


def test_an_export_filtered_on_the_person_keeps_its_file_and_loses_the_filter(
    client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, email=EMAIL, status="new")
    make_lead(db, workspace, email=OTHER_EMAIL, status="won")
    grant(db, workspace, 10)
    body = {"format": "csv", "filters": {"status": "won", "search": EMAIL}}
    started = ok(client.post("/api/v1/exports", json=body, headers=headers), 202)
    erased = ok(client.post(ERASURES, json={"email": EMAIL}, headers=headers), 201)
    assert erased["anonymised"] == {"exports": 1}
    assert "exports" not in erased["deleted"]
    kept = ok(client.get(f"/api/v1/downloads/{started['id']}", headers=headers))
    assert kept["id"] == started["id"]
    with db.unit_of_work(write=False) as session:
        record = session.get(LeadExport, started["id"])
        assert record is not None and record.filters == {"statuses": ["won"], "search": "[erased]"}


def _pending_jobs(db: Database, workspace: Workspace) -> int:
    with db.unit_of_work(write=False) as session:
        statement = select(Job).where(Job.workspace_id == workspace.id, Job.status == "pending")
        return len(list(session.scalars(statement)))


def _submission_count(db: Database, form_id: int) -> int:
    with db.unit_of_work(write=False) as session:
        rows = session.scalars(select(FormSubmission).where(FormSubmission.form_id == form_id))
        return len(list(rows))


def _assert_anonymised(db: Database) -> None:
    with db.unit_of_work(write=False) as session:
        submissions = list(session.scalars(select(FormSubmission)))
        stripped = [row for row in submissions if row.lead_id is None]
        assert stripped and all(
            row.data == {} and row.attribution == {} and row.ip_address is None for row in stripped
        )
        captures = list(session.scalars(select(MagnetCapture)))
        assert captures and all(c.lead_id is None and c.visitor_id is None for c in captures)
        links = list(session.scalars(select(TrackingLink).where(TrackingLink.clicks > 0)))
        assert links and all(link.lead_id is None for link in links)
        searches: list[Any] = list(session.scalars(select(SearchRecord)))
        assert [search.query for search in searches] == ["[erased]"]
        assert session.scalars(select(AuditEntry)).first() is not None


def test_a_file_someone_else_links_to_too_is_kept(
    app: FastAPI, client: TestClient, headers: dict[str, str], db: Database, workspace: Workspace
) -> None:
    upload = ask(client, headers, content_type="application/pdf", filename="brochure.pdf")
    stored = client.put(
        upload["upload_url"],
        content=sample("application/pdf"),
        headers={"Content-Type": "application/pdf"},
    )
    assert stored.status_code == 201
    link = upload["public_url"]
    make_lead(db, workspace, email=EMAIL, custom_fields={"doc": link})
    make_lead(db, workspace, email=OTHER_EMAIL, notes=f"Sent {link}")
    exported = ok(client.post(EXPORTS, json={"email": EMAIL}, headers=headers))
    assert exported["files"] == [] and exported["counts"]["media"] == 0
    erased = ok(client.post(ERASURES, json={"email": EMAIL}, headers=headers), 201)
    assert erased["files_deleted"] == 0
    assert client.get(link).status_code == 200


def test_erasure_deletes_the_kept_retry_answers_that_show_the_person(
    client: TestClient, headers: dict[str, str], db: Database
) -> None:
    def create(email: str, key: str) -> int:
        lead = {"first_name": "Jane", "email": email}
        keyed = {**headers, "Idempotency-Key": key}
        return int(ok(client.post(LEADS, json=lead, headers=keyed), 201)["id"])

    lead_id = create(EMAIL, "create-jane")
    create(OTHER_EMAIL, "create-other")
    note = {**headers, "Idempotency-Key": "note-on-jane"}
    client.post(f"{LEADS}/{lead_id}/notes", json={"content": "Called back"}, headers=note)

    erased = ok(client.post(ERASURES, json={"email": EMAIL}, headers=headers), 201)

    assert erased["deleted"]["retry_answers"] >= 1
    with db.unit_of_work(write=False) as session:
        kept = session.scalars(select(IdempotencyRecord)).all()
        assert [record.key for record in kept] == ["create-other"]
        assert all(EMAIL.encode() not in bytes(record.body) for record in kept)
