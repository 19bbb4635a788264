"""`leadhub`: serve, migrate, and the bootstrap commands.

Each bootstrap command prints the value asked for as the last line of stdout and exits 0; a bad
argument prints one line on stderr and exits non-zero.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

import typer
from sqlalchemy.orm import Session

from leadhub.cli import backup as backup_command
from leadhub.cli import exports as export_command
from leadhub.cli import imports as import_command
from leadhub.cli.common import describe, fail
from leadhub.config import DEFAULT_HOST, DEFAULT_PORT, Settings
from leadhub.db.maintenance import refresh_statistics_quietly
from leadhub.db.migrate import upgrade
from leadhub.db.uow import Database
from leadhub.domains.account import service as account
from leadhub.domains.apikeys import service as apikeys
from leadhub.domains.grants import service as grants
from leadhub.domains.users import service as users
from leadhub.domains.workspaces import service as workspaces
from leadhub.errors import LeadHubError
from leadhub.kit import logs

app = typer.Typer(no_args_is_help=True, add_completion=False, help="LeadHub lead-management hub.")
workspace_app = typer.Typer(no_args_is_help=True, help="Workspaces.")
user_app = typer.Typer(no_args_is_help=True, help="Users of a workspace.")
apikey_app = typer.Typer(no_args_is_help=True, help="API keys.")
grant_app = typer.Typer(no_args_is_help=True, help="Agency grants on client workspaces.")
credits_app = typer.Typer(no_args_is_help=True, help="Credit ledger.")
app.add_typer(workspace_app, name="workspace")
app.add_typer(user_app, name="user")
app.add_typer(apikey_app, name="apikey")
app.add_typer(grant_app, name="grant")
app.add_typer(credits_app, name="credits")
app.command("import")(import_command.import_file)
app.command("export")(export_command.export_leads)
app.command("backup")(backup_command.backup_command)
app.command("restore")(backup_command.restore_command)

T = TypeVar("T")
log = logging.getLogger("leadhub.worker")


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """A migrated database and one committed unit of work, or a one-line error."""
    settings = Settings()
    settings.ensure_data_dir()
    database = Database(settings.effective_database_url, busy_timeout=settings.sqlite_busy_timeout)
    try:
        upgrade(database.engine)
        with database.unit_of_work() as session:
            yield session
    except LeadHubError as exc:
        fail(describe(exc))
    finally:
        database.dispose()


def run(action: Callable[[Session], T]) -> T:
    with unit_of_work() as session:
        return action(session)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port to listen on.")] = DEFAULT_PORT,
    workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
) -> None:
    """Migrate the database if needed and serve every surface on one port."""
    import uvicorn

    os.environ.setdefault("LEADHUB_BASE_URL", f"http://{host}:{port}")
    settings = Settings()
    log_config = logs.configure(settings.log_format)
    settings.ensure_data_dir()
    settings.effective_secret_key()
    database = Database(settings.effective_database_url, busy_timeout=settings.sqlite_busy_timeout)
    log.info("leadhub serve: %s", upgrade(database.engine).describe())
    refresh_statistics_quietly(database.engine)
    database.dispose()
    uvicorn.run(
        "leadhub.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # The application reads X-Forwarded-* itself, and only from LEADHUB_TRUSTED_PROXIES.
        proxy_headers=False,
        log_config=log_config,
        log_level="info",
        access_log=False,  # LeadHub writes its own, with the request id and the duration
    )


@app.command()
def worker(
    workers: Annotated[int, typer.Option(min=1, help="Worker threads.")] = 4,
) -> None:
    """Consume background jobs (with LEADHUB_REDIS_URL, on any number of machines)."""
    from leadhub.surfaces.common.runtime import Runtime

    settings = Settings()
    logs.configure(settings.log_format, info_loggers=("huey",))
    runtime = Runtime.build(settings)
    log.info("leadhub worker: %s", upgrade(runtime.db.engine).describe())
    try:
        runtime.jobs.begin_consuming()
        log.info("leadhub worker: consuming jobs with %d threads", workers)
        runtime.jobs.consumer(workers).run()
    finally:
        runtime.close()


@app.command()
def migrate() -> None:
    """Upgrade the database schema to the latest version."""
    settings = Settings()
    settings.ensure_data_dir()
    database = Database(settings.effective_database_url, busy_timeout=settings.sqlite_busy_timeout)
    migrated = upgrade(database.engine)
    refresh_statistics_quietly(database.engine)
    database.dispose()
    if migrated.applied:
        typer.echo(migrated.describe())
    typer.echo("database is up to date")


# A value that starts with "-" (a bad slug, a negative amount) reaches the command, which
# refuses it with its own message, instead of being taken for an unknown option.
VALUE_MAY_START_WITH_DASH = {"ignore_unknown_options": True}


@workspace_app.command("create", context_settings=VALUE_MAY_START_WITH_DASH)
def workspace_create(
    slug: str,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    agency: Annotated[bool, typer.Option("--agency", help="An agency workspace.")] = False,
) -> None:
    """Create a workspace; prints its public id."""
    created = run(lambda s: workspaces.create(s, slug=slug, name=name, agency=agency))
    typer.echo(created.public_id)


@workspace_app.command("quota", context_settings=VALUE_MAY_START_WITH_DASH)
def workspace_quota(
    slug: str,
    quota: Annotated[str, typer.Argument(help="API calls a month across every key, or none.")],
) -> None:
    """Set a workspace's monthly quota of API calls (`none`: no limit); prints it."""
    text = quota.strip().lower()
    if text not in ("none", "unlimited") and not text.isdigit():
        fail("quota: give a whole number of API calls a month, or none")
    limit = None if not text.isdigit() else int(text)

    def action(session: Session) -> int | None:
        target = workspaces.get_by_slug(session, slug)
        return account.set_quota(session, target.id, limit)

    set_to = run(action)
    typer.echo("none" if set_to is None else set_to)


