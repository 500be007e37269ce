"""One pass over two structures: the edits between them, and what the planners' summary must look at.

Comparing two national structures is mostly confirming that tens of thousands of
records did not change. :func:`scan` walks ``a``'s adjacency dicts once, finds
each record's counterpart in ``b`` by key (node id; source, target and edge key)
and compares the two cheaply: the same object, or the same field values
(``__dict__``, which is what pydantic compares first). Only records that differ
go through pydantic's own ``==`` and become edits, and only ``b``'s records that
``a`` lacks are visited on ``b``'s side. On the way it notes what the summary
(:func:`restructure.diff.changes`) needs, so that the summary is built for what
changed rather than for every record: the ids that changed, the areas whose
``within`` relations changed, the dated records (whose standing can differ when
the two sides are read on different dates), the areas of the unit kinds and the
relations other than ``within`` (few: footprints, memberships, seats).

The records that differ are gathered by kind of edit (relations removed, areas
and bodies removed, ...), each group in the canonical order of the patch, and
only then wrapped in edits: the edits come out in the order
:class:`~restructure.diff.Diff` keeps them, without sorting them again. The
records come from structures, so they are valid already: the edits are built
from the first one pydantic validates in each group (:func:`_edits`), not
validated one by one again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import filterfalse
from operator import attrgetter, itemgetter

from .. import operations as O
from ..model import RECORD_FIELDS, UNIT_KINDS, Area, RelationKind
from ..structure import Structure

__all__ = ["Scan", "scan"]

_WITHIN = RelationKind.within
_UNIT_KINDS = tuple(UNIT_KINDS)
"""The unit kinds as a tuple: ``in`` compares members by identity, where a frozenset hashes each
enum member in Python (a cost on every one of tens of thousands of areas)."""


@dataclass
class Scan:
    """What one pass over two structures found.

    Attributes
    ----------
    ops : list of Add, Remove, Update
        The edits that turn ``a`` into ``b``, in the canonical order of a
        :class:`~restructure.diff.Diff` (relations out, areas and bodies out,
        updated and in, relations updated and in, then change events).
    metadata : tuple of (field, before, after)
        Changes to the structures' name, description and sources.
    dates : set of date
        Every date on which a record of either structure starts or ends, and every change event's date.
    changed : set of str
        Ids of areas and bodies added, removed or whose record differs.
    within : set of str
        Sources of ``within`` relations added, removed or changed.
    dated : set of str
        Ids of ``a``'s areas and bodies with a start or end date, and sources of its dated ``within``
        relations: their standing can differ between two dates even when their records do not (records
        that differ are in ``changed`` and ``within`` already).
    units : (set of str, set of str)
        Ids of the areas of unit kinds (district, unitary) in ``a`` and in ``b``, whatever their dates.
    pairs : (set of (str, str), set of (str, str))
        (source, target) of the relations other than ``within`` in ``a`` and in ``b``.
    """

    ops: list = field(default_factory=list)
    metadata: tuple = ()
    dates: set[dt.date] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    within: set[str] = field(default_factory=set)
    dated: set[str] = field(default_factory=set)
    units: tuple[set[str], set[str]] = field(default_factory=lambda: (set(), set()))
    pairs: tuple[set[tuple[str, str]], set[tuple[str, str]]] = field(default_factory=lambda: (set(), set()))


_META_FIELDS = ("name", "description", "sources")


def scan(a: Structure, b: Structure, edits: bool = True) -> Scan:
    """Compare two structures record by record, in one pass over ``a`` and over what ``b`` adds.

    Parameters
    ----------
    a, b : Structure
    edits : bool
        Make the edits (``False``: only what the summary needs; ``ops`` stays empty).

    Returns
    -------
    Scan
        The edits (as :func:`~restructure.diff.diff` makes them, in their canonical order) and
        what the summary needs to look at.
    """
    out = Scan()
    dates, changed, within, dated = out.dates, out.changed, out.within, out.dated
    units_a, units_b = out.units
    pairs_a, pairs_b = out.pairs
    # the records that differ, by kind of edit (the patch's canonical groups)
    nodes_out: list = []
    nodes_in: list = []
    nodes_updated: list = []
    relations_out: list = []
    relations_in: list = []
    relations_updated: list = []

    # -- areas and bodies ------------------------------------------------------------------
    an, bn = a.graph._node, b.graph._node
    retyped: set[str] = set()
    bget = bn.get
    for id_, data in an.items():
        x = data["record"]
        xd = x.__dict__
        other = bget(id_)
        if other is not None:
            y = other["record"]
            if y is x or (y.__dict__ == xd and type(y) is type(x)):  # equal: the common case, decided in C
                if xd["start"] is not None or xd["end"] is not None:
                    dated.add(id_)
                    _add_dates(x, dates)
                if xd["kind"] in _UNIT_KINDS and type(x) is Area:
                    units_a.add(id_)
                    units_b.add(id_)
                continue
        tx = type(x)
        if xd["start"] is not None or xd["end"] is not None:
            dated.add(id_)
            _add_dates(x, dates)
        if tx is Area and xd["kind"] in _UNIT_KINDS:
            units_a.add(id_)
        changed.add(id_)
        if other is None:
            nodes_out.append(x)
            continue
        _add_dates(y, dates)
        if type(y) is Area and y.kind in _UNIT_KINDS:
            units_b.add(id_)
        if type(y) is not tx:
            retyped.add(id_)
            nodes_out.append(x)
            nodes_in.append(y)
        else:
            nodes_updated.append((x, y))
    if len(bn) != len(an) - len(nodes_out) + len(retyped):  # b has ids a lacks
        for id_ in filterfalse(an.__contains__, bn):  # the test in C: b's ids are tens of thousands
            y = bn[id_]["record"]
            changed.add(id_)
            _add_dates(y, dates)
            if type(y) is Area and y.kind in _UNIT_KINDS:
                units_b.add(id_)
            nodes_in.append(y)

    # -- relations -------------------------------------------------------------------------
    asu, bsu = a.graph._succ, b.graph._succ
    new_keys: list[tuple[str, str]] = []  # (u, v) with edges in b that a lacks
    new_targets: list[str] = []  # u with targets in b that a lacks

    def mark(u: str, v: str, rel, side: set[tuple[str, str]]) -> None:
        # what the summary needs to know of a relation on one side
        _add_dates(rel, dates)
        if rel.kind is _WITHIN:
            within.add(u)
        else:
            side.add((u, v))

    # Counted: the targets and keys of a's that b lacks (few), rather than those it has (every one).
    for u, nbrs, bnbrs in zip(asu, asu.values(), map(bsu.get, asu), strict=True):
        retyped_u = retyped and u in retyped
        gone_v = 0
        for v, keydict in nbrs.items():
            bkeys = None if bnbrs is None else bnbrs.get(v)
            if bkeys is None:  # every relation from u to v is gone
                gone_v += 1
                for data in keydict.values():
                    mark(u, v, data["record"], pairs_a)
                    relations_out.append(data["record"])
                continue
            # a retyped end: every relation on it is removed and added
            redo = retyped and (retyped_u or v in retyped)
            gone_k = 0
            for k, data in keydict.items():
                other = bkeys.get(k)
                x = data["record"]
                if other is None:
                    gone_k += 1
                    mark(u, v, x, pairs_a)
                    relations_out.append(x)
                    continue
                y = other["record"]
                xd = x.__dict__
                if (y is x or y.__dict__ == xd) and not redo:  # equal: the common case, decided in C
                    if xd["kind"] is not _WITHIN:
                        pairs_a.add((u, v))
                        pairs_b.add((u, v))
                        if xd["start"] is not None or xd["end"] is not None:
                            _add_dates(x, dates)
                    elif xd["start"] is not None or xd["end"] is not None:
                        dated.add(u)
                        _add_dates(x, dates)
                    continue
                mark(u, v, x, pairs_a)
                mark(u, v, y, pairs_b)
                if redo:
                    relations_out.append(x)
                    relations_in.append(y)
                else:
                    relations_updated.append((x, y))
            if len(keydict) - gone_k != len(bkeys):
                new_keys.append((u, v))
        if bnbrs is not None and len(nbrs) - gone_v != len(bnbrs):
            new_targets.append(u)
    new_targets.extend(filterfalse(asu.__contains__, bsu))
    empty: dict = {}
    added = [(u, v, bsu[u][v], asu[u][v]) for u, v in new_keys]
    for u in new_targets:
        anbrs = asu.get(u, empty)
        added.extend((u, v, keydict, empty) for v, keydict in bsu[u].items() if v not in anbrs)
    for u, v, keydict, akeys in added:
        for k, data in keydict.items():
            if k in akeys:
                continue
            y = data["record"]
            mark(u, v, y, pairs_b)
            relations_in.append(y)

    # -- change events and metadata --------------------------------------------------------
    events_out: list = []
    events_in: list = []
    events_updated: list = []
    for id_, ev in a.events.items():
        dates.add(ev.date)
        other_ev = b.events.get(id_)
        if other_ev is None:
            events_out.append(ev)
        elif other_ev is not ev:
            events_updated.append((ev, other_ev))
    for id_, ev in b.events.items():
        dates.add(ev.date)
        if id_ not in a.events:
            events_in.append(ev)
    out.metadata = tuple(
        (f, getattr(a, f), getattr(b, f)) for f in _META_FIELDS if getattr(a, f) != getattr(b, f)
    )

    if edits:
        # The canonical order (patch._edit_key): by group, then within a group areas before bodies
        # and each by its key (unique within a group, so sorting each group alone gives the same order).
        ops = out.ops
        ops += _edits(O.Remove, sorted(relations_out, key=_KEY))
        ops += _edits(O.Remove, sorted(nodes_out, key=_node_key))
        ops += _edits(O.Update, sorted(_differ(nodes_updated), key=_before_node_key))
        ops += _edits(O.Add, sorted(nodes_in, key=_node_key))
        ops += _edits(O.Update, sorted(_differ(relations_updated), key=_before_key))
        ops += _edits(O.Add, sorted(relations_in, key=_KEY))
        ops += _edits(O.Remove, sorted(events_out, key=_KEY))
        ops += _edits(O.Update, sorted(_differ(events_updated), key=_before_key))
        ops += _edits(O.Add, sorted(events_in, key=_KEY))
    return out


def _add_dates(rec, dates: set[dt.date]) -> None:
    """Add a record's start and end (when it has them) to ``dates``."""
    if rec.start is not None:
        dates.add(rec.start)
    if rec.end is not None:
        dates.add(rec.end)


