"""Sending one email: through an SMTP server or Mailgun's HTTP API."""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

from leadhub.integrations import http
from leadhub.integrations.errors import ConnectorError
from leadhub.kit import net

SMTP_TIMEOUT = 15.0


class GuardedSMTP(smtplib.SMTP):
    """smtplib's client, connecting only to an address that passed the private-address check.

    The host name is resolved and checked once and the socket opened to that address; STARTTLS
    still verifies the certificate for the host name.
    """

    def __init__(self, host: str, port: int, *, allow_private: bool, timeout: float) -> None:
        self._allow_private = allow_private
        super().__init__(host, port, timeout=timeout)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        try:
            address = net.pick_address(host, port, allow_private=self._allow_private)
        except net.TargetRefused as exc:
            raise ConnectorError(str(exc), permanent=True) from exc
        return socket.create_connection((str(address), port), timeout, self.source_address)


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str


class Mailer(Protocol):
    def send(self, email: Email) -> str:
        """Send the email; the provider's message id (or a short note)."""
        ...

    def check(self) -> str:
        """Connect without sending; a short description of what answered."""
        ...


@dataclass(frozen=True)
class SmtpMailer:
    host: str
    port: int
    from_email: str
    username: str | None = None
    password: str | None = None
    use_tls: bool = True
    allow_private: bool = False

    def _connect(self) -> smtplib.SMTP:
        client = GuardedSMTP(
            self.host, self.port, allow_private=self.allow_private, timeout=SMTP_TIMEOUT
        )
        try:
            client.ehlo()
            if self.use_tls:
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if self.username:
                client.login(self.username, self.password or "")
        except BaseException:
            client.close()
            raise
        return client

    def send(self, email: Email) -> str:
        message = EmailMessage()
        message["From"] = self.from_email
        message["To"] = email.to
        message["Subject"] = email.subject
        message.set_content(email.body)
        try:
            client = self._connect()
            try:
                client.send_message(message)
            finally:
                _quit(client)
        except smtplib.SMTPResponseException as exc:
            raise ConnectorError(_smtp_error(exc), permanent=500 <= exc.smtp_code < 600) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise ConnectorError(f"SMTP {self.host}:{self.port} failed: {exc}") from exc
        return "sent"

    def check(self) -> str:
        try:
            _quit(self._connect())
        except smtplib.SMTPResponseException as exc:
            raise ConnectorError(_smtp_error(exc), permanent=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise ConnectorError(f"SMTP {self.host}:{self.port} failed: {exc}") from exc
        return f"SMTP server {self.host}:{self.port} answered."


@dataclass(frozen=True)
class MailgunMailer:
    domain: str
    api_key: str
    from_email: str
    base_url: str = "https://api.mailgun.net"
    allow_private: bool = False

    def send(self, email: Email) -> str:
        response = http.request(
            "POST",
            f"{self.base_url.rstrip('/')}/v3/{self.domain}/messages",
            allow_private=self.allow_private,
            auth=("api", self.api_key),
            data={
                "from": self.from_email,
                "to": email.to,
                "subject": email.subject,
                "text": email.body,
            },
        )
        return str(_json(response).get("id", "queued"))

    def check(self) -> str:
        http.request(
            "GET",
            f"{self.base_url.rstrip('/')}/v3/domains/{self.domain}",
            allow_private=self.allow_private,
            auth=("api", self.api_key),
        )
        return f"Mailgun knows the domain {self.domain}."


def _json(response: Any) -> dict[str, Any]:
    try:
        found = response.json()
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _quit(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except smtplib.SMTPException:
        client.close()


def _smtp_error(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else ""
    return f"The SMTP server answered {exc.smtp_code}: {text}"[:300]
