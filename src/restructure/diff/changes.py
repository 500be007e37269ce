"""The planners' summary: what changes between two structures on two dates, in their terms."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from itertools import chain, repeat
from typing import Any

from ..checks.registry import Finding
from ..model import UNIT_KINDS, Area, Body, Relation, RelationKind, in_force
from ..structure import Structure
from .patch import Diff
from .scan import Scan, scan

__all__ = [
    "Changes",
    "Authority",
    "changes",
    "Entry",
    "BeforeAfter",
    "BodyCreated",
    "BodyDissolved",
    "Renamed",
    "Merger",
    "Split",
    "FieldsChanged",
    "AreaInForce",
    "CoverageChange",
    "Member",
    "RoleChange",
    "MembershipChange",
    "SeatChange",
    "LinkChange",
    "RecordsOnly",
    "FindingChanges",
]

R = RelationKind

# -- the sections' entries: one frozen dataclass per kind of change ------------------------------


class Entry:
    """Base of a summary entry: plain data by :meth:`to_dict`, fields also readable as ``entry["field"]``.

    Reading an entry like the dict it replaces (``e["id"]``, ``e == {...}``)
    gives the JSON form (lists, not tuples), so older notebooks keep working.
    """

    __slots__ = ()

    def body_ids(self) -> tuple[str, ...]:
        """The bodies this change is about, for :meth:`Changes.bodies` (none by default)."""
        return ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data, keys in field order (the ``restructure-diff/1`` schema)."""
        return {f.name: _data(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]

    def __getitem__(self, key: str):
        return self.to_dict()[key]

    def get(self, key: str, default=None):
        """Like ``dict.get`` on :meth:`to_dict`."""
        return self.to_dict().get(key, default)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Entry):
            return type(self) is type(other) and self.to_dict() == other.to_dict()
        if isinstance(other, Mapping):
            return self.to_dict() == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(self.to_dict())))


