"""Rules, their codes and what they find.

A rule is a pure function registered with :func:`rule` under a stable code
(``SVD001``), a default severity, a kind (``state``: one structure on one
date; ``transition``: a before and an after) and an explanation (rationale and
statutory basis) that ``restructure check --explain CODE`` prints. Rule
functions yield draft findings (:meth:`Finding.draft`); the registry fills in
the code, the severity the project configured and the date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import textwrap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

__all__ = ["Severity", "Finding", "Rule", "rule", "RULES", "rules", "from_date"]


class Severity(StrEnum):
    """How serious a finding is: ``error`` fails the check (exit 1)."""

    error = "error"
    warning = "warning"
    info = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for info: the order findings are listed in."""
        return _RANK[self]


_RANK = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}


@dataclass(frozen=True)
class Finding:
    """One thing a rule found, on one date (or from ``date`` until ``until``).

    Attributes
    ----------
    code : str
        The rule's code (``SVD001``).
    severity : Severity
    message : str
        One line naming the bodies and areas involved.
    date : datetime.date or None
        The first date it was found on.
    bodies, areas : tuple of str
        Ids of the bodies and areas involved, sorted.
    until : datetime.date or None
        For a timeline: the first checked date on which it was no longer found;
        ``None`` when still found on the last date checked.
    """

    code: str
    severity: Severity
    message: str
    date: dt.date | None = None
    bodies: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    until: dt.date | None = None

    @classmethod
    def draft(cls, message: str, bodies: Iterable[str] = (), areas: Iterable[str] = ()) -> Finding:
        """What a rule function yields: the registry adds code, severity and date."""
        return cls("", Severity.info, message, None, tuple(sorted(set(bodies))), tuple(sorted(set(areas))))

    @property
    def identity(self) -> tuple:
        """What makes two findings on different dates the same finding."""
        return (self.code, self.severity, self.message, self.bodies, self.areas)

    def sort_key(self) -> tuple:
        """Date, severity, code, message: the order of every report."""
        return (self.date or dt.date.min, self.severity.rank, self.code, self.message, self.bodies, self.areas)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (ISO dates)."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "date": self.date.isoformat() if self.date else None,
            "until": self.until.isoformat() if self.until else None,
            "bodies": list(self.bodies),
            "areas": list(self.areas),
        }


Kind = Literal["state", "transition"]


@dataclass(frozen=True)
class Rule:
    """A registered check.

    ``func`` takes a :class:`~restructure.checks.snapshot.Snapshot` (state
    rules) or a before and an after snapshot (transition rules) and yields
    draft findings.
    """

    code: str
    severity: Severity
    kind: Kind
    title: str
    explain: str
    func: Callable[..., Iterator[Finding]] = field(repr=False, compare=False)
    concern: str = ""

    def run(self, *snapshots, severity: Severity | None = None) -> list[Finding]:
        """Run on snapshots; findings carry this rule's code, the severity and the last snapshot's date."""
        on = snapshots[-1].on
        sev = severity or self.severity
        return [
            dataclasses.replace(f, code=self.code, severity=sev, date=on) for f in self.func(*snapshots)
        ]

    def __call__(self, structure, on: dt.date, after=None, after_on: dt.date | None = None) -> list[Finding]:
        """Check a dated structure on a date (or, for a transition rule, ``structure`` then ``after``)."""
        from .snapshot import Snapshot

        if self.kind == "state":
            return self.run(Snapshot(structure, on))
        if after is None:
            raise TypeError(f"{self.code} is a transition rule: pass the after structure")
        return self.run(Snapshot(structure, on), Snapshot(after, after_on or on))

    def explanation(self) -> str:
        """The text ``--explain`` prints: code, title, severity, kind, rationale and basis."""
        head = f"{self.code} ({self.severity.value}, {self.kind} rule): {self.title}"
        return head + "\n\n" + textwrap.dedent(self.explain).strip() + "\n"


RULES: dict[str, Rule] = {}
"""Every registered rule, by code."""


def rule(code: str, severity: Severity, *, kind: Kind = "state", title: str, explain: str):
    """Register a rule function under a stable code.

    Examples
    --------
    >>> @rule("XMP001", Severity.info, title="an example", explain="Why it matters.")
    ... def example(snap):
    ...     yield Finding.draft("found nothing much")
    >>> RULES["XMP001"].title
    'an example'
    >>> _ = RULES.pop("XMP001")
    """

    def register(func):
        if code in RULES:
            raise ValueError(f"rule code {code} registered twice")
        RULES[code] = Rule(code, Severity(severity), kind, title, explain, func, func.__module__.rsplit(".", 1)[-1])
        return func

    return register


def from_date(first: dt.date, why: str):
    """Precondition: the rule finds nothing before ``first`` (when the duty it checks began).

    Examples
    --------
    >>> import datetime as dt
    >>> from types import SimpleNamespace
    >>> @from_date(dt.date(2023, 1, 31), "the Duty commenced")
    ... def r(snap):
    ...     yield Finding.draft("x")
    >>> len(list(r(SimpleNamespace(on=dt.date(2023, 1, 30))))), len(list(r(SimpleNamespace(on=dt.date(2023, 1, 31)))))
    (0, 1)
    """

    def decorate(func):
        @functools.wraps(func)
        def checked(snap, *more):
            if (more[-1] if more else snap).on < first:
                return iter(())
            return func(snap, *more)

        checked.from_date = (first, why)
        return checked

    return decorate


def rules(kind: Kind | None = None) -> list[Rule]:
    """Registered rules sorted by code, optionally of one kind."""
    return [r for _, r in sorted(RULES.items()) if kind is None or r.kind == kind]
