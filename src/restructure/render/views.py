"""The views of a structure: hierarchy, coverage, membership, and a focus on one neighbourhood.

Every view takes a structure already cut to one date (``Structure.as_of``), so
every record it meets is in force. A focus is applied first, as a set of body
and area ids, so a view of one police force area inside a national structure
only ever touches that area's records.

* **hierarchy** (bottom to top): agencies and councils, operational panels,
  local partnerships, the strategic board, oversight. Local bodies sit in a box
  per upper-tier local area (the areas with a Strategy Board seat each); bodies
  serving several local areas sit outside the boxes. Seats and reporting lines
  are drawn; memberships are drawn within a local area and onto strategic
  bodies, and counted in the member's label otherwise (the membership view
  draws them all), so the page stays readable.
* **coverage** (left to right): each partnership with the areas it covers
  (its CSP footprint) in a box; partnerships discharging the Serious Violence
  Duty point at the areas they discharge it for; areas no partnership covers
  sit in a box of their own.
* **membership** (left to right): agencies and councils, and the
  partnerships they are members of or hold seats on.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Iterable, Mapping

from ..errors import RenderError, did_you_mean
from ..model import UPPER_TIER_KINDS, Area, AreaKind, Body, BodyKind, Relation, RelationKind, Tier, in_force
from ..structure import Structure
from ..text import short
from .scene import Cluster, Row, Scene
from .style import (
    AREA_STYLE,
    EDGE_STYLES,
    OKABE_ITO,
    NodeStyle,
    label,
    legend_label,
    node_name,
    node_style,
    text,
    tip,
)

__all__ = [
    "VIEWS",
    "RANKS",
    "Focus",
    "focus_on",
    "cut",
    "rank_of",
    "local_area_index",
    "homes",
    "hierarchy",
    "sides",
    "coverage",
    "membership",
    "units_and_parts",
    "parts_that_matter",
    "build",
    "body_node",
    "body_row",
    "area_node",
]

R = RelationKind
VIEWS = ("hierarchy", "coverage", "membership")
"""The views :func:`build` can draw."""

RANKS = ("agencies", "operational", "local", "strategic", "oversight")
"""Tier ranks of the hierarchy, bottom to top."""

_AREA_RELATIONS = (R.covers, R.discharges, R.serves)
_WITHIN = R.within
_UP = (R.seat, R.accountable_to)


class Focus:
    """The neighbourhood a diagram is cut down to: body ids and area ids.

    ``None`` for either means "everything". ``areas`` may be given as a function that
    finds them, called the first time they are asked for: a police force area holds
    thousands of small areas, which the views that draw only bodies never ask for.
    """

    def __init__(self, bodies: set[str] | None = None, areas: set[str] | Callable[[], set[str]] | None = None,
                 what: str = ""):
        self.bodies = bodies
        self.areas = areas  # type: ignore[assignment]
        self.what = what
        """The focus as the planner named it (for the title)."""

    @property
    def areas(self) -> set[str] | None:
        """The area ids (``None``: every area)."""
        if callable(self._areas):
            self._areas = self._areas()
        return self._areas

    @areas.setter
    def areas(self, value: set[str] | Callable[[], set[str]] | None) -> None:
        self._areas = value

    def has_body(self, id_: str) -> bool:
        return self.bodies is None or id_ in self.bodies

    def has_area(self, id_: str) -> bool:
        return self.areas is None or id_ in self.areas


def focus_on(s: Structure, focus: str | None, on: dt.date | None = None) -> Focus:
    """The neighbourhood of an area or a body on a date (``None``: ``s`` is already cut to one).

    For an area: the area, the areas within it and those it lies within; the
    bodies covering, discharging for, serving or holding a seat for any of
    them; and, going up, the boards they sit on and the bodies they report to.
    For a body: the body, every body it is related to, the areas it covers,
    discharges for or serves, and the chain of boards above it.

    The bodies are found in time proportional to the areas that hold or lie
    under something (an area with nothing within it and nobody related to it
    is passed over), and the areas only when asked for (:class:`Focus`). The
    first focus on a structure still steps over each small area it passes;
    the structure's later focuses, until its next edit, do not (:func:`_memo`).

    Raises
    ------
    RenderError
        The id is neither an area nor a body in force on the date.
    """
    if focus is None:
        return Focus()
    rec = s.get(focus)
    if rec is None or not in_force(rec, on):
        pool = [n for n, r in s.graph.nodes(data="record") if in_force(r, on)]
        hint = did_you_mean(focus, pool) or "Run `restructure show` to list ids"
        raise RenderError(f"--focus '{focus}' is not an area or body in force on that date", hint, ids=(focus,))

    node, pred = s.graph._node, s.graph._pred
    seats = s.seats_by_area()
    worth = _memo(s, "worth")

    def live(id_: str) -> bool:
        return in_force(node[id_]["record"], on)

    bodies: set[str] = set()

    def attached(a: str, down: list[str] | None) -> None:
        """Add the bodies covering, discharging for, serving or holding a seat for ``a``; with
        ``down``, push the areas within ``a`` that hold or lie under anything."""
        pairs = worth.get(a)
        if pairs is None:
            pairs = worth[a] = _worth(pred, seats, a)
        for c, keydict in pairs:
            for data in keydict.values():
                rel = data["record"]
                kind = rel.kind
                if kind is _WITHIN:
                    if (down is not None and c not in seen and (pred[c] or c in seats)
                            and in_force(rel, on) and live(c)):
                        seen.add(c)
                        down.append(c)
                elif kind in _AREA_RELATIONS and in_force(rel, on) and live(c):
                    bodies.add(c)
        for rel in seats.get(a, ()):
            if in_force(rel, on) and live(rel.source):
                bodies.add(rel.source)

    if isinstance(rec, Area):
        seen = {focus}
        todo = [focus]
        while todo:
            attached(todo.pop(), todo)
        for a in s.ancestors(focus, on):
            attached(a, None)

        def areas() -> set[str]:
            return {focus, *s.descendants(focus, on), *s.ancestors(focus, on)}
    else:
        bodies.add(focus)
        for rel in s.relations(source=focus, on=on):
            if rel.kind not in _AREA_RELATIONS and live(rel.target) and isinstance(s.get(rel.target), Body):
                bodies.add(rel.target)
        for rel in s.relations(target=focus, on=on):
            if isinstance(s.get(rel.source), Body) and live(rel.source):
                bodies.add(rel.source)

        def areas() -> set[str]:
            found: set[str] = set()
            for rel in s.relations(source=focus, on=on):
                if rel.kind in _AREA_RELATIONS and live(rel.target):
                    found.add(rel.target)
                    found.update(s.descendants(rel.target, on))
            return found
    # Up the chain: the boards they sit on and whom they report to, to the top.
    todo = sorted(bodies)
    while todo:
        b = todo.pop()
        for rel in s.relations(source=b, on=on):
            if rel.kind in _UP and rel.target not in bodies and live(rel.target):
                bodies.add(rel.target)
                todo.append(rel.target)
    return Focus(bodies, areas, what=f"{rec.name} ({rec.id})")


_MEMOS: dict[int, tuple[weakref.ref, object, int, dict[str, dict]]] = {}
"""Per structure (by ``id``, while it lives): what the views remember of it until its next edit."""


def _memo(s: Structure, name: str) -> dict:
    """A memo the views keep for ``s``, emptied after any edit (as ``Structure.seats_by_area`` is).

    ``"worth"``: :func:`_worth` of each area :func:`focus_on` has walked, so the first focus on
    a structure costs what it always did and every later focus (a board pack, a notebook)
    passes over the thousands of small areas of a police force area without a step each.
    ``"local"``: each area's local area, as :func:`local_area_index` found it (a whole country
    drawn again is the same structure: ``cut`` does not copy it). ``"whole"``: the dates on
    which every record of ``s`` is in force (:func:`_as_of`).
    """
    key, g, generation = id(s), s.graph, getattr(s, "_generation", 0)
    got = _MEMOS.get(key)
    if got is None or got[0]() is not s or got[1] is not g or got[2] != generation:
        got = _MEMOS[key] = (weakref.ref(s, lambda _, key=key: _MEMOS.pop(key, None)), g, generation, {})
    return got[3].setdefault(name, {})


def _worth(pred: Mapping[str, Mapping], seats: Mapping[str, object], a: str) -> list[tuple[str, dict]]:
    """``pred[a].items()`` less what :func:`focus_on` passes over whatever the date: an area
    within ``a`` (by ``within`` relations only) with nothing within it or related to it and no
    seat held for it (small areas)."""
    out = []
    for c, keydict in pred[a].items():
        if pred[c] or c in seats:
            out.append((c, keydict))
            continue
        for data in keydict.values():
            if data["record"].kind is not _WITHIN:
                out.append((c, keydict))
                break
    return out


def cut(s: Structure, focus: Focus, on: dt.date, areas: bool = True) -> Structure:
    """The structure on a date, cut to a focus first (so one police force area of a national
    structure is fast): the focus's bodies and areas, every area those bodies relate to, and the
    areas above them (which decide the local-area boxes).

    ``areas=False`` leaves out the focus's own areas that no body of it relates to (the views
    that draw bodies only never look at them: the hierarchy and membership views).
    """
    if focus.bodies is None:
        return _as_of(s, on)
    nodes = set(focus.bodies)
    if areas:
        nodes.update(focus.areas or ())
    for b in focus.bodies:
        for rel in s.relations(source=b, on=on):
            if rel.kind in _AREA_RELATIONS:
                nodes.add(rel.target)
            if rel.area:
                nodes.add(rel.area)
    # the areas above them: one parents() call per area reached (not a full chain per area)
    node, succ = s.graph._node, s.graph._succ
    todo = [n for n in nodes if n in node and isinstance(node[n]["record"], Area)]
    seen: set[str] = set()
    while todo:
        a = todo.pop()
        if a in seen:
            continue
        seen.add(a)
        for p, keydict in succ[a].items():  # parents(a, on), straight from the adjacency
            if any(d["record"].kind == R.within and in_force(d["record"], on) for d in keydict.values()):
                nodes.add(p)
                todo.append(p)
    # in id order (the structure's own order would take a pass over every id of a national
    # structure; every view sorts what it draws)
    return s.as_of(on, ids=sorted(nodes))


def _as_of(s: Structure, on: dt.date) -> Structure:
    """``s.as_of(on)``, or ``s`` itself when every record is in force on ``on`` (the same records:
    a whole country drawn today need not be copied). The views only read what they are given."""
    whole = _memo(s, "whole")  # by date: whether every record is in force then
    if whole.get(on) is True:
        return s
    if any(e.date > on for e in s.events.values()):
        return s.as_of(on)
    g = s.graph
    for data in g._node.values():
        rec = data["record"]
        if (rec.start is not None or rec.end is not None) and not in_force(rec, on):
            return s.as_of(on)
    for nbrs in g._succ.values():
        for keydict in nbrs.values():
            for data in keydict.values():
                rel = data["record"]
                if (rel.start is not None or rel.end is not None) and not in_force(rel, on):
                    return s.as_of(on)
    whole[on] = True
    return s


def rank_of(body: Body) -> str:
    """The hierarchy rank of a body: its tier, else a guess from its kind.

    Examples
    --------
    >>> rank_of(Body(id="tvp", name="Thames Valley Police", kind="police_force"))
    'agencies'
    """
    if body.tier is not None:
        return body.tier.value
    if body.kind == BodyKind.pcc_office:
        return Tier.oversight.value
    if body.kind == BodyKind.strategy_board:
        return Tier.strategic.value
    if body.kind == BodyKind.prevention_partnership:
        return Tier.operational.value
    if body.is_partnership:
        return Tier.local.value
    return "agencies"


def local_area_index(s: Structure, areas: Iterable[str]) -> dict[str, str]:
    """For each area, the upper-tier local area it lies in (or is); areas above none are left out.

    What ``Structure.local_areas`` and ``Structure.ancestors`` (any date) say, found through
    the adjacency with each area's chain walked once (a whole country asks for hundreds), and
    remembered for ``s`` until its next edit (:func:`_memo`).
    """
    node, succ = s.graph._node, s.graph._succ
    up: dict[str, list[str]] = {}
    local: dict[str, bool] = {}
    above: dict[str, list[str]] = {}

    def parents(a: str) -> list[str]:
        got = above.get(a)
        if got is None:
            got = above[a] = [p for p, keydict in succ[a].items() for d in keydict.values()
                              if d["record"].kind is _WITHIN]
            if len(got) > 1:
                got.sort()
        return got

    def ancestors(a: str) -> list[str]:  # Structure.ancestors: breadth first, nearest first
        got = up.get(a)
        if got is None:
            got = []
            todo = list(parents(a))  # a copy: the walk consumes it
            while todo:
                x = todo.pop(0)
                if x in got:
                    continue
                got.append(x)
                todo.extend(parents(x))
            up[a] = got
        return got

    def is_local(a: str) -> bool:  # one of Structure.local_areas()
        got = local.get(a)
        if got is None:
            rec = node[a]["record"]
            got = isinstance(rec, Area) and rec.kind in UPPER_TIER_KINDS
            if got:
                for p in ancestors(a):
                    rec = node[p]["record"]
                    if not isinstance(rec, Area):
                        s.area(p)  # raises, as Structure.local_areas does
                    if rec.kind in UPPER_TIER_KINDS:
                        got = False
                        break
            local[a] = got
        return got

    def first_local(a: str) -> str | None:
        """The first of ``(a, *ancestors(a))`` that is local: the same walk, stopped there
        (most areas asked about are local areas, or lie straight within one)."""
        if is_local(a):
            return a
        got = up.get(a)
        if got is not None:
            return next((x for x in got if is_local(x)), None)
        walked: list[str] = []
        todo = list(parents(a))
        while todo:
            x = todo.pop(0)
            if x in walked:
                continue
            walked.append(x)
            if is_local(x):
                return x
            todo.extend(parents(x))
        return None

    known = _memo(s, "local")
    out: dict[str, str] = {}
    for a in areas:
        if a in out or a not in node:
            continue
        found = known.get(a, _UNKNOWN)
        if found is _UNKNOWN:
            found = known[a] = first_local(a)  # not kept when it raises: it raises again next time
        if found is not None:
            out[a] = found
    return out


_UNKNOWN = object()


def homes(s: Structure, bodies: Iterable[str]) -> dict[str, str | None]:
    """The one local area each body belongs to, or ``None`` if it spans several (or none).

    A body belongs where it covers, discharges for, serves or holds a seat
    for; a body with a relation to an area above local areas (the police force
    area) spans several. A body with no area of its own (a health and
    wellbeing board a CSP reports to) belongs where all the bodies reporting
    to it, or that it reports to, belong.
    """
    bodies = list(bodies)
    return _homes(s, bodies, _out_relations(s, bodies))


def _out_relations(s: Structure, bodies: Iterable[str]) -> dict[str, list[Relation]]:
    """Each body's relations as a source, in ``s.relations(source=b)`` order (every date).

    One walk of the adjacency per body, shared by :func:`homes` and the hierarchy (which
    asked ``relations`` three times per body: a whole country has hundreds).
    """
    succ = s.graph._succ
    return {b: [d["record"] for keydict in succ[b].values() for d in keydict.values()] if b in succ else []
            for b in bodies}


def _homes(s: Structure, bodies: list[str], out: dict[str, list[Relation]]) -> dict[str, str | None]:
    """:func:`homes`, given each body's relations (:func:`_out_relations`)."""
    targets: dict[str, set[str]] = {}
    seat = R.seat
    for b in bodies:
        tset: set[str] = set()
        for rel in out[b]:
            kind = rel.kind
            if kind in _AREA_RELATIONS:
                tset.add(rel.target)
            elif kind == seat and rel.area:
                tset.add(rel.area)
        targets[b] = tset
    index = local_area_index(s, sorted(set().union(*targets.values())) if targets else [])
    homes_: dict[str, str | None] = {}
    for b, tset in targets.items():
        if len(tset) == 1:
            (t,) = tset
            homes_[b] = index.get(t)
            continue
        found = {index.get(t, "*") for t in tset}
        homes_[b] = found.pop() if len(found) == 1 and "*" not in found else None
    for b in bodies:
        if targets[b]:
            continue
        linked = {r.source for r in s.relations(R.accountable_to, target=b)}
        linked |= {r.target for r in s.relations(R.accountable_to, source=b)}
        found = {homes_.get(x, "*") for x in linked}
        if len(found) == 1 and None not in found and "*" not in found:
            homes_[b] = found.pop()
    return homes_


