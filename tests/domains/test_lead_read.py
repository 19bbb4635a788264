"""A lead's answer is the same whether it is built from a page's row or from the lead's record,
loaded or not."""

from __future__ import annotations

from decimal import Decimal

from leadhub.db.uow import Database
from leadhub.domains.leads import service as leads
from leadhub.domains.leads.repository import LeadRepository
from leadhub.domains.leads.schemas import LeadFilters
from leadhub.kit.pagination import PageRequest
from tests.factories import Workspace, make_lead


def test_a_page_row_and_a_record_give_the_same_answer(db: Database, workspace: Workspace) -> None:
    lead_id = make_lead(
        db,
        workspace,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
        phone="+14155550123",
        company="Initech",
        value=Decimal("1234.50"),
        custom_fields={"plan": "gold"},
        tags=["vip", "hot"],
    )
    principal = workspace.principal()
    with db.unit_of_work() as session:
        stored = LeadRepository(session, workspace.id).get_lead(lead_id)
        assert stored is not None
        stored.utm_source, stored.gclid = "news", "abc"
        stored.ip_address, stored.user_agent = "203.0.113.9", "Browser/1.0"
    with db.unit_of_work(write=False) as session:
        [listed] = leads.list_leads(
            session, principal, filters=LeadFilters(), page=PageRequest(1, 25)
        ).items
        fetched = leads.get(session, principal, lead_id)
        repo = LeadRepository(session, workspace.id)
        record = repo.get_lead(lead_id)
        assert record is not None
        session.expire(record)  # nothing loaded: read through the attributes
        expired = leads.to_read(record, ["hot", "vip"])
    assert listed == fetched == expired
    assert listed.value == 1234.5 and listed.tags == ["hot", "vip"]
    assert listed.attribution.utm_source == "news" and listed.attribution.gclid == "abc"
    assert (listed.device.ip_address, listed.device.user_agent) == ("203.0.113.9", "Browser/1.0")
    assert listed.custom_fields == {"plan": "gold"} and listed.created_at.tzinfo is not None
