"""The data directory's files that the database refers to, and putting restored ones in place.

An archive holds the secret key the node generated (integration secrets are encrypted under it,
and it signs sessions and links) and the local blob store: media uploads, import files and
export files. It leaves out `jobs.db` (the queue only carries ids of `jobs` rows, which the
sweep hands over again) and `tmp/` (files being written).
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from leadhub.config import Settings
from leadhub.storage.factory import LOCAL_SUBDIR
from leadhub.storage.local import PARTIAL_SUFFIX

SECRET_KEY_FILE = "secret_key"


def secret_key_file(settings: Settings) -> Path:
    return settings.data_dir.resolve() / SECRET_KEY_FILE


def media_root(settings: Settings) -> Path:
    return settings.data_dir.resolve() / LOCAL_SUBDIR


def media_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every stored blob under the root, with its key; not the partial files of uploads that
    are being written, nor links."""
    for directory, subdirectories, names in os.walk(root):
        subdirectories.sort()
        for name in sorted(names):
            path = Path(directory) / name
            if (name.startswith(".") and name.endswith(PARTIAL_SUFFIX)) or path.is_symlink():
                continue
            yield path, path.relative_to(root).as_posix()


def has_files(root: Path) -> bool:
    return next(media_files(root), None) is not None if root.is_dir() else False


def current_secret_key(settings: Settings) -> str | None:
    """The key the node uses, without generating one."""
    if settings.secret_key:
        return settings.secret_key
    path = secret_key_file(settings)
    return path.read_text().strip() if path.is_file() else None


@dataclass
class Swap:
    """Puts staged files and directories in place of their targets: all of them, or none.

    Each target is first renamed aside in its own directory, so every step is a rename that can
    be undone; what was there is deleted only once every target is in place.
    """

    moves: list[tuple[Path | None, Path]] = field(default_factory=list)
    _aside: list[Path] = field(default_factory=list)

    def replace(self, staged: Path, target: Path) -> None:
        self.moves.append((staged, target))

    def remove(self, target: Path) -> None:
        self.moves.append((None, target))

    def apply(self) -> None:
        token = secrets.token_hex(4)
        done: list[tuple[Path | None, Path, Path | None]] = []
        try:
            for staged, target in self.moves:
                aside = None
                if target.exists() or target.is_symlink():
                    aside = target.with_name(f".{target.name}.pre-restore-{token}")
                    os.replace(target, aside)
                done.append((None, target, aside))
                if staged is not None:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(staged, target)
                    done[-1] = (staged, target, aside)
        except BaseException:
            for staged, target, aside in reversed(done):
                if staged is not None:
                    os.replace(target, staged)
                if aside is not None:
                    os.replace(aside, target)
            raise
        self._aside = [aside for _, _, aside in done if aside is not None]

    def discard_previous(self) -> None:
        for aside in self._aside:
            if aside.is_dir() and not aside.is_symlink():
                shutil.rmtree(aside, ignore_errors=True)
            else:
                aside.unlink(missing_ok=True)
        self._aside = []
