"""Representation: one Strategy Board seat per upper-tier local area, held by a body for it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from .registry import Finding, Severity, rule
from .snapshot import Snapshot

__all__ = ["no_seat", "two_seats", "seat_holder_gone", "seat_for_no_local_area"]

_BOARD = """
    Basis: the Violence Prevention Partnership model (tvvpp.co.uk, "Our partnership model"): the
    Strategy Board has representatives from all the upper-tier local areas, who represent their
    local partnership structures and cascade decisions, and oversees local partners' compliance
    with the Serious Violence Duty (Police, Crime, Sentencing and Courts Act 2022 s.13: the local
    policing body may assist, monitor and report on the specified authorities).
    Seats are `seat` relations from the holder to a body of kind `strategy_board`, with `area` set
    to the local area represented. A board serving or covering areas is for the local areas within
    them; a board with no footprint is for every local area.
"""


def _area_seats(snap: Snapshot) -> dict[tuple[str, str], set[str]]:
    """(board, local area) -> holders, for live seats on boards in force."""
    boards = {b.id for b in snap.boards}
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for seat in snap.seats:
        if seat.area and seat.target in boards and seat.source in snap.bodies:
            out[(seat.target, seat.area)].add(seat.source)
    return out


@rule(
    "REP001",
    Severity.error,
    title="a local area has no seat on the Strategy Board",
    explain="""
    Each upper-tier local area (a county, or a unitary not within a county) has a voice on the
    Strategy Board. A reorganisation that creates new unitaries creates new local areas, each of
    which needs a seat from vesting day; one that abolishes a county ends the county's seat.
    """
    + _BOARD,
)
def no_seat(snap: Snapshot) -> Iterator[Finding]:
    seats = _area_seats(snap)
    for board in snap.boards:
        for area in sorted(snap.board_scope(board.id)):
            if not seats.get((board.id, area)):
                yield Finding.draft(
                    f"{snap.name_of(area)} has no seat on {board.name}", bodies=[board.id], areas=[area]
                )


@rule(
    "REP002",
    Severity.warning,
    title="a local area has two or more seats on the Strategy Board",
    explain="""
    One local area, one seat: two seats for the same area double its voice on the board, which
    usually means a seat was moved to a new holder without the old one being removed.
    """
    + _BOARD,
)
def two_seats(snap: Snapshot) -> Iterator[Finding]:
    for (board, area), holders in sorted(_area_seats(snap).items()):
        if len(holders) > 1:
            yield Finding.draft(
                f"{snap.name_of(area)} has {len(holders)} seats on {snap.name_of(board)}, held by "
                f"{snap.names(holders)}",
                bodies=[board, *holders],
                areas=[area],
            )


@rule(
    "REP003",
    Severity.error,
    title="a seat is held by a body that no longer exists or no longer serves its area",
    explain="""
    A seat is a voice only if its holder exists and is answerable for the area: it covers it,
    discharges the Serious Violence Duty for it or serves it (the area itself, an area above it or
    a part of it). After a merge or reorganisation a seat left with an abolished council or a
    dissolved partnership is an empty chair.
    """
    + _BOARD,
)
def seat_holder_gone(snap: Snapshot) -> Iterator[Finding]:
    for seat in snap.seats:
        if not seat.area or seat.area not in snap.areas:
            continue  # REP004
        holder, board, area = seat.source, seat.target, seat.area
        if holder not in snap.bodies:
            yield Finding.draft(
                f"the seat for {snap.name_of(area)} on {snap.name_of(board)} is held by "
                f"{snap.name_of(holder)}, which is not in force",
                bodies=[holder, board],
                areas=[area],
            )
        elif not snap.reaches(holder, area):
            yield Finding.draft(
                f"the seat for {snap.name_of(area)} on {snap.name_of(board)} is held by "
                f"{snap.name_of(holder)}, which does not cover, discharge for or serve it",
                bodies=[holder, board],
                areas=[area],
            )


@rule(
    "REP004",
    Severity.warning,
    title="a seat is for an area that is not a local area, or on a board that no longer exists",
    explain="""
    A seat represents an upper-tier local area on a board in force. A seat for an abolished county,
    a district, or an area now within a new unitary represents nobody the board is for; a seat on a
    dissolved board is a voice on nothing. The areas that lost their voice show as REP001.
    """
    + _BOARD,
)
def seat_for_no_local_area(snap: Snapshot) -> Iterator[Finding]:
    local = {a.id for a in snap.local_areas}
    for seat in snap.seats:
        holder, board, area = seat.source, seat.target, seat.area
        if board not in snap.bodies:
            yield Finding.draft(
                f"{snap.name_of(holder)} holds a seat on {snap.name_of(board)}, which is not in force",
                bodies=[holder, board],
                areas=[area] if area else [],
            )
        elif area and area not in local:
            why = "is not in force" if area not in snap.areas else "is not an upper-tier local area"
            yield Finding.draft(
                f"{snap.name_of(holder)} holds a seat on {snap.name_of(board)} for "
                f"{snap.name_of(area)}, which {why}",
                bodies=[holder, board],
                areas=[area],
            )
