"""Every lead query, scoped to one workspace."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Select, String, bindparam, func, select

from leadhub.db.scoped import ScopedRepository
from leadhub.db.upsert import insert_ignoring_conflicts
from leadhub.domains.leads import filtering, search
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.domains.tags.repository import TagRepository
from leadhub.kit.pagination import PageRequest
from leadhub.models import Lead, LeadTag, Tag


def _tag_names_where(*conditions: ColumnElement[bool]) -> Select[int, str]:
    return (
        select(LeadTag.lead_id, Tag.name)
        .join(Tag, Tag.id == LeadTag.tag_id)
        .where(*conditions, Tag.workspace_id == bindparam("workspace_id"))
        .order_by(Tag.name)
    )


_TAGS_OF = _tag_names_where(LeadTag.lead_id.in_(bindparam("lead_ids", expanding=True)))
_TAGS_IN_RANGE = _tag_names_where(LeadTag.lead_id.between(bindparam("low"), bindparam("high")))


_CREATED_AT = select(Lead.id, Lead.created_at).where(
    Lead.workspace_id == bindparam("workspace_id"),
    Lead.id.in_(bindparam("lead_ids", expanding=True)),
)


# Lowered by the database on both sides, as its unique index on lower(name) does: SQLite's
# lower() folds ASCII only, Python's every letter.
_TAG_IDS = select(Tag.id).where(
    Tag.workspace_id == bindparam("workspace_id"),
    func.lower(Tag.name) == func.lower(bindparam("name", type_=String)),
)


def _tag_alone(filters: LeadFilters, shape: filtering.Shape) -> bool:
    """Whether a tag is the only filter (its own rows then count and page it)."""
    return shape == filtering.TAG_ONLY and not filters.search


def _with(statement: Select[Any], conditions: list[ColumnElement[bool]]) -> Select[Any]:
    """The statement with these conditions too; the very statement when there are none (a copy
    would be keyed for the compiled cache again)."""
    return statement.where(*conditions) if conditions else statement


class LeadRepository(ScopedRepository):
    def get_lead(self, lead_id: int) -> Lead | None:
        return self.get(Lead, lead_id)

    def get_for_update(self, lead_id: int) -> Lead | None:
        statement = self.select(Lead).where(Lead.id == lead_id).with_for_update()
        return self.session.scalars(statement).first()

    def find_duplicate(self, email: str | None, phone: str | None) -> Lead | None:
        """The lead that has this email or, failing that, this phone (locked for the merge)."""
        for column, value in ((Lead.email, email), (Lead.phone, phone)):
            if value:
                statement = self.select(Lead).where(column == value).with_for_update()
                lead = self.session.scalars(statement).first()
                if lead is not None:
                    return lead
        return None

    def find_by_event(self, unique_event_id: str) -> Lead | None:
        """The lead a browser event created (locked: it is about to be updated)."""
        statement = (
            self.select(Lead).where(Lead.unique_event_id == unique_event_id).with_for_update()
        )
        return self.session.scalars(statement).first()

    def newest_where(self, column: Any, value: Any) -> Lead | None:
        """The most recently created lead whose column has this value."""
        statement = (
            self.select(Lead)
            .where(column == value)
            .order_by(Lead.created_at.desc(), Lead.id.desc())
            .limit(1)
        )
        return self.session.scalars(statement).first()

    def taken_by_other(self, column: Any, value: str, lead_id: int | None) -> bool:
        statement = self.select_columns(Lead, Lead.id).where(column == value)
        if lead_id is not None:
            statement = statement.where(Lead.id != lead_id)
        return self.session.scalar(statement.limit(1)) is not None

    # -- lists -----------------------------------------------------------------------------

    def list_page(self, filters: LeadFilters, page: PageRequest) -> tuple[list[RowMapping], int]:
        """One page of leads (their rows: a page is read, never changed, and making a Lead of
        each row cost more than the page's query) and the total: one count query and one page
        query, each built once per shape of filters (filtering.py)."""
        shape, values, tag_ids = self._bound(filters)
        searched = self._search(filters)
        total = self._total(filters, shape, values, searched)
        if filters.search and total >= search.MANY_MATCHES:
            searched = self._search(filters, many_matches=True)
        by_tag_rows = (
            _tag_alone(filters, shape) and len(tag_ids) == 1 and filters.sort == "created_at"
        )
        statement = filtering.page(shape, filters.sort, filters.direction, by_tag_rows=by_tag_rows)
        values.update(offset=page.offset, limit=page.per_page)
        if by_tag_rows:
            values["tag_id"] = tag_ids[0]
        rows = self.session.connection().execute(_with(statement, searched), values)
        return list(rows.mappings()), total

    def count_matching(self, filters: LeadFilters) -> int:
        """How many leads match the filters (one count query)."""
        shape, values, _ = self._bound(filters)
        return self._total(filters, shape, values, self._search(filters))

    def _bound(self, filters: LeadFilters) -> tuple[filtering.Shape, dict[str, Any], list[int]]:
        """The filters' shape, the values it binds, and the ids of the tag filtered on."""
        tag_ids = self._tag_ids(filters.tag) if filters.tag else []
        shape, values = filtering.bind(filters, self.workspace_id, tag_ids)
        return shape, values, tag_ids

    def _total(
        self,
        filters: LeadFilters,
        shape: filtering.Shape,
        values: dict[str, Any],
        searched: list[ColumnElement[bool]],
    ) -> int:
        counted = filtering.count(shape, by_tag_rows=_tag_alone(filters, shape))
        total: int = (
            self.session.connection().execute(_with(counted, searched), values).scalar_one()
        )
        return total

    def stream_matching(
        self, filters: LeadFilters, columns: Sequence[Any], *, chunk_size: int, limit: int
    ) -> Iterator[list[Sequence[Any]]]:
        """The matching leads' columns in id order, a chunk at a time, at most `limit` rows; a
        chunk is a list of columns, the id's first, then `columns`.

        Keyset pagination on the id (never OFFSET): each chunk is one query that starts after
        the last id seen, so memory holds one chunk whatever the number of leads. The driver's
        rows are converted a column at a time, as SQLAlchemy's types would convert each row:
        a result row object per lead costs more than reading the lead, and loads the garbage
        collector with an object to walk per lead.
        """
        # One statement for every chunk, with the start and the size bound per chunk: building
        # and keying a statement of many columns again costs more than reading 500 of its rows.
        shape, values, _ = self._bound(filters)
        statement = (
            select(Lead.id, *columns)
            .where(*filtering.conditions(shape), *self._search(filters))
            .where(Lead.id > bindparam("after_id"))
            .order_by(Lead.id)
            .limit(bindparam("chunk_size"))
        )
        connection = self.session.connection()
        dialect = connection.dialect
        converters: list[Callable[[Any], Any] | None] | None = None
        last_id, left = 0, limit
        while left > 0:
            bounds = {**values, "after_id": last_id, "chunk_size": min(chunk_size, left)}
            result = connection.execute(statement, bounds)
            rows = result.cursor.fetchall()
            if converters is None:
                converters = [
                    column.type.dialect_impl(dialect).result_processor(dialect, described[1])
                    for column, described in zip(
                        statement.selected_columns, result.cursor.description, strict=True
                    )
                ]
            result.close()
            if not rows:
                return
            chunk: list[Sequence[Any]] = [
                values if convert is None else list(map(convert, values))
                for convert, values in zip(converters, zip(*rows, strict=True), strict=True)
            ]
            yield chunk
            last_id, left = chunk[0][-1], left - len(rows)

    def _search(
        self, filters: LeadFilters, *, many_matches: bool = False
    ) -> list[ColumnElement[bool]]:
        """The search's conditions (built per request: their shape is the words')."""
        if not filters.search:
            return []
        dialect = self.session.get_bind().dialect.name
        return search.criteria(dialect, filters.search, self.workspace_id, many=many_matches)

    def _tag_ids(self, tag: str) -> list[int]:
        """The ids of the workspace's tags of this name, in any case (none or one)."""
        found = self.session.connection().execute(
            _TAG_IDS, {"workspace_id": self.workspace_id, "name": tag}
        )
        return list(found.scalars())

    # -- tags ------------------------------------------------------------------------------

    def tag_names(self, lead_ids: Sequence[int]) -> dict[int, list[str]]:
        """Tag names per lead (in name order) for a whole page, in one query.

        The leads' tag rows are read by their key alone, and each one's tag by its id (checked
        to be this workspace's): with `lead_tags.workspace_id` beside a long list of leads,
        SQLite reads every tag row of the workspace instead (1.4 s for 2,000 leads at a million
        leads; now 4 ms). The statement is built once, so a call costs its execution alone.
        """
        names: dict[int, list[str]] = defaultdict(list)
        if not lead_ids:
            return names
        wanted = set(lead_ids)
        low, high = min(wanted), max(wanted)
        if high - low < 2 * len(wanted):
            # Ids close together (a chunk of ids in order): one range of the key, not a lookup
            # per lead.
            found = self.session.connection().execute(
                _TAGS_IN_RANGE, {"low": low, "high": high, "workspace_id": self.workspace_id}
            )
        else:
            found = self.session.connection().execute(
                _TAGS_OF, {"lead_ids": list(wanted), "workspace_id": self.workspace_id}
            )
        for lead_id, name in found:
            if lead_id in wanted:
                names[lead_id].append(name)
        return names

    def set_tags(self, lead_id: int, names: Sequence[str]) -> None:
        """Make the lead's tags exactly these, creating tags on first use."""
        ids = [tag.id for tag in TagRepository(self.session, self.workspace_id).ensure(names)]
        self.remove_tags_except(lead_id, ids)
        self.add_tags(lead_id, ids)

    def merge_tags(self, lead_id: int, names: Sequence[str]) -> None:
        """Add these tags to the lead's, creating tags on first use."""
        ids = [tag.id for tag in TagRepository(self.session, self.workspace_id).ensure(names)]
        self.add_tags(lead_id, ids)

    def add_tags(self, lead_id: int, tag_ids: Sequence[int]) -> None:
        self.link_tags([(lead_id, tag_id) for tag_id in tag_ids])

    def link_tags(self, pairs: Sequence[tuple[int, int]]) -> None:
        """Put tags on leads, (lead id, tag id) each; a pair already there is left as it is.

        Each row carries its lead's creation time (the order of a tag's leads), read here in
        one query for all the pairs' leads.
        """
        if not pairs:
            return
        found = self.session.connection().execute(
            _CREATED_AT,
            {"workspace_id": self.workspace_id, "lead_ids": list({lead for lead, _ in pairs})},
        )
        created = {lead_id: moment for lead_id, moment in found}
        rows = [
            {
                "workspace_id": self.workspace_id,
                "lead_id": lead_id,
                "tag_id": tag_id,
                "lead_created_at": created[lead_id],
            }
            for lead_id, tag_id in pairs
            if lead_id in created
        ]
        insert_ignoring_conflicts(self.session, LeadTag.__table__, rows)  # type: ignore[arg-type]

    def remove_tags_except(self, lead_id: int, keep_tag_ids: Sequence[int]) -> None:
        statement = self.delete(LeadTag).where(LeadTag.lead_id == lead_id)
        if keep_tag_ids:
            statement = statement.where(LeadTag.tag_id.not_in(keep_tag_ids))
        self.session.execute(statement)

    def remove_tag(self, lead_id: int, tag_id: int) -> None:
        self.session.execute(
            self.delete(LeadTag).where(LeadTag.lead_id == lead_id, LeadTag.tag_id == tag_id)
        )

    def delete_lead(self, lead: Lead) -> None:
        self.session.delete(lead)

    # -- bulk actions and list choices ------------------------------------------------------

    def by_ids(self, lead_ids: Sequence[int]) -> dict[int, Lead]:
        """The workspace's leads with these ids, in one query."""
        if not lead_ids:
            return {}
        statement = self.select(Lead).where(Lead.id.in_(set(lead_ids)))
        return {lead.id: lead for lead in self.session.scalars(statement)}

    def existing_ids(self, lead_ids: Sequence[int]) -> list[int]:
        """The ids among these that name leads of this workspace, in id order."""
        if not lead_ids:
            return []
        statement = (
            self.select_columns(Lead, Lead.id).where(Lead.id.in_(set(lead_ids))).order_by(Lead.id)
        )
        return list(self.session.scalars(statement))

    def labels_in_use(self, column: Any, limit: int) -> list[str]:
        """The distinct values of a label column (source, status), alphabetically."""
        statement = self.select_columns(Lead, column).distinct().order_by(column).limit(limit)
        return [value for value in self.session.scalars(statement) if value]
