"""The restructure language: operations as data.

Each operation is a frozen pydantic model tagged by ``op``. A scenario's
phases hold lists of them; :data:`Operation` is the discriminated union that
loads and dumps them and emits the JSON Schema (``restructure schema``).

Operations say *what* changes. :mod:`restructure.apply` resolves each one
against a structure into primitive edits (:class:`Add`, :class:`Remove`,
:class:`Update`) that record everything they remove, so every applied
operation can be inverted. The primitives are operations too: a diff is a
list of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from . import model
from .model import Area, AreaKind, Basis, Body, BodyKind, ChangeEvent, Duty, Relation, RelationKind, Tier
from .text import Name

__all__ = [
    "Operation",
    "Primitive",
    "OPERATIONS",
    "operations_adapter",
    "CreateBody",
    "CreateArea",
    "SplitArea",
    "MoveArea",
    "Dissolve",
    "Rename",
    "Merge",
    "Split",
    "TransferAreas",
    "ReorganiseCouncils",
    "AddMember",
    "RemoveMember",
    "AssignSeat",
    "MoveSeat",
    "RemoveSeat",
    "PublishStrategy",
    "SetAttribute",
    "Link",
    "Unlink",
    "Add",
    "Remove",
    "Update",
    "NewCouncil",
    "NewArea",
    "SplitPart",
    "PartSpec",
]


class _Op(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    note: str | None = None
    """Why this step is here (kept with the change event)."""
    basis: Basis | None = None
    """The legal basis of this step (an order, a decision); default: its phase's basis."""

    def summary(self) -> str:
        """One readable line saying what the operation does."""
        return self.op  # type: ignore[attr-defined]


def _ids(ids) -> str:
    return ", ".join(ids) if ids else "(none)"


# -- bodies and areas ---------------------------------------------------------------


class CreateBody(_Op):
    """Create a body with its coverage, duty discharge, services and memberships."""

    op: Literal["create_body"] = "create_body"
    body: Body
    covers: tuple[str, ...] = ()
    """Areas in its statutory (CSP) footprint."""
    discharges: tuple[str, ...] = ()
    """Areas for which it discharges the Serious Violence Duty."""
    serves: tuple[str, ...] = ()
    member_of: tuple[str, ...] = ()
    """Partnerships it joins (statutory member)."""
    members: tuple[str, ...] = ()
    """Bodies that join it (statutory members)."""
    accountable_to: str | None = None
    since: dt.date | None = None
    """When its relations start: for a body that already stood before the phase (a partnership
    added to an imported base). Default: the body's ``start`` when it is earlier than the phase
    date, else the phase date."""

    def summary(self) -> str:
        extra = f" covering {_ids(self.covers)}" if self.covers else ""
        return f"create {self.body.kind.value} {self.body.id} ({self.body.name}){extra}"


class CreateArea(_Op):
    """Create an area (e.g. a new unitary's area before vesting, or a named part)."""

    op: Literal["create_area"] = "create_area"
    area: Area
    parent: str | None = None

    def summary(self) -> str:
        within = f" within {self.parent}" if self.parent else ""
        return f"create area {self.area.id} ({self.area.name}){within}"


class PartSpec(BaseModel):
    """A named part of an area (a boundary below district level)."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)
    id: str
    name: Name
    gss: str | None = None
    kind: AreaKind = AreaKind.part
    sources: tuple[str, ...] = ()
    note: str | None = None


class SplitArea(_Op):
    """Divide an area into named parts (which lie within it and stay covered by what covers it)."""

    op: Literal["split_area"] = "split_area"
    area: str
    parts: tuple[PartSpec, ...] = Field(min_length=2)

    def summary(self) -> str:
        return f"split area {self.area} into parts {_ids([p.id for p in self.parts])}"


class MoveArea(_Op):
    """Move an area (a part, a ward, a district) to lie within another area: a boundary change."""

    op: Literal["move_area"] = "move_area"
    area: str
    to: str

    def summary(self) -> str:
        return f"move area {self.area} into {self.to}"


class Dissolve(_Op):
    """Dissolve a body: it and all its relations end; its successors are recorded."""

    op: Literal["dissolve"] = "dissolve"
    body: str
    successors: tuple[str, ...] = ()
    lapse: bool = False
    """Say explicitly that the body's functions lapse (no successor)."""
    reason: str | None = None

    @model_validator(mode="after")
    def _successors_or_lapse(self):
        if bool(self.successors) == bool(self.lapse):
            raise ValueError("dissolve must name successors or say 'lapse: true' (not both)")
        return self

    def summary(self) -> str:
        to = f" -> {_ids(self.successors)}" if self.successors else " (functions lapse)"
        return f"dissolve {self.body}{to}"


