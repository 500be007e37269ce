"""Strategy continuity: the partnership discharging the Duty has a strategy in force."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from ..model import RelationKind, in_force
from .registry import Finding, Severity, from_date, rule
from .snapshot import Snapshot

__all__ = ["no_strategy_in_force", "FIRST_STRATEGIES_DUE"]

R = RelationKind

FIRST_STRATEGIES_DUE = dt.date(2024, 1, 31)
"""The first Serious Violence Strategies were due by this date (Home Office statutory guidance)."""


@rule(
    "STR001",
    Severity.error,
    title="the partnership discharging the Duty for an area has no Serious Violence Strategy in force",
    explain="""
    The partnership discharging the Serious Violence Duty for an area must prepare and publish a
    strategy to prevent and reduce serious violence there, and review it every year. A new
    partnership formed by a merge carries its predecessors' strategies over until it publishes its
    own; one created from scratch on vesting day has none, and the areas it discharges for are
    without a strategy until it does. The finding lists each partnership once with its areas.
    Strategies are the `strategies` of the partnership (`start`, `end`: in force between them).

    Statutory basis: Police, Crime, Sentencing and Courts Act 2022 s.7 (strategic needs assessment
    and strategy, published and kept under review); the first strategies were due by 31 January
    2024 (Serious Violence Duty statutory guidance, Home Office, December 2022): earlier dates are not
    checked.
    """,
)
@from_date(FIRST_STRATEGIES_DUE, "the first strategies were due by 31 January 2024")
def no_strategy_in_force(snap: Snapshot) -> Iterator[Finding]:
    without: dict[str, set[str]] = defaultdict(set)
    for unit in snap.units:
        for p in snap.entire(R.discharges, unit.id) | snap.parts(R.discharges, unit.id):
            body = snap.bodies[p]
            if not any(in_force(s, snap.on) for s in body.strategies):
                without[p].add(unit.id)
    for p, units in sorted(without.items()):
        yield Finding.draft(
            f"{snap.name_of(p)} ({p}) has no Serious Violence Strategy in force for {snap.names(units)}",
            bodies=[p],
            areas=units,
        )
