"""The conversion destinations by integration type: what each accepts, needs and answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from leadhub.integrations.adplatforms import ga4, google_ads, meta
from leadhub.integrations.adplatforms.common import Config
from leadhub.integrations.adplatforms.event import ConversionEvent
from leadhub.integrations.errors import ConnectorError
from leadhub.integrations.facebook import DEFAULT_GRAPH_VERSION


class Sender(Protocol):
    """Every destination takes the node's Graph API version; only Meta's uses it."""

    def __call__(
        self,
        config: Config,
        event: ConversionEvent,
        *,
        target: str,
        allow_private: bool,
        graph_version: str,
    ) -> str: ...


@dataclass(frozen=True)
class Destination:
    target_problem: Callable[[str], str | None]
    missing: Callable[[ConversionEvent], str | None]
    send: Sender


DESTINATIONS: dict[str, Destination] = {
    "meta_conversions_api": Destination(meta.target_problem, meta.missing, meta.send),
    "ga4_measurement_protocol": Destination(ga4.target_problem, ga4.missing, ga4.send),
    "google_ads_conversions": Destination(
        google_ads.target_problem, google_ads.missing, google_ads.send
    ),
}
DESTINATION_TYPES: frozenset[str] = frozenset(DESTINATIONS)


def target_problem(kind: str, target: str) -> str | None:
    """Why `target` is not an event name or conversion action of this destination, or None."""
    destination = DESTINATIONS.get(kind)
    if destination is None:
        return _not_a_destination(kind)
    return destination.target_problem(target)


def missing(kind: str, event: ConversionEvent) -> str | None:
    """A human sentence naming the data the event lacks for this destination, or None."""
    destination = DESTINATIONS.get(kind)
    if destination is None:
        return _not_a_destination(kind)
    return destination.missing(event)


def send(
    kind: str,
    config: Config,
    event: ConversionEvent,
    *,
    target: str,
    allow_private: bool,
    graph_version: str = DEFAULT_GRAPH_VERSION,
) -> str:
    """Send one conversion; a short description of the platform's answer. Raises ConnectorError."""
    destination = DESTINATIONS.get(kind)
    if destination is None:
        raise ConnectorError(_not_a_destination(kind), permanent=True)
    return destination.send(
        config, event, target=target, allow_private=allow_private, graph_version=graph_version
    )


def _not_a_destination(kind: str) -> str:
    return f"A {kind} integration does not receive conversions."
