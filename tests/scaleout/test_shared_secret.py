"""Nodes sharing a data directory and no LEADHUB_SECRET_KEY generate the secret there together:
every one of them must read the same, whole secret (it signs what another node checks)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from leadhub.config import Settings

STARTERS = 8
ROUNDS = 25


def test_nodes_starting_together_agree_on_the_generated_secret(tmp_path: Path) -> None:
    for round_number in range(ROUNDS):
        data_dir = tmp_path / f"round{round_number}"
        start = threading.Barrier(STARTERS)

        def secret(data_dir: Path = data_dir, start: threading.Barrier = start) -> str:
            settings = Settings(data_dir=data_dir, secret_key=None, _env_file=None)
            start.wait()
            return settings.effective_secret_key()

        with ThreadPoolExecutor(STARTERS) as pool:
            secrets = list(pool.map(lambda _: secret(), range(STARTERS)))
        assert len(set(secrets)) == 1, secrets
        assert len(secrets[0]) >= 64
        assert (data_dir / "secret_key").read_text().strip() == secrets[0]
        # Nothing of the race is left behind but the secret itself.
        assert [path.name for path in data_dir.iterdir()] == ["secret_key"]
        assert (data_dir / "secret_key").stat().st_mode & 0o777 == 0o600


def test_a_configured_secret_is_used_and_nothing_is_written(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", secret_key="configured", _env_file=None)
    assert settings.effective_secret_key() == "configured"
    assert not (tmp_path / "data").exists()
