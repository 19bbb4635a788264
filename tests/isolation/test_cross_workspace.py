"""Every route of every surface, called by another workspace on workspace A's records: the
answer is the surface's not-found (or the same answer as for a record that does not exist),
it shows nothing of A's, and A's rows stay as they were.

The routes are read from the app itself, mounted sub-applications and the agency's client
twins included; a route without an entry in the case tables fails here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from leadhub.domains.credits import service as credits
from leadhub.kit.clock import utcnow
from leadhub.models import Job
from tests.isolation import calls
from tests.isolation.api_cases import API_CASES
from tests.isolation.routes import Operation, served_operations
from tests.isolation.table import Case, Entry, Exempt, cases_of
from tests.isolation.web_cases import WEB_CASES
from tests.isolation.world import MARK, Api, World, settle

CASES: dict[str, Entry] = {**API_CASES, **WEB_CASES}
OPERATIONS = served_operations()


def test_every_entry_names_a_served_route() -> None:
    served = {operation.key for operation in OPERATIONS}
    stale = sorted(set(CASES) - served)
    assert not stale, f"case entries for routes the app no longer serves: {stale}"


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_another_workspace_reaches_nothing_of_a(world: World, operation: Operation) -> None:
    entry = CASES.get(operation.key)
    if entry is None:
        pytest.fail(
            f"{operation.key} has no isolation case: add how another workspace calls it to "
            "tests/isolation/api_cases.py or web_cases.py (or an Exempt with the reason)"
        )
    if isinstance(entry, Exempt):
        assert not operation.keyed, f"{operation} takes a key: it cannot be exempt"
        return
    problems: list[str] = []
    for number, case in enumerate(cases_of(entry)):
        if operation.twin and (case.fresh or case.direct_only):
            continue
        problems.extend(f"case {number}: {problem}" for problem in _check(world, operation, case))
    assert not problems, f"{operation}:\n" + "\n".join(problems)


def _check(world: World, operation: Operation, case: Case) -> list[str]:
    caller = calls.caller_for(world, operation, case)
    before = world.a_rows or calls.snapshot(world.db, world.a.id)
    rendered = calls.render(world, caller, case, foreign=True)
    answer = calls.normalized(operation, calls.call(world, caller, operation, rendered), rendered)
    problems = [
        f"shows A's {secret!r}: {calls.describe(answer)}" for secret in calls.leaked(world, answer)
    ]
    if rendered.sent:
        stand_in = calls.render(world, caller, case, foreign=False)
        missing = calls.normalized(
            operation, calls.call(world, caller, operation, stand_in), stand_in
        )
        missing = calls.as_if_foreign(missing, stand_in, rendered)
        if (answer.status, answer.text, answer.location) != (
            missing.status,
            missing.text,
            missing.location,
        ):
            difference = calls.difference(answer, missing)
            problems.append(f"answers A's values otherwise than missing ones:\n{difference}")
    problems.extend(_status_problems(operation, case, answer, bool(rendered.sent)))
    world.a_rows = calls.snapshot(world.db, world.a.id)
    problems.extend(f"changed A's {change}" for change in calls.changes(before, world.a_rows))
    return problems


def _status_problems(
    operation: Operation, case: Case, answer: calls.Answer, foreign: bool
) -> list[str]:
    in_path = any(getattr(spec, "foreign", False) and spec.record for spec in case.path.values())
    if in_path and case.status is None:
        if not calls.not_found_shape(operation, answer):
            return [f"expected the surface's 404, got {calls.describe(answer)}"]
        return []
    if case.status is not None and answer.status != case.status:
        return [f"expected {case.status}, got {calls.describe(answer)}"]
    if case.status is None and not foreign and answer.status >= 400:
        return [f"expected success, got {calls.describe(answer)}"]
    return []


def test_the_jobs_of_another_workspace_write_nothing_of_a_into_its_files(world: World) -> None:
    """Exports and imports run as jobs: B's exports (filtered by A's values) hold none of A's
    leads, B's import of A's lead's email makes a lead of B's, and whatever B's calls queued
    changes nothing of A's once it has run."""
    api = Api(world.client(), world.b_key)
    with world.db.unit_of_work() as session:
        credits.grant(session, world.b.id, 1000, reason="exports")
    exports = [
        api.data("POST", "/exports", json={"format": "csv", "filters": filters})["id"]
        for filters in ({"search": MARK}, {"pipeline_id": world.value("a.pipeline")}, {})
    ]
    exports.append(api.data("POST", f"/lists/{world.value('b.list')}/exports", json={})["id"])
    rows = f"email,first_name\n{world.value('a.lead_email')},Imported\n".encode()
    imported = api.client.post(
        "/api/v1/imports",
        headers=api.headers,
        files={"file": ("a.csv", rows, "text/csv")},
        data={"list_name": "imported"},
    )
    assert imported.status_code == 202, imported.text
    with world.db.unit_of_work() as session:  # A's own retries wait: only B's jobs run now
        session.execute(
            update(Job)
            .where(Job.workspace_id == world.a.id, Job.status == "pending")
            .values(run_after=utcnow() + timedelta(days=1))
        )
    before = calls.snapshot(world.db, world.a.id)
    settle(world.app)
    assert not calls.changes(before, calls.snapshot(world.db, world.a.id))
    for export_id in exports:
        content = api.client.get(f"/api/v1/downloads/{export_id}/file", headers=api.headers)
        assert content.status_code == 200, content.text
        assert MARK not in content.text.lower(), content.text
    outcome = api.data("GET", f"/imports/{imported.json()['data']['id']}")
    assert outcome["status"] == "done" and outcome["created_count"] == 1, outcome