# The kind every body of a tier is expected to be: said by the shape, so not written.
_USUAL_KIND = {
    Tier.oversight: BodyKind.pcc_office,
    Tier.strategic: BodyKind.strategy_board,
    Tier.local: BodyKind.community_safety_partnership,
    Tier.operational: BodyKind.prevention_partnership,
}


def _kind_words(body: Body) -> str:
    return body.kind.value.replace("_", " ")


def _kind_line(body: Body) -> tuple[str, ...]:
    """The kind in words, unless the tier's shape already says it (or it is ``other``)."""
    if body.kind == BodyKind.other or (body.tier is not None and _USUAL_KIND.get(body.tier) == body.kind):
        return ()
    return (_kind_words(body),)


def body_node(scene: Scene, body: Body, *small: str, cluster: str | None = None, rank: str | None = None,
              style: NodeStyle | None = None, **extra: str) -> str:
    """Add a body to a scene, styled by tier or kind; returns its node name."""
    return _record_node(scene, "b", body, (*_kind_line(body), *small), style or node_style(body.kind, body.tier),
                        cluster, rank, extra)


def body_row(scene: Scene, stack: str, heading: str | None, body: Body, *small: str,
             cluster: str | None = None, rank: str | None = None, columns: int = 1) -> None:
    """Add a body as a row of a stack (the councils and agencies of one local area)."""
    _stack_row(scene, stack, heading, body, node_style(body.kind, body.tier), small, cluster, rank, columns)


