"""Coverage: every unit has exactly one partnership discharging the Duty, and one CSP.

"Discharging" and "covering" are different questions: in Oxfordshire the
district CSPs cover, and the countywide Safer Oxfordshire Partnership
discharges the Serious Violence Duty. So the Duty rules (``SVD``) read
``discharges`` relations and the CSP footprint rules (``CSP``) read
``covers``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..model import RelationKind
from .registry import Finding, Severity, from_date, rule
from .snapshot import Snapshot

__all__ = [
    "no_duty_partnership",
    "two_duty_partnerships",
    "duty_in_parts",
    "no_csp",
    "DUTY_IN_FORCE",
    "two_csps",
    "csp_in_parts",
]

R = RelationKind

DUTY_IN_FORCE = dt.date(2023, 1, 31)
"""The Serious Violence Duty commenced (PCSC Act 2022 Part 2; Home Office statutory guidance)."""

_SCHED1 = """
    Statutory basis: Police, Crime, Sentencing and Courts Act 2022, Part 2 Chapter 1 and Schedule 1.
    The specified authorities (police, fire and rescue, integrated care boards, councils, probation,
    youth justice) must collaborate to prevent and reduce serious violence in the local government
    area. The unit of coverage is the district or unitary area: a county council is a specified
    authority for each district in its area. So coverage is checked per district or unitary
    (`Structure.units`), and a partnership discharging the Duty for a county discharges it for each
    district within it. The Duty commenced on 31 January 2023: earlier dates are not checked.
"""

_CDA = """
    Statutory basis: Crime and Disorder Act 1998 ss.5-6: the responsible authorities for each local
    government area (the councils, police, fire and rescue authority, ICB and probation provider)
    must together formulate and implement strategies to reduce crime and disorder - the Community
    Safety Partnership. CSP areas follow council areas; merging CSP areas needs the Police and Crime
    Commissioner's approval (Police Reform and Social Responsibility Act 2011).
"""


@rule(
    "SVD001",
    Severity.error,
    title="no partnership discharges the Serious Violence Duty for an area",
    explain="""
    Every district or unitary area needs a local partnership that discharges the Serious Violence
    Duty there: one that holds the strategic needs assessment and the Serious Violence Strategy for
    it. An area with none has no strategy, no annual review and no partner accountable for it; if it
    happens only between two phases of a restructure (an old partnership ends before the new one
    starts), the area is uncovered for those days.
    Fix: give the area a `discharges` relation from a partnership (or one over an area above it).
    """
    + _SCHED1,
)
@from_date(DUTY_IN_FORCE, "the Serious Violence Duty commenced on 31 January 2023")
def no_duty_partnership(snap: Snapshot) -> Iterator[Finding]:
    for unit in snap.units:
        if snap.entire(R.discharges, unit.id) or snap.parts(R.discharges, unit.id):
            continue  # parts only: SVD003 says which
        yield Finding.draft(
            f"{snap.name_of(unit.id)} has no partnership discharging the Serious Violence Duty",
            areas=[unit.id],
        )


@rule(
    "SVD002",
    Severity.error,
    title="two or more partnerships discharge the Serious Violence Duty for an area",
    explain="""
    One area, one strategy: when two partnerships both discharge the Duty for the same district or
    unitary, two strategies and two needs assessments claim the same area and neither is clearly
    accountable. It usually shows after a merge or transfer that added the new partnership but did
    not end the old one's `discharges` relation.
    """
    + _SCHED1,
)
@from_date(DUTY_IN_FORCE, "the Serious Violence Duty commenced on 31 January 2023")
def two_duty_partnerships(snap: Snapshot) -> Iterator[Finding]:
    for unit in snap.units:
        found = snap.entire(R.discharges, unit.id)
        if len(found) > 1:
            yield Finding.draft(
                f"{snap.name_of(unit.id)} has {len(found)} partnerships discharging the Serious Violence "
                f"Duty: {snap.names(found)}",
                bodies=found,
                areas=[unit.id],
            )


@rule(
    "SVD003",
    Severity.error,
    title="the Serious Violence Duty is discharged for an area only in parts",
    explain="""
    After a reorganisation a new unitary is one unit of coverage, but the partnerships carried over
    may each discharge the Duty for only one of its former districts (now parts of it). The new
    council's area then has no single strategy: each part is covered by a different one. Planners
    re-grade this to a warning for the months a transition order allows the old arrangements to run
    on.
    """
    + _SCHED1,
)
@from_date(DUTY_IN_FORCE, "the Serious Violence Duty commenced on 31 January 2023")
def duty_in_parts(snap: Snapshot) -> Iterator[Finding]:
    for unit in snap.units:
        if snap.entire(R.discharges, unit.id):
            continue
        parts = snap.parts(R.discharges, unit.id)
        if parts:
            yield Finding.draft(
                f"{snap.name_of(unit.id)} has the Serious Violence Duty discharged only in parts, by "
                f"{snap.names(parts)}",
                bodies=parts,
                areas=[unit.id],
            )


@rule(
    "CSP001",
    Severity.error,
    title="no Community Safety Partnership covers an area",
    explain="""
    Every district or unitary area must have a Community Safety Partnership: the statutory
    partnership of its responsible authorities. The CSP footprint is recorded by `covers`
    relations (a countywide partnership that only discharges the Serious Violence Duty, like Safer
    Oxfordshire, is not the CSP).
    """
    + _CDA,
)
def no_csp(snap: Snapshot) -> Iterator[Finding]:
    for unit in snap.units:
        if snap.entire(R.covers, unit.id) or snap.parts(R.covers, unit.id):
            continue
        yield Finding.draft(
            f"{snap.name_of(unit.id)} has no Community Safety Partnership covering it", areas=[unit.id]
        )


@rule(
    "CSP002",
    Severity.error,
    title="two or more Community Safety Partnerships cover an area",
    explain="""
    A district or unitary area belongs to one CSP (several areas may share a joint CSP, like South
    and Vale). Two CSPs covering the same area duplicate the statutory partnership and split its
    responsible authorities.
    """
    + _CDA,
)
def two_csps(snap: Snapshot) -> Iterator[Finding]:
    for unit in snap.units:
        found = snap.entire(R.covers, unit.id)
        if len(found) > 1:
            yield Finding.draft(
                f"{snap.name_of(unit.id)} is covered by {len(found)} Community Safety Partnerships: "
                f"{snap.names(found)}",
                bodies=found,
                areas=[unit.id],
            )


@rule(
    "CSP003",
    Severity.error,
    title="an area is covered only in parts by Community Safety Partnerships",
    explain="""
    After a reorganisation the new council's area is one CSP area, but if the former CSPs simply
    carry on, each covers one former district (a part of the new unitary) and the unitary has no CSP
    of its own. The finding names the CSPs that would have to merge (with the PCC's approval).
    """
    + _CDA,
)
def csp_in_parts(snap: Snapshot) -> Iterator[Finding]:
    for unit in snap.units:
        if snap.entire(R.covers, unit.id):
            continue
        parts = snap.parts(R.covers, unit.id)
        if parts:
            yield Finding.draft(
                f"{snap.name_of(unit.id)} is covered only in parts, by {snap.names(parts)}",
                bodies=parts,
                areas=[unit.id],
            )
