"""Rating and processing leads: conversions queued, sent by jobs, retried, settled, logged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from leadhub.db.uow import Database
from leadhub.domains.conversions.service import SEND_ATTEMPTS, SEND_KIND
from leadhub.kit.clock import utcnow
from leadhub.models import Job, LeadEvent
from tests.connectors.servers import form_of
from tests.conversions.conftest import Destinations, Platforms, make_label

LEADS = "/api/v1/leads"
PROCESS = "/api/v1/conversions/process"


def new_lead(client: TestClient, headers: dict[str, str], **fields: Any) -> int:
    body = {
        "first_name": "Ann",
        "last_name": "Smith",
        "email": "ann@example.com",
        "phone": "+31612345678",
        "attribution": {"gclid": "g-123", "fbc": "fb.1.1700000000000.abc", "cid": "111.222"},
        **fields,
    }
    response = client.post(LEADS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: int = response.json()["data"]["id"]
    return created


def full_label(
    client: TestClient, headers: dict[str, str], destinations: Destinations, **body: Any
) -> dict[str, Any]:
    return make_label(
        client,
        headers,
        value="50.00",
        destinations=[
            {"integration_id": destinations.meta, "target": "Purchase"},
            {"integration_id": destinations.ga4, "target": "close_convert_lead"},
            {"integration_id": destinations.google_ads, "target": "987654"},
        ],
        **body,
    )


def rate(client: TestClient, headers: dict[str, str], lead_id: int, **rating: Any) -> Any:
    return client.put(f"{LEADS}/{lead_id}/rating", json=rating, headers=headers)


def run_jobs(app: FastAPI) -> None:
    """Run due jobs until none is left (jobs enqueue jobs)."""
    for _ in range(30):
        if not app.state.runtime.jobs.run_pending():
            return
    raise AssertionError("jobs never settled")


def make_retries_due(db: Database) -> None:
    with db.unit_of_work() as session:
        session.execute(
            update(Job)
            .where(Job.kind == SEND_KIND, Job.status == "pending")
            .values(run_after=utcnow() - timedelta(seconds=1))
        )


def lead(client: TestClient, headers: dict[str, str], lead_id: int) -> dict[str, Any]:
    found: dict[str, Any] = client.get(f"{LEADS}/{lead_id}", headers=headers).json()["data"]
    return found


def conversions(client: TestClient, headers: dict[str, str], lead_id: int) -> list[Any]:
    found: list[Any] = client.get(f"{LEADS}/{lead_id}/conversions", headers=headers).json()["data"]
    return found


def timeline_types(db: Database, lead_id: int) -> list[str]:
    with db.unit_of_work(write=False) as session:
        statement = select(LeadEvent.type).where(LeadEvent.lead_id == lead_id)
        return list(session.scalars(statement.order_by(LeadEvent.id)))


def test_a_rated_lead_is_processed_and_sent_to_every_platform(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    destinations: Destinations,
    platforms: Platforms,
    db: Database,
) -> None:
    label = full_label(client, headers, destinations)
    lead_id = new_lead(client, headers)
    rated = rate(client, headers, lead_id, label_id=label["id"])
    assert rated.status_code == 200, rated.text
    assert rated.json()["data"]["status"] == "rated"
    assert lead(client, headers, lead_id)["conversion_label_id"] == label["id"]

    processed = client.post(PROCESS, json={}, headers=headers)
    assert processed.status_code == 200, processed.text
    (queued,) = processed.json()["data"]
    assert queued["status"] == "pending" and queued["value"] == 50.0
    assert [send["status"] for send in queued["sends"]] == ["queued"] * 3
    assert lead(client, headers, lead_id)["status"] == "pending"

    run_jobs(app)
    (conversion,) = conversions(client, headers, lead_id)
    assert conversion["status"] == "sent"
    assert {send["destination"]: send["status"] for send in conversion["sends"]} == {
        "meta_conversions_api": "sent",
        "ga4_measurement_protocol": "sent",
        "google_ads_conversions": "sent",
    }
    assert lead(client, headers, lead_id)["status"] == "rated"  # marked done
    (meta,) = platforms.received("meta")
    assert meta.json()["data"][0]["event_name"] == "Purchase"
    (ga4,) = platforms.received("ga4")
    assert ga4.json()["client_id"] == "111.222"
    (token,) = platforms.received("token")
    assert form_of(token)["refresh_token"] == "refresh"
    (upload,) = platforms.received("google_ads")
    assert upload.json()["conversions"][0]["gclid"] == "g-123"
    assert "/customers/1234567890:uploadClickConversions" in upload.path
    logged = timeline_types(db, lead_id)
    assert logged.count("conversion_sent") == 3
    assert "lead_rated" in logged and "conversion_queued" in logged
    assert logged[-1] == "conversion_processed"


def test_destinations_that_lack_data_are_skipped_with_a_warning(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    destinations: Destinations,
    platforms: Platforms,
) -> None:
    label = full_label(client, headers, destinations, mark_as_done=False)
    lead_id = new_lead(client, headers, attribution={"fbp": "fb.1.1700000000.9"})
    rate(client, headers, lead_id, label_id=label["id"])
    (queued,) = client.post(PROCESS, json={"lead_ids": [lead_id]}, headers=headers).json()["data"]
    assert {warning["integration"] for warning in queued["warnings"]} == {
        "ga4_measurement_protocol",
        "google_ads_conversions",
    }
    run_jobs(app)
    (conversion,) = conversions(client, headers, lead_id)
    statuses = {send["destination"]: send["status"] for send in conversion["sends"]}
    assert statuses["meta_conversions_api"] == "sent"
    assert statuses["google_ads_conversions"] == "skipped"
    assert conversion["status"] == "sent"
    assert platforms.received("google_ads") == [] and platforms.received("ga4") == []
    # Not marked done: the lead is open again, still carrying its rating.
    got = lead(client, headers, lead_id)
    assert got["status"] == "open" and got["conversion_label_id"] == label["id"]


def test_a_failing_platform_is_retried_then_the_failure_shows(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    destinations: Destinations,
    platforms: Platforms,
    db: Database,
) -> None:
    label = make_label(
        client,
        headers,
        destinations=[{"integration_id": destinations.meta, "target": "Lead"}],
    )
    lead_id = new_lead(client, headers)
    rate(client, headers, lead_id, label_id=label["id"])
    client.post(PROCESS, json={}, headers=headers)
    platforms.failing["meta"] = 503
    run_jobs(app)
    for _ in range(SEND_ATTEMPTS - 1):
        (conversion,) = conversions(client, headers, lead_id)
        assert conversion["status"] == "pending"  # still being retried
        make_retries_due(db)
        run_jobs(app)
    assert len(platforms.received("meta")) == SEND_ATTEMPTS
    (conversion,) = conversions(client, headers, lead_id)
    (send,) = conversion["sends"]
    assert send["status"] == "failed" and "503" in (send["detail"] or "")
    assert send["attempts"] == SEND_ATTEMPTS
    assert conversion["status"] == "failed"
    assert timeline_types(db, lead_id).count("conversion_failed") == 1


def test_a_platform_refusing_the_conversion_fails_it_at_once(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    destinations: Destinations,
    platforms: Platforms,
) -> None:
    label = make_label(
        client, headers, destinations=[{"integration_id": destinations.meta, "target": "Lead"}]
    )
    lead_id = new_lead(client, headers)
    rate(client, headers, lead_id, label_id=label["id"])
    client.post(PROCESS, json={}, headers=headers)
    platforms.failing["meta"] = 400
    run_jobs(app)
    assert len(platforms.received("meta")) == 1
    (conversion,) = conversions(client, headers, lead_id)
    assert conversion["status"] == "failed"
    assert conversion["sends"][0]["status"] == "failed"


def test_a_lost_lead_is_processed_without_sending(
    app: FastAPI, client: TestClient, headers: dict[str, str], platforms: Platforms
) -> None:
    lead_id = new_lead(client, headers)
    assert rate(client, headers, lead_id, lost=True).status_code == 200
    client.post(PROCESS, json={}, headers=headers)
    assert lead(client, headers, lead_id)["status"] == "pending"
    run_jobs(app)
    (conversion,) = conversions(client, headers, lead_id)
    assert conversion["kind"] == "lost" and conversion["status"] == "recorded"
    assert lead(client, headers, lead_id)["status"] == "lost"
    assert platforms.server.received == []


def test_a_pending_lead_cannot_be_rated_again(
    client: TestClient, headers: dict[str, str], destinations: Destinations
) -> None:
    label = full_label(client, headers, destinations)
    lead_id = new_lead(client, headers)
    rate(client, headers, lead_id, label_id=label["id"])
    client.post(PROCESS, json={}, headers=headers)
    again = rate(client, headers, lead_id, lost=True)
    assert again.status_code == 409
    assert again.json()["code"] == "CONFLICT"
    assert client.delete(f"{LEADS}/{lead_id}/rating", headers=headers).status_code == 409


def test_a_rating_can_be_changed_or_taken_back_before_processing(
    client: TestClient, headers: dict[str, str]
) -> None:
    first = make_label(client, headers, name="A")
    second = make_label(client, headers, name="B")
    lead_id = new_lead(client, headers)
    rate(client, headers, lead_id, label_id=first["id"])
    rate(client, headers, lead_id, label_id=second["id"])
    (conversion,) = conversions(client, headers, lead_id)
    assert conversion["label_name"] == "B" and conversion["status"] == "rated"
    assert client.delete(f"{LEADS}/{lead_id}/rating", headers=headers).status_code == 204
    assert conversions(client, headers, lead_id) == []
    got = lead(client, headers, lead_id)
    assert got["status"] == "open" and got["conversion_label_id"] is None
    missing = rate(client, headers, lead_id)
    assert missing.status_code == 422 and "label_id" in missing.json()["errors"]
    unknown = rate(client, headers, lead_id, label_id=999_999)
    assert unknown.status_code == 404