def _stack_row(scene: Scene, stack: str, heading: str | None, body: Body, st: NodeStyle, small: tuple[str, ...],
               cluster: str | None, rank: str | None, columns: int = 1) -> None:
    """:func:`body_row`, given the body's style."""
    # No kind line: the fill tells councils from agencies, and rows must stay short.
    scene.row(stack, heading, body.id, Row(body.name, small, st.fill, st.border),
              cluster=cluster, rank=rank, columns=columns)


def area_node(scene: Scene, area: Area, *small: str, cluster: str | None = None, **extra: str) -> str:
    """Add an area to a scene; returns its node name."""
    small = (f"{area.kind.value.replace('_', ' ')} {area.gss or area.id}", *small)
    return _record_node(scene, "a", area, small, AREA_STYLE, cluster, None, extra)


def _record_node(scene: Scene, prefix: str, rec: Area | Body, small: tuple[str, ...], st: NodeStyle,
                 cluster: str | None, rank: str | None, extra: dict[str, str]) -> str:
    """A boxed area or body: its name over the small lines, styled; remembered by id in the scene."""
    name = node_name(prefix, rec.id)
    attrs = {
        "label": label(rec.name, *small),
        "shape": st.shape,
        "style": st.style,
        "fillcolor": st.fill,
        "color": st.border,
        "tooltip": tip(f"{rec.name} ({rec.id})"),
    }
    attrs.update(extra)
    scene.node(name, cluster=cluster, rank=rank, **attrs)
    scene.where[rec.id] = name
    scene.parts[rec.id] = (rec.name, small)
    return name


