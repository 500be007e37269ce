"""Options side by side: the comparison a Strategy Board decides on.

:func:`compare_options` applies each option (a scenario file, a loaded
:class:`~restructure.scenario.Scenario`, or a stored ref standing for a proposed
structure) to its base, checks its whole timeline, and returns an
:class:`Appraisal`: one column per option, one :class:`Row` per question a
planner decides on (local areas and Board seats after, CSPs and Duty
partnerships after, councils created and abolished, districts and unitaries
that change CSP, the days any unit lacks a Duty partnership and any local area
lacks a Board seat, straddled fire, ICB and police boundaries, findings by
severity with their rules' titles, and required members missing).

``restructure compare`` renders it as text, Markdown, JSON, CSV or HTML; in a
notebook it shows itself as a table (``_repr_html_``) and ``to_pandas()`` gives
a data frame (pandas comes with the ``notebook`` extra).

Gaps are read from the checks' timeline: a local area lacks a Board seat while
rule REP001 finds it; a district or unitary lacks a Duty partnership while
SVD001 finds it. A timeline is checked on each effective date and the day
before, so a gap runs from the first date it is found to the first checked
date it is gone.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import check_timeline
from .checks.engine import Report
from .checks.registry import RULES, Finding, Severity
from .errors import RestructureError, ScenarioError
from .structure import Structure

__all__ = ["Gap", "Option", "Cell", "Row", "Appraisal", "compare_options", "load_option", "long_date", "plain"]

SEAT_RULE = "REP001"
"""The rule finding a local area with no Strategy Board seat."""
DUTY_RULE = "SVD001"
"""The rule finding an area with no partnership discharging the Serious Violence Duty."""
STRADDLE_RULE = "ALN002"
"""The rule finding a partnership straddling fire, ICB or police force boundaries."""

_DAY = dt.timedelta(days=1)
_ID = re.compile(r" \((?:[a-z0-9]+(?:-[a-z0-9]+)+|[a-z0-9]+-?|[EWSN]\d{8})\)")


def long_date(d: dt.date | None) -> str:
    """A date as a board paper writes it.

    Examples
    --------
    >>> long_date(dt.date(2028, 4, 1))
    '1 April 2028'
    """
    return "" if d is None else f"{d.day} {d:%B %Y}"


def plain(message: str) -> str:
    """A finding's message without the ids in brackets (ids go in small print).

    Examples
    --------
    >>> plain("Ridgeway (ridgeway) has no seat on VPP Strategy Board (tv-vpp-board)")
    'Ridgeway has no seat on VPP Strategy Board'
    >>> plain("Cherwell (E07000177) lost its CSP (was Cherwell Safer Communities Partnership)")
    'Cherwell lost its CSP (was Cherwell Safer Communities Partnership)'
    """
    return _ID.sub("", message)


@dataclass(frozen=True)
class Gap:
    """A period in which one area lacks a Board seat (``what="seat"``) or a Duty partnership (``"duty"``)."""

    what: str
    area: str
    name: str
    start: dt.date
    until: dt.date | None
    """The first day it is over; ``None``: not over by the option's last date."""

    @property
    def days(self) -> int | None:
        """Its length in days; ``None`` when it does not end."""
        return None if self.until is None else (self.until - self.start).days

    def sentence(self) -> str:
        """The gap in a plain sentence with dates.

        Examples
        --------
        >>> Gap("seat", "ridgeway", "Ridgeway", dt.date(2028, 4, 1), dt.date(2028, 10, 1)).sentence()
        'Ridgeway has no Strategy Board seat from 1 April 2028 to 1 October 2028: 183 days.'
        """
        lacks = "no Strategy Board seat" if self.what == "seat" else "no partnership discharging the Serious Violence Duty"
        if self.until is None:
            return f"{self.name} has {lacks} from {long_date(self.start)}, with no end in the scenario."
        return f"{self.name} has {lacks} from {long_date(self.start)} to {long_date(self.until)}: {self.days} days."


def _gaps(report: Report, structure: Structure, code: str, what: str) -> tuple[Gap, ...]:
    out = []
    for f in report.findings:
        if f.code != code or f.date is None:
            continue
        for area in f.areas or ("",):
            rec = structure.get(area) if area else None
            out.append(Gap(what, area, rec.name if rec is not None else (area or "an area"), f.date, f.until))
    return tuple(sorted(set(out), key=lambda g: (g.start, g.name, g.area)))


