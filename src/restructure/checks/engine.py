"""Running the rules: on one date, between two structures, and over a timeline.

A gap that exists only between two phases of a scenario is what planners
most need to see, so :func:`check_timeline` checks a dated structure on every
date given and on the day before each, runs the transition rules between
consecutive dates, and reports each finding once, from the first date it was
found until the first date it no longer was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from .config import Config
from .registry import RULES, Finding, Severity, rules
from .snapshot import Records, Snapshot

__all__ = ["Report", "run_state", "run_transition", "check_timeline", "evaluation_dates", "change_dates"]

_DAY = dt.timedelta(days=1)


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)


def _state(snap: Snapshot, config: Config) -> list[Finding]:
    out: list[Finding] = []
    for r in rules("state"):
        if config.enabled(r.code):
            out += r.run(snap, severity=config.severity_of(r))
    return out


def _transition(before: Snapshot, after: Snapshot, config: Config) -> list[Finding]:
    out: list[Finding] = []
    for r in rules("transition"):
        if config.enabled(r.code):
            out += r.run(before, after, severity=config.severity_of(r))
    return out


def run_state(structure, on: dt.date, config: Config | None = None) -> list[Finding]:
    """Run every enabled state rule on a structure as it stands on a date.

    Parameters
    ----------
    structure : Structure
        A dated structure. Lineage rules read ended records, so pass the dated
        structure rather than ``structure.as_of(on)``.
    on : datetime.date
    config : Config, optional
        Rules switched off and severities changed; default: every rule as shipped.

    Returns
    -------
    list of Finding
        Sorted by date, severity, code and message.

    Examples
    --------
    >>> import datetime as dt
    >>> from restructure.structure import Structure
    >>> s = Structure.from_yaml("areas: [{id: E06000038, name: Reading, kind: unitary}]")
    >>> [f.code for f in run_state(s, dt.date(2026, 11, 25))]
    ['CSP001', 'SVD001']
    """
    return _sorted(_state(Snapshot(structure, on), config or Config()))


def run_transition(
    before, after, on: dt.date, config: Config | None = None, before_on: dt.date | None = None
) -> list[Finding]:
    """Run every enabled transition rule from ``before`` (on ``before_on``, default ``on``) to ``after`` on ``on``."""
    return _sorted(_transition(Snapshot(before, before_on or on), Snapshot(after, on), config or Config()))


def evaluation_dates(dates: Iterable[dt.date]) -> list[dt.date]:
    """Each date and the day before it, sorted and without repeats.

    Examples
    --------
    >>> import datetime as dt
    >>> evaluation_dates([dt.date(2028, 4, 1), dt.date(2027, 5, 6)])
    [datetime.date(2027, 5, 5), datetime.date(2027, 5, 6), datetime.date(2028, 3, 31), datetime.date(2028, 4, 1)]
    """
    out: set[dt.date] = set()
    for d in dates:
        out.add(d)
        if d > dt.date.min:
            out.add(d - _DAY)
    return sorted(out)


def change_dates(structure) -> list[dt.date]:
    """Every date something starts or ends, strategies included, sorted.

    Examples
    --------
    >>> from restructure.structure import Structure
    >>> s = Structure.from_yaml('''
    ... bodies: [{id: p, name: P, kind: community_safety_partnership, end: 2028-04-01,
    ...           strategies: [{title: S, start: 2024-01-31}]}]
    ... ''')
    >>> [d.isoformat() for d in change_dates(s)]
    ['2024-01-31', '2028-04-01']
    """
    return list(Records(structure).dates)


@dataclass(frozen=True)
class Report:
    """What a check found, ready to render.

    Attributes
    ----------
    subject : str
        What was checked (a structure's or scenario's name).
    dates : tuple of datetime.date
        Every date checked, sorted.
    findings : tuple of Finding
        Sorted by date, severity, code and message.
    """

    subject: str
    dates: tuple[dt.date, ...]
    findings: tuple[Finding, ...]

    @property
    def counts(self) -> dict[str, int]:
        """Number of findings per severity, every severity present."""
        out = {s.value: 0 for s in Severity}
        for f in self.findings:
            out[f.severity.value] += 1
        return out

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The error findings: any of them fails the check."""
        return tuple(f for f in self.findings if f.severity is Severity.error)

    @property
    def ok(self) -> bool:
        """True when there is no error finding."""
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--format json``."""
        return {
            "subject": self.subject,
            "dates": [d.isoformat() for d in self.dates],
            "counts": self.counts,
            "ok": self.ok,
            "findings": [f.to_dict() for f in self.findings],
        }


def _merge(per_date: list[tuple[dt.date, list[Finding]]]) -> list[Finding]:
    """Report each finding once: first date found, and the first checked date it was gone."""
    open_: dict[tuple, Finding] = {}
    done: list[Finding] = []
    for on, found in per_date:
        now = {f.identity: f for f in found}
        for key in list(open_):
            if key not in now:
                f = open_.pop(key)
                # a transition happens on a date; only states last "until" something
                done.append(f if RULES[f.code].kind == "transition" else replace(f, until=on))
        for key, f in now.items():
            open_.setdefault(key, f)
    done += open_.values()
    return _sorted(done)


def check_timeline(
    structure,
    dates: Iterable[dt.date],
    config: Config | None = None,
    *,
    base=None,
    subject: str | None = None,
    day_before: bool = True,
) -> Report:
    """Check a dated structure on every date given and the day before each.

    State rules run on the structure as it stands on each checked date;
    transition rules run between consecutive checked dates and, when ``base``
    is given, from the base to the structure on the first checked date (what
    a proposed structure loses against the current one). A finding present on
    several consecutive dates is reported once, dated the first.

    Parameters
    ----------
    structure : Structure
        A dated structure, e.g. the result of applying a whole scenario.
    dates : iterable of datetime.date
        The dates to check (a scenario's effective dates).
    day_before : bool
        Also check the day before each date (default), so that the change on
        that date shows as a transition.
    config : Config, optional
    base : Structure, optional
        The structure before: compared with ``structure`` on the first checked
        date. For a scenario's dated result it adds nothing (the day before the
        first phase is the base) and may be left out.
    subject : str, optional
        What the report is about; default the structure's name.

    Returns
    -------
    Report

    Examples
    --------
    >>> import datetime as dt
    >>> from restructure.structure import Structure
    >>> s = Structure.from_yaml('''
    ... areas: [{id: U, name: Unitary, kind: unitary}]
    ... bodies:
    ...   - {id: p, name: Old CSP, kind: community_safety_partnership, end: 2028-04-01,
    ...      strategies: [{title: Strategy}]}
    ...   - {id: q, name: New CSP, kind: community_safety_partnership, start: 2028-04-02,
    ...      strategies: [{title: Strategy}]}
    ... relations:
    ...   - {kind: covers, source: p, target: U}
    ...   - {kind: discharges, source: p, target: U}
    ...   - {kind: covers, source: q, target: U}
    ...   - {kind: discharges, source: q, target: U}
    ...   - {kind: succeeded_by, source: p, target: q, start: 2028-04-02}
    ... ''')
    >>> report = check_timeline(s, [dt.date(2028, 4, 1), dt.date(2028, 4, 2)])
    >>> for f in report.errors:
    ...     print(f.date, f.code, f.until, f.message)
    2028-04-01 CSP001 2028-04-02 Unitary (U) has no Community Safety Partnership covering it
    2028-04-01 SVD001 2028-04-02 Unitary (U) has no partnership discharging the Serious Violence Duty
    2028-04-01 TRN001 None Unitary (U) lost its Serious Violence Duty partnership between 2028-03-31 and 2028-04-01 (was Old CSP)
    2028-04-01 TRN002 None Unitary (U) lost its Community Safety Partnership between 2028-03-31 and 2028-04-01 (was Old CSP)
    """
    checked = evaluation_dates(dates) if day_before else sorted(set(dates))
    return _check_dates(structure, checked, config, base=base, subject=subject, shared={})


def _check_dates(
    structure, checked: list[dt.date], config: Config | None, *, base, subject: str | None, shared: dict
) -> Report:
    """:func:`check_timeline` on exactly these dates (sorted), with a run cache that may hold the
    structure's :class:`Records` already."""
    config = config or Config()
    per_date: list[tuple[dt.date, list[Finding]]] = []
    previous: Snapshot | None = None
    for on in checked:
        snap = Snapshot(structure, on, shared)
        # rules that look at another date reuse these two instead of building their own
        shared["snapshots"] = {on: snap} if previous is None else {previous.on: previous, on: snap}
        found = _state(snap, config)
        if previous is not None:
            found += _transition(previous, snap, config)
        elif base is not None:
            found += _transition(Snapshot(base, on), snap, config)
        per_date.append((on, found))
        previous = snap
    shared.clear()  # the snapshots refer to it: freed now by reference counting, not by the cycle collector
    return Report(subject if subject is not None else structure.name, tuple(checked), tuple(_merge(per_date)))
