"""Membership rules: authorities serving an area sit in its partnership (MEM00x)."""

from __future__ import annotations

from mini import drop, found, mini
from restructure.checks import RULES
from restructure.model import Body, Relation


def test_mem001_duty_holder_not_member():
    s = mini()
    drop(s, "member_of", "town-council", "town-csp")
    (f,) = found(s, "MEM001")
    assert f.message == (
        "Town Council serves Town (U1) but is not a member of Town CSP, which discharges the "
        "Serious Violence Duty there"
    )
    assert (f.severity.value, f.bodies, f.areas) == ("warning", ("town-council", "town-csp"), ("U1",))
    assert found(mini(), "MEM001") == []


def test_mem001_one_finding_per_body_and_partnership_listing_areas():
    s = mini()
    for p in ("north-csp", "south-vale-csp"):
        drop(s, "member_of", "police", p)
    (f,) = found(s, "MEM001")
    assert f.message.startswith("Mini Police serves North (D1), South (D2) and Vale (D3) but is not a member of Safer Shire")


def test_mem001_membership_through_accountable_csp_counts():
    s = mini()
    # the district council is a member of its CSP, which reports to the countywide partnership
    assert s.memberships("north-dc") and found(s, "MEM001") == []
    drop(s, "accountable_to", "north-csp", "shire-partnership")
    # the police still sit in Safer Shire through South and Vale CSP; North DC no longer does
    assert [f.bodies for f in found(s, "MEM001")] == [("north-dc", "shire-partnership")]


def test_mem001_bodies_without_the_duty_are_not_asked():
    s = mini()
    s.add(Body(id="charity", name="A Charity", kind="other"))
    s.add(Relation(kind="serves", source="charity", target="U1"))
    assert found(s, "MEM001") == []


def test_mem002_responsible_authority_not_in_csp():
    s = mini()
    s.add(Body(id="fire", name="Mini Fire", kind="fire_and_rescue_authority",
               duties=frozenset({"csp_responsible_authority"})))
    s.add(Relation(kind="serves", source="fire", target="U1"))
    (f,) = found(s, "MEM002")
    assert f.message == "Mini Fire serves Town (U1) but is not a member of Town CSP, the Community Safety Partnership there"
    s.add(Relation(kind="member_of", source="fire", target="town-csp"))
    assert found(s, "MEM002") == []


def test_mem003_area_without_an_authority_of_a_kind():
    s = mini()
    s.add(Body(id="fire", name="Mini Fire", kind="fire_and_rescue_authority"))
    s.add(Relation(kind="serves", source="fire", target="C1"))
    (f,) = found(s, "MEM003")
    assert f.message == "Town (U1) has no fire and rescue authority serving it"
    assert f.areas == ("U1",)
    # kinds no area is served by are not asked about (mini records no ICB at all)
    assert not any("integrated care board" in x.message for x in found(s, "MEM003"))
    s.add(Relation(kind="serves", source="fire", target="U1"))
    assert found(s, "MEM003") == []


def test_membership_rules_are_warnings():
    assert {RULES[c].severity.value for c in ("MEM001", "MEM002", "MEM003")} == {"warning"}
