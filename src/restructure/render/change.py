"""Change diagrams: the after structure, with what a restructure changes marked.

What changed comes from :func:`restructure.diff.changes`, the planners'
summary of two structures; :func:`changes` keeps what a diagram marks:

* **created** bodies: in force after, not before;
* **dissolved** bodies: in force before, not after (drawn where they were,
  dashed, so their seats and memberships can be seen ending);
* **moved** areas: a district or unitary whose CSP changes from one
  partnership to another;
* **seats moved**: a local area's board seat gained, lost or held by another body;
* **renamed** bodies: same id, new name;
* **lineage**: ``succeeded_by`` links from a dissolved body, drawn as arrows
  from predecessor to successor.

Every mark pairs a colour from the Okabe–Ito palette with a line style and a
text marker (``+ NEW``, ``× DISSOLVED``, ``⇄ MOVED``, ``⇄ SEAT MOVED``, ``+ SEAT``),
so nothing is told by colour alone. A seat is "moved" only when some body held
it before (the label says which); a seat for a new local area is "+ SEAT … (new
local area)".

Dissolved bodies that served a local area which ended (a county council
abolished with its county) are drawn in the centre under a heading naming that
area ("served Oxfordshire (ended)"), not among the bodies serving
several local areas.

:func:`before_scene` draws the before structure with the same focus as the
change diagram, so the two pages of the board pack correspond.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import Area, Body, Relation, RelationKind
from ..structure import Structure
from ..text import short
from .scene import Cluster, Row, Scene, Stack, port
from .style import CHANGE_MARKERS, CHANGE_STYLES, EDGE_STYLES, node_name, text, tip, wrap
from .views import RANKS, Focus, _legend, _style_order, focus_on, hierarchy, homes, local_area_index, rank_of

__all__ = [
    "ChangeMarks",
    "changes",
    "dates_for",
    "change_scene",
    "before_scene",
    "change_focus",
    "ChangeFocus",
    "describe",
    "AUTO",
    "ALL",
    "Panel",
    "phase_panels",
    "transition_panels",
    "panel_paths",
]

AUTO = "auto"
"""Focus of a change diagram on the local areas that change (the default)."""
ALL = "all"
"""Focus of a change diagram on everything: the whole structure."""
ONE_SIDE_AREAS = 2
"""Up to this many local areas, a focused change diagram draws them all left of the centre."""

R = RelationKind
GAP_COLOUR = "#D55E00"
"""An area without a Board seat or a Duty partnership on a phase panel (Okabe-Ito vermillion)."""


@dataclass
class ChangeMarks:
    """The marks a change diagram draws: bodies created, dissolved, renamed; areas and seats moved; lineage.

    Read off the planners' summary (:class:`restructure.diff.Changes`), each list sorted.
    """

    before_on: dt.date
    on: dt.date
    created: list[str] = field(default_factory=list)
    """Bodies in force after but not before."""
    dissolved: list[str] = field(default_factory=list)
    """Bodies in force before but not after."""
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    """(body id, old name, new name)."""
    moved_areas: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    """(area id, covering partnerships before, after)."""
    seats_moved: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    """(local area id, seat holders before, after)."""
    lineage: list[tuple[str, str]] = field(default_factory=list)
    """(predecessor, successor) bodies."""

    def __bool__(self) -> bool:
        return bool(self.created or self.dissolved or self.renamed or self.moved_areas or self.seats_moved)


def dates_for(before: Structure, after: Structure, on: dt.date | None = None,
              before_on: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The dates to compare: ``after`` on its last change date (or today), ``before`` today.

    ``before_on`` never falls after ``on``.
    """
    today = dt.date.today()
    if on is None:
        dates = after.dates()
        on = max(dates[-1], today) if dates else today
    if before_on is None:
        before_on = min(today, on)
    return on, before_on


def changes(before: Structure, after: Structure, on: dt.date, before_on: dt.date) -> ChangeMarks:
    """The marks to draw for what changed from ``before`` (on ``before_on``) to ``after`` (on ``on``).

    Built on :func:`restructure.diff.changes` (the planners' summary), keeping
    what a diagram marks.
    """
    from ..diff import changes as summarise

    c = summarise(before, after, before_on, on, findings=False)
    out = ChangeMarks(before_on=before_on, on=on)
    out.created = [e.id for e in c.created]
    out.dissolved = [e.id for e in c.dissolved]
    out.renamed = [(e.id, e.before, e.after) for e in c.renamed]
    out.moved_areas = [
        (e.area, tuple(e.csp.before), tuple(e.csp.after))
        for e in c.coverage
        if e.csp.before != e.csp.after and e.csp.before and e.csp.after
    ]
    out.seats_moved = [
        (e.area, tuple(e.before), tuple(e.after))
        for e in c.seats
        if e.area and e.change in ("gained", "lost", "moved")
    ]
    out.lineage = sorted({(e.id, succ) for e in c.dissolved for succ in e.successors})
    out.moved_areas = sorted(out.moved_areas + _moved_parts(before, after, on, before_on, out))
    return out


