"""Applying operations: resolve each into primitive edits, apply them, invert them.

The caller's structure is never changed: :func:`apply` copies it once and
edits the copy, so a whole scenario costs one copy however many operations it
has. Each operation resolves, against the structure as it stands at that
step, into :class:`~restructure.operations.Add`, ``Remove`` and ``Update``
edits that carry everything they remove; :func:`invert` of those edits is
therefore total, and ``apply_edits(apply(s, ops).structure, invert(...))``
gives back ``s``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import operations as O
from .errors import RestructureError, ScenarioError, ValidationFailed
from .model import (
    COUNCIL_KINDS,
    Area,
    AreaKind,
    Body,
    ChangeEvent,
    Duty,
    Relation,
    RelationKind,
    Strategy,
    in_force,
)
from .structure import Structure

__all__ = [
    "apply",
    "apply_edits",
    "invert",
    "Applied",
    "Outcome",
    "PhaseResult",
    "run_scenario",
    "resolve",
]

R = RelationKind
_LINEAGE = R.succeeded_by


# -- results -----------------------------------------------------------------------


@dataclass
class Applied:
    """The result of applying operations: a new structure and each op's resolved edits."""

    structure: Structure
    resolved: list[list[O.Primitive]]

    @property
    def edits(self) -> list[O.Primitive]:
        """All edits in order (a patch from the input structure to ``structure``)."""
        return [e for edits in self.resolved for e in edits]


@dataclass
class PhaseResult:
    """One phase of a scenario, applied."""

    name: str
    date: dt.date
    description: str | None
    operations: list
    resolved: list[list[O.Primitive]]
    structure: Structure | None = None
    """The structure after this phase (kept when ``keep_phases=True``)."""
    basis: object = None
    """The phase's legal basis (:class:`~restructure.model.Basis`); an operation's own wins."""


@dataclass
class Outcome:
    """A scenario applied to its base."""

    scenario: object
    base: Structure
    structure: Structure
    """The dated result: every record keeps its start and end, so ``as_of`` reads any date."""
    phases: list[PhaseResult] = field(default_factory=list)

    @property
    def dates(self) -> list[dt.date]:
        """The scenario's effective dates, sorted and unique."""
        return sorted({p.date for p in self.phases})

    @property
    def edits(self) -> list[O.Primitive]:
        return [e for p in self.phases for ops in p.resolved for e in ops]

    def facts(self, on: dt.date | None = None) -> dict[str, int]:
        """Counts planners compare between options, on ``on`` (default: the last phase date).

        ``csps``: bodies covering any area (the statutory CSP role); ``board_seats``:
        Strategy Board seats held for local areas; ``local_areas``, ``units``,
        ``councils``; ``bodies_created`` and ``bodies_dissolved`` by the scenario;
        ``members_missing`` and ``members_superfluous``: required members missing from,
        and statutory members serving none of the area of, every CSP and Duty
        partnership (:meth:`Structure.required_members`), summed.
        """
        from .model import BodyKind

        on = on or (self.dates[-1] if self.dates else None)
        s = self.structure.as_of(on) if on else self.structure
        boards = {b.id for b in s.bodies(kind=BodyKind.strategy_board)}
        base_ids = {b.id for b in self.base.bodies()}
        base_ended = {b.id for b in self.base.bodies() if b.end is not None}
        return {
            "csps": sum(1 for b in s.bodies() if any(True for _ in s.relations(R.covers, source=b.id))),
            "board_seats": sum(1 for r in s.relations(R.seat) if r.area and r.target in boards),
            "local_areas": len(s.local_areas()),
            "units": len(s.units()),
            "councils": sum(1 for b in s.bodies() if b.kind in COUNCIL_KINDS),
            "bodies_created": sum(1 for b in self.structure.bodies() if b.id not in base_ids),
            "bodies_dissolved": sum(
                1 for b in self.structure.bodies() if b.end is not None and b.id not in base_ended
            ),
            **_membership_counts(s, on),
        }


def _membership_counts(s: Structure, on: dt.date | None) -> dict[str, int]:
    partnerships = sorted({r.source for k in (R.covers, R.discharges) for r in s.relations(k, on)})
    missing = superfluous = 0
    for p in partnerships:
        found = s.required_members(p, on)
        missing += len(found.missing)
        superfluous += len(found.superfluous)
    return {"members_missing": missing, "members_superfluous": superfluous}


# -- primitive edits ------------------------------------------------------------------


def _do(s: Structure, edit: O.Primitive) -> None:
    if isinstance(edit, O.Add):
        s.add(edit.record)
    elif isinstance(edit, O.Remove):
        rec = edit.record
        current = _current(s, rec)
        if current is None:
            raise ScenarioError(f"cannot remove {_label(rec)}: it is not there", ids=_rec_ids(rec))
        if current != rec:
            raise ScenarioError(f"cannot remove {_label(rec)}: it has changed since", ids=_rec_ids(rec))
        s.remove(rec)
    else:
        current = _current(s, edit.before)
        if current is None:
            raise ScenarioError(f"cannot update {_label(edit.before)}: it is not there", ids=_rec_ids(edit.before))
        if current != edit.before:
            raise ScenarioError(f"cannot update {_label(edit.before)}: it has changed since", ids=_rec_ids(edit.before))
        s.replace(edit.before, edit.after)


def _current(s: Structure, rec):
    if isinstance(rec, Relation):
        from .structure import edge_key

        data = s.graph.get_edge_data(rec.source, rec.target, edge_key(rec))
        return data["record"] if data else None
    if isinstance(rec, ChangeEvent):
        return s.events.get(rec.id)
    return s.get(rec.id)


def _label(rec) -> str:
    if isinstance(rec, Relation):
        return f"{rec.kind.value} relation {rec.source} -> {rec.target}"
    return f"{type(rec).__name__.lower()} '{rec.key}'"


