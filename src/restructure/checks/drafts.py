"""Drafts: what a register still holds as placeholders for the planner to confirm."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..model import is_draft
from .registry import Finding, Severity, rule
from .snapshot import Snapshot

__all__ = ["still_draft"]


def _what(note: str) -> str:
    """The note's first sentence after ``Draft:``: what there is to confirm."""
    text = note.strip()[len("Draft:"):].strip()
    first = text.split(". ", 1)[0].rstrip(".")
    return first or "to confirm"


@rule(
    "DRF001",
    Severity.info,
    title="a record is still a draft to confirm",
    explain="""
    `restructure new-area` builds a register from public data, but some of it cannot come from a
    lookup: which partnerships really exist (ONS CSP areas are statistical labels, frozen since
    2017), who discharges the Serious Violence Duty, the youth justice services, the integrated care
    board(s) and the probation region, and the strategy board and its seats. Those records are
    written as drafts, their note beginning `Draft:` with what to confirm. This rule lists every
    draft body in force, and each board's draft seats, so `restructure check` on a fresh register is
    the planner's to-do list. To confirm a record, replace its note with what was checked and add
    its source to `sources:`; the finding goes away.
    Information only: a draft is not an error, but the checks' other answers are only as good as
    the drafts behind them.

    Basis: the registers the checks rely on are the partnership's own (Crime and Disorder Act 1998
    s.5 responsible authorities; Police, Crime, Sentencing and Courts Act 2022 Sched. 1 specified
    authorities); public lookups give only areas, councils, police and fire.
    """,
)
def still_draft(snap: Snapshot) -> Iterator[Finding]:
    for body in sorted(snap.bodies.values(), key=lambda b: b.id):
        if is_draft(body):
            yield Finding.draft(f"{body.name} ({body.id}) is a draft: {_what(body.note)}", bodies=[body.id])
    seats: dict[str, set[str]] = defaultdict(set)
    for seat in snap.seats:
        if seat.target in snap.bodies and is_draft(seat):
            seats[seat.target].add(seat.area or seat.source)
    for board, held in sorted(seats.items()):
        n = len(held)
        yield Finding.draft(
            f"{n} seat{'s' if n != 1 else ''} on {snap.name_of(board)} {'are drafts' if n != 1 else 'is a draft'}: "
            f"for {snap.names(held)}",
            bodies=[board],
            areas=[a for a in held if a in snap.areas],
        )
