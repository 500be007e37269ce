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

from ..model import Area, Body, ChangeEvent, RelationKind, in_force
from .registry import Finding, Severity, rule
from .snapshot import Snapshot

__all__ = ["ended_without_successor", "successor_misses_area", "lineage_index"]

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
                if ev.successors:
                    self.successors[p].update(ev.successors)
                elif _is_lapse(ev):
                    self.lapsed.add(p)


def _is_lapse(ev: ChangeEvent) -> bool:
    text = " ".join([ev.kind, ev.description or "", *ev.old_values]).lower()
    return "lapse" in text


def lineage_index(snap: Snapshot) -> _Lineage:
    """The lineage of the snapshot's structure (built once per snapshot)."""
    found = snap.__dict__.get("_lineage")
    if found is None:
        found = snap.__dict__["_lineage"] = _Lineage(snap)
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


def _footprint_on(structure, body: str, on: dt.date) -> set[str]:
    return {
        r.target
        for r in structure.relations(source=body)
        if r.kind in _FOOTPRINT and in_force(r, on)
    }


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
    structure = snap.structure
    for pred, rels in sorted(lineage.relations.items()):
        if not isinstance(structure.get(pred), Body):
            continue
        started = [r.start for r in rels if r.start is not None and r.start <= snap.on]
        undated = any(r.start is None for r in rels)
        if not started and not undated:
            continue  # the succession has not happened yet
        live = sorted(s for s in lineage.successors[pred] if s in snap.bodies)
        if not live:
            continue  # successors not in force: LIN001 or REP/SVD findings say what is missing
        pred_rec = structure.get(pred)
        when = min(started) if started else pred_rec.end
        if when is None:
            continue
        before = _footprint_on(structure, pred, when - _DAY)
        missed = sorted(a for a in before if not _covered(snap, live, a, lineage))
        if missed:
            verb = "is" if len(missed) == 1 else "are"
            whom = f"its successor {snap.names(live)}" if len(live) == 1 else f"any of its successors {snap.names(live)}"
            yield Finding.draft(
                f"{snap.names(missed)}, covered by {pred_rec.name} before {when.isoformat()}, "
                f"{verb} not covered by {whom}",
                bodies=[pred, *live],
                areas=missed,
            )


def _covered(snap: Snapshot, successors: list[str], area: str, lineage: _Lineage, depth: int = 0) -> bool:
    if area in snap.areas:
        return any(a in snap.footprint(s) for s in successors for a in snap.upward(area))
    nexts = [a for a in lineage.successors.get(area, ()) if isinstance(snap.structure.get(a), Area)]
    if not nexts or depth > 10:
        return True  # an area that ended without lineage: nothing to compare against
    return all(_covered(snap, successors, a, lineage, depth + 1) for a in nexts)
