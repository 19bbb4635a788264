"""What every command shares: one way to fail, and one way to say a domain error."""

from __future__ import annotations

from typing import NoReturn

import typer

from leadhub.errors import Invalid, LeadHubError


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)


def describe(error: LeadHubError) -> str:
    if isinstance(error, Invalid) and error.fields:
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.fields.items())
    return error.message