def _edge_attrs(kind: RelationKind, **extra: str) -> dict[str, str]:
    st = EDGE_STYLES[kind]
    attrs = {
        "color": st.color,
        "style": st.style,
        "penwidth": st.penwidth,
        "arrowhead": st.arrowhead,
    }
    attrs.update(extra)
    return attrs


def _title(s: Structure, view: str, on: dt.date, focus: Focus) -> str:
    parts = [f"<B>{text(short(s.name or 'Structure'))}</B>"]
    sub = f"{view} view, as of {on.isoformat()}"
    if focus.what:
        sub += f", around {focus.what}"
    parts.append(f'<FONT POINT-SIZE="11">{text(sub)}</FONT>')
    return "<" + "<BR/>".join(parts) + ">"


def _legend(scene: Scene, nodes: list[NodeStyle], edges: list[RelationKind], changes: list[str] = ()) -> None:
    used = []
    for st in nodes:
        if st not in used:
            used.append(st)
    scene.node(
        "key",
        label=legend_label(used, [EDGE_STYLES[k] for k in edges], list(changes)),
        shape="plain",
        fontsize="9",
    )


def _full_name(name: str) -> dict[str, str]:
    """A tooltip with the whole name, for a cluster whose label cut it short."""
    return {"tooltip": tip(name)} if short(name) != name else {}