class Rename(_Op):
    """Give a body or area a new name (the old one is kept in the change event)."""

    op: Literal["rename"] = "rename"
    id: str
    name: Name

    def summary(self) -> str:
        return f"rename {self.id} to {self.name!r}"


class Merge(_Op):
    """Merge bodies into one, new or existing: everything they held carries over."""

    op: Literal["merge"] = "merge"
    bodies: tuple[str, ...]
    """The bodies merged (two or more)."""
    into: str
    """The surviving body: one of ``bodies``, another existing body, or a new id (give ``new``)."""
    new: Body | None = None
    """The new body's fields when ``into`` does not exist yet (its ``id`` must equal ``into``)."""
    approved_by: str | None = None
    """A body whose approval the merger needs (CSP mergers: the PCC, PRSR Act 2011)."""
    reference: str | None = None
    """The decision's reference (e.g. "PCC decision 013/2014")."""

    @model_validator(mode="after")
    def _two_or_more(self):
        if len(set(self.bodies)) < 2:
            raise ValueError("a merge needs at least two different bodies")
        if self.new is not None and self.new.id != self.into:
            raise ValueError(f"new.id '{self.new.id}' must equal into '{self.into}'")
        return self

    def summary(self) -> str:
        return f"merge {_ids(self.bodies)} into {self.into}" + (" (new)" if self.new else "")


class SplitPart(BaseModel):
    """One successor of a split and the areas it takes."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)
    id: str
    name: Name
    areas: tuple[str, ...] = Field(min_length=1)
    kind: BodyKind | None = None
    tier: Tier | None = None


class Split(_Op):
    """Split a body into several, partitioning its areas explicitly."""

    op: Literal["split"] = "split"
    body: str
    into: tuple[SplitPart, ...] = Field(min_length=2)

    def summary(self) -> str:
        return f"split {self.body} into " + "; ".join(f"{p.id} ({_ids(p.areas)})" for p in self.into)


class TransferAreas(_Op):
    """Move areas from one partnership (or agency) to another."""

    op: Literal["transfer_areas"] = "transfer_areas"
    areas: tuple[str, ...] = Field(min_length=1)
    from_: str = Field(alias="from")
    to: str
    relation: Literal["covers", "discharges", "serves"] = "covers"

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    def summary(self) -> str:
        return f"transfer {_ids(self.areas)} ({self.relation}) from {self.from_} to {self.to}"


class NewArea(BaseModel):
    """The area of a successor council."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)
    id: str
    """Its GSS code when known, else a slug (ONS issues codes after the order is made)."""
    name: Name
    gss: str | None = None
    kind: AreaKind = AreaKind.unitary
    parent: str | None = None
    """The area it lies within; by default the police force area of its parts."""
    sources: tuple[str, ...] = ()
    note: str | None = None


