"""Structure's geography queries read the graph directly: they must answer as the plain walks did."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, note
from hypothesis import strategies as st

from restructure.checks import Snapshot
from restructure.model import UNIT_KINDS, UPPER_TIER_KINDS, Area, Relation, RelationKind, in_force
from restructure.structure import Structure, edge_key
from restructure.summary import describe_area
from test_checks_properties import BASE_DAY, SETTINGS, structures


def plain_outermost(s, kinds, on, within=None):
    """``units`` and ``local_areas`` as written first: every area in force, then its kind."""
    scope = set(s.descendants(within, on)) if within else None
    out = []
    for a in s.areas(on):
        if a.kind not in kinds or (scope is not None and a.id not in scope):
            continue
        if any(s.area(p).kind in kinds for p in s.ancestors(a.id, on)):
            continue
        out.append(a)
    return sorted(out, key=lambda a: a.id)


def plain_descendants(s, area, on):
    """Every area within one, by ``children`` at each step."""
    seen, todo = set(), [area]
    while todo:
        for c in s.children(todo.pop(), on):
            if c not in seen:
                seen.add(c)
                todo.append(c)
    return sorted(seen)


@SETTINGS
@given(structures())
def test_descendants_equal_the_walk_through_children(s):
    for on in (None, *(BASE_DAY + dt.timedelta(days=n) for n in range(-1, 8))):
        for a in s.areas():
            assert s.descendants(a.id, on) == plain_descendants(s, a.id, on)


def plain_footprint(s, area, kind, on):
    """``_footprint`` as written first: ``relations`` to the area, those above it and those below it."""
    found = {}
    for a in [area, *s.ancestors(area, on)]:
        for r in s.relations(kind, on, target=a):
            if in_force(s.graph.nodes[r.source]["record"], on):
                found[r.source] = "whole"
    for a in s.descendants(area, on):
        for r in s.relations(kind, on, target=a):
            if in_force(s.graph.nodes[r.source]["record"], on):
                found.setdefault(r.source, "part")
    for body, how in found.items():
        if how == "part" and s._covers_all(body, area, kind, on):
            found[body] = "whole"
    return found


@SETTINGS
@given(structures())
def test_footprints_equal_the_walk_through_relations(s):
    for on in (None, *(BASE_DAY + dt.timedelta(days=n) for n in range(-1, 8))):
        for a in [*(a.id for a in s.areas()), "nowhere"]:
            for kind in (RelationKind.covers, RelationKind.discharges, RelationKind.serves):
                assert s._footprint(a, kind, on) == plain_footprint(s, a, kind, on)
            assert [b.id for b in s.serving(a, on, whole=False)] == sorted(plain_footprint(s, a, RelationKind.serves, on))


@SETTINGS
@given(structures())
def test_units_and_local_areas_equal_the_plain_walk(s):
    note(s.to_yaml())
    for on in (None, *(BASE_DAY + dt.timedelta(days=n) for n in range(-1, 8))):
        for within in (None, *(a.id for a in s.areas())):
            assert s.units(on, within) == plain_outermost(s, UNIT_KINDS, on, within)
            assert s.local_areas(on, within) == plain_outermost(s, UPPER_TIER_KINDS, on, within)


@SETTINGS
@given(structures())
def test_snapshot_units_equal_the_structure_s_on_its_own_date(s):
    for n in range(-1, 8):
        on = BASE_DAY + dt.timedelta(days=n)
        view, snap = s.as_of(on), Snapshot(s, on)
        assert snap.units == view.units(on) and snap.local_areas == view.local_areas(on)


def plain_seats(s, board=None, on=None):
    """``seats`` as written first: a scan of every relation, sorted."""
    rels = s.relations(RelationKind.seat, on, target=board) if board else s.relations(RelationKind.seat, on)
    return sorted(rels, key=lambda r: (r.target, r.area or "", r.source))


def plain_seat_holders(s, area, on=None, board=None):
    return [s.body(r.source) for r in plain_seats(s, board, on) if r.area == area]


def _assert_seats_equal_the_scan(s):
    boards = sorted({r.target for r in s.relations(RelationKind.seat)} | {b.id for b in s.bodies()})
    areas = sorted({a.id for a in s.areas()} | {r.area for r in s.relations(RelationKind.seat) if r.area})
    for on in (None, *(BASE_DAY + dt.timedelta(days=n) for n in range(-1, 8))):
        for board in (None, "", *boards, "nowhere"):
            assert s.seats(board, on) == plain_seats(s, board, on)
        for area in ("", *areas, "nowhere"):
            for board in (None, *boards):
                assert s.seat_holders(area, on, board) == plain_seat_holders(s, area, on, board)


@SETTINGS
@given(structures(), st.data())
def test_seats_and_seat_holders_equal_the_scan_and_follow_edits(s, data):
    note(s.to_yaml())
    _assert_seats_equal_the_scan(s)
    bodies = sorted(b.id for b in s.bodies())
    if bodies:
        # seats that tie on board, area and holder (another start) keep the structure's order
        source, target = data.draw(st.sampled_from(bodies)), data.draw(st.sampled_from(bodies))
        area = data.draw(st.sampled_from([None, *sorted(a.id for a in s.areas())]))
        # and seats for one area on two boards, held each way round
        for start, (u, v) in zip((None, BASE_DAY + dt.timedelta(days=2), BASE_DAY, None),
                                 [(source, target)] * 3 + [(target, source)], strict=True):
            rel = Relation(kind="seat", source=u, target=v, area=area, start=start)
            if not s.graph.has_edge(u, v, edge_key(rel)):
                s.add(rel)
        _assert_seats_equal_the_scan(s)
    seats = list(s.relations(RelationKind.seat))
    if seats:
        seat = data.draw(st.sampled_from(seats))
        s.replace(seat, seat.model_copy(update={"end": BASE_DAY + dt.timedelta(days=3)}))
        _assert_seats_equal_the_scan(s)
        s.remove(data.draw(st.sampled_from(list(s.relations(RelationKind.seat)))))
        _assert_seats_equal_the_scan(s)
    for on in (BASE_DAY, BASE_DAY + dt.timedelta(days=4)):
        _assert_seats_equal_the_scan(s.as_of(on))  # a dated copy has its own index
    _assert_seats_equal_the_scan(s.copy())


def plain_board_seat_area(s, area, on):
    """``describe_area``'s board seat as written first: every seat scanned for each ancestor."""
    a = s.lookup(area, "area")
    return next((x for x in [a.id, *s.ancestors(a.id, on)] if any(r.area == x for r in s.seats(on=on))), None)


