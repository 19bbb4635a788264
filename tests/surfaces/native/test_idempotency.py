"""An `Idempotency-Key` on a native POST: a retry of the same request within 24 hours gets the
first answer again and does nothing twice; the key with another request is a 422."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from leadhub.db.uow import Database
from leadhub.domains.credits import service as credits
from leadhub.domains.grants import service as grants
from leadhub.domains.idempotency import service as idempotency
from leadhub.domains.leads import service as lead_service
from leadhub.models import IdempotencyRecord
from leadhub.surfaces.common.idempotency import HEADER
from tests.factories import Workspace, make_key, make_lead, make_workspace
from tests.surfaces.native.assertions import assert_error, bearer
from tests.surfaces.native.idempotency_helpers import (
    INBOUND,
    LEADS,
    age_records,
    assert_not_replayed,
    assert_replay_of,
    counts,
    keyed,
    post,
)

LEAD = {"first_name": "Ada", "email": "ada@example.com", "tags": ["vip", "new"]}
# The same JSON as LEAD, with another key order and spacing.
LEAD_RESPACED = '{ "tags": ["vip", "new"],  "email": "ada@example.com", "first_name": "Ada" }'


def json_post(client: TestClient, path: str, headers: dict[str, str], key: str, raw: str) -> Any:
    sent = {**keyed(headers, key), "Content-Type": "application/json"}
    return client.post(path, content=raw, headers=sent)


# -- the same request again -----------------------------------------------------------------


def test_a_retry_answers_the_first_response_and_does_the_work_once(
    client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    hook = {"url": "https://93.184.216.34/hooks/in", "events": ["lead_created"]}
    assert client.post("/api/v1/webhooks", json=hook, headers=headers).status_code == 201
    before = counts(db)
    first = post(client, LEADS, headers, "create-ada-1", json=LEAD)
    after_first = counts(db)
    replay = json_post(client, LEADS, headers, "create-ada-1", LEAD_RESPACED)
    assert first.status_code == 201, first.text
    assert_replay_of(replay, first)
    assert after_first["leads"] == before["leads"] + 1
    assert after_first["events"] > before["events"]
    assert after_first["jobs"] > before["jobs"]  # the webhook's delivery among them
    assert after_first["records"] == before["records"] + 1
    assert counts(db) == after_first  # no second lead, event, job or record


def test_a_request_without_the_header_is_served_as_ever(
    client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    first = client.post(LEADS, json={"first_name": "Twice"}, headers=headers)
    second = client.post(LEADS, json={"first_name": "Twice"}, headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["data"]["id"] != second.json()["data"]["id"]
    assert_not_replayed(second)
    assert counts(db)["leads"] == 2 and counts(db)["records"] == 0


def test_another_key_is_another_request(
    client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    first = post(client, LEADS, headers, "key-a", json={"first_name": "Grace"})
    second = post(client, LEADS, headers, "key-b", json={"first_name": "Grace"})
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["data"]["id"] != second.json()["data"]["id"]
    assert_not_replayed(second)
    assert counts(db)["leads"] == 2


def test_the_same_key_with_another_body_is_a_422_and_does_nothing(
    client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    first = post(client, LEADS, headers, "one-request", json=LEAD)
    assert first.status_code == 201, first.text
    before = counts(db)
    other = post(client, LEADS, headers, "one-request", json={**LEAD, "first_name": "Eve"})
    body = assert_error(other, 422, "VALIDATION_FAILED")
    assert "already used for a different request" in str(body["message"])
    assert HEADER in body["errors"]  # type: ignore[operator]
    assert_not_replayed(other)
    assert counts(db) == before
    # The key still stands for its first request.
    assert_replay_of(post(client, LEADS, headers, "one-request", json=LEAD), first)


@pytest.mark.parametrize(
    "bad_key",
    ["", " ", "x" * 256, "caf\u00e9", "tab\there", "line\u0001feed"],
    ids=["empty", "blank", "too-long", "not-ascii", "tab", "control"],
)
def test_a_malformed_key_is_a_422_and_does_nothing(
    client: TestClient, db: Database, headers: dict[str, str], bad_key: str
) -> None:
    sent = {**headers, HEADER: bad_key.encode("utf-8")}
    answer = client.post(LEADS, json={"first_name": "Bad"}, headers=sent)  # type: ignore[arg-type]
    body = assert_error(answer, 422, "VALIDATION_FAILED")
    assert HEADER in body["errors"]  # type: ignore[operator]
    assert counts(db)["leads"] == 0


def test_a_key_of_255_printable_characters_is_taken(
    client: TestClient, headers: dict[str, str]
) -> None:
    key = ("k-" + "~ !az09" * 40)[:255]
    first = post(client, LEADS, headers, key, json={"first_name": "Long"})
    assert first.status_code == 201, first.text
    assert_replay_of(post(client, LEADS, headers, key, json={"first_name": "Long"}), first)


# -- what a key is scoped to ------------------------------------------------------------------


def test_the_same_key_in_another_workspace_is_another_request(
    client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    other = bearer(make_key(db, make_workspace(db, "other")))
    mine = post(client, LEADS, headers, "shared-key", json={"first_name": "Mine"})
    theirs = post(client, LEADS, other, "shared-key", json={"first_name": "Mine"})
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert_not_replayed(theirs)
    assert counts(db)["leads"] == 2


def test_the_same_key_on_another_path_is_another_request(
    client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    lead = post(client, LEADS, headers, "path-key", json={"first_name": "Path"})
    tag = post(client, "/api/v1/tags", headers, "path-key", json={"name": "Path"})
    assert (lead.status_code, tag.status_code) == (201, 201), tag.text
    assert_not_replayed(tag)


def test_another_key_of_the_workspace_gets_the_replay(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    """Keys are the workspace's, not one API key's: a client that rotates its API key keeps
    its retries safe."""
    rotated = bearer(make_key(db, workspace))
    first = post(client, LEADS, headers, "rotate", json={"first_name": "R"})
    assert_replay_of(post(client, LEADS, rotated, "rotate", json={"first_name": "R"}), first)
    assert counts(db)["leads"] == 1


def test_an_agency_acting_on_a_client_has_keys_of_its_own(client: TestClient, db: Database) -> None:
    agency = make_workspace(db, "agency", agency=True)
    client_ws = make_workspace(db, "client-a")
    with db.unit_of_work() as session:
        grants.create(session, agency_slug="agency", client_slug="client-a", permissions=[])
    agency_key = bearer(make_key(db, agency))
    client_key = bearer(make_key(db, client_ws))
    through_grant = f"/api/v1/clients/{client_ws.public_id}/leads"
    body = {"first_name": "Client lead"}
    by_agency = post(client, through_grant, agency_key, "k-1", json=body)
    by_client = post(client, LEADS, client_key, "k-1", json=body)
    assert (by_agency.status_code, by_client.status_code) == (201, 201), by_agency.text
    assert_not_replayed(by_client)
    assert_replay_of(post(client, through_grant, agency_key, "k-1", json=body), by_agency)
    with db.unit_of_work(write=False) as session:
        records = session.scalars(select(IdempotencyRecord)).all()
        owners = sorted((record.workspace_id, record.actor) for record in records)
    assert owners == sorted([(client_ws.id, f"agency:{agency.id}"), (client_ws.id, "workspace")])


# -- which answers are kept -------------------------------------------------------------------


def test_a_refusal_of_the_request_is_replayed_and_nothing_is_half_written(
    client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    body = {"first_name": "Ghost", "tags": ["kept-out"], "pipeline_id": 999999}
    first = post(client, LEADS, headers, "bad-pipeline", json=body)
    assert_error(first, 422, "VALIDATION_FAILED")
    replay = post(client, LEADS, headers, "bad-pipeline", json=body)
    assert_replay_of(replay, first)
    assert counts(db)["leads"] == 0
    tags = client.get("/api/v1/tags", headers=headers).json()["data"]
    assert "kept-out" not in [tag["name"] for tag in tags]


def test_a_404_is_replayed(client: TestClient, headers: dict[str, str]) -> None:
    first = post(client, f"{LEADS}/424242/tags", headers, "tag-missing", json={"tag": "x"})
    assert_error(first, 404, "NOT_FOUND")
    assert_replay_of(
        post(client, f"{LEADS}/424242/tags", headers, "tag-missing", json={"tag": "x"}), first
    )


def test_a_server_error_is_not_kept_so_the_retry_does_the_work(
    client: TestClient, db: Database, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    create = lead_service.create
    failures = iter([RuntimeError("the database went away")])

    def failing_once(*args: Any, **kwargs: Any) -> Any:
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return create(*args, **kwargs)

    monkeypatch.setattr(lead_service, "create", failing_once)
    failed = post(client, LEADS, headers, "flaky", json={"first_name": "Retry"})
    assert_error(failed, 500, "SERVER_ERROR")
    assert counts(db)["records"] == 0
    retried = post(client, LEADS, headers, "flaky", json={"first_name": "Retry"})
    assert retried.status_code == 201, retried.text
    assert_not_replayed(retried)
    assert counts(db)["leads"] == 1


def test_a_403_is_not_kept(client: TestClient, db: Database, workspace: Workspace) -> None:
    reader = bearer(make_key(db, workspace, scopes=["read:leads"]))
    writer = bearer(make_key(db, workspace, scopes=["write:leads"]))
    assert_error(post(client, LEADS, reader, "scoped", json={"first_name": "S"}), 403, "FORBIDDEN")
    created = post(client, LEADS, writer, "scoped", json={"first_name": "S"})
    assert created.status_code == 201, created.text
    assert_not_replayed(created)


def test_a_refusal_for_want_of_credits_is_not_kept(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    """402 depends on the balance, not on the request: after credits are added the same request
    with the same key succeeds."""
    make_lead(db, workspace, first_name="Exported")
    export = {"format": "csv"}
    refused = post(client, "/api/v1/exports", headers, "export-1", json=export)
    assert_error(refused, 402, "INSUFFICIENT_CREDITS")
    with db.unit_of_work() as session:
        credits.grant(session, workspace.id, 10)
    started = post(client, "/api/v1/exports", headers, "export-1", json=export)
    assert started.status_code == 202, started.text
    assert_not_replayed(started)
    assert_replay_of(post(client, "/api/v1/exports", headers, "export-1", json=export), started)
    downloads = client.get("/api/v1/downloads", headers=headers).json()["data"]
    assert len(downloads) == 1


# -- 24 hours ---------------------------------------------------------------------------------


def test_after_24_hours_the_key_is_free_again(
    client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    first = post(client, LEADS, headers, "day-key", json={"first_name": "Day"})
    age_records(db, by=idempotency.TTL - timedelta(seconds=5))
    assert_replay_of(post(client, LEADS, headers, "day-key", json={"first_name": "Day"}), first)
    age_records(db, by=timedelta(seconds=6))
    again = post(client, LEADS, headers, "day-key", json={"first_name": "Day"})
    assert again.status_code == 201 and again.json() != first.json()
    assert_not_replayed(again)
    assert counts(db)["leads"] == 2
    assert counts(db)["records"] == 1  # the expired record gave way to the new one


def test_after_24_hours_the_key_may_name_another_request(
    client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    post(client, LEADS, headers, "reused", json={"first_name": "Old"})
    age_records(db, by=idempotency.TTL)
    reused = post(client, LEADS, headers, "reused", json={"first_name": "New"})
    assert reused.status_code == 201, reused.text
    assert reused.json()["data"]["first_name"] == "New"


# -- inbound intake ---------------------------------------------------------------------------


def test_an_inbound_retry_replays_the_creation_instead_of_merging_a_duplicate(
    client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    body = {"email": "lead@example.com", "first_name": "In", "tags": ["webinar"]}
    params = {"tenant": "acme"}
    first = post(client, INBOUND, headers, "intake-1", json=body, params=params)
    replay = post(client, INBOUND, headers, "intake-1", json=body, params=params)
    assert first.status_code == 201, first.text
    assert first.json()["is_duplicate"] is False
    assert_replay_of(replay, first)
    assert counts(db)["leads"] == 1
    # Without the key, the same lead is a duplicate merged as ever.
    merged = client.post(INBOUND, json=body, params=params, headers=headers)
    assert merged.status_code == 200 and merged.json()["is_duplicate"] is True


def test_an_inbound_key_with_another_tenant_is_another_request(
    client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    """The query string is part of the request: `?tenant=` changes what it does."""
    body = {"email": "q@example.com"}
    assert (
        post(client, INBOUND, headers, "i-2", json=body, params={"tenant": "acme"}).status_code
        == 201
    )
    other = post(client, INBOUND, headers, "i-2", json=body, params={"tenant": "other"})
    assert_error(other, 422, "VALIDATION_FAILED")
    assert counts(db)["leads"] == 1


# -- other bodies: a browser's form submission, a file upload ----------------------------------


def test_a_browser_may_make_its_form_submission_safe_to_retry(
    client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    form = {"name": "Contact", "fields": [{"name": "email", "type": "email", "required": True}]}
    created = client.post("/api/v1/forms", json=form, headers=headers).json()["data"]
    path = f"/api/v1/forms/{created['id']}/submissions"
    browser = {"X-Form-Key": created["public_key"], "Origin": "https://site.example.com"}
    preflight = client.options(
        path,
        headers={
            "Origin": "https://site.example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-form-key, idempotency-key",
        },
    )
    assert HEADER.lower() in preflight.headers["Access-Control-Allow-Headers"].lower()
    values = {"email": "visitor@example.com"}
    first = post(client, path, browser, "submit-1", json=values)
    replay = post(client, path, browser, "submit-1", json=values)
    assert first.status_code == 201, first.text
    assert_replay_of(replay, first)
    assert "Idempotent-Replayed" in replay.headers["Access-Control-Expose-Headers"]
    submissions = client.get(path, headers=headers).json()["data"]
    assert len(submissions) == 1 and counts(db)["leads"] == 1
    # The form's key and the workspace's API keys are different senders.
    by_key = post(client, path, headers, "submit-1", json=values)
    assert by_key.status_code == 201 and by_key.json()["data"]["is_duplicate"] is True
    assert_not_replayed(by_key)
    assert len(client.get(path, headers=headers).json()["data"]) == 2


def test_an_upload_is_fingerprinted_by_its_content_not_its_multipart_boundary(
    client: TestClient, db: Database, headers: dict[str, str]
) -> None:
    def upload(content: bytes) -> Any:
        files = {"file": ("leads.csv", content, "text/csv")}
        return post(client, "/api/v1/imports", headers, "import-1", files=files)

    csv = b"email,first_name\nada@example.com,Ada\n"
    first = upload(csv)
    assert first.status_code == 202, first.text
    assert_replay_of(upload(csv), first)  # each request has its own boundary
    other = upload(b"email,first_name\neve@example.com,Eve\n")
    assert_error(other, 422, "VALIDATION_FAILED")
    imports = client.get("/api/v1/imports", headers=headers).json()["data"]
    assert len(imports) == 1
