"""`leadhub export`: the export run in-process, paid for in credits, written to `--output`."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

from leadhub.db.uow import Database
from tests.cli.test_bootstrap import Cli, cli  # noqa: F401  (the fixture)
from tests.exports.helpers import credits_left, grant, make_list
from tests.factories import Workspace, make_lead


def test_leads_with_a_status_are_exported_to_a_csv_and_paid_for(
    cli: Cli,  # noqa: F811
    db: Database,
    workspace: Workspace,
    tmp_path: Path,
) -> None:
    make_lead(db, workspace, email="won@example.com", status="won")
    make_lead(db, workspace, email="new@example.com", status="new")
    grant(db, workspace, 5)
    output = tmp_path / "won.csv"
    result = cli("export", "--workspace", "acme", "--status", "won", "--output", str(output))
    assert result.code == 0, result.stderr
    assert result.stdout.strip() == f"1 row written to {output.resolve()}, 1 credit spent"
    with output.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["email"] for row in rows] == ["won@example.com"]
    assert credits_left(db, workspace) == 4
    downloads = list((tmp_path / "data" / "media" / "exports").rglob("leads-*.csv"))
    assert len(downloads) == 1  # it is among the workspace's downloads too


def test_a_list_is_exported_to_xlsx(
    cli: Cli,  # noqa: F811
    db: Database,
    workspace: Workspace,
    tmp_path: Path,
) -> None:
    make_list(db, workspace, "Fair", [make_lead(db, workspace, email="a@example.com")])
    make_lead(db, workspace, email="b@example.com")
    grant(db, workspace, 5)
    output = tmp_path / "fair.xlsx"
    result = cli("export", "--workspace", "acme", "--list", "fair", "--output", str(output))
    assert result.code == 0, result.stderr
    sheet = load_workbook(output, read_only=True)["Leads"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and "a@example.com" in rows[1]


def test_short_credits_are_a_clear_error_and_nothing_is_spent(
    cli: Cli,  # noqa: F811
    db: Database,
    workspace: Workspace,
    tmp_path: Path,
) -> None:
    make_lead(db, workspace, email="a@example.com")
    make_lead(db, workspace, email="b@example.com")
    grant(db, workspace, 1)
    output = tmp_path / "all.csv"
    result = cli("export", "--workspace", "acme", "--output", str(output))
    line = result.assert_one_line_error()
    assert result.code == 1
    assert line == "error: This needs 2 credits and the workspace has 1 left."
    assert not output.exists()
    assert credits_left(db, workspace) == 1


def test_an_unknown_list_or_workspace_is_an_error(
    cli: Cli,  # noqa: F811
    db: Database,
    workspace: Workspace,
    tmp_path: Path,
) -> None:
    output = str(tmp_path / "x.csv")
    missing_list = cli("export", "--workspace", "acme", "--list", "Nope", "--output", output)
    assert "List 'Nope' not found." in missing_list.assert_one_line_error()
    missing_ws = cli("export", "--workspace", "nope", "--output", output)
    assert "not found" in missing_ws.assert_one_line_error()
    bad_format = cli("export", "--workspace", "acme", "--format", "pdf", "--output", output)
    assert "format" in bad_format.assert_one_line_error()
