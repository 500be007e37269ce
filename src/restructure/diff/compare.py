"""Comparisons: two sides (files, refs, a scenario's base and result), labelled and dated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..collector import paused
from ..errors import ValidationFailed, count
from ..refs import Named, classify, load_structure
from ..structure import Structure
from .changes import Changes, _changes
from .patch import Diff
from .scan import scan

__all__ = [
    "SCHEMA",
    "Side",
    "Comparison",
    "compare",
    "compare_scenario",
    "compare_refs",
    "default_dates",
]

SCHEMA = "restructure-diff/1"
"""The JSON schema id written in ``Comparison.to_dict()["schema"]``; bumped on any breaking change."""


# -- a comparison: both views, labelled --------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One side of a comparison: what it is (a file, a ref, a scenario's base) and its date."""

    label: str
    name: str
    on: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "name": self.name, "on": self.on.isoformat() if self.on else None}

    def title(self) -> str:
        when = f" on {self.on}" if self.on else ""
        return f"{self.label}{when}"


@dataclass(frozen=True)
class Comparison:
    """Two structures compared: the patch, the planners' summary, and how to show them.

    Attributes
    ----------
    before, after : Side
    diff : Diff
        The patch from ``before`` to ``after`` (every record).
    changes : Changes
        The semantic summary (``before`` on ``before.on`` against ``after`` on ``after.on``).
    structures : (Structure, Structure), optional
        The two structures compared, so a notebook can draw the change diagram
        (:meth:`_repr_html_`); ``None`` when not kept.
    """

    before: Side
    after: Side
    diff: Diff
    changes: Changes
    structures: tuple[Structure, Structure] | None = field(default=None, repr=False, compare=False)

    @property
    def empty(self) -> bool:
        """No edits and no semantic change."""
        return self.diff.empty and self.changes.empty

    def counts(self) -> dict[str, int]:
        """The semantic counts plus ``edits`` (the number of primitive edits)."""
        return {**self.changes.counts(), "edits": len(self.diff)}

    def stat(self) -> str:
        """One line: ``3 bodies created, 11 dissolved, 2 merged, 5 areas change CSP, 4 seats moved; 212 edits``."""
        if self.empty:
            return "no differences"
        c = self.counts()
        parts = [count(c[key], one, many) for key, one, many in _STAT if c[key]]
        edits = count(c["edits"], "edit")
        if self.diff.metadata:
            edits += ", name or sources changed"
        head = ", ".join(parts) if parts else "no changes in force on the dates compared"
        return f"{head}; {edits}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the stable JSON schema ``restructure-diff/1`` (see the README, "JSON (``--format json``, schema ``restructure-diff/1``)")."""
        d = self.diff.to_dict()
        return {
            "schema": SCHEMA,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "empty": self.empty,
            "stat": self.stat(),
            "counts": self.counts(),
            "changes": self.changes.to_dict(),
            "metadata": d["metadata"],
            "edits": d["edits"],
        }

    def to_json(self) -> str:
        """``to_dict()`` as indented JSON."""
        from ..io.yamlfile import dumps_json

        return dumps_json(self.to_dict())

    def render_text(self, color: bool = True, edits: bool = False) -> str:
        """Readable text grouped by concern; ANSI colour when ``color`` (the CLI strips it when piped)."""
        from .render import text

        return text(self, color, edits)

    def render_markdown(self, edits: bool = False) -> str:
        """Markdown for board papers: a heading, the stat line, one section per concern, tables."""
        from .render import markdown

        return markdown(self, edits)

    def _repr_markdown_(self) -> str:
        return self.render_markdown()

    def _repr_html_(self) -> str:
        """The summary as escaped HTML, then the change diagram as inline SVG.

        The diagram is focused on the local areas that change (see
        :func:`restructure.render.change_dot`). Without Graphviz's ``dot``, or
        without the structures, only the summary is shown.
        """
        import html

        out = f'<pre class="restructure-diff">{html.escape(self.render_text(color=False))}</pre>'
        if self.structures is None:
            return out
        from ..errors import RenderError
        from ..render import change_svg
        from ..render.pack import safe_svg

        try:
            svg = change_svg(*self.structures, on=self.after.on, before_on=self.before.on)
            return out + f'<figure class="restructure-change">{safe_svg(svg)}</figure>'
        except RenderError:  # no dot: the summary alone still says what changes
            return out


