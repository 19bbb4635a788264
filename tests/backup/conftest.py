"""Nodes to back up and restore into: each a database of its own (a SQLite file, or a database
on the test PostgreSQL server) and a data directory; and `leadhub` run as the console script."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from leadhub.app import create_app
from leadhub.cli.main import main
from leadhub.config import Settings
from leadhub.db.migrate import upgrade
from leadhub.db.uow import Database
from leadhub.surfaces.common.ratelimit import RateLimiter
from leadhub.surfaces.common.runtime import Runtime
from tests.conftest import BASE_URL, scratch_database


@dataclass
class Node:
    """A LeadHub node's configuration: its database and data directory."""

    url: str
    data_dir: Path
    _databases: list[Database] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        return {"LEADHUB_DATABASE_URL": self.url, "LEADHUB_DATA_DIR": str(self.data_dir)}

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.url).get_backend_name() == "sqlite"

    def where(self) -> str:
        """Where `leadhub restore` says the data now is."""
        parsed = make_url(self.url)
        if self.is_sqlite:
            return str(Path(str(parsed.database)).resolve())
        return parsed.render_as_string(hide_password=True)

    def settings(self) -> Settings:
        return Settings(
            data_dir=self.data_dir, database_url=self.url, base_url=BASE_URL, redis_url=None
        )

    def database(self, *, migrate: bool = True) -> Database:
        database = Database(self.url)
        if migrate:
            upgrade(database.engine)
        self._databases.append(database)
        return database

    def client(self) -> TestClient:
        """The node's app in this process (its secret key generated into the data dir)."""
        settings = self.settings()
        runtime = Runtime(settings=settings, db=self.database(), limiter=RateLimiter())
        return TestClient(create_app(settings, runtime=runtime), base_url=BASE_URL)

    def scalar(self, statement: str) -> Any:
        with self.database(migrate=False).engine.connect() as connection:
            return connection.execute(text(statement)).scalar()

    def column(self, statement: str) -> list[Any]:
        with self.database(migrate=False).engine.connect() as connection:
            return list(connection.execute(text(statement)).scalars())

    def close(self) -> None:
        """Let go of every connection (a restore refuses a SQLite file that is in use)."""
        for database in self._databases:
            database.dispose()
        self._databases.clear()


@pytest.fixture
def make_node(tmp_path: Path) -> Iterator[Callable[[str], Node]]:
    with ExitStack() as stack:
        nodes: list[Node] = []

        def make(name: str) -> Node:
            directory = tmp_path / name
            directory.mkdir()
            url = stack.enter_context(scratch_database(directory))
            node = Node(url=url, data_dir=directory / "data")
            nodes.append(node)
            return node

        try:
            yield make
        finally:
            for node in nodes:  # before their databases are dropped
                node.close()


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    def value(self) -> str:
        """The last line of stdout, after checking the command succeeded."""
        assert self.code == 0, (self.code, self.stdout, self.stderr)
        return self.stdout.splitlines()[-1]

    def one_line_error(self) -> str:
        assert self.code != 0, (self.stdout, self.stderr)
        lines = self.stderr.strip().splitlines()
        assert len(lines) == 1, self.stderr
        return lines[0]


Leadhub = Callable[..., Run]


@pytest.fixture
def leadhub(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> Leadhub:
    """`leadhub ARGS…` as the console script runs it, with a node's environment."""
    monkeypatch.chdir(tmp_path)  # no stray .env

    def run(*args: str, node: Node, **extra_env: str) -> Run:
        with monkeypatch.context() as patch:
            for name in list(os.environ):
                if name.startswith("LEADHUB_"):
                    patch.delenv(name)
            for name, value in {**node.env(), **extra_env}.items():
                patch.setenv(name, value)
            patch.setattr(sys, "argv", ["leadhub", *args])
            capsys.readouterr()
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