def _rec_ids(rec) -> tuple[str, ...]:
    if isinstance(rec, Relation):
        return (rec.source, rec.target)
    return (str(rec.key),)


def apply_edits(structure: Structure, edits: Iterable[O.Primitive]) -> Structure:
    """Apply primitive edits (a patch) to a copy of ``structure``.

    Raises
    ------
    ScenarioError
        When an edit does not fit (removing or updating a record that is not
        there or has changed).
    """
    s = structure.copy()
    for e in edits:
        _do(s, e)
    return s


def invert(edits: Sequence[O.Primitive] | Sequence[Sequence[O.Primitive]]) -> list[O.Primitive]:
    """The edits that undo ``edits``: each inverted, in reverse order.

    Accepts a flat list or a list of per-operation lists (``Applied.resolved``).
    Operations that are not primitives must be resolved first (see :func:`apply`).

    Examples
    --------
    >>> from restructure.model import Area
    >>> add = O.Add.of(Area(id="X1", name="X", kind="district"))
    >>> [e.op for e in invert([add])]
    ['remove']
    """
    flat: list = []
    for item in edits:
        if isinstance(item, (list, tuple)):
            flat.extend(item)
        else:
            flat.append(item)
    out = []
    for e in reversed(flat):
        if not isinstance(e, (O.Add, O.Remove, O.Update)):
            from .errors import IrreversibleOp

            raise IrreversibleOp(f"'{e.op}' is not resolved: it does not record what it removes")
        out.append(e.inverse())
    return out


# -- context ---------------------------------------------------------------------------


@dataclass
class _Ctx:
    s: Structure
    date: dt.date
    scenario: str | None = None
    phase: str | None = None
    op_index: int | None = None
    basis: object = None
    """The legal basis recorded in the op's change events (the op's own, else its phase's)."""
    edits: list = field(default_factory=list)

    # every edit goes through here so that later steps of the same op see it
    def do(self, edit: O.Primitive) -> None:
        _do(self.s, edit)
        self.edits.append(edit)

    def add(self, rec) -> None:
        self.do(O.Add.of(rec))

    def update(self, before, after) -> None:
        if before != after:
            self.do(O.Update.of(before, after))

    def fail(self, what: str, *ids: str, hint: str | None = None) -> ScenarioError:
        return ScenarioError(what, hint, ids=ids)

    # lookups that explain why an id cannot be used on this date
    def body(self, id_: str) -> Body:
        return self._record(id_, Body, "body")

    def area(self, id_: str) -> Area:
        return self._record(id_, Area, "area")

    def _record(self, id_: str, cls, what: str):
        rec = self.s.get(id_)
        if rec is None:
            unknown = self.s._unknown(id_, what)  # carries the "did you mean" hint
            raise ScenarioError(unknown.what, unknown.hint, ids=(id_,))
        if not isinstance(rec, cls):
            raise self.fail(f"'{id_}' is {'an area' if what == 'body' else 'a body'}, not {'a body' if what == 'body' else 'an area'}", id_)
        self._in_force(rec, what)
        return rec

    def _in_force(self, rec, what: str) -> None:
        if rec.end is not None and self.date >= rec.end:
            verb = "was dissolved" if what == "body" else "ceased"
            raise self.fail(f"{what} '{rec.id}' {verb} on {rec.end}, before {self.date}", rec.id)
        if rec.start is not None and self.date < rec.start:
            raise self.fail(f"{what} '{rec.id}' does not exist until {rec.start}", rec.id)

    def new_id_free(self, id_: str) -> None:
        if id_ in self.s:
            raise self.fail(f"id '{id_}' is already used", id_, hint="Choose a new id")

    def event(self, kind: str, **fields) -> ChangeEvent:
        base = _slug(self.scenario) if self.scenario else self.date.isoformat()
        stem = f"{base}-{kind.replace('_', '-')}"
        n = 1
        while f"{stem}-{n}" in self.s.events:
            n += 1
        ev = ChangeEvent(
            id=f"{stem}-{n}",
            date=self.date,
            kind=kind,
            scenario=self.scenario,
            phase=self.phase,
            op_index=self.op_index,
            basis=self.basis,
            **{k: v for k, v in fields.items() if v not in (None, (), {})},
        )
        self.add(ev)
        return ev

    # relations --------------------------------------------------------------------

    def open_relations(self, node: str) -> list[Relation]:
        """Relations of a node that are in force on or after the date (lineage excluded)."""
        out = []
        for rel in [*self.s.relations(source=node), *self.s.relations(target=node)]:
            if rel.kind == _LINEAGE:
                continue
            if rel.end is not None and rel.end <= self.date:
                continue
            out.append(rel)
        return sorted(out, key=lambda r: r.key)

    def retire(self, rel: Relation) -> None:
        """End a relation on the date (remove it if it would only have started later)."""
        if rel.end is not None and rel.end <= self.date:
            return
        if rel.start is not None and rel.start >= self.date:
            self.do(O.Remove.of(rel))
        else:
            self.update(rel, rel.model_copy(update={"end": self.date}))

    def retire_node(self, rec) -> None:
        if rec.start is not None and rec.start >= self.date:
            raise self.fail(f"'{rec.id}' cannot end on {self.date}: it only starts then", rec.id)
        self.update(rec, rec.model_copy(update={"end": self.date}))

    def has_open(self, kind, source, target, area=None) -> bool:
        return any(
            r.target == target and (r.area or None) == (area or None) and in_force(r, self.date)
            for r in self.s.relations(kind, source=source)
        )

    def link(self, kind, source, target, area=None, role=None, event=None, note=None, sources=(), start=None) -> None:
        """Add a relation from the date (or ``start``), unless the same one is already in force."""
        if kind != _LINEAGE and self.has_open(kind, source, target, area):
            return
        self.add(
            Relation(
                kind=kind, source=source, target=target, area=area, role=role,
                start=start or self.date, event=event, note=note, sources=tuple(sources),
            )
        )

    def lineage(self, predecessor: str, successor: str, event: ChangeEvent) -> None:
        self.link(_LINEAGE, predecessor, successor, event=event.id)

    def move_relation(self, rel: Relation, old: str, new: str) -> None:
        """End ``rel`` and start the same relation with ``old`` replaced by ``new``."""
        source = new if rel.source == old else rel.source
        target = new if rel.target == old else rel.target
        self.retire(rel)
        if source == target:
            return  # a body cannot be a member of, or accountable to, itself
        self.link(rel.kind, source, target, rel.area, rel.role, note=rel.note, sources=rel.sources)