def _local_clusters(scene: Scene, s: Structure, home_ids: Iterable[str]) -> None:
    for a in sorted(set(home_ids)):
        area = s.area(a)
        scene.clusters[a] = Cluster(
            label=f"<<B>{text(short(area.name))}</B>>",
            attrs={"style": "rounded,dashed", "color": "#888888", "bgcolor": "#FAFAFA", "penwidth": "1.2",
                   **_full_name(area.name)},
            order=area.name,
        )


CENTRE = "centre"


def sides(scene_weights: dict[str, float]) -> dict[str, str]:
    """Split local areas between the left (``L``) and right (``R``) of the chart, balancing height.

    Heaviest first, each to the lighter side (ties to the left), so the page is
    as short as it can be.

    Examples
    --------
    >>> sides({"a": 3, "b": 1, "c": 1, "d": 1})
    {'a': 'L', 'b': 'R', 'c': 'R', 'd': 'R'}
    """
    total = {"L": 0.0, "R": 0.0}
    out = {}
    for key in sorted(scene_weights, key=lambda k: (-scene_weights[k], k)):
        side = "L" if total["L"] <= total["R"] else "R"
        out[key] = side
        total[side] += scene_weights[key]
    return {k: out[k] for k in sorted(out)}


def hierarchy(s: Structure, on: dt.date, focus: Focus | None = None, legend: bool = True,
              memberships: bool = False, centre_table: bool = False, one_side: bool = False,
              centre_groups: dict[str, str] | None = None) -> Scene:
    """The tiered chart: oversight and the Strategy Board in the centre, local areas either side.

    Oversight, the strategic board and bodies serving several local areas
    form the centre column (oversight at the top). Each upper-tier local area
    is a box on the left or right; from the centre outwards it holds its local
    partnerships, its operational panels, then its councils and agencies as
    one table (a row per body). Mirroring the tiers either side of the board
    keeps nine local areas readable on one A4 landscape page; every arrow
    points from a body to the one above it (the board it sits on, the body it
    reports to, the partnership it is a member of).

    With ``memberships=True`` (the membership view) the same layout draws
    every membership and seat, and only the bodies that have one; reporting
    lines are left out.

    ``centre_table=True`` draws the agencies and councils of the centre
    column (those serving several local areas) as one table too, and
    ``one_side=True`` puts every local area on the left (and the centre
    table in two columns, as the centre is then the tallest column): change
    diagrams focused on a few local areas use them to stay printable on A4.

    ``centre_groups`` maps centre-column bodies to a line saying why they are there (a change
    diagram says of a dissolved county council "served Oxfordshire (ended …)"); the centre
    table's heading then says it holds them too.
    """
    centre_groups = centre_groups or {}
    focus = focus or Focus()
    # s.bodies() (every date: s is cut to one) straight from the adjacency: a country has thousands of records
    bodies = {rec.id: rec for data in s.graph._node.values()
              if isinstance(rec := data["record"], Body) and focus.has_body(rec.id)}
    if memberships:
        linked = set()
        for rel in s.relations():
            if rel.kind in (R.member_of, R.seat) and rel.source in bodies and rel.target in bodies:
                linked.update((rel.source, rel.target))
        bodies = {b: rec for b, rec in bodies.items() if b in linked}
    ids = sorted(bodies)
    out = _out_relations(s, ids)  # each body's relations, walked once for all that follows
    home = _homes(s, ids, out)
    by_sort: dict[tuple, str] = {}  # rank_of reads a body's kind and tier only: a few sorts of body
    ranks = {}
    for b, rec in bodies.items():
        sort = (rec.kind, rec.tier)
        got = by_sort.get(sort)
        if got is None:
            got = by_sort[sort] = rank_of(rec)
        ranks[b] = got
    top = {Tier.oversight.value, Tier.strategic.value}
    weights: dict[str, float] = {}
    per_rank: dict[tuple[str, str], float] = {}
    for b, h in home.items():
        if h is not None and ranks[b] not in top:
            per_rank[h, ranks[b]] = per_rank.get((h, ranks[b]), 0) + (0.5 if ranks[b] == "agencies" else 1)
    for (h, _), n in per_rank.items():
        weights[h] = max(weights.get(h, 0), n + 1)
    side = {h: "L" for h in sorted(weights)} if one_side else sides(weights)
    height = {x: sum(w for h, w in weights.items() if side[h] == x) for x in ("L", "R")}
    order = (
        *(f"L-{r}" for r in RANKS[:3]),
        CENTRE,
        *(f"R-{r}" for r in reversed(RANKS[:3])),
    )
    view = "membership" if memberships else "hierarchy"
    scene = Scene(title=_title(s, view, on, focus), rankdir="LR", rank_order=order)
    _local_clusters(scene, s, side)
    scene.spare_rank = f"{'L' if height['L'] < height['R'] else 'R'}-agencies"
    position = {r: i for i, r in enumerate(order)}

    def rank_of_body(b: str) -> str:
        h = home[b]
        if h is None or ranks[b] in top:
            return CENTRE
        return f"{side[h]}-{ranks[b]}"

    rank_names = {b: rank_of_body(b) for b in ids}
    rank_name = rank_names.__getitem__
    drawn: list[tuple[str, str, RelationKind, dict[str, str]]] = []
    hidden_memberships: dict[str, int] = {}
    discharging: set[str] = set()
    for b in ids:
        rels = out[b]
        if len(rels) > 1:
            rels = sorted(rels, key=lambda r: r.key)
        for rel in rels:
            if rel.kind == R.discharges:
                discharging.add(b)
            if rel.target not in bodies:
                # A focused change diagram leaves partnerships out: their members still count them.
                if rel.kind == R.member_of and not memberships and rel.target in s:
                    hidden_memberships[b] = hidden_memberships.get(b, 0) + 1
                continue
            if rel.kind == R.accountable_to and memberships:
                continue
            if rel.kind in (R.seat, R.accountable_to):
                extra = {}
                if rel.kind == R.seat and rel.area and rel.area in s:
                    extra["tooltip"] = tip(f"seat for {s.area(rel.area).name}")
                drawn.append((b, rel.target, rel.kind, extra))
            elif rel.kind == R.member_of:
                same = home[b] is not None and home[b] == home[rel.target]
                if memberships or same or ranks[rel.target] in top or (home[b] is None and home[rel.target] is None):
                    extra = {"tooltip": tip(rel.role or "member")}
                    if memberships and rel.role and rel.role != "statutory":
                        extra["label"] = tip(rel.role)
                    drawn.append((b, rel.target, rel.kind, extra))
                else:
                    hidden_memberships[b] = hidden_memberships.get(b, 0) + 1
    styles: dict[int, NodeStyle] = {}
    grouped = any(b in centre_groups and ranks[b] == "agencies" and rank_name(b) == CENTRE for b in bodies)
    centre_heading = "serving several local areas" + (" (or one that ended)" if grouped else "")
    for b in sorted(bodies, key=lambda x: (RANKS.index(ranks[x]), x)):
        rec = bodies[b]
        st = node_style(rec.kind, rec.tier)
        small = []
        if b in discharging:
            small.append("discharges Serious Violence Duty")
        n = hidden_memberships.get(b)
        if n:
            small.append(f"+ member of {n} local partnership{'s' if n > 1 else ''}")
        h = home[b] if ranks[b] not in top else None
        if ranks[b] == "agencies" and h is not None:
            _stack_row(scene, node_name("s", h), None, rec, st, tuple(small), h, rank_name(b))
        elif centre_table and ranks[b] == "agencies" and rank_name(b) == CENTRE:
            if b in centre_groups:
                small.append(centre_groups[b])
            body_row(scene, node_name("s", "~" + CENTRE), centre_heading, rec, *small,
                     rank=CENTRE, columns=2 if one_side else 1)
        else:
            if rank_name(b) == CENTRE and b in centre_groups:
                small.append(centre_groups[b])
            body_node(scene, rec, *small, cluster=h, rank=rank_name(b), style=st)
        styles[id(st)] = st  # the same few style objects again and again: a set of them at the end
    kinds_used = []
    for tail, head, kind, extra in drawn:
        attrs = _edge_attrs(kind, **extra)
        pt, ph = position[rank_name(tail)], position[rank_name(head)]
        # Dot lays an edge from its tail towards its head (left to right), so an
        # edge pointing towards the centre from the right is written head first
        # and drawn backwards.
        if pt > ph or (pt == ph == position[CENTRE]):
            attrs = _backwards(attrs)
            scene.edge(head, tail, kind.value, **attrs)
        else:
            scene.edge(tail, head, kind.value, **attrs)
        if kind not in kinds_used:
            kinds_used.append(kind)
    # Oversight above the strategic board in the centre column (a flat edge's
    # tail is drawn above its head when ranks run left to right).
    oversight, strategic = Tier.oversight.value, Tier.strategic.value
    for o in sorted(b for b in bodies if ranks[b] == oversight and rank_name(b) == CENTRE):
        for t in sorted(b for b in bodies if ranks[b] == strategic and rank_name(b) == CENTRE):
            scene.edge(o, t, "order", style="invis")
    if legend:
        order_k = [R.seat, R.accountable_to, R.member_of]
        _legend(scene, sorted(set(styles.values()), key=_style_order), [k for k in order_k if k in kinds_used])
        scene.ranks.setdefault(CENTRE, []).append("key")
    return scene


