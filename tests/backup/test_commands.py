"""The commands' conventions (CONTRACT §1): the value asked for on the last line of stdout, and a
bad argument as one line on stderr with a non-zero exit, leaving nothing behind."""

from __future__ import annotations

from pathlib import Path

from tests.backup.conftest import Leadhub, Node


def sqlite_node(tmp_path: Path) -> Node:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    return Node(url=f"sqlite:///{data_dir / 'leadhub.db'}", data_dir=data_dir)


def test_backup_names_the_archive_it_writes_in_a_directory(
    leadhub: Leadhub, tmp_path: Path
) -> None:
    node = sqlite_node(tmp_path)
    node.database()  # migrated, empty
    node.close()
    written = Path(leadhub("backup", str(tmp_path), node=node).value())
    assert written.parent == tmp_path
    assert written.name.startswith("leadhub-backup-") and written.name.endswith(".tar.gz")
    assert written.is_file()


def test_backup_refuses_a_missing_directory_or_an_existing_file(
    leadhub: Leadhub, tmp_path: Path
) -> None:
    node = sqlite_node(tmp_path)
    node.database()
    node.close()
    missing = leadhub("backup", str(tmp_path / "nowhere" / "b.tar.gz"), node=node)
    assert "no such directory" in missing.one_line_error()
    existing = tmp_path / "b.tar.gz"
    existing.write_bytes(b"keep me")
    assert "exists" in leadhub("backup", str(existing), node=node).one_line_error()
    assert existing.read_bytes() == b"keep me"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["b.tar.gz", "data"]


def test_backup_without_a_database_says_there_is_nothing_to_back_up(
    leadhub: Leadhub, tmp_path: Path
) -> None:
    node = sqlite_node(tmp_path)
    error = leadhub("backup", str(tmp_path / "b.tar.gz"), node=node).one_line_error()
    assert "nothing to back up" in error
    assert not (tmp_path / "b.tar.gz").exists()
    assert not (tmp_path / "data" / "leadhub.db").exists()


def test_restore_refuses_what_is_not_a_leadhub_archive(leadhub: Leadhub, tmp_path: Path) -> None:
    node = sqlite_node(tmp_path)
    assert (
        "no backup archive"
        in leadhub("restore", str(tmp_path / "none"), node=node).one_line_error()
    )
    text = tmp_path / "notes.txt"
    text.write_text("not an archive")
    assert (
        "not a readable backup archive" in leadhub("restore", str(text), node=node).one_line_error()
    )
    assert not (tmp_path / "data" / "leadhub.db").exists()


def test_restore_without_an_archive_is_a_usage_error(leadhub: Leadhub, tmp_path: Path) -> None:
    error = leadhub("restore", node=sqlite_node(tmp_path)).one_line_error()
    assert "missing argument 'source'" in error.lower()