class NewCouncil(BaseModel):
    """A successor council and the areas it will serve."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)
    id: str
    name: Name
    kind: BodyKind = BodyKind.unitary_council
    gss: str | None = None
    area: NewArea
    areas: tuple[str, ...] = Field(min_length=1)
    """Existing areas (districts, unitaries or parts) that make up the new area."""
    duties: frozenset[Duty] | None = None
    """Defaults to the duties of the councils it succeeds."""
    sources: tuple[str, ...] = ()
    note: str | None = None


class ReorganiseCouncils(_Op):
    """Abolish councils and create successor councils over given areas (vesting day).

    The abolished councils' memberships, seats and duties pass to their
    successors. Their areas stay in force as parts of the new areas, so the
    partnerships that cover them still show (and a new unitary covered by
    two CSPs is a finding until they merge).
    """

    op: Literal["reorganise_councils"] = "reorganise_councils"
    abolish: tuple[str, ...] = Field(min_length=1)
    create: tuple[NewCouncil, ...] = Field(min_length=1)
    end_areas: tuple[str, ...] = ()
    """Areas that cease (a county whose districts all became unitaries); what served or
    was discharged for them passes to their successor areas."""

    def summary(self) -> str:
        made = "; ".join(f"{c.id} over {_ids(c.areas)}" for c in self.create)
        ended = f"; end areas {_ids(self.end_areas)}" if self.end_areas else ""
        return f"reorganise councils: abolish {_ids(self.abolish)} -> create {made}{ended}"


# -- memberships and seats -----------------------------------------------------------


class AddMember(_Op):
    """A body joins a partnership."""

    op: Literal["add_member"] = "add_member"
    body: str
    partnership: str
    role: Name = "statutory"

    def summary(self) -> str:
        return f"add {self.body} to {self.partnership} ({self.role})"


class RemoveMember(_Op):
    """A body leaves a partnership."""

    op: Literal["remove_member"] = "remove_member"
    body: str
    partnership: str

    def summary(self) -> str:
        return f"remove {self.body} from {self.partnership}"


class AssignSeat(_Op):
    """Give a body a seat on a board, for a local area or as a duty holder."""

    op: Literal["assign_seat"] = "assign_seat"
    board: str
    body: str
    area: str | None = None
    role: Name | None = None
    """Defaults to ``representative`` with an area, ``duty_holder`` without."""

    def summary(self) -> str:
        where = f" for {self.area}" if self.area else ""
        return f"assign {self.board} seat{where} to {self.body}"


class MoveSeat(_Op):
    """Move a board's seat for a local area to another body."""

    op: Literal["move_seat"] = "move_seat"
    board: str
    area: str
    to: str

    def summary(self) -> str:
        return f"move {self.board} seat for {self.area} to {self.to}"


class RemoveSeat(_Op):
    """Remove a board seat: the seat for ``area``, or the seats ``body`` holds."""

    op: Literal["remove_seat"] = "remove_seat"
    board: str
    area: str | None = None
    body: str | None = None

    @model_validator(mode="after")
    def _area_or_body(self):
        if self.area is None and self.body is None:
            raise ValueError("remove_seat needs 'area' or 'body'")
        return self

    def summary(self) -> str:
        return f"remove {self.board} seat " + (f"for {self.area}" if self.area else f"of {self.body}")


class PublishStrategy(_Op):
    """A partnership publishes (or adopts) a Serious Violence Strategy, in force from the phase date."""

    op: Literal["publish_strategy"] = "publish_strategy"
    body: str
    title: Name
    end: dt.date | None = None
    """When it lapses (first day no longer in force), if known."""
    source: str | None = None

    def summary(self) -> str:
        return f"{self.body} publishes {self.title!r}"


class SetAttribute(_Op):
    """Change one attribute of a body or area (``tier``, ``kind``, ``gss``, ``note``, ``attributes.X``)."""

    op: Literal["set_attribute"] = "set_attribute"
    id: str
    attribute: str
    value: str | None

    def summary(self) -> str:
        return f"set {self.id}.{self.attribute} = {self.value!r}"


class _RelationSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)
    kind: RelationKind
    source: str
    target: str
    area: str | None = None
    role: Name | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None


class Link(_Op):
    """Add any relation, starting on the phase date."""

    op: Literal["link"] = "link"
    relation: _RelationSpec

    def summary(self) -> str:
        r = self.relation
        return f"link {r.source} {r.kind.value} {r.target}" + (f" for {r.area}" if r.area else "")