def _pass_memberships(
    c: _Ctx, rel: Relation, old: str, heirs: Sequence[str], expand: dict[str, list[str]] | None = None
) -> None:
    """Pass a ``member_of`` relation of ``old`` (member or partnership) on to ``heirs``.

    An heir takes it only where the member serves part of the partnership's
    footprint on the date (:func:`restructure.membership.belongs`); a
    membership not passed to every heir is recorded by an ``end_membership``
    change event. The relation itself ends on the date.
    """
    from .membership import belongs

    c.retire(rel)
    takers: list[tuple[str, str]] = []
    refused: list[tuple[str, str]] = []
    for n in heirs:
        src = n if rel.source == old else rel.source
        tgt = n if rel.target == old else rel.target
        if src == tgt:
            continue  # a body cannot be a member of itself
        (takers if belongs(c.s, src, tgt, c.date, expand) else refused).append((src, tgt))
    for src, tgt in takers:
        c.link(R.member_of, src, tgt, rel.area, rel.role, note=rel.note, sources=rel.sources)
    if refused:
        _end_membership_event(c, rel, refused, takers)


def _end_membership_event(c: _Ctx, rel: Relation, refused, takers=()) -> None:
    def name(i: str) -> str:
        rec = c.s.get(i)
        return rec.name if rec is not None else i

    def pairs(items) -> str:
        return "; ".join(f"{name(s)} in {name(t)}" for s, t in items)

    role = f"{rel.role} " if rel.role else ""
    if list(refused) == [(rel.source, rel.target)]:
        text = (
            f"The {role}membership of {name(rel.source)} in {name(rel.target)} ends: "
            f"{name(rel.source)} serves none of that partnership's area"
        )
    else:
        text = (
            f"The {role}membership of {name(rel.source)} in {name(rel.target)} is not passed on as "
            f"{pairs(refused)}: the member serves none of that partnership's area"
        )
    if takers:
        text += f" (passed on as {pairs(takers)})"
    c.event(
        "end_membership",
        old_values={"member_of": f"{rel.source} -> {rel.target}"},
        areas=(),
        description=text + ".",
    )


def _memberships_last(rels: list[Relation]) -> list[Relation]:
    # footprints (covers, discharges, serves) pass first, so memberships are judged against them
    return sorted(rels, key=lambda r: r.kind == R.member_of)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "scenario"


# -- resolution of each operation -----------------------------------------------------


def _create_body(c: _Ctx, op: O.CreateBody) -> None:
    c.new_id_free(op.body.id)
    body = op.body if op.body.start is not None else op.body.model_copy(update={"start": op.since or c.date})
    # a body that already stood (a partnership added to an imported base): its relations start with it
    since = op.since or (body.start if body.start is not None and body.start < c.date else c.date)
    if since > c.date:
        raise c.fail(f"'since' {since} is after the phase date {c.date}", body.id,
                     hint="Leave 'since' out, or give a date on or before the phase's")
    if body.start is not None and since < body.start:
        raise c.fail(f"'since' {since} is before the body's start {body.start}", body.id)
    others = [*op.covers, *op.discharges, *op.serves]
    for a in others:
        c.area(a)
    bodies = [*op.member_of, *op.members, *((op.accountable_to,) if op.accountable_to else ())]
    for b in bodies:
        c.body(b)
    for id_ in (*others, *bodies):
        rec = c.s.get(id_)
        if rec.start is not None and rec.start > since:
            raise c.fail(
                f"'{id_}' does not exist until {rec.start}, so '{body.id}' cannot be related to it from {since}",
                body.id, id_, hint="Give a later 'since' (or the body a later start)",
            )
    c.add(body)
    for kind, targets in ((R.covers, op.covers), (R.discharges, op.discharges), (R.serves, op.serves)):
        for a in targets:
            c.link(kind, body.id, a, start=since)
    for p in op.member_of:
        c.link(R.member_of, body.id, p, role="statutory", start=since)
    for m in op.members:
        c.link(R.member_of, m, body.id, role="statutory", start=since)
    if op.accountable_to:
        c.link(R.accountable_to, body.id, op.accountable_to, start=since)
    c.event("create", successors=(body.id,), areas=tuple(sorted({*op.covers, *op.discharges})), description=op.note)


def _create_area(c: _Ctx, op: O.CreateArea) -> None:
    c.new_id_free(op.area.id)
    area = op.area if op.area.start is not None else op.area.model_copy(update={"start": c.date})
    if op.parent:
        c.area(op.parent)
    c.add(area)
    if op.parent:
        c.link(R.within, area.id, op.parent)
    c.event("create_area", successors=(area.id,), areas=(area.id,), description=op.note)


def _split_area(c: _Ctx, op: O.SplitArea) -> None:
    parent = c.area(op.area)
    ids = [p.id for p in op.parts]
    if len(set(ids)) != len(ids):
        raise c.fail(f"split_area of '{parent.id}' names a part twice", parent.id)
    for p in op.parts:
        c.new_id_free(p.id)
        c.add(Area(id=p.id, name=p.name, kind=p.kind, gss=p.gss, start=c.date, sources=p.sources, note=p.note))
        c.link(R.within, p.id, parent.id)
    c.event("split_area", predecessors=(parent.id,), successors=tuple(ids), areas=(parent.id, *ids), description=op.note)