def _moved_parts(before: Structure, after: Structure, on: dt.date, before_on: dt.date,
                 ch: ChangeMarks) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """Parts of areas made by a change (wards leaving a council) that end up under another CSP than
    the rest of the area they came from. The summary compares districts and unitaries only; a
    boundary change below them shows here."""
    b, a = before.as_of(before_on), after.as_of(on)
    known = {m[0] for m in ch.moved_areas}
    out = []
    for ev in sorted(after.events.values(), key=lambda e: (e.date, e.id)):
        if not before_on < ev.date <= on:
            continue
        for part in ev.successors:
            if part in known or part in b or not isinstance(a.get(part), Area):
                continue
            origins = [p for p in ev.predecessors if isinstance(b.get(p), Area)]
            was = tuple(sorted({x.id for o in origins for x in b.covering(o)}))
            now = tuple(x.id for x in a.covering(part))
            rest = tuple(sorted({x.id for o in origins if o in a for x in a.covering(o)}))
            if was and now and now != was and now != rest:
                out.append((part, was, now))
                known.add(part)
    return out


def _merged(b: Structure, a: Structure, dissolved: list[str]) -> Structure:
    """The after structure plus the dissolved bodies and their relations as they stood before."""
    m = a.copy()
    for i in dissolved:
        m.add(b.body(i))
    for i in dissolved:
        for rel in [*b.relations(source=i), *b.relations(target=i)]:
            if rel.source in m and rel.target in m and (rel.area is None or rel.area in m):
                if not _has(m, rel):
                    m.add(rel)
    return m


def _has(s: Structure, rel: Relation) -> bool:
    return any(r.key == rel.key for r in s.relations(rel.kind, source=rel.source, target=rel.target))


@dataclass
class ChangeFocus:
    """What a change diagram draws: the bodies kept, and the local areas left out as unchanged."""

    focus: Focus
    """The bodies to draw (``Focus()``: all of them)."""
    left_out: list[str] = field(default_factory=list)
    """Names of the upper-tier local areas not drawn because nothing in them changes, sorted."""
    touched: set[str] | None = None
    """Ids of the upper-tier local areas (before or after) that contain a change (``None``: all)."""


def change_focus(before: Structure, after: Structure, merged: Structure, ch: ChangeMarks,
                 focus: str | None = AUTO) -> ChangeFocus:
    """The part of a change diagram to draw.

    Parameters
    ----------
    before, after : Structure
        Both already cut to their dates (``as_of``).
    merged : Structure
        The after structure plus the dissolved bodies, as the diagram draws it.
    ch : ChangeMarks
    focus : str, optional
        ``"auto"`` (or ``None``): only the upper-tier local areas, before or after, that contain
        a change, plus the centre (oversight, the Strategy Board and bodies serving several
        local areas). ``"all"``: everything. Otherwise an area or body id: its neighbourhood (see
        :func:`restructure.render.views.focus_on`).

    Raises
    ------
    RenderError
        An id that is neither an area nor a body in the diagram.
    """
    if focus == ALL:
        return ChangeFocus(Focus())
    if isinstance(focus, frozenset):
        touched = set(focus)  # the local areas a whole transition touches: every panel draws the same
        return _keep(before, after, merged, touched) if touched else ChangeFocus(Focus())
    if focus not in (None, AUTO):
        return ChangeFocus(focus_on(merged, focus))
    bodies = {*ch.created, *ch.dissolved, *(i for i, _, _ in ch.renamed), *(p for pair in ch.lineage for p in pair)}
    areas: set[str] = set()
    for area, was, now in [*ch.moved_areas, *ch.seats_moved]:
        areas.add(area)
        bodies.update(was)
        bodies.update(now)
    touched: set[str] = set()
    for s in (before, after, merged):
        touched.update(h for h in homes(s, sorted(b for b in bodies if b in s)).values() if h)
        touched.update(local_area_index(s, sorted(a for a in areas if a in s)).values())
    if not touched:  # nothing local changes: the whole structure is the picture
        return ChangeFocus(Focus())
    return _keep(before, after, merged, touched)


def _keep(before: Structure, after: Structure, merged: Structure, touched: set[str]) -> ChangeFocus:
    """Draw the local areas ``touched`` and the centre; name the other local areas as left out."""
    everyone = sorted(b.id for b in merged.bodies())
    home = homes(merged, everyone)
    top = {"oversight", "strategic"}
    keep = {b for b in everyone if home[b] is None or home[b] in touched or rank_of(merged.body(b)) in top}
    names = {a.id: a.name for s in (before, after) for a in s.local_areas()}
    left_out = sorted((names[i] for i in names if i not in touched), key=lambda n: (n.casefold(), n))
    return ChangeFocus(Focus(keep, None), left_out, touched)


