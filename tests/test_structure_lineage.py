"""Structure.live_successors: lineage followed through any number of steps (structure.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from restructure.apply import apply
from restructure.errors import ValidationFailed
from restructure.model import Body, Relation
from restructure.operations import Dissolve, Merge
from restructure.structure import Step, Structure

FIRST, SECOND = dt.date(2028, 10, 1), dt.date(2029, 4, 1)


def three_steps(baseline) -> Structure:
    """Cherwell CSP -> a northern CSP (with West Oxfordshire) -> one county CSP."""
    s = apply(baseline, [Merge(
        bodies=("cherwell-csp", "west-oxfordshire-csp"), into="northern-oxfordshire-csp",
        new=Body(id="northern-oxfordshire-csp", name="Northern Oxfordshire CSP", kind="community_safety_partnership"),
    )], FIRST).structure
    return apply(s, [Merge(
        bodies=("northern-oxfordshire-csp", "oxford-csp", "south-and-vale-csp"), into="oxfordshire-csp",
        new=Body(id="oxfordshire-csp", name="Oxfordshire CSP", kind="community_safety_partnership"),
    )], SECOND).structure


def test_a_three_step_chain_answers_with_the_last(baseline):
    s = three_steps(baseline)
    found = s.live_successors("cherwell-csp", dt.date(2030, 1, 1))
    assert found.live == ("oxfordshire-csp",)
    assert found.chains == ((
        Step("cherwell-csp", "northern-oxfordshire-csp", FIRST),
        Step("northern-oxfordshire-csp", "oxfordshire-csp", SECOND),
    ),)


def test_between_the_steps_the_middle_one_is_live(baseline):
    s = three_steps(baseline)
    assert s.live_successors("cherwell-csp", dt.date(2029, 1, 1)).live == ("northern-oxfordshire-csp",)
    # in force: its own live successor, with an empty chain
    assert s.live_successors("cherwell-csp", dt.date(2028, 1, 1)) == ("cherwell-csp", dt.date(2028, 1, 1), ("cherwell-csp",), ((),))


def test_a_lapse_or_a_successor_not_yet_in_force_gives_none(baseline):
    s = apply(baseline, [Dissolve(body="oxford-csp", lapse=True)], FIRST).structure
    found = s.live_successors("oxford-csp", SECOND)
    assert (found.live, found.chains) == ((), ())
    s = Structure.from_yaml("""
bodies:
  - {id: a, name: A, kind: community_safety_partnership, end: 2028-04-01}
  - {id: b, name: B, kind: community_safety_partnership, start: 2028-10-01}
relations: [{kind: succeeded_by, source: a, target: b, start: 2028-04-01}]
""")
    assert s.live_successors("a", dt.date(2028, 6, 1)).live == ()
    assert s.live_successors("a", dt.date(2028, 10, 1)).live == ("b",)


def test_a_split_gives_every_line(baseline):
    s = Structure.from_yaml("""
bodies:
  - {id: a, name: A, kind: community_safety_partnership, end: 2028-04-01}
  - {id: b, name: B, kind: community_safety_partnership, start: 2028-04-01}
  - {id: c, name: C, kind: community_safety_partnership, start: 2028-04-01, end: 2029-04-01}
  - {id: d, name: D, kind: community_safety_partnership, start: 2029-04-01}
relations:
  - {kind: succeeded_by, source: a, target: b, start: 2028-04-01}
  - {kind: succeeded_by, source: a, target: c, start: 2028-04-01}
  - {kind: succeeded_by, source: c, target: d, start: 2029-04-01}
""")
    found = s.live_successors("a", dt.date(2030, 1, 1))
    assert found.live == ("b", "d")
    assert [[x.successor for x in chain] for chain in found.chains] == [["b"], ["c", "d"]]


def test_areas_abolished_by_a_reorganisation_lead_to_the_new_areas():
    from conftest import SCENARIOS
    from restructure.apply import run_scenario

    s = run_scenario(SCENARIOS / "oxfordshire" / "three-unitaries.yaml").structure
    on = dt.date(2030, 1, 1)
    assert s.live_successors("E10000025", on).live == ("greater-oxford", "northern-oxfordshire", "ridgeway")
    assert s.live_successors("E07000177", on).live == ("greater-oxford", "northern-oxfordshire")
    assert s.successors("E10000025") == ["greater-oxford", "northern-oxfordshire", "ridgeway"]


def test_a_cycle_built_in_code_does_not_loop():
    s = Structure()
    for i in "ab":
        s.add(Body(id=i, name=i.upper(), kind="community_safety_partnership", end=dt.date(2028, 1, 1)))
    s.add(Relation(kind="succeeded_by", source="a", target="b"))
    s.add(Relation(kind="succeeded_by", source="b", target="a"))
    assert s.live_successors("a", dt.date(2029, 1, 1)).live == ()


def test_an_unknown_id_is_one_error():
    with pytest.raises(ValidationFailed, match="unknown body 'nobody'"):
        Structure().live_successors("nobody", dt.date(2029, 1, 1))


def test_a_lineage_cycle_in_a_file_is_one_line_naming_the_bodies():
    text = """
bodies:
  - {id: a-csp, name: A CSP, kind: community_safety_partnership}
  - {id: b-csp, name: B CSP, kind: community_safety_partnership}
relations:
  - {kind: succeeded_by, source: a-csp, target: b-csp}
  - {kind: succeeded_by, source: b-csp, target: a-csp}
"""
    with pytest.raises(ValidationFailed) as info:
        Structure.from_yaml(text, "x.yaml")
    assert info.value.message() == (
        "x.yaml:7: cycle in lineage (succeeded_by): a-csp -> b-csp -> a-csp. Remove one link of the cycle."
    )


@given(st.integers(1, 8), st.integers(0, 10))
def test_any_chain_length_reaches_the_last(n, year):
    """A chain of n successions, each a year apart: on any date, the one then in force answers."""
    s = Structure()
    start = dt.date(2020, 4, 1)
    for i in range(n + 1):
        s.add(Body(
            id=f"b{i}", name=f"B{i}", kind="community_safety_partnership",
            start=start.replace(year=2020 + i) if i else None,
            end=start.replace(year=2021 + i) if i < n else None,
        ))
        if i:
            s.add(Relation(kind="succeeded_by", source=f"b{i - 1}", target=f"b{i}", start=start.replace(year=2020 + i)))
    on = dt.date(2020 + year, 6, 1)
    expected = f"b{min(year, n)}"  # b_i is in force from 1 April 2020+i to 1 April 2021+i
    found = s.live_successors("b0", on)
    assert found.live == (expected,)
    steps = int(expected[1:])
    assert len(found.chains[0]) == steps
