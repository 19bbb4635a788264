"""`leadhub workspace quota` and `leadhub credits add` from the shell, noted in the activity."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from leadhub.cli.main import main
from leadhub.db.uow import Database
from leadhub.domains.account import usage
from tests.account.helpers import activity, only
from tests.factories import Workspace

Shell = Callable[..., tuple[int, str, str]]


@pytest.fixture
def leadhub(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    database_url: str,
) -> Shell:
    """`leadhub ARGS…` as the console script runs it: (exit code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("LEADHUB_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("LEADHUB_DATABASE_URL", database_url)
    monkeypatch.setenv("LEADHUB_DATA_DIR", str(tmp_path / "data"))

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["leadhub", *args])
        with pytest.raises(SystemExit) as exited:
            main()
        out, err = capsys.readouterr()
        code = exited.value.code
        return (code if isinstance(code, int) else 0 if code is None else 1), out, err

    return run


def quota(db: Database, workspace: Workspace) -> int | None:
    with db.unit_of_work(write=False) as session:
        return usage.quota_of(session, workspace.id)


def test_the_quota_is_set_and_cleared(leadhub: Shell, db: Database, workspace: Workspace) -> None:
    code, out, _ = leadhub("workspace", "quota", "acme", "15000")
    assert (code, out.splitlines()[-1]) == (0, "15000")
    assert quota(db, workspace) == 15000
    code, out, _ = leadhub("workspace", "quota", "acme", "none")
    assert (code, out.splitlines()[-1]) == (0, "none")
    assert quota(db, workspace) is None
    entries = activity(db, workspace, "workspace.quota_changed")
    assert [entry.details for entry in entries] == [
        {"from": 15000, "to": None},
        {"from": None, "to": 15000},
    ]
    assert {entry.actor.type for entry in entries} == {"system"}


@pytest.mark.parametrize("value", ["-5", "lots", "0"])
def test_a_bad_quota_is_one_line_on_stderr(
    leadhub: Shell, db: Database, workspace: Workspace, value: str
) -> None:
    code, _, err = leadhub("workspace", "quota", "acme", value)
    assert code != 0 and len(err.strip().splitlines()) == 1 and "quota" in err
    assert quota(db, workspace) is None


def test_an_unknown_workspace_is_refused(leadhub: Shell, db: Database) -> None:
    code, _, err = leadhub("workspace", "quota", "nowhere", "10")
    assert code != 0 and "nowhere" in err


def test_credits_added_from_the_shell_are_in_the_activity(
    leadhub: Shell, db: Database, workspace: Workspace
) -> None:
    code, out, _ = leadhub("credits", "add", "--workspace", "acme", "250")
    assert (code, out.splitlines()[-1]) == (0, "250")
    entry = only(db, workspace, "credits.added")
    assert entry.actor.type == "system" and entry.details["amount"] == 250
