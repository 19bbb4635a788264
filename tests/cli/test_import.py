"""`leadhub import FILE`: the import run in-process, its summary and its failed rows' lines."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from leadhub.db.uow import Database
from leadhub.models import Lead, LeadList, ListMember
from tests.cli.test_bootstrap import Cli, cli  # noqa: F401  (the fixture)
from tests.conftest import LEADHUB_COMMAND
from tests.factories import Workspace, make_lead

CSV = (
    "Full Name;E-mail;Mobile;Colour\n"
    "Ann Lee;ann@example.com;+14155550100;red\n"
    'Bad Row;"not an email";;\n'
    "Bob Roe;BOB@example.com;;blue\n"
)


def emails(db: Database, workspace: Workspace) -> dict[str, Lead]:
    with db.unit_of_work(write=False) as session:
        found = session.scalars(select(Lead).where(Lead.workspace_id == workspace.id))
        return {lead.email or "": lead for lead in found}


def list_members(db: Database, name: str) -> int:
    with db.unit_of_work(write=False) as session:
        list_id = session.scalar(select(LeadList.id).where(LeadList.name == name))
        statement = select(ListMember).where(ListMember.list_id == list_id)
        return len(list(session.scalars(statement)))


def test_a_file_is_imported_with_a_summary_and_the_failed_lines(
    cli: Cli,  # noqa: F811
    db: Database,
    workspace: Workspace,
    tmp_path: Path,
) -> None:
    make_lead(db, workspace, first_name="Bob", email="bob@example.com")
    path = tmp_path / "contacts.csv"
    path.write_text(CSV)
    result = cli(
        "import", str(path), "--workspace", "acme", "--list", "Expo",
        "--map", "Colour=custom_fields.colour", "--source", "expo",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "3 rows: 1 created, 1 updated, 0 skipped, 1 failed",
        "line 3: The email field must be a valid email address.",
    ]
    found = emails(db, workspace)
    assert found["ann@example.com"].custom_fields == {"colour": "red"}
    assert found["ann@example.com"].source == "expo"
    assert found["bob@example.com"].custom_fields == {"colour": "blue"}
    assert list_members(db, "Expo") == 2


def test_a_file_that_cannot_be_read_exits_1(
    cli: Cli,  # noqa: F811
    db: Database,
    workspace: Workspace,
    tmp_path: Path,
) -> None:
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG not a workbook")
    result = cli("import", str(path), "--workspace", "acme")
    assert result.code == 1
    assert "XLSX" in result.assert_one_line_error()
    missing = cli("import", str(tmp_path / "nope.csv"), "--workspace", "acme")
    assert missing.code == 1
    assert "no such file" in missing.assert_one_line_error()
    bad_map = cli("import", str(path), "--workspace", "acme", "--map", "nothing")
    assert "HEADER=FIELD" in bad_map.assert_one_line_error()
    assert emails(db, workspace) == {}


@pytest.mark.slow
def test_the_real_command_imports_a_file(
    db: Database, workspace: Workspace, tmp_path: Path, database_url: str
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,email\n" + "".join(f"P {n},p{n}@example.com\n" for n in range(50)))
    env = {name: value for name, value in os.environ.items() if not name.startswith("LEADHUB_")}
    env |= {"LEADHUB_DATABASE_URL": database_url, "LEADHUB_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [LEADHUB_COMMAND, "import", str(path), "--workspace", "acme", "--on-duplicate", "skip"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "50 rows: 50 created, 0 updated, 0 skipped, 0 failed"
    assert len(emails(db, workspace)) == 50
    assert list_members(db, "people") == 50
