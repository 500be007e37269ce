"""Compare councils only: local-government units and counties in force, nothing else.

``restructure diff A B --scope councils`` asks a narrower question than the
full diff: do the two structures have the same councils on the map? For each
**unit** (a district or unitary not lying inside another) and each **county**
in force, it compares the code, name, kind, council, parent and police force
area, and ignores partnerships, ONS statistical (``E22``) areas and the
abolished districts a replay keeps as parts of the new unitaries. A replay of
real history on an old ONS import, against the ONS lookup of the later year,
should then say "no differences".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import ValidationFailed
from ..model import COUNCIL_KINDS, AreaKind, RelationKind, in_force
from ..structure import Structure
from ..text import markdown as _md
from .compare import default_dates

__all__ = ["FIELDS", "CouncilRow", "CouncilsComparison", "councils_of", "compare_councils", "compare_councils_refs"]

FIELDS = ("name", "kind", "council", "parent", "police_force_area")
"""What is compared for each area, after its code."""

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class CouncilRow:
    """One unit or county as it stands on a date."""

    code: str
    name: str
    kind: str
    council: str
    """The name(s) of the council(s) serving exactly this area, joined with ``; ``."""
    parent: str
    """The area it lies within (not counting statistical areas), or empty."""
    police_force_area: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, **{f: getattr(self, f) for f in FIELDS}}


def councils_of(s: Structure, on: dt.date | None) -> dict[str, CouncilRow]:
    """Code -> :class:`CouncilRow` for every unit and county in force on a date.

    Examples
    --------
    >>> import datetime as dt
    >>> from restructure.baseline import load_baseline
    >>> rows = councils_of(load_baseline(), dt.date(2026, 11, 25))
    >>> rows["E07000177"].council, rows["E07000177"].parent
    ('Cherwell District Council', 'E10000025')
    """
    areas = {a.id: a for a in s.units(on)}
    areas.update({a.id: a for a in s.areas(on, kind=AreaKind.county)})
    out = {}
    for code, a in sorted(areas.items()):
        councils = sorted(
            s.body(r.source).name
            for r in s.relations(RelationKind.serves, on, target=code)
            if s.body(r.source).kind in COUNCIL_KINDS and in_force(s.body(r.source), on)
        )
        parents = [p for p in s.parents(code, on) if s.area(p).kind != AreaKind.statistical]
        pfas = [x for x in s.ancestors(code, on) if s.area(x).kind == AreaKind.police_force_area]
        out[code] = CouncilRow(
            code, a.name, a.kind.value, "; ".join(councils), "; ".join(parents), "; ".join(sorted(pfas))
        )
    return out


@dataclass
class CouncilsComparison:
    """Units and counties added, removed and changed between two structures on two dates."""

    before: str
    after: str
    on_before: dt.date | None
    on_after: dt.date | None
    added: list[CouncilRow] = field(default_factory=list)
    removed: list[CouncilRow] = field(default_factory=list)
    changed: list[tuple[CouncilRow, CouncilRow]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """No unit or county differs."""
        return not (self.added or self.removed or self.changed)

    def stat(self) -> str:
        """One line: ``2 areas added, 1 removed, 3 changed`` or ``no differences``."""
        if self.empty:
            return "no differences"
        parts = []
        if self.added:
            parts.append(f"{len(self.added)} area{'s' if len(self.added) != 1 else ''} added")
        if self.removed:
            parts.append(f"{len(self.removed)} removed")
        if self.changed:
            parts.append(f"{len(self.changed)} changed")
        return ", ".join(parts) + " (councils only)"

    def to_dict(self) -> dict[str, Any]:
        return {
            "scope": "councils",
            "before": {"label": self.before, "on": self.on_before.isoformat() if self.on_before else None},
            "after": {"label": self.after, "on": self.on_after.isoformat() if self.on_after else None},
            "empty": self.empty,
            "added": [r.to_dict() for r in self.added],
            "removed": [r.to_dict() for r in self.removed],
            "changed": [
                {"code": a.code, "changes": {f: [getattr(a, f), getattr(b, f)] for f in FIELDS if getattr(a, f) != getattr(b, f)}}
                for a, b in self.changed
            ],
        }

    def to_json(self) -> str:
        from ..io.yamlfile import dumps_json

        return dumps_json(self.to_dict())

    def _head(self) -> str:
        def side(label, on):
            return f"{label} on {on}" if on else label

        return f"{side(self.before, self.on_before)} -> {side(self.after, self.on_after)}, councils only"

    def _lines(self) -> list[tuple[str, str]]:
        out = []
        for r in self.added:
            out.append(("+", f"{r.name} ({r.code}): {_describe(r)}"))
        for r in self.removed:
            out.append(("-", f"{r.name} ({r.code}): {_describe(r)}"))
        for a, b in self.changed:
            diffs = "; ".join(
                f"{f.replace('_', ' ')} {getattr(a, f) or '(none)'} -> {getattr(b, f) or '(none)'}"
                for f in FIELDS if getattr(a, f) != getattr(b, f)
            )
            out.append(("~", f"{a.name} ({a.code}): {diffs}"))
        return out

    def render_text(self) -> str:
        lines = [self._head(), self.stat()]
        lines += [f"  {mark} {text}" for mark, text in self._lines()]
        return "\n".join(lines) + "\n"

    def render_markdown(self) -> str:
        lines = [f"### {_md(self._head())}", "", _md(self.stat()) + "."]
        if not self.empty:
            lines += ["", "| | area |", "|---|---|"]
            lines += [f"| {mark} | {_md(text)} |" for mark, text in self._lines()]
        return "\n".join(lines) + "\n"


def _describe(r: CouncilRow) -> str:
    bits = [r.kind, r.council or "no council"]
    if r.parent:
        bits.append(f"within {r.parent}")
    if r.police_force_area:
        bits.append(f"police force area {r.police_force_area}")
    return ", ".join(bits)




def compare_councils(
    a: Structure,
    b: Structure,
    on_a: dt.date | None = None,
    on_b: dt.date | None = None,
    *,
    labels: tuple[str, str] = ("before", "after"),
) -> CouncilsComparison:
    """Compare the units and counties of two structures (one date each; one given: both).

    Without dates both are read on the latest date either mentions.

    Examples
    --------
    >>> from restructure.baseline import load_baseline
    >>> s = load_baseline()
    >>> compare_councils(s, s.copy()).stat()
    'no differences'
    """
    if on_a is None and on_b is None:
        on_a = on_b = default_dates(a, b)
    elif on_a is None or on_b is None:
        on_a = on_b = on_a or on_b
    ra, rb = councils_of(a, on_a), councils_of(b, on_b)
    return CouncilsComparison(
        labels[0], labels[1], on_a, on_b,
        added=[rb[c] for c in sorted(set(rb) - set(ra))],
        removed=[ra[c] for c in sorted(set(ra) - set(rb))],
        changed=[(ra[c], rb[c]) for c in sorted(set(ra) & set(rb)) if ra[c] != rb[c]],
    )


def compare_councils_refs(
    a: str,
    b: str | None = None,
    as_of: Sequence[dt.date] = (),
    *,
    db: str | None = None,
    base: str | None = None,
) -> CouncilsComparison:
    """:func:`compare_councils` on what two names point at (files, scenario files, stored refs).

    Takes the same sides and dates as :func:`~restructure.diff.compare_refs`: one
    scenario file alone compares its base (the day before its first phase) with
    its result (its last phase date).

    Raises
    ------
    ValidationFailed
        Nothing to compare (one structure and fewer than two dates).
    """
    from ..refs import classify, load_structure

    dates = list(as_of)
    if len(dates) > 2:
        raise ValidationFailed("give --as-of at most twice", "One date for both sides, or one for each")
    on_a = dates[0] if dates else None
    on_b = dates[-1] if dates else None
    named = classify(a) if b is None else a  # read once: what A is, and (a structure file) its parse
    if b is None and named.kind == "scenario":
        from ..apply import run_scenario

        outcome = run_scenario(a, base, db=db)
        if not dates and outcome.dates:
            on_a, on_b = outcome.dates[0] - _DAY, outcome.dates[-1]
        return compare_councils(outcome.base, outcome.structure, on_a, on_b, labels=(f"{a} (base)", f"{a} (result)"))
    if b is None:
        if len(dates) != 2:
            raise ValidationFailed(
                f"nothing to compare '{a}' with",
                "Give a second structure, a scenario file, or --as-of twice to compare one structure on two dates",
            )
        b = a
    sa = load_structure(named, db=db)
    sb = sa if b == a else load_structure(b, db=db)
    return compare_councils(sa, sb, on_a, on_b, labels=(a, b))