def _union_days(gaps: Iterable[Gap]) -> int | None:
    """Days on which at least one gap is open (``None`` when one never ends)."""
    spans = sorted((g.start, g.until) for g in gaps)
    if any(u is None for _, u in spans):
        return None
    days, end = 0, None
    for start, until in spans:
        if end is None or start >= end:
            days += (until - start).days
            end = until
        elif until > end:
            days += (until - end).days
            end = until
    return days


@dataclass
class Option:
    """One option, applied and checked.

    Attributes
    ----------
    label : str
        Its column heading: the scenario's name (with the file name when two share a name).
    source : str
        The file or stored ref it came from.
    base, structure : Structure
        What it was applied to, and the dated result.
    dates : list of datetime.date
        Its effective dates.
    report : Report
        The checks over its timeline.
    phases : list of (name, date, description)
    assumptions, sources : tuple of str
        From the scenario file: what is assumed, and where the facts come from.
    description : str or None
    """

    label: str
    source: str
    base: Structure
    structure: Structure
    dates: list[dt.date]
    report: Report
    phases: list[tuple[str, dt.date, str | None]] = field(default_factory=list)
    assumptions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    description: str | None = None
    outcome: Any = None
    """The :class:`~restructure.apply.Outcome` when the option is a scenario."""
    base_spec: str | None = None
    """The base as given (a file or stored ref), when one was given for every option."""
    db: str | None = None
    """The store's URL, for stored refs."""

    @property
    def on(self) -> dt.date:
        """The date the option is complete: its last effective date."""
        return self.dates[-1]

    @property
    def before_on(self) -> dt.date:
        """The day before its first effective date: the base as it stands then."""
        return self.dates[0] - _DAY

    @property
    def seat_gaps(self) -> tuple[Gap, ...]:
        """Each local area's time without a Strategy Board seat."""
        return _gaps(self.report, self.structure, SEAT_RULE, "seat")

    @property
    def duty_gaps(self) -> tuple[Gap, ...]:
        """Each district's or unitary's time without a partnership discharging the Duty."""
        return _gaps(self.report, self.structure, DUTY_RULE, "duty")

    def in_force_at_end(self, codes: Sequence[str]) -> list[Finding]:
        """Findings of these rules still found on the option's last date."""
        return [f for f in self.report.findings if f.code in codes and f.date is not None
                and f.date <= self.on and (f.until is None or f.until > self.on)]

    def findings_of(self, severity: Severity) -> list[Finding]:
        return [f for f in self.report.findings if f.severity is severity]

    def problems(self) -> list[str]:
        """Every error over the timeline as a plain sentence with dates and, for states, how long."""
        gaps = (*self.seat_gaps, *self.duty_gaps)
        out = [g.sentence() for g in gaps]
        starts = {(g.start, g.area) for g in gaps}
        for f in self.findings_of(Severity.error):
            if f.code in (SEAT_RULE, DUTY_RULE):
                continue
            if RULES[f.code].kind == "transition" and any((f.date, a) in starts for a in f.areas):
                continue  # the loss that opens a gap: said by the gap's sentence
            what = plain(f.message).rstrip(".")
            if RULES[f.code].kind == "transition":
                out.append(f"On {long_date(f.date)}: {what}.")
            elif f.until is None:
                out.append(f"{what}, from {long_date(f.date)} with no end in the scenario.")
            else:
                out.append(f"{what}, from {long_date(f.date)} to {long_date(f.until)}: "
                           f"{(f.until - f.date).days} days.")
        return out

    def verdict(self) -> str:
        """One sentence: whether the option keeps every area covered and represented throughout."""
        errors, warnings = len(self.problems()), len(self.findings_of(Severity.warning))
        warn = f"{warnings} warning{'s' if warnings != 1 else ''} to note" if warnings else "no warnings"
        if not errors:
            return (f"{self.label}: no gap. Every area keeps its partnership and its Board seat on every date "
                    f"checked; {warn}.")
        days = [d for d in (_union_days(self.seat_gaps), _union_days(self.duty_gaps)) if d]
        longest = f" (the longest gap: {max(days)} days)" if days else ""
        return (f"{self.label}: not ready as drafted. {errors} problem{'s' if errors != 1 else ''} to resolve"
                f"{longest}; {warn}.")