def _backwards(attrs: dict[str, str]) -> dict[str, str]:
    out = dict(attrs)
    out["dir"] = "back"
    out["arrowtail"] = out.pop("arrowhead", "normal")
    return out


def _style_order(st: NodeStyle) -> int:
    from .style import AGENCY_STYLE, COUNCIL_STYLE, TIER_STYLES

    order = [*TIER_STYLES.values(), AGENCY_STYLE, COUNCIL_STYLE, AREA_STYLE]
    return order.index(st) if st in order else len(order)


def coverage(s: Structure, on: dt.date, focus: Focus | None = None, legend: bool = True) -> Scene:
    """Areas grouped under the partnership covering them; Duty discharge and gaps shown.

    Each covering partnership is a box holding its areas. Boxes are split
    between the left half (areas on the left) and the right half (areas on
    the right) so a police force area's dozen CSPs fit one A4 landscape page.
    """
    focus = focus or Focus()
    order = ("L-areas", "L-partnerships", "R-partnerships", "R-areas")
    scene = Scene(title=_title(s, "coverage", on, focus), rankdir="LR", rank_order=order)
    covers: dict[str, list[str]] = {}
    discharges: list[tuple[str, str]] = []
    for rel in s.relations(R.covers):
        if focus.has_area(rel.target) and focus.has_body(rel.source):
            covers.setdefault(rel.target, []).append(rel.source)
    for rel in s.relations(R.discharges):
        if focus.has_area(rel.target) and focus.has_body(rel.source):
            discharges.append((rel.source, rel.target))
    units = [a.id for a in s.units() if focus.has_area(a.id)]
    notes = parts_that_matter(s, on, [a for a in units_and_parts(s) if focus.has_area(a)], covers)
    for a in notes:
        covers.setdefault(a, [p.id for p in s.covering(a) if focus.has_body(p.id)])
    area_ids = sorted(set(covers) | {a for _, a in discharges} | set(units))
    partnerships = sorted({p for ps in covers.values() for p in ps} | {p for p, _ in discharges})
    gap = "~gap"  # never an id
    owner = {}
    for a in area_ids:
        owners = sorted(covers.get(a, ()))
        if owners:
            owner[a] = owners[0]
        elif a in units and not s.covering(a, whole=False):
            owner[a] = gap
    weights: dict[str, float] = {}
    for o in owner.values():
        weights[o] = weights.get(o, 1) + 1
    side = sides(weights)
    styles = []
    for p in partnerships:
        rec = s.body(p)
        if p in weights:
            scene.clusters[p] = Cluster(
                label=f"<<B>{text(short(rec.name))}</B>>",
                attrs={"style": "rounded", "color": OKABE_ITO["bluish_green"], "bgcolor": "#F4FBF8",
                       **_full_name(rec.name)},
                order=rec.name,
            )
        body_node(scene, rec, cluster=p if p in weights else None,
                  rank=f"{side[p]}-partnerships" if p in weights else None)
        styles.append(node_style(rec.kind, rec.tier))
    for a in area_ids:
        o = owner.get(a)
        extra = {}
        small = []
        if o == gap:
            small.append("NOT COVERED")
            extra = {"color": OKABE_ITO["vermillion"], "penwidth": "2.5", "style": "filled,dashed"}
        if a in notes:
            small.append(notes[a])
        area_node(scene, s.area(a), *small, cluster=o, **extra)
        if o is not None:
            scene.ranks.setdefault(f"{side[o]}-areas", []).append(scene.where[a])
    if gap in weights:
        scene.clusters[gap] = Cluster(
            label="<<B>Not covered by any partnership</B>>",
            attrs={"style": "dashed", "color": OKABE_ITO["vermillion"], "penwidth": "2"},
            order="~",
        )

    def link(p: str, a: str, kind: RelationKind, **extra: str) -> None:
        attrs = _edge_attrs(kind, **extra)
        if side.get(owner.get(a, ""), "R") == "L":
            # Left half: the area sits left of its partnership, so the edge is written backwards.
            scene.edge(a, p, kind.value, **_backwards(attrs))
        else:
            scene.edge(p, a, kind.value, **attrs)

    for a in area_ids:
        for p in sorted(covers.get(a, ())):
            link(p, a, R.covers)
        for parent in s.parents(a):
            if parent in area_ids and (a in units or a in covers or a in notes):
                scene.edge(a, parent, "within", **_edge_attrs(R.within, constraint="false"))
    for p, a in sorted(discharges):
        link(p, a, R.discharges)
    if legend:
        edges = [R.covers] + ([R.discharges] if discharges else []) + [R.within]
        _legend(scene, sorted(set(styles), key=_style_order) + [AREA_STYLE], edges)
    return scene


