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


def test_mem004_statutory_member_serving_none_of_the_area():
    s = mini()
    s.add(Relation(kind="member_of", source="town-council", target="north-csp", role="statutory"))
    s.add(Relation(kind="member_of", source="vale-dc", target="north-csp", role="co-opted"))
    (f,) = found(s, "MEM004")
    assert f.message == (
        "Town Council is a statutory member of North CSP but serves none of its area (North (D1)): it serves Town (U1)"
    )
    assert (f.severity.value, f.bodies, f.areas) == ("warning", ("north-csp", "town-council"), ("D1",))
    assert found(mini(), "MEM004") == []
    explain = " ".join(RULES["MEM004"].explain.split())
    assert "Statutory basis: Crime and Disorder Act 1998 s.5" in explain
    assert "Police, Crime, Sentencing and Courts Act 2022 s.11 and Schedule 1" in explain


def test_mem004_on_the_two_unitary_option_before_memberships_followed_the_area():
    """The structure the old operations made: each new council kept the other's CSP seats."""
    import datetime as dt

    from restructure.apply import run_scenario
    from restructure.baseline import SCENARIOS

    s = run_scenario(SCENARIOS / "oxfordshire" / "two-unitaries.yaml").structure
    on = dt.date(2028, 10, 1)
    assert found(s, "MEM004", on) == []
    s.add(Relation(kind="member_of", source="ridgeway-council", target="oxford-and-shires-csp", role="statutory", start=on))
    (f,) = found(s, "MEM004", on)
    assert f.bodies == ("oxford-and-shires-csp", "ridgeway-council")
    assert s.required_members("oxford-and-shires-csp", on).superfluous[0].id == "ridgeway-council"
