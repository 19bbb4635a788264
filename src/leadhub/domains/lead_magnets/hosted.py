"""The public page's use cases at /m/{slug}: views, the email gate, clicks; each one counted.

Any workspace's published page answers (public by design); a draft or unknown slug is NotFound.
Content access is counted where content is delivered behind the gate: on unlocking, and on each
later visit of an unlocked visitor.
"""

from __future__ import annotations

import ipaddress
import uuid
from typing import Literal

from sqlalchemy.orm import Session

from leadhub.domains.activity import tracking
from leadhub.domains.activity.schemas import TrackedVisit
from leadhub.domains.lead_magnets import repository as queries
from leadhub.domains.lead_magnets.schemas import (
    CONTENT_ACCESS,
    CTA_CLICK,
    DOWNLOAD_CLICK,
    HOSTED_PAGE_SOURCE,
    PAGE_VIEW,
    UNLOCK,
    PublicPage,
    Unlock,
    Visit,
)
from leadhub.domains.leads import intake
from leadhub.domains.leads.schemas import Attribution, Device, LeadFields
from leadhub.errors import Invalid, NotFound
from leadhub.kit.markdown import to_safe_html
from leadhub.models import HostedPage, Lead, LeadMagnet, MagnetCapture

LEAD_SOURCE = "lead_magnet"
MAGNET_FIELD = "submitted_via_magnet_id"
Click = Literal["cta", "download"]


def view(session: Session, slug: str, *, visit: Visit, token: str | None = None) -> PublicPage:
    """The published page; counts a view, and a content access when the gate is open to them.

    With a reply's tracking-link `token`, counts its click; the link's first visit of an ungated
    page is a capture of the lead it was sent to (source comments or dms).
    """
    page, magnet = _published(session, slug)
    queries.add_event(session, page, PAGE_VIEW, visit.visitor_id)
    tracked = tracking.follow(session, magnet.id, token) if token else None
    if tracked is not None and tracked.first_click and not _is_gated(magnet):
        _capture(session, magnet, tracked.lead_id, visit, tracked)
    unlocked = _is_gated(magnet) and visit.unlocked_page_id == page.uuid
    if unlocked:
        queries.add_event(session, page, CONTENT_ACCESS, visit.visitor_id)
    session.flush()
    return _public(page, magnet, unlocked=unlocked)


def view_locked(session: Session, slug: str) -> PublicPage:
    """The page behind its gate, counting nothing (to show the form again with its errors)."""
    page, magnet = _published(session, slug)
    return _public(page, magnet, unlocked=False)


def unlock(
    session: Session, slug: str, *, visit: Visit, data: Unlock, token: str | None = None
) -> PublicPage:
    """Open a gated page with an email: capture the lead, count the unlock and the access.

    Through a tracking link (`token`), the lead it was sent to takes the email when it has none,
    and the capture carries the link's source and id.
    """
    page, magnet = _published(session, slug)
    if not _is_gated(magnet):
        raise NotFound.of("Page")
    email = data.email.strip()
    if not email:
        raise Invalid.field("email", "The email field is required.")
    tracked = tracking.find(session, magnet.id, token) if token else None
    if tracked is not None:
        tracking.claim_email(session, tracked, email)
    result = intake.capture(
        session,
        magnet.workspace_id,
        data=_lead_fields(email, magnet, data),
        default_source=LEAD_SOURCE,
    )
    _mark_lead(session, result.lead_id, magnet)
    if tracked is not None:
        tracking.submitted(session, tracked, result.lead_id)
    _capture(session, magnet, result.lead_id, visit, tracked)
    queries.add_event(session, page, UNLOCK, visit.visitor_id)
    queries.add_event(session, page, CONTENT_ACCESS, visit.visitor_id)
    session.flush()
    return _public(page, magnet, unlocked=True)


def click(session: Session, slug: str, kind: Click, *, visit: Visit) -> str | None:
    """The CTA's or the resource's URL, the click counted; None when the gate is still closed."""
    page, magnet = _published(session, slug)
    target = page.cta_url if kind == "cta" else page.external_resource_url
    if not target or not target.lower().startswith(("http://", "https://")):
        raise NotFound.of("Link")
    if kind == "download" and _is_gated(magnet) and visit.unlocked_page_id != page.uuid:
        return None
    queries.add_event(
        session, page, CTA_CLICK if kind == "cta" else DOWNLOAD_CLICK, visit.visitor_id
    )
    session.flush()
    return target


def page_id(session: Session, slug: str) -> str:
    """The uuid of the published page at this slug (what its unlock cookie names)."""
    return _published(session, slug)[0].uuid


def _capture(
    session: Session,
    magnet: LeadMagnet,
    lead_id: int | None,
    visit: Visit,
    tracked: TrackedVisit | None,
) -> None:
    session.add(
        MagnetCapture(
            workspace_id=magnet.workspace_id,
            uuid=str(uuid.uuid4()),
            magnet_id=magnet.id,
            source=tracked.source if tracked is not None else HOSTED_PAGE_SOURCE,
            lead_id=lead_id,
            tracking_link_id=tracked.token if tracked is not None else None,
            visitor_id=visit.visitor_id,
        )
    )


def _published(session: Session, slug: str) -> tuple[HostedPage, LeadMagnet]:
    found = queries.published_page(session, slug)
    if found is None:
        raise NotFound.of("Page")
    return found


def _is_gated(magnet: LeadMagnet) -> bool:
    return magnet.delivery_mode == "gated"


def _public(page: HostedPage, magnet: LeadMagnet, *, unlocked: bool) -> PublicPage:
    gated = _is_gated(magnet)
    shows_content = unlocked or not gated
    return PublicPage(
        id=page.uuid,
        slug=page.slug,
        title=page.title,
        resource_name=magnet.resource_name,
        description=magnet.description,
        gated=gated,
        unlocked=unlocked,
        content_html=to_safe_html(page.markdown_content or "") if shows_content else "",
        cta_label=page.cta_label,
        has_cta=bool(page.cta_url),
        has_download=bool(page.external_resource_url) and shows_content,
    )


def _lead_fields(email: str, magnet: LeadMagnet, data: Unlock) -> LeadFields:
    first, _, last = (data.name or "").strip().partition(" ")
    # Only what was given: a field set to None would clear, or fail, a known lead's value.
    given = {"first_name": first[:100], "last_name": last.strip()[:100]}
    return LeadFields(
        email=email,
        **{name: value for name, value in given.items() if value},
        custom_fields={MAGNET_FIELD: magnet.uuid},
        attribution=Attribution.model_validate(data.attribution) if data.attribution else None,
        device=Device(ip_address=_ip_or_none(data.ip_address), user_agent=data.user_agent),
    )


def _mark_lead(session: Session, lead_id: int, magnet: LeadMagnet) -> None:
    """A lead that was already known takes this magnet as the one it last submitted through."""
    lead = session.get(Lead, lead_id)
    if lead is not None and (lead.custom_fields or {}).get(MAGNET_FIELD) != magnet.uuid:
        lead.custom_fields = {**(lead.custom_fields or {}), MAGNET_FIELD: magnet.uuid}


def _ip_or_none(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None
