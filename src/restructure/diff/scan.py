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
from operator import attrgetter

from pydantic import BaseModel

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
    out, groups, retyped = _pass(a, b, frozenset())
    if retyped:
        # An id that changed type (an area become a body, or back) has every relation on it removed
        # and added; the pass met some of those relations before the id itself: again, knowing them.
        out, groups, _ = _pass(a, b, frozenset(retyped))

    # -- change events and metadata --------------------------------------------------------
    dates = out.dates
    for id_, ev in a.events.items():
        dates.add(ev.date)
        other_ev = b.events.get(id_)
        if other_ev is None:
            groups.events_out.append(ev)
        elif other_ev is not ev:
            groups.events_updated.append((ev, other_ev))
    for id_, ev in b.events.items():
        dates.add(ev.date)
        if id_ not in a.events:
            groups.events_in.append(ev)
    out.metadata = tuple(
        (f, getattr(a, f), getattr(b, f)) for f in _META_FIELDS if getattr(a, f) != getattr(b, f)
    )
    if edits:
        out.ops = groups.edits()
    return out


@dataclass
class _Groups:
    """The records that differ, by kind of edit (the canonical groups of a patch, in their order)."""

    relations_out: list = field(default_factory=list)
    nodes_out: list = field(default_factory=list)
    nodes_updated: list = field(default_factory=list)
    nodes_in: list = field(default_factory=list)
    relations_updated: list = field(default_factory=list)
    relations_in: list = field(default_factory=list)
    events_out: list = field(default_factory=list)
    events_updated: list = field(default_factory=list)
    events_in: list = field(default_factory=list)

    def edits(self) -> list:
        """The edits, in the canonical order (:func:`restructure.diff.patch._edit_key`).

        By group, then within a group areas before bodies and each by its key: keys are unique
        within a group, so sorting each group alone gives the order of sorting them all.
        """
        ops: list = []
        ops += _edits(O.Remove, sorted(self.relations_out, key=_KEY))
        ops += _edits(O.Remove, sorted(self.nodes_out, key=_node_key))
        ops += _edits(O.Update, sorted(_differ(self.nodes_updated), key=_before_node_key))
        ops += _edits(O.Add, sorted(self.nodes_in, key=_node_key))
        ops += _edits(O.Update, sorted(_differ(self.relations_updated), key=_before_key))
        ops += _edits(O.Add, sorted(self.relations_in, key=_KEY))
        ops += _edits(O.Remove, sorted(self.events_out, key=_KEY))
        ops += _edits(O.Update, sorted(_differ(self.events_updated), key=_before_key))
        ops += _edits(O.Add, sorted(self.events_in, key=_KEY))
        return ops


def _pass(a: Structure, b: Structure, retyped: frozenset[str]) -> tuple[Scan, _Groups, set[str]]:
    """The areas, bodies and relations of :func:`scan`: what differs, and the ids that changed type.

    Each area or body of ``a`` is compared with its counterpart in ``b``, then the relations
    from it with theirs, while its adjacency dicts are still in the processor's caches: one
    loop, where a loop over the areas and bodies then another over the relations came back to
    each id's dicts a second time (a sixth more at national scale). ``retyped``: the ids known
    to change type, whose relations are removed and added; the result is right when it holds
    every id the pass finds changing type (the third value).
    """
    out = Scan()
    groups = _Groups()
    dates, changed, within, dated = out.dates, out.changed, out.within, out.dated
    units_a, units_b = out.units
    pairs_a, pairs_b = out.pairs
    nodes_out, nodes_in, nodes_updated = groups.nodes_out, groups.nodes_in, groups.nodes_updated
    relations_out, relations_in = groups.relations_out, groups.relations_in
    relations_updated = groups.relations_updated
    found: set[str] = set()  # ids that change type

    an, bn = a.graph._node, b.graph._node
    asu, bsu = a.graph._succ, b.graph._succ
    bget, bsget = bn.get, bsu.get
    new_keys: list[tuple[str, str]] = []  # (u, v) with edges in b that a lacks
    new_targets: list[str] = []  # u with targets in b that a lacks

    def mark(u: str, v: str, rel, side: set[tuple[str, str]]) -> None:
        # what the summary needs to know of a relation on one side
        _add_dates(rel, dates)
        if rel.kind is _WITHIN:
            within.add(u)
        else:
            side.add((u, v))

    # networkx keeps one adjacency dict per node: the relations from each id are looked up by it
    for id_, data, nbrs in zip(an, an.values(), map(asu.__getitem__, an), strict=True):
        # -- the area or body ------------------------------------------------------------------
        x = data["record"]
        xd = x.__dict__
        other = bget(id_)
        y = None if other is None else other["record"]
        if y is x or (y is not None and y.__dict__ == xd and type(y) is type(x)):  # equal: decided in C
            if xd["start"] is not None or xd["end"] is not None:
                dated.add(id_)
                _add_dates(x, dates)
            if xd["kind"] in _UNIT_KINDS and type(x) is Area:
                units_a.add(id_)
                units_b.add(id_)
        else:
            tx = type(x)
            if xd["start"] is not None or xd["end"] is not None:
                dated.add(id_)
                _add_dates(x, dates)
            if tx is Area and xd["kind"] in _UNIT_KINDS:
                units_a.add(id_)
            changed.add(id_)
            if y is None:
                nodes_out.append(x)
            else:
                _add_dates(y, dates)
                if type(y) is Area and y.kind in _UNIT_KINDS:
                    units_b.add(id_)
                if type(y) is not tx:
                    found.add(id_)
                    nodes_out.append(x)
                    nodes_in.append(y)
                else:
                    nodes_updated.append((x, y))
        # -- the relations from it -------------------------------------------------------------
        # Counted: the targets and keys of a's that b lacks (few), rather than those it has (every one).
        u = id_
        bnbrs = bsget(u)
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

    # -- what b adds -------------------------------------------------------------------------
    if len(bn) != len(an) - len(nodes_out) + len(found):  # b has ids a lacks
        for id_ in filterfalse(an.__contains__, bn):  # the test in C: b's ids are tens of thousands
            y = bn[id_]["record"]
            changed.add(id_)
            _add_dates(y, dates)
            if type(y) is Area and y.kind in _UNIT_KINDS:
                units_b.add(id_)
            nodes_in.append(y)
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
    return out, groups, found


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


def _slot_setters() -> tuple[Callable, ...] | None:
    """The setters of a pydantic model's ``__dict__`` and its three slots, as ``model_construct`` sets
    them (``object.__setattr__``, less its lookup of the descriptor on every call); ``None`` if this
    pydantic has not got them (then every edit is validated)."""
    try:
        return tuple(BaseModel.__dict__[name].__set__ for name in _SLOTS)
    except (KeyError, AttributeError):
        return None


_SLOTS = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
_SETTERS = _slot_setters()


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
    if _SETTERS is None:
        return [made(*value) for value in values] if update else [made(value) for value in values]
    set_dict, set_fields, set_extra, set_private = _SETTERS
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
            set_dict(edit, data)
            set_fields(edit, {name})
            set_extra(edit, None)
            set_private(edit, None)
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
