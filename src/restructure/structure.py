"""The partnership structure: a dated graph of areas, bodies and relations.

A :class:`Structure` wraps a :class:`networkx.MultiDiGraph` whose nodes are
area and body ids (attribute ``record``) and whose edges are
:class:`~restructure.model.Relation` records. Queries are named for what
planners ask: which partnership covers this area, who are its members, who
holds each board seat, which duty holders serve this area. Every query takes
``on``: a date (only records in force that day) or ``None`` (every record,
whatever its dates).

Edits (:meth:`Structure.add`, :meth:`remove`, :meth:`replace`) change the
structure in place; they are the primitive steps that
:mod:`restructure.apply` uses on its own copy, never on the caller's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import networkx as nx
from pydantic import ValidationError

from .errors import ValidationFailed, did_you_mean
from .model import (
    COUNCIL_KINDS,
    RECORD_SECTIONS,
    UNIT_KINDS,
    UPPER_TIER_KINDS,
    Area,
    AreaKind,
    Body,
    BodyKind,
    ChangeEvent,
    Duty,
    Record,
    Relation,
    RelationKind,
    in_force,
    records_adapter,
)

__all__ = ["Structure", "Succession", "Step", "validate_data", "edge_key", "edge_records", "find_cycle"]

R = RelationKind
_BODY_TO_AREA = {R.covers, R.discharges, R.serves}
_BODY_TO_BODY = {R.member_of, R.seat, R.accountable_to}


class Step(NamedTuple):
    """One step of lineage: ``predecessor`` was succeeded by ``successor`` on ``date``."""

    predecessor: str
    successor: str
    date: dt.date | None


class Succession(NamedTuple):
    """What :meth:`Structure.live_successors` found for one id on one date.

    ``live`` are the ids in force on ``on`` (the id itself when it is in
    force; empty when every line lapsed or none is in force yet); ``chains``
    are the lines of succession that reach them, one tuple of steps each.
    """

    id: str
    on: dt.date
    live: tuple[str, ...]
    chains: tuple[tuple[Step, ...], ...]


def edge_records(graph: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, Relation]]:
    """``(source, target, key, relation)`` of every edge, in ``graph.edges(keys=True, data="record")`` order.

    Straight through networkx's adjacency mappings (its edge views cost several times the walk
    on a national structure); subgraph views work too.
    """
    for u, nbrs in graph._succ.items():
        for v, keydict in nbrs.items():
            for k, data in keydict.items():
                yield u, v, k, data.get("record")


def edge_key(rel: Relation) -> str:
    """The key of a relation's edge between its two nodes (kind, area and start)."""
    return f"{rel.kind.value}|{rel.area or ''}|{rel.start.isoformat() if rel.start else ''}"


def _seat_order(rel: Relation) -> tuple[str, str, str]:
    """The order :meth:`Structure.seats` lists seats in: board, area, holder."""
    return (rel.target, rel.area or "", rel.source)


class _SeatIndex(NamedTuple):
    """A structure's seats, indexed (see :meth:`Structure._seats_index`)."""

    graph: Any
    """The graph indexed (a copy or a view has its own index)."""
    generation: int
    """The structure's edit count when indexed."""
    by_area: dict[str, list[Relation]]
    """Seats with an ``area``, by that area, in the structure's order."""
    by_board: dict[str, list[Relation]]
    """Every seat, by board, in :func:`_seat_order`."""
    ordered: list[Relation]
    """Every seat, in :func:`_seat_order`."""


