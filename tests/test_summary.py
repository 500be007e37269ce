"""summary: the plain-data answers behind `restructure show`."""

from __future__ import annotations

import datetime as dt

from hypothesis import given

from restructure.summary import describe_area, describe_body, summarise
from test_checks_properties import BASE_DAY, SETTINGS, structures

ON = dt.date(2026, 11, 25)


def test_describe_area_keeps_covering_and_discharging_apart(baseline):
    d = describe_area(baseline, "E07000179", ON)
    assert [x["id"] for x in d["covered_by"]] == ["south-and-vale-csp"]
    assert [x["id"] for x in d["duty_discharged_by"]] == ["safer-oxfordshire"]
    assert d["board_seat"] == {"area": "E10000025", "holders": [{"id": "safer-oxfordshire", "name": "Safer Oxfordshire Partnership"}]}
    assert [x["id"] for x in d["councils"]] == ["oxfordshire-cc", "south-oxfordshire-dc"]


def test_describe_body_lineage_and_dates(baseline):
    d = describe_body(baseline, "safer-mk", None)
    assert d["end"] == dt.date(2025, 4, 1)
    assert [x["id"] for x in d["successors"]] == ["mk-together"]
    assert describe_body(baseline, "mk-together", ON)["covers"] == [{"id": "E06000042", "name": "Milton Keynes"}]


def test_summarise_on_a_date_before_the_icb_change(baseline):
    before = summarise(baseline, dt.date(2026, 3, 31))
    after = summarise(baseline, dt.date(2026, 4, 1))
    icbs = lambda d: sorted(b["id"] for b in d["tiers"]["Agencies and councils"] if b["id"].endswith("-icb"))  # noqa: E731
    assert icbs(before) == ["blmk-icb", "bob-icb", "frimley-icb"]
    assert icbs(after) == ["central-east-icb", "thames-valley-icb"]
    assert all(a["seat"] for a in after["local_areas"])


def test_partnerships_over_only_part_of_an_area_are_marked():
    from conftest import SCENARIOS
    from restructure.apply import run_scenario

    s = run_scenario(SCENARIOS / "oxfordshire" / "one-unitary.yaml").structure
    d = describe_area(s, "oxfordshire-ua", dt.date(2028, 4, 1))
    assert {(x["id"], x["part"]) for x in d["covered_by"]} == {
        ("cherwell-csp", True), ("oxford-csp", True), ("south-and-vale-csp", True), ("west-oxfordshire-csp", True)
    }
    assert [(x["id"], x["part"]) for x in d["duty_discharged_by"]] == [("safer-oxfordshire", False)]


# -- the summary reads indexes: it must say what the plain scans said ------------------------------


def plain_summarise(s, on):
    """``summarise`` as written first: the bodies scanned per tier, every seat scanned per local area."""
    from restructure.summary import TIER_TITLES
    from test_structure_queries import plain_seat_holders, plain_seats

    snap = s.as_of(on) if on else s
    tiers = {}
    for tier, title in TIER_TITLES.items():
        bodies = sorted((b for b in snap.bodies() if b.tier == tier), key=lambda b: b.id)
        tiers[title] = [
            {"id": b.id, "name": b.name, "kind": b.kind.value,
             "covers": sorted(r.target for r in snap.relations("covers", source=b.id)),
             "discharges": sorted(r.target for r in snap.relations("discharges", source=b.id))}
            for b in bodies
        ]
    local = [
        {"id": a.id, "name": a.name, "seat": [b.id for b in plain_seat_holders(snap, a.id)],
         "duty_discharged_by": [b.id for b in snap.discharging(a.id, whole=False)]}
        for a in snap.local_areas()
    ]
    units = [
        {"id": u.id, "name": u.name, "kind": u.kind.value,
         "covered_by": [b.id for b in snap.covering(u.id, whole=False)],
         "duty_discharged_by": [b.id for b in snap.discharging(u.id, whole=False)]}
        for u in snap.units()
    ]
    return {
        "name": s.name, "on": on,
        "counts": {"areas": sum(1 for _ in snap.areas()), "bodies": sum(1 for _ in snap.bodies()),
                   "relations": snap.graph.number_of_edges()},
        "tiers": tiers, "local_areas": local, "units": units,
        "board_seats": [
            {"board": r.target, "area": r.area, "holder": r.source, "role": r.role} for r in plain_seats(snap)
        ],
    }


def _summaries_agree(s, on):
    import json

    got, want = summarise(s, on), plain_summarise(s, on)
    assert json.dumps(got, default=str) == json.dumps(want, default=str)  # same keys, order and values


def test_summary_equals_the_plain_scans_on_the_baseline_and_scenarios(baseline):
    from conftest import SCENARIOS
    from restructure.apply import run_scenario

    result = run_scenario(SCENARIOS / "oxfordshire" / "one-unitary.yaml").structure
    for s in (baseline, result):
        for on in (None, ON, dt.date(2026, 3, 31), dt.date(2029, 1, 1)):
            _summaries_agree(s, on)
    assert summarise(baseline, ON)["board_seats"] and len(baseline) == len(list(baseline.records()))


@SETTINGS
@given(structures())
def test_summary_equals_the_plain_scans(s):
    for on in (None, *(BASE_DAY + dt.timedelta(days=n) for n in range(-1, 8))):
        _summaries_agree(s, on)
    assert s.count_relations() == s.graph.number_of_edges()