class Unlink(_Op):
    """End a relation on the phase date."""

    op: Literal["unlink"] = "unlink"
    relation: _RelationSpec

    def summary(self) -> str:
        r = self.relation
        return f"unlink {r.source} {r.kind.value} {r.target}" + (f" for {r.area}" if r.area else "")


# -- primitives ------------------------------------------------------------------------


class _OneRecord(_Op):
    area: Area | None = None
    body: Body | None = None
    relation: Relation | None = None
    event: ChangeEvent | None = None

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [k for k in ("area", "body", "relation", "event") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of area, body, relation, event")
        return self

    @property
    def record(self):
        return self.area or self.body or self.relation or self.event

    def summary(self) -> str:
        rec = self.record
        if isinstance(rec, Relation):
            what = f"{rec.kind.value} {rec.source} -> {rec.target}" + (f" ({rec.area})" if rec.area else "")
        else:
            what = f"{type(rec).__name__.lower()} {rec.key}"
        return f"{self.op} {what}"  # type: ignore[attr-defined]

    @classmethod
    def of(cls, record):
        """Wrap a record (area, body, relation or change event)."""
        field = model.RECORD_FIELDS[type(record)]
        return cls(**{field: record})


class Add(_OneRecord):
    """Primitive: add one record."""

    op: Literal["add"] = "add"

    def inverse(self) -> Remove:
        """The edit that undoes this one."""
        return Remove.of(self.record)


class Remove(_OneRecord):
    """Primitive: remove one record (carrying all of it, so it can be put back)."""

    op: Literal["remove"] = "remove"

    def inverse(self) -> Add:
        """The edit that undoes this one (puts back everything it removed)."""
        return Add.of(self.record)


class Update(_Op):
    """Primitive: replace a record by a new version with the same identity."""

    op: Literal["update"] = "update"
    area: tuple[Area, Area] | None = None
    """(before, after)"""
    body: tuple[Body, Body] | None = None
    relation: tuple[Relation, Relation] | None = None
    event: tuple[ChangeEvent, ChangeEvent] | None = None

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [k for k in ("area", "body", "relation", "event") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of area, body, relation, event")
        before, after = getattr(self, given[0])
        if before.key != after.key:
            raise ValueError(f"update must keep the record's identity ({before.key} != {after.key})")
        return self

    @property
    def pair(self):
        return self.area or self.body or self.relation or self.event

    @property
    def before(self):
        return self.pair[0]

    @property
    def after(self):
        return self.pair[1]

    @classmethod
    def of(cls, before, after) -> Update:
        """Wrap two versions of one record (same id or relation key)."""
        field = model.RECORD_FIELDS[type(before)]
        return cls(**{field: (before, after)})

    def inverse(self) -> Update:
        """The edit that undoes this one: after back to before."""
        return Update.of(self.after, self.before)

    def summary(self) -> str:
        b, a = self.pair
        changed = sorted(
            k for k in type(b).model_fields if getattr(b, k) != getattr(a, k)
        )
        key = b.key if not isinstance(b, Relation) else f"{b.kind.value} {b.source} -> {b.target}"
        return f"update {type(b).__name__.lower()} {key}: {', '.join(changed)}"


Primitive = Add | Remove | Update

Operation = Annotated[
    CreateBody
    | CreateArea
    | SplitArea
    | MoveArea
    | Dissolve
    | Rename
    | Merge
    | Split
    | TransferAreas
    | ReorganiseCouncils
    | AddMember
    | RemoveMember
    | AssignSeat
    | MoveSeat
    | RemoveSeat
    | PublishStrategy
    | SetAttribute
    | Link
    | Unlink
    | Add
    | Remove
    | Update,
    Field(discriminator="op"),
]
"""Any operation, tagged by ``op``."""

OPERATIONS: dict[str, type[_Op]] = {cls.model_fields["op"].default: cls for cls in get_args(get_args(Operation)[0])}
"""Operation name -> model, in the order of the :data:`Operation` union."""

operations_adapter: TypeAdapter[list[Operation]] = TypeAdapter(list[Operation])
"""Loads and dumps lists of operations."""
