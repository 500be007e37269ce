"""summary: the plain-data answers behind `restructure show`."""

from __future__ import annotations

import datetime as dt

from restructure.summary import describe_area, describe_body, summarise

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
