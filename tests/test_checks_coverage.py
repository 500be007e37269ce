"""Coverage rules: one partnership discharging the Duty, one CSP, per unit (SVD00x, CSP00x)."""

from __future__ import annotations

import datetime as dt

from mini import ON, drop, found, mini
from restructure.checks import RULES, run_state
from restructure.model import Area, Body, Relation


def test_mini_is_clean():
    # every "does not trigger" test below starts from this structure
    assert run_state(mini(), ON) == []


def test_svd001_area_with_no_duty_partnership():
    s = mini()
    drop(s, "discharges", "town-csp", "U1")
    (f,) = found(s, "SVD001")
    assert f.message == "Town (U1) has no partnership discharging the Serious Violence Duty"
    assert (f.severity.value, f.areas, f.date) == ("error", ("U1",), ON)
    assert found(mini(), "SVD001") == []


def test_svd001_not_before_records_or_after_an_area_ends():
    s = mini()
    drop(s, "discharges", "town-csp", "U1")
    u1 = s.area("U1")
    s.replace(u1, u1.model_copy(update={"end": dt.date(2026, 1, 1)}))
    assert found(s, "SVD001") == []


def test_svd002_two_partnerships_discharge():
    s = mini()
    s.add(Relation(kind="discharges", source="north-csp", target="D1"))
    (f,) = found(s, "SVD002")
    assert f.message == (
        "North (D1) has 2 partnerships discharging the Serious Violence Duty: North CSP and Safer Shire"
    )
    assert f.bodies == ("north-csp", "shire-partnership")


def test_svd003_discharged_only_in_parts_after_reorganisation():
    s = mini()
    # a new unitary over North and South: the old partnerships discharge for the parts only
    s.add(Area(id="U2", name="New Unitary", kind="unitary"))
    for d in ("D1", "D2"):
        s.add(Relation(kind="within", source=d, target="U2"))
    drop(s, "discharges", "shire-partnership", "C1")
    s.add(Relation(kind="discharges", source="shire-partnership", target="D3"))
    s.add(Relation(kind="discharges", source="north-csp", target="D1"))
    s.add(Relation(kind="discharges", source="south-vale-csp", target="D2"))
    (f,) = found(s, "SVD003")
    assert f.message == (
        "New Unitary (U2) has the Serious Violence Duty discharged only in parts, by North CSP and "
        "South and Vale CSP"
    )
    assert found(s, "SVD001") == []  # parts are SVD003's, not "no partnership"


def test_svd003_not_when_one_partnership_discharges_every_part():
    s = mini()
    s.add(Area(id="U2", name="New Unitary", kind="unitary"))
    for d in ("D1", "D2"):
        s.add(Relation(kind="within", source=d, target="U2"))
    drop(s, "discharges", "shire-partnership", "C1")
    for d in ("D1", "D2", "D3"):
        s.add(Relation(kind="discharges", source="shire-partnership", target=d))
    assert found(s, "SVD003") == [] and found(s, "SVD001") == []


def test_csp001_area_with_no_csp():
    s = mini()
    drop(s, "covers", "north-csp", "D1")
    (f,) = found(s, "CSP001")
    assert f.message == "North (D1) has no Community Safety Partnership covering it"
    assert found(s, "SVD001") == []  # the Duty is still discharged countywide


def test_csp002_two_csps():
    s = mini()
    s.add(Relation(kind="covers", source="town-csp", target="D1"))
    (f,) = found(s, "CSP002")
    assert f.message == "North (D1) is covered by 2 Community Safety Partnerships: North CSP and Town CSP"
    assert found(mini(), "CSP002") == []


def test_csp003_unitary_covered_by_two_former_csps():
    s = mini()
    s.add(Area(id="U2", name="New Unitary", kind="unitary"))
    for d in ("D1", "D2", "D3"):
        s.add(Relation(kind="within", source=d, target="U2"))
    (f,) = found(s, "CSP003")
    assert f.message == "New Unitary (U2) is covered only in parts, by North CSP and South and Vale CSP"
    assert f.bodies == ("north-csp", "south-vale-csp")


def test_discharging_and_covering_are_different_questions():
    # Oxfordshire: district CSPs cover, the county partnership discharges; no finding
    s = mini()
    assert [b.id for b in s.discharging("D1", ON)] == ["shire-partnership"]
    assert [b.id for b in s.covering("D1", ON)] == ["north-csp"]
    assert found(s, "SVD002") == [] and found(s, "CSP002") == []


def test_ended_partnership_leaves_a_gap_on_its_end_date():
    s = mini()
    town = s.body("town-csp")
    s.replace(town, town.model_copy(update={"end": dt.date(2027, 4, 1)}))
    assert found(s, "SVD001", dt.date(2027, 3, 31)) == []
    assert [f.areas for f in found(s, "SVD001", dt.date(2027, 4, 1))] == [("U1",)]
    assert [f.areas for f in found(s, "CSP001", dt.date(2027, 4, 1))] == [("U1",)]


def test_partnership_starting_later_is_not_yet_there():
    s = mini()
    s.add(Body(id="later", name="Later CSP", kind="community_safety_partnership", start=dt.date(2027, 1, 1)))
    s.add(Relation(kind="covers", source="later", target="U1"))
    assert found(s, "CSP002") == []
    assert len(found(s, "CSP002", dt.date(2027, 1, 1))) == 1


def test_coverage_rules_are_errors():
    assert {RULES[c].severity.value for c in ("SVD001", "SVD002", "SVD003", "CSP001", "CSP002", "CSP003")} == {"error"}


def test_duty_rules_start_when_the_duty_commenced():
    s = mini()
    drop(s, "discharges", "town-csp", "U1")
    assert found(s, "SVD001", dt.date(2023, 1, 30)) == []
    assert len(found(s, "SVD001", dt.date(2023, 1, 31))) == 1
    assert len(found(s, "CSP001", dt.date(2023, 1, 30))) == 0  # the CSP is still there
    drop(s, "covers", "town-csp", "U1")
    assert len(found(s, "CSP001", dt.date(2000, 1, 1))) == 1  # CSPs date from 1998
