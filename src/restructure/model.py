"""The vocabulary of a partnership structure: areas, bodies, relations, change events.

Every record is an immutable pydantic model. Time is carried by ``start`` and
``end`` on each record: ``start`` is the first day a record is in force and
``end`` the first day it no longer is (half-open, so a council abolished on
vesting day has ``end: 2028-04-01`` and its successor ``start: 2028-04-01``).
A missing ``start`` means "since before the records begin"; a missing ``end``
means "still in force".

Names and other attributes are not dated: a rename changes the record and is
remembered as a :class:`ChangeEvent` carrying the old name.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import cache
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    WrapValidator,
    field_serializer,
    model_validator,
)

from .text import Name, Text, check_name

__all__ = [
    "AreaKind",
    "BodyKind",
    "Tier",
    "Duty",
    "RelationKind",
    "Area",
    "Body",
    "Strategy",
    "Relation",
    "ChangeEvent",
    "Basis",
    "BasisKind",
    "Record",
    "PARTNERSHIP_KINDS",
    "COUNCIL_KINDS",
    "SPECIFIED_AUTHORITY_KINDS",
    "UNIT_KINDS",
    "UPPER_TIER_KINDS",
    "RECORD_FIELDS",
    "RECORD_SECTIONS",
    "in_force",
    "records_adapter",
    "DRAFT",
    "is_draft",
]


def _id_or_named_character(value, handler):
    """Validate an id; when it fails, say which control character it holds, if it holds one.

    The ASCII pattern already refuses every character :func:`~restructure.text.check_name`
    refuses, so the name check runs only to describe a failure (as it did when it ran first).
    """
    try:
        return handler(value)
    except ValidationError:
        if isinstance(value, str):
            check_name(value)  # raises ValueError naming the first bad character, if there is one
        raise


Id = Annotated[
    str,
    StringConstraints(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"),
    WrapValidator(_id_or_named_character),
]
"""A stable identifier: a GSS code for areas (``E07000177``), a slug for bodies."""


class _Frozen(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        use_attribute_docstrings=True,
        use_enum_values=False,
    )


class AreaKind(StrEnum):
    """What sort of geography an area is."""

    police_force_area = "police_force_area"
    county = "county"
    unitary = "unitary"
    district = "district"
    part = "part"
    """A named part of a district or unitary (e.g. a group of wards moving to a new council)."""
    ward = "ward"
    small_area = "small_area"
    """A statistical building block such as an LSOA."""
    statistical = "statistical"
    """An ONS statistical area such as an ``E22`` CSP area: a label, not a live body."""


UNIT_KINDS = frozenset({AreaKind.district, AreaKind.unitary})
"""Areas that are units of Serious Violence Duty coverage (``Structure.units``), unless inside another."""

UPPER_TIER_KINDS = frozenset({AreaKind.county, AreaKind.unitary})
"""Areas that are upper-tier local areas (one Strategy Board seat each; ``Structure.local_areas``)."""


class BodyKind(StrEnum):
    """What sort of organisation a body is. ``other`` leaves room for more."""

    pcc_office = "pcc_office"
    strategy_board = "strategy_board"
    community_safety_partnership = "community_safety_partnership"
    county_partnership = "county_partnership"
    """A countywide partnership over district CSPs (e.g. Safer Oxfordshire Partnership)."""
    safeguarding_partnership = "safeguarding_partnership"
    prevention_partnership = "prevention_partnership"
    county_council = "county_council"
    district_council = "district_council"
    unitary_council = "unitary_council"
    police_force = "police_force"
    fire_and_rescue_authority = "fire_and_rescue_authority"
    integrated_care_board = "integrated_care_board"
    probation_service = "probation_service"
    youth_justice_service = "youth_justice_service"
    health_and_wellbeing_board = "health_and_wellbeing_board"
    other = "other"


PARTNERSHIP_KINDS = frozenset(
    {
        BodyKind.strategy_board,
        BodyKind.community_safety_partnership,
        BodyKind.county_partnership,
        BodyKind.safeguarding_partnership,
        BodyKind.prevention_partnership,
        BodyKind.health_and_wellbeing_board,
    }
)
"""Bodies that have members."""

COUNCIL_KINDS = frozenset(
    {BodyKind.county_council, BodyKind.district_council, BodyKind.unitary_council}
)

SPECIFIED_AUTHORITY_KINDS = frozenset(
    COUNCIL_KINDS
    | {
        BodyKind.police_force,
        BodyKind.fire_and_rescue_authority,
        BodyKind.integrated_care_board,
        BodyKind.probation_service,
        BodyKind.youth_justice_service,
    }
)
"""Kinds of body that are specified authorities under the Serious Violence Duty
(PCSC Act 2022 s.11 and Sched. 1)."""


class Tier(StrEnum):
    """The four tiers of the partnership model (tvvpp.co.uk, "Our partnership model")."""

    oversight = "oversight"
    strategic = "strategic"
    local = "local"
    operational = "operational"


class Duty(StrEnum):
    """Statutory duties a body holds."""

    serious_violence_duty = "serious_violence_duty"
    """A specified authority under the Serious Violence Duty (PCSC Act 2022 Part 2)."""
    svd_relevant_authority = "svd_relevant_authority"
    """A relevant authority that must co-operate when asked (education, prisons, youth custody)."""
    csp_responsible_authority = "csp_responsible_authority"
    """A responsible authority of a CSP (Crime and Disorder Act 1998 s.5)."""


class RelationKind(StrEnum):
    """How two records are related. The source is always a body, except for ``within``."""

    within = "within"
    """An area lies within a larger area (source area, target area)."""
    covers = "covers"
    """A partnership's statutory footprint includes an area (its CSP area)."""
    discharges = "discharges"
    """A partnership discharges the Serious Violence Duty for an area."""
    member_of = "member_of"
    """A body is a member of a partnership (role: statutory or co-opted)."""
    seat = "seat"
    """A body holds a seat on a board (target), for a local area if ``area`` is set."""
    accountable_to = "accountable_to"
    """A body reports to another body."""
    serves = "serves"
    """An agency or council serves an area."""
    succeeded_by = "succeeded_by"
    """Lineage: a body (or area) was succeeded by another at ``start``, by change ``event``."""