@dataclass(frozen=True)
class Cell:
    """One option's answer to one row: a value (a count, days or words) and details in small print."""

    value: Any
    detail: str = ""

    def text(self) -> str:
        return "" if self.value is None else str(self.value)

    def full(self) -> str:
        return f"{self.text()}: {self.detail}" if self.detail else self.text()


@dataclass(frozen=True)
class Row:
    """One question, answered for each option in turn."""

    key: str
    """A stable key (``seat_gap_days``) for JSON and data frames."""
    label: str
    """The question in the planners' words."""
    cells: tuple[Cell, ...]

    @property
    def values(self) -> tuple[Any, ...]:
        return tuple(c.value for c in self.cells)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label,
                "values": [c.value for c in self.cells], "details": [c.detail for c in self.cells]}


def _names(s: Structure, ids: Iterable[str]) -> str:
    return "; ".join(sorted((s.get(i).name if s.get(i) is not None else i) for i in ids))


def _rows(options: Sequence[Option]) -> tuple[Row, ...]:
    from .apply import COUNCIL_KINDS
    from .model import BodyKind, RelationKind

    per: dict[str, list[Cell]] = {}
    labels: dict[str, str] = {}

    def put(key: str, label: str, cell: Cell) -> None:
        labels.setdefault(key, label)
        per.setdefault(key, []).append(cell)

    for o in options:
        before, after = o.base.as_of(o.before_on), o.structure.as_of(o.on)
        boards = {b.id for b in after.bodies(kind=BodyKind.strategy_board)}
        local = after.local_areas()
        put("local_areas", "Local areas after", Cell(len(local)))
        seats = [r for r in after.relations(RelationKind.seat) if r.area and r.target in boards]
        put("board_seats", "Strategy Board seats after", Cell(len(seats)))
        csps = sorted({r.source for r in after.relations(RelationKind.covers)})
        put("csps", "Community Safety Partnerships after", Cell(len(csps)))
        duty = sorted({r.source for r in after.relations(RelationKind.discharges)})
        put("duty_partnerships", "Serious Violence Duty partnerships after", Cell(len(duty)))
        was = {b.id for b in before.bodies() if b.kind in COUNCIL_KINDS}
        now = {b.id for b in after.bodies() if b.kind in COUNCIL_KINDS}
        put("councils_created", "Councils created", Cell(len(now - was), _names(after, now - was)))
        put("councils_abolished", "Councils abolished", Cell(len(was - now), _names(before, was - now)))
        moved = []
        for u in before.units():
            old = sorted(b.id for b in before.covering(u.id, whole=False))
            new = sorted(b.id for b in after.covering(u.id, whole=False)) if u.id in after else []
            if old != new:
                moved.append(u.name)
        put("units_changing_csp", "Districts and unitaries that change CSP", Cell(len(moved), "; ".join(moved)))
        for key, label, gaps in (
            ("duty_gap_days", "Days any district or unitary lacks a Duty partnership", o.duty_gaps),
            ("seat_gap_days", "Days any local area lacks a Board seat", o.seat_gaps),
        ):
            days = _union_days(gaps)
            value: Any = days if gaps and days is not None else (0 if not gaps else "no end")
            put(key, label, Cell(value, "; ".join(
                f"{g.name} {g.start.isoformat()} to {g.until.isoformat() if g.until else '(no end)'}" for g in gaps)))
        straddles = o.in_force_at_end((STRADDLE_RULE,))
        put("straddles", "Fire, ICB and police force boundaries straddled",
            Cell(len(straddles), "; ".join(plain(f.message) for f in straddles)))
        for sev in (Severity.error, Severity.warning):
            found = o.findings_of(sev)
            codes = sorted({f.code for f in found})
            put(f"{sev.value}s", f"{sev.value.capitalize()}s over the transition",
                Cell(len(found), "; ".join(f"{c} {RULES[c].title}" for c in codes)))
        missing = _missing_members(o)
        put("members_missing", "Required members missing", Cell(len(missing), "; ".join(missing)))
    return tuple(Row(key, labels[key], tuple(cells)) for key, cells in per.items())


