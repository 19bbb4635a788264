"""The integration types LeadHub knows, and the settings each one needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from leadhub.integrations.adplatforms import ga4, google_ads, meta

SettingKind = Literal["string", "secret", "url", "email", "integer", "boolean"]
SettingValue = str | int | bool


@dataclass(frozen=True)
class Setting:
    name: str
    label: str
    kind: SettingKind
    required: bool = False
    default: SettingValue | None = None
    minimum: int | None = None
    maximum: int | None = None

    @property
    def is_secret(self) -> bool:
        return self.kind == "secret"


@dataclass(frozen=True)
class IntegrationType:
    type: str
    label: str
    description: str
    settings: tuple[Setting, ...]

    def setting(self, name: str) -> Setting | None:
        return next((setting for setting in self.settings if setting.name == name), None)


TYPES: tuple[IntegrationType, ...] = (
    IntegrationType(
        type="facebook_lead_ads",
        label="Facebook Lead Ads",
        description="Receives leads from a Facebook page's lead forms (webhook and Graph API).",
        settings=(
            Setting("page_id", "Page ID", "string", required=True),
            Setting("app_secret", "App secret", "secret", required=True),
            Setting("verify_token", "Webhook verify token", "secret", required=True),
            Setting("access_token", "Page access token", "secret", required=True),
            Setting("graph_base_url", "Graph API URL", "url", default="https://graph.facebook.com"),
        ),
    ),
    IntegrationType(
        type="google_ads_lead_forms",
        label="Google Ads lead forms",
        description="Receives leads from Google Ads lead form extensions (webhook).",
        settings=(Setting("webhook_key", "Webhook key", "secret", required=True),),
    ),
    IntegrationType(
        type="mailgun",
        label="Mailgun",
        description="Sends email through Mailgun's HTTP API.",
        settings=(
            Setting("domain", "Sending domain", "string", required=True),
            Setting("api_key", "API key", "secret", required=True),
            Setting("from_email", "From address", "email", required=True),
            Setting("base_url", "API URL", "url", default="https://api.mailgun.net"),
        ),
    ),
    IntegrationType(
        type="smtp",
        label="SMTP",
        description="Sends email through an SMTP server.",
        settings=(
            Setting("host", "Host", "string", required=True),
            Setting("port", "Port", "integer", default=587, minimum=1, maximum=65535),
            Setting("username", "Username", "string"),
            Setting("password", "Password", "secret"),
            Setting("use_tls", "Use TLS", "boolean", default=True),
            Setting("from_email", "From address", "email", required=True),
        ),
    ),
    IntegrationType(
        type="slack",
        label="Slack",
        description="Posts messages to a Slack channel through an incoming webhook.",
        settings=(Setting("webhook_url", "Incoming webhook URL", "secret", required=True),),
    ),
    IntegrationType(
        type="webhook",
        label="Webhook",
        description="Posts lead events as JSON to a URL, signed with HMAC-SHA256.",
        settings=(
            Setting("url", "URL", "url", required=True),
            Setting("signing_secret", "Signing secret", "secret"),
        ),
    ),
    IntegrationType(
        type="meta_conversions_api",
        label="Meta Conversions API",
        description="Sends conversions to a Meta pixel, matched on hashed contact details.",
        settings=(
            Setting("pixel_id", "Pixel (dataset) ID", "string", required=True),
            Setting("access_token", "Access token", "secret", required=True),
            Setting("test_event_code", "Test event code", "string"),
            Setting("graph_base_url", "Graph API URL", "url", default=meta.DEFAULT_BASE_URL),
        ),
    ),
    IntegrationType(
        type="ga4_measurement_protocol",
        label="Google Analytics 4 (Measurement Protocol)",
        description="Sends conversions as GA4 events for the visitor's Google Analytics client id.",
        settings=(
            Setting("measurement_id", "Measurement ID", "string", required=True),
            Setting("api_secret", "API secret", "secret", required=True),
            Setting("base_url", "Collection URL", "url", default=ga4.DEFAULT_BASE_URL),
        ),
    ),
    IntegrationType(
        type="google_ads_conversions",
        label="Google Ads offline conversions",
        description="Uploads conversions of leads that came from a Google Ads click (gclid).",
        settings=(
            Setting("customer_id", "Customer ID", "string", required=True),
            Setting("login_customer_id", "Manager (login) customer ID", "string"),
            Setting("developer_token", "Developer token", "secret", required=True),
            Setting("client_id", "OAuth client ID", "string", required=True),
            Setting("client_secret", "OAuth client secret", "secret", required=True),
            Setting("refresh_token", "OAuth refresh token", "secret", required=True),
            Setting("api_version", "API version", "string", default=google_ads.API_VERSION),
            Setting("api_base_url", "API URL", "url", default=google_ads.DEFAULT_API_BASE_URL),
            Setting("token_url", "OAuth token URL", "url", default=google_ads.DEFAULT_TOKEN_URL),
        ),
    ),
)
BY_TYPE = {integration_type.type: integration_type for integration_type in TYPES}
TypeName = Literal[
    "facebook_lead_ads",
    "google_ads_lead_forms",
    "mailgun",
    "smtp",
    "slack",
    "webhook",
    "meta_conversions_api",
    "ga4_measurement_protocol",
    "google_ads_conversions",
]
