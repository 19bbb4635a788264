"""The import wizard: upload into a list → map the columns (with a preview) → start → progress."""

from __future__ import annotations

import re

from fastapi import FastAPI

from leadhub.db.uow import Database
from leadhub.domains.lists import service as lists
from leadhub.domains.lists.schemas import ListCreate
from tests.factories import Workspace
from tests.imports.helpers import by_email, members, xlsx
from tests.web.conftest import WebSession

CSV = (
    b"Name;E-mail;Company;Favourite colour\n"
    b"Ann Lee;ann@example.com;Acme;red\n"
    b"Bad;not-an-email;;\n"
    b"Bob Roe;bob@example.com;;blue\n"
)


def upload(owner: WebSession, content: bytes = CSV, name: str = "expo.csv", **form: str):
    return owner.post("/imports", form, files={"file": (name, content, "text/csv")})


def import_id_of(location: str) -> int:
    found = re.fullmatch(r"/imports/(\d+)/mapping", location)
    assert found, location
    return int(found.group(1))


def test_the_imports_page_is_in_the_navigation_and_lists_nothing_yet(owner: WebSession) -> None:
    page = owner.get("/imports")
    assert page.status_code == 200
    assert 'href="/imports"' in page.text
    assert "No imports yet" in page.text
    assert 'href="/imports/new"' in page.text


def test_the_upload_form_offers_the_lists(
    owner: WebSession, db: Database, workspace: Workspace
) -> None:
    with db.unit_of_work() as session:
        lists.create_list(session, workspace.principal(), data=ListCreate(name="Partners"))
    page = owner.get("/imports/new")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    assert "Partners (0)" in page.text
    assert 'name="csrf_token"' in page.text


def test_the_whole_wizard_imports_the_file(
    app: FastAPI, owner: WebSession, db: Database, workspace: Workspace
) -> None:
    uploaded = upload(owner, list_id="new", list_name="Expo 2026")
    assert uploaded.status_code == 303, uploaded.text
    import_id = import_id_of(uploaded.headers["location"])

    mapping = owner.get(f"/imports/{import_id}/mapping")
    assert mapping.status_code == 200
    # each column with its guess selected, and the preview of the first rows
    assert re.search(r'id="map-0".*?<option value="full_name" selected', mapping.text, re.S)
    assert re.search(r'id="map-1".*?<option value="email" selected', mapping.text, re.S)
    assert 'value="custom_fields.favourite_colour"' in mapping.text
    assert "<td>ann@example.com</td>" in mapping.text
    assert "<td>not-an-email</td>" in mapping.text

    started = owner.post(
        f"/imports/{import_id}/start",
        {
            "map-0": "full_name",
            "map-1": "email",
            "map-2": "",
            "map-3": "custom_fields.favourite_colour",
            "on_duplicate": "update",
        },
    )
    assert started.status_code == 303, started.text
    assert started.headers["location"] == f"/imports/{import_id}"
    waiting = owner.get(f"/imports/{import_id}")
    assert '<meta http-equiv="refresh"' in waiting.text
    assert "Queued" in waiting.text

    while app.state.runtime.jobs.run_pending():
        pass
    done = owner.get(f"/imports/{import_id}")
    assert done.status_code == 200
    assert 'http-equiv="refresh"' not in done.text
    assert "All 3 rows are read." in done.text
    assert re.search(r"<td class=\"num\">3</td><td>The email field must be a valid", done.text)
    assert "Expo 2026" in done.text
    found = by_email(db, workspace)
    assert found["ann@example.com"].company is None  # the column was skipped
    assert found["ann@example.com"].custom_fields == {"favourite_colour": "red"}
    list_id = re.search(r"\?list_id=(\d+)", done.text)
    assert list_id
    assert members(db, int(list_id.group(1))) == {lead.id for lead in found.values()}
    listed = owner.get("/imports")
    assert "expo.csv" in listed.text
    assert "Done" in listed.text


def test_a_bad_file_is_shown_beside_the_field(owner: WebSession) -> None:
    refused = upload(owner, b"\xd0\xcf\x11\xe0 old excel", "old.xls")
    assert refused.status_code == 422
    assert "Old Excel (.xls) files are not supported" in refused.text
    missing = owner.post("/imports", {"list_id": "new"})
    assert missing.status_code == 422
    assert "Choose a CSV or XLSX file." in missing.text


def test_a_mapping_without_an_identifying_column_is_refused_on_the_mapping_page(
    owner: WebSession,
) -> None:
    import_id = import_id_of(upload(owner).headers["location"])
    refused = owner.post(
        f"/imports/{import_id}/start",
        {"map-0": "", "map-1": "", "map-2": "company", "map-3": "", "on_duplicate": "skip"},
    )
    assert refused.status_code == 422
    assert "Map at least one column to email" in refused.text
    assert re.search(r'id="map-2".*?<option value="company" selected', refused.text, re.S)


def test_an_xlsx_upload_goes_through_the_wizard(
    app: FastAPI, owner: WebSession, db: Database, workspace: Workspace
) -> None:
    content = xlsx([["Email", "First name"], ["cy@example.com", "Cy"]])
    import_id = import_id_of(upload(owner, content, "people.xlsx").headers["location"])
    owner.post(f"/imports/{import_id}/start", {"map-0": "email", "map-1": "first_name"})
    while app.state.runtime.jobs.run_pending():
        pass
    assert by_email(db, workspace)["cy@example.com"].first_name == "Cy"
    # a started import's mapping page leads to its progress
    again = owner.get(f"/imports/{import_id}/mapping", follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"] == f"/imports/{import_id}"


def test_posts_without_the_csrf_token_are_refused(owner: WebSession) -> None:
    response = owner.client.post(
        "/imports", files={"file": ("a.csv", CSV)}, data={"list_id": "new"}
    )
    assert response.status_code == 403
