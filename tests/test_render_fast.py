"""The focused render's fast paths give what the plain walks give (issue 19).

``Structure.relations`` walks networkx's adjacency, ``Structure.seats_for`` answers from an
index, and ``views.cut`` builds the focused structure directly: each is checked here against
the slow way it replaces (networkx's edge views, a scan of every relation, ``as_of`` of a
subgraph view), on structures with dated, ended and replaced records.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SCENARIOS
from restructure.apply import run_scenario
from restructure.model import RelationKind as R
from restructure.model import in_force
from restructure.render import to_dot, views
from restructure.structure import Structure
from test_structure_queries import plain_descendants

DATES = [None, dt.date(2020, 1, 1), dt.date(2024, 6, 1), dt.date(2027, 3, 31), dt.date(2028, 4, 1), dt.date(2031, 1, 1)]


@pytest.fixture(scope="module")
def changed() -> Structure:
    """The Thames Valley baseline after a scenario: ended and new bodies, areas and relations."""
    return run_scenario(SCENARIOS / "oxfordshire" / "two-unitaries.yaml").structure


def slow_relations(s: Structure, kind=None, on=None, source=None, target=None) -> list:
    """``Structure.relations`` as it was: networkx's edge views, filtered."""
    if source is not None:
        if source not in s.graph:
            return []
        edges = s.graph.out_edges(source, data="record")
    elif target is not None:
        if target not in s.graph:
            return []
        edges = s.graph.in_edges(target, data="record")
    else:
        edges = s.graph.edges(data="record")
    return [rel for _, _, rel in edges
            if (kind is None or rel.kind == kind) and (target is None or rel.target == target) and in_force(rel, on)]


def slow_cut(s: Structure, focus: views.Focus, on: dt.date, areas: bool = True) -> Structure:
    """``views.cut`` as it was: ``as_of`` of a networkx subgraph view, always with the focus's
    areas (the fast cut leaves them out for the views that draw bodies only)."""
    if focus.bodies is None:
        return s.as_of(on)
    nodes = set(focus.bodies) | set(focus.areas or ())
    for b in focus.bodies:
        for rel in s.relations(source=b, on=on):
            if rel.kind in views._AREA_RELATIONS:
                nodes.add(rel.target)
            if rel.area:
                nodes.add(rel.area)
    for n in list(nodes):
        if isinstance(s.get(n), views.Area):
            nodes.update(s.ancestors(n, on))
    part = Structure(s.name, s.description, s.sources)
    part.graph = s.graph.subgraph(nodes)
    part.events = s.events
    return part.as_of(on)


def _same_graph(a: Structure, b: Structure) -> None:
    """The same records. (Not the same order: a subgraph view iterates its node set in hash
    order, which changes from one process to the next; the fast cut keeps the structure's order.
    What is drawn is compared too, below.)"""
    assert dict(a.graph.nodes(data="record")) == dict(b.graph.nodes(data="record"))
    edges = sorted(a.graph.edges(keys=True, data="record"), key=repr)
    assert edges == sorted(b.graph.edges(keys=True, data="record"), key=repr)
    assert a.events == b.events


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_relations_equal_the_edge_view_walk(changed, data):
    ids = sorted(changed.graph.nodes) + ["no-such-id"]
    kind = data.draw(st.sampled_from([None, *R, "seat"]))
    on = data.draw(st.sampled_from(DATES))
    source = data.draw(st.one_of(st.none(), st.sampled_from(ids)))
    target = data.draw(st.one_of(st.none(), st.sampled_from(ids)))
    if source is not None and target is None and data.draw(st.booleans()):
        # a target the source really relates to (else most pairs are empty)
        ends = sorted(changed.graph.successors(source)) if source in changed.graph else []
        target = data.draw(st.sampled_from(ends)) if ends else None
    for s in (changed, Structure.__new__(Structure)):
        if s is not changed:  # the same structure seen through a subgraph view (what a cut used to be)
            s.__dict__.update(changed.__dict__)
            s.graph = changed.graph.subgraph(ids[::2])
        got = list(s.relations(kind, on, source=source, target=target))
        assert got == slow_relations(s, kind, on, source, target)


def test_seats_for_equals_a_scan_and_follows_edits(changed):
    s = changed.copy()
    areas = {rel.area for rel in s.relations(R.seat) if rel.area}
    assert len(areas) >= 5
    for on in DATES:
        for a in sorted(areas) + ["no-such-area"]:
            assert s.seats_for(a, on) == [r for r in s.relations(R.seat, on) if r.area == a]
    # edits through add, remove and replace rebuild the index
    seat = next(r for r in s.relations(R.seat) if r.area)
    s.remove(seat)
    assert seat not in s.seats_for(seat.area)
    s.add(seat)
    assert seat in s.seats_for(seat.area)
    other = sorted(areas - {seat.area})[0]
    moved = seat.model_copy(update={"area": other})
    s.remove(seat)
    s.add(moved)
    assert moved in s.seats_for(other) and seat not in s.seats_for(seat.area)
    ended = moved.model_copy(update={"end": dt.date(2025, 1, 1)})
    s.replace(moved, ended)
    assert ended in s.seats_for(other) and ended not in s.seats_for(other, dt.date(2026, 1, 1))
    # a copy or a dated view has its own index
    assert s.copy().seats_for(other) == s.seats_for(other)
    assert s.as_of(dt.date(2024, 6, 1)).seats_for(other) == s.seats_for(other, dt.date(2024, 6, 1))


@pytest.mark.parametrize("on", [dt.date(2024, 6, 1), dt.date(2028, 4, 1)])
def test_cut_equals_the_subgraph_view_cut_for_every_focus(changed, on, monkeypatch):
    ids = sorted(n for n, rec in changed.graph.nodes(data="record") if in_force(rec, on))
    assert len(ids) > 50
    for focus in ids:
        f = views.focus_on(changed, focus, on)
        _same_graph(views.cut(changed, f, on), slow_cut(changed, f, on))
    # and what is drawn is the same, for each view
    for focus in ids[::7]:
        fast = {v: to_dot(changed, v, focus=focus, on=on) for v in views.VIEWS}
        with monkeypatch.context() as m:
            m.setattr(views, "cut", slow_cut)
            assert {v: to_dot(changed, v, focus=focus, on=on) for v in views.VIEWS} == fast


def test_focus_on_an_area_finds_the_bodies_holding_its_seats(changed):
    on = dt.date(2024, 6, 1)
    seat = next(r for r in changed.relations(R.seat, on) if r.area)
    f = views.focus_on(changed, seat.area, on)
    assert seat.source in f.bodies and seat.target in f.bodies


def test_records_walk_equals_the_node_and_edge_views(changed):
    views_order = [rec for _, rec in changed.graph.nodes(data="record")]
    views_order += [rel for _, _, rel in changed.graph.edges(data="record")]
    assert list(changed.records()) == views_order + list(changed.events.values())



def test_edge_records_equal_the_edge_view(changed):
    from restructure.structure import edge_records

    assert list(edge_records(changed.graph)) == list(changed.graph.edges(keys=True, data="record"))
    view = changed.graph.subgraph(sorted(changed.graph.nodes)[::3])
    assert list(edge_records(view)) == list(view.edges(keys=True, data="record"))


def test_descendants_equal_the_walk_through_children(changed):
    areas = sorted(a.id for a in changed.areas()) + ["no-such-area"]
    found = 0
    for on in DATES:
        for a in areas:
            got = changed.descendants(a, on)
            assert got == plain_descendants(changed, a, on)
            found += len(got)
    assert found > 20