_STAT = (
    ("bodies_created", "body created", "bodies created"),
    ("bodies_dissolved", "dissolved", "dissolved"),
    ("mergers", "merged", "merged"),
    ("splits", "split", "split"),
    ("bodies_renamed", "renamed", "renamed"),
    ("bodies_changed", "body changed", "bodies changed"),
    ("areas_created", "area created", "areas created"),
    ("areas_ended", "area ended", "areas ended"),
    ("areas_renamed", "area renamed", "areas renamed"),
    ("areas_changed", "area re-parented or changed", "areas re-parented or changed"),
    ("areas_change_csp", "area changes CSP", "areas change CSP"),
    ("areas_change_duty", "area changes Duty partnership", "areas change Duty partnership"),
    ("partnerships_change_members", "partnership changes members", "partnerships change members"),
    ("seats_gained", "seat gained", "seats gained"),
    ("seats_lost", "seat lost", "seats lost"),
    ("seats_moved", "seat moved", "seats moved"),
    ("bodies_relinked", "body changes footprint or reporting line", "bodies change footprint or reporting line"),
    ("bodies_records_only", "body changed only between the dates or in its records",
     "bodies changed only between the dates or in their records"),
    ("findings_introduced", "finding introduced", "findings introduced"),
    ("findings_resolved", "finding resolved", "findings resolved"),
)


def default_dates(a: Structure, b: Structure) -> dt.date | None:
    """The date to compare two structures on when none is given: the latest date either mentions.

    Both are then read as they finally stand. ``None`` when neither has any
    dated record (then every record is in force on any date).
    """
    dates = {*a.dates(), *b.dates()}
    return max(dates) if dates else None


def compare(
    a: Structure,
    b: Structure,
    on_a: dt.date | None = None,
    on_b: dt.date | None = None,
    *,
    labels: tuple[str, str] = ("before", "after"),
    findings: bool = True,
) -> Comparison:
    """Compare two structures: the patch (every record) and the summary on two dates.

    Parameters
    ----------
    a, b : Structure
    on_a, on_b : date, optional
        The dates of the summary; by default both :func:`default_dates` (the
        latest date either structure mentions). One given: used for both.
    labels : (str, str)
        What to call the two sides (file names, refs).
    findings : bool
        Run the checks on both sides.

    Examples
    --------
    >>> a = Structure.from_yaml("areas: [{id: E06000038, name: Reading, kind: unitary}]")
    >>> compare(a, a.copy(), findings=False).stat()
    'no differences'
    """
    with paused():  # tens of thousands of small objects and nothing to free
        found = scan(a, b)  # one pass: the edits, the dates, and what the summary must look at
        if on_a is None and on_b is None:
            on_a = on_b = max(found.dates) if found.dates else None  # default_dates(a, b)
        elif on_a is None or on_b is None:
            on_a = on_b = on_a or on_b
        d = Diff(tuple(found.ops), found.metadata)  # scan gives them in canonical order
        summary = _changes(a, b, on_a, on_b, findings=findings, patch=d, scanned=found)
    return Comparison(Side(labels[0], a.name, on_a), Side(labels[1], b.name, on_b), d, summary, structures=(a, b))


_DAY = dt.timedelta(days=1)


def compare_scenario(outcome, *, label: str | None = None, findings: bool = True) -> Comparison:
    """Compare a scenario's base with its result.

    The patch covers every record; the summary reads the base on the day
    before the first phase and the result on the last phase date.

    Parameters
    ----------
    outcome : Outcome
        From :func:`restructure.apply.run_scenario`.
    """
    dates = outcome.dates
    on_a = dates[0] - _DAY if dates else None
    on_b = dates[-1] if dates else None
    name = label or getattr(outcome.scenario, "name", "scenario")
    found = scan(outcome.base, outcome.structure)
    d = Diff(tuple(found.ops), found.metadata)  # scan gives them in canonical order
    return Comparison(
        Side(f"{name} (base)", outcome.base.name, on_a),
        Side(f"{name} (result)", outcome.structure.name, on_b),
        d,
        _changes(outcome.base, outcome.structure, on_a, on_b, findings=findings, patch=d, scanned=found),
        structures=(outcome.base, outcome.structure),
    )


