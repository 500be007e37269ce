"""Membership: the authorities that serve an area sit in the partnership for it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..model import BodyKind, Duty, RelationKind
from .coverage import DUTY_IN_FORCE
from .registry import Finding, Severity, from_date, rule
from .snapshot import Snapshot

__all__ = ["duty_holder_not_member", "responsible_authority_not_member", "authority_missing", "member_serves_none"]

R = RelationKind


def _missing(snap: Snapshot, relation: RelationKind, duty: Duty) -> dict[tuple[str, str], set[str]]:
    """(body, partnership) -> units where the body serves but is not a member."""
    missing: dict[tuple[str, str], set[str]] = defaultdict(set)
    for unit in snap.units:
        partnerships = snap.entire(relation, unit.id)
        if not partnerships:
            continue  # no partnership: a coverage finding, not a membership one
        for body in sorted(snap.reaching(R.serves, unit.id)):
            if duty not in snap.bodies[body].duties:
                continue
            for p in partnerships:
                if body != p and body not in snap.all_members(p):
                    missing[(body, p)].add(unit.id)
    return missing


@rule(
    "MEM001",
    Severity.warning,
    title="a Serious Violence Duty specified authority is not a member of the partnership discharging the Duty",
    explain="""
    The specified authorities serving an area (police, fire and rescue, integrated care board,
    probation, youth justice, and the councils - county and district in two-tier areas) must
    collaborate on the Serious Violence Duty there. When one of them is not a member of the
    partnership that discharges the Duty for the area, the strategy is written without it. After a
    merge or reorganisation this shows a membership that was not carried over.
    It is a warning: authorities may collaborate through other routes (a sub-group, a co-opted seat)
    that the structure does not record. Membership through a partnership that is a member of, or
    accountable to, the one discharging the Duty counts (a district council in its CSP, which
    reports to the countywide partnership).

    Statutory basis: Police, Crime, Sentencing and Courts Act 2022 s.11 and Schedule 1 (specified
    authorities and the unit of coverage); Serious Violence Duty statutory guidance (Home Office,
    December 2022): partnerships choose their arrangements, CSPs being the usual vehicle.
    """,
)
@from_date(DUTY_IN_FORCE, "the Serious Violence Duty commenced on 31 January 2023")
def duty_holder_not_member(snap: Snapshot) -> Iterator[Finding]:
    missing = _missing(snap, R.discharges, Duty.serious_violence_duty)
    for (body, p), units in sorted(missing.items()):
        yield Finding.draft(
            f"{snap.name_of(body)} serves {snap.names(units)} but is not a member of "
            f"{snap.name_of(p)}, which discharges the Serious Violence Duty there",
            bodies=[body, p],
            areas=units,
        )


@rule(
    "MEM002",
    Severity.warning,
    title="a CSP responsible authority is not a member of the Community Safety Partnership covering its area",
    explain="""
    The responsible authorities of a CSP are the councils for the area (county and district in
    two-tier areas), the police, the fire and rescue authority, the integrated care board and the
    probation provider. A body recorded with the `csp_responsible_authority` duty that serves an
    area but is not a member of the CSP covering it is missing from the statutory partnership.

    Statutory basis: Crime and Disorder Act 1998 s.5 (responsible authorities) and s.6 (strategies).
    """,
)
def responsible_authority_not_member(snap: Snapshot) -> Iterator[Finding]:
    missing = _missing(snap, R.covers, Duty.csp_responsible_authority)
    for (body, p), units in sorted(missing.items()):
        yield Finding.draft(
            f"{snap.name_of(body)} serves {snap.names(units)} but is not a member of "
            f"{snap.name_of(p)}, the Community Safety Partnership there",
            bodies=[body, p],
            areas=units,
        )


_AUTHORITIES = (
    ("police force", (BodyKind.police_force,)),
    ("fire and rescue authority", (BodyKind.fire_and_rescue_authority,)),
    ("integrated care board", (BodyKind.integrated_care_board,)),
    ("probation service", (BodyKind.probation_service,)),
    ("youth justice service", (BodyKind.youth_justice_service,)),
    ("council", (BodyKind.county_council, BodyKind.district_council, BodyKind.unitary_council)),
)


@rule(
    "MEM003",
    Severity.warning,
    title="an area has no specified authority of one kind serving it",
    explain="""
    Every district or unitary area is served by a police force, a fire and rescue authority, an
    integrated care board, a probation service, a youth justice service and its council(s). When a
    reorganisation ends the area an agency served (a county) without moving the agency to the new
    councils' areas, the new area has no such authority on record, and nobody of that kind sits in
    its partnership. Only kinds that serve some area in the structure on the date are checked, so a
    structure that does not record agencies is not flooded.

    Statutory basis: Police, Crime, Sentencing and Courts Act 2022 s.11 and Schedule 1 (specified
    authorities, each for the areas it operates in); Crime and Disorder Act 1998 s.5.
    """,
)
def authority_missing(snap: Snapshot) -> Iterator[Finding]:
    present = {snap.bodies[b].kind for b in snap.footprints_by_kind(R.serves)}
    missing: dict[str, set[str]] = defaultdict(set)
    for unit in snap.units:
        kinds = {snap.bodies[b].kind for b in snap.reaching(R.serves, unit.id)}
        for label, wanted in _AUTHORITIES:
            if any(k in present for k in wanted) and not any(k in kinds for k in wanted):
                missing[label].add(unit.id)
    for label, units in sorted(missing.items()):
        verb = "has" if len(units) == 1 else "have"
        yield Finding.draft(f"{snap.names(units)} {verb} no {label} serving it", areas=units)


@rule(
    "MEM004",
    Severity.warning,
    title="a statutory member of a partnership serves none of its area",
    explain="""
    Who must sit on a Community Safety Partnership follows from the law and from who serves its
    area: the councils for the area (county and district in two-tier areas), the chief officer of
    police, the fire and rescue authority, the integrated care board and the probation provider. A
    partnership that discharges the Serious Violence Duty brings in the specified authorities for
    its area too, adding the youth offending teams. A statutory member that serves none of the
    areas the partnership covers or discharges the Duty for is not a responsible authority for it:
    usually a membership carried over from a predecessor (a county council's seat on a district
    CSP passed to a new unitary that lies elsewhere). Bodies that serve no area on record
    (partnerships, offices) are not judged. `restructure members PARTNERSHIP` lists who must sit,
    who does, who is missing and who should not.

    Statutory basis: Crime and Disorder Act 1998 s.5 (responsible authorities: each council for the
    area, the chief officer of police, the fire and rescue authority, the integrated care board,
    the provider of probation services); for Duty partnerships, Police, Crime, Sentencing and
    Courts Act 2022 s.11 and Schedule 1 (specified authorities, each for the areas it serves).
    """,
)
def member_serves_none(snap: Snapshot) -> Iterator[Finding]:
    serving = snap.footprints_by_kind(R.serves)
    footprint: dict[str, set[str]] = defaultdict(set)
    for kind in (R.covers, R.discharges):
        for rel in snap.live.get(kind, ()):
            if rel.source in snap.bodies and rel.target in snap.areas:
                footprint[rel.source].add(rel.target)
    statutory: dict[str, set[str]] = defaultdict(set)
    for rel in snap.live.get(R.member_of, ()):
        if rel.role == "statutory" and rel.source in snap.bodies and rel.target in footprint:
            statutory[rel.target].add(rel.source)
    for p in sorted(statutory):
        reached: set[str] = set()
        for a in footprint[p]:
            reached |= snap.reaching(R.serves, a)
        for body in sorted(statutory[p]):
            if body in serving and body not in reached:
                yield Finding.draft(
                    f"{snap.name_of(body)} is a statutory member of {snap.name_of(p)} but serves none of "
                    f"its area ({snap.names(footprint[p])}): it serves {snap.names(snap.footprint(body))}",
                    bodies=[body, p],
                    areas=sorted(footprint[p]),
                )