def _move_area(c: _Ctx, op: O.MoveArea) -> None:
    area, to = c.area(op.area), c.area(op.to)
    if to.id == area.id or to.id in c.s.descendants(area.id, c.date):
        raise c.fail(f"cannot move area '{area.id}' into '{to.id}': it would lie within itself", area.id, to.id)
    moving = [
        r for r in c.s.relations(R.within, c.date, source=area.id)
        if c.s.area(r.target).kind != AreaKind.statistical  # ONS statistical areas stay as they are
    ]
    old = [r.target for r in moving]
    for rel in moving:
        c.retire(rel)
    c.link(R.within, area.id, to.id)
    c.event("move_area", predecessors=tuple(old), successors=(to.id,), areas=(area.id,), description=op.note)


def _dissolve(c: _Ctx, op: O.Dissolve) -> None:
    body = c.body(op.body)
    for s in op.successors:
        if s == body.id:
            raise c.fail(f"'{body.id}' cannot succeed itself", s)
        c.body(s)
    for rel in c.open_relations(body.id):
        c.retire(rel)
    c.retire_node(body)
    ev = c.event(
        "lapse" if op.lapse else "dissolve",
        predecessors=(body.id,),
        successors=op.successors,
        description=op.reason or op.note,
    )
    for s in op.successors:
        c.lineage(body.id, s, ev)


def _rename(c: _Ctx, op: O.Rename) -> None:
    rec = c.s.get(op.id)
    if rec is None:
        raise c.fail(f"unknown body or area '{op.id}'", op.id)
    c.body(op.id) if isinstance(rec, Body) else c.area(op.id)
    c.update(rec, rec.model_copy(update={"name": op.name}))
    c.event("rename", predecessors=(op.id,), successors=(op.id,), old_values={"name": rec.name}, description=op.note)


def _absorb(c: _Ctx, pred: Body, into: str) -> None:
    """Carry every relation of ``pred`` over to ``into`` and end ``pred``."""
    for rel in _memberships_last(c.open_relations(pred.id)):
        if rel.kind == R.member_of:
            _pass_memberships(c, rel, pred.id, [into])
        else:
            c.move_relation(rel, pred.id, into)
    c.retire_node(pred)


def _merged_fields(bodies: list[Body]) -> dict:
    duties = frozenset().union(*(b.duties for b in bodies))
    strategies = []
    for b in bodies:
        for st in b.strategies:
            if st not in strategies:
                strategies.append(st)
    return {"duties": duties, "strategies": tuple(strategies)}


def _merge(c: _Ctx, op: O.Merge) -> None:
    bodies = [c.body(b) for b in op.bodies]
    if op.approved_by:
        c.body(op.approved_by)
    existing = c.s.get(op.into)
    if existing is None:
        if op.new is None:
            raise c.fail(
                f"merge into '{op.into}': no such body", op.into,
                hint="Give 'new' with the new body's name and kind, or merge into an existing body",
            )
        carried = _merged_fields(bodies)
        new = op.new.model_copy(
            update={
                "start": op.new.start or c.date,
                "duties": op.new.duties | carried["duties"],
                "strategies": op.new.strategies + tuple(s for s in carried["strategies"] if s not in op.new.strategies),
            }
        )
        c.add(new)
        preds = bodies
    else:
        if op.new is not None:
            raise c.fail(f"merge into '{op.into}': it exists already, so 'new' must be left out", op.into)
        survivor = c.body(op.into)
        preds = [b for b in bodies if b.id != survivor.id]
        carried = _merged_fields([survivor, *preds])
        c.update(survivor, survivor.model_copy(update=carried))
    areas = sorted({r.target for p in preds for r in c.s.relations(R.covers, c.date, source=p.id)})
    ev = c.event(
        "merge",
        predecessors=tuple(p.id for p in preds),
        successors=(op.into,),
        areas=tuple(areas),
        approved_by=op.approved_by,
        description=" ".join(x for x in (op.reference, op.note) if x) or None,
    )
    for p in preds:
        _absorb(c, p, op.into)
        c.lineage(p.id, op.into, ev)


def _split(c: _Ctx, op: O.Split) -> None:
    body = c.body(op.body)
    # the areas to partition: its CSP footprint, else where it discharges the Duty, else what it serves
    for basis_kind in (R.covers, R.discharges, R.serves):
        covered = sorted({r.target for r in c.s.relations(basis_kind, c.date, source=body.id)})
        if covered:
            break
    owner: dict[str, str] = {}
    for part in op.into:
        c.new_id_free(part.id)
        for a in part.areas:
            c.area(a)
            if a in owner:
                raise c.fail(f"split of '{body.id}' gives area '{a}' twice ({owner[a]} and {part.id})", a)
            owner[a] = part.id
    missing = [a for a in covered if a not in owner]
    if missing:
        raise c.fail(f"split of '{body.id}' leaves out area(s) {', '.join(missing)}", *missing,
                     hint="Every area the body covers must go to exactly one part")
    extra = sorted(a for a in owner if a not in covered)
    if extra:
        raise c.fail(f"split of '{body.id}' gives area(s) {', '.join(extra)} it does not {basis_kind.value}", *extra)
    for part in op.into:
        c.add(body.model_copy(update={
            "id": part.id, "name": part.name, "kind": part.kind or body.kind,
            "tier": part.tier or body.tier, "start": c.date, "end": None, "gss": None,
        }))
    ev = c.event("split", predecessors=(body.id,), successors=tuple(p.id for p in op.into), areas=tuple(covered))
    first = op.into[0].id
    for rel in _memberships_last(c.open_relations(body.id)):
        if rel.kind == R.member_of:
            _pass_memberships(c, rel, body.id, [p.id for p in op.into])
            continue
        c.retire(rel)
        if rel.source == body.id and rel.kind in (R.covers, R.discharges, R.serves) and rel.target in owner:
            c.link(rel.kind, owner[rel.target], rel.target, role=rel.role)
        elif rel.kind == R.seat and rel.source == body.id:
            holder = _part_for_area(c, rel.area, owner) or first
            c.link(R.seat, holder, rel.target, rel.area, rel.role)
        else:
            for part in op.into:
                src = part.id if rel.source == body.id else rel.source
                tgt = part.id if rel.target == body.id else rel.target
                if src != tgt:
                    c.link(rel.kind, src, tgt, rel.area, rel.role)
    c.retire_node(body)
    for part in op.into:
        c.lineage(body.id, part.id, ev)


