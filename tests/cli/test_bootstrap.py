"""The bootstrap commands of CONTRACT §1: the value asked for is the last line of stdout (exit 0);
a bad argument is one line on stderr and a non-zero exit.

Most tests run the console script's entry point (`leadhub.cli.main:main`) in this process, with
the LEADHUB_* environment pointing at the test database; a few run the real `leadhub` command.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select

from leadhub.cli.main import main
from leadhub.db.uow import Database
from leadhub.kit.tokens import sha256_hex
from leadhub.models import AgencyGrant, ApiKey, User
from leadhub.models import Workspace as WorkspaceRecord
from tests.conftest import LEADHUB_COMMAND, running_server
from tests.surfaces.native.assertions import bearer

LEADS = "/api/v1/leads"


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    def value(self) -> str:
        """The last line of stdout, after checking the command succeeded."""
        assert self.code == 0, (self.code, self.stdout, self.stderr)
        lines = self.stdout.splitlines()
        assert lines, "nothing on stdout"
        return lines[-1]

    def assert_one_line_error(self) -> str:
        assert self.code != 0, (self.stdout, self.stderr)
        lines = self.stderr.strip().splitlines()
        assert len(lines) == 1, self.stderr
        assert "Traceback" not in self.stderr
        return lines[0]


Cli = Callable[..., Run]


@pytest.fixture
def cli(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    database_url: str,
    db: Database,
) -> Cli:
    """`leadhub ARGS…` as the console script runs it, on the test database."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in list(os.environ):
        if name.startswith("LEADHUB_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("LEADHUB_DATABASE_URL", database_url)
    monkeypatch.setenv("LEADHUB_DATA_DIR", str(tmp_path / "data"))

    def run(*args: str) -> Run:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["leadhub", *args])
        with pytest.raises(SystemExit) as exited:
            main()
        out, err = capsys.readouterr()
        code = exited.value.code
        return Run(
            code=code if isinstance(code, int) else (0 if code is None else 1),
            stdout=out,
            stderr=err,
        )

    return run


def workspace_record(db: Database, slug: str) -> WorkspaceRecord | None:
    with db.unit_of_work(write=False) as session:
        return session.scalar(select(WorkspaceRecord).where(WorkspaceRecord.slug == slug))


def api_key_record(db: Database, key: str) -> ApiKey:
    with db.unit_of_work(write=False) as session:
        record = session.scalar(select(ApiKey).where(ApiKey.key_hash == sha256_hex(key)))
        assert record is not None
        return record


# -- workspace create ---------------------------------------------------------------------------


def test_workspace_create_prints_the_public_id(cli: Cli, db: Database) -> None:
    public_id = cli("workspace", "create", "acme", "--name", "Acme Inc").value()
    record = workspace_record(db, "acme")
    assert record is not None
    assert public_id == record.public_id
    assert public_id.startswith("ws_")
    assert record.name == "Acme Inc"
    assert record.is_agency is False


def test_workspace_create_without_a_name_uses_the_slug(cli: Cli, db: Database) -> None:
    cli("workspace", "create", "acme").value()
    record = workspace_record(db, "acme")
    assert record is not None and record.name == "acme"


def test_workspace_create_agency_makes_an_agency(cli: Cli, db: Database) -> None:
    cli("workspace", "create", "agency", "--agency").value()
    record = workspace_record(db, "agency")
    assert record is not None and record.is_agency is True


def test_each_workspace_gets_its_own_public_id(cli: Cli) -> None:
    first = cli("workspace", "create", "acme").value()
    second = cli("workspace", "create", "globex").value()
    assert first != second


def test_workspace_create_refuses_a_taken_slug(cli: Cli, db: Database) -> None:
    public_id = cli("workspace", "create", "acme").value()
    error = cli("workspace", "create", "acme").assert_one_line_error()
    assert "taken" in error
    record = workspace_record(db, "acme")
    assert record is not None and record.public_id == public_id


@pytest.mark.parametrize("slug", ["Bad Slug", "-acme", "acme_inc", "a" * 64])
def test_workspace_create_refuses_a_malformed_slug(cli: Cli, db: Database, slug: str) -> None:
    error = cli("workspace", "create", slug).assert_one_line_error()
    assert "slug" in error
    assert workspace_record(db, slug.lower()) is None


# -- user create --------------------------------------------------------------------------------