class Strategy(_Frozen):
    """A published Serious Violence Strategy held by a partnership."""

    title: Name
    start: dt.date | None = None
    """When it was published or came into force."""
    end: dt.date | None = None
    """When it lapses (first day no longer in force); omitted while current."""
    source: str | None = None


class _Dated(_Frozen):
    start: dt.date | None = None
    """First day in force; omitted when in force since before the records begin."""
    end: dt.date | None = None
    """First day no longer in force; omitted while in force."""
    sources: tuple[str, ...] = ()
    """Citations or URLs for the facts in this record."""
    note: Text | None = None
    """What a planner should know, including what is unconfirmed."""

    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        return self


class Area(_Dated):
    """A geography: police force area, county, district, unitary, or a part of one."""

    id: Id
    """ONS GSS code where one exists (``E07000177``), else a slug."""
    name: Name
    kind: AreaKind
    gss: str | None = None
    """The GSS code, when ``id`` is not one (e.g. a part keyed by a slug)."""

    @property
    def key(self) -> str:
        return self.id


class Body(_Dated):
    """An organisation: a board, partnership, council or agency."""

    id: Id
    """A stable slug (``cherwell-csp``)."""
    name: Name
    kind: BodyKind
    tier: Tier | None = None
    """Tier of the partnership model; omitted for member agencies and councils."""
    gss: str | None = None
    """GSS code where one exists (councils: their area's code; ONS CSP areas: ``E22…``)."""
    duties: frozenset[Duty] = frozenset()
    strategies: tuple[Strategy, ...] = ()
    """Serious Violence Strategies the body publishes (partnerships)."""
    attributes: dict[str, str] = Field(default_factory=dict)
    """Free-form facts (``website``, ``chair``) that planners set with ``set_attribute``."""

    def __hash__(self) -> int:  # dict fields make the default hash fail
        return hash((self.id, self.name, self.kind, self.start, self.end))

    @field_serializer("duties")
    def _sorted_duties(self, duties: frozenset[Duty]) -> list[str]:
        # Sets have no order; output must be byte-identical run to run.
        return sorted(d.value for d in duties)

    @property
    def key(self) -> str:
        return self.id

    @property
    def is_partnership(self) -> bool:
        return self.kind in PARTNERSHIP_KINDS


class Relation(_Dated):
    """A dated, typed link from one record to another."""

    kind: RelationKind
    source: Id
    target: Id
    area: Id | None = None
    """For seats: the local area the seat represents."""
    role: Name | None = None
    """For memberships: ``statutory`` or ``co-opted``; free text otherwise."""
    event: str | None = None
    """For lineage: the change event that caused it."""

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """Identity within a structure: kind, source, target, area and start."""
        return (
            self.kind.value,
            self.source,
            self.target,
            self.area or "",
            self.start.isoformat() if self.start else "",
        )


class BasisKind(StrEnum):
    """Under what sort of authority a change happens."""

    structural_changes_order = "structural_changes_order"
    """An order under the Local Government and Public Involvement in Health Act 2007, Part 1
    (abolishing councils, creating unitaries)."""
    pcc_decision = "pcc_decision"
    """A police and crime commissioner's decision (e.g. approving a CSP merger)."""
    secretary_of_state_approval = "secretary_of_state_approval"
    """The Secretary of State's approval (e.g. of a CSP merger under the Crime and Disorder Act 1998)."""
    board_decision = "board_decision"
    """A decision of a partnership's board (e.g. the Strategy Board)."""
    council_resolution = "council_resolution"
    statute = "statute"
    """An Act or its regulations directly."""
    other = "other"