def _left_out_line(left_out: list[str]) -> str:
    """The title line naming the local areas not drawn, wrapped so it never sets the page width."""
    n = len(left_out)
    head = f"{n} local area{'s' if n != 1 else ''} unchanged: not drawn ("
    lines = wrap(head + ", ".join(short(x) for x in left_out) + ")", 110, limit=None)
    return "<BR/>".join(text(x) for x in lines)


def _ended_homes(b: Structure, a: Structure, dissolved: list[str]) -> dict[str, str]:
    """For each dissolved body whose one local area has ended, a line naming that area.

    Such a body has no area left in the after structure, so it would otherwise be drawn
    among the bodies serving several local areas.
    """
    ended = {x.id for x in b.local_areas() if x.id not in a}
    out = {}
    for body, home in homes(b, sorted(dissolved)).items():
        if home in ended:
            # Short, so the row stays one line: the DISSOLVED marker already gives the date.
            out[body] = f"served {b.area(home).name} (ended)"
    return out


def change_scene(before: Structure, after: Structure, on: dt.date, before_on: dt.date,
                 legend: bool = True, focus: str | None = AUTO, after_label: str | None = None) -> Scene:
    """The after structure's hierarchy on ``on``, with the changes since ``before`` marked.

    ``focus`` picks what is drawn (see :func:`change_focus`): by default only the local
    areas that change, with a title line naming those left out. ``after_label`` titles the
    diagram (default: the after structure's name); a scenario's result keeps its base's
    name, so callers drawing one pass the scenario's name.
    """
    ch = changes(before, after, on, before_on)
    b = before.as_of(before_on)
    a = after.as_of(on)
    m = _merged(b, a, ch.dissolved)
    cf = change_focus(b, a, m, ch, focus)
    focused = cf.focus.bodies is not None
    drawn = {h for h in homes(m, sorted(cf.focus.bodies)).values() if h} if focused else set()
    # Focused on a few local areas, the centre column is the tallest: the areas go on one side
    # of it and its agencies into one table, so the page is not twice as wide as it need be.
    scene = hierarchy(m, on, focus=cf.focus, legend=False, centre_table=focused,
                      one_side=focused and len(drawn) <= ONE_SIDE_AREAS,
                      centre_groups=_ended_homes(b, a, ch.dissolved))
    sub = f"changes from {before_on.isoformat()} to {on.isoformat()}"
    if after_label and after_label != after.name:
        # A scenario's result: say what it was applied to.
        if before.name:
            sub += f", applied to {before.name}"
    elif before.name and before.name != after.name:
        sub += f" ({before.name} to {after.name})"
    if cf.focus.what:
        sub += f", around {cf.focus.what}"
    scene.title = (
        "<<B>" + text(short(after_label or after.name or "After")) + "</B><BR/>"
        + f'<FONT POINT-SIZE="11">{text(sub)}</FONT>'
        + (f'<BR/><FONT POINT-SIZE="11"><I>{_left_out_line(cf.left_out)}</I></FONT>' if cf.left_out else "")
        + ">"
    )
    used: list[str] = []
    st = CHANGE_STYLES
    for i in [x for x in ch.created if x in scene.where]:
        scene.mark(i, CHANGE_MARKERS["created"], st["created"].border, bold=True)
        used.append("created")
    for i in [x for x in ch.dissolved if x in scene.where]:
        end = after.get(i).end if isinstance(after.get(i), Body) else None
        marker = CHANGE_MARKERS["dissolved"] + (f" {end.isoformat()}" if end else "")
        scene.mark(i, marker, st["dissolved"].border, dashed=True, fill=st["dissolved"].fill)
        used.append("dissolved")
    gone = {scene.where[i] for i in ch.dissolved if i in scene.where}
    for key, attrs in scene.edges.items():
        if key[0] in gone or key[1] in gone:
            attrs.update(style="dashed", color="#AAAAAA")
    _moved_areas(scene, a, b, ch)
    if ch.moved_areas:
        used.append("moved")
    for area, was, now in ch.seats_moved:
        if area not in a:
            continue
        area_name = a.area(area).name
        if was:
            # Moved only when someone held it before: say who.
            mark = "seat"
            words = f"{CHANGE_MARKERS['seat']}: {area_name} (was {', '.join(b.body(x).name for x in was)})"
        else:
            mark = "seat_gained"
            why = "new local area" if area not in b else "no seat before"
            words = f"{CHANGE_MARKERS['seat_gained']}: {area_name} ({why})"
        for holder in now:
            for key, attrs in scene.edges.items():
                ends = {key[0], key[1]}
                if key[2] == "seat" and scene.where.get(holder) in ends:
                    attrs.update(label=tip(words), penwidth="4", fontcolor=st[mark].border)
        if now:
            used.append(mark)
    # Lineage thin and grey: context for the marks, not the picture's main lines.
    lineage_attrs = {
        "color": EDGE_STYLES[R.succeeded_by].color,
        "style": EDGE_STYLES[R.succeeded_by].style,
        "penwidth": EDGE_STYLES[R.succeeded_by].penwidth,
        "arrowhead": EDGE_STYLES[R.succeeded_by].arrowhead,
        "arrowsize": "0.6",
        "constraint": "false",  # lineage must not pull the chart out of its tiers
        "tooltip": tip("succeeded by"),
    }
    for pred, succ in ch.lineage:
        if pred in scene.where and succ in scene.where:
            scene.edge(pred, succ, "succeeded_by", **lineage_attrs)
    if legend:
        bodies = [x for x in m.bodies() if cf.focus.has_body(x.id)]
        from .style import node_style

        styles = sorted({node_style(x.kind, x.tier) for x in bodies}, key=_style_order)
        edges = [R.seat, R.accountable_to, R.member_of] + ([R.covers] if ch.moved_areas else [])
        edges += [R.succeeded_by] if ch.lineage else []
        _legend(scene, styles, edges,
                [k for k in ("created", "dissolved", "moved", "seat", "seat_gained") if k in used])
        if scene.spare_rank:
            scene.ranks.setdefault(scene.spare_rank, []).append("key")
    return scene


