"""Legal basis: a change should say under what authority it happens.

Operations and phases carry an optional ``basis`` (an order, a decision, a
statute), which every change event records. These transition rules look at
the change events dated between two checked dates and ask for the basis the
law requires of that kind of change. An assumed basis (``assumed: true``)
satisfies them: the scenario says what it expects the authority to be.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import BasisKind, Body, BodyKind, ChangeEvent
from .registry import Finding, Severity, rule
from .snapshot import Snapshot

__all__ = ["reorganisation_without_order", "csp_merger_without_decision", "CSP_DECISION_KINDS"]

CSP_DECISION_KINDS = frozenset({BasisKind.pcc_decision, BasisKind.secretary_of_state_approval})
"""Bases that can authorise combining or dividing CSP areas."""


def _events(before: Snapshot, after: Snapshot, kinds: tuple[str, ...]) -> Iterator[ChangeEvent]:
    """Change events of these kinds dated after ``before`` and on or before ``after``, in id order."""
    for ev in sorted(after.structure.events.values(), key=lambda e: e.id):
        if ev.kind in kinds and before.on < ev.date <= after.on:
            yield ev


def _where(ev: ChangeEvent) -> str:
    where = f" ({ev.scenario}, {ev.phase})" if ev.scenario and ev.phase else ""
    return f"on {ev.date.isoformat()}{where}"


@rule(
    "BAS001",
    Severity.warning,
    kind="transition",
    title="a council reorganisation without a structural changes order",
    explain="""
    Councils in England are abolished and unitary councils created by a structural changes order
    made by the Secretary of State under Part 1 of the Local Government and Public Involvement in
    Health Act 2007 (after proposals invited under s.2 and implemented under s.7 and following).
    The order fixes the vesting day and names each successor council; until it is made, a
    reorganisation is a proposal. A `reorganise_councils` operation (or its phase) should say so in
    `basis: {kind: structural_changes_order, reference: ..., date: ...}`; an order not yet made is
    recorded with `assumed: true` and a note, so the board paper shows it as an assumption.

    Basis: Local Government and Public Involvement in Health Act 2007, Part 1.
    """,
)
def reorganisation_without_order(before: Snapshot, after: Snapshot) -> Iterator[Finding]:
    for ev in _events(before, after, ("reorganise_councils",)):
        if ev.basis is not None and ev.basis.kind == BasisKind.structural_changes_order:
            continue
        had = f" (its basis: {ev.basis.label()})" if ev.basis is not None else ""
        yield Finding.draft(
            f"councils {after.names(ev.predecessors)} are reorganised {_where(ev)} "
            f"without a structural changes order{had}",
            bodies=ev.predecessors,
            areas=ev.areas,
        )


def _is_csp(structure, id_: str) -> bool:
    rec = structure.get(id_)
    return isinstance(rec, Body) and rec.kind == BodyKind.community_safety_partnership


def _approved_by_pcc(structure, ev: ChangeEvent) -> bool:
    rec = structure.get(ev.approved_by) if ev.approved_by else None
    return isinstance(rec, Body) and rec.kind == BodyKind.pcc_office


@rule(
    "BAS002",
    Severity.warning,
    kind="transition",
    title="a CSP merger or split without the police and crime commissioner's decision",
    explain="""
    Community safety partnership areas are combined by a combination agreement under the Crime and
    Disorder Act 1998, s.5 and s.5A (inserted by the Police Reform and Social Responsibility Act 2011,
    Schedule 11): every responsible authority for the combined area must be a party, and the relevant
    local policing body (the police and crime commissioner) may enter into it only if it considers it
    in the interests of reducing crime and disorder, reducing re-offending or combating substance
    misuse (s.5A(1)-(2)). Where the combined area crosses police areas, the Secretary of State must
    also be a party (s.5A(5)-(6)). Dividing a combined area again ends or varies that agreement
    (s.5A(7)-(8)). So a merger or split of CSPs should record `basis: {kind: pcc_decision}` (or
    `secretary_of_state_approval`), or `approved_by` naming the PCC's office (e.g. North Yorkshire PCC
    decision 013/2014 merging six CSPs).

    Unconfirmed here: the exact subsections of s.5 that define a combined area were not checked
    against the current text on legislation.gov.uk; the s.5A wording above is as inserted in 2011.

    Basis: Crime and Disorder Act 1998, ss.5-5A, as amended by the Police Reform and Social
    Responsibility Act 2011, Schedule 11.
    """,
)
def csp_merger_without_decision(before: Snapshot, after: Snapshot) -> Iterator[Finding]:
    s = after.structure
    for ev in _events(before, after, ("merge", "split")):
        csps = sorted(i for i in {*ev.predecessors, *ev.successors} if _is_csp(s, i))
        if (ev.kind == "merge" and len(csps) < 2) or (ev.kind == "split" and not any(_is_csp(s, p) for p in ev.predecessors)):
            continue
        if (ev.basis is not None and ev.basis.kind in CSP_DECISION_KINDS) or _approved_by_pcc(s, ev):
            continue
        what = "merger" if ev.kind == "merge" else "split"
        yield Finding.draft(
            f"the CSP {what} of {after.names(ev.predecessors)} {_where(ev)} records no decision of the "
            "police and crime commissioner",
            bodies=csps,
            areas=ev.areas,
        )
