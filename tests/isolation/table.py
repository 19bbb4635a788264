"""The vocabulary of the case table: how a route is called across workspaces, and why a route
is left out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.isolation.world import MISSING_ID, MISSING_UUID


@dataclass(frozen=True)
class Ref:
    """A value seeded in a workspace, by name (`a.lead`, `b.list`).

    A foreign ref (A's) is sent twice: as A's value, then as a value nothing has (`missing`);
    the two answers must be alike. A foreign `record` in the path must be the surface's 404.
    """

    name: str
    record: bool = True
    missing: Any = None

    @property
    def foreign(self) -> bool:
        """Anything but the caller's own (`b.`): A's records, the agency's grant."""
        return not self.name.startswith("b.")

    def missing_for(self, value: Any) -> Any:
        if self.missing is not None:
            return self.missing
        if isinstance(value, int):
            return MISSING_ID
        text = str(value)
        if len(text) == 36 and text.count("-") == 4:
            return MISSING_UUID
        if "@" in text:
            return "nobody@nowhere.example"
        if text.startswith("ws_"):
            return "ws_0000000000000000dead"
        if text.startswith("+"):
            return "+33699999999"
        return "missing-value"


@dataclass(frozen=True)
class Foreign:
    """A literal that only A's data gives meaning to (A's keyword in a comment, …), with the
    literal to send in its place for the "missing" twin."""

    value: Any
    missing: Any


@dataclass(frozen=True)
class Unique:
    """A name the caller's workspace may not hold yet (a tag, a list): new at every call."""

    prefix: str
    suffix: str = ""


def a(name: str) -> Ref:
    """One of A's records (its id): in the path, the answer is the surface's 404."""
    return Ref(f"a.{name}")


def a_value(name: str, missing: Any = None) -> Ref:
    """A value of A's (an email, a name): it must find nothing of A's, like a missing one."""
    return Ref(f"a.{name}", record=False, missing=missing)


def own(name: str) -> Ref:
    """One of the caller's own records (B's)."""
    return Ref(f"b.{name}")


@dataclass(frozen=True)
class Case:
    """One call of a route by another workspace than A.

    Without foreign refs it must succeed (`status`, or any status below 400) and show nothing
    of A's. With them it must answer as if A's values did not exist, and a foreign record in
    the path answers the surface's 404 (`status` says otherwise, where the surface documents
    another answer that is the same for every id). Either way A's rows stay as they were.
    """

    path: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, Any] | None = None
    json: Any = None
    form: Mapping[str, Any] | None = None
    files: Mapping[str, tuple[str, bytes, str]] | None = None
    status: int | None = None
    # The call stores A's values in the caller's workspace (same email, same name): it is made
    # by a throwaway workspace, so that B's later answers do not hold them.
    fresh: bool = False
    # Made only directly by B's key, never through the agency's grant on B.
    direct_only: bool = False


@dataclass(frozen=True)
class Exempt:
    """A route the cross-workspace calls do not apply to, and why."""

    reason: str


Entry = Case | Sequence[Case] | Exempt


def cases_of(entry: Entry) -> list[Case]:
    if isinstance(entry, Exempt):
        return []
    if isinstance(entry, Case):
        return [entry]
    return list(entry)