class Structure:
    """A dated partnership structure.

    Parameters
    ----------
    name : str
        What the structure is (``Thames Valley baseline``).
    description : str, optional
    sources : iterable of str
        Citations for the structure as a whole.

    Examples
    --------
    >>> s = Structure("tiny")
    >>> s.add(Area(id="E06000038", name="Reading", kind="unitary"))
    >>> s.add(Body(id="reading-csp", name="Reading CSP", kind="community_safety_partnership"))
    >>> s.add(Relation(kind="covers", source="reading-csp", target="E06000038"))
    >>> [b.id for b in s.covering("E06000038")]
    ['reading-csp']
    """

    def __init__(self, name: str = "", description: str | None = None, sources: Iterable[str] = ()):
        self.name = name
        self.description = description
        self.sources = tuple(sources)
        self.graph = nx.MultiDiGraph()
        self.events: dict[str, ChangeEvent] = {}
        self._origin: Any = None
        self._edits: dict[tuple, tuple[Record | None, Record]] | None = None
        self._generation = 0  # bumped by every add, remove and replace (indexes built on demand check it)
        self._seat_index: _SeatIndex | None = None

    # -- edit tracking (the store commits only what changed) ----------------------

    def track(self, origin: Any) -> None:
        """Remember every record edited from now on, against ``origin`` (what it was read from).

        The store calls this on a checkout, so that committing the edited
        structure writes only the edits. Copies carry the tracking on.
        """
        self._origin, self._edits = origin, {}

    def edits(self) -> tuple[Any, list[tuple[Record | None, Record | None]]] | None:
        """``(origin, [(record before, record now), …])`` for every record touched since :meth:`track`.

        ``None`` before the record is a record added; ``None`` after it, one
        removed. ``None`` when the structure is not tracked.
        """
        if self._edits is None:
            return None
        return self._origin, [(before, self._current(probe)) for before, probe in self._edits.values()]

    def _current(self, probe: Record) -> Record | None:
        if isinstance(probe, Relation):
            data = self.graph.get_edge_data(probe.source, probe.target, edge_key(probe))
            return data["record"] if data else None
        if isinstance(probe, ChangeEvent):
            return self.events.get(probe.id)
        return self.graph.nodes[probe.id]["record"] if probe.id in self.graph else None

    def _touch(self, record: Record) -> None:
        self._generation += 1
        if self._edits is not None:
            ident = (type(record), record.key)
            if ident not in self._edits:
                self._edits[ident] = (self._current(record), record)

    # -- records -----------------------------------------------------------------

    def __contains__(self, id_: str) -> bool:
        return id_ in self.graph

    def __len__(self) -> int:
        return self.graph.number_of_nodes() + self.count_relations() + len(self.events)

    def count_relations(self) -> int:
        """The number of relations, whatever their dates (``graph.number_of_edges()``).

        Counted from the adjacency's key dicts: networkx counts through every node's degree,
        several times the cost on a national structure.
        """
        return sum(len(keydict) for nbrs in self.graph._succ.values() for keydict in nbrs.values())

    def __repr__(self) -> str:
        n_areas = sum(1 for _ in self.areas())
        return (
            f"<Structure {self.name!r}: {n_areas} areas, "
            f"{self.graph.number_of_nodes() - n_areas} bodies, "
            f"{self.graph.number_of_edges()} relations, {len(self.events)} events>"
        )

    def get(self, id_: str) -> Area | Body | None:
        """The area or body with this id, or ``None``."""
        data = self.graph.nodes.get(id_)
        return data["record"] if data else None

    def _unknown(self, id_: str, what: str) -> ValidationFailed:
        pool = [n for n, d in self.graph.nodes(data="record") if _is(d, what)]
        hint = did_you_mean(id_, pool) or f"Run `restructure show` to list {what} ids"
        return ValidationFailed(f"unknown {what} '{id_}'", hint, ids=(id_,))

    def lookup(self, ref: str, what: str = "area") -> Area | Body:
        """The area or body a planner names by id or by name.

        Parameters
        ----------
        ref : str
            An id (``E07000177``, ``cherwell-csp``), or a name, matched
            exactly but in any case (``cherwell``), over records of every date.
        what : {"area", "body"}
            Which kind of record.

        Returns
        -------
        Area or Body

        Raises
        ------
        ValidationFailed
            No such id or name (with the closest id or name as a hint), or a
            name that several records share (listing their ids).

        Examples
        --------
        >>> from restructure.baseline import load_baseline
        >>> load_baseline().lookup("cherwell").id
        'E07000177'
        >>> load_baseline().lookup("Cherwell Safer Communities Partnership", "body").id
        'cherwell-csp'
        """
        rec = self.get(ref)
        if _is(rec, what):
            return rec
        records = [r for _, r in self.graph.nodes(data="record") if _is(r, what)]
        wanted = ref.strip().casefold()
        found = sorted((r for r in records if r.name.casefold() == wanted), key=lambda r: r.id)
        if len(found) == 1:
            return found[0]
        if found:
            raise ValidationFailed(
                f"{len(found)} {what}s are named '{ref}': {', '.join(r.id for r in found)}",
                f"Give the {what}'s id instead", ids=tuple(r.id for r in found),
            )
        hint = did_you_mean(ref, [r.id for r in records] + [r.name for r in records])
        hint = hint or f"Run `restructure show` to list {what} ids and names"
        raise ValidationFailed(f"unknown {what} '{ref}'", hint, ids=(ref,))

    def area(self, id_: str) -> Area:
        """The area with this id; :class:`ValidationFailed` if there is none."""
        rec = self.get(id_)
        if not isinstance(rec, Area):
            raise self._unknown(id_, "area")
        return rec

    def body(self, id_: str) -> Body:
        """The body with this id; :class:`ValidationFailed` if there is none."""
        rec = self.get(id_)
        if not isinstance(rec, Body):
            raise self._unknown(id_, "body")
        return rec

    def areas(self, on: dt.date | None = None, kind: AreaKind | str | None = None) -> Iterator[Area]:
        """Areas in force on a date (all if ``on`` is None), optionally of one kind."""
        for _, rec in self.graph.nodes(data="record"):
            if isinstance(rec, Area) and in_force(rec, on) and (kind is None or rec.kind == kind):
                yield rec

    def bodies(self, on: dt.date | None = None, kind: BodyKind | str | None = None) -> Iterator[Body]:
        """Bodies in force on a date, optionally of one kind."""
        for _, rec in self.graph.nodes(data="record"):
            if isinstance(rec, Body) and in_force(rec, on) and (kind is None or rec.kind == kind):
                yield rec

    def relations(
        self,
        kind: RelationKind | str | None = None,
        on: dt.date | None = None,
        source: str | None = None,
        target: str | None = None,
    ) -> Iterator[Relation]:
        """Relations in force on a date, filtered by kind, source and target."""
        # Straight through networkx's adjacency mappings (the same order as out_edges, in_edges
        # and edges; a focused render calls this thousands of times, the edge views cost more
        # than the walk). Works on subgraph views too: their adjacency is a filtering mapping.
        g = self.graph
        if source is not None:
            if source not in g:
                return
            nbrs = g._succ[source]
            if target is not None:
                if target not in nbrs:
                    return
                groups = (nbrs[target],)
            else:
                groups = nbrs.values()
        elif target is not None:
            if target not in g:
                return
            groups = g._pred[target].values()
        else:
            groups = (kd for nbrs in g._succ.values() for kd in nbrs.values())
        for keydict in groups:
            for data in keydict.values():
                rel = data.get("record")
                if kind is not None and rel.kind != kind:
                    continue
                if on is None or in_force(rel, on):
                    yield rel

    def seats_for(self, area: str, on: dt.date | None = None) -> list[Relation]:
        """Board seats held for an area (``seat`` relations whose ``area`` is it) in force on a date.

        The same as filtering ``relations(R.seat, on)`` by ``rel.area == area``, in the same
        order, answered from :meth:`seats_by_area`.

        Examples
        --------
        >>> s = Structure()
        >>> for rec in (Area(id="A", name="A", kind="county"), Body(id="cc", name="CC", kind="county_council"),
        ...             Body(id="vpp", name="VPP", kind="strategy_board", tier="strategic")):
        ...     s.add(rec)
        >>> s.add(Relation(kind="seat", source="cc", target="vpp", area="A"))
        >>> [r.source for r in s.seats_for("A")], s.seats_for("B")
        (['cc'], [])
        """
        return [rel for rel in self.seats_by_area().get(area, ()) if in_force(rel, on)]

    def seats_by_area(self) -> dict[str, list[Relation]]:
        """Every ``seat`` relation with an ``area``, by that area, in the structure's order, whatever its dates.

        An index built on the first call and rebuilt after any edit made through :meth:`add`,
        :meth:`remove` or :meth:`replace` (a focused render asks it for every area it passes: a
        seat is held *for* an area, so it is not among the area's own relations, and scanning
        every relation each time grew with the country). Read it, do not change it.
        """
        return self._seats_index().by_area

    def _seats_index(self) -> _SeatIndex:
        """The seat indexes of :meth:`seats_by_area` and :meth:`seats`, built in one walk of the relations.

        Kept with the graph it was built from and the edit count (``_generation``): a copy, a
        dated view or an edit gets a new one.
        """
        cached = getattr(self, "_seat_index", None)
        g = self.graph
        generation = getattr(self, "_generation", 0)
        if cached is None or cached.graph is not g or cached.generation != generation:
            by_area: dict[str, list[Relation]] = {}
            every: list[Relation] = []
            seat = RelationKind.seat  # looked up once: an enum member's lookup costs more than the test
            for nbrs in g._succ.values():
                for keydict in nbrs.values():
                    for data in keydict.values():
                        rel = data["record"]
                        if rel.kind == seat:
                            every.append(rel)
                            if rel.area:
                                by_area.setdefault(rel.area, []).append(rel)
            # seats() sorts a stable sort of the structure's order; a filtered run of this list is
            # the same as sorting the filtered relations (ties keep their order either way)
            every.sort(key=_seat_order)
            by_board: dict[str, list[Relation]] = {}
            for rel in every:
                by_board.setdefault(rel.target, []).append(rel)
            cached = self._seat_index = _SeatIndex(g, generation, by_area, by_board, every)
        return cached

    def records(self) -> Iterator[Record]:
        """Every record: areas, bodies, relations and change events."""
        g = self.graph  # the adjacency dicts: the order of nodes() and edges(), without their views
        for data in g._node.values():
            yield data.get("record")
        for nbrs in g._succ.values():
            for keydict in nbrs.values():
                for data in keydict.values():
                    yield data.get("record")
        yield from self.events.values()

    # -- edits -------------------------------------------------------------------

    def add(self, record: Record) -> None:
        """Add a record; its id (or relation key) must be new and its ends must exist."""
        if isinstance(record, Relation):
            for end in (record.source, record.target):
                if end not in self.graph:
                    raise ValidationFailed(
                        f"{record.kind.value} relation names unknown id '{end}'", ids=(end,)
                    )
            k = edge_key(record)
            if self.graph.has_edge(record.source, record.target, k):
                raise ValidationFailed(
                    f"duplicate {record.kind.value} relation {record.source} -> {record.target}",
                    ids=(record.source, record.target),
                )
            self._touch(record)
            self.graph.add_edge(record.source, record.target, key=k, record=record)
        elif isinstance(record, ChangeEvent):
            if record.id in self.events:
                raise ValidationFailed(f"duplicate change event '{record.id}'", ids=(record.id,))
            self._touch(record)
            self.events[record.id] = record
        else:
            if record.id in self.graph:
                raise ValidationFailed(f"duplicate id '{record.id}'", ids=(record.id,))
            self._touch(record)
            self.graph.add_node(record.id, record=record)

    def remove(self, record: Record) -> None:
        """Remove a record; a node must have no relations left."""
        if isinstance(record, Relation):
            k = edge_key(record)
            if not self.graph.has_edge(record.source, record.target, k):
                raise ValidationFailed(
                    f"no {record.kind.value} relation {record.source} -> {record.target}",
                    ids=(record.source, record.target),
                )
            self._touch(record)
            self.graph.remove_edge(record.source, record.target, k)
        elif isinstance(record, ChangeEvent):
            if record.id not in self.events:
                raise ValidationFailed(f"no change event '{record.id}'", ids=(record.id,))
            self._touch(record)
            del self.events[record.id]
        else:
            if record.id not in self.graph:
                raise self._unknown(record.id, "body" if isinstance(record, Body) else "area")
            if self.graph.degree(record.id):
                raise ValidationFailed(
                    f"cannot remove '{record.id}': it still has relations", ids=(record.id,)
                )
            self._touch(record)
            self.graph.remove_node(record.id)

    def replace(self, before: Record, after: Record) -> None:
        """Replace a record by a new version of itself (same id or relation key)."""
        if type(before) is not type(after) or before.key != after.key:
            raise ValidationFailed("replace must keep the record's identity", ids=(str(before.key),))
        self._touch(after)
        if isinstance(after, Relation):
            self.graph.edges[after.source, after.target, edge_key(after)]["record"] = after
        elif isinstance(after, ChangeEvent):
            self.events[after.id] = after
        else:
            self.graph.nodes[after.id]["record"] = after

    def copy(self) -> Structure:
        """An independent copy (records are immutable, so they are shared)."""
        new = Structure(self.name, self.description, self.sources)
        new.graph = self.graph.copy()
        new.events = dict(self.events)
        if self._edits is not None:
            new._origin, new._edits = self._origin, dict(self._edits)
        return new

    def as_of(self, on: dt.date, ids: Iterable[str] | None = None) -> Structure:
        """The structure as it stands on a date: only records in force that day.

        Change events up to and including that date are kept. With ``ids``, only
        those areas and bodies (in that order; ids not in the structure are passed
        over) and the relations between them: a focused render's cut.
        """
        new = Structure(self.name, self.description, self.sources)
        # networkx's own dicts, filled as add_node and add_edge would fill them, in the same order
        # (an edge's key dict is shared by both ends), without two calls per record: a diff on two
        # dates and a dated summary take this of a national structure (see _build)
        have, have_succ = self.graph._node, self.graph._succ
        node, succ, pred = new.graph._node, new.graph._succ, new.graph._pred
        for n in have if ids is None else ids:
            data = have.get(n)
            if data is not None and n not in node:
                rec = data.get("record")
                if in_force(rec, on):
                    node[n] = {"record": rec}
                    succ[n] = {}
                    pred[n] = {}
        for u, out in succ.items():
            for v, keydict in have_succ[u].items():
                if v not in node:
                    continue
                for k, data in keydict.items():
                    rel = data.get("record")
                    if in_force(rel, on):
                        kept = out.get(v)
                        if kept is None:
                            kept = out[v] = pred[v][u] = {}
                        kept[k] = {"record": rel}
        new.events = {k: e for k, e in self.events.items() if e.date <= on}
        return new

    def dates(self) -> list[dt.date]:
        """Every date on which something starts or ends, sorted."""
        # straight through the adjacency dicts and each record's fields: a diff asks this of two
        # national structures, and a call per record through records() cost more than the dates
        found: set[dt.date] = {ev.date for ev in self.events.values()}
        g = self.graph
        nodes = (data["record"].__dict__ for data in g._node.values())
        edges = (data["record"].__dict__ for nbrs in g._succ.values() for kd in nbrs.values() for data in kd.values())
        for fields in (nodes, edges):
            for d in fields:
                if d["start"] is not None:
                    found.add(d["start"])
                if d["end"] is not None:
                    found.add(d["end"])
        return sorted(found)

    # -- geography -----------------------------------------------------------------

    def parents(self, area: str, on: dt.date | None = None) -> list[str]:
        """The areas this area lies within on a date (normally one)."""
        return sorted(r.target for r in self.relations(R.within, on, source=area))

    def children(self, area: str, on: dt.date | None = None) -> list[str]:
        """The areas directly within this one on a date."""
        return sorted(
            r.source
            for r in self.relations(R.within, on, target=area)
            if in_force(self.graph.nodes[r.source]["record"], on)
        )

    def ancestors(self, area: str, on: dt.date | None = None) -> list[str]:
        """Every area this one lies within, nearest first."""
        seen: list[str] = []
        todo = self.parents(area, on)
        while todo:
            a = todo.pop(0)
            if a in seen:
                continue
            seen.append(a)
            todo.extend(self.parents(a, on))
        return seen

    def descendants(self, area: str, on: dt.date | None = None) -> list[str]:
        """Every area within this one, at any depth, sorted."""
        return sorted(self._below(area, on))

    def _below(self, area: str, on: dt.date | None) -> set[str]:
        """:meth:`descendants`, unsorted."""
        # children() at every step, straight from the adjacency (a police force area holds
        # thousands of small areas: a focused render asks for them all)
        node, pred, within = self.graph._node, self.graph._pred, RelationKind.within
        seen: set[str] = set()
        todo = [area]
        while todo:
            a = todo.pop()
            if a not in pred:
                continue
            for c, keydict in pred[a].items():
                if c in seen:
                    continue
                for d in keydict.values():
                    rel = d["record"]
                    if rel.kind == within and (on is None or in_force(rel, on)):
                        break
                else:
                    continue  # no `within` in force: c is only related to the area otherwise
                if on is None or in_force(node[c]["record"], on):
                    seen.add(c)
                    todo.append(c)
        return seen

    def local_areas(self, on: dt.date | None = None, within: str | None = None) -> list[Area]:
        """Upper-tier local areas (counties and unitaries not inside another), sorted by id.

        These are the areas that each have a seat on the Strategy Board.
        """
        return self._outermost(UPPER_TIER_KINDS, on, within)

    def units(self, on: dt.date | None = None, within: str | None = None) -> list[Area]:
        """Units of Serious Violence Duty coverage: districts and unitaries, sorted by id.

        A district or unitary that lies inside a unitary (a former council's
        area after reorganisation) is a part of that unitary, not a unit
        (PCSC Act 2022 Sched. 1: coverage is per district or unitary area).
        """
        return self._outermost(UNIT_KINDS, on, within)

    def _outermost(self, kinds: frozenset[AreaKind], on: dt.date | None, within: str | None) -> list[Area]:
        """Areas of these kinds in force on the date (within ``within``), not inside another of them."""
        scope = set(self.descendants(within, on)) if within else None
        out = []
        # the kind first: it rules out all but a few hundred of a national structure's 35,000 areas
        for data in self.graph._node.values():
            a = data.get("record")
            if not isinstance(a, Area) or a.kind not in kinds or not in_force(a, on):
                continue
            if scope is not None and a.id not in scope:
                continue
            if any(self.area(p).kind in kinds for p in self.ancestors(a.id, on)):
                continue
            out.append(a)
        return sorted(out, key=lambda a: a.id)

    # -- partnerships --------------------------------------------------------------

    def _footprint(self, area: str, kind: RelationKind, on) -> dict[str, str]:
        """Partnerships with ``kind`` over an area: ``whole`` (area or above) or ``part``."""
        found: dict[str, str] = {}
        for a in [area, *self.ancestors(area, on)]:
            for body in self._sources(kind, a, on):
                found[body] = "whole"
        for a in self._below(area, on):  # thousands of small areas under a force area: no sorting
            for body in self._sources(kind, a, on):
                found.setdefault(body, "part")
        for body, how in found.items():
            # covering every part of an area is covering the area
            if how == "part" and self._covers_all(body, area, kind, on):
                found[body] = "whole"
        return found

    def _sources(self, kind: RelationKind, target: str, on) -> list[str]:
        """Sources in force of the ``kind`` relations in force to ``target`` (straight from the adjacency)."""
        out: list[str] = []
        node, nbrs = self.graph._node, self.graph._pred.get(target)
        if not nbrs:
            return out
        for keydict in nbrs.values():
            for data in keydict.values():
                r = data.get("record")
                if r.kind == kind and (on is None or (in_force(r, on) and in_force(node[r.source]["record"], on))):
                    out.append(r.source)
        return out

    def _covers_all(self, body: str, area: str, kind: RelationKind, on) -> bool:
        if any(r.source == body for r in self.relations(kind, on, target=area)):
            return True
        children = self.children(area, on)
        return bool(children) and all(self._covers_all(body, c, kind, on) for c in children)

    def covering(self, area: str, on: dt.date | None = None, whole: bool = True) -> list[Body]:
        """Partnerships whose statutory (CSP) footprint covers this area.

        With ``whole=False`` also those that cover only part of it.
        """
        fp = self._footprint(area, R.covers, on)
        return sorted(
            (self.body(b) for b, how in fp.items() if whole is False or how == "whole"),
            key=lambda b: b.id,
        )

    def discharging(self, area: str, on: dt.date | None = None, whole: bool = True) -> list[Body]:
        """Partnerships that discharge the Serious Violence Duty for this area.

        Not always the CSP: in Oxfordshire it is the countywide Safer
        Oxfordshire Partnership, while the CSPs are district-level.
        """
        fp = self._footprint(area, R.discharges, on)
        return sorted(
            (self.body(b) for b, how in fp.items() if whole is False or how == "whole"),
            key=lambda b: b.id,
        )

    def members(self, partnership: str, on: dt.date | None = None) -> list[tuple[Body, str | None]]:
        """Members of a partnership with their role (``statutory``, ``co-opted``), sorted by id."""
        out = [
            (self.body(r.source), r.role)
            for r in self.relations(R.member_of, on, target=partnership)
            if in_force(self.body(r.source), on)
        ]
        return sorted(out, key=lambda x: x[0].id)

    def memberships(self, body: str, on: dt.date | None = None) -> list[Body]:
        """Partnerships a body is a member of."""
        return sorted(
            (self.body(r.target) for r in self.relations(R.member_of, on, source=body)),
            key=lambda b: b.id,
        )

    def seats(self, board: str | None = None, on: dt.date | None = None) -> list[Relation]:
        """Board seats in force, sorted by board, area and holder.

        Read from an index of the seats (built once per edit, see :meth:`seats_by_area`), so a
        call costs in proportion to the seats, not to every relation of the structure.

        Examples
        --------
        >>> s = Structure()
        >>> for rec in (Area(id="A", name="A", kind="county"), Body(id="cc", name="CC", kind="county_council"),
        ...             Body(id="vpp", name="VPP", kind="strategy_board", tier="strategic")):
        ...     s.add(rec)
        >>> s.add(Relation(kind="seat", source="cc", target="vpp", area="A"))
        >>> [(r.target, r.area, r.source) for r in s.seats()], s.seats("cc")
        ([('vpp', 'A', 'cc')], [])
        """
        index = self._seats_index()
        rels = index.by_board.get(board, ()) if board else index.ordered
        if on is None:
            return list(rels)
        return [rel for rel in rels if in_force(rel, on)]

    def seat_holders(self, area: str, on: dt.date | None = None, board: str | None = None) -> list[Body]:
        """Bodies holding a board seat for this local area (on ``board``, if given), by board and holder."""
        if not area:  # the index holds only seats with an area
            return [self.body(r.source) for r in self.seats(board, on) if r.area == area]
        held = [
            rel for rel in self.seats_by_area().get(area, ())
            if (not board or rel.target == board) and in_force(rel, on)
        ]
        held.sort(key=_seat_order)  # as seats() orders them: the index keeps the structure's order
        return [self.body(r.source) for r in held]

    def serving(
        self, area: str, on: dt.date | None = None, duty: Duty | None = None, whole: bool = True
    ) -> list[Body]:
        """Agencies and councils serving an area, sorted by id.

        A body serves the whole area when it serves the area, an area it lies
        within, or every one of its parts (a new unitary over former districts
        served by the same fire authority). With ``whole=False`` also those
        serving only some of its parts (two fire authorities over one new
        unitary): see :meth:`serving_parts` for which.
        """
        fp = self._footprint(area, R.serves, on)
        return sorted(
            (
                self.body(b)
                for b, how in fp.items()
                if (whole is False or how == "whole") and (duty is None or duty in self.body(b).duties)
            ),
            key=lambda b: b.id,
        )

    def serving_parts(self, area: str, on: dt.date | None = None) -> list[Body]:
        """Bodies that serve only some parts of an area, sorted by id."""
        fp = self._footprint(area, R.serves, on)
        return sorted((self.body(b) for b, how in fp.items() if how == "part"), key=lambda b: b.id)

    def duty_holders(self, area: str, on: dt.date | None = None, whole: bool = True) -> list[Body]:
        """Serious Violence Duty specified authorities serving an area (``whole=False``: or part of it)."""
        return self.serving(area, on, duty=Duty.serious_violence_duty, whole=whole)

    def councils(self, area: str, on: dt.date | None = None, whole: bool = True) -> list[Body]:
        """The councils serving an area (county and district in two-tier areas; ``whole=False``: or part of it)."""
        return [b for b in self.serving(area, on, whole=whole) if b.kind in COUNCIL_KINDS]

    def required_members(self, partnership: str, on: dt.date | None = None):
        """Who must sit on a CSP or Duty partnership on a date, from the law and its footprint.

        The required members are the Crime and Disorder Act 1998 s.5 responsible
        authorities serving the areas it covers (councils, chief officer of
        police, fire and rescue authority, ICB, probation provider) and, where
        it discharges the Serious Violence Duty, the specified authorities
        serving those areas (PCSC Act 2022 s.11 and Sch.1, adding the youth
        offending teams). They follow from who serves the footprint, never from
        who was a member before.

        Parameters
        ----------
        partnership : str
            A body that covers areas or discharges the Duty for them.
        on : date, optional

        Returns
        -------
        restructure.membership.RequiredMembers
            ``required``, ``members``, ``missing`` and ``superfluous``, each a
            tuple of entries with a body id and a short reason.

        Raises
        ------
        ValidationFailed
            The body is unknown, or is neither a CSP nor a Duty partnership on the date.

        Examples
        --------
        >>> import datetime as dt
        >>> from restructure.baseline import load_baseline
        >>> rm = load_baseline().required_members("cherwell-csp", dt.date(2026, 11, 25))
        >>> sorted(e.id for e in rm.required if e.kind.endswith("council"))
        ['cherwell-dc', 'oxfordshire-cc']
        """
        from .membership import required_members

        return required_members(self, partnership, on)

    def successors(self, body: str) -> list[str]:
        """Bodies (or areas) that succeeded this one, sorted."""
        return sorted(r.target for r in self.relations(R.succeeded_by, source=body))

    def predecessors(self, body: str) -> list[str]:
        """Bodies (or areas) this one succeeded, sorted."""
        return sorted(r.source for r in self.relations(R.succeeded_by, target=body))

    def live_successors(self, id_: str, on: dt.date) -> Succession:
        """Follow lineage from a body (or area) to whatever is in force on a date.

        Lineage (``succeeded_by``) is followed through any number of steps: a
        successor that has itself ended is passed through to its own
        successors, until each line reaches a record in force on ``on`` or
        ends (a lapse, or a successor not yet in force). A record in force on
        ``on`` is its own live successor.

        Parameters
        ----------
        id_ : str
            A body or area id.
        on : datetime.date
            The date the successors must be in force on.

        Returns
        -------
        Succession
            ``live``: the ids in force on the date, sorted; ``chains``: every
            line of succession from ``id_`` to a live successor, as the steps
            (predecessor, successor, date) taken.

        Raises
        ------
        ValidationFailed
            No body or area has this id.

        Examples
        --------
        >>> import datetime as dt
        >>> s = Structure.from_yaml('''
        ... bodies:
        ...   - {id: a, name: A, kind: community_safety_partnership, end: 2028-04-01}
        ...   - {id: b, name: B, kind: community_safety_partnership, start: 2028-04-01, end: 2029-04-01}
        ...   - {id: c, name: C, kind: community_safety_partnership, start: 2029-04-01}
        ... relations:
        ...   - {kind: succeeded_by, source: a, target: b, start: 2028-04-01}
        ...   - {kind: succeeded_by, source: b, target: c, start: 2029-04-01}
        ... ''')
        >>> found = s.live_successors("a", dt.date(2030, 1, 1))
        >>> found.live, [[(x.predecessor, x.successor) for x in chain] for chain in found.chains]
        (('c',), [[('a', 'b'), ('b', 'c')]])
        >>> s.live_successors("a", dt.date(2028, 6, 1)).live
        ('b',)
        """
        rec = self.get(id_)
        if rec is None:
            raise self._unknown(id_, "body")
        if in_force(rec, on):
            return Succession(id_, on, (id_,), ((),))
        chains: list[tuple[Step, ...]] = []

        def follow(node: str, path: tuple[Step, ...], seen: frozenset[str]) -> None:
            for rel in sorted(self.relations(R.succeeded_by, source=node), key=lambda r: r.target):
                if rel.target in seen:
                    continue  # a lineage cycle (LIN006 reports it): do not go round
                nxt = self.get(rel.target)
                step = Step(node, rel.target, rel.start or (self.get(node).end if self.get(node) else None))
                if in_force(nxt, on):
                    chains.append((*path, step))
                elif nxt.end is not None and nxt.end <= on:
                    follow(rel.target, (*path, step), seen | {rel.target})

        follow(id_, (), frozenset({id_}))
        live = tuple(sorted({c[-1].successor for c in chains}))
        return Succession(id_, on, live, tuple(sorted(chains, key=lambda c: [(x.successor, str(x.date)) for x in c])))

    # -- files ---------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain data, deterministic order: the form written to YAML and JSON."""
        from .io.yamlfile import Flow

        parent_of: dict[str, str] = {}
        plain_within: set[tuple] = set()
        for rel in sorted(self.relations(R.within), key=lambda r: r.key):  # same bytes whatever the insertion order
            if _is_plain(rel) and rel.source not in parent_of:
                parent_of[rel.source] = rel.target
                plain_within.add(rel.key)
        areas = []
        for a in sorted(self.areas(), key=lambda a: a.id):
            d = _dump(a)
            if a.id in parent_of:
                d["parent"] = parent_of[a.id]
            areas.append(Flow(d))
        bodies = [_dump(b) for b in sorted(self.bodies(), key=lambda b: b.id)]
        relations = [
            Flow(_dump(r))
            for r in sorted(self.relations(), key=lambda r: r.key)
            if r.key not in plain_within
        ]
        events = [_dump(e) for e in sorted(self.events.values(), key=lambda e: (e.date, e.id))]
        out: dict[str, Any] = {"name": self.name}
        if self.description:
            out["description"] = self.description
        if self.sources:
            out["sources"] = list(self.sources)
        out.update(areas=areas, bodies=bodies, relations=relations)
        if events:
            out["events"] = events
        return out

    def to_yaml(self) -> str:
        """The structure as YAML: byte-identical for equal structures."""
        from .io.yamlfile import dump

        return dump(self.to_dict())

    def to_json(self) -> str:
        """The structure as JSON, same shape as the YAML."""
        from .io.yamlfile import dumps_json

        return dumps_json(self.to_dict())

    @classmethod
    def from_dict(cls, data: Any, doc=None) -> Structure:
        """Build and validate a structure from plain data.

        Raises
        ------
        ValidationFailed
            The first problem found, with its file and line when ``doc`` is given.
        """
        from .collector import paused

        with paused():
            problems, records = _validate(data, doc)
            if problems:
                raise problems[0]
            return _build(data, records)

    @classmethod
    def from_yaml(cls, text: str, file: str = "<string>") -> Structure:
        """Parse a structure from YAML text."""
        from .io.yamlfile import loads

        doc = loads(text, file)
        return cls.from_dict(doc.data, doc)

    @classmethod
    def from_json(cls, text: str, file: str = "<string>") -> Structure:
        """Parse a structure from JSON text (line numbers for errors found as in YAML)."""
        import json

        from .collector import paused
        from .io.yamlfile import Document

        # Parsed as JSON, not as YAML: YAML folds U+0085 in strings into a space and rejects
        # other C1 control characters, which JSON writes raw.
        try:
            with paused():
                data = json.loads(text.removeprefix("\ufeff"))
        except json.JSONDecodeError as exc:
            raise ValidationFailed(f"not valid JSON ({exc.msg})", file=file, line=exc.lineno) from None
        except RecursionError:
            raise ValidationFailed("not valid JSON (nested too deep to read)", "Flatten the file", file=file) from None
        return cls.from_dict(data, Document(data, file, text))

    @classmethod
    def load(cls, path: str | Path) -> Structure:
        """Read a structure from a YAML or JSON file."""
        from .io.yamlfile import load

        if Path(path).suffix == ".json" and Path(path).is_file():
            from .io.yamlfile import decode

            return cls.from_json(decode(Path(path).read_bytes(), path), str(path))
        doc = load(path)
        return cls.from_dict(doc.data, doc)

    def save(self, path: str | Path) -> None:
        """Write the structure to a file; JSON if it ends in ``.json``, else YAML."""
        from .io.atomic import write_atomic

        write_atomic(path, self.dumps(path))  # atomic: a failed write never leaves half a file

    def dumps(self, path: str | Path) -> str:
        """The text :meth:`save` writes to ``path``: JSON if it ends in ``.json``, else YAML."""
        return self.to_json() if Path(path).suffix == ".json" else self.to_yaml()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Structure):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def _repr_svg_(self) -> str:  # notebooks display a structure as a diagram
        from .render import render_svg  # lazily: structure.py imports nothing above it

        return render_svg(self)


