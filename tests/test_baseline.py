"""The Thames Valley baseline (scenarios/baseline/thames-valley.yaml) against real facts.

Each test checks a fact a planner relies on, from the reference notes or the
real ONS lookups bundled in ``restructure/data/ons``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict

import pytest

from restructure.model import AreaKind, BodyKind, RelationKind
from restructure.structure import Structure

__all__: list[str] = []

TODAY = dt.date(2026, 11, 25)
TV = "E23000029"
OXFORDSHIRE = "E10000025"
OXFORDSHIRE_DISTRICTS = {
    "E07000177": "cherwell-csp",
    "E07000178": "oxford-csp",
    "E07000179": "south-and-vale-csp",
    "E07000180": "south-and-vale-csp",
    "E07000181": "west-oxfordshire-csp",
}
LOCAL_AREAS = [
    "E06000036",  # Bracknell Forest
    "E06000037",  # West Berkshire
    "E06000038",  # Reading
    "E06000039",  # Slough
    "E06000040",  # Windsor and Maidenhead
    "E06000041",  # Wokingham
    "E06000042",  # Milton Keynes
    "E06000060",  # Buckinghamshire
    OXFORDSHIRE,
]
UNITARIES = LOCAL_AREAS[:-1]


@pytest.fixture(scope="module")
def ons_lookup(data_dir):
    """The ONS December 2023 LAD -> CSP -> PFA lookup, as a list of rows."""
    path = data_dir / "ons" / "LAD23_CSP23_PFA23_EW_LU.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def county_lookup(data_dir):
    """The ONS April 2021 district -> county lookup: {district code: county code}."""
    path = data_dir / "ons" / "LAD21_CTY21_EN_LU.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {row["LAD21CD"]: row["CTY21CD"] for row in csv.DictReader(f)}


def _ids(records):
    return [r.id for r in records]


def _csp_role_holders(s: Structure) -> set[str]:
    """Bodies that have held the statutory CSP role (a ``covers`` relation) at any time."""
    return {r.source for r in s.relations(RelationKind.covers)}


# -- geography -----------------------------------------------------------------------


def test_nine_upper_tier_local_areas(baseline):
    assert _ids(baseline.local_areas(TODAY, within=TV)) == LOCAL_AREAS


def test_thirteen_units_of_duty_coverage(baseline):
    # Eight unitaries and Oxfordshire's five districts: the 13 rows of ONS's lookup for Thames Valley.
    assert _ids(baseline.units(TODAY, within=TV)) == sorted(UNITARIES + list(OXFORDSHIRE_DISTRICTS))


def test_twelve_partnerships_hold_the_csp_role_and_fourteen_councils(baseline):
    holders = {b.id for u in baseline.units(TODAY, within=TV) for b in baseline.covering(u.id, TODAY)}
    assert len(holders) == 12
    assert "mk-together" in holders and "safer-mk" not in holders
    councils = {b.id for u in baseline.units(TODAY, within=TV) for b in baseline.councils(u.id, TODAY)}
    assert len(councils) == 14


def test_buckinghamshire_is_a_unit_only_from_april_2020(baseline):
    before = _ids(baseline.units(dt.date(2020, 3, 31), within=TV))
    after = _ids(baseline.units(dt.date(2020, 4, 1), within=TV))
    assert "E06000060" not in before
    assert "E06000060" in after


def test_area_codes_names_and_force_match_ons(baseline, ons_lookup):
    ons = {row["LAD23CD"]: row for row in ons_lookup}
    for area in baseline.units(TODAY):
        row = ons[area.id]
        assert (area.name, row["PFA23CD"], row["PFA23NM"]) == (row["LAD23NM"], TV, "Thames Valley")
        assert TV in baseline.ancestors(area.id, TODAY)
    in_tv = {row["LAD23CD"] for row in ons_lookup if row["PFA23CD"] == TV}
    assert in_tv == set(_ids(baseline.units(TODAY, within=TV)))
    assert baseline.area(TV).name == "Thames Valley"


def test_oxfordshire_districts_lie_in_the_county_as_ons_says(baseline, county_lookup):
    for district in OXFORDSHIRE_DISTRICTS:
        assert baseline.parents(district, TODAY) == [county_lookup[district]] == [OXFORDSHIRE]
        assert baseline.area(district).kind == AreaKind.district


# -- coverage and the Serious Violence Duty ------------------------------------------


def test_every_unit_is_covered_by_exactly_one_csp_from_2020_on(baseline):
    dates = [d for d in baseline.dates() if d >= dt.date(2020, 4, 1)] + [TODAY]
    for on in dates:
        for unit in baseline.units(on, within=TV):
            assert len(baseline.covering(unit.id, on)) == 1, (unit.id, on)


def test_every_unit_has_exactly_one_partnership_discharging_the_duty(baseline):
    for unit in baseline.units(TODAY, within=TV):
        assert len(baseline.discharging(unit.id, TODAY)) == 1, unit.id


def test_oxfordshire_districts_csp_differs_from_duty_partnership(baseline):
    for district, csp in OXFORDSHIRE_DISTRICTS.items():
        assert _ids(baseline.covering(district, TODAY)) == [csp]
        assert _ids(baseline.discharging(district, TODAY)) == ["safer-oxfordshire"]


def test_unitary_csps_both_cover_and_discharge(baseline):
    for unitary in UNITARIES:
        assert baseline.covering(unitary, TODAY) == baseline.discharging(unitary, TODAY)


def test_cherwells_csp(baseline):
    (csp,) = baseline.covering("E07000177", TODAY)
    assert (csp.id, csp.name) == ("cherwell-csp", "Cherwell Safer Communities Partnership")
    assert [r.target for r in baseline.relations(RelationKind.accountable_to, TODAY, source=csp.id)] == [
        "safer-oxfordshire"
    ]


def test_milton_keynes_csp_role_moved_in_2025(baseline):
    assert _ids(baseline.as_of(dt.date(2025, 1, 1)).covering("E06000042")) == ["safer-mk"]
    assert _ids(baseline.as_of(dt.date(2025, 6, 1)).covering("E06000042")) == ["mk-together"]
    assert baseline.successors("safer-mk") == ["mk-together"]
    assert baseline.events["2025-04-01-mk-csp-role"].predecessors == ("safer-mk",)


def test_every_duty_partnership_has_a_strategy(baseline):
    holders = {b.id for u in baseline.units(TODAY) for b in baseline.discharging(u.id, TODAY)}
    for body_id in holders:
        titles = [s.title for s in baseline.body(body_id).strategies]
        assert len(titles) == 1 and titles[0].endswith("Serious Violence Strategy"), body_id


# -- ONS CSP codes --------------------------------------------------------------------


def test_csp_codes_match_ons_for_their_areas(baseline, ons_lookup):
    codes_of = defaultdict(set)
    for row in ons_lookup:
        codes_of[row["LAD23CD"]].add(row["CSP23CD"])
    for body_id in sorted(_csp_role_holders(baseline)):
        body = baseline.body(body_id)
        areas = {r.target for r in baseline.relations(RelationKind.covers, source=body_id)}
        expected = set().union(*(codes_of[a] for a in areas))
        listed = body.attributes["ons_csp_codes"].split()
        assert listed == sorted(expected), body_id
        assert body.gss == (listed[0] if len(listed) == 1 else None), body_id


def test_legacy_and_joint_csp_codes(baseline):
    bucks = baseline.body("buckinghamshire-csp").attributes["ons_csp_codes"].split()
    assert bucks == ["E22000303", "E22000306", "E22000311", "E22000318"]
    assert baseline.body("south-and-vale-csp").attributes["ons_csp_codes"] == "E22000312 E22000313"


# -- the Strategy Board -----------------------------------------------------------------


def test_every_local_area_has_exactly_one_board_seat(baseline):
    for area in LOCAL_AREAS:
        holders = baseline.seat_holders(area, TODAY, board="tv-vpp-board")
        assert len(holders) == 1, area
    area_seats = [r for r in baseline.seats("tv-vpp-board", TODAY) if r.area is not None]
    assert sorted(r.area for r in area_seats) == LOCAL_AREAS


def test_seats_go_to_the_partnership_discharging_the_duty(baseline):
    for area in LOCAL_AREAS:
        holder = baseline.seat_holders(area, TODAY, board="tv-vpp-board")
        assert holder == baseline.discharging(area, TODAY), area


def test_board_reports_to_the_pcc(baseline):
    board_to = [r.target for r in baseline.relations(RelationKind.accountable_to, TODAY, source="tv-vpp-board")]
    assert board_to == ["tv-pcc"]


# -- the ICB change of 1 April 2026 ----------------------------------------------------


def _icbs_serving_thames_valley(s: Structure, on: dt.date) -> list[str]:
    found = {
        b.id
        for unit in s.units(on, within=TV)
        for b in s.serving(unit.id, on)
        if b.kind == BodyKind.integrated_care_board
    }
    return sorted(found)


def test_three_icbs_before_april_2026_and_two_after(baseline):
    assert _icbs_serving_thames_valley(baseline, dt.date(2026, 3, 31)) == [
        "blmk-icb",
        "bob-icb",
        "frimley-icb",
    ]
    assert _icbs_serving_thames_valley(baseline, dt.date(2026, 4, 1)) == [
        "central-east-icb",
        "thames-valley-icb",
    ]


def test_each_unit_has_exactly_one_icb_each_side_of_the_change(baseline):
    for on in (dt.date(2026, 3, 31), dt.date(2026, 4, 1)):
        for unit in baseline.units(on, within=TV):
            icbs = [b for b in baseline.serving(unit.id, on) if b.kind == BodyKind.integrated_care_board]
            assert len(icbs) == 1, (unit.id, on)


def test_each_duty_partnership_has_one_icb_member_each_side_of_the_change(baseline):
    for on in (dt.date(2026, 3, 31), dt.date(2026, 4, 1)):
        holders = {b.id for u in baseline.units(on) for b in baseline.discharging(u.id, on)}
        for body_id in holders:
            icbs = [m for m, _ in baseline.members(body_id, on) if m.kind == BodyKind.integrated_care_board]
            assert len(icbs) == 1, (body_id, on)


# -- the file itself -----------------------------------------------------------------


def test_yaml_round_trip_is_identity(baseline):
    text = baseline.to_yaml()
    assert Structure.from_yaml(text) == baseline
    assert baseline.to_yaml() == text


def test_json_round_trip_is_identity(baseline):
    assert Structure.from_json(baseline.to_json()) == baseline