def before_scene(before: Structure, after: Structure, on: dt.date, before_on: dt.date,
                 legend: bool = True, focus: str | None = AUTO, before_label: str | None = None) -> Scene:
    """The before structure's hierarchy on ``before_on``, drawn with the change diagram's focus.

    With the default focus the same local areas are drawn as in :func:`change_scene` (those
    that change, as they stood before), with the same title line naming those left out, so a
    reader can lay the two pictures side by side. ``"all"`` draws everything; an area or body
    id its neighbourhood (everything when the id is not in the before structure).
    """
    from ..errors import RenderError

    ch = changes(before, after, on, before_on)
    b = before.as_of(before_on)
    a = after.as_of(on)
    m = _merged(b, a, ch.dissolved)
    cf = change_focus(b, a, m, ch, focus)
    what = Focus()
    if focus not in (None, AUTO, ALL) and not isinstance(focus, frozenset):
        try:
            what = focus_on(b, focus)
        except RenderError:
            what = Focus()  # the id is new: the whole before structure is the picture
    elif cf.touched is not None:
        everyone = sorted(x.id for x in b.bodies())
        home = homes(b, everyone)
        top = {"oversight", "strategic"}
        keep = {x for x in everyone if home[x] is None or home[x] in cf.touched or rank_of(b.body(x)) in top}
        what = Focus(keep, None)
    focused = what.bodies is not None
    drawn = {h for h in homes(b, sorted(what.bodies)).values() if h} if focused else set()
    scene = hierarchy(b, before_on, focus=what, legend=legend, centre_table=focused,
                      one_side=focused and len(drawn) <= ONE_SIDE_AREAS)
    sub = f"hierarchy view, as of {before_on.isoformat()}, before the change"
    if what.what:
        sub += f", around {what.what}"
    left_out = cf.left_out if cf.touched is not None and (focus in (None, AUTO) or isinstance(focus, frozenset)) else []
    scene.title = (
        "<<B>" + text(short(before_label or before.name or "Before")) + "</B><BR/>"
        + f'<FONT POINT-SIZE="11">{text(sub)}</FONT>'
        + (f'<BR/><FONT POINT-SIZE="11"><I>{_left_out_line(left_out)}</I></FONT>' if left_out else "")
        + ">"
    )
    return scene