def _part_for_area(c: _Ctx, area: str | None, owner: dict[str, str]) -> str | None:
    if area is None:
        return None
    if area in owner:
        return owner[area]
    related = {area, *c.s.ancestors(area, c.date), *c.s.descendants(area, c.date)}
    for a in sorted(owner):
        if a in related:
            return owner[a]
    return None


def _transfer(c: _Ctx, op: O.TransferAreas) -> None:
    src, dst = c.body(op.from_), c.body(op.to)
    if src.id == dst.id:
        raise c.fail(f"transfer_areas from '{src.id}' to itself changes nothing", src.id)
    kind = R(op.relation)
    c.event("transfer_areas", predecessors=(src.id,), successors=(dst.id,), areas=op.areas, description=op.note)
    for a in op.areas:
        c.area(a)
        rels = [r for r in c.s.relations(kind, c.date, source=src.id) if r.target == a]
        if not rels:
            raise c.fail(f"'{src.id}' does not {kind.value.rstrip('s')} area '{a}' on {c.date}", src.id, a)
        for r in rels:
            c.retire(r)
        c.link(kind, dst.id, a, note=f"transferred from {src.id}", sources=())
    _follow_transfer(c, kind, src.id, dst.id, op.areas)


def _follow_transfer(c: _Ctx, kind: RelationKind, src: str, dst: str, areas: Sequence[str]) -> None:
    """Memberships follow transferred areas: they pass where the member serves the footprint.

    A partnership's footprint moved (``covers``, ``discharges``): its members serving the
    transferred areas join the receiving partnership, and those serving none of what is
    left leave. An agency's areas moved (``serves``): the receiving agency joins the
    partnerships for those areas the giver sat on, and the giver leaves those it no longer serves.
    """
    from .membership import belongs

    def serves_moved(body: str) -> bool:
        served = {r.target for r in c.s.relations(R.serves, c.date, source=body)}
        related = {x for a in areas for x in (a, *c.s.ancestors(a, c.date), *c.s.descendants(a, c.date))}
        return bool(served & related)

    if kind in (R.covers, R.discharges):
        pairs = [(r, r.source, dst) for r in c.s.relations(R.member_of, c.date, target=src)]
        serving_areas = serves_moved
    else:
        pairs = [(r, dst, r.target) for r in c.s.relations(R.member_of, c.date, source=src)]

        def serving_areas(_member: str, _p: str | None = None) -> bool:
            return True  # the receiving agency serves the moved areas now

    for rel, member, partnership in sorted(pairs, key=lambda x: x[0].key):
        joins = (
            member != partnership
            and serving_areas(rel.source)
            and _footprint_touches(c, partnership, areas)
            and not c.has_open(R.member_of, member, partnership)
            and belongs(c.s, member, partnership, c.date)
        )
        if joins:
            c.link(R.member_of, member, partnership, rel.area, rel.role, note=f"with areas transferred from {src}")
        if not belongs(c.s, rel.source, rel.target, c.date):
            c.retire(rel)
            _end_membership_event(c, rel, [(rel.source, rel.target)], [(member, partnership)] if joins else [])


def _footprint_touches(c: _Ctx, partnership: str, areas: Sequence[str]) -> bool:
    """Whether a body's footprint (covers, discharges, serves) reaches any of the areas."""
    fp = {r.target for k in (R.covers, R.discharges, R.serves) for r in c.s.relations(k, c.date, source=partnership)}
    related = {x for a in areas for x in (a, *c.s.ancestors(a, c.date), *c.s.descendants(a, c.date))}
    return bool(fp & related)


