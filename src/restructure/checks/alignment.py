"""Alignment: partnerships line up with the geography of the bodies they depend on."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import AreaKind, BodyKind, RelationKind
from .registry import Finding, Severity, rule
from .snapshot import Snapshot

__all__ = ["prevention_partnership_misaligned", "straddles_agencies"]

_FOOTPRINT = (RelationKind.covers, RelationKind.discharges, RelationKind.serves)


@rule(
    "ALN001",
    Severity.warning,
    title="a Prevention Partnership is not aligned to exactly one upper-tier area",
    explain="""
    Prevention Partnerships are formed by the upper-tier partnerships, one per local area, to
    identify young people at risk of being drawn into violence and case-manage them through a
    Young Futures Prevention Panel. One spanning two local areas answers to two councils' children's
    services; one covering only part of an area leaves the rest without a panel. Its area is what it
    covers, discharges for or serves.
    A warning: whether the Crime and Policing Bill makes Prevention Partnerships statutory is
    unconfirmed (see the Prevention Partnerships notes in scenarios/baseline/thames-valley.yaml).

    Basis: tvvpp.co.uk, "Our partnership model": during 2025/2026 all nine upper-tier partnerships
    prepare to form Prevention Partnerships; Home Office Young Futures programme (pilot panels live
    October-November 2025 across the 20 VRU areas).
    """,
)
def prevention_partnership_misaligned(snap: Snapshot) -> Iterator[Finding]:
    for body in sorted(snap.bodies.values(), key=lambda b: b.id):
        if body.kind != BodyKind.prevention_partnership:
            continue
        fp = snap.footprint(body.id)
        if not fp:
            yield Finding.draft(f"{body.name} serves no area", bodies=[body.id])
            continue
        touched: set[str] = set()
        for a in fp:
            within = snap.local_areas_within.get(a)
            if within:
                touched |= within
            elif snap.local_area_of(a) is not None:
                touched.add(snap.local_area_of(a))
        whole = {la for la in touched if any(body.id in snap.entire(k, la) for k in _FOOTPRINT)}
        if len(touched) > 1:
            yield Finding.draft(
                f"{body.name} spans {len(touched)} upper-tier areas: {snap.names(touched)}",
                bodies=[body.id],
                areas=touched,
            )
        elif touched and len(whole) != len(touched):
            yield Finding.draft(
                f"{body.name} covers only part of {snap.names(touched)}", bodies=[body.id], areas=touched
            )
        elif not touched:
            yield Finding.draft(
                f"{body.name} serves {snap.names(fp)}, which is not within any upper-tier area",
                bodies=[body.id],
                areas=fp,
            )


_AGENCIES = (
    ("fire and rescue authorities", BodyKind.fire_and_rescue_authority),
    ("integrated care boards", BodyKind.integrated_care_board),
)


@rule(
    "ALN002",
    Severity.warning,
    title="a partnership's area straddles two fire and rescue authorities, ICBs or police force areas",
    explain="""
    Coterminosity: a partnership works best when each responsible authority deals with it as one
    whole. A partnership whose area straddles two fire and rescue authorities, two integrated care
    boards or two police force areas has members answering to different bodies for different
    parts of it (the Ridgeway option, for instance, crosses the Berkshire / Oxfordshire line of the
    fire authorities). A warning: lawful, but a cost planners should see. Strategy boards are
    exempt: they span the force area by design.

    Basis: Crime and Disorder Act 1998 s.5 (each CSP's responsible authorities include the fire and
    rescue authority, ICB and chief officer of police for its area); the South and Vale CSP was
    formed in 2011 to be coterminous with the local police area (Vale of White Horse DC reports).
    """,
)
def straddles_agencies(snap: Snapshot) -> Iterator[Finding]:
    pfa_of: dict[str, frozenset[str]] = {}
    for body in sorted(snap.bodies.values(), key=lambda b: b.id):
        if not body.is_partnership or body.kind == BodyKind.strategy_board:
            continue
        fp = snap.footprint(body.id)
        if not fp:
            continue
        places: set[str] = set()
        for a in fp:
            places |= snap.units_within.get(a) or {a}
        for label, kind in _AGENCIES:
            found: set[str] = set()
            for a in places:
                found |= {b for b in snap.reaching(RelationKind.serves, a) if snap.bodies[b].kind == kind}
            if len(found) > 1:
                yield Finding.draft(
                    f"{body.name} straddles {len(found)} {label}: {snap.names(found)}",
                    bodies=[body.id, *found],
                    areas=fp,
                )
        forces: set[str] = set()
        for a in places:
            if a not in pfa_of:
                pfa_of[a] = frozenset(
                    x for x in snap.upward(a) if snap.areas[x].kind == AreaKind.police_force_area
                )
            forces |= pfa_of[a]
        if len(forces) > 1:
            yield Finding.draft(
                f"{body.name} straddles {len(forces)} police force areas: {snap.names(forces)}",
                bodies=[body.id],
                areas=forces,
            )