def _data(value):
    """Entries, tuples and mappings as JSON data (lists and dicts)."""
    if isinstance(value, Entry):
        return value.to_dict()
    if isinstance(value, Finding):
        return {k: v for k, v in value.to_dict().items() if k != "until"}
    if isinstance(value, (list, tuple)):
        return [_data(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _data(v) for k, v in value.items()}
    return value


_entry = dataclass(frozen=True, eq=False)


@_entry
class BeforeAfter(Entry):
    """A value on each side."""

    before: Any
    after: Any


@_entry
class BodyCreated(Entry):
    """A body in force after but not before."""

    id: str
    name: str
    kind: str
    predecessors: tuple[str, ...] = ()

    def body_ids(self) -> tuple[str, ...]:
        return (self.id, *self.predecessors)


@_entry
class BodyDissolved(Entry):
    """A body in force before but not after; ``how``: merged, split, succeeded, lapsed or ended."""

    id: str
    name: str
    kind: str
    how: str
    successors: tuple[str, ...] = ()

    def body_ids(self) -> tuple[str, ...]:
        return (self.id, *self.successors)


@_entry
class Renamed(Entry):
    """A body or area whose name changed."""

    id: str
    before: str
    after: str

    def body_ids(self) -> tuple[str, ...]:
        return (self.id,)


@_entry
class Merger(Entry):
    """``bodies`` merged into ``into`` (which is among them if it survived)."""

    into: str
    name: str
    bodies: tuple[str, ...]

    def body_ids(self) -> tuple[str, ...]:
        return (self.into, *self.bodies)


@_entry
class Split(Entry):
    """A body split into several."""

    body: str
    name: str
    into: tuple[str, ...]

    def body_ids(self) -> tuple[str, ...]:
        return (self.body, *self.into)


@_entry
class FieldsChanged(Entry):
    """A continuing body or area whose other fields changed: ``fields`` maps a field to its two values."""

    id: str
    name: str
    fields: Mapping[str, BeforeAfter]

    def body_ids(self) -> tuple[str, ...]:
        return (self.id,)


@_entry
class AreaInForce(Entry):
    """An area that begins or ends."""

    id: str
    name: str
    kind: str


@_entry
class CoverageChange(Entry):
    """A district or unitary whose CSP or Duty partnership changed."""

    area: str
    name: str
    csp: BeforeAfter
    duty: BeforeAfter

    def body_ids(self) -> tuple[str, ...]:
        """The partnerships that gain or lose the area (not those on both sides)."""
        return tuple(sorted(set(self.csp.before) ^ set(self.csp.after) | set(self.duty.before) ^ set(self.duty.after)))


@_entry
class Member(Entry):
    """A member joining or leaving a partnership."""

    id: str
    name: str
    role: str | None = None


@_entry
class RoleChange(Entry):
    """A member whose role in a partnership changed."""

    id: str
    name: str
    before: str | None
    after: str | None


@_entry
class MembershipChange(Entry):
    """A partnership whose members changed; ``status``: continuing, created or dissolved."""

    partnership: str
    name: str
    status: str
    joined: tuple[Member, ...] = ()
    left: tuple[Member, ...] = ()
    role_changed: tuple[RoleChange, ...] = ()

    def body_ids(self) -> tuple[str, ...]:
        return (self.partnership, *(m.id for m in (*self.joined, *self.left, *self.role_changed)))


@_entry
class SeatChange(Entry):
    """A Strategy Board seat (for an area, or a duty holder's) gained, lost, moved or re-roled."""

    board: str
    area: str | None
    change: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    roles: BeforeAfter

    def body_ids(self) -> tuple[str, ...]:
        """The board and the holders that gain or lose the seat (all holders for a change of role)."""
        holders = self.after if self.change == "role" else sorted(set(self.before) ^ set(self.after))
        return (self.board, *holders)


@_entry
class LinkChange(Entry):
    """A body's footprints and reporting lines: relation kind -> target ids, added and removed."""

    body: str
    name: str
    added: Mapping[str, tuple[str, ...]]
    removed: Mapping[str, tuple[str, ...]]

    def body_ids(self) -> tuple[str, ...]:
        """The body, and the bodies it now or no longer reports to."""
        kind = RelationKind.accountable_to.value
        return (self.body, *self.added.get(kind, ()), *self.removed.get(kind, ()))


@_entry
class RecordsOnly(Entry):
    """A body the patch touches with nothing different in force on the dates compared."""

    id: str
    name: str
    note: str

    def body_ids(self) -> tuple[str, ...]:
        return (self.id,)


@_entry
class Authority(Entry):
    """A change event behind the changes and its legal basis (null when none was recorded)."""

    event: str
    kind: str
    date: str
    scenario: str | None
    phase: str | None
    bodies: tuple[str, ...]
    areas: tuple[str, ...]
    approved_by: str | None
    basis: dict | None


@_entry
class FindingChanges(Entry):
    """Findings of the checks introduced by the change and resolved by it."""

    introduced: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = ()


# -- the semantic summary -----------------------------------------------------------------------


def _body_fields(b: Body) -> dict[str, Any]:
    d = b.model_dump(mode="json", exclude={"id", "name", "start", "end"})
    d["attributes"] = dict(sorted(d["attributes"].items()))
    return d


def _area_fields(a: Area) -> dict[str, Any]:
    return a.model_dump(mode="json", exclude={"id", "name", "start", "end"})


def _same(x, y) -> bool:
    """``x == y`` for two records, deciding the common case (equal field values) without pydantic's ``__eq__``."""
    return x is y or (type(x) is type(y) and x.__dict__ == y.__dict__) or x == y


def _changed_fields(fa: dict[str, Any], fb: dict[str, Any]) -> dict[str, BeforeAfter]:
    return {k: BeforeAfter(fa[k], fb[k]) for k in sorted(fa) if fa[k] != fb[k]}


@dataclass(frozen=True)
class Changes:
    """What changed, in planners' terms, between ``a`` on one date and ``b`` on another.

    Every section is a list of frozen entries (:class:`BodyCreated`,
    :class:`CoverageChange`, ...), sorted by id; :meth:`to_dict` is the
    ``changes`` object of the ``restructure-diff/1`` JSON schema.
    """

    on_before: dt.date | None = None
    on_after: dt.date | None = None
    created: list[BodyCreated] = field(default_factory=list)
    """Bodies in force after but not before."""
    dissolved: list[BodyDissolved] = field(default_factory=list)
    """Bodies in force before but not after."""
    renamed: list[Renamed] = field(default_factory=list)
    """Bodies renamed."""
    merged: list[Merger] = field(default_factory=list)
    split: list[Split] = field(default_factory=list)
    bodies_changed: list[FieldsChanged] = field(default_factory=list)
    """Continuing bodies whose other fields changed."""
    areas_created: list[AreaInForce] = field(default_factory=list)
    areas_ended: list[AreaInForce] = field(default_factory=list)
    areas_renamed: list[Renamed] = field(default_factory=list)
    areas_changed: list[FieldsChanged] = field(default_factory=list)
    """Continuing areas whose kind, GSS code, note or parent (``within``) changed."""
    coverage: list[CoverageChange] = field(default_factory=list)
    """Units whose CSP or Duty partnership changed."""
    memberships: list[MembershipChange] = field(default_factory=list)
    seats: list[SeatChange] = field(default_factory=list)
    links: list[LinkChange] = field(default_factory=list)
    """Footprints and reporting lines."""
    findings: FindingChanges | None = None
    """From :func:`restructure.checks.run_state` on both sides; ``None`` if not run."""
    records_only: list[RecordsOnly] = field(default_factory=list)
    """Bodies the patch touches with nothing different in force on the two dates compared (a body
    in force only between them, a relation re-dated or annotated)."""
    names: dict[str, str] = field(default_factory=dict)
    """Id -> name of every body and area the sections mention (after's name if it has one)."""
    authority: list[Authority] = field(default_factory=list)
    """The change events behind the changes, with their legal basis."""

    _SECTIONS = (
        "created", "dissolved", "renamed", "merged", "split", "bodies_changed",
        "areas_created", "areas_ended", "areas_renamed", "areas_changed",
        "coverage", "memberships", "seats", "links", "records_only",
    )

    @property
    def empty(self) -> bool:
        """True when nothing changed in planners' terms (findings included)."""
        if any(getattr(self, s) for s in self._SECTIONS):
            return False
        return not (self.findings and (self.findings.introduced or self.findings.resolved))

    def counts(self) -> dict[str, int]:
        """How many of each change (the numbers of the ``--stat`` line)."""
        cov = self.coverage
        return {
            "bodies_created": len(self.created),
            "bodies_dissolved": len(self.dissolved),
            "bodies_renamed": len(self.renamed),
            "mergers": len(self.merged),
            "splits": len(self.split),
            "bodies_changed": len(self.bodies_changed),
            "areas_created": len(self.areas_created),
            "areas_ended": len(self.areas_ended),
            "areas_renamed": len(self.areas_renamed),
            "areas_changed": len(self.areas_changed),
            "areas_change_csp": sum(1 for c in cov if c.csp.before != c.csp.after),
            "areas_change_duty": sum(1 for c in cov if c.duty.before != c.duty.after),
            "partnerships_change_members": len(self.memberships),
            "seats_gained": sum(1 for s in self.seats if s.change == "gained"),
            "seats_lost": sum(1 for s in self.seats if s.change == "lost"),
            "seats_moved": sum(1 for s in self.seats if s.change in ("moved", "role")),
            "bodies_relinked": len(self.links),
            "bodies_records_only": len(self.records_only),
            "findings_introduced": len(self.findings.introduced) if self.findings else 0,
            "findings_resolved": len(self.findings.resolved) if self.findings else 0,
        }

    def bodies(self) -> list[str]:
        """Every body this summary reports a change for, sorted.

        Bodies that merely stay on both sides of a change (a CSP that keeps
        covering an area whose other CSP changed) are not counted.
        """
        sections = (
            self.created, self.dissolved, self.renamed, self.merged, self.split, self.bodies_changed,
            self.coverage, self.memberships, self.seats, self.links, self.records_only,
        )
        return sorted({i for section in sections for e in section for i in e.body_ids()})

    def to_dict(self) -> dict[str, Any]:
        """Plain data: one key per section, plus ``findings`` (null when the checks were not run)."""
        return _data({
            "bodies": {
                "created": self.created,
                "dissolved": self.dissolved,
                "renamed": self.renamed,
                "merged": self.merged,
                "split": self.split,
                "changed": self.bodies_changed,
            },
            "areas": {
                "created": self.areas_created,
                "ended": self.areas_ended,
                "renamed": self.areas_renamed,
                "changed": self.areas_changed,
            },
            "coverage": self.coverage,
            "memberships": self.memberships,
            "seats": self.seats,
            "links": self.links,
            "records_only": self.records_only,
            "authority": self.authority,
            "findings": self.findings,
            "names": self.names,
        })


class _View:
    """One side as it stands on a date, indexed in one pass (the checks' :class:`Snapshot`).

    Answers as ``Structure.as_of(on)`` would (a relation counts when it and
    both its ends are in force), without copying the graph; ``on=None`` reads
    every record.
    """

    def __init__(self, s: Structure, on: dt.date | None) -> None:
        from ..checks.snapshot import Snapshot

        self.structure = s
        self.snap = Snapshot(s, on)  # type: ignore[arg-type]  # None: every record is in force
        self.bodies: dict[str, Body] = self.snap.bodies
        self.areas: dict[str, Area] = self.snap.areas

    def get(self, id_: str):
        return self.bodies.get(id_) or self.areas.get(id_)

    def relations(self, kind: RelationKind) -> list[Relation]:
        return self.snap.live.get(kind, [])

    def parents(self, area: str) -> list[str]:
        return list(self.snap.parents.get(area, ()))

    def units(self) -> list[Area]:
        return self.snap.units

    def reaching(self, kind: RelationKind, area: str) -> list[str]:
        """Bodies whose ``kind`` reaches all or part of the area (``covering(area, whole=False)``)."""
        return sorted(self.snap.reaching(kind, area))


class _InForce:
    """The areas (or the bodies) of a structure in force on a date, looked up by id when asked.

    Reads like the dicts of :class:`_View` (``in``, ``[]``, ``get``) without a pass over every record.
    """

    __slots__ = ("_node", "_on", "_areas")

    def __init__(self, node: dict, on: dt.date | None, areas: bool) -> None:
        self._node, self._on, self._areas = node, on, areas

    def get(self, id_: str, default=None):
        data = self._node.get(id_)
        if data is None:
            return default
        rec = data["record"]
        # the exact types first: isinstance on a pydantic model class that the record is not an
        # instance of goes through ABCMeta's __instancecheck__, in Python
        kind = type(rec)
        area = True if kind is Area else False if kind is Body else isinstance(rec, Area)
        if area is not self._areas:
            return default
        on = self._on  # in_force, inlined: called for every id the summary looks at
        if on is not None and ((rec.start is not None and on < rec.start) or (rec.end is not None and on >= rec.end)):
            return default
        return rec

    def __contains__(self, id_: str) -> bool:
        return self.get(id_) is not None

    def __getitem__(self, id_: str):
        rec = self.get(id_)
        if rec is None:
            raise KeyError(id_)
        return rec


class _Side:
    """One side on a date, answered on demand: what :class:`_View` answers, for the ids asked about.

    ``units`` and ``pairs`` come from :func:`~restructure.diff.scan.scan`: the ids of the areas of
    unit kinds, and the (source, target) of the relations other than ``within``, whatever their
    dates. Everything else is read from the graph's adjacency dicts when asked (and memoised).
    """

    def __init__(self, s: Structure, on: dt.date | None, units: set[str], pairs: set[tuple[str, str]]) -> None:
        self.structure = s
        self.on = on
        self._node = node = s.graph._node
        self.bodies = _InForce(node, on, False)
        self.areas = _InForce(node, on, True)
        self._unit_ids = units
        self._pairs = pairs
        self._succ = s.graph._succ
        self._parent_memo: dict[str, tuple[str, ...]] = {}
        self._ancestor_memo: dict[str, tuple[str, ...]] = {}
        self._direct_memo: dict[RelationKind, dict[str, set[str]]] = {}
        self._below_memo: dict[RelationKind, dict[str, set[str]]] = {}

    def get(self, id_: str):
        """The area or body in force with this id, or ``None``."""
        data = self._node.get(id_)
        if data is None:
            return None
        rec = data["record"]
        return rec if in_force(rec, self.on) else None

    @cached_property
    def _live(self) -> dict[RelationKind, list[Relation]]:
        # A relation counts when it and both its ends are in force (as the checks' Snapshot). Order
        # matters only between relations with the same two ends (the last role read wins), and
        # those come from one adjacency dict in the structure's own order.
        out: dict[RelationKind, list[Relation]] = defaultdict(list)
        on, succ, within = self.on, self._succ, R.within
        for u, v in sorted(self._pairs):
            if self.get(u) is None or self.get(v) is None:
                continue
            for data in succ[u][v].values():
                rel = data["record"]
                if rel.kind is not within and in_force(rel, on):
                    out[rel.kind].append(rel)
        return out

    def relations(self, kind: RelationKind) -> list[Relation]:
        return self._live.get(kind, [])

    def _parents(self, area: str) -> tuple[str, ...]:
        found = self._parent_memo.get(area)
        if found is None:
            out: list[str] = []
            areas = self.areas
            if area in areas:
                on, within = self.on, R.within
                for v, keydict in self._succ.get(area, {}).items():
                    for data in keydict.values():
                        rel = data["record"]
                        if rel.kind is within and in_force(rel, on):
                            if v in areas:
                                out.append(v)
                            break
            found = self._parent_memo[area] = tuple(sorted(out))
        return found

    def parents(self, area: str) -> list[str]:
        return list(self._parents(area))

    def ancestors(self, area: str) -> tuple[str, ...]:
        """Every area this one lies within, nearest first (as ``Snapshot.ancestors``)."""
        found = self._ancestor_memo.get(area)
        if found is None:
            seen: list[str] = []
            todo = list(self._parents(area))
            while todo:
                a = todo.pop(0)
                if a in seen or a == area:
                    continue
                seen.append(a)
                todo.extend(self._parents(a))
            found = self._ancestor_memo[area] = tuple(seen)
        return found

    @cached_property
    def _units(self) -> list[Area]:
        out = []
        for i in self._unit_ids:
            rec = self.areas.get(i)
            if rec is not None and not any(self.areas[p].kind in UNIT_KINDS for p in self.ancestors(i)):
                out.append(rec)
        return sorted(out, key=lambda a: a.id)

    def units(self) -> list[Area]:
        return self._units

    def _direct(self, kind: RelationKind) -> dict[str, set[str]]:
        found = self._direct_memo.get(kind)
        if found is None:
            found = self._direct_memo[kind] = defaultdict(set)
            for rel in self.relations(kind):
                if rel.source in self.bodies and rel.target in self.areas:
                    found[rel.target].add(rel.source)
        return found

    def _below(self, kind: RelationKind) -> dict[str, set[str]]:
        found = self._below_memo.get(kind)
        if found is None:
            found = self._below_memo[kind] = defaultdict(set)
            for area, bodies in self._direct(kind).items():
                for a in self.ancestors(area):
                    found[a] |= bodies
        return found

    def reaching(self, kind: RelationKind, area: str) -> list[str]:
        """Bodies whose ``kind`` relation reaches the area or any part of it (as :meth:`_View.reaching`)."""
        direct = self._direct(kind)
        found = set(self._below(kind).get(area, ()))
        for a in (area, *self.ancestors(area)):
            found |= direct.get(a, set())
        return sorted(found)


def _lineage(b: Structure, ended: set[str]) -> tuple[dict[str, list[str]], dict[tuple[str, str], str]]:
    """Successors (bodies) of each ended body, from ``succeeded_by`` in ``b``; and each link's event kind."""
    succ: dict[str, set[str]] = defaultdict(set)
    kinds: dict[tuple[str, str], str] = {}
    for p in ended:
        for rel in b.relations(R.succeeded_by, source=p):
            if isinstance(b.get(rel.target), Body):
                succ[p].add(rel.target)
                ev = b.events.get(rel.event) if rel.event else None
                if ev is not None:
                    kinds[(p, rel.target)] = ev.kind
    return {p: sorted(s) for p, s in succ.items()}, kinds


def changes(
    a: Structure,
    b: Structure,
    on_a: dt.date | None = None,
    on_b: dt.date | None = None,
    *,
    findings: bool = True,
    patch: Diff | None = None,
) -> Changes:
    """Summarise what changes from ``a`` on ``on_a`` to ``b`` on ``on_b``, in planners' terms.

    Parameters
    ----------
    a, b : Structure
        Dated structures (or snapshots).
    on_a, on_b : date, optional
        The dates to compare; ``None`` reads every record, whatever its dates.
    findings : bool
        Run the checks on both sides (needs both dates) and report findings
        introduced and resolved.
    patch : Diff, optional
        ``diff(a, b)``, when known: bodies it touches that no section names
        are listed in ``records_only``, so that no change goes unsaid.

    Returns
    -------
    Changes

    Examples
    --------
    >>> a = Structure.from_yaml('''
    ... areas: [{id: U1, name: Town, kind: unitary}]
    ... bodies: [{id: old-csp, name: Old CSP, kind: community_safety_partnership}]
    ... relations: [{kind: covers, source: old-csp, target: U1}]
    ... ''')
    >>> b = Structure.from_yaml('''
    ... areas: [{id: U1, name: Town, kind: unitary}]
    ... bodies: [{id: new-csp, name: New CSP, kind: community_safety_partnership}]
    ... relations: [{kind: covers, source: new-csp, target: U1}]
    ... ''')
    >>> c = changes(a, b, findings=False)
    >>> [e.id for e in c.created], [e.id for e in c.dissolved], c.coverage[0].csp
    (['new-csp'], ['old-csp'], BeforeAfter(before=('old-csp',), after=('new-csp',)))
    >>> c.coverage[0].to_dict()["csp"]
    {'before': ['old-csp'], 'after': ['new-csp']}
    """
    return _changes(a, b, on_a, on_b, findings=findings, patch=patch, scanned=scan(a, b, edits=False))


def _changes(
    a: Structure,
    b: Structure,
    on_a: dt.date | None,
    on_b: dt.date | None,
    *,
    findings: bool,
    patch: Diff | None,
    scanned: Scan | None,
) -> Changes:
    """:func:`changes`, from a scan of the two structures or, with ``scanned=None``, from every record.

    With a scan, only the ids that can differ are looked at: a body or area whose record is the
    same on both sides stands the same on both when the dates are the same (and when it is
    undated); its parents differ only if a ``within`` relation from it, or an area it lies
    within, does. Without one, each side is indexed in full (the checks'
    :class:`~restructure.checks.snapshot.Snapshot`) and every id is looked at: the reference
    the fast path is tested against.
    """
    if scanned is None:
        sa: _View | _Side = _View(a, on_a)
        sb: _View | _Side = _View(b, on_b)
        body_ids = set(sa.bodies) | set(sb.bodies)
        area_ids = set(sa.areas) | set(sb.areas)
    else:
        sa = _Side(a, on_a, scanned.units[0], scanned.pairs[0])
        sb = _Side(b, on_b, scanned.units[1], scanned.pairs[1])
        body_ids = scanned.changed | scanned.dated if on_a != on_b else scanned.changed
        area_ids = body_ids | scanned.within
        nothing: dict = {}
        for g in (a.graph, b.graph):
            # what lies within a changed area may change parents (the predecessors' dicts chained in C)
            area_ids.update(chain.from_iterable(map(g._pred.get, body_ids, repeat(nothing))))
    ba, bb = sa.bodies, sb.bodies
    gone: set[str] = set()
    new: set[str] = set()
    both: list[str] = []
    in_a, in_b = ba.get, bb.get  # the record or None: one lookup each, where ``in`` is a second call
    for i in body_ids:
        if in_a(i) is not None:
            if in_b(i) is not None:
                both.append(i)
            else:
                gone.add(i)
        elif in_b(i) is not None:
            new.add(i)
    both.sort()

    succ, ev_kind = _lineage(b, gone)
    preds: dict[str, set[str]] = defaultdict(set)
    for p, ss in succ.items():
        for s_ in ss:
            preds[s_].add(p)

    merged = []
    merged_away: set[str] = set()
    for s_ in sorted(preds):
        sole = sorted(p for p in preds[s_] if succ[p] == [s_])
        if len(sole) >= 2 or any(ev_kind.get((p, s_)) == "merge" for p in sole):
            bodies = sorted(set(sole) | ({s_} if s_ in ba and s_ in bb else set()))
            merged.append(Merger(s_, _name(b, s_), tuple(bodies)))
            merged_away.update(sole)
    split = [Split(p, ba[p].name, tuple(ss)) for p, ss in sorted(succ.items()) if len(ss) >= 2]
    split_away = {e.body for e in split}

    lapsed = {p for ev in b.events.values() if ev.kind == "lapse" for p in ev.predecessors}

    def how(p: str) -> str:
        if p in merged_away:
            return "merged"
        if p in split_away:
            return "split"
        if succ.get(p):
            return "succeeded"
        return "lapsed" if p in lapsed else "ended"

    created = [BodyCreated(i, bb[i].name, bb[i].kind.value, tuple(sorted(preds.get(i, ())))) for i in sorted(new)]
    dissolved = [
        BodyDissolved(i, ba[i].name, ba[i].kind.value, how(i), tuple(succ.get(i, []))) for i in sorted(gone)
    ]
    renamed = [Renamed(i, ba[i].name, bb[i].name) for i in both if ba[i].name != bb[i].name]
    bodies_changed = []
    for i in both:
        # summaries only for what changed: equal records (often the same object) have no field changes
        same = _same(ba[i], bb[i])
        diffs = {} if same else _changed_fields(_body_fields(ba[i]), _body_fields(bb[i]))
        if diffs:
            bodies_changed.append(FieldsChanged(i, bb[i].name, diffs))

    # areas ------------------------------------------------------------------------------
    aa, ab = sa.areas, sb.areas
    areas_created = []
    areas_ended = []
    areas_renamed = []
    areas_changed = []
    for i in sorted(area_ids):
        ra, rb = aa.get(i), ab.get(i)
        if ra is None:
            if rb is not None:
                areas_created.append(AreaInForce(i, rb.name, rb.kind.value))
            continue
        if rb is None:
            areas_ended.append(AreaInForce(i, ra.name, ra.kind.value))
            continue
        if ra.name != rb.name:
            areas_renamed.append(Renamed(i, ra.name, rb.name))
        same = _same(ra, rb)
        diffs = {} if same else _changed_fields(_area_fields(ra), _area_fields(rb))
        pa, pb = sa.parents(i), sb.parents(i)
        if pa != pb:
            diffs["within"] = BeforeAfter(tuple(pa), tuple(pb))
        if diffs:
            areas_changed.append(FieldsChanged(i, rb.name, diffs))

    coverage = _coverage(sa, sb)
    memberships = _memberships(sa, sb, ba, bb)
    seats = _seats(sa, sb)
    links = _links(sa, sb, bb, ba)

    found = None
    if findings and on_a is not None and on_b is not None:
        found = _findings(a, b, on_a, on_b)

    result = Changes(
        created=created, dissolved=dissolved, renamed=renamed, merged=merged, split=split,
        bodies_changed=bodies_changed, coverage=coverage, memberships=memberships, seats=seats, links=links,
    )
    records_only = []
    if patch is not None:
        said = set(result.bodies())
        records_only = [_records_only(a, b, i) for i in patch.bodies(a, b) if i not in said]
    sections = [
        created, dissolved, renamed, merged, split, bodies_changed,
        areas_created, areas_ended, areas_renamed, areas_changed, coverage, memberships, seats, links,
        records_only,
    ]
    names = {}
    bn, an = b.graph._node, a.graph._node
    if scanned is None:
        mentioned = _strings(_data(sections))
    else:
        # only the ids of records have names: the names, kinds and field names mentioned are left out in C
        mentioned = _mentioned(sections)
        mentioned = {*filter(bn.__contains__, mentioned), *filter(an.__contains__, mentioned)}
    for i in sorted(mentioned):
        rec = sb.get(i) or sa.get(i)
        if rec is None:  # as b.get(i) or a.get(i), from the node dicts
            data = bn.get(i) or an.get(i)
            rec = data["record"] if data else None
        if rec is not None:
            names[i] = rec.name
    return Changes(
        on_before=on_a, on_after=on_b, authority=_authority(a, b, on_a, on_b),
        created=created, dissolved=dissolved, renamed=renamed, merged=merged, split=split,
        bodies_changed=bodies_changed,
        areas_created=areas_created, areas_ended=areas_ended, areas_renamed=areas_renamed,
        areas_changed=areas_changed,
        coverage=coverage, memberships=memberships, seats=seats, links=links, findings=found,
        records_only=records_only, names=names,
    )


def _authority(a: Structure, b: Structure, on_a: dt.date | None, on_b: dt.date | None) -> list[Authority]:
    """The change events that ``b`` adds over ``a`` (or dated between the two dates), with their basis."""
    out = []
    for ev in sorted(b.events.values(), key=lambda e: (e.date, e.id)):
        new = ev.id not in a.events or (on_a is not None and ev.date > on_a)
        if not new or (on_b is not None and ev.date > on_b) or (on_a is not None and ev.date <= on_a and ev.id in a.events):
            continue
        out.append(Authority(
            ev.id, ev.kind, ev.date.isoformat(), ev.scenario, ev.phase, tuple(sorted({*ev.predecessors, *ev.successors})),
            tuple(ev.areas), ev.approved_by, ev.basis.to_dict() if ev.basis is not None else None,
        ))
    return out


def _records_only(a: Structure, b: Structure, id_: str) -> RecordsOnly:
    rec = b.get(id_) or a.get(id_)
    if isinstance(rec, Body) and (rec.start or rec.end) and (a.get(id_) is None or b.get(id_) is None):
        span = f"{rec.start or 'before the records'} to {rec.end or 'now'}"
        note = f"in force {span} only, between the dates compared"
    else:
        note = "its records changed (dates, notes or sources), nothing different in force on the dates compared"
    return RecordsOnly(id_, rec.name if rec is not None else id_, note)


def _strings(value) -> set[str]:
    """Every string in nested lists and dicts (keys included): the ids a summary mentions."""
    out: set[str] = set()
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            out.add(v)
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return out


def _mentioned(sections) -> set[str]:
    """Every string in the JSON form of the sections (as ``_strings(_data(sections))``), read off the entries.

    An entry's JSON form is a dict keyed by its field names, so those count too.
    """
    out: set[str] = set()
    stack = [sections]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            out.add(v)
        elif isinstance(v, Entry):
            d = vars(v)
            out.update(d)
            stack.extend(d.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
        elif isinstance(v, Mapping):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, Finding):
            stack.append(_data(v))
    return out


def _name(s: Structure | _View | _Side, id_: str) -> str:
    rec = s.get(id_)
    return rec.name if rec is not None else id_


def _coverage(sa: _View | _Side, sb: _View | _Side) -> list[CoverageChange]:
    if not any(s.relations(kind) for s in (sa, sb) for kind in (R.covers, R.discharges)):
        return []  # nothing covers or discharges on either side: no unit's partnerships can differ
    units = {u.id: u for u in sa.units()}
    units.update({u.id: u for u in sb.units()})
    out = []
    for uid in sorted(units):
        csp_a = sa.reaching(R.covers, uid) if uid in sa.areas else []
        csp_b = sb.reaching(R.covers, uid) if uid in sb.areas else []
        duty_a = sa.reaching(R.discharges, uid) if uid in sa.areas else []
        duty_b = sb.reaching(R.discharges, uid) if uid in sb.areas else []
        if csp_a != csp_b or duty_a != duty_b:
            out.append(CoverageChange(
                uid, units[uid].name, BeforeAfter(tuple(csp_a), tuple(csp_b)), BeforeAfter(tuple(duty_a), tuple(duty_b))
            ))
    return out


def _memberships(sa: _View | _Side, sb: _View | _Side, ba: dict, bb: dict) -> list[MembershipChange]:
    def roles(s: _View | _Side) -> dict[str, dict[str, str | None]]:
        out: dict[str, dict[str, str | None]] = defaultdict(dict)
        for r in s.relations(R.member_of):
            out[r.target][r.source] = r.role
        return out

    ma, mb = roles(sa), roles(sb)
    out = []
    for p in sorted(set(ma) | set(mb)):
        before, after = ma.get(p, {}), mb.get(p, {})
        joined = tuple(Member(m, _name(sb, m), after[m]) for m in sorted(set(after) - set(before)))
        left = tuple(Member(m, _name(sa, m), before[m]) for m in sorted(set(before) - set(after)))
        role_changed = tuple(
            RoleChange(m, _name(sb, m), before[m], after[m])
            for m in sorted(set(before) & set(after)) if before[m] != after[m]
        )
        if not (joined or left or role_changed):
            continue
        status = "continuing" if p in ba and p in bb else "created" if p in bb else "dissolved"
        out.append(MembershipChange(p, _name(sb if p in bb else sa, p), status, joined, left, role_changed))
    return out


def _seats(sa: _View | _Side, sb: _View | _Side) -> list[SeatChange]:
    def table(s: _View | _Side) -> dict[tuple[str, str], dict[str, str | None]]:
        out: dict[tuple[str, str], dict[str, str | None]] = defaultdict(dict)
        for r in s.relations(R.seat):
            # duty-holder seats (no area) are one per holder; area seats one per area
            key = (r.target, r.area) if r.area else (r.target, "", r.source)
            out[key][r.source] = r.role
        return out

    ta, tb = table(sa), table(sb)
    out = []
    for key in sorted(set(ta) | set(tb)):
        before, after = ta.get(key, {}), tb.get(key, {})
        if before == after:
            continue
        if not before:
            change = "gained"
        elif not after:
            change = "lost"
        elif set(before) != set(after):
            change = "moved"
        else:
            change = "role"
        out.append(SeatChange(
            key[0], key[1] or None, change, tuple(sorted(before)), tuple(sorted(after)),
            BeforeAfter(tuple(before[h] for h in sorted(before)), tuple(after[h] for h in sorted(after))),
        ))
    return out


_LINK_KINDS = (R.covers, R.discharges, R.serves, R.accountable_to)


def _links(sa: _View | _Side, sb: _View | _Side, bb: dict, ba: dict) -> list[LinkChange]:
    def tuples(s: _View | _Side) -> set[tuple[str, str, str, str]]:
        return {
            (r.source, r.kind.value, r.target, r.role or "")
            for kind in _LINK_KINDS for r in s.relations(kind)
        }

    ta, tb = tuples(sa), tuples(sb)
    by_body: dict[str, dict[str, dict[str, set[str]]]] = defaultdict(lambda: {"added": defaultdict(set), "removed": defaultdict(set)})
    for src, kind, tgt, _role in tb - ta:
        by_body[src]["added"][kind].add(tgt)
    for src, kind, tgt, _role in ta - tb:
        by_body[src]["removed"][kind].add(tgt)
    out = []
    for body in sorted(by_body):
        e = by_body[body]
        out.append(LinkChange(
            body,
            bb[body].name if body in bb else _name(sa, body),
            {k: tuple(sorted(v)) for k, v in sorted(e["added"].items())},
            {k: tuple(sorted(v)) for k, v in sorted(e["removed"].items())},
        ))
    return out


def _findings(a: Structure, b: Structure, on_a: dt.date, on_b: dt.date) -> FindingChanges:
    from ..checks import run_state

    fa = {f.identity: f for f in run_state(a, on_a)}
    fb = {f.identity: f for f in run_state(b, on_b)}

    def rows(found: dict, other: dict) -> tuple[Finding, ...]:
        keep = [f for k, f in found.items() if k not in other]
        return tuple(sorted(keep, key=lambda f: (f.severity.rank, f.code, f.message, f.bodies, f.areas)))

    return FindingChanges(rows(fb, fa), rows(fa, fb))
