"""What changes between two structures: a patch of primitive edits and a planners' summary.

Two views of one comparison:

* :class:`Diff` -- the *patch*: primitive :class:`~restructure.operations.Add`,
  ``Remove`` and ``Update`` edits keyed by record identity (areas and bodies by
  id, relations by kind, source, target, area and start, change events by id),
  in an order :func:`~restructure.apply.apply_edits` can apply. ``patch(a,
  diff(a, b)) == b``. Its reverse is derived by inverting the edits, never by
  comparing again; re-sorted into the same canonical order, it is exactly
  ``diff(b, a)``. The structures' name, description and sources are carried as
  ``metadata`` so that patching reproduces ``b`` exactly.
* :class:`Changes` -- the *semantic* summary, in planners' terms: bodies
  created, dissolved (with successors), renamed, merged (who into whom) and
  split (into what), from lineage; for each unit of Serious Violence Duty
  coverage, the partnership covering it and discharging the Duty before and
  after; membership changes per partnership; Strategy Board seats gained, lost
  or moved; footprints and reporting lines gained or lost; findings of the
  checks introduced and resolved. It compares ``a`` on one date with ``b`` on
  another (for a scenario: the base on the day before its first phase with the
  result on its last phase date).

:class:`Comparison` holds both and renders them as text, a one-line stat,
JSON (schema ``restructure-diff/1``, see ``docs/readme/diff.md``) or Markdown
for board papers. Every list is sorted with an explicit key, so diffs of diffs
are meaningful.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import operations as O
from .errors import ValidationFailed
from .model import Area, Body, ChangeEvent, Relation, RelationKind
from .structure import Structure

__all__ = [
    "SCHEMA",
    "Diff",
    "Changes",
    "Side",
    "Comparison",
    "diff",
    "patch",
    "changes",
    "compare",
    "compare_scenario",
    "compare_refs",
    "default_dates",
    "is_scenario_file",
]

SCHEMA = "restructure-diff/1"
"""The JSON schema id written in ``Comparison.to_dict()["schema"]``; bumped on any breaking change."""

R = RelationKind
_META_FIELDS = ("name", "description", "sources")

# -- the patch -------------------------------------------------------------------------------

# Canonical order of edits: one group rank per (edit, record sort). Any set of edits that turns
# one valid structure into another applies cleanly in this order: relations go before the nodes
# they hang on are removed, and come back after the nodes they need are added.
_REMOVE_RELATION, _REMOVE_NODE, _UPDATE_NODE, _ADD_NODE = 0, 1, 2, 3
_UPDATE_RELATION, _ADD_RELATION, _REMOVE_EVENT, _UPDATE_EVENT, _ADD_EVENT = 4, 5, 6, 7, 8


def _record_of(edit: O.Primitive):
    return edit.before if isinstance(edit, O.Update) else edit.record


def _rank(edit: O.Primitive) -> int:
    rec = _record_of(edit)
    if isinstance(rec, Relation):
        kind = "relation"
    elif isinstance(rec, ChangeEvent):
        kind = "event"
    else:
        kind = "node"
    table = {
        ("remove", "relation"): _REMOVE_RELATION,
        ("remove", "node"): _REMOVE_NODE,
        ("update", "node"): _UPDATE_NODE,
        ("add", "node"): _ADD_NODE,
        ("update", "relation"): _UPDATE_RELATION,
        ("add", "relation"): _ADD_RELATION,
        ("remove", "event"): _REMOVE_EVENT,
        ("update", "event"): _UPDATE_EVENT,
        ("add", "event"): _ADD_EVENT,
    }
    return table[(edit.op, kind)]


def _edit_key(edit: O.Primitive) -> tuple:
    rec = _record_of(edit)
    key = rec.key
    # areas and bodies share one id space; areas first when both are at the same rank
    sort = 0 if isinstance(rec, Area) else 1
    return (_rank(edit), sort, key if isinstance(key, tuple) else (key,))


def _canonical(edits: Iterable[O.Primitive]) -> tuple[O.Primitive, ...]:
    return tuple(sorted(edits, key=_edit_key))


_FIRST = ("id", "kind", "source", "target", "area", "role", "name", "date")
_LAST = ("start", "end", "sources", "note")


def _rec_data(rec) -> dict[str, Any]:
    """A record as plain JSON data: identity first, dates and provenance last, empty fields left out."""
    d = {k: v for k, v in rec.model_dump(mode="json", exclude_defaults=True).items() if v not in ([], {})}
    if "attributes" in d:
        d["attributes"] = dict(sorted(d["attributes"].items()))
    head = {k: d.pop(k) for k in _FIRST if k in d}
    tail = {k: d.pop(k) for k in _LAST if k in d}
    return {**head, **d, **tail}


def _field_name(rec) -> str:
    return {Area: "area", Body: "body", Relation: "relation", ChangeEvent: "event"}[type(rec)]


def _edit_data(edit: O.Primitive) -> dict[str, Any]:
    if isinstance(edit, O.Update):
        return {"op": "update", _field_name(edit.before): [_rec_data(edit.before), _rec_data(edit.after)]}
    return {"op": edit.op, _field_name(edit.record): _rec_data(edit.record)}


def _yaml_dates(value):
    # YAML writes real dates unquoted; the JSON form carries ISO strings
    if isinstance(value, dict):
        return {
            k: (dt.date.fromisoformat(v) if k in ("start", "end", "date") and isinstance(v, str) else _yaml_dates(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_yaml_dates(v) for v in value]
    return value


@dataclass(frozen=True)
class Diff:
    """A patch from one structure to another: primitive edits in canonical order.

    Attributes
    ----------
    ops : tuple of Add, Remove, Update
        The edits, ordered so that :func:`~restructure.apply.apply_edits` applies them.
    metadata : tuple of (field, before, after)
        Changes to the structure's ``name``, ``description`` and ``sources``.

    Examples
    --------
    >>> a = Structure.from_yaml("areas: [{id: E06000038, name: Reading, kind: unitary}]")
    >>> b = Structure.from_yaml("areas: [{id: E06000038, name: Reading Borough, kind: unitary}]")
    >>> d = diff(a, b)
    >>> [e.summary() for e in d.ops]
    ['update area E06000038: name']
    >>> patch(a, d) == b, patch(b, d.reverse()) == a
    (True, True)
    """

    ops: tuple[O.Primitive, ...] = ()
    metadata: tuple[tuple[str, Any, Any], ...] = ()

    def __len__(self) -> int:
        return len(self.ops)

    def __bool__(self) -> bool:
        return bool(self.ops or self.metadata)

    @property
    def empty(self) -> bool:
        """True when the two structures are equal (no edits, same name and sources)."""
        return not self

    def reverse(self) -> Diff:
        """The patch back: each edit inverted (:func:`~restructure.apply.invert`), in canonical order.

        Equal to ``diff(b, a)`` for ``self == diff(a, b)``, but derived without comparing again.
        """
        from .apply import invert

        return Diff(_canonical(invert(list(self.ops))), tuple((f, after, before) for f, before, after in self.metadata))

    def apply(self, structure: Structure) -> Structure:
        """Apply the patch to a copy of ``structure`` (see :func:`patch`)."""
        return patch(structure, self)

    def counts(self) -> dict[str, int]:
        """Number of edits by kind: ``add``, ``remove``, ``update``, and in total."""
        out = {"add": 0, "remove": 0, "update": 0}
        for e in self.ops:
            out[e.op] += 1
        out["total"] = len(self.ops)
        return out

    def bodies(self, *structures: Structure) -> list[str]:
        """Bodies the patch touches: body records edited, and relation ends that are bodies.

        ``structures`` (normally the two compared) say which relation ends are
        bodies. Change events are not counted: they only record.
        """
        out: set[str] = set()
        for e in self.ops:
            rec = _record_of(e)
            if isinstance(rec, Body):
                out.add(rec.id)
            elif isinstance(rec, Relation):
                for end in (rec.source, rec.target):
                    if any(isinstance(s.get(end), Body) for s in structures):
                        out.add(end)
        return sorted(out)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``{"metadata": [...], "edits": [...]}`` (JSON-ready, ISO dates)."""
        return {
            "metadata": [{"field": f, "before": _plain(b), "after": _plain(a)} for f, b, a in self.metadata],
            "edits": [_edit_data(e) for e in self.ops],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Diff:
        """Read back :meth:`to_dict` (or a list of edits).

        Raises
        ------
        ValidationFailed
            An entry is not a primitive edit (``add``, ``remove``, ``update``).
        """
        from pydantic import ValidationError

        from .io.yamlfile import validation_error

        edits = data.get("edits", []) if isinstance(data, dict) else data
        try:
            ops = O.operations_adapter.validate_python(edits)
        except ValidationError as exc:
            raise validation_error(exc, None, prefix=["edits"]) from None
        for i, op in enumerate(ops):
            if not isinstance(op, (O.Add, O.Remove, O.Update)):
                raise ValidationFailed(f"edits[{i}] is '{op.op}', not a primitive edit (add, remove, update)")
        meta = data.get("metadata", []) if isinstance(data, dict) else []
        metadata = tuple(
            (m["field"], _meta_value(m["field"], m.get("before")), _meta_value(m["field"], m.get("after")))
            for m in meta
        )
        return cls(tuple(ops), metadata)

    def to_scenario(self, name: str, date: dt.date, base: str | None = None, description: str | None = None) -> dict[str, Any]:
        """The patch as a one-phase scenario of primitive edits (``restructure apply`` reads it).

        The structure's name, description and sources are not records, so a
        scenario cannot change them: they are left out.
        """
        out: dict[str, Any] = {"name": name}
        if description:
            out["description"] = description
        if base:
            out["base"] = base
        out["phases"] = [{
            "name": "patch",
            "date": date,
            "operations": [_yaml_dates(_edit_data(e)) for e in self.ops],
        }]
        return out

    def _repr_markdown_(self) -> str:
        if not self:
            return "No differences."
        lines = [f"**{len(self.ops)} edits**", ""]
        lines += [f"- {e.summary()}" for e in self.ops[:200]]
        if len(self.ops) > 200:
            lines.append(f"- … and {len(self.ops) - 200} more")
        return "\n".join(lines) + "\n"


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def _meta_value(name: str, value):
    return tuple(value or ()) if name == "sources" else value


def diff(a: Structure, b: Structure) -> Diff:
    """Compare two structures record by record: the edits that turn ``a`` into ``b``.

    Every record is compared, whatever its dates. An area or body whose id
    stays but whose record changes is one ``update``; one that changes from
    an area to a body (or back) is removed and added, with its relations.

    Parameters
    ----------
    a, b : Structure

    Returns
    -------
    Diff
        ``patch(a, diff(a, b)) == b``; ``diff(a, a)`` is empty.

    Examples
    --------
    >>> a = Structure.from_yaml("areas: [{id: U1, name: Town, kind: unitary}]")
    >>> b = Structure.from_yaml('''
    ... areas: [{id: U1, name: Town, kind: unitary}]
    ... bodies: [{id: town-csp, name: Town CSP, kind: community_safety_partnership}]
    ... relations: [{kind: covers, source: town-csp, target: U1}]
    ... ''')
    >>> [e.summary() for e in diff(a, b).ops]
    ['add body town-csp', 'add covers town-csp -> U1']
    >>> [e.summary() for e in diff(b, a).ops]
    ['remove covers town-csp -> U1', 'remove body town-csp']
    """
    ops: list[O.Primitive] = []
    an, bn = a.graph.nodes, b.graph.nodes
    retyped: set[str] = set()
    for id_, data in an.items():
        before = data["record"]
        other = bn.get(id_)
        if other is None:
            ops.append(O.Remove.of(before))
            continue
        after = other["record"]
        if type(before) is not type(after):
            retyped.add(id_)
            ops.append(O.Remove.of(before))
            ops.append(O.Add.of(after))
        elif before != after:
            ops.append(O.Update.of(before, after))
    for id_, data in bn.items():
        if id_ not in an:
            ops.append(O.Add.of(data["record"]))
    ar = _edges(a)
    br = _edges(b)
    for k, rel in ar.items():
        other = br.get(k)
        if other is None or k[0] in retyped or k[1] in retyped:
            ops.append(O.Remove.of(rel))
        elif other != rel:
            ops.append(O.Update.of(rel, other))
    for k, rel in br.items():
        if k not in ar or k[0] in retyped or k[1] in retyped:
            ops.append(O.Add.of(rel))
    for id_, ev in a.events.items():
        other_ev = b.events.get(id_)
        if other_ev is None:
            ops.append(O.Remove.of(ev))
        elif other_ev != ev:
            ops.append(O.Update.of(ev, other_ev))
    for id_, ev in b.events.items():
        if id_ not in a.events:
            ops.append(O.Add.of(ev))
    metadata = tuple(
        (f, getattr(a, f), getattr(b, f)) for f in _META_FIELDS if getattr(a, f) != getattr(b, f)
    )
    return Diff(_canonical(ops), metadata)


def _edges(s: Structure) -> dict[tuple[str, str, str], Relation]:
    return {(u, v, k): rel for u, v, k, rel in s.graph.edges(keys=True, data="record")}


def patch(structure: Structure, d: Diff) -> Structure:
    """Apply a diff to a copy of ``structure``: ``patch(a, diff(a, b)) == b``.

    Raises
    ------
    ScenarioError
        An edit does not fit: the structure is not the one the diff was made from.
    """
    from .apply import apply_edits

    out = apply_edits(structure, d.ops)
    for f, _before, after in d.metadata:
        setattr(out, f, tuple(after) if f == "sources" else after)
    return out


# -- the semantic summary -----------------------------------------------------------------------


def _names(s: Structure, ids: Iterable[str]) -> list[dict[str, str]]:
    out = []
    for i in sorted(ids):
        rec = s.get(i)
        out.append({"id": i, "name": rec.name if rec is not None else i})
    return out


def _body_fields(b: Body) -> dict[str, Any]:
    d = b.model_dump(mode="json", exclude={"id", "name", "start", "end"})
    d["attributes"] = dict(sorted(d["attributes"].items()))
    return d


def _area_fields(a: Area) -> dict[str, Any]:
    return a.model_dump(mode="json", exclude={"id", "name", "start", "end"})


@dataclass(frozen=True)
class Changes:
    """What changed, in planners' terms, between ``a`` on one date and ``b`` on another.

    Every section is a list of plain dicts (JSON-ready), sorted by id. See
    ``docs/readme/diff.md`` for each entry's fields.
    """

    on_before: dt.date | None = None
    on_after: dt.date | None = None
    created: list[dict] = field(default_factory=list)
    """Bodies in force after but not before: ``{id, name, kind, predecessors}``."""
    dissolved: list[dict] = field(default_factory=list)
    """Bodies in force before but not after: ``{id, name, kind, how, successors}``."""
    renamed: list[dict] = field(default_factory=list)
    """``{id, before, after}`` (bodies)."""
    merged: list[dict] = field(default_factory=list)
    """``{into, name, bodies}``: ``bodies`` merged into ``into`` (which is among them if it survived)."""
    split: list[dict] = field(default_factory=list)
    """``{body, name, into}``."""
    bodies_changed: list[dict] = field(default_factory=list)
    """Continuing bodies whose other fields changed: ``{id, name, fields: {field: {before, after}}}``."""
    areas_created: list[dict] = field(default_factory=list)
    areas_ended: list[dict] = field(default_factory=list)
    areas_renamed: list[dict] = field(default_factory=list)
    areas_changed: list[dict] = field(default_factory=list)
    """Continuing areas whose kind, GSS code, note or parent changed."""
    coverage: list[dict] = field(default_factory=list)
    """Units whose CSP or Duty partnership changed: ``{area, name, csp: {before, after}, duty: {before, after}}``."""
    memberships: list[dict] = field(default_factory=list)
    """``{partnership, name, status, joined, left, role_changed}``."""
    seats: list[dict] = field(default_factory=list)
    """``{board, area, change, before, after}``; ``change`` is gained, lost, moved or role."""
    links: list[dict] = field(default_factory=list)
    """Footprints and reporting lines: ``{body, name, added: {kind: [ids]}, removed: {kind: [ids]}}``."""
    findings: dict | None = None
    """``{introduced: [...], resolved: [...]}`` from :func:`restructure.checks.run_state`; None if not run."""
    records_only: list[dict] = field(default_factory=list)
    """Bodies the patch touches with nothing different in force on the two dates compared (a body
    in force only between them, a relation re-dated or annotated): ``{id, name, note}``."""
    names: dict[str, str] = field(default_factory=dict)
    """Id -> name of every body and area the sections mention (after's name if it has one)."""

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
        return not (self.findings and (self.findings["introduced"] or self.findings["resolved"]))

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
            "areas_change_csp": sum(1 for c in cov if c["csp"]["before"] != c["csp"]["after"]),
            "areas_change_duty": sum(1 for c in cov if c["duty"]["before"] != c["duty"]["after"]),
            "partnerships_change_members": len(self.memberships),
            "seats_gained": sum(1 for s in self.seats if s["change"] == "gained"),
            "seats_lost": sum(1 for s in self.seats if s["change"] == "lost"),
            "seats_moved": sum(1 for s in self.seats if s["change"] in ("moved", "role")),
            "bodies_relinked": len(self.links),
            "bodies_records_only": len(self.records_only),
            "findings_introduced": len(self.findings["introduced"]) if self.findings else 0,
            "findings_resolved": len(self.findings["resolved"]) if self.findings else 0,
        }

    def bodies(self) -> list[str]:
        """Every body this summary reports a change for, sorted.

        Bodies that merely stay on both sides of a change (a CSP that keeps
        covering an area whose other CSP changed) are not counted.
        """
        ids: set[str] = set()
        for e in self.created:
            ids.add(e["id"])
            ids.update(e["predecessors"])
        for e in self.dissolved:
            ids.add(e["id"])
            ids.update(e["successors"])
        ids.update(e["id"] for e in self.renamed)
        for e in self.merged:
            ids.add(e["into"])
            ids.update(e["bodies"])
        for e in self.split:
            ids.add(e["body"])
            ids.update(e["into"])
        ids.update(e["id"] for e in self.bodies_changed)
        for e in self.coverage:
            for k in ("csp", "duty"):
                ids.update(set(e[k]["before"]) ^ set(e[k]["after"]))
        for e in self.memberships:
            ids.add(e["partnership"])
            ids.update(m["id"] for m in e["joined"])
            ids.update(m["id"] for m in e["left"])
            ids.update(m["id"] for m in e["role_changed"])
        for e in self.seats:
            ids.add(e["board"])
            ids.update(set(e["before"]) ^ set(e["after"]) if e["change"] != "role" else e["after"])
        ids.update(e["id"] for e in self.records_only)
        for e in self.links:
            ids.add(e["body"])
            for side in ("added", "removed"):
                for kind, targets in e[side].items():
                    if kind == R.accountable_to.value:
                        ids.update(targets)
        return sorted(ids)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: one key per section, plus ``findings`` (null when the checks were not run)."""
        out: dict[str, Any] = {
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
            "findings": self.findings,
            "names": self.names,
        }
        return out


class _View:
    """One side as it stands on a date, indexed in one pass (the checks' :class:`Snapshot`).

    Answers as ``Structure.as_of(on)`` would (a relation counts when it and
    both its ends are in force), without copying the graph; ``on=None`` reads
    every record.
    """

    def __init__(self, s: Structure, on: dt.date | None) -> None:
        from .checks.snapshot import Snapshot

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
    >>> [e["id"] for e in c.created], [e["id"] for e in c.dissolved], c.coverage[0]["csp"]
    (['new-csp'], ['old-csp'], {'before': ['old-csp'], 'after': ['new-csp']})
    """
    sa, sb = _View(a, on_a), _View(b, on_b)
    ba, bb = sa.bodies, sb.bodies
    gone = set(ba) - set(bb)
    new = set(bb) - set(ba)
    both = set(ba) & set(bb)

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
            bodies = sorted(set(sole) | ({s_} if s_ in both else set()))
            merged.append({"into": s_, "name": _name(b, s_), "bodies": bodies})
            merged_away.update(sole)
    split = [
        {"body": p, "name": ba[p].name, "into": ss}
        for p, ss in sorted(succ.items()) if len(ss) >= 2
    ]
    split_away = {e["body"] for e in split}

    lapsed = {p for ev in b.events.values() if ev.kind == "lapse" for p in ev.predecessors}

    def how(p: str) -> str:
        if p in merged_away:
            return "merged"
        if p in split_away:
            return "split"
        if succ.get(p):
            return "succeeded"
        return "lapsed" if p in lapsed else "ended"

    created = [
        {"id": i, "name": bb[i].name, "kind": bb[i].kind.value, "predecessors": sorted(preds.get(i, ()))}
        for i in sorted(new)
    ]
    dissolved = [
        {"id": i, "name": ba[i].name, "kind": ba[i].kind.value, "how": how(i), "successors": succ.get(i, [])}
        for i in sorted(gone)
    ]
    renamed = [
        {"id": i, "before": ba[i].name, "after": bb[i].name}
        for i in sorted(both) if ba[i].name != bb[i].name
    ]
    bodies_changed = []
    for i in sorted(both):
        fa, fb = _body_fields(ba[i]), _body_fields(bb[i])
        diffs = {k: {"before": fa[k], "after": fb[k]} for k in sorted(fa) if fa[k] != fb[k]}
        if diffs:
            bodies_changed.append({"id": i, "name": bb[i].name, "fields": diffs})

    # areas ------------------------------------------------------------------------------
    aa, ab = sa.areas, sb.areas
    areas_created = [{"id": i, "name": ab[i].name, "kind": ab[i].kind.value} for i in sorted(set(ab) - set(aa))]
    areas_ended = [{"id": i, "name": aa[i].name, "kind": aa[i].kind.value} for i in sorted(set(aa) - set(ab))]
    areas_renamed = []
    areas_changed = []
    for i in sorted(set(aa) & set(ab)):
        if aa[i].name != ab[i].name:
            areas_renamed.append({"id": i, "before": aa[i].name, "after": ab[i].name})
        fa, fb = _area_fields(aa[i]), _area_fields(ab[i])
        diffs = {k: {"before": fa[k], "after": fb[k]} for k in sorted(fa) if fa[k] != fb[k]}
        pa, pb = sa.parents(i), sb.parents(i)
        if pa != pb:
            diffs["within"] = {"before": pa, "after": pb}
        if diffs:
            areas_changed.append({"id": i, "name": ab[i].name, "fields": diffs})

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
    for i in sorted(_strings(sections)):
        rec = sb.get(i) or sa.get(i) or b.get(i) or a.get(i)
        if rec is not None:
            names[i] = rec.name
    return Changes(
        on_before=on_a, on_after=on_b,
        created=created, dissolved=dissolved, renamed=renamed, merged=merged, split=split,
        bodies_changed=bodies_changed,
        areas_created=areas_created, areas_ended=areas_ended, areas_renamed=areas_renamed,
        areas_changed=areas_changed,
        coverage=coverage, memberships=memberships, seats=seats, links=links, findings=found,
        records_only=records_only, names=names,
    )


def _records_only(a: Structure, b: Structure, id_: str) -> dict[str, str]:
    rec = b.get(id_) or a.get(id_)
    if isinstance(rec, Body) and (rec.start or rec.end) and (a.get(id_) is None or b.get(id_) is None):
        span = f"{rec.start or 'before the records'} to {rec.end or 'now'}"
        note = f"in force {span} only, between the dates compared"
    else:
        note = "its records changed (dates, notes or sources), nothing different in force on the dates compared"
    return {"id": id_, "name": rec.name if rec is not None else id_, "note": note}


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


def _name(s: Structure | _View, id_: str) -> str:
    rec = s.get(id_)
    return rec.name if rec is not None else id_


def _coverage(sa: _View, sb: _View) -> list[dict]:
    units = {u.id: u for u in sa.units()}
    units.update({u.id: u for u in sb.units()})
    out = []
    for uid in sorted(units):
        csp_a = sa.reaching(R.covers, uid) if uid in sa.areas else []
        csp_b = sb.reaching(R.covers, uid) if uid in sb.areas else []
        duty_a = sa.reaching(R.discharges, uid) if uid in sa.areas else []
        duty_b = sb.reaching(R.discharges, uid) if uid in sb.areas else []
        if csp_a != csp_b or duty_a != duty_b:
            out.append({
                "area": uid,
                "name": units[uid].name,
                "csp": {"before": csp_a, "after": csp_b},
                "duty": {"before": duty_a, "after": duty_b},
            })
    return out


def _memberships(sa: _View, sb: _View, ba: dict, bb: dict) -> list[dict]:
    def roles(s: _View) -> dict[str, dict[str, str | None]]:
        out: dict[str, dict[str, str | None]] = defaultdict(dict)
        for r in s.relations(R.member_of):
            out[r.target][r.source] = r.role
        return out

    ma, mb = roles(sa), roles(sb)
    out = []
    for p in sorted(set(ma) | set(mb)):
        before, after = ma.get(p, {}), mb.get(p, {})
        joined = [{"id": m, "name": _name(sb, m), "role": after[m]} for m in sorted(set(after) - set(before))]
        left = [{"id": m, "name": _name(sa, m), "role": before[m]} for m in sorted(set(before) - set(after))]
        role_changed = [
            {"id": m, "name": _name(sb, m), "before": before[m], "after": after[m]}
            for m in sorted(set(before) & set(after)) if before[m] != after[m]
        ]
        if not (joined or left or role_changed):
            continue
        status = "continuing" if p in ba and p in bb else "created" if p in bb else "dissolved"
        out.append({
            "partnership": p,
            "name": _name(sb if p in bb else sa, p),
            "status": status,
            "joined": joined,
            "left": left,
            "role_changed": role_changed,
        })
    return out


def _seats(sa: _View, sb: _View) -> list[dict]:
    def table(s: _View) -> dict[tuple[str, str], dict[str, str | None]]:
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
        out.append({
            "board": key[0],
            "area": key[1] or None,
            "change": change,
            "before": sorted(before),
            "after": sorted(after),
            "roles": {"before": [before[h] for h in sorted(before)], "after": [after[h] for h in sorted(after)]},
        })
    return out


_LINK_KINDS = (R.covers, R.discharges, R.serves, R.accountable_to)


def _links(sa: _View, sb: _View, bb: dict, ba: dict) -> list[dict]:
    def tuples(s: _View) -> set[tuple[str, str, str, str]]:
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
        out.append({
            "body": body,
            "name": bb[body].name if body in bb else _name(sa, body),
            "added": {k: sorted(v) for k, v in sorted(e["added"].items())},
            "removed": {k: sorted(v) for k, v in sorted(e["removed"].items())},
        })
    return out


def _findings(a: Structure, b: Structure, on_a: dt.date, on_b: dt.date) -> dict | None:
    try:
        from .checks import run_state
    except ImportError:  # pragma: no cover - the checks ship with the package
        return None
    fa = {f.identity: f for f in run_state(a, on_a)}
    fb = {f.identity: f for f in run_state(b, on_b)}

    def rows(found: dict, other: dict) -> list[dict]:
        keep = [f for k, f in found.items() if k not in other]
        keep.sort(key=lambda f: (f.severity.rank, f.code, f.message, f.bodies, f.areas))
        return [{k: v for k, v in f.to_dict().items() if k != "until"} for f in keep]

    return {"introduced": rows(fb, fa), "resolved": rows(fa, fb)}


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
        parts = []
        for key, one, many in _STAT:
            n = c[key]
            if n:
                parts.append(f"{n} {one if n == 1 else many}")
        edits = f"{c['edits']} edit{'s' if c['edits'] != 1 else ''}"
        if self.diff.metadata:
            edits += ", name or sources changed"
        head = ", ".join(parts) if parts else "no changes in force on the dates compared"
        return f"{head}; {edits}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the stable JSON schema ``restructure-diff/1`` (see ``docs/readme/diff.md``)."""
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
        from .io.yamlfile import dumps_json

        return dumps_json(self.to_dict())

    def render_text(self, color: bool = True, edits: bool = False) -> str:
        """Readable text grouped by concern; ANSI colour when ``color`` (the CLI strips it when piped)."""
        return _text(self, color, edits)

    def render_markdown(self, edits: bool = False) -> str:
        """Markdown for board papers: a heading, the stat line, one section per concern, tables."""
        return _markdown(self, edits)

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
        from .errors import RenderError
        from .render import change_svg
        from .render.pack import safe_svg

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
    dates = [*a.dates(), *b.dates()]
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
    if on_a is None and on_b is None:
        on_a = on_b = default_dates(a, b)
    elif on_a is None or on_b is None:
        on_a = on_b = on_a or on_b
    d = diff(a, b)
    return Comparison(
        Side(labels[0], a.name, on_a),
        Side(labels[1], b.name, on_b),
        d,
        changes(a, b, on_a, on_b, findings=findings, patch=d),
        structures=(a, b),
    )


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
    d = diff(outcome.base, outcome.structure)
    return Comparison(
        Side(f"{name} (base)", outcome.base.name, on_a),
        Side(f"{name} (result)", outcome.structure.name, on_b),
        d,
        changes(outcome.base, outcome.structure, on_a, on_b, findings=findings, patch=d),
        structures=(outcome.base, outcome.structure),
    )


def compare_refs(
    a: str,
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
    a : str
        A structure file, a scenario file, or a ref in the store (branch, tag, version).
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
    if b is None and not is_scenario_file(a):
        if len(dates) != 2:
            raise ValidationFailed(
                f"nothing to compare '{a}' with",
                "Give a second structure, a scenario file, or --as-of twice to compare one structure on two dates",
            )
        b = a
    if b is None:  # a scenario: base against result
        from .apply import run_scenario

        outcome = run_scenario(a, base, db=db)
        if not dates:
            return compare_scenario(outcome, label=a, findings=findings)
        full_a, full_b = outcome.base, outcome.structure
        labels = (f"{a} (base)", f"{a} (result)")
    else:
        full_a = _side(a, db)
        full_b = full_a if b == a else _side(b, db)
        labels = (a, b)
    if not dates:
        return compare(full_a, full_b, labels=labels, findings=findings)
    # With dates, the patch is between the structures as they stand on them; the summary and the
    # checks read the dated structures (lineage rules need the ended records).
    d = diff(full_a.as_of(on_a), full_b.as_of(on_b))
    return Comparison(
        Side(labels[0], full_a.name, on_a),
        Side(labels[1], full_b.name, on_b),
        d,
        changes(full_a, full_b, on_a, on_b, findings=findings, patch=d),
        structures=(full_a, full_b),
    )


def is_scenario_file(spec: str) -> bool:
    """Whether ``spec`` names an existing scenario file (YAML with ``phases``)."""
    path = Path(spec)
    if not path.is_file():
        return False
    from .io import yamlfile
    from .scenario import is_scenario

    return is_scenario(yamlfile.load(path).data)


def _side(spec: str, db: str | None) -> Structure:
    """One side, with all its dates: a structure file or stored ref; a scenario file's result."""
    if is_scenario_file(spec):
        from .apply import run_scenario

        return run_scenario(spec, db=db).structure
    from .refs import load_structure

    return load_structure(spec, db=db)


# -- rendering ---------------------------------------------------------------------------------


def _label(c: Changes, id_: str) -> str:
    name = c.names.get(id_)
    return f"{name} ({id_})" if name and name != id_ else id_


def _value(v) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        if "title" in v:
            return str(v["title"])
        return "{" + ", ".join(f"{k}: {_value(x)}" for k, x in v.items()) + "}"
    return "none" if v is None else str(v)


_KIND_WORDS = {
    "covers": "covers",
    "discharges": "discharges the Duty for",
    "serves": "serves",
    "accountable_to": "accountable to",
}


def _lines(cmp: Comparison, short) -> list[tuple[str, str, str]]:
    """The summary as (section, mark, text) rows; mark is +, - or ~. Shared by text and Markdown.

    Each row's subject is ``Name (id)``; ``short`` labels the bodies and areas listed after it.
    """
    c = cmp.changes

    def many(ids) -> str:
        ids = list(ids)
        return ", ".join(short(c, i) for i in ids) if ids else "none"

    rows: list[tuple[str, str, str]] = []
    sec = "Bodies"
    for e in c.created:
        rows.append((sec, "+", f"{_label(c, e['id'])} created ({e['kind'].replace('_', ' ')})"))
    for e in c.merged:
        rows.append((sec, "~", f"{many(e['bodies'])} merged into {_label(c, e['into'])}"))
    for e in c.split:
        rows.append((sec, "~", f"{_label(c, e['body'])} split into {many(e['into'])}"))
    for e in c.dissolved:
        if e["how"] in ("merged", "split"):
            continue  # said by the merger or split row
        tail = {
            "succeeded": f"succeeded by {many(e['successors'])}",
            "lapsed": "functions lapse",
        }.get(e["how"], "no successor recorded")
        rows.append((sec, "-", f"{_label(c, e['id'])} dissolved: {tail}"))
    for e in c.renamed:
        rows.append((sec, "~", f"{e['id']} renamed: {e['before']!r} -> {e['after']!r}"))
    for e in c.bodies_changed:
        for f, v in e["fields"].items():
            rows.append((sec, "~", f"{_label(c, e['id'])}: {f} {_value(v['before'])} -> {_value(v['after'])}"))
    sec = "Areas"
    for e in c.areas_created:
        rows.append((sec, "+", f"{_label(c, e['id'])} ({e['kind'].replace('_', ' ')}) begins"))
    for e in c.areas_ended:
        rows.append((sec, "-", f"{e['name']} ({e['id']}) ends"))
    for e in c.areas_renamed:
        rows.append((sec, "~", f"{e['id']} renamed: {e['before']!r} -> {e['after']!r}"))
    for e in c.areas_changed:
        for f, v in e["fields"].items():
            if f == "within":
                # areas often share a name across a reorganisation (Oxfordshire county and unitary): show ids
                full = lambda ids: ", ".join(_label(c, i) for i in ids) or "none"  # noqa: E731
                text = f"now within {full(v['after'])} (was {full(v['before'])})"
            else:
                text = f"{f} {_value(v['before'])} -> {_value(v['after'])}"
            rows.append((sec, "~", f"{_label(c, e['id'])}: {text}"))
    sec = _COVERAGE
    for e in c.coverage:
        parts = []
        for key, title in (("csp", "CSP"), ("duty", "Duty")):
            before, after = e[key]["before"], e[key]["after"]
            if before != after:
                parts.append(f"{title} {many(before)} -> {many(after)}")
        rows.append((sec, "~", f"{e['name']} ({e['area']}): " + "; ".join(parts)))
    sec = "Memberships"
    for e in c.memberships:
        status = {"created": " (new)", "dissolved": " (dissolved)"}.get(e["status"], "")
        parts = []
        if e["joined"]:
            parts.append("joined " + ", ".join(short(c, m["id"]) + _role(m) for m in e["joined"]))
        if e["left"]:
            parts.append("left " + ", ".join(short(c, m["id"]) + _role(m) for m in e["left"]))
        for m in e["role_changed"]:
            parts.append(f"{short(c, m['id'])} now {m['after']} (was {m['before']})")
        mark = "+" if e["status"] == "created" else "-" if e["status"] == "dissolved" else "~"
        rows.append((sec, mark, f"{_label(c, e['partnership'])}{status}: " + "; ".join(parts)))
    sec = _SEATS
    for e in c.seats:
        where = f"seat for {_label(c, e['area'])}" if e["area"] else "duty-holder seat"
        board = short(c, e["board"])
        if e["change"] == "gained":
            rows.append((sec, "+", f"{where} on {board} gained, held by {many(e['after'])}"))
        elif e["change"] == "lost":
            rows.append((sec, "-", f"{where} on {board} lost (was {many(e['before'])})"))
        elif e["change"] == "moved":
            rows.append((sec, "~", f"{where} on {board} moves {many(e['before'])} -> {many(e['after'])}"))
        else:
            r = e["roles"]
            rows.append((sec, "~", f"{where} on {board}: role {_value(r['before'])} -> {_value(r['after'])}"))
    sec = "Footprints and reporting lines"
    for e in c.links:
        parts = []
        for side, word in (("added", "now "), ("removed", "no longer ")):
            for kind, targets in e[side].items():
                parts.append(f"{word}{_KIND_WORDS.get(kind, kind)} {many(targets)}")
        rows.append((sec, "~", f"{_label(c, e['body'])}: " + "; ".join(parts)))
    for e in c.records_only:
        rows.append(("Not in force on either date compared", "~", f"{_label(c, e['id'])}: {e['note']}"))
    if c.findings is not None:
        sec = _FINDINGS
        for f in c.findings["introduced"]:
            rows.append((sec, "+", f"{f['severity']} {f['code']}: {f['message']}"))
        for f in c.findings["resolved"]:
            rows.append((sec, "-", f"resolved: {f['severity']} {f['code']}: {f['message']}"))
    for f, before, after in cmp.diff.metadata:
        rows.append(("Structure", "~", f"{f}: {_value(_plain(before))} -> {_value(_plain(after))}"))
    return rows


_COVERAGE = "Coverage by district and unitary (CSP; Serious Violence Duty)"
_SEATS = "Strategy Board seats"
_FINDINGS = "Findings of the checks"


def _short_id(c: Changes, id_: str) -> str:
    return id_


def _short_name(c: Changes, id_: str) -> str:
    return c.names.get(id_, id_)


def _role(m: dict) -> str:
    return f" ({m['role']})" if m.get("role") else ""


_COLOURS = {"+": "green", "-": "red", "~": "yellow", "": None}


def _text(cmp: Comparison, color: bool, edits: bool) -> str:
    import click

    def style(text: str, **kw) -> str:
        return click.style(text, **kw) if color else text

    out = [
        style(f"{cmp.before.title()} -> {cmp.after.title()}", bold=True),
        cmp.stat(),
    ]
    if cmp.empty:
        return "\n".join(out) + "\n"
    current = None
    for sec, mark, text in _lines(cmp, _short_id):
        if sec != current:
            out += ["", style(sec, bold=True)]
            current = sec
        out.append("  " + style(f"{mark} {text}", fg=_COLOURS[mark]))
    out += ["", _findings_note(cmp.changes)]
    if edits and cmp.diff.ops:
        out += ["", style(f"Edits ({len(cmp.diff)})", bold=True)]
        for e in cmp.diff.ops:
            mark = {"add": "+", "remove": "-", "update": "~"}[e.op]
            out.append("  " + style(f"{mark} {e.summary()}", fg=_COLOURS[mark]))
    return "\n".join(out) + "\n"


def _findings_note(c: Changes) -> str:
    if c.findings is None:
        return "Findings not compared (no dates to check on)."
    n_in, n_out = len(c.findings["introduced"]), len(c.findings["resolved"])
    if not (n_in or n_out):
        return f"Findings of the checks: none introduced, none resolved ({c.on_before} -> {c.on_after})."
    return f"Findings of the checks: {n_in} introduced, {n_out} resolved ({c.on_before} -> {c.on_after})."


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(cmp: Comparison, edits: bool) -> str:
    out = [
        f"## Changes: {_md(cmp.before.title())} → {_md(cmp.after.title())}",
        "",
        f"**{_md(cmp.stat())}**",
    ]
    if cmp.empty:
        return "\n".join(out) + "\n"
    c = cmp.changes
    if c.coverage:
        out += ["", "### Coverage by district and unitary", "",
                "| Area | CSP before | CSP after | Duty before | Duty after |", "|---|---|---|---|---|"]
        for e in c.coverage:
            cells = [_md(", ".join(_short_name(c, i) for i in e[k][w]) or "none")
                     for k in ("csp", "duty") for w in ("before", "after")]
            out.append(f"| {_md(e['name'])} ({e['area']}) | " + " | ".join(cells) + " |")
    if c.seats:
        out += ["", "### Strategy Board seats", "", "| Board | Seat | Change | Before | After |", "|---|---|---|---|---|"]
        for e in c.seats:
            seat = _label(c, e["area"]) if e["area"] else "duty holder"
            before = ", ".join(_short_name(c, i) for i in e["before"]) or "—"
            after = ", ".join(_short_name(c, i) for i in e["after"]) or "—"
            out.append(
                f"| {_md(_short_name(c, e['board']))} | {_md(seat)} | {e['change']} | {_md(before)} | {_md(after)} |"
            )
    skip = {_COVERAGE, _SEATS}
    current = None
    for sec, mark, text in _lines(cmp, _short_name):
        if sec in skip:
            continue
        if sec != current:
            out += ["", f"### {sec}", ""]
            current = sec
        word = {"+": "**new** ", "-": "**ends** ", "~": ""}[mark] if sec != _FINDINGS else (
            {"+": "**introduced** ", "-": ""}[mark]
        )
        out.append(f"- {word}{_md(text)}")
    out += ["", _findings_note(c)]
    if edits and cmp.diff.ops:
        out += ["", f"### Edits ({len(cmp.diff)})", ""]
        out += [f"- `{_md(e.summary())}`" for e in cmp.diff.ops]
    return "\n".join(out) + "\n"
