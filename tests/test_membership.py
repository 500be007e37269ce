"""Who must sit where: required members from the law and the footprint (restructure.membership)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from mini import mini
from restructure import data
from restructure import operations as O
from restructure.apply import apply, run_scenario
from restructure.baseline import SCENARIOS
from restructure.checks import run_state
from restructure.errors import ValidationFailed
from restructure.io.ons import import_ons
from restructure.membership import CDA_S5, PCSC_S11, belongs
from restructure.model import Area, Body, Relation
from restructure.scenario import load_scenario
from restructure.structure import Structure
from test_checks_properties import structures as random_structures

D = dt.date(2027, 4, 1)
REALIGNED = dt.date(2028, 10, 1)


@pytest.fixture(scope="module")
def two():
    return run_scenario(SCENARIOS / "oxfordshire" / "two-unitaries.yaml").structure


def ids(entries):
    return [e.id for e in entries]


def test_required_members_of_a_new_unitary_csp(two):
    rm = two.required_members("oxford-and-shires-csp", REALIGNED)
    assert ids(rm.required) == [
        "oxford-and-shires-council", "oxfordshire-fire", "oxfordshire-yjs",
        "probation-south-central", "thames-valley-icb", "thames-valley-police",
    ]
    assert "ridgeway-council" not in ids(rm.members)
    assert (rm.missing, rm.superfluous) == ((), ())
    assert rm.law == (CDA_S5, PCSC_S11)
    yjs = next(e for e in rm.required if e.id == "oxfordshire-yjs")
    assert yjs.reason == "youth offending team (youth justice service) serving the whole area; PCSC Act 2022 s.11, Sch.1"
    assert rm.to_dict()["members"][0] == {
        "id": "oxford-and-shires-council", "name": "Oxford and Shires Council", "kind": "unitary_council",
        "role": "statutory", "reason": "serves the area",
    }


def test_a_unitary_straddling_two_fire_authorities_needs_both(two):
    rm = two.required_members("ridgeway-csp", REALIGNED)
    parts = {e.id: e.reason for e in rm.required if e.whole is False}
    assert sorted(parts) == ["oxfordshire-fire", "oxfordshire-yjs", "royal-berkshire-fire", "west-berkshire-yjs"]
    assert parts["royal-berkshire-fire"] == (
        "fire and rescue authority serving part of the area (West Berkshire); CDA 1998 s.5; PCSC Act 2022 s.11, Sch.1"
    )
    assert "oxford-and-shires-council" not in ids(rm.members)


def test_a_csp_that_does_not_discharge_the_duty_needs_no_youth_justice_service():
    s = mini()
    s.add(Body(id="shire-yjs", name="Shire YJS", kind="youth_justice_service"))
    s.add(Relation(kind="serves", source="shire-yjs", target="C1"))
    north = s.required_members("north-csp", D)
    assert ids(north.required) == ["north-dc", "police", "shire-cc"]  # two-tier: county and district
    assert north.law == (CDA_S5,)
    shire = s.required_members("shire-partnership", D)  # discharges the Duty for the county
    assert "shire-yjs" in ids(shire.required) and "shire-yjs" in ids(shire.missing)
    # district councils and the police sit through the district CSPs reporting to it
    assert ids(shire.missing) == ["shire-yjs"]


def test_missing_and_superfluous_members_each_with_a_reason():
    s = mini()
    (rel,) = [r for r in s.relations("member_of", source="north-dc") if r.target == "north-csp"]
    s.remove(rel)
    s.add(Relation(kind="member_of", source="town-council", target="north-csp", role="statutory"))
    s.add(Relation(kind="member_of", source="vale-dc", target="north-csp", role="co-opted"))
    rm = s.required_members("north-csp", D)
    assert [(e.id, e.reason) for e in rm.missing] == [
        ("north-dc", "not a member; council serving the whole area; CDA 1998 s.5"),
    ]
    # co-opted members are the partnership's choice; only statutory ones are judged
    assert [(e.id, e.reason) for e in rm.superfluous] == [
        ("town-council", "statutory member serving none of the footprint: serves Town"),
    ]
    assert not rm.ok


def test_required_members_of_a_body_that_is_not_a_partnership():
    with pytest.raises(ValidationFailed, match=r"'police' \(Mini Police\) is not a Community Safety Partnership or Duty partnership on 2027-04-01"):
        mini().required_members("police", D)
    with pytest.raises(ValidationFailed, match="Did you mean 'north-csp'"):
        mini().required_members("nort-csp", D)


def test_serving_a_composite_area_whole_and_in_part(two):
    whole = {b.id for b in two.serving("ridgeway", REALIGNED)}
    some = {b.id for b in two.serving("ridgeway", REALIGNED, whole=False)}
    assert ids(two.serving_parts("ridgeway", REALIGNED)) == [
        "oxfordshire-fire", "oxfordshire-yjs", "royal-berkshire-fire", "west-berkshire-yjs",
    ]
    assert some - whole == {"oxfordshire-fire", "oxfordshire-yjs", "royal-berkshire-fire", "west-berkshire-yjs"}
    # the ICB serves West Berkshire and both former districts: every part, so the whole
    assert "thames-valley-icb" in whole
    assert ids(two.duty_holders("ridgeway", REALIGNED, whole=False)) == sorted(some & {
        b.id for b in two.bodies() if "serious_violence_duty" in b.duties
    })


def test_belongs_needs_a_footprint_to_judge_by():
    s = mini()
    assert belongs(s, "north-dc", "north-csp", D)
    assert not belongs(s, "town-council", "north-csp", D)
    assert belongs(s, "pcc", "north-csp", D)  # serves nothing on record: nothing to judge by
    assert belongs(s, "north-dc", "board", D)  # the board has no footprint


# -- operations pass memberships only where they belong --------------------------------


def test_reorganise_passes_a_county_seat_only_to_the_unitary_over_that_csp():
    op = O.ReorganiseCouncils(
        abolish=("shire-cc", "north-dc", "south-dc", "vale-dc"),
        create=(
            O.NewCouncil(id="north-uc", name="North UC", area=O.NewArea(id="NU", name="North U"), areas=("D1",)),
            O.NewCouncil(id="south-uc", name="South UC", area=O.NewArea(id="SU", name="South U"), areas=("D2", "D3")),
        ),
        end_areas=("C1",),
    )
    t = apply(mini(), [op], D).structure
    assert [b.id for b, _ in t.members("north-csp", D)] == ["north-uc", "police"]
    assert [b.id for b, _ in t.members("south-vale-csp", D)] == ["police", "south-uc"]
    # the county partnership's footprint passes to the former districts: both unitaries sit on it
    assert [b.id for b, _ in t.members("shire-partnership", D)] == ["north-uc", "south-uc"]
    ended = sorted(e.description for e in t.events.values() if e.kind == "end_membership")
    assert ended == [
        "The statutory membership of Shire County Council in North CSP is not passed on as South UC in North CSP: "
        "the member serves none of that partnership's area (passed on as North UC in North CSP).",
        "The statutory membership of Shire County Council in South and Vale CSP is not passed on as North UC in "
        "South and Vale CSP: the member serves none of that partnership's area (passed on as South UC in South and Vale CSP).",
    ]
    assert [f for f in run_state(t, D) if f.code == "MEM004"] == []


def test_merge_keeps_members_that_serve_the_merged_area():
    s = mini()
    s.add(Relation(kind="member_of", source="town-council", target="north-csp", role="statutory"))
    t = apply(s, [O.Merge(bodies=("north-csp", "south-vale-csp"), into="south-vale-csp")], D).structure
    assert [b.id for b, _ in t.members("south-vale-csp", D)] == ["north-dc", "police", "shire-cc", "south-dc", "vale-dc"]
    (ev,) = [e for e in t.events.values() if e.kind == "end_membership"]
    assert ev.old_values == {"member_of": "town-council -> north-csp"}


def test_transfer_areas_moves_members_with_their_area():
    t = apply(mini(), [O.TransferAreas(areas=("D2",), **{"from": "south-vale-csp"}, to="north-csp")], D).structure
    assert [b.id for b, _ in t.members("north-csp", D)] == ["north-dc", "police", "shire-cc", "south-dc"]
    assert [b.id for b, _ in t.members("south-vale-csp", D)] == ["police", "shire-cc", "vale-dc"]
    (ev,) = [e for e in t.events.values() if e.kind == "end_membership"]
    assert ev.description == (
        "The statutory membership of South DC in South and Vale CSP ends: South DC serves none of that "
        "partnership's area (passed on as South DC in North CSP)."
    )


def test_transfer_of_an_agencys_area_moves_its_memberships():
    s = mini()
    s.add(Body(id="north-fire", name="North Fire", kind="fire_and_rescue_authority"))
    s.add(Body(id="shire-fire", name="Shire Fire", kind="fire_and_rescue_authority"))
    s.add(Relation(kind="serves", source="north-fire", target="D1"))
    s.add(Relation(kind="serves", source="north-fire", target="U1"))
    s.add(Relation(kind="member_of", source="north-fire", target="north-csp", role="statutory"))
    s.add(Relation(kind="member_of", source="north-fire", target="town-csp", role="statutory"))
    t = apply(s, [O.TransferAreas(areas=("D1",), **{"from": "north-fire"}, to="shire-fire", relation="serves")], D).structure
    assert "shire-fire" in [b.id for b, _ in t.members("north-csp", D)]
    assert "north-fire" not in [b.id for b, _ in t.members("north-csp", D)]
    assert "north-fire" in [b.id for b, _ in t.members("town-csp", D)]  # still serves the town


def test_split_gives_each_part_the_members_serving_it():
    t = apply(mini(), [O.Split(body="south-vale-csp", into=(
        O.SplitPart(id="south-csp", name="South CSP", areas=("D2",)),
        O.SplitPart(id="vale-csp", name="Vale CSP", areas=("D3",)),
    ))], D).structure
    assert t.required_members("south-csp", D).ok and t.required_members("vale-csp", D).ok


# -- a reorganisation outside Thames Valley, on the bundled ONS data -------------------------


@pytest.fixture(scope="module")
def northants():
    """Northamptonshire in 2017 (ONS lookup, mySociety counties), with a CSP per district."""
    table = data.path("mysociety/uk_local_authorities_future.csv")
    base = import_ons(data.path("ons/LAD17_CSP17_PFA17_EW_LU.csv"), pfa="Northamptonshire", counties_path=table)
    ops = []
    for unit in base.units():
        (council,) = [b.id for b in base.councils(unit.id) if b.kind.value == "district_council"]
        ops.append(O.CreateBody(
            body=Body(id=f"{unit.id}-csp", name=f"{unit.name} CSP", kind="community_safety_partnership",
                      start=dt.date(2010, 1, 1)),
            covers=(unit.id,), discharges=(unit.id,), members=(council, "northamptonshire-county-council"),
        ))
    return apply(base, ops, dt.date(2020, 1, 1)).structure


def test_partnerships_added_to_an_import_stand_since_their_start(northants):
    rel = next(iter(northants.relations("covers", source="E07000150-csp")))
    assert rel.start == dt.date(2010, 1, 1)
    # the day before the phase, every district already has its CSP
    assert [f for f in run_state(northants, dt.date(2019, 12, 31)) if f.code.startswith("CSP")] == []


def test_a_county_seat_on_a_district_csp_goes_to_the_unitary_over_it(northants):
    out = run_scenario(load_scenario(SCENARIOS / "history" / "northamptonshire-2021.yaml"), base=northants).structure
    on = dt.date(2021, 4, 1)
    corby = out.required_members("E07000150-csp", on)  # Corby: now in North Northamptonshire
    assert ids(corby.members) == ["north-northamptonshire-council"]
    assert ids(corby.required) == ["north-northamptonshire-council"]
    assert corby.ok
    daventry = out.required_members("E07000151-csp", on)  # Daventry: West Northamptonshire
    assert ids(daventry.members) == ["west-northamptonshire-council"]
    for p in {r.source for r in out.relations("covers", on)}:
        assert out.required_members(p, on).superfluous == ()


def test_create_body_since_after_the_phase_is_refused():
    from restructure.errors import ScenarioError

    op = O.CreateBody(body=Body(id="x", name="X", kind="community_safety_partnership"), covers=("D1",),
                      since=dt.date(2028, 1, 1))
    with pytest.raises(ScenarioError, match="'since' 2028-01-01 is after the phase date 2027-04-01"):
        apply(mini(), [op], D)
    s = mini()
    s.add(Area(id="N1", name="New", kind="district", start=dt.date(2026, 1, 1)))
    op = O.CreateBody(body=Body(id="x", name="X", kind="community_safety_partnership"), covers=("N1",),
                      since=dt.date(2025, 1, 1))
    with pytest.raises(ScenarioError, match="'N1' does not exist until 2026-01-01"):
        apply(s, [op], D)


# -- property: after any generated reorganisation, everyone sits where they belong -------------


@st.composite
def reorganisations(draw):
    """A two-tier county whose districts each have a CSP, and a reorganisation of its councils."""
    n = draw(st.integers(2, 6))
    s = Structure("generated")
    s.add(Area(id="P", name="Force", kind="police_force_area"))
    s.add(Area(id="C", name="County", kind="county"))
    s.add(Relation(kind="within", source="C", target="P"))
    for body in (
        Body(id="cc", name="County Council", kind="county_council"),
        Body(id="police", name="Police", kind="police_force"),
        Body(id="fire", name="Fire", kind="fire_and_rescue_authority"),
        Body(id="county-partnership", name="County Partnership", kind="county_partnership"),
    ):
        s.add(body)
    s.add(Relation(kind="serves", source="cc", target="C"))
    s.add(Relation(kind="serves", source="police", target="P"))
    s.add(Relation(kind="serves", source="fire", target="C"))
    s.add(Relation(kind="discharges", source="county-partnership", target="C"))
    s.add(Relation(kind="member_of", source="cc", target="county-partnership", role="statutory"))
    for i in range(n):
        s.add(Area(id=f"D{i}", name=f"District {i}", kind="district"))
        s.add(Relation(kind="within", source=f"D{i}", target="C"))
        s.add(Body(id=f"dc{i}", name=f"District Council {i}", kind="district_council"))
        s.add(Relation(kind="serves", source=f"dc{i}", target=f"D{i}"))
        s.add(Body(id=f"csp{i}", name=f"CSP {i}", kind="community_safety_partnership"))
        s.add(Relation(kind="covers", source=f"csp{i}", target=f"D{i}"))
        for m in (f"dc{i}", "cc", "police", "fire"):
            s.add(Relation(kind="member_of", source=m, target=f"csp{i}", role="statutory"))
        if draw(st.booleans()):
            s.add(Relation(kind="member_of", source=f"dc{i}", target="county-partnership", role="statutory"))
    # districts go to k new councils: unitaries (the county ends) or merged districts (it stays)
    k = draw(st.integers(1, n))
    owner = [draw(st.integers(0, k - 1)) for _ in range(n)]
    groups = [[i for i in range(n) if owner[i] == g] for g in range(k)]
    groups = [g for g in groups if g]
    unitary = draw(st.booleans())
    create = tuple(
        O.NewCouncil(
            id=f"new{j}", name=f"New Council {j}",
            kind="unitary_council" if unitary else "district_council",
            area=O.NewArea(id=f"N{j}", name=f"New {j}", kind="unitary" if unitary else "district",
                           parent=None if unitary else "C"),
            areas=tuple(f"D{i}" for i in g),
        )
        for j, g in enumerate(groups)
    )
    abolish = tuple(f"dc{i}" for i in range(n)) + (("cc",) if unitary else ())
    ops = [O.ReorganiseCouncils(abolish=abolish, create=create, end_areas=("C",) if unitary else ())]
    # and perhaps the CSPs of one new council merge
    if draw(st.booleans()) and len(groups[0]) >= 2:
        ops.append(O.Merge(bodies=tuple(f"csp{i}" for i in groups[0]), into=f"csp{groups[0][0]}"))
    return s, ops


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reorganisations())
def test_after_any_reorganisation_statutory_members_serve_their_partnership(case):
    s, ops = case
    note(repr(ops))
    out = apply(s, ops, D).structure
    partnerships = sorted({r.source for k in ("covers", "discharges") for r in out.relations(k, D)})
    assert partnerships
    for p in partnerships:
        rm = out.required_members(p, D)
        footprint = {*rm.covers, *rm.discharges}
        for body, role in out.members(p, D):
            served = [r.target for r in out.relations("serves", D, source=body.id)]
            if role == "statutory" and served:
                reach = {a for f in footprint for a in (f, *out.ancestors(f, D), *out.descendants(f, D))}
                assert set(served) & reach, f"{body.id} sits on {p} but serves none of {sorted(footprint)}"
        assert rm.superfluous == ()
        members = {e.id for e in rm.members}
        missing = {e.id for e in rm.missing}
        for e in rm.required:
            assert e.id in members or e.id in missing or _through(out, p, e.id), (p, e.id)
    assert [f for f in run_state(out, D) if f.code == "MEM004"] == []


def _through(s, partnership, body):
    subs = [r.source for r in s.relations("accountable_to", D, target=partnership)]
    subs += [m.id for m, _ in s.members(partnership, D) if m.is_partnership]
    return any(body in {m.id for m, _ in s.members(sub, D)} for sub in subs)


# -- one footprint per area: the reach must be what serving() twice per area said -------------------


def plain_reach(s, areas, on, footprints=None):
    """``membership._reach`` as written first: ``serving`` whole and in part for each area."""
    areas = list(areas)
    counts, out = {}, {}
    for a in areas:
        whole = {b.id for b in s.serving(a, on)}
        for b in s.serving(a, on, whole=False):
            out[b.id] = "part"
            if b.id in whole:
                counts[b.id] = counts.get(b.id, 0) + 1
    for b, n in counts.items():
        if n == len(areas):
            out[b] = "whole"
    return out


def _required_or_error(s, p, on):
    from restructure.membership import required_members

    try:
        return required_members(s, p, on).to_dict()
    except ValidationFailed as exc:
        return str(exc)


def _check_reach(s, monkeypatch):
    from restructure import membership

    areas = sorted(a.id for a in s.areas())
    partnerships = sorted(b.id for b in s.bodies())
    for on in (None, dt.date(2027, 1, 1), dt.date(2027, 1, 4), dt.date(2028, 4, 1)):
        footprints = {}
        for subset in (areas, areas[:1], areas[::2], areas[1:]):
            assert membership._reach(s, subset, on, footprints) == plain_reach(s, subset, on)
        fast = [_required_or_error(s, p, on) for p in partnerships]
        with monkeypatch.context() as m:
            m.setattr(membership, "_reach", plain_reach)
            assert fast == [_required_or_error(s, p, on) for p in partnerships]


def test_reach_and_required_members_equal_serving_twice_per_area(two, monkeypatch):
    _check_reach(two, monkeypatch)
    _check_reach(Structure.load(SCENARIOS / "baseline" / "thames-valley.yaml"), monkeypatch)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(s=random_structures())
def test_reach_equals_serving_twice_per_area_on_random_structures(monkeypatch, s):
    note(s.to_yaml())
    _check_reach(s, monkeypatch)
