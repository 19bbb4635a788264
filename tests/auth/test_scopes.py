from __future__ import annotations

import pytest

from leadhub.auth.scopes import UnknownScope, canonical, canonical_set, satisfies


def test_leadpanther_spelling_is_the_same_scope() -> None:
    assert canonical("leads:read") == "read:leads"
    assert canonical("lead_magnets:write") == "write:lead_magnets"


@pytest.mark.parametrize("scope", ["read", "read:nothing", "admin:leads", "", "leads"])
def test_unknown_scope_is_refused(scope: str) -> None:
    with pytest.raises(UnknownScope):
        canonical(scope)


def test_star_satisfies_everything() -> None:
    assert satisfies(frozenset({"*"}), "delete:leads")


def test_read_does_not_allow_write() -> None:
    assert not satisfies(canonical_set(["read:leads"]), "write:leads")


def test_write_allows_delete_only_where_the_document_names_no_delete_scope() -> None:
    assert satisfies(canonical_set(["write:pipelines"]), "delete:pipelines")
    assert satisfies(canonical_set(["write:tags"]), "delete:tags")
    assert not satisfies(canonical_set(["write:leads"]), "delete:leads")
    assert not satisfies(canonical_set(["write:forms"]), "delete:forms")
