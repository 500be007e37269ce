"""Transition rules: what a change took away (TRN00x)."""

from __future__ import annotations

import datetime as dt

from mini import mini
from restructure.apply import apply
from restructure.checks import RULES, run_transition
from restructure.model import Area, Body, Relation
from restructure.operations import Dissolve, Merge

ON = dt.date(2026, 11, 25)
VEST = dt.date(2028, 4, 1)
EVE = VEST - dt.timedelta(days=1)


def found(before, after, code, on=VEST, before_on=EVE):
    return [f for f in run_transition(before, after, on, before_on=before_on) if f.code == code]


def test_transition_rules_are_transition_kind():
    assert {RULES[c].kind for c in ("TRN001", "TRN002", "TRN003", "TRN004")} == {"transition"}


def test_trn001_and_trn002_area_lost_its_partnership():
    s = mini()
    out = apply(s, [Dissolve(body="town-csp", lapse=True)], VEST).structure
    (f,) = found(out, out, "TRN001")
    assert f.message == "Town (U1) lost its Serious Violence Duty partnership between 2028-03-31 and 2028-04-01 (was Town CSP)"
    assert (f.severity.value, f.date, f.areas) == ("error", VEST, ("U1",))
    (g,) = found(out, out, "TRN002")
    assert g.message == "Town (U1) lost its Community Safety Partnership between 2028-03-31 and 2028-04-01 (was Town CSP)"


def test_trn001_not_for_a_merge():
    s = mini()
    merged = Body(id="shire-csp", name="Shire CSP", kind="community_safety_partnership")
    out = apply(s, [Merge(bodies=("north-csp", "south-vale-csp"), into="shire-csp", new=merged, approved_by="pcc")], VEST).structure
    assert run_transition(out, out, VEST, before_on=EVE) == []


def test_trn001_base_against_proposal_on_one_date():
    base = mini()
    proposal = mini()
    (rel,) = [r for r in proposal.relations("discharges", source="town-csp")]
    proposal.remove(rel)
    (f,) = found(base, proposal, "TRN001", on=ON, before_on=None)
    assert f.message == "Town (U1) lost its Serious Violence Duty partnership on 2026-11-25 (was Town CSP)"


def test_trn001_follows_an_area_to_its_successor():
    s = mini()
    u1 = s.area("U1")
    s.replace(u1, u1.model_copy(update={"end": VEST}))
    s.add(Area(id="U8", name="Greater Town", kind="unitary", start=VEST))
    s.add(Relation(kind="succeeded_by", source="U1", target="U8", start=VEST))
    (f,) = found(s, s, "TRN001")
    assert f.areas == ("U8",)
    assert f.message.startswith("Greater Town (U8) lost its Serious Violence Duty partnership")
    s.add(Relation(kind="discharges", source="town-csp", target="U8", start=VEST))
    assert found(s, s, "TRN001") == []


def test_trn003_local_area_lost_its_seat():
    s = mini()
    (seat,) = [r for r in s.seats("board") if r.area == "U1"]
    s.replace(seat, seat.model_copy(update={"end": VEST}))
    (f,) = found(s, s, "TRN003")
    assert f.message == "Town (U1) has no Strategy Board seat between 2028-03-31 and 2028-04-01 (held before by Town CSP)"
    assert f.severity.value == "error"


def test_trn003_county_abolished_new_unitaries_need_seats():
    s = mini()
    c1 = s.area("C1")
    s.replace(c1, c1.model_copy(update={"end": VEST}))
    s.add(Area(id="U2", name="North Unitary", kind="unitary", start=VEST))
    s.add(Relation(kind="within", source="U2", target="P1", start=VEST))
    s.add(Relation(kind="within", source="D1", target="U2", start=VEST))
    (f,) = found(s, s, "TRN003")
    assert f.message == (
        "North Unitary (U2), which now holds Shire (C1) or part of it, has no Strategy Board seat "
        "between 2028-03-31 and 2028-04-01 (held before by Safer Shire)"
    )
    assert f.areas == ("C1", "U2")
    s.add(Relation(kind="seat", source="north-csp", target="board", area="U2", start=VEST))
    assert found(s, s, "TRN003") == []


def test_trn004_body_vanished_without_event():
    s = mini()
    vale = s.body("vale-dc")
    s.replace(vale, vale.model_copy(update={"end": VEST}))
    (f,) = found(s, s, "TRN004")
    assert f.message == "Vale DC ended between 2028-03-31 and 2028-04-01 with no change event"
    assert f.severity.value == "warning"
    out = apply(mini(), [Dissolve(body="vale-dc", successors=("south-dc",))], VEST).structure
    assert found(out, out, "TRN004") == []


def test_trn004_body_removed_from_the_proposal():
    base = mini()
    proposal = mini()
    for rel in list(proposal.relations(source="vale-dc")) + list(proposal.relations(target="vale-dc")):
        proposal.remove(rel)
    proposal.remove(proposal.body("vale-dc"))
    (f,) = found(base, proposal, "TRN004", on=ON, before_on=None)
    assert f.message == "Vale DC was removed on 2026-11-25 with no change event"


def _fire_run_by_the_county():
    from restructure.structure import Structure

    s = mini()
    fire = Body(id="shire-fire", name="Shire Fire and Rescue Service", kind="fire_and_rescue_authority",
                duties=frozenset({"serious_violence_duty"}))
    data = s.to_dict()
    data["bodies"].append(fire.model_dump(mode="json", exclude_defaults=True))
    data["relations"] += [
        {"kind": "serves", "source": "shire-fire", "target": "C1"},
        {"kind": "accountable_to", "source": "shire-fire", "target": "shire-cc"},
    ]
    return Structure.from_dict(data)


def _two_unitaries(s, lead=None):
    from restructure.operations import ReorganiseCouncils, Unlink

    ops = [ReorganiseCouncils(
        abolish=("shire-cc", "north-dc", "south-dc", "vale-dc"),
        create=(
            {"id": "north-ua-council", "name": "North Unitary Council", "area": {"id": "NU", "name": "North Unitary"}, "areas": ("D1",)},
            {"id": "south-ua-council", "name": "South Unitary Council", "area": {"id": "SU", "name": "South Unitary"}, "areas": ("D2", "D3")},
        ),
        end_areas=("C1",),
    )]
    if lead:
        other = "south-ua-council" if lead == "north-ua-council" else "north-ua-council"
        ops += [Unlink(relation={"kind": "accountable_to", "source": "shire-fire", "target": other})]
    return apply(s, ops, VEST).structure


def test_trn005_a_service_run_by_an_abolished_county_answers_to_both_successors():
    out = _two_unitaries(_fire_run_by_the_county())
    (f,) = found(out, out, "TRN005")
    assert f.message == (
        "Shire Fire and Rescue Service was run by Shire County Council, abolished between 2028-03-31 and "
        "2028-04-01, and now answers to North Unitary Council and South Unitary Council: who holds its "
        "functions is not settled"
    )
    assert f.bodies == ("north-ua-council", "shire-cc", "shire-fire", "south-ua-council")
    assert RULES["TRN005"].severity.value == "warning"


def test_trn005_settled_when_one_successor_hosts_the_service():
    out = _two_unitaries(_fire_run_by_the_county(), lead="north-ua-council")
    assert found(out, out, "TRN005") == []


def test_trn005_silent_without_an_abolished_host():
    s = _fire_run_by_the_county()
    assert found(s, s, "TRN005", on=ON, before_on=ON - dt.timedelta(days=1)) == []
