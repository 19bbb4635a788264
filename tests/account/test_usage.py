"""API calls are counted per key and month without a write per request, and a workspace's
monthly quota answers 429 on every API surface once its keys have used it up."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from leadhub.db.uow import Database
from leadhub.domains.account import service as account
from leadhub.domains.account import usage
from leadhub.domains.apikeys import service as apikeys
from leadhub.errors import Invalid
from leadhub.surfaces.common.usage import UsageMeter
from tests.account.helpers import actions
from tests.factories import Workspace, make_key, make_workspace

USAGE = "/api/v1/account/usage"
GET_LEADS = "/compat/leadtrackr/api/leads/getLeads"


def meter(app: FastAPI) -> UsageMeter:
    found: UsageMeter = app.state.runtime.usage
    return found


def stored(db: Database, workspace: Workspace, month: str | None = None) -> int:
    with db.unit_of_work(write=False) as session:
        return usage.month_calls(session, workspace.id, month or usage.month_of(datetime.now(UTC)))


def set_quota(db: Database, workspace: Workspace, quota: int | None) -> None:
    with db.unit_of_work() as session:
        account.set_quota(session, workspace.id, quota)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_calls_are_counted_per_key_in_memory_then_flushed(
    app: FastAPI, client: TestClient, db: Database, workspace: Workspace
) -> None:
    meter(app).flush_seconds = 3600  # only the explicit flushes below write
    first, second = make_key(db, workspace), make_key(db, workspace)
    for _ in range(3):
        client.get("/api/v1/leads", headers=bearer(first))
    client.get("/api/v1/tags", headers=bearer(second))
    assert stored(db, workspace) == 0  # nothing written while answering
    assert meter(app).month_calls(workspace.id) == 4
    assert meter(app).flush() == 4
    assert stored(db, workspace) == 4 and meter(app).unflushed(workspace.id) == 0
    client.get("/api/v1/leads", headers=bearer(second))
    assert meter(app).month_calls(workspace.id) == 5  # stored plus unflushed
    meter(app).flush()
    assert stored(db, workspace) == 5  # calls = calls + n, not overwritten
    report = client.get(USAGE, headers=bearer(first)).json()["data"]
    assert [key["calls"] for key in report["keys"]] == [4, 2]  # the usage call itself counts
    assert report["calls"] == 6


def test_calls_are_kept_per_calendar_month(db: Database, workspace: Workspace) -> None:
    now = [datetime(2026, 1, 31, 23, 59, 59, tzinfo=UTC)]
    counter = UsageMeter(db, clock=lambda: now[0])
    with db.unit_of_work() as session:
        key_id = account_key(session, workspace)
    counter.count(workspace.id, key_id)
    now[0] = datetime(2026, 2, 1, tzinfo=UTC)
    counter.count(workspace.id, key_id)
    counter.count(workspace.id, key_id)
    assert counter.month_calls(workspace.id) == 2
    counter.flush()
    assert stored(db, workspace, "2026-01") == 1 and stored(db, workspace, "2026-02") == 2


def account_key(session: Session, workspace: Workspace) -> int:
    return apikeys.create(session, workspace.id).record.id


def test_the_meter_flushes_by_itself_after_enough_calls(db: Database, workspace: Workspace) -> None:
    counter = UsageMeter(db, max_pending=3, flush_seconds=3600)
    with db.unit_of_work() as session:
        key_id = account_key(session, workspace)
    for _ in range(3):
        counter.count(workspace.id, key_id)
    assert stored(db, workspace) == 3 and counter.unflushed(workspace.id) == 0


def test_the_meter_writes_what_is_left_when_it_stops(db: Database, workspace: Workspace) -> None:
    counter = UsageMeter(db, flush_seconds=0.05)
    with db.unit_of_work() as session:
        key_id = account_key(session, workspace)
    counter.start()
    counter.count(workspace.id, key_id)
    counter.stop()
    assert stored(db, workspace) == 1


def test_a_reached_quota_answers_429_until_next_month_on_the_native_api(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    set_quota(db, workspace, 2)
    assert client.get("/api/v1/leads", headers=headers).status_code == 200
    assert client.get("/api/v1/leads", headers=headers).status_code == 200
    refused = client.get("/api/v1/leads", headers=headers)
    assert refused.status_code == 429
    assert refused.json()["code"] == "RATE_LIMITED"
    assert "monthly quota of 2 API calls" in refused.json()["message"]
    expected = usage.seconds_until_next_month(datetime.now(UTC))
    assert abs(int(refused.headers["Retry-After"]) - expected) <= 5
    assert refused.headers["X-RateLimit-Limit"] == "1000"
    # Every key of the workspace shares the quota.
    other_key = bearer(make_key(db, workspace))
    assert client.get("/api/v1/tags", headers=other_key).status_code == 429


def test_a_reached_quota_answers_429_on_leadtrackr_in_its_own_shape(
    app: FastAPI, client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    set_quota(db, workspace, 1)
    assert client.get(GET_LEADS, headers=headers).status_code == 200
    meter(app).flush()  # the quota holds across a flush
    refused = client.get(GET_LEADS, headers=headers)
    assert refused.status_code == 429
    assert set(refused.json()) == {"message"}
    assert int(refused.headers["Retry-After"]) > 0


def test_no_quota_means_no_limit(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    for _ in range(5):
        assert client.get("/api/v1/leads", headers=headers).status_code == 200
    report = client.get(USAGE, headers=headers).json()["data"]
    assert report["quota"] is None and report["remaining"] is None and report["calls"] == 6


def test_quota_is_per_workspace(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    other = make_workspace(db, "globex")
    set_quota(db, other, 1)
    other_headers = bearer(make_key(db, other))
    assert client.get("/api/v1/leads", headers=other_headers).status_code == 200
    assert client.get("/api/v1/leads", headers=other_headers).status_code == 429
    assert client.get("/api/v1/leads", headers=headers).status_code == 200


def test_raising_the_quota_lets_calls_through_again(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str]
) -> None:
    set_quota(db, workspace, 1)
    client.get("/api/v1/leads", headers=headers)
    assert client.get("/api/v1/leads", headers=headers).status_code == 429
    set_quota(db, workspace, None)
    assert client.get("/api/v1/leads", headers=headers).status_code == 200
    assert actions(db, workspace).count("workspace.quota_changed") == 2


def test_the_web_app_does_not_count(app: FastAPI, client: TestClient, workspace: Workspace) -> None:
    client.get("/login")
    assert meter(app).month_calls(workspace.id) == 0


@pytest.mark.parametrize("quota", [0, -1, 10**10])
def test_a_quota_out_of_range_is_refused(db: Database, workspace: Workspace, quota: int) -> None:
    with pytest.raises(Invalid), db.unit_of_work() as session:
        account.set_quota(session, workspace.id, quota)


def test_month_arithmetic() -> None:
    december = datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    assert usage.month_of(december) == "2026-12"
    assert usage.next_month_start(december) == datetime(2027, 1, 1, tzinfo=UTC)
    assert usage.seconds_until_next_month(december) == 3600


@pytest.mark.parametrize(
    "path", ["/compat/leadpanther/api/v1/me", "/compat/leadsopedia/v1/account", "/api/v1/me"]
)
def test_the_quota_holds_on_every_api_surface(
    client: TestClient, db: Database, workspace: Workspace, headers: dict[str, str], path: str
) -> None:
    set_quota(db, workspace, 1)
    assert client.get(path, headers=headers).status_code == 200
    refused = client.get(path, headers=headers)
    assert refused.status_code == 429, refused.text
    assert int(refused.headers["Retry-After"]) > 0
    assert "X-RateLimit-Remaining" in refused.headers
