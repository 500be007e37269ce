"""Properties: the checks never raise, and valid merges of a covered baseline keep coverage."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from restructure.apply import apply
from restructure.checks import Snapshot, check_timeline
from restructure.model import Area, AreaKind, Body, BodyKind, ChangeEvent, Relation, RelationKind, Strategy
from restructure.operations import Merge
from restructure.structure import Structure

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DAYS = st.integers(min_value=0, max_value=6)
BASE_DAY = dt.date(2027, 1, 1)


def _span(draw):
    start = draw(st.one_of(st.none(), DAYS))
    end = draw(st.one_of(st.none(), DAYS))
    if start is not None and end is not None and end <= start:
        end = None
    day = lambda n: None if n is None else BASE_DAY + dt.timedelta(days=n)  # noqa: E731
    return day(start), day(end)


@st.composite
def structures(draw):
    s = Structure("random")
    n_areas = draw(st.integers(1, 8))
    areas = []
    for i in range(n_areas):
        start, end = _span(draw)
        kind = draw(st.sampled_from(list(AreaKind)))
        s.add(Area(id=f"A{i}", name=f"Area {i}", kind=kind, start=start, end=end))
        areas.append(f"A{i}")
        if i and draw(st.booleans()):
            # parents come earlier: geography stays acyclic
            parent = draw(st.sampled_from(areas[:-1]))
            ps, pe = _span(draw)
            s.add(Relation(kind="within", source=f"A{i}", target=parent, start=ps, end=pe))
    n_bodies = draw(st.integers(0, 7))
    bodies = []
    for i in range(n_bodies):
        start, end = _span(draw)
        strategies = tuple(
            Strategy(title="S", start=a, end=b) for a, b in [_span(draw) for _ in range(draw(st.integers(0, 2)))]
        )
        attributes = {"lapse": "yes"} if draw(st.booleans()) and end else {}
        s.add(Body(id=f"b{i}", name=f"Body {i}", kind=draw(st.sampled_from(list(BodyKind))),
                   start=start, end=end, strategies=strategies, attributes=attributes,
                   duties=frozenset(draw(st.sets(st.sampled_from(["serious_violence_duty", "csp_responsible_authority"]))))))
        bodies.append(f"b{i}")
    events = []
    if bodies:
        for j in range(draw(st.integers(0, 2))):
            ev = ChangeEvent(id=f"e{j}", date=BASE_DAY + dt.timedelta(days=draw(DAYS)),
                             kind=draw(st.sampled_from(["merge", "lapse", "rename", "dissolve"])),
                             predecessors=tuple(draw(st.lists(st.sampled_from(bodies), max_size=2))),
                             successors=tuple(draw(st.lists(st.sampled_from(bodies), max_size=2))))
            s.add(ev)
            events.append(ev.id)
        for _ in range(draw(st.integers(0, 14))):
            kind = draw(st.sampled_from([k for k in RelationKind if k != RelationKind.within]))
            source = draw(st.sampled_from(bodies))
            if kind in (RelationKind.covers, RelationKind.discharges, RelationKind.serves):
                target = draw(st.sampled_from(areas))
            elif kind == RelationKind.succeeded_by and draw(st.booleans()):
                source, target = draw(st.sampled_from(areas)), draw(st.sampled_from(areas))
            else:
                target = draw(st.sampled_from(bodies))
            start, end = _span(draw)
            area = draw(st.sampled_from(areas)) if kind == RelationKind.seat and draw(st.booleans()) else None
            event = draw(st.sampled_from(events)) if events and kind == RelationKind.succeeded_by and draw(st.booleans()) else None
            rel = Relation(kind=kind, source=source, target=target, start=start, end=end, area=area, event=event)
            if not any(r.key == rel.key for r in s.relations(kind, source=source)):
                s.add(rel)
    return s


@SETTINGS
@given(structures())
def test_checks_never_raise(s):
    dates = [BASE_DAY + dt.timedelta(days=n) for n in range(7)]
    report = check_timeline(s, dates)
    assert report.to_dict()["counts"] == report.counts
    for f in report.findings:
        assert f.code and f.message and f.date in report.dates


@SETTINGS
@given(structures(), DAYS)
def test_snapshot_agrees_with_structure_queries(s, n):
    note(s.to_yaml())
    on = BASE_DAY + dt.timedelta(days=n)
    snap = Snapshot(s, on)
    view = s.as_of(on)
    assert [a.id for a in snap.units] == [a.id for a in view.units(on)]
    assert [a.id for a in snap.local_areas] == [a.id for a in view.local_areas(on)]
    for a in snap.areas:
        for kind in (RelationKind.covers, RelationKind.discharges):
            expected = view._footprint(a, kind, on)
            assert sorted(snap.entire(kind, a)) == sorted(b for b, how in expected.items() if how == "whole")
            assert sorted(snap.parts(kind, a)) == sorted(b for b, how in expected.items() if how == "part")
        assert sorted(snap.serving(a)) == [b.id for b in view.serving(a, on)]
        assert sorted(snap.serving(a, whole=False)) == [b.id for b in view.serving(a, on, whole=False)]


def covered_baseline(n_unitaries: int, n_districts: int) -> Structure:
    """A force area of unitaries and a two-tier county, each unit with its own CSP discharging the Duty."""
    s = Structure("covered")
    s.add(Area(id="F", name="Force", kind="police_force_area"))
    s.add(Area(id="C", name="County", kind="county"))
    s.add(Relation(kind="within", source="C", target="F"))
    s.add(Body(id="board", name="Board", kind="strategy_board"))
    units = [(f"U{i}", "unitary", "F") for i in range(n_unitaries)] + [(f"D{i}", "district", "C") for i in range(n_districts)]
    for uid, kind, parent in units:
        s.add(Area(id=uid, name=f"Area {uid}", kind=kind))
        s.add(Relation(kind="within", source=uid, target=parent))
        s.add(Body(id=f"csp-{uid}", name=f"CSP {uid}", kind="community_safety_partnership",
                   strategies=(Strategy(title=f"Strategy {uid}"),)))
        s.add(Relation(kind="covers", source=f"csp-{uid}", target=uid))
        s.add(Relation(kind="discharges", source=f"csp-{uid}", target=uid))
    for local in [u for u, k, _ in units if k == "unitary"] + (["C"] if n_districts else []):
        holder = f"csp-{local}" if local != "C" else "csp-D0"
        s.add(Relation(kind="seat", source=holder, target="board", area=local))
    return s


@st.composite
def merge_plans(draw):
    n_u, n_d = draw(st.integers(0, 3)), draw(st.integers(1, 3))
    s = covered_baseline(n_u, n_d)
    live = sorted(b.id for b in s.bodies() if b.kind == BodyKind.community_safety_partnership)
    plan = []
    day = BASE_DAY
    for k in range(draw(st.integers(1, 3))):
        if len(live) < 2:
            break
        group = draw(st.lists(st.sampled_from(live), min_size=2, max_size=len(live), unique=True))
        new = draw(st.booleans())
        into = f"merged-{k}" if new else draw(st.sampled_from(group))
        day = day + dt.timedelta(days=draw(st.integers(1, 400)))
        plan.append((day, tuple(sorted(group)), into, new))
        live = sorted((set(live) - set(group)) | {into})
    return s, plan


@SETTINGS
@given(merge_plans())
def test_valid_merges_of_a_covered_baseline_leave_no_coverage_findings(plan):
    s, merges = plan
    for day, group, into, new in merges:
        body = Body(id=into, name=f"Merged {into}", kind="community_safety_partnership") if new else None
        s = apply(s, [Merge(bodies=group, into=into, new=body)], day).structure
    report = check_timeline(s, [d for d, *_ in merges])
    coverage = [f for f in report.findings if f.code[:3] in ("SVD", "CSP") or f.code in ("TRN001", "TRN002")]
    assert coverage == []
    assert report.ok, [f"{f.code} {f.message}" for f in report.errors]