def _moved_areas(scene: Scene, a: Structure, b: Structure, ch: ChangeMarks) -> None:
    """Moved areas as one table per partnership taking them on, a row (and port) per area."""
    st = CHANGE_STYLES["moved"]
    cover = EDGE_STYLES[R.covers]
    attrs = {"color": cover.color, "style": cover.style, "penwidth": cover.penwidth, "arrowhead": "none"}

    def link(p: str, target: str) -> None:
        side = next((r for r, names in scene.ranks.items() if scene.where[p] in names), "")
        if side.startswith("L-"):
            # On the left the areas sit left of their partnership: written backwards.
            scene.edge(target, p, "covers", dir="back", **attrs)
        else:
            scene.edge(p, target, "covers", **attrs)

    stacks: dict[str, str] = {}
    for area, was, now in ch.moved_areas:
        if area not in a:
            continue
        owner = next((p for p in now if p in scene.where), None)
        if owner is None:
            continue
        rec = a.area(area)
        old = ", ".join(b.body(x).name for x in was) or "no partnership"
        stack = node_name("m", owner)
        scene.row(
            stack,
            "areas it now covers",
            area,
            Row(rec.name, (f"{rec.kind.value.replace('_', ' ')} {rec.gss or rec.id}", f"was: {old}"),
                st.fill, st.border, marker=CHANGE_MARKERS["moved"], marker_color=st.border, bold=True),
            cluster=scene.node_cluster.get(scene.where[owner]),
        )
        if owner not in stacks:
            stacks[owner] = stack
            link(owner, stack)
        for p in now:
            if p != owner and p in scene.where:
                link(p, area)


def describe(before: Structure, after: Structure, ch: ChangeMarks) -> list[str]:
    """The changes in words, one sentence each, in a fixed order."""
    b = before.as_of(ch.before_on)
    a = after.as_of(ch.on)

    def name(s: Structure, i: str) -> str:
        rec = s.get(i) or after.get(i) or before.get(i)
        return rec.name if rec is not None else i

    def names(s: Structure, ids) -> str:
        return ", ".join(name(s, i) for i in ids) or "none"

    lines = []
    for i in ch.created:
        body = a.body(i)
        kind = body.kind.value.replace("_", " ")
        tier = rank_word(body)
        lines.append(f"New: {body.name} ({kind}{'' if tier == 'agency or council' else ', ' + tier}).")
    for i in ch.dissolved:
        succ = [s for p, s in ch.lineage if p == i]
        tail = f", succeeded by {names(a, succ)}" if succ else ""
        lines.append(f"Dissolved: {name(b, i)}{tail}.")
    for _id, old, new in ch.renamed:
        lines.append(f"Renamed: {old} is now {new}.")
    for area, was, now in ch.moved_areas:
        lines.append(f"Area moved: {name(a, area)} from {names(b, was)} to {names(a, now)}.")
    for area, was, now in ch.seats_moved:
        lines.append(f"Board seat for {name(a, area)}: from {names(b, was)} to {names(a, now)}.")
    return lines


def rank_word(body: Body) -> str:
    """The tier of a body in words (``local partnership``)."""
    words = dict(zip(RANKS, ("agency or council", "operational", "local partnership", "strategic", "oversight"),
                     strict=True))
    return words[rank_of(body)]


@dataclass
class Panel:
    """One panel of a transition drawn phase by phase: the state on one date, changes since the last marked."""

    on: dt.date
    since: dt.date
    title: str
    """What the panel shows (the phase's name, or "Before")."""
    scene: Scene
    gaps: list[str] = field(default_factory=list)
    """The findings about areas without a seat or a Duty partnership in force that day, in words."""


def phase_panels(base: Structure, structure: Structure, phases, findings=(), *, label: str | None = None,
                 focus: str | None = AUTO) -> list[Panel]:
    """The transition phase by phase: a change diagram per effective date.

    Panel 0 is the base the day before the first phase; panel *i* is the dated ``structure``
    on the *i*-th effective date with what changed since the one before marked. Areas that
    lack a Board seat (REP001) or a Duty partnership (SVD001) that day are outlined in
    vermillion and named in the panel's title, with the rule's words.

    Parameters
    ----------
    base, structure : Structure
        The structure before the scenario, and the scenario's dated result.
    phases : sequence of (name, date, description)
        The phases; several on one date share a panel.
    findings : iterable of Finding
        The checks' timeline (``Report.findings``).
    label : str, optional
        The option's name, in each panel's title.
    focus : str, optional
        As for :func:`change_scene`.

    Returns
    -------
    list of Panel
    """
    from ..appraisal import plain
    from ..errors import RenderError

    by_date: dict[dt.date, list[str]] = {}
    for name, date, _ in phases:
        by_date.setdefault(date, []).append(name)
    dates = sorted(by_date)
    if not dates:
        return []
    first = dates[0] - dt.timedelta(days=1)
    if focus in (None, AUTO):
        # The local areas the whole transition touches, drawn on every panel: the same boxes in the
        # same order on each page, so the reader can follow one body from panel to panel.
        b, a = base.as_of(first), structure.as_of(dates[-1])
        ch = changes(base, structure, dates[-1], first)
        touched = change_focus(b, a, _merged(b, a, ch.dissolved), ch, AUTO).touched
        focus = frozenset(touched) if touched else ALL
    panels = [Panel(first, first, "Before", before_scene(base, structure, dates[-1], first, focus=focus,
                                                         before_label=f"{label or structure.name}: before"))]
    previous = first
    for on in dates:
        title = ", ".join(by_date[on])
        try:
            scene = change_scene(structure, structure, on, previous, focus=focus,
                                 after_label=f"{label or structure.name}: {title}")
        except RenderError:
            scene = change_scene(structure, structure, on, previous, focus=ALL,
                                 after_label=f"{label or structure.name}: {title}")
        gaps = []
        for f in findings:
            if f.code not in ("REP001", "SVD001") or f.date is None:
                continue
            if f.date <= on and (f.until is None or f.until > on):
                gaps.append(plain(f.message))
                for area in f.areas:
                    cl = scene.clusters.get(area)
                    if cl is not None:
                        cl.attrs.update(color=GAP_COLOUR, penwidth="3.5", style="rounded,bold")
                        word = "NO BOARD SEAT" if f.code == "REP001" else "NO DUTY PARTNERSHIP"
                        cl.label = cl.label[:-1] + f'<BR/><FONT COLOR="{GAP_COLOUR}"><B>⚠ {word}</B></FONT>>'
        if gaps:
            lines = "".join(f'<BR/><FONT POINT-SIZE="11" COLOR="{GAP_COLOUR}"><B>⚠ {text(g)}</B></FONT>'
                            for g in sorted(set(gaps)))
            scene.title = scene.title[:-1] + lines + ">"
        panels.append(Panel(on, previous, title, scene, sorted(set(gaps))))
        previous = on
    _same_places([p.scene for p in panels], dissolved=sorted({i for p in panels[1:] for i in _dissolved_on(p)}))
    return panels


