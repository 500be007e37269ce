"""The checks' Snapshot reads records once per run (Records): it must equal the straightforward one.

The reference below is the per-date pass the Snapshot made before (every
node and every edge, ``in_force`` on each). The indexed Snapshot, the change
dates and whole reports must be the same, in the same order, on every date:
on random dated structures and on the national structure with dated edits.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, note

from restructure.checks import Snapshot, check_structure, check_timeline
from restructure.checks import engine as engine_module
from restructure.checks.engine import change_dates
from restructure.checks.snapshot import Records
from restructure.model import Area, Body, Relation, RelationKind, in_force
from restructure.structure import edge_records
from test_checks_properties import BASE_DAY, DAYS, SETTINGS, structures

R = RelationKind


def reference_parts(structure, on):
    """What the Snapshot holds on a date, by one plain pass over every record."""
    areas, bodies, ended = {}, {}, []
    for node_id, rec in structure.graph.nodes(data="record"):
        if in_force(rec, on):
            (areas if isinstance(rec, Area) else bodies)[node_id] = rec
        elif rec.end is not None and rec.end <= on and isinstance(rec, Body):
            ended.append(rec)
    live, dangling, lineage, parents = defaultdict(list), [], [], {}
    for u, v, _, rel in edge_records(structure.graph):
        if rel.kind == R.succeeded_by:
            lineage.append(rel)
        if not in_force(rel, on):
            continue
        if rel.kind == R.within:
            if u in areas and v in areas:
                live[rel.kind].append(rel)
                parents[u] = tuple(sorted({*parents.get(u, ()), v}))
            else:
                dangling.append(rel)
        elif (u in areas or u in bodies) and (v in areas or v in bodies):
            live[rel.kind].append(rel)
        else:
            dangling.append(rel)
    return {
        "areas": areas, "bodies": bodies, "ended": sorted(ended, key=lambda b: b.id), "live": dict(live),
        "dangling": dangling, "lineage": lineage, "parents": parents,
    }


def parts(snap: Snapshot) -> dict:
    return {
        "areas": snap.areas, "bodies": snap.bodies, "ended": snap.ended, "live": dict(snap.live),
        "dangling": snap.dangling, "lineage": snap.lineage, "parents": snap.parents,
    }


def same_in_order(got: dict, want: dict) -> None:
    assert got == want
    for key in ("areas", "bodies", "parents", "live"):  # dict order too (a dict == ignores it)
        assert list(got[key]) == list(want[key]) or key == "live", key
    for kind in want["live"]:
        assert got["live"][kind] == want["live"][kind]


def reference_change_dates(structure) -> list[dt.date]:
    found = set(structure.dates())
    for _, rec in structure.graph.nodes(data="record"):
        for strategy in getattr(rec, "strategies", ()):
            found.update(d for d in (strategy.start, strategy.end) if d is not None)
    return sorted(found)


class ReferenceSnapshot(Snapshot):
    """A Snapshot filled by the plain pass: the checks on it are the checks as they were."""

    def __init__(self, structure, on, shared=None):
        super().__init__(structure, on, shared)
        for key, value in reference_parts(structure, on).items():
            setattr(self, key, defaultdict(list, value) if key == "live" else value)


@SETTINGS
@given(structures())
def test_indexed_snapshots_equal_the_plain_pass_on_every_date(s):
    note(s.to_yaml())
    shared: dict = {}
    for n in range(-1, 8):
        on = BASE_DAY + dt.timedelta(days=n)
        want = reference_parts(s, on)
        same_in_order(parts(Snapshot(s, on, shared)), want)  # one Records for every date
        same_in_order(parts(Snapshot(s, on)), want)  # its own
    assert change_dates(s) == reference_change_dates(s) == Records(s).dates


@SETTINGS
@given(structures(), DAYS)
def test_reports_equal_those_on_plain_snapshots(s, n):
    dates = [BASE_DAY + dt.timedelta(days=n)]
    fast = check_timeline(s, dates)
    today = BASE_DAY + dt.timedelta(days=n % 3)
    fast_structure = check_structure(s, today=today)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine_module, "Snapshot", ReferenceSnapshot)
        assert fast == check_timeline(s, dates)
        assert fast_structure == check_structure(s, today=today)


# -- the national structure ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def national_dated():
    """England and Wales with small areas (the bench's), and a few dated edits through it."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    try:
        from bench_national import national
    finally:
        sys.path.pop(0)
    s = national(2023)
    change = dt.date(2028, 4, 1)
    smalls = sorted(a.id for a in s.areas() if a.id.startswith("E01"))[:40]
    for i, area in enumerate(smalls[:20]):  # re-parented on the change date
        old = next(s.relations(R.within, source=area))
        s.replace(old, old.model_copy(update={"end": change}))
        target = smalls[20 + i % 5]
        s.add(Relation(kind="within", source=area, target=target, start=change))
    for area in smalls[30:35]:  # small areas abolished
        s.replace(s.area(area), s.area(area).model_copy(update={"end": change}))
    bodies = sorted(b.id for b in s.bodies())
    for body in bodies[:3]:  # bodies ending, one succeeded
        s.replace(s.body(body), s.body(body).model_copy(update={"end": change}))
    s.add(Body(id="heir", name="Heir", kind="community_safety_partnership", start=change))
    s.add(Relation(kind="succeeded_by", source=bodies[0], target="heir", start=change))
    s.add(Relation(kind="covers", source="heir", target=smalls[0], start=change))
    return s, change


def test_national_snapshots_equal_the_plain_pass(national_dated):
    s, change = national_dated
    shared: dict = {}
    for on in (change - dt.timedelta(days=1), change):
        same_in_order(parts(Snapshot(s, on, shared)), reference_parts(s, on))
    assert change_dates(s) == reference_change_dates(s)


def test_national_report_equals_the_one_on_plain_snapshots(national_dated):
    s, change = national_dated
    today = change - dt.timedelta(days=30)
    fast = check_structure(s, today=today)
    assert fast.dates == (today, change - dt.timedelta(days=1), change)
    assert any(f.code == "LIN001" for f in fast.findings)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine_module, "Snapshot", ReferenceSnapshot)
        assert fast == check_structure(s, today=today)
