"""Writing rows as leads: validation with the leads' rules, de-duplication, lists, tags."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from leadhub.db.uow import Database
from leadhub.domains.lists import service as lists
from leadhub.domains.lists.schemas import ListCreate
from leadhub.models import AuditEntry
from leadhub.storage.local import LocalStore
from tests.factories import Workspace, make_lead
from tests.imports.helpers import by_email, import_file, leads, members, tag_names, xlsx

CSV = (
    "Full Name,E-mail,Phone Number,Company,Title,City,State,Country,Tags,Deal value,Shoe size\n"
    'Ann Lee,ANN@Example.com,(415) 555-0100,Acme,CTO,Austin,TX,US,"vip, west","$1,250.50",38\n'
    "Bob Stone,bob@example.com,,Initech,,,,,,,\n"
)


def test_rows_become_leads_with_normalised_contacts_in_the_list(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    done = import_file(db, workspace, store, CSV.encode(), list_name="Conference")
    assert (done.status, done.created_count, done.failed_count) == ("done", 2, 0)
    assert (done.total_rows, done.processed_rows) == (2, 2)
    found = by_email(db, workspace)
    ann = found["ann@example.com"]
    assert (ann.first_name, ann.last_name, ann.phone) == ("Ann", "Lee", "+14155550100")
    assert (ann.company, ann.job_title, ann.city, ann.state, ann.country) == (
        "Acme",
        "CTO",
        "Austin",
        "TX",
        "US",
    )
    assert ann.value == Decimal("1250.50")
    assert ann.source == "import"
    assert ann.custom_fields == {}  # the unmapped column is skipped
    assert tag_names(db, ann.id) == ["vip", "west"]
    assert done.list_id is not None
    assert members(db, done.list_id) == {lead.id for lead in found.values()}


def test_bad_rows_are_reported_with_line_and_reason_and_the_rest_go_in(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    content = (
        b"name,email,notes,status\n"
        b"Ann,ann@example.com,,\n"
        b'Bad,not-an-email,"two\nlines",\n'
        b",,just a note,\n"
        b"Cy,cy@example.com,,Won!\n"
        b"Di,di@example.com,,,surplus\n"
        b"Ed,ed@example.com,,\n"
    )
    done = import_file(db, workspace, store, content)
    assert (done.created_count, done.failed_count, done.processed_rows) == (2, 4, 6)
    assert [(error.line, error.reason) for error in done.errors] == [
        (3, "The email field must be a valid email address."),
        (5, "The row has no email, phone or name."),
        (6, "The status field may contain only letters, digits, spaces and - _ . : /."),
        (7, "The row has 5 cells but the header has 4 columns."),
    ]
    assert set(by_email(db, workspace)) == {"ann@example.com", "ed@example.com"}


def test_duplicates_within_the_file_become_one_lead(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    content = (
        b"first name,email,phone,company,tags\n"
        b"Ann,ann@example.com,,,a\n"
        b"Annie,ANN@example.com,+14155550100,Acme,b\n"
        b"Anna,,415-555-0100,,c\n"
    )
    done = import_file(db, workspace, store, content)
    assert (done.created_count, done.updated_count) == (1, 2)
    [ann] = leads(db, workspace)
    assert (ann.first_name, ann.phone, ann.company) == ("Ann", "+14155550100", "Acme")
    assert tag_names(db, ann.id) == ["a", "b", "c"]
    assert members(db, done.list_id or 0) == {ann.id}


def test_an_existing_lead_is_filled_and_tagged_when_duplicates_update(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    lead_id = make_lead(
        db, workspace, first_name="Ann", email="ann@example.com", company="Old Co", tags=["x"]
    )
    content = (
        b"first name,email,company,city,tags,colour\nAnnie,Ann@Example.com,New Co,Oslo,y,red\n"
    )
    done = import_file(db, workspace, store, content, mapping={"colour": "custom_fields.colour"})
    assert (done.created_count, done.updated_count, done.skipped_count) == (0, 1, 0)
    [ann] = leads(db, workspace)
    assert ann.id == lead_id
    assert (ann.first_name, ann.company, ann.city) == ("Ann", "Old Co", "Oslo")
    assert ann.custom_fields == {"colour": "red"}
    assert tag_names(db, lead_id) == ["x", "y"]
    assert members(db, done.list_id or 0) == {lead_id}


def test_an_existing_lead_is_left_alone_when_duplicates_are_skipped(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    lead_id = make_lead(db, workspace, first_name="Ann", phone="+14155550100")
    content = b"first name,phone,city,tags\nAnnie,(415) 555-0100,Oslo,y\nBob,+442071838750,,\n"
    done = import_file(db, workspace, store, content, on_duplicate="skip")
    assert (done.created_count, done.updated_count, done.skipped_count) == (1, 0, 1)
    found = {lead.id: lead for lead in leads(db, workspace)}
    assert found[lead_id].city is None
    assert tag_names(db, lead_id) == []
    assert members(db, done.list_id or 0) == set(found)


def test_an_xlsx_file_imports_into_an_existing_list(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    with db.unit_of_work() as session:
        target = lists.create_list(session, workspace.principal(), data=ListCreate(name="Q3"))
    content = xlsx(
        [["Email", "Mobile", "Name"], ["a@example.com", 4155550100, "Al Bo"], ["b@x.io"]]
    )
    done = import_file(
        db, workspace, store, content, "people.xlsx", list_id=target.id, source="expo"
    )
    assert (done.format, done.status, done.created_count) == ("xlsx", "done", 2)
    found = by_email(db, workspace)
    assert found["a@example.com"].phone == "+14155550100"
    assert found["a@example.com"].source == "expo"
    assert members(db, target.id) == {lead.id for lead in found.values()}
    with db.unit_of_work(write=False) as session:
        assert lists.get_list(session, workspace.principal(), target.id).total_contacts == 2


def test_the_import_is_in_the_audit_log(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    done = import_file(db, workspace, store, CSV.encode())
    with db.unit_of_work(write=False) as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "import.completed")
        ).one()
    assert entry.target_id == str(done.id)
    assert entry.details["created"] == 2


def test_the_file_is_removed_from_the_store_when_done(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    done = import_file(db, workspace, store, CSV.encode())
    assert list((store.root / "imports").rglob("*.csv")) == []
    assert done.finished_at is not None


def test_a_windows_excel_csv_with_semicolons_keeps_its_accents(
    db: Database, workspace: Workspace, store: LocalStore
) -> None:
    content = "Prénom;Nom;Société;E-mail;Ville\r\nJosé;Núñez;Café Ltd;jose@example.com;\r\n"
    done = import_file(db, workspace, store, content.encode("cp1252"))
    assert done.mapping == {
        "Prénom": "first_name",
        "Nom": "last_name",
        "Société": "company",
        "E-mail": "email",
        "Ville": "city",
    }
    [lead] = leads(db, workspace)
    assert (lead.first_name, lead.last_name, lead.company) == ("José", "Núñez", "Café Ltd")
    again = content.replace("jose@", "JOSE@").replace(";\r\n", ";Málaga\r\n")
    updated = import_file(db, workspace, store, again.encode("utf-16"))
    assert (updated.created_count, updated.updated_count) == (0, 1)
    [lead] = leads(db, workspace)
    assert lead.city == "Málaga"
