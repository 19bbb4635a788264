"""What the conversion pages share: the ad platforms' names and how statuses read."""

from __future__ import annotations

from leadhub.surfaces.web.render import templates

# The integration types a conversion label can send to, as people call them.
PLATFORMS = {
    "meta_conversions_api": "Meta",
    "ga4_measurement_protocol": "GA4",
    "google_ads_conversions": "Google Ads",
}
# What each platform calls the label's target.
TARGETS = {
    "meta_conversions_api": "event name, e.g. Lead or Purchase",
    "ga4_measurement_protocol": "event name, e.g. close_convert_lead",
    "google_ads_conversions": "conversion action id, e.g. 123456789",
}
# A conversion's status, and a send's, as a badge: its words and its colour.
STATUSES = {
    "rated": ("Rated, not processed", ""),
    "pending": ("Pending", "badge-warning"),
    "sent": ("Sent", "badge-success"),
    "partial": ("Partly sent", "badge-warning"),
    "failed": ("Failed", "badge-danger"),
    "recorded": ("Recorded", ""),
    "queued": ("Queued", "badge-warning"),
    "skipped": ("Skipped", ""),
}


def platform(kind: str) -> str:
    """The platform's short name ("Google Ads") for an integration type."""
    return PLATFORMS.get(kind, kind.replace("_", " "))


def status_text(status: str) -> str:
    return STATUSES.get(status, (status.capitalize(), ""))[0]


def status_class(status: str) -> str:
    return STATUSES.get(status, ("", ""))[1]


templates.env.filters["platform"] = platform
templates.env.filters["conversion_status"] = status_text
templates.env.filters["conversion_badge"] = status_class