def units_and_parts(s: Structure) -> list[str]:
    """The part areas of a structure (already cut to a date), sorted."""
    return sorted(a.id for a in s.areas() if a.kind == AreaKind.part)


def parts_that_matter(s: Structure, on: dt.date, parts: Iterable[str],
                      covers: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Parts of areas worth drawing, each with a line saying why.

    A part matters when a partnership other than its parent area's covers it,
    or when it came from another area than the one it now lies in (wards
    moving council: the Tilehurst wards from West Berkshire to Reading). Parts
    a partnership covers directly (``covers``) are drawn anyway, with the line.
    """
    covers = covers or {}
    made_from: dict[str, list[str]] = {}
    for ev in sorted(s.events.values(), key=lambda e: (e.date, e.id)):
        if ev.date > on:
            continue
        if ev.kind == "split_area":
            for p in ev.successors:
                made_from[p] = list(ev.predecessors)
        elif ev.kind == "move_area":
            for p in ev.areas:
                made_from[p] = list(ev.predecessors)
    out: dict[str, str] = {}
    for p in parts:
        parents = s.parents(p)
        home = {x for par in parents for x in (par, *s.ancestors(par))}
        came = [o for o in made_from.get(p, ()) if o not in home]
        mine = sorted(x.id for x in s.covering(p))
        theirs = sorted({x.id for par in parents for x in s.covering(par)})
        if not (came or mine != theirs or p in covers):
            continue
        where = ", ".join(s.area(x).name for x in parents if x in s) or "no area"
        line = f"part of {where}"
        # An area that has ended is not in a structure cut to the date: its name is not known here.
        names = [rec.name for o in came if (rec := s.get(o)) is not None]
        if names:
            line += f", from {', '.join(names)}"
        out[p] = line
    return out


def membership(s: Structure, on: dt.date, focus: Focus | None = None, legend: bool = True) -> Scene:
    """Agencies and councils, and the partnerships they are members of or sit on.

    The hierarchy's layout with every membership drawn (co-opted ones
    labelled) and reporting lines left out.
    """
    return hierarchy(s, on, focus, legend=legend, memberships=True)


_BUILDERS = {"hierarchy": hierarchy, "coverage": coverage, "membership": membership}


def build(s: Structure, view: str, on: dt.date, focus: str | None = None, legend: bool = True) -> Scene:
    """The scene of one view of a structure on a date, cut to a focus first.

    Raises
    ------
    RenderError
        An unknown view, or a focus that is not in the structure on that date.
    """
    if view not in _BUILDERS:
        raise RenderError(f"unknown view '{view}'", f"Use one of: {', '.join(VIEWS)}")
    f = focus_on(s, focus, on)
    # The hierarchy and membership views draw bodies (and the areas they relate to, for their
    # boxes) only: the focus's other areas (a force area's thousands of small areas) stay out.
    return _BUILDERS[view](cut(s, f, on, areas=view == "coverage"), on, f, legend=legend)
