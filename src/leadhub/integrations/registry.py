"""Connectors by integration type, built from the integration's settings and secrets."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from leadhub.integrations import chat, facebook
from leadhub.integrations.adplatforms import ga4, google_ads, meta
from leadhub.integrations.errors import ConnectorError
from leadhub.integrations.mail import Mailer, MailgunMailer, SmtpMailer

Config = Mapping[str, Any]


def _text(config: Config, name: str) -> str:
    value = config.get(name)
    if not isinstance(value, str) or not value:
        raise ConnectorError(f"The integration has no {name} setting.", permanent=True)
    return value


def _smtp(config: Config, allow_private: bool) -> Mailer:
    port = config.get("port", 587)
    username = config.get("username")
    password = config.get("password")
    return SmtpMailer(
        host=_text(config, "host"),
        port=port if isinstance(port, int) else 587,
        from_email=_text(config, "from_email"),
        username=username if isinstance(username, str) and username else None,
        password=password if isinstance(password, str) else None,
        use_tls=config.get("use_tls", True) is not False,
        allow_private=allow_private,
    )


def _mailgun(config: Config, allow_private: bool) -> Mailer:
    base_url = config.get("base_url") or "https://api.mailgun.net"
    return MailgunMailer(
        domain=_text(config, "domain"),
        api_key=_text(config, "api_key"),
        from_email=_text(config, "from_email"),
        base_url=str(base_url),
        allow_private=allow_private,
    )


MAILERS: dict[str, Callable[[Config, bool], Mailer]] = {"smtp": _smtp, "mailgun": _mailgun}


def mailer(integration_type: str, config: Config, *, allow_private: bool) -> Mailer:
    """The mailer of an SMTP or Mailgun integration."""
    build = MAILERS.get(integration_type)
    if build is None:
        raise ConnectorError(f"A {integration_type} integration cannot send email.", permanent=True)
    return build(config, allow_private)


def _check_slack(config: Config, allow_private: bool) -> str:
    chat.post_to_slack(
        _text(config, "webhook_url"), "LeadHub: connection test.", allow_private=allow_private
    )
    return "Slack accepted a test message."


def _check_webhook(config: Config, allow_private: bool) -> str:
    secret = config.get("signing_secret")
    status = chat.call_webhook(
        _text(config, "url"),
        {"event": "ping"},
        allow_private=allow_private,
        signing_secret=secret if isinstance(secret, str) else None,
    )
    return f"The webhook answered {status}."


def _check_facebook(config: Config, allow_private: bool) -> str:
    base = config.get("graph_base_url") or "https://graph.facebook.com"
    return facebook.check_token(
        str(base), _text(config, "access_token"), allow_private=allow_private
    )


def _check_mailer(kind: str) -> Callable[[Config, bool], str]:
    def check(config: Config, allow_private: bool) -> str:
        return mailer(kind, config, allow_private=allow_private).check()

    return check


CHECKS: dict[str, Callable[[Config, bool], str]] = {
    "smtp": _check_mailer("smtp"),
    "mailgun": _check_mailer("mailgun"),
    "slack": _check_slack,
    "webhook": _check_webhook,
    "facebook_lead_ads": _check_facebook,
    "ga4_measurement_protocol": ga4.check,
    "google_ads_conversions": google_ads.check,
}


# These call the Graph API at the node's version (LEADHUB_META_GRAPH_VERSION).
GRAPH_CHECKS: dict[str, Callable[[Config, bool, str], str]] = {
    "meta_conversions_api": meta.check,
}


def check(
    integration_type: str,
    config: Config,
    *,
    allow_private: bool,
    graph_version: str = facebook.DEFAULT_GRAPH_VERSION,
) -> str:
    """Test the connection; a short description of the success, ConnectorError otherwise."""
    graph_check = GRAPH_CHECKS.get(integration_type)
    if graph_check is not None:
        return graph_check(config, allow_private, graph_version)
    run = CHECKS.get(integration_type)
    if run is None:
        raise ConnectorError("Nothing to test: this integration only receives.", permanent=True)
    return run(config, allow_private)