@user_app.command("create")
def user_create(
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
    email: Annotated[str, typer.Option()],
    password: Annotated[str, typer.Option()],
    role: Annotated[str | None, typer.Option(help="owner, admin or member.")] = None,
    name: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Create a user in a workspace; prints the user's id."""

    def action(session: Session) -> int:
        target = workspaces.get_by_slug(session, workspace)
        user = users.create(
            session, target.id, email=email, password=password, role=role, name=name
        )
        return user.id

    typer.echo(run(action))


@apikey_app.command("create")
def apikey_create(
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
    name: Annotated[str | None, typer.Option()] = None,
    scope: Annotated[
        list[str] | None, typer.Option(help="Repeat for several; none means *.")
    ] = None,
    rate_limit: Annotated[int | None, typer.Option(help="Requests per hour (1000).")] = None,
) -> None:
    """Create an API key; prints the key, shown only this once."""

    def action(session: Session) -> str:
        target = workspaces.get_by_slug(session, workspace)
        created = apikeys.create(session, target.id, name=name, scopes=scope, rate_limit=rate_limit)
        return created.plaintext

    typer.echo(run(action))


@apikey_app.command("revoke")
def apikey_revoke(
    key: Annotated[str, typer.Argument(help="The key (lh_…), or its prefix as settings list it.")],
) -> None:
    """Revoke an API key: the next request with it is refused; prints its prefix."""
    revoked = run(lambda s: apikeys.revoke_presented(s, key))
    typer.echo(revoked.prefix)


@grant_app.command("create")
def grant_create(
    agency: Annotated[str, typer.Option(help="Agency workspace slug.")],
    client: Annotated[str, typer.Option(help="Client workspace slug.")],
    permission: Annotated[list[str] | None, typer.Option(help="Repeat for several.")] = None,
    label: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Give an agency access to a client workspace; prints the grant's id."""
    grant = run(
        lambda s: grants.create(
            s, agency_slug=agency, client_slug=client, permissions=permission, label=label
        )
    )
    typer.echo(grant.id)


@grant_app.command("revoke")
def grant_revoke(grant_id: int) -> None:
    """Revoke a grant; prints its id."""
    grant = run(lambda s: grants.revoke(s, grant_id))
    typer.echo(grant.id)


@credits_app.command("add", context_settings=VALUE_MAY_START_WITH_DASH)
def credits_add(
    amount: Annotated[int, typer.Argument(help="Credits to add.")],
    workspace: Annotated[str, typer.Option(help="Workspace slug.")],
) -> None:
    """Add credits to a workspace; prints the new credits_left."""

    def action(session: Session) -> int:
        target = workspaces.get_by_slug(session, workspace)
        reason = "added from the command line"
        return account.add_credits(session, target.id, amount, reason=reason)

    typer.echo(run(action))


def main() -> None:
    """The `leadhub` console script: every mistake, usage ones included, is one line on stderr."""
    command = typer.main.get_command(app)
    try:
        result = command.main(standalone_mode=False)
    except typer.TyperException as exc:  # Typer's click exceptions: usage errors and the like
        message = exc.format_message().strip()
        if type(exc).__name__ == "NoArgsIsHelpError":  # as Typer itself tells it apart
            if message:  # rich has already printed the help otherwise
                typer.echo(message, err=True)
        else:
            typer.echo(f"error: {one_line(message)}{usage_hint(exc)}", err=True)
        sys.exit(exc.exit_code)
    except typer.Abort:  # pragma: no cover - only from prompts, which no command uses
        typer.echo("error: aborted", err=True)
        sys.exit(1)
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
    sys.exit(result if isinstance(result, int) else 0)


def one_line(message: str) -> str:
    return " ".join(message.split())


def usage_hint(exc: Exception) -> str:
    context = getattr(exc, "ctx", None)
    path = getattr(context, "command_path", None)
    return f" (see '{path} --help')" if path else ""
