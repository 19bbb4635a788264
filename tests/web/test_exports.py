"""The Exports page and the leads table's Export action."""

from __future__ import annotations

import csv
import io
import re

from fastapi import FastAPI

from leadhub.db.uow import Database
from leadhub.domains.exports import service as exports
from leadhub.domains.leads.schemas import LeadFilters
from tests.exports.helpers import credits_left, grant, make_list, run_jobs
from tests.factories import Workspace, make_lead, make_workspace
from tests.web.conftest import WebSession


def _export_ids(html: str) -> list[str]:
    return re.findall(r'action="/exports/(\d+)/delete"', html)


def test_the_leads_table_exports_its_current_filter(
    app: FastAPI, owner: WebSession, db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, first_name="Won", email="won@example.com", status="won")
    make_lead(db, workspace, first_name="New", email="new@example.com", status="new")
    grant(db, workspace, 10)
    table = owner.get("/leads?status=won")
    assert 'action="/exports"' in table.text and "Export 1 lead" in table.text

    started = owner.post("/exports", {"back": "status=won&page=1", "format": "csv"})
    assert started.status_code == 303 and started.headers["location"] == "/exports"
    assert credits_left(db, workspace) == 9
    pending = owner.get("/exports")
    assert "Exporting 1 lead to leads-" in pending.text
    assert 'http-equiv="refresh"' in pending.text  # it reloads while the file is written
    assert "writing" in pending.text or "waiting" in pending.text

    run_jobs(app)
    done = owner.get("/exports")
    assert 'http-equiv="refresh"' not in done.text
    link = re.search(r'href="(http://testserver/downloads/[^"]+)"', done.text)
    assert link, done.text
    url = link.group(1).replace("&amp;", "&")
    rows = list(csv.DictReader(io.StringIO(owner.get(url).content.decode("utf-8-sig"))))
    assert [row["email"] for row in rows] == ["won@example.com"]
    assert ">1<" in done.text  # rows and credits spent


def test_an_export_without_enough_credits_goes_back_with_a_message(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    make_lead(db, workspace, email="a@example.com")
    make_lead(db, workspace, email="b@example.com")
    grant(db, workspace, 1)
    refused = owner.post("/exports", {"back": "search=example", "format": "xlsx"})
    assert refused.status_code == 303
    assert refused.headers["location"] == "/leads?search=example"
    page = owner.get(refused.headers["location"])
    assert "Not exported" in page.text and "2 credits" in page.text
    assert credits_left(db, workspace) == 1
    assert not _export_ids(owner.get("/exports").text)


def test_a_list_can_be_exported_and_an_export_deleted(
    app: FastAPI, owner: WebSession, db: Database, workspace: Workspace
) -> None:
    list_id = make_list(db, workspace, "Team", [make_lead(db, workspace, email="a@example.com")])
    make_lead(db, workspace, email="b@example.com")
    grant(db, workspace, 10)
    owner.post("/exports", {"list_id": str(list_id), "format": "xlsx"})
    run_jobs(app)
    listing = owner.get("/exports").text
    assert "team-" in listing and ".xlsx" in listing
    ids = _export_ids(listing)
    assert len(ids) == 1
    assert "data-confirm" in listing
    without_csrf = owner.client.post(f"/exports/{ids[0]}/delete", follow_redirects=False)
    assert without_csrf.status_code in (400, 403)
    deleted = owner.post(f"/exports/{ids[0]}/delete")
    assert deleted.status_code == 303
    assert not _export_ids(owner.get("/exports").text)


def test_the_nav_has_exports_and_another_workspaces_export_is_not_found(
    app: FastAPI, owner: WebSession, db: Database, workspace: Workspace
) -> None:
    assert 'href="/exports"' in owner.get("/").text
    other = make_workspace(db, "other")
    make_lead(db, other, email="theirs@example.com")
    grant(db, other, 5)
    with db.unit_of_work() as session:
        theirs = exports.create_export(session, other.principal(), filters=LeadFilters())
    assert owner.post(f"/exports/{theirs.id}/delete").status_code == 404
    assert "theirs" not in owner.get("/exports").text
    assert credits_left(db, other) == 4
