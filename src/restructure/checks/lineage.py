"""Lineage: every body that ends is succeeded or explicitly lapses, and successors cover what it did.

Lineage is recorded as ``succeeded_by`` relations (dated by the change) and
as :class:`~restructure.model.ChangeEvent` records naming predecessors and
successors. A body lapses explicitly when a change event naming it is a
lapse (its kind or description says so, as ``dissolve`` with ``lapse: true``
records) or when the body carries a ``lapse`` attribute.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

import networkx as nx

from ..model import Area, Body, ChangeEvent, RelationKind, in_force
from .registry import Finding, Severity, rule
from .snapshot import Records, Snapshot

__all__ = [
    "ended_without_successor",
    "successor_misses_area",
    "succession_gap",
    "succession_overlap",
    "area_ended_without_successor",
    "lineage_cycle",
    "lineage_index",
]

R = RelationKind
_FOOTPRINT = (R.covers, R.discharges, R.serves)
_DAY = dt.timedelta(days=1)


class _Lineage:
    """Who succeeded whom and who lapsed, read once per structure."""

    def __init__(self, snap: Snapshot) -> None:
        self.successors: dict[str, set[str]] = defaultdict(set)
        self.relations: dict[str, list] = defaultdict(list)
        for rel in snap.lineage:
            self.successors[rel.source].add(rel.target)
            self.relations[rel.source].append(rel)
        self.lapsed: set[str] = set()
        for ev in snap.structure.events.values():
            for p in ev.predecessors:
                heirs = set(ev.successors) - {p}  # a rename names the body as its own successor
                if heirs:
                    self.successors[p].update(heirs)
                elif _is_lapse(ev):
                    self.lapsed.add(p)


def _is_lapse(ev: ChangeEvent) -> bool:
    text = " ".join([ev.kind, ev.description or "", *ev.old_values]).lower()
    return "lapse" in text


def lineage_index(snap: Snapshot) -> _Lineage:
    """Who succeeded whom, built once per structure and run (lineage does not depend on the date)."""
    found = snap.shared.get("lineage")
    if found is None:
        found = snap.shared["lineage"] = _Lineage(snap)
    return found


@rule(
    "LIN001",
    Severity.error,
    title="a body ended with no successor and no explicit lapse",
    explain="""
    When a partnership, council or agency ends, its duties, memberships, seats and strategy go
    somewhere or deliberately lapse. A body with an end date but no successor (`succeeded_by`, or
    a change event naming successors) and no recorded lapse (`dissolve` with `lapse: true`, or a
    `lapse` attribute) is a silent loss: nobody can tell whether its work was meant to stop.

    Basis: the ONS Code History Database records every change of a statistical or administrative
    area with its predecessors and successors; structural changes orders under the Local Government
    and Public Involvement in Health Act 2007 name the successor council of each abolished one.
    Partnerships deserve the same record.
    """,
)
def ended_without_successor(snap: Snapshot) -> Iterator[Finding]:
    lineage = lineage_index(snap)
    for rec in snap.ended:
        if lineage.successors.get(rec.id) or rec.id in lineage.lapsed or "lapse" in rec.attributes:
            continue
        yield Finding.draft(
            f"{rec.name} ended on {rec.end.isoformat()} with no successor and no recorded lapse",
            bodies=[rec.id],
        )


@rule(
    "LIN002",
    Severity.error,
    title="a successor does not cover its predecessor's area",
    explain="""
    A successor takes over its predecessor's area: a merged CSP covers every area the merged CSPs
    covered, a successor council serves every area the abolished one did, and the parts of a split
    together cover the whole. An area the predecessor covered on the day before the change that no
    successor covers (the area itself or an area above it) on the date checked has fallen out of the
    lineage. Areas that no longer exist on the date are followed to their own successors.

    Basis: PCSC Act 2022 Sched. 1 and Crime and Disorder Act 1998 s.5: duties attach to areas, so an
    area dropped in a succession loses its partnership even when every body has a successor.
    """,
)
def successor_misses_area(snap: Snapshot) -> Iterator[Finding]:
    lineage = lineage_index(snap)
    local: dict[dt.date, Snapshot] = {}  # snapshots of other dates, dropped after this call
    for pred, rels in sorted(lineage.relations.items()):
        if not isinstance(snap.structure.get(pred), Body):
            continue
        dates = sorted({r.start for r in rels if r.start is not None and r.start <= snap.on})
        if not dates:
            continue  # not happened yet (or undated: nothing to compare)
        # Judge the succession on its own date, whatever changed since: the same
        # finding then holds on every later date and is reported once.
        key = ("LIN002", pred, dates[0])
        if key not in snap.shared:
            snap.shared[key] = _judge(snap, pred, dates[0], lineage, local)
        if snap.shared[key] is not None:
            yield snap.shared[key]


def _at(snap: Snapshot, on: dt.date, local: dict) -> Snapshot:
    """The structure on another date: a snapshot the run already has, or one built for this call."""
    if on == snap.on:
        return snap
    found = snap.shared.get("snapshots", {}).get(on) or local.get(on)
    if found is None:
        found = local[on] = Snapshot(snap.structure, on, snap.shared)
    return found


def _judge(snap: Snapshot, pred: str, when: dt.date, lineage: _Lineage, local: dict) -> Finding | None:
    before, after = _at(snap, when - _DAY, local), _at(snap, when, local)
    heirs = sorted(s for s in lineage.successors[pred] if s in after.bodies)
    if not heirs:
        return None  # successors not in force: other rules say what is missing
    had = before.footprint(pred)
    missed = sorted(a for a in had if not _covered(after, heirs, a, lineage))
    if not missed:
        return None
    name = snap.name_of(pred)
    verb = "is" if len(missed) == 1 else "are"
    whom = f"its successor {snap.names(heirs)}" if len(heirs) == 1 else f"any of its successors {snap.names(heirs)}"
    return Finding.draft(
        f"{snap.names(missed)}, covered by {name} before {when.isoformat()}, {verb} not covered by {whom}",
        bodies=[pred, *heirs],
        areas=missed,
    )


def _covered(snap: Snapshot, heirs: list[str], area: str, lineage: _Lineage, depth: int = 0) -> bool:
    if area in snap.areas:
        return any(h in snap.entire(k, area) for h in heirs for k in _FOOTPRINT)
    nexts = [a for a in lineage.successors.get(area, ()) if isinstance(snap.structure.get(a), Area)]
    if not nexts or depth > 10:
        return True  # an area that ended without lineage: nothing to compare against
    return all(_covered(snap, heirs, a, lineage, depth + 1) for a in nexts)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _succession_date(rel, pred, succ) -> dt.date | None:
    """When the successor took over: the lineage's date, else the successor's start, else the end."""
    return rel.start or succ.start or pred.end


@rule(
    "LIN003",
    Severity.warning,
    title="a gap between a predecessor's end and its successor's start",
    explain="""
    A successor should be in force on the day its predecessor ends (the end date is the first day
    no longer in force, the start date the first day in force). When it starts later, nobody holds
    the predecessor's duties, memberships and seats in between: the finding gives the days.
    A shadow period runs the other way (the successor starts first) and is not a gap.

    Basis: Local Government (Structural Changes) orders vest the new council on the day the old
    ones are abolished, so that no area is without a council; Crime and Disorder Act 1998 s.5 and
    the PCSC Act 2022 Sched. 1 attach the CSP and Serious Violence duties to whoever is in force,
    so a gap in lineage is a gap in the duties.
    """,
)
def succession_gap(snap: Snapshot) -> Iterator[Finding]:
    for rel in sorted(snap.lineage, key=lambda r: r.key):
        pred, succ = snap.structure.get(rel.source), snap.structure.get(rel.target)
        if pred is None or succ is None or pred.end is None or succ.start is None:
            continue
        if succ.start <= pred.end or snap.on < pred.end:
            continue
        yield Finding.draft(
            f"{snap.name_of(pred.id)} ended on {pred.end.isoformat()}, {_days((succ.start - pred.end).days)} "
            f"before its successor {snap.name_of(succ.id)} started on {succ.start.isoformat()}",
            **_ids(snap, pred.id, succ.id),
        )


@rule(
    "LIN004",
    Severity.warning,
    title="a predecessor still in force after its successor took over",
    explain="""
    When a body or area is succeeded, it should end on the day its successor takes over. If the
    predecessor stays in force (a later end date, or none), both are in force for the same
    work: two CSPs for one area, two councils for one place, and every question about who holds
    a duty has two answers. The finding gives the days both are in force.

    Basis: a successor takes over its predecessor's statutory role (CSP responsible authority,
    Crime and Disorder Act 1998 s.5; Serious Violence Duty specified authority, PCSC Act 2022
    Sched. 1); the law knows one holder of a role for an area at a time.
    """,
)
def succession_overlap(snap: Snapshot) -> Iterator[Finding]:
    for rel in sorted(snap.lineage, key=lambda r: r.key):
        pred, succ = snap.structure.get(rel.source), snap.structure.get(rel.target)
        if pred is None or succ is None:
            continue
        when = _succession_date(rel, pred, succ)
        if when is None or snap.on < when:
            continue
        took_over = max(when, succ.start) if succ.start else when
        if pred.end is None:
            message = (
                f"{snap.name_of(pred.id)} has no end date, though {snap.name_of(succ.id)} succeeded it "
                f"on {took_over.isoformat()}: both are in force"
            )
        elif pred.end > took_over:
            message = (
                f"{snap.name_of(pred.id)} stays in force until {pred.end.isoformat()}, "
                f"{_days((pred.end - took_over).days)} after its successor {snap.name_of(succ.id)} "
                f"took over on {took_over.isoformat()}"
            )
        else:
            continue
        yield Finding.draft(message, **_ids(snap, pred.id, succ.id))


@rule(
    "LIN005",
    Severity.error,
    title="an area ended with no successor and no parts living on",
    explain="""
    An area that ends (a county abolished by a reorganisation, a district merged away) must go
    somewhere: to successor areas (`succeeded_by`, which `reorganise_councils` records) or through
    its parts, which live on inside other areas. An area that ended with neither has vanished from
    the map: partnerships, duties and Board seats that were attached to it have nowhere to go.

    Basis: the ONS Code History Database records every terminated GSS code with its successor
    codes; structural changes orders under the Local Government and Public Involvement in Health
    Act 2007 say which new area each abolished one becomes part of.
    """,
)
def area_ended_without_successor(snap: Snapshot) -> Iterator[Finding]:
    structure = snap.structure
    ended = snap.shared.get("ended-areas-without-successor")
    if ended is None:  # the same on every date of a run: found once
        with_successor = {rel.source for rel in snap.lineage}
        ended = snap.shared["ended-areas-without-successor"] = sorted(
            (rec for _, rec in Records.of(structure, snap.shared).dated_nodes
             if isinstance(rec, Area) and rec.end is not None and rec.id not in with_successor),
            key=lambda a: a.id,
        )
    for rec in ended:
        if snap.on < rec.end:
            continue
        parts = structure.descendants(rec.id, rec.end - _DAY)
        if any(in_force(structure.get(p), snap.on) for p in parts):
            continue
        yield Finding.draft(
            f"{rec.name} ({rec.id}) ended on {rec.end.isoformat()} with no successor area and no parts living on",
            areas=[rec.id],
        )


@rule(
    "LIN006",
    Severity.error,
    title="a lineage cycle",
    explain="""
    Lineage runs forward in time: a body or area is succeeded by a later one. A chain of
    `succeeded_by` links that comes back to where it started (A succeeded by B, B by A) cannot be
    history; it is a mistake in the file, and asking who does A's work now has no answer.
    Structure files with a cycle are refused when loaded; this rule finds cycles in structures
    built in code or read from the store.

    Basis: the ONS Code History Database, which records each change of a GSS code as
    predecessor to successor, never as a cycle.
    """,
)
def lineage_cycle(snap: Snapshot) -> Iterator[Finding]:
    cycles = snap.shared.get("lineage-cycles")
    if cycles is None:
        graph = nx.DiGraph((rel.source, rel.target) for rel in snap.lineage)
        found = []
        for cycle in nx.simple_cycles(graph):
            first = cycle.index(min(cycle))
            found.append(tuple(cycle[first:] + cycle[:first]))
        cycles = snap.shared["lineage-cycles"] = sorted(found)
    for cycle in cycles:
        yield Finding.draft(
            f"lineage goes round in a circle: {' -> '.join([*cycle, cycle[0]])}",
            **_ids(snap, *cycle),
        )


def _ids(snap: Snapshot, *ids: str) -> dict[str, list[str]]:
    """Sort ids into the finding's bodies and areas."""
    rec = {i: snap.structure.get(i) for i in ids}
    return {
        "bodies": [i for i in ids if isinstance(rec[i], Body)],
        "areas": [i for i in ids if isinstance(rec[i], Area)],
    }
