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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .. import operations as O
from ..model import UNIT_KINDS, Area, RelationKind
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
        The edits that turn ``a`` into ``b``, in no particular order (:func:`~restructure.diff.diff`
        sorts them).
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


def _ignore(*records) -> None:
    pass


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
        The edits (as :func:`~restructure.diff.diff` makes them, unsorted) and what the summary
        needs to look at.
    """
    out = Scan()
    ops = out.ops
    if edits:
        def add(rec) -> None:
            ops.append(O.Add.of(rec))

        def remove(rec) -> None:
            ops.append(O.Remove.of(rec))

        def update(before, after) -> None:
            if before != after:  # pydantic's ==, for the few whose field values differ
                ops.append(O.Update.of(before, after))
    else:
        add = remove = update = _ignore
    dates, changed, within, dated = out.dates, out.changed, out.within, out.dated
    units_a, units_b = out.units
    pairs_a, pairs_b = out.pairs

    # -- areas and bodies ------------------------------------------------------------------
    an, bn = a.graph._node, b.graph._node
    retyped: set[str] = set()
    bget = bn.get
    for id_, data in an.items():
        x = data["record"]
        xd = x.__dict__
        tx = type(x)
        if xd["start"] is not None or xd["end"] is not None:
            dated.add(id_)
            _add_dates(x, dates)
        unit = tx is Area and xd["kind"] in _UNIT_KINDS
        if unit:
            units_a.add(id_)
        other = bget(id_)
        if other is None:
            changed.add(id_)
            remove(x)
            continue
        y = other["record"]
        if y is x or (type(y) is tx and y.__dict__ == xd):  # equal: the common case, decided in C
            if unit:
                units_b.add(id_)
            continue
        changed.add(id_)
        _add_dates(y, dates)
        if type(y) is Area and y.kind in _UNIT_KINDS:
            units_b.add(id_)
        if type(y) is not tx:
            retyped.add(id_)
            remove(x)
            add(y)
        else:
            update(x, y)
    if len(bn) != len(an) - sum(1 for i in changed if i not in bn):  # b has ids a lacks
        for id_, data in bn.items():
            if id_ not in an:
                y = data["record"]
                changed.add(id_)
                _add_dates(y, dates)
                if type(y) is Area and y.kind in _UNIT_KINDS:
                    units_b.add(id_)
                add(y)

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

    for u, nbrs, bnbrs in zip(asu, asu.values(), map(bsu.get, asu), strict=True):
        retyped_u = u in retyped
        seen_v = 0
        for v, keydict in nbrs.items():
            bkeys = None if bnbrs is None else bnbrs.get(v)
            if bkeys is None:  # every relation from u to v is gone
                for data in keydict.values():
                    mark(u, v, data["record"], pairs_a)
                    remove(data["record"])
                continue
            seen_v += 1
            redo = retyped_u or v in retyped  # a retyped end: every relation on it is removed and added
            seen_k = 0
            for k, data in keydict.items():
                x = data["record"]
                other = bkeys.get(k)
                if other is None:
                    mark(u, v, x, pairs_a)
                    remove(x)
                    continue
                seen_k += 1
                y = other["record"]
                xd = x.__dict__
                if (y is x or y.__dict__ == xd) and not redo:  # equal: the common case, decided in C
                    dated_x = xd["start"] is not None or xd["end"] is not None
                    if xd["kind"] is not _WITHIN:
                        pairs_a.add((u, v))
                        pairs_b.add((u, v))
                    elif dated_x:
                        dated.add(u)
                    if dated_x:
                        _add_dates(x, dates)
                    continue
                mark(u, v, x, pairs_a)
                mark(u, v, y, pairs_b)
                if redo:
                    remove(x)
                    add(y)
                else:
                    update(x, y)
            if seen_k != len(bkeys):
                new_keys.append((u, v))
        if bnbrs is not None and seen_v != len(bnbrs):
            new_targets.append(u)
    new_targets.extend(u for u in bsu if u not in asu)
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
            add(y)

    # -- change events and metadata --------------------------------------------------------
    for id_, ev in a.events.items():
        dates.add(ev.date)
        other_ev = b.events.get(id_)
        if other_ev is None:
            remove(ev)
        elif other_ev is not ev:
            update(ev, other_ev)
    for id_, ev in b.events.items():
        dates.add(ev.date)
        if id_ not in a.events:
            add(ev)
    out.metadata = tuple(
        (f, getattr(a, f), getattr(b, f)) for f in _META_FIELDS if getattr(a, f) != getattr(b, f)
    )
    return out


def _add_dates(rec, dates: set[dt.date]) -> None:
    """Add a record's start and end (when it has them) to ``dates``."""
    if rec.start is not None:
        dates.add(rec.start)
    if rec.end is not None:
        dates.add(rec.end)
