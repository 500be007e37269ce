"""Structure's geography queries read the graph directly: they must answer as the plain walks did."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, note

from restructure.checks import Snapshot
from restructure.model import UNIT_KINDS, UPPER_TIER_KINDS, RelationKind, in_force
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
