"""Staged files take their targets' places all together, or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadhub.backup.files import Swap


def test_every_target_is_replaced_and_the_previous_ones_are_removed(tmp_path: Path) -> None:
    staged_file, staged_dir = tmp_path / "new-key", tmp_path / "new-media"
    staged_file.write_text("new")
    staged_dir.mkdir()
    (staged_dir / "a.png").write_text("new image")
    target = tmp_path / "data"
    target.mkdir()
    (target / "secret_key").write_text("old")
    (target / "media").mkdir()
    (target / "media" / "old.png").write_text("old image")
    (target / "leadhub.db-wal").write_text("old log")

    swap = Swap()
    swap.replace(staged_file, target / "secret_key")
    swap.replace(staged_dir, target / "media")
    swap.remove(target / "leadhub.db-wal")
    swap.apply()
    swap.discard_previous()

    assert (target / "secret_key").read_text() == "new"
    assert [path.name for path in (target / "media").iterdir()] == ["a.png"]
    assert sorted(path.name for path in target.iterdir()) == ["media", "secret_key"]


def test_a_failing_step_puts_every_earlier_target_back(tmp_path: Path) -> None:
    staged = tmp_path / "new-key"
    staged.write_text("new")
    target = tmp_path / "data"
    target.mkdir()
    (target / "secret_key").write_text("old")
    (target / "media").mkdir()
    (target / "media" / "old.png").write_text("old image")

    swap = Swap()
    swap.replace(staged, target / "secret_key")
    swap.replace(tmp_path / "missing-media", target / "media")  # its rename fails
    with pytest.raises(FileNotFoundError):
        swap.apply()

    assert (target / "secret_key").read_text() == "old"
    assert (target / "media" / "old.png").read_text() == "old image"
    assert staged.read_text() == "new"
    assert sorted(path.name for path in target.iterdir()) == ["media", "secret_key"]