def _is(rec, what: str) -> bool:
    return isinstance(rec, Area) if what == "area" else isinstance(rec, Body)


def _is_plain(rel: Relation) -> bool:
    # Only a link with nothing but its ends can become `parent:` without losing a field.
    return (
        rel.start is None and rel.end is None and not rel.sources and rel.note is None
        and rel.role is None and rel.area is None and rel.event is None
    )


_FIRST = ("id", "kind", "source", "target", "area", "role", "name", "date")
_LAST = ("start", "end", "sources", "note")


def _dates(d: dict) -> dict:
    # YAML writes real dates unquoted; JSON mode gave ISO strings
    for k in ("start", "end", "date"):
        if isinstance(d.get(k), str):
            d[k] = dt.date.fromisoformat(d[k])
    for st in d.get("strategies", ()):
        _dates(st)
    return d


def _dump(rec) -> dict[str, Any]:
    d = _dates(rec.model_dump(mode="json", exclude_defaults=True))
    if d.get("duties") == []:  # the sorting serializer defeats exclude_defaults
        del d["duties"]
    # Identity first, dates and provenance last: easier to read, same bytes every time.
    head = {k: d.pop(k) for k in _FIRST if k in d}
    tail = {k: d.pop(k) for k in _LAST if k in d}
    return {**head, **d, **tail}