def _dissolved_on(panel: Panel) -> list[str]:
    """The bodies a panel marks as dissolved."""
    out = []
    for stack in panel.scene.stacks.values():
        out += [i for i, r in stack.rows.items() if r.marker and r.marker.startswith(CHANGE_MARKERS["dissolved"])]
    for i, place in panel.scene.where.items():
        attrs = panel.scene.nodes.get(place)
        if attrs and CHANGE_MARKERS["dissolved"] in attrs.get("label", "") and i in panel.scene.parts:
            out.append(i)
    return out


HIDDEN = "#FFFFFF"
"""Ink for what a panel keeps a place for but does not show (white on the white page)."""
DISSOLVED_CLUSTER = "zz_dissolved"


def _same_places(scenes: list[Scene], dissolved: list[str]) -> None:
    """Give every panel the same graph, so Graphviz puts the same body in the same place on each.

    Each scene gets the union of all panels' nodes, stack rows, clusters, ranks and edges, in the
    same order; what is not in force on a panel's date is kept in white (rows, cluster lines) or
    invisible (nodes, edges, clusters), and every text that differs between panels (a row's marker,
    an area's gap line, the title's finding lines, the key) takes the same room on each. The
    bodies dissolved on any panel are drawn on every panel in one box at the side, "Dissolved".
    """
    if len(scenes) < 2:
        return
    for sc in scenes:
        _set_apart(sc, dissolved)
    # Rows: the union, each with the widest marker any panel gives it.
    rows: dict[tuple[str, str], Row] = {}
    markers: dict[tuple[str, str], str] = {}
    heads: dict[str, tuple[str | None, int]] = {}
    for sc in scenes:
        for key, st in sc.stacks.items():
            if key not in heads or len(st.heading or "") > len(heads[key][0] or ""):
                heads[key] = (st.heading, st.columns)
            for i, r in st.rows.items():
                rows.setdefault((key, i), r)
                if r.marker and len(r.marker) > len(markers.get((key, i), "")):
                    markers[key, i] = r.marker
    smalls: dict[tuple[str, str], list[str]] = {}
    for sc in scenes:
        for key, st in sc.stacks.items():
            for i, r in st.rows.items():
                have = smalls.setdefault((key, i), [])
                have += [x for x in r.small if x not in have]
    nodes: dict[str, dict[str, str]] = {}
    for sc in scenes:
        for n, attrs in sc.nodes.items():
            nodes.setdefault(n, dict(attrs))
    key_label = max((sc.nodes["key"]["label"] for sc in scenes if "key" in sc.nodes), key=len, default=None)
    node_markers: dict[str, str] = {}
    for sc in scenes:
        for i, place in sc.where.items():
            if place in sc.nodes and i in sc.parts:
                m = _node_marker(sc.nodes[place].get("label", ""))
                if m and len(m) > len(node_markers.get(place, "")):
                    node_markers[place] = m
    gap_lines: dict[str, list[str]] = {}
    title_lines: list[str] = []
    seat_lines: dict[int, list[tuple[str, str]]] = {}
    for n, sc in enumerate(scenes):
        for attrs in sc.edges.values():
            if "label" in attrs:
                # An edge label is laid out as a node of its own, so a label on one panel would move
                # the bodies on it: the words go into the title instead, the edge stays thick.
                words = _unescape(attrs.pop("label")).replace("\\\\", "\\")
                seat_lines.setdefault(n, []).append((f"<B>{text(words)}</B>", attrs.get("fontcolor", "#000000")))
    seat_keys = sorted({k for lines in seat_lines.values() for k, _ in lines})
    for sc in scenes:
        for k, cl in sc.clusters.items():
            lines = gap_lines.setdefault(k, [])
            lines += [x for x in _gap_lines(cl.label) if x not in lines]
        for line in _gap_lines(sc.title):
            if line not in title_lines:
                title_lines.append(line)
    clusters = {}
    node_cluster = {}
    ranks: dict[str, list[str]] = {}
    edges: dict = {}
    order: list[str] = []
    # Each node on one rank: the last panel's (the structure at the end), else the latest that has it;
    # the sides of the chart can differ between panels, and a node on two ranks would join them.
    last_edges = set(scenes[-1].edges)
    rank_of_node: dict[str, str] = {}
    for sc in reversed(scenes):
        for r, names in sorted(sc.ranks.items()):
            for x in names:
                rank_of_node.setdefault(x, r)
    for x, r in rank_of_node.items():
        ranks.setdefault(r, []).append(x)
    for sc in scenes:
        for k, cl in sc.clusters.items():
            clusters.setdefault(k, cl)
        for n, c in sc.node_cluster.items():
            node_cluster.setdefault(n, c)
        for e, attrs in sc.edges.items():
            edges.setdefault(e, attrs)
        order += [r for r in sc.rank_order if r not in order]
    for sc in scenes:
        for (key, i), r in rows.items():
            st = sc.stacks.get(key)
            if st is None:
                st = sc.stacks[key] = Stack(heads[key][0], columns=heads[key][1])
            if i not in st.rows:
                st.rows[i] = Row(r.name, r.small, HIDDEN, HIDDEN, "\u00a0" if (key, i) in markers else None, HIDDEN,
                                 hidden=True)
                sc.where.setdefault(i, f"{key}:{port(i)}")
            st.rows[i].room = tuple(smalls.get((key, i), ()))
            if (key, i) in markers and st.rows[i].marker != markers[key, i]:
                if st.rows[i].marker:  # a shorter marker: pad it to the same width
                    st.rows[i].marker = st.rows[i].marker.ljust(len(markers[key, i]), "\u2007")
                else:  # the marker line's height, without its words (not on this panel's date)
                    st.rows[i].marker, st.rows[i].marker_color = "\u00a0", st.rows[i].fill
        for key, (heading, _) in heads.items():
            sc.stacks[key].heading = heading  # the longest heading, so the stack is as wide on every panel
        for n, attrs in nodes.items():
            if n not in sc.nodes:
                sc.nodes[n] = {**attrs, "style": "invis"}
        for place in node_markers:
            attrs = sc.nodes[place]
            if _node_marker(attrs.get("label", "")) is None and "label" in attrs and attrs["label"].startswith("<"):
                attrs["label"] = (f'<<FONT POINT-SIZE="9" COLOR="{attrs.get("fillcolor", HIDDEN)}"><B>&#160;</B>'
                                  f"</FONT><BR/>{attrs['label'][1:]}")
        if key_label is not None and "key" in sc.nodes:
            sc.nodes["key"]["label"] = key_label
        for k, cl in clusters.items():
            if k not in sc.clusters:
                sc.clusters[k] = Cluster(cl.label, {**cl.attrs, "style": "invis"}, cl.order)
            have = _gap_lines(sc.clusters[k].label)
            missing = [x for x in gap_lines.get(k, []) if x not in have]
            if missing:
                sc.clusters[k].label = sc.clusters[k].label[:-1] + "".join(_white(x) for x in missing) + ">"
        for n, c in node_cluster.items():
            sc.node_cluster.setdefault(n, c)
        for r, names in ranks.items():
            sc.ranks[r] = list(names)
        sc.rank_order = tuple(order)
        for e, attrs in edges.items():
            if e not in sc.edges:
                sc.edges[e] = {k: v for k, v in attrs.items() if k not in ("arrowhead", "arrowtail", "dir")}
                sc.edges[e]["style"] = "invis"
            if e not in last_edges:
                # Only the end state's edges shape the layout: an earlier panel's edge, written the
                # other way round for a body on the other side that day, would fold the chart.
                sc.edges[e]["constraint"] = "false"
        have = _gap_lines(sc.title)
        missing = [x for x in title_lines if x not in have]
        colours = dict(seat_lines.get(scenes.index(sc), []))
        seats = "".join(f'<BR/><FONT POINT-SIZE="11" COLOR="{colours[k]}">{k}</FONT>' if k in colours
                        else _white('POINT-SIZE="11"') for k in seat_keys)
        sc.title = sc.title[:-1] + "".join(_white(x) for x in missing) + seats + ">"