def _reorganise(c: _Ctx, op: O.ReorganiseCouncils) -> None:
    abolished = [c.body(b) for b in op.abolish]
    for b in abolished:
        if b.kind not in COUNCIL_KINDS:
            raise c.fail(f"'{b.id}' is a {b.kind.value}, not a council", b.id, hint="Use dissolve or merge for other bodies")
    # successor areas and councils
    part_of: dict[str, list[str]] = {}
    for new in op.create:
        c.new_id_free(new.id)
        c.new_id_free(new.area.id)
        for a in new.areas:
            c.area(a)
            part_of.setdefault(a, []).append(new.id)
    twice = sorted(a for a, owners in part_of.items() if len(owners) > 1)
    if twice:
        raise c.fail(f"area(s) {', '.join(twice)} given to more than one new council", *twice)
    for e in op.end_areas:
        c.area(e)
    # which new council succeeds each abolished one: those whose areas overlap what it served
    successors: dict[str, list[str]] = {}
    for b in abolished:
        served = {r.target for r in c.s.relations(R.serves, c.date, source=b.id)}
        reach = set(served)
        for a in served:
            reach.update(c.s.descendants(a, c.date))
            reach.update(c.s.ancestors(a, c.date))
        succ = sorted(n.id for n in op.create if reach & set(n.areas))
        if not succ:
            raise c.fail(
                f"council '{b.id}' has no successor: none of the new councils takes an area it serves",
                b.id, hint="Add its areas to a new council's 'areas'",
            )
        successors[b.id] = succ
    ending = set(op.end_areas)

    def surviving_parts(e: str) -> list[str]:
        out: list[str] = []
        for child in c.s.children(e, c.date):
            out.extend(surviving_parts(child) if child in ending else [child])
        return out

    former_parts = {e: surviving_parts(e) for e in op.end_areas}
    created_areas: dict[str, str] = {}
    for new in op.create:
        parent = new.area.parent or _common_force_area(c, new.areas)
        if parent:
            c.area(parent)
        c.add(Area(
            id=new.area.id, name=new.area.name, kind=new.area.kind, gss=new.area.gss,
            start=c.date, sources=new.area.sources, note=new.area.note,
        ))
        if parent:
            c.link(R.within, new.area.id, parent)
        for a in new.areas:
            for rel in list(c.s.relations(R.within, c.date, source=a)):
                # ONS statistical areas (frozen CSP geography) outlive reorganisations: keep those links
                if c.s.area(rel.target).kind != AreaKind.statistical:
                    c.retire(rel)
            c.link(R.within, a, new.area.id)
        created_areas[new.id] = new.area.id
    for new in op.create:
        preds = [b for b in abolished if new.id in successors[b.id]]
        duties = new.duties if new.duties is not None else (
            frozenset().union(*(b.duties for b in preds)) or frozenset({Duty.serious_violence_duty})
        )
        gss = new.gss or new.area.gss or (new.area.id if re.fullmatch(r"[EWSN]\d{8}", new.area.id) else None)
        c.add(Body(
            id=new.id, name=new.name, kind=new.kind, gss=gss, duties=duties,
            start=c.date, sources=new.sources, note=new.note,
        ))
        c.link(R.serves, new.id, new.area.id)
    ev = c.event(
        "reorganise_councils",
        predecessors=tuple(b.id for b in abolished) + tuple(op.end_areas),
        successors=tuple(n.id for n in op.create) + tuple(n.area.id for n in op.create),
        areas=tuple(sorted({a for n in op.create for a in n.areas} | set(op.end_areas))),
        description=op.note,
    )
    # memberships, seats and reporting lines pass to the successors; services end
    for b in abolished:
        succ = successors[b.id]
        for rel in c.open_relations(b.id):
            if rel.kind == R.member_of:
                _pass_memberships(c, rel, b.id, succ, expand=former_parts)
                continue
            c.retire(rel)
            if rel.kind == R.serves:
                continue
            if rel.kind == R.seat and rel.source == b.id:
                holder = _successor_for_area(c, rel.area, succ, op) or succ[0]
                c.link(R.seat, holder, rel.target, rel.area, rel.role)
                continue
            for n in succ:
                src = n if rel.source == b.id else rel.source
                tgt = n if rel.target == b.id else rel.target
                if src != tgt:
                    c.link(rel.kind, src, tgt, rel.area, rel.role)
        c.retire_node(b)
        for n in succ:
            c.lineage(b.id, n, ev)
    # areas that cease: what served, covered or was discharged for them passes on
    for e in op.end_areas:
        area = c.s.get(e)
        left = c.s.children(e, c.date)
        if left:
            raise c.fail(f"cannot end area '{e}': {', '.join(left)} still lie(s) within it", e, *left,
                         hint="Give those areas to a new council, or end them too")
        parts = former_parts[e]
        succ_areas = sorted(
            created_areas[n.id] for n in op.create if set(n.areas) & ({e} | set(parts))
        )
        # One successor area takes over whole; otherwise the ended area's surviving parts do,
        # so nothing is claimed for territory it never covered (e.g. West Berkshire in Ridgeway).
        heirs = succ_areas if len(succ_areas) == 1 else parts
        for rel in c.open_relations(e):
            c.retire(rel)
            if rel.kind in (R.serves, R.discharges, R.covers) and rel.target == e:
                for h in heirs:
                    c.link(rel.kind, rel.source, h, role=rel.role)
        # a seat for the area passes on only when one area succeeds it; otherwise the
        # scenario must say who sits for each new area (the checks will ask)
        for rel in [r for r in c.s.relations(R.seat, c.date) if r.area == e]:
            c.retire(rel)
            if len(succ_areas) == 1:
                c.link(R.seat, rel.source, rel.target, succ_areas[0], rel.role)
        c.retire_node(area)
        for sa in succ_areas:
            c.lineage(e, sa, ev)


def _common_force_area(c: _Ctx, areas: Sequence[str]) -> str | None:
    found = set()
    for a in areas:
        for anc in c.s.ancestors(a, c.date):
            if c.s.area(anc).kind == AreaKind.police_force_area:
                found.add(anc)
                break
    return sorted(found)[0] if len(found) == 1 else None


def _successor_for_area(c: _Ctx, area, succ, op) -> str | None:
    if area is None:
        return None
    for n in op.create:
        if n.id in succ and (area in n.areas or area == n.area.id):
            return n.id
    return None


def _member(c: _Ctx, op: O.AddMember | O.RemoveMember) -> None:
    body, partnership = c.body(op.body), c.body(op.partnership)
    if isinstance(op, O.AddMember):
        if c.has_open(R.member_of, body.id, partnership.id):
            raise c.fail(f"'{body.id}' is already a member of '{partnership.id}'", body.id, partnership.id)
        c.link(R.member_of, body.id, partnership.id, role=op.role)
        c.event("add_member", successors=(partnership.id,), predecessors=(body.id,), description=op.note)
    else:
        rels = [r for r in c.s.relations(R.member_of, c.date, source=body.id) if r.target == partnership.id]
        if not rels:
            raise c.fail(f"'{body.id}' is not a member of '{partnership.id}' on {c.date}", body.id, partnership.id)
        for r in rels:
            c.retire(r)
        c.event("remove_member", successors=(partnership.id,), predecessors=(body.id,), description=op.note)


