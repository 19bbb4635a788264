"""What `leadhub restore` refuses, and that a refused or failed restore changes nothing: an
archive from a newer schema, a damaged one, one with a member outside its folders, another
kind of database; and an older archive comes back migrated to this code's schema."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text

from leadhub.db.migrate import alembic_config, head_revisions
from tests.backup.conftest import Leadhub, Node
from tests.backup.test_round_trip import load, snapshot
from tests.conftest import free_port
from tests.factories import make_workspace

Change = Callable[[dict[str, Any], dict[str, bytes]], None]


def rewritten(source: Path, target: Path, change: Change) -> Path:
    """A copy of an archive with its manifest and members changed."""
    members: dict[str, bytes] = {}
    with tarfile.open(source, "r:gz") as tar:
        for member in tar:
            handle = tar.extractfile(member)
            if handle is not None:
                members[member.name] = handle.read()
    manifest = json.loads(members.pop("manifest.json"))
    change(manifest, members)
    with tarfile.open(target, "w:gz") as tar:
        for name, data in {"manifest.json": json.dumps(manifest).encode(), **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def state(node: Node) -> tuple[Any, ...]:
    """What a restore would change: the workspaces, the media files, the secret key."""
    media = node.data_dir / "media"
    files = sorted(
        path.relative_to(media).as_posix() for path in media.rglob("*") if path.is_file()
    )
    key = (
        (node.data_dir / "secret_key").read_text()
        if (node.data_dir / "secret_key").exists()
        else None
    )
    slugs = node.column("SELECT slug FROM workspaces ORDER BY slug")
    leads = node.scalar("SELECT count(*) FROM leads")
    node.close()  # a restore refuses a SQLite file in use
    return slugs, leads, files, key


def backed_up(make_node: Any, leadhub: Leadhub, tmp_path: Path) -> tuple[Path, Node]:
    """An archive of a loaded node, and a target node with other data of its own."""
    source, target = make_node("source"), make_node("target")
    load(source)
    archive = Path(leadhub("backup", str(tmp_path / "backup.tar.gz"), node=source).value())
    target.client()  # generates the target's own secret key
    make_workspace(target.database(), "other")
    (target.data_dir / "media" / "own").mkdir(parents=True)
    (target.data_dir / "media" / "own" / "file.txt").write_text("mine")
    target.close()
    return archive, target


def test_an_archive_from_a_newer_schema_is_refused_and_nothing_changes(
    make_node: Any, leadhub: Leadhub, tmp_path: Path
) -> None:
    archive, target = backed_up(make_node, leadhub, tmp_path)
    before = state(target)

    def newer(manifest: dict[str, Any], _: dict[str, bytes]) -> None:
        manifest["schema_revision"] = "0099"
        manifest["leadhub_version"] = "9.0.0"

    future = rewritten(archive, tmp_path / "future.tar.gz", newer)
    error = leadhub("restore", str(future), "--force", node=target).one_line_error()
    assert "newer" in error and "0099" in error and "9.0.0" in error
    assert state(target) == before


def test_a_damaged_database_fails_the_restore_and_nothing_changes(
    make_node: Any, leadhub: Leadhub, tmp_path: Path
) -> None:
    archive, target = backed_up(make_node, leadhub, tmp_path)
    before = state(target)

    def damage(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        name = manifest["database_file"]
        members[name] = members[name][: len(members[name]) // 2]
        manifest["database_sha256"] = hashlib.sha256(members[name]).hexdigest()

    damaged = rewritten(archive, tmp_path / "damaged.tar.gz", damage)
    leadhub("restore", str(damaged), "--force", node=target).one_line_error()
    assert state(target) == before
    leftovers = [path.name for path in target.data_dir.iterdir() if path.name.startswith(".")]
    assert leftovers == []


def test_a_database_file_that_does_not_match_its_checksum_is_refused(
    make_node: Any, leadhub: Leadhub, tmp_path: Path
) -> None:
    archive, target = backed_up(make_node, leadhub, tmp_path)
    before = state(target)

    def flip(manifest: dict[str, Any], _: dict[str, bytes]) -> None:
        manifest["database_sha256"] = "0" * 64

    error = leadhub(
        "restore", str(rewritten(archive, tmp_path / "x.tar.gz", flip)), "--force", node=target
    ).one_line_error()
    assert "checksum" in error
    assert state(target) == before


def test_a_member_outside_the_archive_folders_is_refused(
    make_node: Any, leadhub: Leadhub, tmp_path: Path
) -> None:
    archive, target = backed_up(make_node, leadhub, tmp_path)
    before = state(target)

    def escape(_: dict[str, Any], members: dict[str, bytes]) -> None:
        members["files/media/../../../escaped.txt"] = b"out"

    error = leadhub(
        "restore", str(rewritten(archive, tmp_path / "x.tar.gz", escape)), "--force", node=target
    ).one_line_error()
    assert "member" in error
    assert not (tmp_path / "escaped.txt").exists()
    assert not (target.data_dir.parent / "escaped.txt").exists()
    assert state(target) == before


def test_an_older_backup_is_migrated_to_the_current_schema(
    make_node: Any, leadhub: Leadhub, tmp_path: Path
) -> None:
    source, target = make_node("source"), make_node("target")
    authorization, before = load(source)
    database = source.database()
    config = alembic_config(database.engine)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0016")
    source.close()
    archive = leadhub("backup", str(tmp_path), node=source).value()
    with tarfile.open(archive, "r:gz") as tar:
        handle = tar.extractfile("manifest.json")
        assert handle is not None
        assert json.load(handle)["schema_revision"] == "0016"

    restored = leadhub("restore", archive, node=target)
    assert restored.stdout.splitlines()[0].endswith(f"schema now {','.join(head_revisions())}")
    assert target.scalar("SELECT version_num FROM alembic_version") == head_revisions()[0]
    after = snapshot(target.client(), {"Authorization": authorization}, before["media_url"])
    assert after == before


def test_an_archive_of_another_kind_of_database_is_refused(
    make_node: Any, leadhub: Leadhub, tmp_path: Path
) -> None:
    source = make_node("source")
    load(source)
    archive = leadhub("backup", str(tmp_path), node=source).value()
    other_url = (
        f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/leadhub"
        if source.is_sqlite
        else f"sqlite:///{tmp_path / 'other.db'}"
    )
    other = Node(url=other_url, data_dir=tmp_path / "other")
    error = leadhub("restore", archive, node=other).one_line_error()
    assert "sqlite" in error and "postgresql" in error
    assert not (tmp_path / "other.db").exists()


def test_without_the_postgresql_client_tools_the_error_points_to_the_readme(
    leadhub: Leadhub, tmp_path: Path
) -> None:
    node = Node(
        url=f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/leadhub",
        data_dir=tmp_path / "data",
    )
    error = leadhub("backup", str(tmp_path), node=node, PATH=str(tmp_path)).one_line_error()
    assert "pg_dump was not found" in error
    assert '"Backup and restore"' in error
    assert list(tmp_path.glob("*.tar.gz")) == []


def test_postgresql_drops_empty_tables_of_a_newer_schema_and_keeps_ones_with_rows(
    make_node: Any, leadhub: Leadhub, tmp_path: Path
) -> None:
    source, target = make_node("source"), make_node("target")
    if source.is_sqlite:
        pytest.skip("a SQLite restore replaces the whole file")
    load(source)
    archive = leadhub("backup", str(tmp_path), node=source).value()
    database = target.database()
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE future_things (id integer PRIMARY KEY)"))
        connection.execute(text("INSERT INTO future_things VALUES (1)"))
    target.close()

    error = leadhub("restore", archive, "--force", node=target).one_line_error()
    assert "future_things" in error
    assert target.column("SELECT id FROM future_things") == [1]
    assert target.scalar("SELECT count(*) FROM workspaces") == 0

    with target.database(migrate=False).engine.begin() as connection:
        connection.execute(text("DELETE FROM future_things"))
    target.close()
    leadhub("restore", archive, node=target).value()
    assert "future_things" not in target.column(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    )
    assert target.scalar("SELECT count(*) FROM leads") == 12