_SECTIONS = RECORD_SECTIONS
_TOP = {"name", "description", "sources", *_SECTIONS}


def validate_data(data: Any, doc=None) -> list[ValidationFailed]:
    """Every problem with a structure's plain data, each located in the file.

    Checks field types, duplicate and unknown ids, relation endpoints of the
    wrong sort, areas whose parent is missing, cycles in accountability, in
    geography and in lineage, and dates out of order.
    """
    from .collector import paused

    with paused():
        return _validate(data, doc)[0]


def _validate(data: Any, doc=None) -> tuple[list[ValidationFailed], dict]:
    from .io.yamlfile import validation_error

    file = doc.file if doc else None

    def at(section, index, field=None):
        if doc is None or index is None:
            return None
        path = [section, index] + ([field] if field else [])
        return doc.line_of(path)

    if not isinstance(data, dict):
        return [ValidationFailed("a structure file must be a mapping with areas, bodies and relations", file=file, line=1)], {}
    problems: list[ValidationFailed] = []
    for key in data:
        if key not in _TOP:
            line = doc.line_of([key]) if doc else None
            problems.append(ValidationFailed(f"unknown section '{key}'", f"Use one of: {', '.join(sorted(_TOP))}", file=file, line=line))
    problems += _top_text(data, doc)
    records: dict[str, list] = {s: [] for s in _SECTIONS}
    for section, model in _SECTIONS.items():
        items = data.get(section) or []
        if not isinstance(items, list):
            problems.append(ValidationFailed(f"'{section}' must be a list", file=file, line=doc.line_of([section]) if doc else None))
            continue
        valid = _validate_section(section, items)
        if valid is not None:
            records[section] = valid
            continue
        # Something in the section is wrong: validate record by record to say what, and where.
        for i, raw in enumerate(items):
            if not isinstance(raw, dict):
                problems.append(ValidationFailed(f"{section}[{i}] must be a mapping", file=file, line=at(section, i)))
                continue
            raw = dict(raw)
            parent = raw.pop("parent", None) if section == "areas" else None
            try:
                rec = model.model_validate(raw)
            except ValidationError as exc:
                problems.append(validation_error(exc, doc, prefix=[section, i]))
                continue
            records[section].append((i, rec, parent))
    if problems:
        return problems, records

    def problem(what, section, index, ids=(), hint=None, field=None):
        problems.append(ValidationFailed(what, hint, file=file, line=at(section, index, field), ids=tuple(ids)))

    # area or body, by id: the later record wins where two share an id (reported just below)
    area_ids = [rec.id for _, rec, _ in records["areas"]]
    body_ids = [rec.id for _, rec, _ in records["bodies"]]
    kinds: dict[str, str] = dict.fromkeys(area_ids, "area")
    kinds.update(dict.fromkeys(body_ids, "body"))
    if len(kinds) < len(area_ids) + len(body_ids):
        seen: set[str] = set()
        for section in ("areas", "bodies"):
            for i, rec, _ in records[section]:
                if rec.id in seen:
                    problem(f"duplicate id '{rec.id}'", section, i, [rec.id], "Ids must be unique across areas and bodies")
                seen.add(rec.id)
    event_ids = set()
    for i, ev, _ in records["events"]:
        if ev.id in event_ids:
            problem(f"duplicate change event '{ev.id}'", "events", i, [ev.id])
        event_ids.add(ev.id)

    def need(id_, want, section, i, field, rel_kind=None):
        have = kinds.get(id_)
        if have is None:
            hint = did_you_mean(id_, kinds) or None
            what = f"unknown {want} '{id_}'" + (f" in {rel_kind} relation" if rel_kind else "")
            problem(what, section, i, [id_], hint, field)
        elif want != "any" and have != want:
            problem(f"'{id_}' is {'an area' if have == 'area' else 'a body'}, not {'an area' if want == 'area' else 'a body'}" + (f" ({rel_kind} relation)" if rel_kind else ""), section, i, [id_], None, field)

    within: list[tuple[str, str]] = []
    for i, area, parent in records["areas"]:
        if parent is not None:
            if not isinstance(parent, str):
                problem("parent must be an area id", "areas", i, [area.id], None, "parent")
            else:
                if kinds.get(parent) != "area":  # need() says what is wrong; a known area needs nothing
                    need(parent, "area", "areas", i, "parent")
                within.append((area.id, parent))
    seen_keys = set()
    accountable: list[tuple[str, str]] = []
    lineage: list[tuple[str, str]] = []
    for i, rel, _ in records["relations"]:
        k = rel.kind.value
        if rel.key in seen_keys:
            problem(f"duplicate {k} relation {rel.source} -> {rel.target}", "relations", i, [rel.source, rel.target])
        seen_keys.add(rel.key)
        if rel.kind == R.within:
            need(rel.source, "area", "relations", i, "source", k)
            need(rel.target, "area", "relations", i, "target", k)
            within.append((rel.source, rel.target))
        elif rel.kind in _BODY_TO_AREA:
            need(rel.source, "body", "relations", i, "source", k)
            need(rel.target, "area", "relations", i, "target", k)
        elif rel.kind in _BODY_TO_BODY:
            need(rel.source, "body", "relations", i, "source", k)
            need(rel.target, "body", "relations", i, "target", k)
            if rel.kind == R.accountable_to:
                accountable.append((rel.source, rel.target))
        else:  # succeeded_by: body to body, or area to area
            need(rel.source, "any", "relations", i, "source", k)
            need(rel.target, "any", "relations", i, "target", k)
            if kinds.get(rel.source) and kinds.get(rel.target) and kinds[rel.source] != kinds[rel.target]:
                problem(f"lineage must link two bodies or two areas: '{rel.source}' -> '{rel.target}'", "relations", i, [rel.source, rel.target])
            lineage.append((rel.source, rel.target))
        if rel.area is not None:
            need(rel.area, "area", "relations", i, "area", k)
        if rel.event is not None and rel.event not in event_ids:
            problem(f"unknown change event '{rel.event}'", "relations", i, [rel.event], None, "event")
    for name, pairs in (
        ("accountability", accountable),
        ("geography (areas within each other)", within),
        ("lineage (succeeded_by)", lineage),
    ):
        cycle = find_cycle(pairs) if _may_cycle(pairs) else None
        if cycle is None:
            continue
        ids = [u for u, _ in cycle]
        link_at = _link_locations(records, set(cycle))
        # Point at the cycle's last link in the file: usually the one just added by mistake.
        lines = [at(*link_at[e]) for e in cycle if e in link_at]
        line = max((n for n in lines if n is not None), default=None)
        problems.append(ValidationFailed(f"cycle in {name}: {' -> '.join(ids + [ids[0]])}", "Remove one link of the cycle", file=file, line=line, ids=tuple(ids)))
    return problems, records


