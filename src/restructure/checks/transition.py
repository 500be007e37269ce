"""Transition: what an area had before a change and lost after it.

Transition rules compare two snapshots: the day before and the day of a
phase of a scenario, or a base structure and a proposed one on the same
date. Areas that no longer exist after the change are followed to the areas
that succeeded them (``succeeded_by`` between areas) or, for a local area, to
the new local areas its former districts now lie within.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import COUNCIL_KINDS, Area, RelationKind
from .coverage import DUTY_IN_FORCE
from .registry import Finding, Severity, from_date, rule
from .snapshot import Snapshot

__all__ = ["coverage_lost", "csp_lost", "representation_lost", "vanished_without_event", "host_council_abolished"]

R = RelationKind


def _between(before: Snapshot, after: Snapshot) -> str:
    if before.on == after.on:
        return f"on {after.on.isoformat()}"
    return f"between {before.on.isoformat()} and {after.on.isoformat()}"


def _area_successors(before: Snapshot, after: Snapshot, area: str) -> list[str]:
    """Where an area went: itself if still in force, else its successor areas in force (transitively)."""
    if area in after.areas:
        return [area]
    seen, out, todo = {area}, [], [area]
    rels = [r for r in after.lineage + before.lineage]
    while todo:
        a = todo.pop()
        for r in rels:
            if r.source == a and r.target not in seen and isinstance(after.structure.get(r.target), Area):
                seen.add(r.target)
                (out if r.target in after.areas else todo).append(r.target)
    return sorted(out)


def _lost(before: Snapshot, after: Snapshot, kind: RelationKind) -> Iterator[tuple[str, frozenset[str]]]:
    for unit in before.units:
        had = before.entire(kind, unit.id) | before.parts(kind, unit.id)
        if not had:
            continue
        for area in _area_successors(before, after, unit.id):
            if not (after.entire(kind, area) or after.parts(kind, area)):
                yield unit.id if area == unit.id else area, had


@rule(
    "TRN001",
    Severity.error,
    kind="transition",
    title="an area lost its Serious Violence Duty partnership in a change",
    explain="""
    The question planners ask of every phase: does any area lose the partnership that discharges
    the Serious Violence Duty for it? An area (or the area that succeeded it) that had one before a
    change and has none after it is uncovered from that date. Checked between the day before and
    the day of each effective date, so a gap between two phases shows even when the end state is
    whole.

    Statutory basis: Police, Crime, Sentencing and Courts Act 2022, Part 2 Chapter 1 and Schedule 1
    (the Duty applies continuously to every district and unitary area).
    """,
)
@from_date(DUTY_IN_FORCE, "the Serious Violence Duty commenced on 31 January 2023")
def coverage_lost(before: Snapshot, after: Snapshot) -> Iterator[Finding]:
    for area, had in _lost(before, after, R.discharges):
        yield Finding.draft(
            f"{after.name_of(area)} lost its Serious Violence Duty partnership {_between(before, after)} "
            f"(was {before.names(had)})",
            bodies=had,
            areas=[area],
        )


@rule(
    "TRN002",
    Severity.error,
    kind="transition",
    title="an area lost its Community Safety Partnership in a change",
    explain="""
    An area (or the area that succeeded it) that was covered by a Community Safety Partnership
    before a change and is covered by none after it has no statutory partnership from that date.

    Statutory basis: Crime and Disorder Act 1998 ss.5-6.
    """,
)
def csp_lost(before: Snapshot, after: Snapshot) -> Iterator[Finding]:
    for area, had in _lost(before, after, R.covers):
        yield Finding.draft(
            f"{after.name_of(area)} lost its Community Safety Partnership {_between(before, after)} "
            f"(was {before.names(had)})",
            bodies=had,
            areas=[area],
        )


def _seated(snap: Snapshot) -> dict[str, set[str]]:
    """Local area -> holders of its seats on boards in force."""
    boards = {b.id for b in snap.boards}
    out: dict[str, set[str]] = {}
    for seat in snap.seats:
        if seat.area and seat.target in boards and seat.source in snap.bodies:
            out.setdefault(seat.area, set()).add(seat.source)
    return out


@rule(
    "TRN003",
    Severity.error,
    kind="transition",
    title="a local area lost its voice on the Strategy Board in a change",
    explain="""
    A local area that had a Strategy Board seat before a change must still have one after it; when
    the area itself is abolished (a county whose districts become unitaries), each new local area
    that now holds part of it must have one. The finding names the area that lost its voice and
    who held the seat before.
    """
    + """
    Basis: the Violence Prevention Partnership model (tvvpp.co.uk, "Our partnership model"): the
    Strategy Board has representatives from all the upper-tier local areas.
    """,
)
def representation_lost(before: Snapshot, after: Snapshot) -> Iterator[Finding]:
    had = _seated(before)
    has = _seated(after)
    local_before = {a.id for a in before.local_areas}
    local_after = {a.id for a in after.local_areas}
    for area in sorted(had):
        if area not in local_before:
            continue  # REP004 on the before side
        if area in local_after:
            heirs = [area]
        else:
            within = before.units_within.get(area, frozenset()) | {area}
            heirs = sorted({h for a in within if a in after.areas and (h := after.local_area_of(a)) is not None})
        for heir in heirs:
            if heir not in has:
                part = "" if heir == area else f", which now holds {before.name_of(area)} or part of it,"
                yield Finding.draft(
                    f"{after.name_of(heir)}{part} has no Strategy Board seat {_between(before, after)} "
                    f"(held before by {before.names(had[area])})",
                    bodies=had[area],
                    areas=sorted({area, heir}),
                )


@rule(
    "TRN004",
    Severity.warning,
    kind="transition",
    title="a body vanished without a change event",
    explain="""
    Every body that ends in a scenario does so by an operation that records a change event (a
    dissolve, merge or reorganisation) naming its successors or its lapse. A body that is in force
    before and gone after, with no change event, no lineage and no recorded lapse, was edited out of
    the structure by hand: the history cannot say what happened to its duties, members and seats.

    Basis: record keeping, as the ONS Code History Database does for every change of an area.
    """,
)
def vanished_without_event(before: Snapshot, after: Snapshot) -> Iterator[Finding]:
    gone = [b for b in before.bodies if b not in after.bodies]
    if not gone:
        return
    named: set[str] = {r.source for r in after.lineage}
    for ev in after.structure.events.values():
        if ev.date <= after.on:
            named.update(set(ev.predecessors) - set(ev.successors))  # not a rename
    for body in sorted(gone):
        rec = after.structure.get(body)
        if body in named or (rec is not None and "lapse" in getattr(rec, "attributes", {})):
            continue
        how = "ended" if rec is not None else "was removed"
        yield Finding.draft(
            f"{before.name_of(body)} {how} {_between(before, after)} with no change event",
            bodies=[body],
        )


def _hosts(snap: Snapshot, body: str) -> frozenset[str]:
    """Councils in force that a body answers to (``accountable_to``)."""
    return frozenset(
        r.target
        for r in snap.live.get(R.accountable_to, ())
        if r.source == body and r.target in snap.bodies and snap.bodies[r.target].kind in COUNCIL_KINDS
    )


@rule(
    "TRN005",
    Severity.warning,
    kind="transition",
    title="a service run by a council that was abolished in a change now answers to several councils, or none",
    explain="""
    Some specified authorities are run by a council rather than standing alone: a county council
    that is the fire and rescue authority (its fire and rescue service), a youth justice service
    established by an upper-tier council. When that council is abolished and its functions pass to
    several successor councils, the service answers to all of them at once (or, if no successor
    took the line, to none): who holds its functions from vesting day - one host council, a joint
    committee, or a new combined authority - is a question the structural changes order or the
    councils must settle. The finding names the service, the abolished council and who it answers
    to after the change. A service recorded as answering to one council (a lead authority) after
    the change is not a finding.
    A warning: joint arrangements are lawful, but the question must be answered before vesting.

    Statutory basis: Fire and Rescue Services Act 2004 ss.1-4 (fire and rescue authorities); Crime
    and Disorder Act 1998 s.39 (youth offending teams, by each upper-tier council, alone or jointly);
    Local Government and Public Involvement in Health Act 2007 Part 1 (structural changes orders
    transfer the abolished councils' functions).
    """,
)
def host_council_abolished(before: Snapshot, after: Snapshot) -> Iterator[Finding]:
    for body in sorted(after.bodies):
        if after.bodies[body].kind in COUNCIL_KINDS or body not in before.bodies:
            continue
        had = _hosts(before, body)
        gone = {h for h in had if h not in after.bodies}
        if not gone:
            continue
        has = _hosts(after, body)
        if has and len(has) <= len(had):
            continue
        now = f"now answers to {after.names(has)}" if has else "now answers to no council"
        yield Finding.draft(
            f"{after.name_of(body)} was run by {before.names(gone)}, abolished {_between(before, after)}, and "
            f"{now}: who holds its functions is not settled",
            bodies=[body, *gone, *has],
        )
