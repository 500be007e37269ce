"""A structure as it stands on one date, indexed once so that every rule reads maps.

The planners' queries on :class:`~restructure.structure.Structure` walk the
graph for each question (ancestors for every area, descendants for every
footprint). At national scale (~35,000 small areas under ~330 councils) the
checks ask those questions thousands of times per date, so a
:class:`Snapshot` answers from dictionaries. The pass over the records is
made once per run (:class:`Records`), not once per date: most records of a
national structure carry no dates, and a date's snapshot only sets aside the
dated ones not in force on it. Its answers follow ``Structure.as_of(on)``: a relation is live
when it and both its ends are in force; an in-force relation with an end no
longer in force is kept apart as *dangling* (a seat held by an abolished
council is a finding, not something to hide).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property

from ..model import (
    UNIT_KINDS,
    UPPER_TIER_KINDS,
    Area,
    AreaKind,
    Body,
    BodyKind,
    Duty,
    Relation,
    RelationKind,
    in_force,
)

__all__ = ["Snapshot", "Records"]

R = RelationKind
_FOOTPRINT = (R.covers, R.discharges, R.serves)


class Records:
    """What every snapshot of one structure shares, whatever its date: one pass over the graph.

    A check runs on several dates (today and each later change date, or a
    scenario's effective dates and the day before each), and most records of
    a national structure carry no dates at all. So the records are read once:
    every area, body and relation in graph order, the few that are dated (or
    touch a dated record) apart, and every date on which something starts or
    ends. A :class:`Snapshot` then only filters out what is not in force on its
    date, keeping graph order, instead of walking the whole graph again.

    Parameters
    ----------
    structure : Structure
        The dated structure; it must not change while snapshots use this.

    Examples
    --------
    >>> from restructure.structure import Structure
    >>> s = Structure.from_yaml('''
    ... areas:
    ...   - {id: C, name: Shire, kind: county}
    ...   - {id: D, name: North, kind: district, parent: C, end: 2028-04-01}
    ... ''')
    >>> records = Records(s)
    >>> [d.isoformat() for d in records.dates], [n for n, _ in records.dated_nodes]
    (['2028-04-01'], ['D'])
    """

    def __init__(self, structure) -> None:
        self.structure = structure
        g = structure.graph
        areas: dict[str, Area] = {}
        bodies: dict[str, Body] = {}
        dated_nodes: list[tuple[str, Area | Body]] = []
        dates: set[dt.date] = set()
        of_kind: dict[AreaKind, list[Area]] = {}
        for node_id, data in g._node.items():
            rec = data.get("record")
            if isinstance(rec, Area):
                areas[node_id] = rec
                same = of_kind.get(rec.kind)
                if same is None:
                    of_kind[rec.kind] = [rec]
                else:
                    same.append(rec)
            else:
                bodies[node_id] = rec
                for strategy in getattr(rec, "strategies", ()):
                    dates.update(d for d in (strategy.start, strategy.end) if d is not None)
            start, end = rec.start, rec.end
            if start is not None or end is not None:
                dated_nodes.append((node_id, rec))
                dates.update(d for d in (start, end) if d is not None)
        self.areas = areas
        """Every area, by id, in graph order."""
        self.bodies = bodies
        """Every body, by id, in graph order."""
        self.areas_of_kind = of_kind
        """Every area by kind, in graph order."""
        self.dated_nodes = dated_nodes
        """``(id, record)`` of the areas and bodies with a start or an end, in graph order."""
        dated_ids = {n for n, _ in dated_nodes}
        by_kind: dict[RelationKind, list[Relation]] = {}
        lineage: list[Relation] = []
        parents: dict[str, tuple[str, ...]] = {}
        # (source, target, relation, position in by_kind[its kind]) of every relation whose
        # liveness depends on the date: dated, an end dated, or a `within` not between two areas
        changing: list[tuple[str, str, Relation, int]] = []
        within, succeeded_by = R.within, R.succeeded_by
        for u, nbrs in g._succ.items():
            u_dated = u in dated_ids
            u_area = u in areas
            for v, keydict in nbrs.items():
                static = not u_dated and v not in dated_ids
                for data in keydict.values():
                    rel = data.get("record")
                    kind = rel.kind
                    same = by_kind.get(kind)
                    if same is None:
                        same = by_kind[kind] = []
                    same.append(rel)
                    start, end = rel.start, rel.end
                    if start is not None or end is not None or not static:
                        dates.update(d for d in (start, end) if d is not None)
                        changing.append((u, v, rel, len(same) - 1))
                        if kind == succeeded_by:
                            lineage.append(rel)
                        elif kind == within and u_area and v in areas:
                            have = parents.get(u)
                            parents[u] = (v,) if have is None else tuple(sorted({*have, v}))
                    elif kind == within:
                        if u_area and v in areas:
                            have = parents.get(u)
                            parents[u] = (v,) if have is None else tuple(sorted({*have, v}))
                        else:
                            changing.append((u, v, rel, len(same) - 1))  # never live: always dangling
                    elif kind == succeeded_by:
                        lineage.append(rel)
        dates.update(ev.date for ev in structure.events.values())
        self.by_kind = by_kind
        """Every relation by kind, in graph order."""
        self.lineage = lineage
        """Every ``succeeded_by`` relation, in graph order."""
        self.changing = changing
        """``(source, target, relation, position in by_kind)`` of each relation live on some dates only,
        in graph order."""
        self.parents = parents
        """Area id -> the areas it lies within by any ``within`` between two areas, sorted."""
        self.changing_within = frozenset(u for u, _, rel, _ in changing if rel.kind == within)
        """Areas with a ``within`` among the changing relations: their parents depend on the date."""
        self.dates = sorted(dates)
        """Every date on which a record, a strategy or a change event starts or ends, sorted."""

    @classmethod
    def of(cls, structure, shared: dict | None) -> Records:
        """The records of a structure, read once per run (kept in ``shared``)."""
        if shared is None:
            return cls(structure)
        found = shared.get("records")
        if found is None or found.structure is not structure:
            found = shared["records"] = cls(structure)
        return found


class Snapshot:
    """Read-only, precomputed view of a dated structure on one date.

    Parameters
    ----------
    structure : Structure
        The dated structure (records keep their ``start`` and ``end``).
    on : datetime.date
        The date to look at.
    shared : dict, optional
        A cache shared by the snapshots of one structure in one run: its
        :class:`Records`, read on the first date, and what rules that look at
        other dates keep there. The structure must not change during the run.

    Examples
    --------
    >>> import datetime as dt
    >>> from restructure.structure import Structure
    >>> s = Structure.from_yaml('''
    ... areas:
    ...   - {id: C, name: Shire, kind: county}
    ...   - {id: D1, name: North, kind: district, parent: C}
    ...   - {id: D2, name: South, kind: district, parent: C, end: 2028-04-01}
    ... ''')
    >>> snap = Snapshot(s, dt.date(2028, 4, 1))
    >>> [a.id for a in snap.units], [a.id for a in snap.local_areas]
    (['D1'], ['C'])
    """

    def __init__(self, structure, on: dt.date, shared: dict | None = None) -> None:
        self.structure = structure
        self.on = on
        self.shared = shared if shared is not None else {}
        records = Records.of(structure, self.shared)
        # Only the dated records (and relations touching them) are looked at here: the rest,
        # read once per run by Records, is in force on every date.
        gone: set[str] = set()
        ended: list[Body] = []
        if on is not None:
            for node_id, rec in records.dated_nodes:
                start, end = rec.start, rec.end
                if (start is not None and on < start) or (end is not None and on >= end):
                    gone.add(node_id)
                    if end is not None and end <= on and isinstance(rec, Body):
                        ended.append(rec)
        if gone:
            areas = {k: a for k, a in records.areas.items() if k not in gone}
            bodies = {k: b for k, b in records.bodies.items() if k not in gone}
        else:
            areas, bodies = dict(records.areas), dict(records.bodies)
        self.areas: dict[str, Area] = areas
        """Areas in force, by id."""
        self.bodies: dict[str, Body] = bodies
        """Bodies in force, by id."""
        self.ended = sorted(ended, key=lambda b: b.id)
        """Bodies that ended on or before the date, sorted by id."""
        within = R.within
        dead: dict[RelationKind, set[int]] = {}
        dangling: list[Relation] = []
        for u, v, rel, position in records.changing:
            start, end = rel.start, rel.end
            if on is not None and ((start is not None and on < start) or (end is not None and on >= end)):
                dead.setdefault(rel.kind, set()).add(position)
                continue
            if rel.kind == within:
                ok = u in areas and v in areas
            else:
                ok = (u in bodies or u in areas) and (v in areas or v in bodies)
            if not ok:
                dangling.append(rel)
                dead.setdefault(rel.kind, set()).add(position)
        live: dict[RelationKind, list[Relation]] = defaultdict(list)
        for kind, rels in records.by_kind.items():
            out = dead.get(kind)
            kept = [r for i, r in enumerate(rels) if i not in out] if out else rels[:]
            if kept:
                live[kind] = kept
        if records.changing_within:
            parents = {}
            for u, ps in records.parents.items():
                if u in records.changing_within:
                    ps = self._parents_on(u, areas)
                if ps:
                    parents[u] = ps
        else:
            parents = dict(records.parents)
        self.parents: dict[str, tuple[str, ...]] = parents
        """Area id -> the areas it lies within (live ``within`` relations), sorted."""
        self.live = live
        """Relations in force whose two ends are in force, by kind."""
        self.dangling = dangling
        """Relations in force with an end that is not (an ended body still holding a seat)."""
        self.lineage = records.lineage[:]
        """Every ``succeeded_by`` relation of the structure, in force or not."""
        self._ancestor_memo: dict[str, tuple[str, ...]] = {}
        self._member_memo: dict[str, frozenset[str]] = {}
        self._entire_memo: dict[tuple[RelationKind, str], frozenset[str]] = {}

    def _parents_on(self, area: str, areas: dict[str, Area]) -> tuple[str, ...]:
        """The areas an area lies within on the date, read from its edges (it has dated ones)."""
        if area not in areas:
            return ()
        on, within, found = self.on, R.within, set()
        for v, keydict in self.structure.graph._succ[area].items():
            if v not in areas:
                continue
            for data in keydict.values():
                rel = data.get("record")
                if rel.kind == within and in_force(rel, on):
                    found.add(v)
        return tuple(sorted(found))

    # -- labels ----------------------------------------------------------------------

    def name_of(self, id_: str) -> str:
        """A body's name or an area's ``Name (id)``, whether or not in force on the date."""
        rec = self.structure.get(id_)
        if rec is None:
            return id_
        return f"{rec.name} ({rec.id})" if isinstance(rec, Area) else rec.name

    def names(self, ids: Iterable[str]) -> str:
        """Sorted labels joined for a message: ``A, B and C``."""
        labels = sorted(self.name_of(i) for i in ids)
        if len(labels) <= 1:
            return "".join(labels)
        return ", ".join(labels[:-1]) + " and " + labels[-1]

    # -- geography -------------------------------------------------------------------

    def ancestors(self, area: str) -> tuple[str, ...]:
        """Every area this one lies within, nearest first (memoised: one walk per area)."""
        memo = self._ancestor_memo
        found = memo.get(area)
        if found is not None:
            return found
        seen: list[str] = []
        todo = list(self.parents.get(area, ()))
        while todo:
            a = todo.pop(0)
            if a in seen or a == area:
                continue
            seen.append(a)
            todo.extend(self.parents.get(a, ()))
        memo[area] = found = tuple(seen)
        return found

    def upward(self, area: str) -> tuple[str, ...]:
        """The area itself, then its ancestors."""
        return (area, *self.ancestors(area))

    @cached_property
    def units(self) -> list[Area]:
        """Units of Serious Violence Duty coverage on the date (as ``Structure.units``), sorted."""
        return self._outermost(UNIT_KINDS)

    @cached_property
    def local_areas(self) -> list[Area]:
        """Upper-tier local areas on the date (as ``Structure.local_areas``), sorted."""
        return self._outermost(UPPER_TIER_KINDS)

    def _outermost(self, kinds: frozenset[AreaKind]) -> list[Area]:
        """Areas of these kinds not inside another of these kinds, sorted by id."""
        areas, of_kind = self.areas, Records.of(self.structure, self.shared).areas_of_kind
        out = [
            a for kind in kinds for a in of_kind.get(kind, ())
            if a.id in areas and not any(areas[p].kind in kinds for p in self.ancestors(a.id))
        ]
        return sorted(out, key=lambda a: a.id)

    @cached_property
    def _local_ids(self) -> frozenset[str]:
        return frozenset(a.id for a in self.local_areas)

    def local_area_of(self, area: str) -> str | None:
        """The upper-tier local area an area is or lies within (``None`` above that level)."""
        local = self._local_ids
        return next((x for x in self.upward(area) if x in local), None)

    @cached_property
    def units_within(self) -> dict[str, frozenset[str]]:
        """Area id -> the units of coverage it is or contains (empty for areas below a unit)."""
        out: dict[str, set[str]] = defaultdict(set)
        for u in self.units:
            for a in self.upward(u.id):
                out[a].add(u.id)
        return {a: frozenset(us) for a, us in out.items()}

    @cached_property
    def local_areas_within(self) -> dict[str, frozenset[str]]:
        """Area id -> the upper-tier local areas it is or contains."""
        out: dict[str, set[str]] = defaultdict(set)
        for la in self.local_areas:
            for a in self.upward(la.id):
                out[a].add(la.id)
        return {a: frozenset(ls) for a, ls in out.items()}

    # -- footprints ------------------------------------------------------------------

    @cached_property
    def _direct(self) -> dict[RelationKind, dict[str, frozenset[str]]]:
        out: dict[RelationKind, dict[str, set[str]]] = {k: defaultdict(set) for k in _FOOTPRINT}
        for kind in _FOOTPRINT:
            for rel in self.live.get(kind, ()):
                if rel.source in self.bodies and rel.target in self.areas:
                    out[kind][rel.target].add(rel.source)
        return {k: {a: frozenset(bs) for a, bs in m.items()} for k, m in out.items()}

    def direct(self, kind: RelationKind, area: str) -> frozenset[str]:
        """Bodies with a ``kind`` relation to exactly this area."""
        return self._direct[kind].get(area, frozenset())

    def whole(self, kind: RelationKind, area: str) -> frozenset[str]:
        """Bodies whose ``kind`` relation reaches the whole area (on it or an area above)."""
        direct = self._direct[kind]
        found: set[str] = set()
        for a in self.upward(area):
            found |= direct.get(a, frozenset())
        return frozenset(found)

    @cached_property
    def _below(self) -> dict[RelationKind, dict[str, frozenset[str]]]:
        # One upward walk per relation instead of a descendant walk per area.
        out: dict[RelationKind, dict[str, set[str]]] = {k: defaultdict(set) for k in _FOOTPRINT}
        for kind, by_area in self._direct.items():
            for area, bodies in by_area.items():
                for a in self.ancestors(area):
                    out[kind][a] |= bodies
        return {k: {a: frozenset(bs) for a, bs in m.items()} for k, m in out.items()}

    def parts(self, kind: RelationKind, area: str) -> frozenset[str]:
        """Bodies whose ``kind`` relation reaches some of the area's parts but not all of it."""
        return self._below[kind].get(area, frozenset()) - self.entire(kind, area)

    def entire(self, kind: RelationKind, area: str) -> frozenset[str]:
        """Bodies reaching all of the area: directly, from above, or through every one of its parts.

        A merged CSP that covers each former district of a new unitary covers
        the unitary, though no relation names the unitary itself.
        """
        key = (kind, area)
        found = self._entire_memo.get(key)
        if found is None:
            whole = self.whole(kind, area)
            extra = {
                b
                for b in self._below[kind].get(area, frozenset()) - whole
                if self._through_parts(kind, b, area, 0)
            }
            found = self._entire_memo[key] = whole | extra
        return found

    def _through_parts(self, kind: RelationKind, body: str, area: str, depth: int) -> bool:
        if body in self.whole(kind, area):
            return True
        if body not in self._below[kind].get(area, frozenset()):
            return False
        kids = self.children.get(area)
        if not kids or depth > 20:
            return False
        return all(self._through_parts(kind, body, k, depth + 1) for k in kids)

    @cached_property
    def children(self) -> dict[str, tuple[str, ...]]:
        """Area id -> the areas directly within it (live ``within`` relations), sorted."""
        out: dict[str, set[str]] = defaultdict(set)
        for a, ps in self.parents.items():
            for p in ps:
                out[p].add(a)
        return {p: tuple(sorted(cs)) for p, cs in out.items()}

    def footprints_by_kind(self, kind: RelationKind) -> frozenset[str]:
        """Bodies with at least one live ``kind`` relation to an area."""
        return frozenset(b for bodies in self._direct[kind].values() for b in bodies)

    def reaching(self, kind: RelationKind, area: str) -> frozenset[str]:
        """Bodies whose ``kind`` relation reaches the area or any part of it."""
        return self.whole(kind, area) | self._below[kind].get(area, frozenset())

    def footprint(self, body: str) -> frozenset[str]:
        """Areas a body covers, discharges for or serves directly."""
        return self._footprints.get(body, frozenset())

    @cached_property
    def _footprints(self) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for kind in _FOOTPRINT:
            for area, bodies in self._direct[kind].items():
                for b in bodies:
                    out[b].add(area)
        return {b: frozenset(a) for b, a in out.items()}

    def reaches(self, body: str, area: str) -> bool:
        """Whether a body's footprint includes the area, an area above it or a part of it."""
        fp = self.footprint(body)
        if not fp:
            return False
        if any(a in fp for a in self.upward(area)):
            return True
        return body in self._footprint_below.get(area, frozenset())

    @cached_property
    def _footprint_below(self) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for kind in _FOOTPRINT:
            for a, bodies in self._below[kind].items():
                out[a] |= bodies
        return {a: frozenset(b) for a, b in out.items()}

    def serving(self, area: str, duty: Duty | None = None, kinds=None, whole: bool = True) -> frozenset[str]:
        """Bodies serving the area, optionally with a duty or of kinds (as ``Structure.serving``).

        Whole: directly, via an area above, or through every one of its parts;
        with ``whole=False`` also those serving only some of its parts.
        """
        found = self.entire(R.serves, area) if whole else self.reaching(R.serves, area)
        return frozenset(
            b
            for b in found
            if (duty is None or duty in self.bodies[b].duties)
            and (kinds is None or self.bodies[b].kind in kinds)
        )

    # -- partnerships and boards -----------------------------------------------------

    @cached_property
    def members(self) -> dict[str, frozenset[str]]:
        """Partnership id -> ids of its members in force."""
        out: dict[str, set[str]] = defaultdict(set)
        for rel in self.live.get(R.member_of, ()):
            if rel.source in self.bodies and rel.target in self.bodies:
                out[rel.target].add(rel.source)
        return {p: frozenset(m) for p, m in out.items()}

    @cached_property
    def sub_partnerships(self) -> dict[str, frozenset[str]]:
        """Partnership id -> partnerships accountable to it (district CSPs under a county one)."""
        out: dict[str, set[str]] = defaultdict(set)
        for rel in self.live.get(R.accountable_to, ()):
            src = self.bodies.get(rel.source)
            if src is not None and src.is_partnership and rel.target in self.bodies:
                out[rel.target].add(rel.source)
        return {p: frozenset(m) for p, m in out.items()}

    def all_members(self, partnership: str) -> frozenset[str]:
        """Members of a partnership, directly or through a partnership that is its member or
        accountable to it (a district CSP reporting to a countywide partnership)."""
        memo = self._member_memo
        if partnership in memo:
            return memo[partnership]
        seen: set[str] = set()
        todo = [partnership]
        while todo:
            p = todo.pop()
            for m in self.members.get(p, frozenset()) | self.sub_partnerships.get(p, frozenset()):
                if m not in seen:
                    seen.add(m)
                    todo.append(m)
        memo[partnership] = found = frozenset(seen)
        return found

    @cached_property
    def boards(self) -> list[Body]:
        """Strategy boards in force, sorted by id."""
        return sorted(
            (b for b in self.bodies.values() if b.kind == BodyKind.strategy_board), key=lambda b: b.id
        )

    @cached_property
    def seats(self) -> list[Relation]:
        """Seats in force on any board, live or dangling, sorted by board, area and holder."""
        seats = [r for r in self.live.get(R.seat, ())]
        seats += [r for r in self.dangling if r.kind == R.seat]
        return sorted(seats, key=lambda r: (r.target, r.area or "", r.source))

    def board_scope(self, board: str) -> frozenset[str]:
        """Local areas a board is for: those within its footprint, or all when it has none."""
        fp = self.footprint(board)
        local = [a.id for a in self.local_areas]
        if not fp:
            return frozenset(local)
        return frozenset(a for a in local if self.reaches(board, a))