def _validate_section(section: str, items: list) -> list[tuple[int, Record, Any]] | None:
    """``(index, record, parent)`` for every item of a section, validated in one call; None if any fails.

    One ``TypeAdapter(list[model])`` call costs far less than a call per record on a national
    structure. It says only *that* something failed: the caller then validates record by
    record, to report each problem with its file and line exactly as before.
    """
    parents: list[Any] = []
    if section == "areas":
        rows = []
        for raw in items:
            if not isinstance(raw, dict):
                return None
            if "parent" in raw:
                raw = dict(raw)
                parents.append(raw.pop("parent"))
            else:
                parents.append(None)
            rows.append(raw)
    else:
        if not all(isinstance(raw, dict) for raw in items):
            return None
        rows = items
    adapter = records_adapter(RECORD_SECTIONS[section])
    try:
        recs = adapter.validate_python(rows)
    except ValidationError:
        return None
    return list(zip(range(len(recs)), recs, parents or [None] * len(recs), strict=True))


def _may_cycle(pairs: list[tuple[str, str]]) -> bool:
    """Whether links might hold a cycle: False proves they hold none, much faster than looking for one.

    A node no link points at lies on no cycle, and neither do its links: dropping them
    leaves a handful of the national geography's 35,000 links (small areas are never
    parents) to walk. What :func:`find_cycle` finds, and so its message, is unchanged:
    it still walks every link whenever this says there may be a cycle.
    """
    targets = {v for _, v in pairs}
    rest = [(u, v) for u, v in pairs if u in targets]
    return len(rest) > 0 and find_cycle(rest) is not None


