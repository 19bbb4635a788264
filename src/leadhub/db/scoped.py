"""The one helper every workspace query starts from, so forgetting the scope is not possible."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import (
    Delete,
    RowMapping,
    Select,
    Update,
    bindparam,
    delete,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Session

from leadhub.db.base import WorkspaceOwned
from leadhub.kit.pagination import PageRequest

M = TypeVar("M", bound=WorkspaceOwned)


class ScopedRepository:
    """Base of every repository: built for one workspace, all statements filtered by it."""

    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def select(self, model: type[M]) -> Select[M]:
        return select(model).where(model.workspace_id == self.workspace_id)

    def select_columns(self, model: type[WorkspaceOwned], *columns: Any) -> Select[Any]:
        return select(*columns).where(model.workspace_id == self.workspace_id)

    def get_row(self, model: type[WorkspaceOwned], record_id: int) -> RowMapping | None:
        """Every column of a record, as a row: for a read that changes nothing (a row costs far
        less to read than a record)."""
        self.session.flush()  # as a query through the session would: the row is current
        values = {"workspace_id": self.workspace_id, "record_id": record_id}
        statement = _ROW_BY_ID.get(model)
        if statement is None:
            statement = _ROW_BY_ID.setdefault(model, _by_id(model, rows=True))
        return self.session.connection().execute(statement, values).mappings().first()

    def update(self, model: type[M]) -> Update:
        return update(model).where(model.workspace_id == self.workspace_id)

    def delete(self, model: type[M]) -> Delete:
        return delete(model).where(model.workspace_id == self.workspace_id)

    def get(self, model: type[M], record_id: int) -> M | None:
        values = {"workspace_id": self.workspace_id, "record_id": record_id}
        statement = _BY_ID.get(model)
        if statement is None:
            statement = _BY_ID.setdefault(model, _by_id(model))
        return self.session.scalars(statement, values).first()

    def page_of(self, statement: Select[M], page: PageRequest) -> tuple[list[M], int]:
        """One page of an ordered, scoped statement, and the total: one count, one slice."""
        counted = select(func.count()).select_from(statement.order_by(None).subquery())
        total = self.session.scalar(counted) or 0
        rows = self.session.scalars(statement.offset(page.offset).limit(page.per_page))
        return list(rows), int(total)

    def add(self, record: M) -> M:
        record.workspace_id = self.workspace_id
        self.session.add(record)
        return record


# A model's record by workspace and id, built once per model: building a statement cost more
# than running it.
_BY_ID: dict[type[Any], Select[Any]] = {}
_ROW_BY_ID: dict[type[Any], Select[Any]] = {}


def _by_id(model: type[Any], *, rows: bool = False) -> Select[Any]:
    id_column = model.id
    selected = select(*inspect(model).local_table.columns) if rows else select(model)
    return selected.where(
        model.workspace_id == bindparam("workspace_id"), id_column == bindparam("record_id")
    )
