"""A small scenario on the small structure of test_render_fixtures: a seat gap, then a CSP merger."""

from __future__ import annotations

import datetime as dt

from restructure.scenario import Scenario

GAP_FROM = dt.date(2027, 6, 1)
MERGE_ON = dt.date(2028, 4, 1)


def small_scenario(name: str = "Hillshire CSP merger", first_phase: str = "seat given up", **extra) -> Scenario:
    """Hillshire's seat is given up on 1 June 2027; its CSPs merge and take the seat on 1 April 2028."""
    doc = {
        "name": name,
        "description": "North and South Hills CSPs merge into Hillshire CSP.",
        "assumptions": ["The merger is approved by the PCC in time."],
        "sources": ["Hillshire County Council cabinet paper (illustrative)"],
        "phases": [
            {"name": first_phase, "date": GAP_FROM, "description": "North Hills CSP leaves the Board.",
             "operations": [{"op": "remove_seat", "board": "board", "area": "C1"}]},
            {"name": "CSPs merge", "date": MERGE_ON, "description": "Hillshire CSP forms and takes the seat.",
             "operations": [
                 {"op": "merge", "bodies": ["north-csp", "south-csp"], "into": "hill-csp",
                  "new": {"id": "hill-csp", "name": "Hillshire CSP", "kind": "community_safety_partnership",
                          "tier": "local"}},
                 {"op": "assign_seat", "board": "board", "area": "C1", "body": "hill-csp"},
             ]},
        ],
    }
    doc.update(extra)
    return Scenario.model_validate(doc)


def no_gap_scenario(name: str = "Merger without the gap") -> Scenario:
    """The CSPs merge on 1 April 2028 and the merged CSP keeps Hillshire's seat: no gap."""
    return Scenario.model_validate({
        "name": name,
        "phases": [{"name": "CSPs merge", "date": MERGE_ON, "operations": [
            {"op": "merge", "bodies": ["north-csp", "south-csp"], "into": "hill-csp",
             "new": {"id": "hill-csp", "name": "Hillshire CSP", "kind": "community_safety_partnership",
                     "tier": "local"}},
        ]}],
    })