def _link_locations(records: dict, links: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, int, str | None]]:
    """Where each of ``links`` (a cycle's) first appears: ``(section, index, field)``.

    Looked up only once a cycle is found, in the order the links were gathered:
    areas' ``parent:`` first, then ``within``, ``accountable_to`` and ``succeeded_by`` relations.
    """
    found: dict[tuple[str, str], tuple[str, int, str | None]] = {}
    for i, area, parent in records["areas"]:
        if isinstance(parent, str) and (area.id, parent) in links:
            found.setdefault((area.id, parent), ("areas", i, "parent"))
    cyclic = (R.within, R.accountable_to, R.succeeded_by)
    for i, rel, _ in records["relations"]:
        if rel.kind in cyclic and (rel.source, rel.target) in links:
            found.setdefault((rel.source, rel.target), ("relations", i, None))
    return found


def find_cycle(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """A cycle among directed links, as its links in order, or ``None``: one linear pass.

    Depth first from each node in the order it first appears, following links in
    the order given (as ``networkx.find_cycle`` does on a ``DiGraph`` of the same
    pairs, without building one): the cycle returned starts where the walk came
    back to.

    Examples
    --------
    >>> find_cycle([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    [('a', 'b'), ('b', 'c'), ('c', 'a')]
    >>> find_cycle([("a", "b"), ("a", "c"), ("b", "c")]) is None
    True
    """
    adj: dict[str, list[str]] = {}
    for u, v in pairs:
        adj.setdefault(u, []).append(v)
        adj.setdefault(v, [])
    state: dict[str, int] = {}  # 1: on the current path; 2: finished
    for start in adj:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(adj[start]))]
        path: list[tuple[str, str]] = []
        while stack:
            node, out = stack[-1]
            for nxt in out:
                seen = state.get(nxt)
                if seen == 1:
                    links = [*path, (node, nxt)]
                    first = next(i for i, (a, _) in enumerate(links) if a == nxt)
                    return links[first:]
                if seen is None:
                    state[nxt] = 1
                    path.append((node, nxt))
                    stack.append((nxt, iter(adj[nxt])))
                    break
            else:
                state[node] = 2
                stack.pop()
                if path:
                    path.pop()
    return None


