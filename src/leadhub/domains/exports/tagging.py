"""The `tags` column of an export: each lead's tag names, in name order, joined.

The export reads each lead's tag ids as one text with its other columns (see
`repository.lead_tag_ids`). The leads of a workspace share a few combinations of tags, so each
combination is named once, with the tags ordered by the database as everywhere else, and is
then a dict lookup for every lead that has it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain

from sqlalchemy.orm import Session

from leadhub.domains.exports import repository as queries
from leadhub.domains.exports.writer import TAG_SEPARATOR

# Combinations named at most before starting over: the dict stays small even where every
# lead's tags are its own.
KEEP = 10_000


class TagNames:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self._session = session
        self._workspace_id = workspace_id
        self._known: dict[str | None, str] = {None: ""}

    def of(self, tag_ids: Sequence[str | None]) -> list[str]:
        """The joined names for each text of tag ids (`""` for None)."""
        if len(self._known) > KEEP:
            self._known = {None: ""}
        missing = set(tag_ids).difference(self._known)
        if missing:
            self._learn(missing)
        return list(map(self._known.__getitem__, tag_ids))

    def _learn(self, combinations: Iterable[str | None]) -> None:
        ids_of = {key: _ids(key) for key in combinations}
        wanted = set(chain.from_iterable(ids_of.values()))
        ordered = queries.tag_names(self._session, self._workspace_id, wanted) if wanted else []
        rank = {tag_id: position for position, (tag_id, _name) in enumerate(ordered)}
        names = dict(ordered)
        for key, ids in ids_of.items():
            # A tag of another workspace, or deleted since, is left out as if never there.
            found = sorted((tag_id for tag_id in ids if tag_id in rank), key=rank.__getitem__)
            self._known[key] = TAG_SEPARATOR.join(names[tag_id] for tag_id in found)


def _ids(key: str | None) -> set[int]:
    return {int(part) for part in (key or "").split(",") if part}
