"""Representation rules: one Strategy Board seat per local area, held by a body for it (REP00x)."""

from __future__ import annotations

import datetime as dt

from mini import ON, found, mini
from restructure.checks import run_state
from restructure.model import Area, Body, Relation


def seat(s, area):
    (rel,) = [r for r in s.seats("board") if r.area == area]
    return rel


def test_rep001_local_area_without_seat():
    s = mini()
    s.remove(seat(s, "U1"))
    (f,) = found(s, "REP001")
    assert f.message == "Town (U1) has no seat on Strategy Board"
    assert (f.severity.value, f.bodies, f.areas) == ("error", ("board",), ("U1",))
    assert found(mini(), "REP001") == []


def test_rep001_new_unitary_needs_a_seat():
    s = mini()
    s.add(Area(id="U9", name="New Town", kind="unitary", start=dt.date(2028, 4, 1)))
    s.add(Relation(kind="within", source="U9", target="P1"))
    assert found(s, "REP001", dt.date(2028, 3, 31)) == []
    assert [f.areas for f in found(s, "REP001", dt.date(2028, 4, 1))] == [("U9",)]


def test_rep001_board_scope_follows_its_footprint():
    s = mini()
    s.add(Area(id="P2", name="Other Force", kind="police_force_area"))
    s.add(Area(id="U5", name="Elsewhere", kind="unitary"))
    s.add(Relation(kind="within", source="U5", target="P2"))
    assert [f.areas for f in found(s, "REP001")] == [("U5",)]  # a board with no footprint is for all
    s.add(Relation(kind="serves", source="board", target="P1"))
    assert found(s, "REP001") == []  # the board is for the first force area only


def test_no_board_no_representation_findings():
    s = mini()
    for rel in list(s.relations(source="board")) + list(s.relations(target="board")):
        s.remove(rel)
    s.remove(s.body("board"))
    assert [f for f in run_state(s, ON) if f.code.startswith("REP")] == []


def test_rep002_two_seats_for_one_area():
    s = mini()
    s.add(Relation(kind="seat", source="town-council", target="board", area="U1"))
    (f,) = found(s, "REP002")
    assert f.message == "Town (U1) has 2 seats on Strategy Board, held by Town CSP and Town Council"
    assert f.severity.value == "warning"
    assert found(mini(), "REP002") == []


def test_rep003_seat_held_by_ended_body():
    s = mini()
    town = s.body("town-csp")
    s.replace(town, town.model_copy(update={"end": dt.date(2027, 1, 1)}))
    (f,) = found(s, "REP003", dt.date(2027, 1, 1))
    assert f.message == "the seat for Town (U1) on Strategy Board is held by Town CSP, which is not in force"
    assert found(s, "REP003", dt.date(2026, 12, 31)) == []


def test_rep003_seat_held_by_body_not_serving_the_area():
    s = mini()
    s.remove(seat(s, "U1"))
    s.add(Relation(kind="seat", source="north-csp", target="board", area="U1"))
    (f,) = found(s, "REP003")
    assert f.message == (
        "the seat for Town (U1) on Strategy Board is held by North CSP, which does not cover, "
        "discharge for or serve it"
    )


def test_rep003_holder_reaching_part_of_the_area_is_fine():
    s = mini()
    s.remove(seat(s, "C1"))
    s.add(Relation(kind="seat", source="north-csp", target="board", area="C1"))
    assert found(s, "REP003") == []


def test_rep004_seat_for_area_that_is_not_local():
    s = mini()
    s.add(Relation(kind="seat", source="north-csp", target="board", area="D1"))
    (f,) = found(s, "REP004")
    assert f.message == "North CSP holds a seat on Strategy Board for North (D1), which is not an upper-tier local area"
    c1 = s.area("C1")
    s.replace(c1, c1.model_copy(update={"end": dt.date(2028, 4, 1)}))
    msgs = [f.message for f in found(s, "REP004", dt.date(2028, 4, 1))]
    assert "Safer Shire holds a seat on Strategy Board for Shire (C1), which is not in force" in msgs


def test_rep004_seat_on_a_board_that_ended():
    s = mini()
    s.add(Body(id="old-board", name="Old Board", kind="strategy_board", end=dt.date(2026, 1, 1)))
    s.add(Relation(kind="seat", source="town-csp", target="old-board", area="U1"))
    (f,) = found(s, "REP004")
    assert f.message == "Town CSP holds a seat on Old Board, which is not in force"