_BASIS_WORDS = {
    BasisKind.structural_changes_order: "Structural changes order",
    BasisKind.pcc_decision: "PCC decision",
    BasisKind.secretary_of_state_approval: "Secretary of State's approval",
    BasisKind.board_decision: "Board decision",
    BasisKind.council_resolution: "Council resolution",
    BasisKind.statute: "Statute",
    BasisKind.other: "Other",
}


class Basis(_Frozen):
    """The legal basis of a change: the order, decision or statute it happens under.

    Examples
    --------
    >>> Basis(kind="structural_changes_order", reference="SI 2027/XXX", assumed=True).label()
    'Structural changes order: SI 2027/XXX (assumed)'
    >>> Basis(kind="pcc_decision", date="2014-06-01").label()
    'PCC decision of 2014-06-01'
    """

    kind: BasisKind
    """What sort of authority: an order, a decision, a resolution, a statute."""
    reference: Name | None = None
    """The instrument's or decision's reference (an SI number, "PCC decision 013/2014")."""
    date: dt.date | None = None
    """When it was made."""
    url: str | None = None
    """Where to read it (legislation.gov.uk, the decision notice)."""
    assumed: bool = False
    """Not yet made or not confirmed: the scenario assumes it (say why in ``note``)."""
    note: Text | None = None

    def label(self) -> str:
        """The basis in one line: kind, reference, date, and "(assumed)" when it is."""
        text = _BASIS_WORDS[self.kind]
        if self.reference:
            text += f": {self.reference}"
        if self.date:
            text += f" of {self.date.isoformat()}"
        return text + (" (assumed)" if self.assumed else "")

    def to_dict(self) -> dict:
        """Plain data (only the fields given), for JSON and CSV output."""
        return self.model_dump(mode="json", exclude_defaults=True)


class ChangeEvent(_Frozen):
    """A record of one change (like an ONS Code History Database entry).

    Every operation of a scenario records one, naming what it replaced and
    what replaced it, and where it came from.
    """

    id: Id
    date: dt.date
    kind: str
    """The operation that made it (``merge``, ``reorganise_councils``, ``rename``…)."""
    predecessors: tuple[str, ...] = ()
    successors: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    """Areas whose arrangements changed."""
    scenario: str | None = None
    phase: str | None = None
    op_index: int | None = None
    approved_by: str | None = None
    """A body (e.g. the PCC's office) whose approval the change records."""
    basis: Basis | None = None
    """The legal basis the change happens under (the operation's, else its phase's)."""
    description: Text | None = None
    old_values: dict[str, str] = Field(default_factory=dict)
    """Values an attribute change replaced (``name``), so history can be read back."""
    sources: tuple[str, ...] = ()

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def key(self) -> str:
        return self.id


Record = Area | Body | Relation | ChangeEvent
"""Anything a structure holds."""

RECORD_FIELDS: dict[type, str] = {Area: "area", Body: "body", Relation: "relation", ChangeEvent: "event"}
"""Each record type and the word naming it (a primitive edit's field, a stored row's kind), in the
order records are written and rebuilt (areas and bodies before the relations between them)."""

RECORD_SECTIONS: dict[str, type] = {"areas": Area, "bodies": Body, "relations": Relation, "events": ChangeEvent}
"""The record sections of a structure file, in the order they are written."""


@cache
def records_adapter(model: type) -> TypeAdapter:
    """One ``TypeAdapter(list[model])`` per record model, built on first use.

    Validating a whole section (a file's, or a kind's rows in the store) in one call costs far
    less than a call per record; building the adapter costs time too, so a process that never
    reads a file or a version never pays for it.

    Examples
    --------
    >>> [a.id for a in records_adapter(Area).validate_python([{"id": "A", "name": "A", "kind": "county"}])]
    ['A']
    """
    return TypeAdapter(list[model])

def in_force(record: Area | Body | Relation | Strategy, on: dt.date | None) -> bool:
    """Whether a dated record is in force on a date (``None``: ever, i.e. always true).

    Examples
    --------
    >>> import datetime as dt
    >>> a = Area(id="E07000177", name="Cherwell", kind="district", end=dt.date(2028, 4, 1))
    >>> in_force(a, dt.date(2028, 3, 31)), in_force(a, dt.date(2028, 4, 1))
    (True, False)
    """
    if on is None:
        return True
    if record.start is not None and on < record.start:
        return False
    if record.end is not None and on >= record.end:
        return False
    return True


DRAFT = "Draft:"
"""How the note of a draft record begins: a placeholder a planner has still to confirm
(``restructure new-area`` writes them; the check rule ``DRF001`` lists them)."""


def is_draft(record: Area | Body | Relation) -> bool:
    """Whether a record is a draft: its note begins ``Draft:`` (any case).

    Examples
    --------
    >>> is_draft(Body(id="x-csp", name="X CSP", kind="community_safety_partnership", note="Draft: confirm it."))
    True
    >>> is_draft(Body(id="x-csp", name="X CSP", kind="community_safety_partnership", note="Confirmed (council site)."))
    False
    """
    return bool(record.note) and record.note.lstrip().lower().startswith(DRAFT.lower())