def _missing_members(o: Option) -> list[str]:
    """Required members missing on the option's last date, by partnership (:meth:`Structure.required_members`).

    Every partnership that covers an area or discharges the Duty on that date is asked who the law
    requires at its table (from who serves its footprint) and who is not there.
    """
    from .membership import partnership_footprint
    from .model import RelationKind

    s, on = o.structure, o.on
    kinds = (RelationKind.covers, RelationKind.discharges)
    partnerships = sorted({r.source for kind in kinds for r in s.relations(kind, on)})
    out = []
    for p in partnerships:
        if not any(partnership_footprint(s, p, on)):
            continue
        rm = s.required_members(p, on)
        out += [f"{e.name} is not a member of {rm.name}" for e in rm.missing]
    return sorted(out)


@dataclass
class Appraisal:
    """Options side by side: one column per option, one row per question.

    Examples
    --------
    >>> from restructure.baseline import SCENARIOS
    >>> a = compare_options([SCENARIOS / "oxfordshire" / "two-unitaries.yaml",
    ...                      SCENARIOS / "oxfordshire" / "csp-merge.yaml"])
    >>> a.row("seat_gap_days").values
    (183, 0)
    """

    options: tuple[Option, ...]
    rows: tuple[Row, ...]

    @property
    def labels(self) -> list[str]:
        """The column headings: one per option."""
        return [o.label for o in self.options]

    def row(self, key: str) -> Row:
        """The row with this key (``seat_gap_days``, ``errors``, ...)."""
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--format json`` (schema ``restructure-compare/1``)."""
        return {
            "schema": "restructure-compare/1",
            "options": [
                {"label": o.label, "source": o.source, "dates": [d.isoformat() for d in o.dates],
                 "verdict": o.verdict(), "problems": o.problems()}
                for o in self.options
            ],
            "rows": [r.to_dict() for r in self.rows],
        }

    def render_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def render_text(self) -> str:
        """An aligned table of values, then each option's verdict and details."""
        head = ["", *[f"({i})" for i in range(1, len(self.options) + 1)]]
        body = [[r.label, *[c.text() for c in r.cells]] for r in self.rows]
        widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
        lines = [f"({i}) {o.label}" for i, o in enumerate(self.options, start=1)] + [""]
        for x in [head, *body]:
            lines.append("  ".join(
                (v.ljust(w) if i == 0 else v.rjust(w)) for i, (v, w) in enumerate(zip(x, widths, strict=True))
            ).rstrip())
        lines.append("")
        for i, o in enumerate(self.options, start=1):
            lines.append(f"({i}) {o.verdict()}")
            lines += [f"    {p}" for p in o.problems()]
        return "\n".join(lines) + "\n"

    def render_markdown(self) -> str:
        """A Markdown table: one column per option, details after each value (names escaped: :func:`restructure.text.markdown`)."""
        from .text import markdown as md

        lines = ["| | " + " | ".join(md(x) for x in self.labels) + " |", "|---" * (len(self.options) + 1) + "|"]
        for r in self.rows:
            lines.append(f"| {md(r.label)} | " + " | ".join(md(c.full()) for c in r.cells) + " |")
        lines.append("")
        lines += [f"- {md(o.verdict())}" for o in self.options]
        return "\n".join(lines) + "\n"

    def render_csv(self, bom: bool = True) -> str:
        """One record per question, one column per option (RFC 4180; UTF-8 byte order mark).

        Values stay numbers a spreadsheet can sum; where a row has details (which councils,
        which areas and dates) a record ``<question>: details`` follows it.
        """
        from .io.csvfile import dumps

        records: list[list[Any]] = []
        for r in self.rows:
            records.append([r.label, *[c.value for c in r.cells]])
            if any(c.detail for c in r.cells):
                records.append([f"{r.label}: details", *[c.detail for c in r.cells]])
        return dumps(["question", *self.labels], records, bom=bom)

    def render_html(self, full: bool = False) -> str:
        """An HTML table (``full``: a whole page), details in small print."""
        e = html.escape
        out = ['<table class="appraisal"><thead><tr><th></th>']
        out += [f'<th scope="col">{e(x)}</th>' for x in self.labels]
        out.append("</tr></thead><tbody>")
        for r in self.rows:
            out.append(f'<tr><th scope="row">{e(r.label)}</th>')
            for c in r.cells:
                small = f'<br><small>{e(c.detail)}</small>' if c.detail else ""
                out.append(f"<td>{e(c.text())}{small}</td>")
            out.append("</tr>")
        out.append("</tbody></table>")
        table = "".join(out)
        if not full:
            return table
        return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Options compared</title>'
                "<style>body{font-family:sans-serif}table{border-collapse:collapse}th,td{border:1px solid #999;"
                "padding:3px 6px;text-align:left;vertical-align:top}small{color:#444}</style></head><body>"
                f"<h1>Options compared</h1>{table}</body></html>\n")

    def _repr_html_(self) -> str:
        return self.render_html()

    def _repr_markdown_(self) -> str:
        return self.render_markdown()

    def to_pandas(self):
        """The values as a pandas ``DataFrame``: one row per question, one column per option.

        Raises
        ------
        RestructureError
            pandas is not installed (``pip install 'restructure[notebook]'``).
        """
        try:
            import pandas as pd
        except ImportError:
            raise RestructureError("pandas is not installed", "Install it with `pip install 'restructure[notebook]'`") from None
        return pd.DataFrame([list(r.values) for r in self.rows], index=[r.label for r in self.rows],
                            columns=self.labels)


