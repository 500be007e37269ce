"""Provenance: which operation, under what authority, changed each stored record; and blame.

A scenario committed to a branch records, for every row its version changes,
the operation of the phase that changed it (index, one-line summary) and that
operation's legal basis (:class:`~restructure.model.Basis`). Blame reads it
back: for each relation in force touching an area or a body, the version that
last changed it, with its branch, author, recorded time, scenario, phase,
operation and basis. Versions written before the store recorded provenance
(schema 0002) say so.

No SQLAlchemy here: plain data and pure functions; :meth:`Store.blame
<restructure.store.Store.blame>` reads the rows.

Examples
--------
>>> import datetime as dt
>>> from restructure.apply import run_scenario
>>> from restructure.baseline import SCENARIOS
>>> out = run_scenario(SCENARIOS / "oxfordshire" / "two-unitaries.yaml")
>>> vesting = out.phases[1]
>>> origins = phase_origins(vesting)
>>> origin = origins[("event", "oxfordshire-and-west-berkshire-as-two-unitaries-oxford-and-shires-ridgeway-reorganise-councils-1")]
>>> origin.op_index, origin.basis.kind.value, origin.basis.assumed
(1, 'structural_changes_order', True)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..model import Basis, Relation, RelationKind
from ..text import terminal
from .rows import RowKey, record_row

__all__ = [
    "RowOrigin", "BlameLine", "Blame", "phase_origins", "bases_of", "blame_relations", "relation_label",
    "render_text", "render_csv", "BLAME_KINDS", "BEFORE_PROVENANCE", "CSV_COLUMNS",
]

BLAME_KINDS = (
    RelationKind.seat,
    RelationKind.covers,
    RelationKind.discharges,
    RelationKind.member_of,
    RelationKind.serves,
    RelationKind.accountable_to,
)
"""The relations blame reports on."""

BEFORE_PROVENANCE = "before provenance was recorded"
"""What blame says of a version written by a store older than schema 0003."""


@dataclass(frozen=True)
class RowOrigin:
    """The operation of a phase that changed a row."""

    op_index: int | None
    """1-based, within its phase."""
    operation: str | None
    """The operation's one-line summary (``merge cherwell-csp, oxford-csp into ...``)."""
    basis: Basis | None = None

    def basis_json(self) -> str | None:
        """The basis as stored (compact JSON), or ``None``."""
        return json.dumps(self.basis.to_dict(), sort_keys=True) if self.basis is not None else None


def phase_origins(phase) -> dict[RowKey, RowOrigin]:
    """Which operation changed each row in an applied phase (the last one, if several did).

    Parameters
    ----------
    phase : PhaseResult
        A phase of :func:`~restructure.apply.run_scenario`'s outcome.

    Returns
    -------
    dict
        Row identity (kind, key) -> :class:`RowOrigin`.
    """
    out: dict[RowKey, RowOrigin] = {}
    for i, (op, edits) in enumerate(zip(phase.operations, phase.resolved, strict=True), start=1):
        origin = RowOrigin(i, op.summary(), getattr(op, "basis", None) or phase.basis)
        for edit in edits:
            rec = edit.after if hasattr(edit, "after") else edit.record
            out[record_row(rec)[0]] = origin
    return out


def bases_of(origins: Iterable[RowOrigin]) -> list[Basis]:
    """The distinct bases among origins, in operation order."""
    seen: list[Basis] = []
    for o in sorted(origins, key=lambda o: o.op_index or 0):
        if o.basis is not None and o.basis not in seen:
            seen.append(o.basis)
    return seen


@dataclass(frozen=True)
class BlameLine:
    """A relation in force and the version that last changed it."""

    relation: Relation
    version: str
    author: str
    recorded: dt.datetime
    """When the version was committed (UTC)."""
    branch: str | None
    """The branch it was committed to (recorded since schema 0003)."""
    scenario: str | None
    phase: str | None
    op_index: int | None
    operation: str | None
    basis: Basis | None
    provenance: bool
    """Whether the store recorded provenance for that version (``False``: before schema 0003)."""
    message: str = ""
    """The version's message."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON and CSV."""
        r = self.relation
        return {
            "kind": r.kind.value,
            "source": r.source,
            "target": r.target,
            "area": r.area,
            "start": r.start.isoformat() if r.start else None,
            "end": r.end.isoformat() if r.end else None,
            "version": self.version,
            "branch": self.branch,
            "author": self.author,
            "recorded": self.recorded.isoformat(),
            "scenario": self.scenario,
            "phase": self.phase,
            "op_index": self.op_index,
            "operation": self.operation,
            "basis": self.basis.to_dict() if self.basis is not None else None,
            "provenance": self.provenance,
            "message": self.message,
        }

    def origin(self) -> str:
        """Where the change came from, in one phrase."""
        if not self.provenance:
            return BEFORE_PROVENANCE
        if self.operation is None:
            if self.scenario:
                return f"scenario {self.scenario}, phase {self.phase} (no operation recorded)"
            return f"committed directly: {self.message}"
        text = f"scenario {self.scenario}, phase {self.phase}, operation {self.op_index}: {self.operation}"
        return text + (f"; basis: {self.basis.label()}" if self.basis else "; no basis recorded")