def compare_refs(
    a: str | Named,
    b: str | None = None,
    as_of: Sequence[dt.date] = (),
    *,
    db: str | None = None,
    findings: bool = True,
    base: str | None = None,
) -> Comparison:
    """Compare what two names point at: structure files, scenario files or stored refs.

    Parameters
    ----------
    a : str or Named
        A structure file, a scenario file, or a ref in the store (branch, tag, version); or
        what :func:`restructure.refs.classify` made of one (a file is then not parsed again).
    b : str, optional
        The other side. Without it, ``a`` must be a scenario (base against
        result) or come with two ``as_of`` dates (the same structure on two dates).
    as_of : sequence of date
        None: every record, summary on the latest date. One: both sides as they
        stand on that date. Two: ``a`` on the first, ``b`` on the second.
    db : str, optional
        Store URL, for refs.
    findings : bool
        Include the checks' findings introduced and resolved.
    base : str, optional
        For a scenario ``a``: the structure (file or ref) to apply it to,
        instead of the scenario's own ``base``.

    Returns
    -------
    Comparison
        The patch and the planners' summary, ready to render.

    Raises
    ------
    ValidationFailed
        Not enough to compare (one structure and fewer than two dates), or a
        file that cannot be read.
    StoreError
        A ref that is not in the store.
    """
    dates = list(as_of)
    if len(dates) > 2:
        raise ValidationFailed("give --as-of at most twice", "One date for both sides, or one for each")
    on_a = dates[0] if dates else None
    on_b = dates[-1] if dates else None
    named = a if isinstance(a, Named) else classify(a)  # read once: to tell what it is, and to load it
    if isinstance(a, Named):
        a = a.name
    if b is None and named.kind != "scenario":
        if len(dates) != 2:
            raise ValidationFailed(
                f"nothing to compare '{a}' with",
                "Give a second structure, a scenario file, or --as-of twice to compare one structure on two dates",
            )
        b = a
    if b is None:  # a scenario: base against result
        from ..apply import run_scenario

        outcome = run_scenario(named.path, base, db=db)
        if not dates:
            return compare_scenario(outcome, label=a, findings=findings)
        full_a, full_b = outcome.base, outcome.structure
        labels = (f"{a} (base)", f"{a} (result)")
    else:
        full_a = load_structure(named, db=db)
        full_b = full_a if b == a else load_structure(b, db=db)
        labels = (a, b)
    if not dates:
        return compare(full_a, full_b, labels=labels, findings=findings)
    return _compare_on_dates(full_a, full_b, on_a, on_b, labels=labels, findings=findings)


def _compare_on_dates(
    a: Structure, b: Structure, on_a: dt.date, on_b: dt.date, *, labels: tuple[str, str], findings: bool
) -> Comparison:
    """:func:`compare_refs` with dates: the patch between the structures as they stand on them.

    The summary and the checks read the whole structures (lineage rules need the ended records),
    but from the same one scan as the patch, of the structures as they stand on the dates: the
    summary reads only records in force (relations with both ends in force), which is what
    ``as_of`` keeps, so a record the two dated structures agree on stands the same on both sides.
    (``diff`` of the dated structures and ``changes`` of the whole ones would scan twice.)
    """
    with paused():  # as compare(): tens of thousands of small objects and nothing to free
        found = scan(a.as_of(on_a), b.as_of(on_b))
        d = Diff(tuple(found.ops), found.metadata)  # scan gives them in canonical order
        summary = _changes(a, b, on_a, on_b, findings=findings, patch=d, scanned=found)
    return Comparison(Side(labels[0], a.name, on_a), Side(labels[1], b.name, on_b), d, summary, structures=(a, b))
