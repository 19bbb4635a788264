"""The README stays true: every setting and every command it must document is in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from leadhub.cli.main import app as cli
from leadhub.config import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_readme_opens_with_the_serve_and_test_commands() -> None:
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands[:2] == ["python3 dev.py serve", "python3 dev.py test"]


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"LEADHUB_{name.upper()}" in README, name


def command_names(command: Any, prefix: str = "leadhub") -> list[str]:
    if getattr(command, "commands", None):
        return [
            name
            for sub_name, sub in command.commands.items()
            for name in command_names(sub, f"{prefix} {sub_name}")
        ]
    return [prefix]


def test_every_command_is_documented() -> None:
    names = command_names(typer.main.get_command(cli))
    assert "leadhub workspace create" in names
    for name in names:
        assert f"`{name}" in README, name
