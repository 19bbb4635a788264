"""The report judges the targets from the figures, every kind of filtered list included."""

from __future__ import annotations

from typing import Any

from bench.report import targets


def _run(ratios: dict[str, float]) -> dict[str, Any]:
    scenarios = {name: {"rps_ratio": ratio, "p50": 10.0} for name, ratio in ratios.items()}
    return {"app": {"1": {"scenarios": scenarios}}}


def _filtered(ratios: dict[str, float]) -> dict[str, Any]:
    found = [t for t in targets(_run(ratios)) if t["target"].startswith("filtered list page")]
    assert len(found) == 1
    return found[0]


def test_every_kind_of_filtered_list_must_meet_the_target() -> None:
    met = _filtered({"list_status_p1": 0.9, "list_tag_p1": 0.85, "list_status_p1000": 0.2})
    assert met["met"] is True
    assert met["value"] == "status 0.9x, tag 0.85x"
    missed = _filtered({"list_status_p1": 0.9, "list_starred_p1": 0.49, "list_sorted_p1": 0.1})
    assert missed["met"] is False
    assert missed["value"] == "status 0.9x, starred 0.49x"  # the order is not a filter


def test_no_list_figures_judge_nothing() -> None:
    assert _filtered({"get_lead": 0.5}) == {
        "target": "filtered list page (with exact total) >= 0.8 x floor rps",
        "value": "n/a",
        "met": None,
    }