# -- the edits -------------------------------------------------------------------------------

_KEY = attrgetter("key")


def _node_key(rec) -> tuple[int, str]:
    # areas and bodies share one id space; areas first (as patch._edit_key)
    return (0 if type(rec) is Area else 1, rec.id)


def _before_node_key(pair) -> tuple[int, str]:
    return _node_key(pair[0])


def _before_key(pair):
    return pair[0].key


def _differ(pairs: list) -> list:
    """The (before, after) pairs that pydantic's ``==`` tells apart (field values can differ in
    ``__dict__`` only, say a cached value, and be equal records)."""
    return [(x, y) for x, y in pairs if x != y]


_new = object.__new__
_set = object.__setattr__
_FIRST = itemgetter(0)


def _edits(kind: type[O.Add] | type[O.Remove] | type[O.Update], values: list) -> list:
    """``kind.of(value)`` for each value (a record; a (before, after) pair for updates), validating
    only the first of each record type.

    pydantic keeps a valid record it is given as it is (no copy, no second
    validation), so an edit of a record holds the record itself and default
    values for its other fields: the first edit of each record type, validated,
    is the template for the others, which are built as ``model_construct``
    builds a model, less its per-field work. If the validated edit is not of
    that shape (a later pydantic), every edit is validated. The tests compare
    these edits with validated ones, field by field.
    """
    update = kind is O.Update
    made: Callable = kind.of
    templates: dict[type, tuple[str, dict] | None] = {}  # record type -> _template()
    out = []
    append = out.append
    for value in values:
        rec_type = type(value[0] if update else value)
        if rec_type not in templates:
            edit = made(*value) if update else made(value)
            templates[rec_type] = _template(edit, RECORD_FIELDS[rec_type], value, update)
            append(edit)
            continue
        template = templates[rec_type]
        if template is None:
            append(made(*value) if update else made(value))
        else:
            name, fields = template
            edit = _new(kind)
            data = fields.copy()
            data[name] = value
            _set(edit, "__dict__", data)
            _set(edit, "__pydantic_fields_set__", {name})
            _set(edit, "__pydantic_extra__", None)
            _set(edit, "__pydantic_private__", None)
            append(edit)
    return out


def _template(edit, name: str, value, update: bool) -> tuple[str, dict] | None:
    """The field holding the record and the edit's other field values, or ``None`` when the
    validated edit is not simply those (then every edit is validated)."""
    held = edit.__dict__.get(name)
    kept = (
        type(held) is tuple and len(held) == 2 and held[0] is value[0] and held[1] is value[1]
        if update else held is value
    )
    if not kept or edit.__pydantic_fields_set__ != {name} or edit.__pydantic_extra__ is not None:
        return None
    if edit.__pydantic_private__ is not None:
        return None
    fields = dict(edit.__dict__)
    fields[name] = None
    return name, fields
