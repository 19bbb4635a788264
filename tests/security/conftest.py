"""The web app's signed-in sessions, shared with the web tests."""

from tests.web.conftest import member, owner

__all__ = ["member", "owner"]
