"""An erasure is one transaction: a failure part-way leaves everything as it was."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from leadhub.db.uow import Database
from leadhub.domains.privacy import erasure
from leadhub.domains.privacy import service as privacy
from leadhub.domains.privacy.schemas import PersonQuery
from tests.factories import Workspace
from tests.privacy.helpers import EMAIL, ERASURES, build_person, dump
from tests.webhooks.receiver import Receiver

# Counted per API call (usage, a key's last use), apart from what the erasure touches.
_METERS = ("api_usage", "api_keys")


class Injected(RuntimeError):
    pass


def _records(db: Database) -> dict[str, list[str]]:
    return {table: rows for table, rows in dump(db).items() if table not in _METERS}


def _fail_at_leads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the erasure delete and anonymise everything before the leads, then fail."""
    original = erasure._delete_by_id

    def failing(session: Any, model: Any, rows: Any, kind: str, tally: Any) -> None:
        if kind == "leads":
            raise Injected("the database went away")
        original(session, model, rows, kind, tally)

    monkeypatch.setattr(erasure, "_delete_by_id", failing)


def test_a_failure_mid_way_leaves_every_record_and_file(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    db: Database,
    workspace: Workspace,
    hooks: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = build_person(app, client, headers, db, workspace, hooks.url)
    before = _records(db)
    store = app.state.runtime.store
    _fail_at_leads(monkeypatch)
    with pytest.raises(Injected), db.unit_of_work() as session:
        privacy.erase(
            session,
            workspace.principal(),
            PersonQuery(email=EMAIL),
            store=store,
            key="test-secret",
        )
    assert _records(db) == before
    assert store.exists(person.media_key) and all(map(store.exists, person.export_keys))


def test_a_failure_through_the_api_is_a_500_and_changes_nothing(
    app: FastAPI,
    headers: dict[str, str],
    db: Database,
    workspace: Workspace,
    hooks: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = TestClient(app, base_url="http://testserver", raise_server_exceptions=False)
    person = build_person(app, client, headers, db, workspace, hooks.url)
    before = _records(db)
    _fail_at_leads(monkeypatch)
    failed = client.post(ERASURES, json={"email": EMAIL}, headers=headers)
    assert failed.status_code == 500 and failed.json()["code"] == "SERVER_ERROR"
    assert _records(db) == before
    assert app.state.runtime.store.exists(person.media_key)
