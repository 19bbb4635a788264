"""LinkedIn profile URLs, and the profile (with its lead) that one person's events update.

A profile URL is normalised so one person is one profile: `https`, the host lower-cased (a bare
`linkedin.com` becomes `www.linkedin.com`), no query, no fragment, no trailing slash. Only member
profiles (`/in/<handle>`) on linkedin.com or one of its subdomains are accepted.

The upsert is race-free: the unique index on (workspace, profile URL) decides, and an insert that
loses a race is rolled back to its savepoint (its lead with it) and merged into the winner.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadhub.domains.activity.repository import ActivityRepository
from leadhub.models import Lead, SocialProfile

URL_MAX = 500
_HANDLE = re.compile(r"^/in/([^/\s?#]{1,200})/?$")
LEAD_SOURCE = "linkedin"
UNQUALIFIED, QUALIFIED, DISQUALIFIED = "unqualified", "qualified", "disqualified"


class NotAProfileUrl(ValueError):
    pass


def normalize_url(raw: str) -> str:
    """The canonical form of a LinkedIn member-profile URL; raises NotAProfileUrl otherwise."""
    text = raw.strip()
    if "://" not in text:
        text = f"https://{text}"
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError as exc:
        raise NotAProfileUrl("is not a URL") from exc
    if parts.scheme.lower() not in ("http", "https") or parts.username or port is not None:
        raise NotAProfileUrl("must be an https://www.linkedin.com/in/… URL")
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        raise NotAProfileUrl("must be a linkedin.com profile URL")
    handle = _HANDLE.match(parts.path)
    if handle is None:
        raise NotAProfileUrl("must be a LinkedIn profile URL (/in/…)")
    host = "www.linkedin.com" if host == "linkedin.com" else host
    url = urlunsplit(("https", host, f"/in/{handle.group(1)}", "", ""))
    if len(url) > URL_MAX:
        raise NotAProfileUrl(f"must be at most {URL_MAX} characters")
    return url


def upsert(
    repo: ActivityRepository, url: str, *, name: str | None, headline: str | None, at: datetime
) -> tuple[SocialProfile, bool]:
    """The person's profile (locked for the update), created with its lead when new."""
    found = repo.profile_for_update(url)
    if found is not None:
        return found, False
    created = _insert(repo, url, name=name, headline=headline, at=at)
    if created is not None:
        return created, True
    found = repo.profile_for_update(url)
    if found is None:  # pragma: no cover - the conflicting row vanished meanwhile
        raise RuntimeError("the social profile could not be stored")
    return found, False


def _insert(
    repo: ActivityRepository, url: str, *, name: str | None, headline: str | None, at: datetime
) -> SocialProfile | None:
    """The new profile and lead, or None when a concurrent event inserted this person first."""
    first, _, last = (name or "").strip().partition(" ")
    session: Session = repo.session
    try:
        with session.begin_nested():
            lead = repo.add(
                Lead(
                    first_name=first[:100] or None,
                    last_name=last.strip()[:100] or None,
                    source=LEAD_SOURCE,
                    custom_fields={},
                )
            )
            session.flush()
            profile = repo.add(
                SocialProfile(
                    uuid=str(uuid.uuid4()),
                    lead_id=lead.id,
                    linkedin_profile_url=url,
                    name=name,
                    headline=headline,
                    keywords=[],
                    intent_signals=[],
                    total_interactions=0,
                    qualification_status=UNQUALIFIED,
                    first_seen_at=at,
                    last_seen_at=at,
                )
            )
            session.flush()
    except IntegrityError:
        return None
    return profile