def _seats_for(c: _Ctx, board: str, area: str | None = None, body: str | None = None) -> list[Relation]:
    return [
        r for r in c.s.relations(R.seat, c.date, target=board)
        if (area is None or r.area == area) and (body is None or r.source == body)
    ]


def _assign_seat(c: _Ctx, op: O.AssignSeat) -> None:
    board, body = c.body(op.board), c.body(op.body)
    if op.area:
        c.area(op.area)
        held = _seats_for(c, board.id, area=op.area)
        if held:
            raise c.fail(
                f"{board.id} already has a seat for '{op.area}', held by '{held[0].source}'",
                op.area, held[0].source, hint="Use move_seat to give it to another body",
            )
    elif _seats_for(c, board.id, body=body.id):
        raise c.fail(f"'{body.id}' already holds a seat on '{board.id}'", body.id)
    role = op.role or ("representative" if op.area else "duty_holder")
    c.link(R.seat, body.id, board.id, op.area, role)
    c.event("assign_seat", successors=(body.id,), areas=(op.area,) if op.area else (), description=op.note)


def _move_seat(c: _Ctx, op: O.MoveSeat) -> None:
    board, to = c.body(op.board), c.body(op.to)
    c.area(op.area)
    held = _seats_for(c, board.id, area=op.area)
    if not held:
        raise c.fail(f"'{board.id}' has no seat for '{op.area}' on {c.date}", op.area, hint="Use assign_seat")
    if [r.source for r in held] == [to.id]:
        raise c.fail(f"'{to.id}' already holds the seat for '{op.area}'", to.id, op.area)
    for r in held:
        c.retire(r)
    c.link(R.seat, to.id, board.id, op.area, held[0].role)
    c.event("move_seat", predecessors=tuple(r.source for r in held), successors=(to.id,), areas=(op.area,), description=op.note)


def _remove_seat(c: _Ctx, op: O.RemoveSeat) -> None:
    board = c.body(op.board)
    held = _seats_for(c, board.id, area=op.area, body=op.body)
    if not held:
        what = f"for '{op.area}'" if op.area else f"held by '{op.body}'"
        raise c.fail(f"'{board.id}' has no seat {what} on {c.date}", board.id)
    for r in held:
        c.retire(r)
    c.event("remove_seat", predecessors=tuple(r.source for r in held), areas=(op.area,) if op.area else (), description=op.note)


def _publish_strategy(c: _Ctx, op: O.PublishStrategy) -> None:
    body = c.body(op.body)
    if op.end is not None and op.end <= c.date:
        raise c.fail(f"strategy {op.title!r} would lapse ({op.end}) before it starts ({c.date})", body.id)
    strategy = Strategy(title=op.title, start=c.date, end=op.end, source=op.source)
    if strategy in body.strategies:
        raise c.fail(f"'{body.id}' already has strategy {op.title!r} from {c.date}", body.id)
    c.update(body, body.model_copy(update={"strategies": (*body.strategies, strategy)}))
    c.event("publish_strategy", successors=(body.id,), description=op.note or op.title)


_SETTABLE = {"name", "tier", "kind", "gss", "note"}


def _set_attribute(c: _Ctx, op: O.SetAttribute) -> None:
    rec = c.s.get(op.id)
    if rec is None:
        raise c.fail(f"unknown body or area '{op.id}'", op.id)
    c.body(op.id) if isinstance(rec, Body) else c.area(op.id)
    if op.attribute.startswith("attributes."):
        if not isinstance(rec, Body):
            raise c.fail(f"areas have no attributes: '{op.attribute}'", op.id)
        key = op.attribute.split(".", 1)[1]
        attrs = dict(rec.attributes)
        old = attrs.get(key)
        if op.value is None:
            attrs.pop(key, None)
        else:
            attrs[key] = op.value
        after = rec.model_copy(update={"attributes": attrs})
    elif op.attribute in _SETTABLE and op.attribute in type(rec).model_fields:
        old = getattr(rec, op.attribute)
        try:
            after = type(rec).model_validate({**rec.model_dump(), op.attribute: op.value})
        except Exception as exc:  # pydantic's message names the allowed values
            msg = str(exc).splitlines()[-2].strip() if "\n" in str(exc) else str(exc)
            raise c.fail(f"cannot set {op.id}.{op.attribute} to {op.value!r}: {msg}", op.id) from None
    else:
        allowed = sorted(a for a in _SETTABLE if a in type(rec).model_fields)
        raise c.fail(
            f"cannot set '{op.attribute}' of '{op.id}'", op.id,
            hint=f"Settable: {', '.join(allowed)}" + (", attributes.<name>" if isinstance(rec, Body) else ""),
        )
    c.update(rec, after)
    old_text = "" if old is None else str(getattr(old, "value", old))
    c.event("set_attribute", predecessors=(op.id,), successors=(op.id,), old_values={op.attribute: old_text}, description=op.note)


def _link(c: _Ctx, op: O.Link | O.Unlink) -> None:
    r = op.relation
    for end in (r.source, r.target):
        if c.s.get(end) is None:
            raise c.fail(f"unknown id '{end}' in {r.kind.value} relation", end)
    if isinstance(op, O.Link):
        if c.has_open(r.kind, r.source, r.target, r.area):
            raise c.fail(f"{r.kind.value} relation {r.source} -> {r.target} is already in force", r.source, r.target)
        c.link(r.kind, r.source, r.target, r.area, r.role, note=r.note, sources=r.sources)
    else:
        rels = [
            x for x in c.s.relations(r.kind, c.date, source=r.source)
            if x.target == r.target and (x.area or None) == (r.area or None)
        ]
        if not rels:
            raise c.fail(f"no {r.kind.value} relation {r.source} -> {r.target} in force on {c.date}", r.source, r.target)
        for x in rels:
            c.retire(x)
    c.event(op.op, predecessors=(r.source,), successors=(r.target,), description=op.note)


