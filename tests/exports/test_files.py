"""The files: every column, CSV and XLSX read back, only the paid rows, formulas kept as text."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from leadhub.db.uow import Database
from leadhub.domains.exports import producing, tagging
from leadhub.domains.exports import service as exports
from leadhub.domains.exports.schemas import ExportInfo
from leadhub.domains.exports.writer import COLUMNS
from leadhub.domains.leads import service as leads
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.storage.local import LocalStore
from tests.exports.helpers import credits_left, grant, make_list
from tests.factories import Workspace, make_lead


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "media")


def export(
    db: Database,
    workspace: Workspace,
    *,
    fmt: str = "csv",
    list_id: int | None = None,
    filters: LeadFilters | None = None,
) -> ExportInfo:
    with db.unit_of_work() as session:
        return exports.create_export(
            session, workspace.principal(), list_id=list_id, filters=filters, format=fmt
        )


def produce(db: Database, store: LocalStore, info: ExportInfo) -> ExportInfo:
    finished = producing.produce(db, store, info.id)
    assert finished is not None
    return finished


def file_bytes(db: Database, store: LocalStore, workspace: Workspace, export_id: int) -> bytes:
    with db.unit_of_work(write=False) as session:
        found = exports.open_file(session, workspace.principal(), export_id, store=store)
    return b"".join(found.chunks)


def full_lead(db: Database, workspace: Workspace) -> int:
    return make_lead(
        db,
        workspace,
        first_name="Zoë",
        last_name="Ünal",
        email="zoe@example.com",
        phone="+33612345678",
        company='=HYPERLINK("http://evil")',
        job_title="Head of Sales",
        city="Lyon",
        state="ARA",
        region="Europe",
        country="France",
        source="facebook",
        status="won",
        tags=["vip", "b2b"],
        lead_score=42,
        value=Decimal("1234.50"),
        attribution={"gclid": "g-1", "utm_source": "news", "landing_page": "https://x.test/"},
    )


def test_a_csv_holds_every_column_in_order(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    lead_id = full_lead(db, workspace)
    grant(db, workspace, 10)
    info = produce(db, store, export(db, workspace))
    assert info.status == "done" and info.row_count == 1 and info.credits_spent == 1
    content = file_bytes(db, store, workspace, info.id)
    assert content.startswith(b"\xef\xbb\xbf")  # a BOM, so spreadsheets read UTF-8
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["id"] == str(lead_id)
    assert (row["first_name"], row["last_name"]) == ("Zoë", "Ünal")
    assert row["phone"] == "+33612345678"  # a number stays a number
    assert row["company"] == '\'=HYPERLINK("http://evil")'  # a formula stays text
    assert row["title"] == "Head of Sales"
    assert (row["city"], row["state"], row["region"], row["country"]) == (
        "Lyon", "ARA", "Europe", "France",
    )  # fmt: skip
    assert (row["source"], row["status"], row["tags"]) == ("facebook", "won", "b2b, vip")
    assert (row["lead_score"], row["value"]) == ("42", "1234.50")
    assert datetime.fromisoformat(row["created_at"]).utcoffset() is not None
    assert (row["gclid"], row["utm_source"], row["landing_page"]) == (
        "g-1", "news", "https://x.test/",
    )  # fmt: skip
    assert row["fbclid"] == ""


def test_an_xlsx_reads_back_with_typed_cells(
    db: Database, workspace: Workspace, store: LocalStore, tmp_path: Path
) -> None:
    lead_id = full_lead(db, workspace)
    make_lead(db, workspace, first_name="Plain", email="plain@example.com")
    grant(db, workspace, 10)
    info = produce(db, store, export(db, workspace, fmt="xlsx"))
    assert info.filename.endswith(".xlsx") and info.extension == "xlsx"
    path = tmp_path / info.filename
    path.write_bytes(file_bytes(db, store, workspace, info.id))
    sheet = load_workbook(path, read_only=True)["Leads"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 3
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["id"] == lead_id and row["lead_score"] == 42 and row["value"] == 1234.5
    assert row["company"] == '=HYPERLINK("http://evil")'  # a text cell, not a formula
    assert isinstance(row["created_at"], datetime)
    assert row["tags"] == "b2b, vip" and row["title"] == "Head of Sales"
    assert rows[2][COLUMNS.index("email")] == "plain@example.com"


def test_a_list_export_holds_only_the_lists_leads(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    inside = [make_lead(db, workspace, email=f"in{n}@example.com") for n in range(3)]
    make_lead(db, workspace, email="out@example.com")
    list_id = make_list(db, workspace, "Inside", inside)
    grant(db, workspace, 10)
    info = produce(db, store, export(db, workspace, list_id=list_id))
    content = file_bytes(db, store, workspace, info.id).decode("utf-8-sig")
    emails = [row["email"] for row in csv.DictReader(io.StringIO(content))]
    assert emails == ["in0@example.com", "in1@example.com", "in2@example.com"]
    assert info.list_id == list_id and info.filename.startswith("inside-")


def test_leads_that_arrive_after_the_export_was_asked_for_are_not_in_it(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    make_lead(db, workspace, email="a@example.com")
    grant(db, workspace, 10)
    info = export(db, workspace)
    make_lead(db, workspace, email="late@example.com")
    finished = produce(db, store, info)
    assert finished.row_count == 1 and finished.credits_spent == 1
    assert b"late@example.com" not in file_bytes(db, store, workspace, info.id)


def test_rows_that_went_away_before_the_file_was_written_are_refunded(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    ids = [make_lead(db, workspace, email=f"l{n}@example.com") for n in range(3)]
    grant(db, workspace, 10)
    info = export(db, workspace)
    assert credits_left(db, workspace) == 7
    with db.unit_of_work() as session:
        leads.delete(session, workspace.principal(), ids[0])
    finished = produce(db, store, info)
    assert finished.row_count == 2 and finished.credits_spent == 2
    assert credits_left(db, workspace) == 8


def test_an_empty_export_is_free_and_holds_the_header(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    info = produce(db, store, export(db, workspace, filters=LeadFilters(statuses=["none"])))
    assert info.row_count == 0 and info.credits_spent == 0
    content = file_bytes(db, store, workspace, info.id).decode("utf-8-sig")
    assert content.splitlines() == [",".join(COLUMNS)]


def test_a_finished_export_is_not_written_twice(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    make_lead(db, workspace, email="a@example.com")
    grant(db, workspace, 10)
    info = export(db, workspace)
    produce(db, store, info)
    assert producing.produce(db, store, info.id) is None
    assert credits_left(db, workspace) == 9


def test_an_export_deleted_while_it_is_written_leaves_no_file_and_is_refunded(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    make_lead(db, workspace, email="a@example.com")
    grant(db, workspace, 10)
    info = export(db, workspace)

    def delete_meanwhile(_written: int) -> None:
        with db.unit_of_work() as session:
            exports.delete_export(session, workspace.principal(), info.id, store=store)

    assert producing.produce(db, store, info.id, progress=delete_meanwhile) is None
    assert not list(store.root.rglob("*.csv"))
    assert credits_left(db, workspace) == 10


def test_a_file_read_in_many_chunks_holds_each_lead_once_with_its_tags(
    db: Database, workspace: Workspace, store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Chunks of two, and tag combinations forgotten past one: every edge is crossed.
    monkeypatch.setattr(producing, "ROW_CHUNK", 2)
    monkeypatch.setattr(tagging, "KEEP", 1)
    tag_sets = [["vip", "b2b"], [], ["cold"], ["b2b", "vip"], ["cold", "b2b"]]
    ids = [
        make_lead(db, workspace, email=f"l{n}@example.com", tags=tags)
        for n, tags in enumerate(tag_sets)
    ]
    grant(db, workspace, 10)
    info = produce(db, store, export(db, workspace))
    assert info.row_count == 5
    content = file_bytes(db, store, workspace, info.id).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [int(row["id"]) for row in rows] == ids
    assert [row["tags"] for row in rows] == ["b2b, vip", "", "cold", "b2b, vip", "b2b, cold"]
