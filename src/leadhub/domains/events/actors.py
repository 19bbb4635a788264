"""Who is behind a page of events: the names of its users and API keys, in one query each."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from leadhub.auth.principal import Principal
from leadhub.db.scoped import ScopedRepository
from leadhub.domains.events.schemas import EventRead
from leadhub.models import ApiKey, User

ActorKey = tuple[str, int]


def actor_names(
    session: Session, principal: Principal, events: Iterable[EventRead]
) -> dict[ActorKey, str]:
    """{("user", id): name, ("api_key", id): key name} for the actors of these events.

    Users and keys deleted since are left out; the caller names them as it sees fit.
    """
    wanted: dict[str, set[int]] = {"user": set(), "api_key": set()}
    for event in events:
        if event.actor_id is not None and event.actor_type in wanted:
            wanted[event.actor_type].add(event.actor_id)
    repo = ScopedRepository(session, principal.workspace_id)
    names: dict[ActorKey, str] = {}
    for kind, model in (("user", User), ("api_key", ApiKey)):
        ids = wanted[kind]
        if ids:
            statement = repo.select_columns(model, model.id, model.name).where(model.id.in_(ids))
            names.update({(kind, row_id): name for row_id, name in session.execute(statement)})
    return names