def load_option(spec: Any, base: Structure | str | None = None, db: str | None = None, config=None) -> Option:
    """Apply and check one option: a scenario (file or loaded) or a stored ref with a base.

    Raises
    ------
    ScenarioError
        The option does not apply: the message names the file and the option.
    """
    from .apply import run_scenario
    from .refs import classify, load_structure
    from .scenario import Scenario

    named = None if isinstance(spec, Scenario) else classify(spec)  # a structure file is parsed once
    kind = named.kind if named is not None else None
    # a file that is not there goes the scenario's way, so the error names the file and the option
    if kind is None or kind == "scenario" or (kind == "structure" and not Path(spec).exists()):
        source = getattr(spec, "_file", None) or "scenario" if isinstance(spec, Scenario) else str(spec)
        try:
            outcome = run_scenario(spec, base, db=db)
        except RestructureError as exc:
            name = spec.name if isinstance(spec, Scenario) else _scenario_name(spec)
            where = exc.where()
            raise ScenarioError(
                f"option {name!r} ({source}) does not apply: {where + ': ' if where else ''}{exc.what}",
                f"{exc.hint.rstrip('.') + '; ' if exc.hint else ''}nothing was written",
            ) from None
        sc = outcome.scenario
        dates = outcome.dates or [dt.date.today()]
        report = check_timeline(outcome.structure, dates, config, subject=sc.name)
        return Option(sc.name, source, outcome.base, outcome.structure, dates, report,
                      [(p.name, p.date, p.description) for p in outcome.phases],
                      tuple(sc.assumptions), tuple(sc.sources), sc.description, outcome,
                      str(base) if isinstance(base, str | Path) else None, db)
    if base is None:
        what = "a stored structure" if kind == "ref" else "a structure file"
        raise ScenarioError(f"'{spec}' is {what}, not a scenario: there is nothing to compare it with",
                            "Give --base FILE|REF, the structure it would replace")
    before = load_structure(base, db=db) if isinstance(base, str | Path) else base
    after = load_structure(named, db=db)
    dates = sorted(set(after.dates()) - set(before.dates())) or [dt.date.today()]
    report = check_timeline(after, dates, config, base=before, subject=str(spec))
    return Option(after.name or str(spec), str(spec), before, after, dates, report,
                  description=after.description if hasattr(after, "description") else None,
                  base_spec=str(base) if isinstance(base, str | Path) else None, db=db)


def _scenario_name(path: Any) -> str:
    try:
        from .scenario import load_scenario

        return load_scenario(path).name
    except Exception:  # the file itself is broken: its name is all there is
        return Path(str(path)).stem


def compare_options(options: Sequence[Any], base: Structure | str | None = None, db: str | None = None,
                    config=None) -> Appraisal:
    """Apply, check and compare options side by side.

    Parameters
    ----------
    options : sequence
        Scenario files, loaded scenarios, or stored refs (proposed structures; these need ``base``).
    base : Structure, file or stored ref, optional
        What every option is applied to (default: each scenario's own base).
    db : str, optional
        The store's URL, for stored refs.
    config : checks Config, optional

    Returns
    -------
    Appraisal

    Raises
    ------
    ScenarioError
        An option does not apply (naming its file and name), or none given.
    """
    if not options:
        raise ScenarioError("no options to compare", "Name one or more scenario files")
    loaded = [load_option(spec, base, db, config) for spec in options]
    names = [o.label for o in loaded]
    for o in loaded:
        if names.count(o.label) > 1:
            o.label = f"{o.label} ({Path(o.source).name})"
    return Appraisal(tuple(loaded), _rows(loaded))
