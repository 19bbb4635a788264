"""Sending offline conversions to Meta, GA4 and Google Ads."""

from leadhub.integrations.adplatforms.event import ConversionEvent
from leadhub.integrations.adplatforms.registry import (
    DESTINATION_TYPES,
    missing,
    send,
    target_problem,
)

__all__ = ["DESTINATION_TYPES", "ConversionEvent", "missing", "send", "target_problem"]