def test_user_create_prints_the_users_id_and_the_first_is_owner(cli: Cli, db: Database) -> None:
    cli("workspace", "create", "acme").value()
    owner_id = cli(
        "user",
        "create",
        "--workspace",
        "acme",
        "--email",
        "Me@Acme.com",
        "--password",
        "long-secret",
    ).value()
    member_id = cli(
        "user", "create", "--workspace", "acme", "--email", "you@acme.com", "--password", "secret-2"
    ).value()
    with db.unit_of_work(write=False) as session:
        owner = session.get(User, int(owner_id))
        member = session.get(User, int(member_id))
        assert owner is not None and member is not None
        assert (owner.email, owner.role) == ("me@acme.com", "owner")
        assert (member.email, member.role) == ("you@acme.com", "member")
        assert owner.password_hash and "long-secret" not in owner.password_hash


def test_user_create_takes_a_role_and_a_name(cli: Cli, db: Database) -> None:
    cli("workspace", "create", "acme").value()
    user_id = cli(
        "user",
        "create",
        "--workspace",
        "acme",
        "--email",
        "a@acme.com",
        "--password",
        "long-secret",
        "--role",
        "admin",
        "--name",
        "Ada",
    ).value()
    with db.unit_of_work(write=False) as session:
        user = session.get(User, int(user_id))
        assert user is not None and (user.role, user.name) == ("admin", "Ada")


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("--email", "not-an-email", "--password", "long-secret"), "email"),
        (("--email", "a@acme.com", "--password", "short"), "password"),
        (("--email", "a@acme.com", "--password", "long-secret", "--role", "king"), "role"),
    ],
)
def test_user_create_refuses_bad_arguments(cli: Cli, args: tuple[str, ...], field: str) -> None:
    cli("workspace", "create", "acme").value()
    error = cli("user", "create", "--workspace", "acme", *args).assert_one_line_error()
    assert field in error


def test_user_create_refuses_a_taken_email(cli: Cli) -> None:
    cli("workspace", "create", "acme").value()
    args = ("user", "create", "--workspace", "acme", "--email", "a@acme.com")
    cli(*args, "--password", "long-secret").value()
    assert "taken" in cli(*args, "--password", "other-secret").assert_one_line_error()


def test_user_create_refuses_an_unknown_workspace(cli: Cli) -> None:
    error = cli(
        "user",
        "create",
        "--workspace",
        "nowhere",
        "--email",
        "a@x.com",
        "--password",
        "long-secret",
    ).assert_one_line_error()
    assert "nowhere" in error


# -- apikey create ------------------------------------------------------------------------------


def test_apikey_create_prints_a_key_that_works_against_the_api(
    cli: Cli, client: TestClient
) -> None:
    cli("workspace", "create", "acme").value()
    key = cli("apikey", "create", "--workspace", "acme", "--name", "zapier").value()
    assert key.startswith("lh_")
    response = client.get(LEADS, headers=bearer(key))
    assert response.status_code == 200, response.text
    created = client.post(LEADS, json={"first_name": "Sarah"}, headers={"X-Api-Key": key})
    assert created.status_code == 201


def test_apikey_create_stores_the_hash_not_the_key(cli: Cli, db: Database) -> None:
    cli("workspace", "create", "acme").value()
    key = cli("apikey", "create", "--workspace", "acme", "--name", "zapier").value()
    record = api_key_record(db, key)
    assert record.name == "zapier"
    assert record.key_hash == sha256_hex(key)
    columns = [column.key for column in inspect(ApiKey).column_attrs]
    for column in columns:
        assert str(getattr(record, column)) != key, column
        assert key not in str(getattr(record, column)), column


def test_apikey_create_without_a_scope_means_every_scope_and_1000_an_hour(
    cli: Cli, db: Database, client: TestClient
) -> None:
    cli("workspace", "create", "acme").value()
    key = cli("apikey", "create", "--workspace", "acme").value()
    record = api_key_record(db, key)
    assert record.scopes == ["*"]
    assert record.rate_limit == 1000
    assert client.get(LEADS, headers=bearer(key)).headers["X-RateLimit-Limit"] == "1000"


def test_apikey_create_with_scopes_grants_only_those(
    cli: Cli, db: Database, client: TestClient
) -> None:
    cli("workspace", "create", "acme").value()
    key = cli(
        "apikey", "create", "--workspace", "acme", "--scope", "read:leads", "--scope", "tags:write"
    ).value()
    assert sorted(api_key_record(db, key).scopes) == ["read:leads", "write:tags"]
    assert client.get(LEADS, headers=bearer(key)).status_code == 200
    assert client.post(LEADS, json={"first_name": "S"}, headers=bearer(key)).status_code == 403