def _set_apart(sc: Scene, dissolved: list[str]) -> None:
    """Move the ``dissolved`` bodies a scene draws into one stack in a cluster of their own."""
    stack = "dissolved"
    moved = {}
    for i in dissolved:
        place = sc.where.get(i)
        if place is None:
            continue
        old, _, _ = place.partition(":")
        if old in sc.stacks and i in sc.stacks[old].rows:
            r = sc.stacks[old].rows.pop(i)
            if not sc.stacks[old].rows:
                del sc.stacks[old]
                sc.nodes.pop(old, None)
                sc.node_cluster.pop(old, None)
                for names in sc.ranks.values():
                    if old in names:
                        names.remove(old)
            sc.row(stack, None, i, r, cluster=DISSOLVED_CLUSTER)
            moved[place] = sc.where[i]
        elif place in sc.nodes:
            sc.node_cluster[place] = DISSOLVED_CLUSTER
    if moved or any(c == DISSOLVED_CLUSTER for c in sc.node_cluster.values()):
        sc.clusters[DISSOLVED_CLUSTER] = Cluster(
            '<<B>Dissolved</B><BR/><FONT POINT-SIZE="9">bodies that end during the transition</FONT>>',
            {"style": "rounded,dashed", "color": "#AAAAAA"}, order="~")
    if moved:
        sc.edges = {(moved.get(t, t), moved.get(h, h), k): a for (t, h, k), a in sc.edges.items()}


