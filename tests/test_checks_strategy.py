"""Strategy continuity: the partnership discharging the Duty has a strategy in force (STR001)."""

from __future__ import annotations

import datetime as dt

from mini import found, mini


def test_str001_no_strategy_in_force():
    s = mini()
    town = s.body("town-csp")
    s.replace(town, town.model_copy(update={"strategies": ()}))
    (f,) = found(s, "STR001")
    assert f.message == "Town CSP (town-csp) has no Serious Violence Strategy in force for Town (U1)"
    assert (f.severity.value, f.bodies, f.areas) == ("error", ("town-csp",), ("U1",))
    assert found(mini(), "STR001") == []


def test_str001_strategy_not_yet_published_or_lapsed():
    s = mini()
    town = s.body("town-csp")
    (strategy,) = town.strategies
    late = strategy.model_copy(update={"start": dt.date(2024, 6, 1), "end": dt.date(2027, 1, 31)})
    s.replace(town, town.model_copy(update={"strategies": (late,)}))
    assert [f.bodies for f in found(s, "STR001", dt.date(2024, 5, 31))] == [("town-csp",)]
    assert found(s, "STR001", dt.date(2024, 6, 1)) == []
    assert found(s, "STR001", dt.date(2027, 1, 30)) == []
    assert [f.bodies for f in found(s, "STR001", dt.date(2027, 1, 31))] == [("town-csp",)]


def test_str001_not_before_the_first_strategies_were_due():
    # mini's strategies start on 2024-01-31, the day the first ones were due: never a finding
    s = mini()
    assert found(s, "STR001", dt.date(2023, 6, 1)) == []
    town = s.body("town-csp")
    s.replace(town, town.model_copy(update={"strategies": ()}))
    assert found(s, "STR001", dt.date(2024, 1, 30)) == []
    assert len(found(s, "STR001", dt.date(2024, 1, 31))) == 1


def test_str001_only_the_partnership_discharging_the_duty_needs_one():
    # the district CSPs in mini have no strategy: the countywide partnership discharges the Duty
    s = mini()
    assert s.body("north-csp").strategies == ()
    assert found(s, "STR001") == []


def test_str001_lists_each_partnership_once_with_its_areas():
    s = mini()
    shire = s.body("shire-partnership")
    s.replace(shire, shire.model_copy(update={"strategies": ()}))
    (f,) = found(s, "STR001")
    assert f.message == "Safer Shire (shire-partnership) has no Serious Violence Strategy in force for North (D1), South (D2) and Vale (D3)"