def test_apikey_create_with_a_rate_limit_sets_the_hourly_budget(
    cli: Cli, db: Database, client: TestClient
) -> None:
    cli("workspace", "create", "acme").value()
    key = cli("apikey", "create", "--workspace", "acme", "--rate-limit", "2").value()
    assert api_key_record(db, key).rate_limit == 2
    answers = [client.get(LEADS, headers=bearer(key)) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[0].headers["X-RateLimit-Limit"] == "2"


def test_each_apikey_is_new(cli: Cli) -> None:
    cli("workspace", "create", "acme").value()
    keys = {cli("apikey", "create", "--workspace", "acme").value() for _ in range(2)}
    assert len(keys) == 2


def test_apikey_create_refuses_an_unknown_scope(cli: Cli, db: Database) -> None:
    cli("workspace", "create", "acme").value()
    run = cli("apikey", "create", "--workspace", "acme", "--scope", "read:everything")
    assert "read:everything" in run.assert_one_line_error()
    assert "lh_" not in run.stdout
    with db.unit_of_work(write=False) as session:
        assert session.scalars(select(ApiKey)).all() == []


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_apikey_create_refuses_a_rate_limit_below_one(cli: Cli, limit: str) -> None:
    cli("workspace", "create", "acme").value()
    run = cli("apikey", "create", "--workspace", "acme", "--rate-limit", limit)
    assert "rate" in run.assert_one_line_error().lower()


def test_apikey_create_refuses_a_rate_limit_that_is_not_a_number(cli: Cli) -> None:
    cli("workspace", "create", "acme").value()
    run = cli("apikey", "create", "--workspace", "acme", "--rate-limit", "lots")
    assert "rate-limit" in run.assert_one_line_error()


def test_apikey_create_refuses_an_unknown_workspace(cli: Cli) -> None:
    run = cli("apikey", "create", "--workspace", "nowhere")
    assert "nowhere" in run.assert_one_line_error()
    assert run.stdout == ""


# -- grants -------------------------------------------------------------------------------------


def grant_record(db: Database, grant_id: int) -> AgencyGrant:
    with db.unit_of_work(write=False) as session:
        grant = session.get(AgencyGrant, grant_id)
        assert grant is not None
        return grant


def test_grant_create_prints_the_grants_id(cli: Cli, db: Database) -> None:
    cli("workspace", "create", "agency", "--agency").value()
    cli("workspace", "create", "client").value()
    grant_id = int(
        cli(
            "grant",
            "create",
            "--agency",
            "agency",
            "--client",
            "client",
            "--permission",
            "read:leads",
            "--permission",
            "leads:write",
            "--label",
            "Client Co",
        ).value()
    )
    grant = grant_record(db, grant_id)
    agency, client = workspace_record(db, "agency"), workspace_record(db, "client")
    assert agency is not None and client is not None
    assert (grant.workspace_id, grant.client_workspace_id) == (agency.id, client.id)
    assert sorted(grant.permissions) == ["read:leads", "write:leads"]
    assert grant.label == "Client Co"
    assert grant.status == "active"


def test_grant_create_without_permissions_grants_everything(cli: Cli, db: Database) -> None:
    cli("workspace", "create", "agency", "--agency").value()
    cli("workspace", "create", "client").value()
    grant_id = int(cli("grant", "create", "--agency", "agency", "--client", "client").value())
    assert grant_record(db, grant_id).permissions == ["*"]


def test_grant_create_refuses_a_workspace_that_is_not_an_agency(cli: Cli, db: Database) -> None:
    cli("workspace", "create", "plain").value()
    cli("workspace", "create", "client").value()
    error = cli("grant", "create", "--agency", "plain", "--client", "client")
    assert "agency" in error.assert_one_line_error()
    with db.unit_of_work(write=False) as session:
        assert session.scalars(select(AgencyGrant)).all() == []


def test_grant_create_refuses_an_unknown_client(cli: Cli) -> None:
    cli("workspace", "create", "agency", "--agency").value()
    error = cli("grant", "create", "--agency", "agency", "--client", "nobody")
    assert "nobody" in error.assert_one_line_error()


def test_grant_create_refuses_an_unknown_permission(cli: Cli) -> None:
    cli("workspace", "create", "agency", "--agency").value()
    cli("workspace", "create", "client").value()
    run = cli("grant", "create", "--agency", "agency", "--client", "client", "--permission", "fly")
    assert "fly" in run.assert_one_line_error()


def test_grant_revoke_prints_the_grants_id_and_revokes_it(cli: Cli, db: Database) -> None:
    cli("workspace", "create", "agency", "--agency").value()
    cli("workspace", "create", "client").value()
    grant_id = cli("grant", "create", "--agency", "agency", "--client", "client").value()
    assert cli("grant", "revoke", grant_id).value() == grant_id
    grant = grant_record(db, int(grant_id))
    assert grant.status == "revoked"
    assert grant.revoked_at is not None


def test_grant_create_reactivates_a_revoked_grant(cli: Cli, db: Database) -> None:
    cli("workspace", "create", "agency", "--agency").value()
    cli("workspace", "create", "client").value()
    grant_id = cli("grant", "create", "--agency", "agency", "--client", "client").value()
    cli("grant", "revoke", grant_id).value()
    again = cli("grant", "create", "--agency", "agency", "--client", "client").value()
    assert again == grant_id
    assert grant_record(db, int(grant_id)).status == "active"


def test_grant_revoke_refuses_an_unknown_grant(cli: Cli) -> None:
    assert "424242" in cli("grant", "revoke", "424242").assert_one_line_error()


# -- credits ------------------------------------------------------------------------------------


def test_credits_add_prints_the_new_balance(cli: Cli) -> None:
    cli("workspace", "create", "acme").value()
    assert cli("credits", "add", "--workspace", "acme", "100").value() == "100"
    assert cli("credits", "add", "50", "--workspace", "acme").value() == "150"


def test_credits_are_per_workspace(cli: Cli) -> None:
    cli("workspace", "create", "acme").value()
    cli("workspace", "create", "globex").value()
    cli("credits", "add", "--workspace", "acme", "100").value()
    assert cli("credits", "add", "--workspace", "globex", "1").value() == "1"


@pytest.mark.parametrize("amount", ["-5", "0"])
def test_credits_add_refuses_an_amount_below_one(cli: Cli, amount: str) -> None:
    cli("workspace", "create", "acme").value()
    error = cli("credits", "add", "--workspace", "acme", amount).assert_one_line_error()
    assert "amount" in error
    assert cli("credits", "add", "--workspace", "acme", "1").value() == "1"


def test_credits_add_refuses_an_amount_that_is_not_a_number(cli: Cli) -> None:
    cli("workspace", "create", "acme").value()
    cli("credits", "add", "--workspace", "acme", "many").assert_one_line_error()


def test_credits_add_refuses_an_unknown_workspace(cli: Cli) -> None:
    error = cli("credits", "add", "--workspace", "nowhere", "10").assert_one_line_error()
    assert "nowhere" in error


# -- usage mistakes -----------------------------------------------------------------------------


def test_a_missing_option_is_one_line_on_stderr(cli: Cli) -> None:
    assert "--workspace" in cli("apikey", "create").assert_one_line_error()


def test_an_unknown_option_is_one_line_on_stderr(cli: Cli) -> None:
    assert "--colour" in cli("workspace", "create", "acme", "--colour").assert_one_line_error()


def test_an_unknown_command_is_one_line_on_stderr(cli: Cli) -> None:
    assert "frobnicate" in cli("frobnicate").assert_one_line_error()


def test_help_still_works(cli: Cli) -> None:
    run = cli("apikey", "create", "--help")
    assert run.code == 0
    assert "--rate-limit" in run.stdout


def test_migrate_brings_the_database_up_to_date(cli: Cli) -> None:
    assert cli("migrate").value() == "database is up to date"


# -- the real command ---------------------------------------------------------------------------


def command_env(database_url: str, data_dir: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("LEADHUB_")}
    env.update(LEADHUB_DATABASE_URL=database_url, LEADHUB_DATA_DIR=str(data_dir))
    return env


@pytest.mark.slow
def test_the_leadhub_command_prints_a_working_key_on_its_last_line(
    database_url: str, db: Database, client: TestClient, tmp_path: Path
) -> None:
    def leadhub(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [LEADHUB_COMMAND, *args],
            cwd=tmp_path,
            env=command_env(database_url, tmp_path / "data"),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    created = leadhub("workspace", "create", "acme")
    assert created.returncode == 0, created.stderr
    issued = leadhub("apikey", "create", "--workspace", "acme", "--scope", "read:leads")
    assert issued.returncode == 0, issued.stderr
    key = issued.stdout.splitlines()[-1]
    assert key.startswith("lh_")
    assert client.get(LEADS, headers=bearer(key)).status_code == 200
    refused = leadhub("workspace", "create", "acme")
    assert refused.returncode != 0
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr


@pytest.mark.slow
def test_serve_on_an_empty_data_dir_creates_and_migrates_a_sqlite_database(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "fresh" / "data"
    with running_server(tmp_path / "run", {"LEADHUB_DATA_DIR": str(data_dir)}) as base_url:
        health = httpx.get(f"{base_url}/api/v1/health", timeout=5, trust_env=False)
        assert health.status_code == 200
        assert health.json()["status"] == "ok"
        unauthorized = httpx.get(f"{base_url}{LEADS}", timeout=5, trust_env=False)
        assert unauthorized.status_code == 401
        assert (data_dir / "leadhub.db").is_file()
        assert (data_dir / "secret_key").is_file()
        fresh = Database(f"sqlite:///{data_dir / 'leadhub.db'}")
        try:
            tables = set(inspect(fresh.engine).get_table_names())
        finally:
            fresh.dispose()
        assert {"alembic_version", "workspaces", "api_keys", "leads"} <= tables