def _node_marker(label: str) -> str | None:
    """The marker line of a node label made by :func:`restructure.render.style.label`, if any."""
    import re

    m = re.match(r'<<FONT POINT-SIZE="9" COLOR="[^"]*"><B>(.*?)</B></FONT><BR/>', label)
    return _unescape(m.group(1)) if m else None


def _unescape(s: str) -> str:
    import html

    return html.unescape(s)


def _gap_lines(label: str) -> list[str]:
    """The warning lines (``⚠ …``) of a title or cluster label, as written."""
    import re

    return re.findall(r'<BR/><FONT (?:POINT-SIZE="11" )?COLOR="' + GAP_COLOUR + r'"><B>⚠ .*?</B></FONT>', label)


def _white(line: str) -> str:
    """A warning line kept for its height but not shown: an empty line in the same font, so the
    words are not in the drawing's text (a search or a screen reader never finds them there)."""
    size = ' POINT-SIZE="11"' if 'POINT-SIZE="11"' in line else ""
    return f'<BR/><FONT{size} COLOR="{HIDDEN}"><B>&#160;</B></FONT>'


def transition_panels(before: Structure, after: Structure, *, focus: str | None = AUTO,
                      label: str | None = None) -> list[Panel]:
    """The change from ``before`` to a dated ``after``, phase by phase, without a scenario at hand.

    The phase dates are the dates on which ``after`` changes and ``before`` does not (a scenario's
    result keeps its base's history); each is checked, with the day before, for the gap marks.

    Examples
    --------
    >>> from restructure.baseline import SCENARIOS, load_baseline
    >>> from restructure.refs import load_structure
    >>> panels = transition_panels(load_baseline(), load_structure(str(SCENARIOS / "oxfordshire" / "two-unitaries.yaml")))
    >>> [(p.on.isoformat(), p.gaps) for p in panels]  # doctest: +NORMALIZE_WHITESPACE
    [('2027-05-05', []), ('2027-05-06', []), ('2028-04-01', ['Ridgeway has no seat on VPP Strategy Board']),
     ('2028-10-01', [])]
    """
    from ..checks import check_timeline

    dates = sorted(set(after.dates()) - set(before.dates()))
    if not dates:
        return []
    report = check_timeline(after, dates, base=before)
    phases = [(d.isoformat(), d, None) for d in dates]
    return phase_panels(before, after, phases, report.findings, label=label, focus=focus)


def panel_paths(output, panels: list[Panel]) -> list:
    """One file per panel beside ``output``: ``NAME-0-before.svg``, ``NAME-1-2027-05-06.svg``, …

    Examples
    --------
    >>> import datetime as dt
    >>> d = dt.date(2028, 4, 1)
    >>> [str(p) for p in panel_paths("out/phases.svg", [Panel(d, d, "Before", None), Panel(d, d, "x", None)])]
    ['out/phases-0-before.svg', 'out/phases-1-2028-04-01.svg']
    """
    from pathlib import Path

    out = Path(output)
    return [out.with_name(f"{out.stem}-{i}-{'before' if i == 0 else p.on.isoformat()}{out.suffix}")
            for i, p in enumerate(panels)]