_RESOLVERS = {
    O.CreateBody: _create_body,
    O.CreateArea: _create_area,
    O.SplitArea: _split_area,
    O.MoveArea: _move_area,
    O.Dissolve: _dissolve,
    O.Rename: _rename,
    O.Merge: _merge,
    O.Split: _split,
    O.TransferAreas: _transfer,
    O.ReorganiseCouncils: _reorganise,
    O.AddMember: _member,
    O.RemoveMember: _member,
    O.AssignSeat: _assign_seat,
    O.MoveSeat: _move_seat,
    O.RemoveSeat: _remove_seat,
    O.PublishStrategy: _publish_strategy,
    O.SetAttribute: _set_attribute,
    O.Link: _link,
    O.Unlink: _link,
}


def resolve(structure: Structure, op, on: dt.date, **context) -> list[O.Primitive]:
    """Apply one operation to ``structure`` IN PLACE and return its primitive edits.

    Used by :func:`apply` on its private copy; call :func:`apply` instead
    unless you own the structure.
    """
    basis = getattr(op, "basis", None) or context.pop("basis", None)
    context.pop("basis", None)
    c = _Ctx(structure, on, basis=basis, **context)
    if isinstance(op, (O.Add, O.Remove, O.Update)):
        c.do(op)
        return c.edits
    try:
        _RESOLVERS[type(op)](c, op)
    except RestructureError as exc:
        # undo the partial op so the working copy stays consistent
        for e in invert(c.edits):
            _do(structure, e)
        if isinstance(exc, ValidationFailed):  # an edit-level problem: report it as the op's
            raise ScenarioError(exc.what, exc.hint or None, ids=exc.ids) from None
        raise
    return c.edits


def apply(
    structure: Structure,
    ops: Iterable,
    on: dt.date,
    *,
    scenario: str | None = None,
    phase: str | None = None,
    basis=None,
) -> Applied:
    """Apply operations, all effective on one date, to a copy of ``structure``.

    Parameters
    ----------
    structure : Structure
        Left unchanged.
    ops : iterable of operations
        Models from :mod:`restructure.operations`, in order.
    on : date
        The effective date: what is created starts, and what ends ends, that day.
    scenario, phase : str, optional
        Recorded in each change event.
    basis : Basis, optional
        The legal basis recorded in each change event (an op's own ``basis`` wins).

    Returns
    -------
    Applied
        The new structure and, per operation, the primitive edits it resolved into.

    Raises
    ------
    ScenarioError
        An operation does not fit the structure; the error names its index (1-based).

    Examples
    --------
    >>> import datetime as dt
    >>> from restructure.structure import Structure
    >>> from restructure.operations import Rename
    >>> s = Structure.from_yaml("areas: [{id: E06000038, name: Reading, kind: unitary}]")
    >>> out = apply(s, [Rename(id="E06000038", name="Reading Borough")], dt.date(2027, 1, 1))
    >>> out.structure.area("E06000038").name, s.area("E06000038").name
    ('Reading Borough', 'Reading')
    """
    s = structure.copy()
    resolved = []
    for i, op in enumerate(ops, start=1):
        try:
            resolved.append(resolve(s, op, on, scenario=scenario, phase=phase, op_index=i, basis=basis))
        except RestructureError as exc:
            raise exc.located(op_index=i, phase=phase) from None
    return Applied(s, resolved)


def run_scenario(
    scenario,
    base: Structure | str | Path | None = None,
    *,
    as_of: dt.date | None = None,
    keep_phases: bool = False,
    db: str | None = None,
) -> Outcome:
    """Apply a scenario's phases, in date order, to its base.

    Parameters
    ----------
    scenario : Scenario or path
        A loaded :class:`~restructure.scenario.Scenario` or a scenario file.
    base : Structure, path or store ref, optional
        What to apply to; by default the scenario's own ``base``.
    as_of : date, optional
        Apply only the phases effective on or before this date.
    keep_phases : bool
        Keep a copy of the structure after each phase (for committing one
        version per phase); costs one copy per phase.
    db : str, optional
        Store URL, when ``base`` names a stored ref.

    Returns
    -------
    Outcome
        The base, the dated result (``outcome.structure``), and per phase its
        operations and their resolved edits; ``outcome.dates`` and
        ``outcome.facts()`` summarise it.

    Raises
    ------
    RestructureError
        A malformed scenario, an unknown base, or an operation that does not
        fit; located by file, line, phase and operation.

    Examples
    --------
    >>> from restructure.baseline import SCENARIOS
    >>> out = run_scenario(SCENARIOS / "oxfordshire" / "one-unitary.yaml")
    >>> [str(d) for d in out.dates]
    ['2027-05-06', '2028-04-01', '2028-10-01']
    >>> out.facts()["units"]
    9
    """
    from .scenario import Scenario, load_scenario, resolve_base

    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    base_structure = resolve_base(scenario, base, db=db)
    s = base_structure.copy()
    phases = []
    for phase in scenario.phases:
        if as_of is not None and phase.date > as_of:
            break
        resolved = []
        for i, op in enumerate(phase.operations, start=1):
            try:
                resolved.append(resolve(
                    s, op, phase.date, scenario=scenario.name, phase=phase.name, op_index=i, basis=phase.basis,
                ))
            except RestructureError as exc:
                file, line = scenario.locate(phase, i)
                raise exc.located(file=file, line=line, phase=phase.name, op_index=i) from None
        phases.append(PhaseResult(
            phase.name, phase.date, phase.description, list(phase.operations), resolved,
            s.copy() if keep_phases else None, phase.basis,
        ))
    return Outcome(scenario, base_structure, s, phases)