@dataclass(frozen=True)
class Blame:
    """Blame for one area or body at a version: see :meth:`Store.blame <restructure.store.Store.blame>`."""

    ref: str
    version: str
    """The version blamed (``ref`` resolved)."""
    subject: str
    """The area's or body's id."""
    subject_name: str
    as_of: dt.date | None
    lines: tuple[BlameLine, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "ref": self.ref,
            "version": self.version,
            "subject": self.subject,
            "name": self.subject_name,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "relations": [line.to_dict() for line in self.lines],
        }


def relation_label(r: Relation) -> str:
    """A relation in one line: ``ridgeway-csp seat tv-vpp-board for ridgeway (from 2028-10-01)``."""
    text = f"{r.source} {r.kind.value.replace('_', ' ')} {r.target}" + (f" for {r.area}" if r.area else "")
    dates = []
    if r.start:
        dates.append(f"from {r.start.isoformat()}")
    if r.end:
        dates.append(f"until {r.end.isoformat()}")
    return text + (f" ({', '.join(dates)})" if dates else "")


def parse_basis(text: str | None) -> Basis | None:
    """A stored basis (JSON) back as a model."""
    return Basis.model_validate_json(text) if text else None


def touches(r: Relation, subject: str) -> bool:
    """Whether a relation involves an area or body: as source, target, or the area a seat is for."""
    return r.kind in BLAME_KINDS and subject in (r.source, r.target, r.area)


def blame_relations(relations: Iterable[Relation], subject: str, as_of: dt.date | None) -> list[Relation]:
    """The relations blame reports on: touching ``subject``, in force on ``as_of`` (else not ended)."""
    from ..model import in_force

    out = [
        r for r in relations
        if touches(r, subject) and (in_force(r, as_of) if as_of is not None else r.end is None)
    ]
    return sorted(out, key=lambda r: (BLAME_KINDS.index(r.kind), r.key))



# -- renderings ------------------------------------------------------------------------

CSV_COLUMNS = (
    "kind", "source", "target", "area", "start", "end", "version", "branch", "author", "recorded",
    "scenario", "phase", "op_index", "operation", "basis_kind", "basis_reference", "basis_date",
    "basis_url", "basis_assumed", "provenance", "message",
)
"""Columns of ``restructure blame --format csv``, one row per relation."""


def render_text(blame: Blame) -> str:
    """Blame as text: a heading, then per relation its label and where its last change came from.

    Examples
    --------
    >>> render_text(Blame("oxon-two", "3df63f95af19", "ridgeway", "Ridgeway", None, ()))
    'Ridgeway (ridgeway) at oxon-two (3df63f95af19): no relations in force touch it.\\n'
    """
    when = f" on {blame.as_of.isoformat()}" if blame.as_of else ""
    head = f"{blame.subject_name} ({blame.subject}) at {blame.ref} ({blame.version}){when}"
    if not blame.lines:
        return f"{head}: no relations in force touch it.\n"
    out = [f"{head}:"]
    for line in blame.lines:
        on = f" on {line.branch}" if line.branch else ""
        out.append(f"  {relation_label(line.relation)}")
        out.append(
            f"    {line.version}{on}  {line.recorded:%Y-%m-%d %H:%M}  {line.author}  {line.origin()}"
        )
    return terminal("\n".join(out) + "\n")  # authors and messages are typed text


def render_csv(blame: Blame, bom: bool = True) -> str:
    """Blame as CSV (:data:`CSV_COLUMNS`, :mod:`restructure.io.csvfile`), the basis spread over ``basis_*`` columns."""
    from ..io.csvfile import dumps

    rows = []
    for line in blame.lines:
        row = line.to_dict()
        basis = row.pop("basis") or {}
        for field in ("kind", "reference", "date", "url", "assumed"):
            row[f"basis_{field}"] = basis.get(field, "")
        rows.append(["" if row.get(k) is None else row.get(k) for k in CSV_COLUMNS])
    return dumps(CSV_COLUMNS, rows, bom=bom)
