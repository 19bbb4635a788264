"""Every conversion query, scoped to one workspace."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func

from leadhub.db.scoped import ScopedRepository
from leadhub.models import Conversion, ConversionLabel, ConversionSend, Integration


class ConversionRepository(ScopedRepository):
    def labels(self) -> list[ConversionLabel]:
        statement = self.select(ConversionLabel).order_by(
            ConversionLabel.position, ConversionLabel.id
        )
        return list(self.session.scalars(statement))

    def label_by_reference(self, reference: str) -> ConversionLabel | None:
        """A label by its uuid (as LeadTrackr clients send it) or its numeric id."""
        text = reference.strip()
        if text.isdigit() and len(text) < 19:
            return self.get(ConversionLabel, int(text))
        statement = self.select(ConversionLabel).where(ConversionLabel.uuid == text.lower())
        return self.session.scalars(statement).first()

    def name_taken(self, name: str, label_id: int | None) -> bool:
        statement = self.select_columns(ConversionLabel, ConversionLabel.id).where(
            func.lower(ConversionLabel.name) == name.lower()
        )
        if label_id is not None:
            statement = statement.where(ConversionLabel.id != label_id)
        return self.session.scalar(statement.limit(1)) is not None

    def next_position(self) -> int:
        statement = self.select_columns(ConversionLabel, func.max(ConversionLabel.position))
        return int(self.session.scalar(statement) or 0) + 1

    def integrations(self, ids: Sequence[int]) -> dict[int, Integration]:
        if not ids:
            return {}
        statement = self.select(Integration).where(Integration.id.in_(set(ids)))
        return {row.id: row for row in self.session.scalars(statement)}

    # -- conversions -------------------------------------------------------------------------

    def open_conversion(self, lead_id: int, status: str) -> Conversion | None:
        """The lead's conversion in this status (locked: it is about to change)."""
        statement = (
            self.select(Conversion)
            .where(Conversion.lead_id == lead_id, Conversion.status == status)
            .order_by(Conversion.id.desc())
            .with_for_update()
        )
        return self.session.scalars(statement).first()

    def lock_conversion(self, conversion_id: int) -> Conversion | None:
        statement = self.select(Conversion).where(Conversion.id == conversion_id).with_for_update()
        return self.session.scalars(statement).first()

    def drafts(self, lead_ids: Sequence[int] | None) -> list[Conversion]:
        """Rated conversions not processed yet, oldest first."""
        statement = self.select(Conversion).where(Conversion.status == "rated")
        if lead_ids is not None:
            statement = statement.where(Conversion.lead_id.in_(set(lead_ids)))
        return list(self.session.scalars(statement.order_by(Conversion.id).with_for_update()))

    def for_leads(self, lead_ids: Sequence[int], *, limit: int = 20) -> list[Conversion]:
        if not lead_ids:
            return []
        statement = (
            self.select(Conversion)
            .where(Conversion.lead_id.in_(set(lead_ids)))
            .order_by(Conversion.id.desc())
            .limit(limit * max(1, len(set(lead_ids))))
        )
        return list(self.session.scalars(statement))

    def sends_of(self, conversion_ids: Sequence[int]) -> dict[int, list[ConversionSend]]:
        found: dict[int, list[ConversionSend]] = defaultdict(list)
        if not conversion_ids:
            return found
        statement = (
            self.select(ConversionSend)
            .where(ConversionSend.conversion_id.in_(set(conversion_ids)))
            .order_by(ConversionSend.id)
        )
        for send in self.session.scalars(statement):
            found[send.conversion_id].append(send)
        return found