def _top_text(data: dict, doc) -> list[ValidationFailed]:
    """The structure's own name and description: printable text, like every record's."""
    from .text import check_name, check_text

    out = []
    for key, check in (("name", check_name), ("description", check_text)):
        value = data.get(key)
        try:
            if value is not None:
                check(str(value))
        except ValueError as exc:
            out.append(ValidationFailed(f"'{key}': {exc}", file=doc.file if doc else None,
                                        line=doc.line_of([key]) if doc else None))
    return out


def _build(data: dict, records: dict) -> Structure:
    """The structure of records :func:`_validate` found sound, built in bulk.

    The same graph, in the same order, as adding each record with :meth:`Structure.add`
    (events, areas, bodies, areas' ``parent:`` links, relations), without its per-record
    checks: validation has already proven ids unique and every relation's ends present.
    """
    s = Structure(data.get("name") or "", data.get("description"), data.get("sources") or ())
    for _, ev, _ in records["events"]:
        s.events[ev.id] = ev
    # networkx's own dicts, filled as add_node and add_edge fill them (an edge's key dict is shared
    # by both ends), without a call per record; a new graph has no cached views to clear.
    g = s.graph
    node, succ, pred = g._node, g._succ, g._pred
    count = len(s.events)
    for section in ("areas", "bodies"):
        recs = [rec for _, rec, _ in records[section]]
        node.update({rec.id: {"record": rec} for rec in recs})
        succ.update({rec.id: {} for rec in recs})
        pred.update({rec.id: {} for rec in recs})
        count += len(recs)
    within = _plain_within((area.id, parent) for _, area, parent in records["areas"] if parent)
    plain = edge_key(_WITHIN)  # every parent: link has the same key (no area, no start)
    edges = [*((rel, plain) for rel in within), *((rel, edge_key(rel)) for _, rel, _ in records["relations"])]
    for rel, k in edges:
        u, v = rel.source, rel.target
        keydict = succ[u].get(v)
        if keydict is None:
            keydict = succ[u][v] = pred[v][u] = {}
        elif k in keydict:  # a parent: link written again as a relation (add() refused it too)
            raise ValidationFailed(f"duplicate {rel.kind.value} relation {u} -> {v}", ids=(u, v))
        keydict[k] = {"record": rel}
        count += 1
    s._generation = count  # as if each record had been added one by one
    return s


_WITHIN = Relation(kind=R.within, source="a", target="b")


def _plain_within(pairs: Iterable[tuple[str, str]]) -> list[Relation]:
    """Plain ``within`` relations between ids already validated (areas' ``parent:``).

    Equal to ``Relation(kind="within", source=…, target=…)``, made as
    :meth:`pydantic.BaseModel.model_construct` makes a model (without validation), at a
    fraction of its cost: a national structure has 35,000 of them.
    """
    template, fields_set = _WITHIN.__dict__, _WITHIN.__pydantic_fields_set__
    new, set_ = object.__new__, object.__setattr__
    out = []
    append = out.append
    for source, target in pairs:
        rel = new(Relation)
        values = template.copy()
        values["source"] = source
        values["target"] = target
        set_(rel, "__dict__", values)
        set_(rel, "__pydantic_fields_set__", fields_set.copy())
        set_(rel, "__pydantic_extra__", None)
        set_(rel, "__pydantic_private__", None)
        append(rel)
    return out