@SETTINGS
@given(structures())
def test_an_area_s_board_seat_equals_the_scan(s):
    for on in (None, *(BASE_DAY + dt.timedelta(days=n) for n in range(-1, 8))):
        for a in s.areas():
            seat = describe_area(s, a.id, on)["board_seat"]
            area = plain_board_seat_area(s, a.id, on)
            assert seat["area"] == area
            assert [h["id"] for h in seat["holders"]] == ([b.id for b in plain_seat_holders(s, area, on)] if area else [])


def plain_as_of(s, on):
    """``as_of`` as written first: add_node and add_edge for every record in force."""
    new = Structure(s.name, s.description, s.sources)
    g = new.graph
    for n, rec in s.graph.nodes(data="record"):
        if in_force(rec, on):
            g.add_node(n, record=rec)
    for u, v, k, rel in s.graph.edges(keys=True, data="record"):
        if u in g and v in g and in_force(rel, on):
            g.add_edge(u, v, key=k, record=rel)
    new.events = {k: e for k, e in s.events.items() if e.date <= on}
    return new


def _graph_in_order(s):
    """Everything of a structure's graph whose order can reach output: nodes, out- and in-edges."""
    g = s.graph
    return (
        list(g.nodes(data=True)),
        list(g.edges(keys=True, data=True)),
        [(n, list(g.in_edges(n, keys=True, data=True))) for n in g.nodes],
        [(n, list(g.successors(n)), list(g.predecessors(n))) for n in g.nodes],
    )


@SETTINGS
@given(structures())
def test_as_of_equals_adding_every_record_in_force(s):
    view = s.graph.subgraph(sorted(s.graph.nodes)[::2])
    for on in (BASE_DAY + dt.timedelta(days=n) for n in range(-1, 8)):
        got, want = s.as_of(on), plain_as_of(s, on)
        assert _graph_in_order(got) == _graph_in_order(want)
        assert (got.name, got.description, got.sources, got.events) == (want.name, want.description, want.sources, want.events)
        assert got.to_yaml() == want.to_yaml() and got == want
        # of a structure seen through a subgraph view too
        through = Structure.__new__(Structure)
        through.__dict__.update(s.__dict__)
        through.graph = view
        assert _graph_in_order(through.as_of(on)) == _graph_in_order(plain_as_of(through, on))
        # and a dated copy edits like any other structure
        got.add(Area(id="new-area", name="New", kind="county"))
        assert "new-area" in got and "new-area" not in s
