"""The shipped scenarios: each states its expected outcome, and this asserts it."""

from __future__ import annotations

import pytest

from conftest import SCENARIOS
from restructure.apply import apply_edits, invert, run_scenario
from restructure.io.yamlfile import load
from restructure.scenario import is_scenario, load_scenario

SHIPPED = sorted(
    p for p in SCENARIOS.rglob("*.yaml")
    if is_scenario(load(p).data) and load_scenario(p).expected is not None
) if (SCENARIOS / "baseline").exists() else []


def test_the_issue_named_scenarios_are_shipped():
    names = {p.relative_to(SCENARIOS).as_posix() for p in SHIPPED}
    assert {
        "oxfordshire/csp-merge.yaml",
        "oxfordshire/one-unitary.yaml",
        "oxfordshire/two-unitaries.yaml",
        "oxfordshire/three-unitaries.yaml",
        "prevention-partnerships.yaml",
        "surrey/two-unitaries-2027.yaml",
        "surrey/one-csp-per-unitary-2027.yaml",
    } <= names


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(SCENARIOS).as_posix())
def test_expected_outcome(path):
    from restructure.checks import check_timeline

    outcome = run_scenario(path)
    expected = outcome.scenario.expected
    facts = outcome.facts(expected.on)
    for key, want in expected.model_dump(exclude_none=True, exclude={"on", "findings", "finding_codes"}).items():
        assert facts[key] == want, f"{key}: expected {want}, got {facts[key]}"
    report = check_timeline(outcome.structure, outcome.dates)
    for severity, n in expected.findings.items():
        assert report.counts[severity] == n, f"{severity} findings: expected {n}, got {report.counts[severity]}"
    assert set(expected.finding_codes) == {f.code for f in report.findings}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(SCENARIOS).as_posix())
def test_scenario_inverts_to_its_base(path):
    outcome = run_scenario(path)
    assert apply_edits(outcome.structure, invert(outcome.edits)) == outcome.base


def test_one_unitary_gap_exists_only_between_vesting_and_the_csp_merger():
    import datetime as dt

    outcome = run_scenario(SCENARIOS / "oxfordshire" / "one-unitary.yaml")
    s = outcome.structure
    covering = lambda on: [b.id for b in s.covering("oxfordshire-ua", on, whole=False)]  # noqa: E731
    assert covering(dt.date(2028, 3, 31)) == []  # the unitary does not exist yet
    assert covering(dt.date(2028, 4, 1)) == ["cherwell-csp", "oxford-csp", "south-and-vale-csp", "west-oxfordshire-csp"]
    assert covering(dt.date(2028, 10, 1)) == ["oxfordshire-csp"]
    assert [b.id for b in s.discharging("oxfordshire-ua", dt.date(2028, 4, 1))] == ["safer-oxfordshire"]


def test_two_unitaries_ridgeway_straddles_the_county_line():
    import datetime as dt

    outcome = run_scenario(SCENARIOS / "oxfordshire" / "two-unitaries.yaml")
    s = outcome.structure
    on = dt.date(2028, 10, 1)
    assert s.children("ridgeway", on) == ["E06000037", "E07000179", "E07000180"]
    fire = {b.id for b in s.serving("E06000037", on) if b.kind == "fire_and_rescue_authority"}
    fire |= {b.id for b in s.serving("E07000179", on) if b.kind == "fire_and_rescue_authority"}
    assert fire == {"oxfordshire-fire", "royal-berkshire-fire"}
    assert [b.id for b in s.seat_holders("ridgeway", on)] == ["ridgeway-csp"]


def test_surrey_vesting_day_asks_which_csp_covers_each_unitary():
    import datetime as dt

    kept = run_scenario(SCENARIOS / "surrey" / "two-unitaries-2027.yaml").structure
    merged = run_scenario(SCENARIOS / "surrey" / "one-csp-per-unitary-2027.yaml").structure
    on = dt.date(2027, 4, 1)
    assert [b.id for b in kept.covering("east-surrey", on, whole=False)] == [
        "elmbridge-csp", "epsom-and-ewell-csp", "mole-valley-csp", "reigate-and-banstead-csp", "tandridge-csp"
    ]
    assert kept.covering("east-surrey", on) == []  # only in parts: CSP003
    assert [b.id for b in merged.covering("west-surrey", on)] == ["west-surrey-csp"]
    # the county-wide Duty partnership carries on over both unitaries in both variants
    assert [b.id for b in kept.discharging("west-surrey", on)] == ["surrey-ssvrp"]
    assert [b.id for b in merged.discharging("west-surrey", on)] == ["surrey-ssvrp", "west-surrey-csp"]


def test_surrey_fire_answers_to_both_new_councils_from_vesting_day():
    import datetime as dt

    s = run_scenario(SCENARIOS / "surrey" / "two-unitaries-2027.yaml").structure
    hosts = lambda on: sorted(r.target for r in s.relations("accountable_to", on, source="surrey-fire"))  # noqa: E731
    assert hosts(dt.date(2027, 3, 31)) == ["surrey-county-council"]
    assert hosts(dt.date(2027, 4, 1)) == ["east-surrey-council", "west-surrey-council"]
    fire = {b.id for u in ("E07000207", "E07000217") for b in s.serving(u, dt.date(2027, 4, 1))
            if b.kind == "fire_and_rescue_authority"}
    assert fire == {"surrey-fire"}


def test_surrey_baseline_checks_clean_but_for_its_one_draft():
    import datetime as dt

    from restructure.checks import check_structure
    from restructure.structure import Structure

    s = Structure.load(SCENARIOS / "surrey" / "baseline.yaml")
    report = check_structure(s, today=dt.date(2026, 12, 2))
    assert report.counts == {"error": 0, "warning": 0, "info": 1}
    (draft,) = report.findings
    assert draft.bodies == ("kss-probation",)
    on = dt.date(2026, 12, 2)
    assert len(s.units(on)) == 11 and [a.id for a in s.local_areas(on)] == ["E10000030"]
    assert [b.id for b in s.discharging("E07000215", on)] == ["surrey-ssvrp"]
    assert [b.name for b in s.covering("E07000215", on)] == ["Tandridge Community Safety Partnership Board"]
    assert [b.id for b in s.bodies(on, kind="integrated_care_board")] == ["surrey-and-sussex-icb"]
