"""The planners' summary: what changes between two structures on two dates, in their terms."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model import Area, Body, Relation, RelationKind
from ..structure import Structure
from .patch import Diff

__all__ = ["Changes", "changes"]

R = RelationKind

# -- the semantic summary -----------------------------------------------------------------------


def _names(s: Structure, ids: Iterable[str]) -> list[dict[str, str]]:
    out = []
    for i in sorted(ids):
        rec = s.get(i)
        out.append({"id": i, "name": rec.name if rec is not None else i})
    return out


def _body_fields(b: Body) -> dict[str, Any]:
    d = b.model_dump(mode="json", exclude={"id", "name", "start", "end"})
    d["attributes"] = dict(sorted(d["attributes"].items()))
    return d


def _area_fields(a: Area) -> dict[str, Any]:
    return a.model_dump(mode="json", exclude={"id", "name", "start", "end"})


@dataclass(frozen=True)
class Changes:
    """What changed, in planners' terms, between ``a`` on one date and ``b`` on another.

    Every section is a list of plain dicts (JSON-ready), sorted by id. See
    ``docs/readme/diff.md`` for each entry's fields.
    """

    on_before: dt.date | None = None
    on_after: dt.date | None = None
    created: list[dict] = field(default_factory=list)
    """Bodies in force after but not before: ``{id, name, kind, predecessors}``."""
    dissolved: list[dict] = field(default_factory=list)
    """Bodies in force before but not after: ``{id, name, kind, how, successors}``."""
    renamed: list[dict] = field(default_factory=list)
    """``{id, before, after}`` (bodies)."""
    merged: list[dict] = field(default_factory=list)
    """``{into, name, bodies}``: ``bodies`` merged into ``into`` (which is among them if it survived)."""
    split: list[dict] = field(default_factory=list)
    """``{body, name, into}``."""
    bodies_changed: list[dict] = field(default_factory=list)
    """Continuing bodies whose other fields changed: ``{id, name, fields: {field: {before, after}}}``."""
    areas_created: list[dict] = field(default_factory=list)
    areas_ended: list[dict] = field(default_factory=list)
    areas_renamed: list[dict] = field(default_factory=list)
    areas_changed: list[dict] = field(default_factory=list)
    """Continuing areas whose kind, GSS code, note or parent changed."""
    coverage: list[dict] = field(default_factory=list)
    """Units whose CSP or Duty partnership changed: ``{area, name, csp: {before, after}, duty: {before, after}}``."""
    memberships: list[dict] = field(default_factory=list)
    """``{partnership, name, status, joined, left, role_changed}``."""
    seats: list[dict] = field(default_factory=list)
    """``{board, area, change, before, after}``; ``change`` is gained, lost, moved or role."""
    links: list[dict] = field(default_factory=list)
    """Footprints and reporting lines: ``{body, name, added: {kind: [ids]}, removed: {kind: [ids]}}``."""
    findings: dict | None = None
    """``{introduced: [...], resolved: [...]}`` from :func:`restructure.checks.run_state`; None if not run."""
    records_only: list[dict] = field(default_factory=list)
    """Bodies the patch touches with nothing different in force on the two dates compared (a body
    in force only between them, a relation re-dated or annotated): ``{id, name, note}``."""
    names: dict[str, str] = field(default_factory=dict)
    """Id -> name of every body and area the sections mention (after's name if it has one)."""

    _SECTIONS = (
        "created", "dissolved", "renamed", "merged", "split", "bodies_changed",
        "areas_created", "areas_ended", "areas_renamed", "areas_changed",
        "coverage", "memberships", "seats", "links", "records_only",
    )

    @property
    def empty(self) -> bool:
        """True when nothing changed in planners' terms (findings included)."""
        if any(getattr(self, s) for s in self._SECTIONS):
            return False
        return not (self.findings and (self.findings["introduced"] or self.findings["resolved"]))

    def counts(self) -> dict[str, int]:
        """How many of each change (the numbers of the ``--stat`` line)."""
        cov = self.coverage
        return {
            "bodies_created": len(self.created),
            "bodies_dissolved": len(self.dissolved),
            "bodies_renamed": len(self.renamed),
            "mergers": len(self.merged),
            "splits": len(self.split),
            "bodies_changed": len(self.bodies_changed),
            "areas_created": len(self.areas_created),
            "areas_ended": len(self.areas_ended),
            "areas_renamed": len(self.areas_renamed),
            "areas_changed": len(self.areas_changed),
            "areas_change_csp": sum(1 for c in cov if c["csp"]["before"] != c["csp"]["after"]),
            "areas_change_duty": sum(1 for c in cov if c["duty"]["before"] != c["duty"]["after"]),
            "partnerships_change_members": len(self.memberships),
            "seats_gained": sum(1 for s in self.seats if s["change"] == "gained"),
            "seats_lost": sum(1 for s in self.seats if s["change"] == "lost"),
            "seats_moved": sum(1 for s in self.seats if s["change"] in ("moved", "role")),
            "bodies_relinked": len(self.links),
            "bodies_records_only": len(self.records_only),
            "findings_introduced": len(self.findings["introduced"]) if self.findings else 0,
            "findings_resolved": len(self.findings["resolved"]) if self.findings else 0,
        }

    def bodies(self) -> list[str]:
        """Every body this summary reports a change for, sorted.

        Bodies that merely stay on both sides of a change (a CSP that keeps
        covering an area whose other CSP changed) are not counted.
        """
        ids: set[str] = set()
        for e in self.created:
            ids.add(e["id"])
            ids.update(e["predecessors"])
        for e in self.dissolved:
            ids.add(e["id"])
            ids.update(e["successors"])
        ids.update(e["id"] for e in self.renamed)
        for e in self.merged:
            ids.add(e["into"])
            ids.update(e["bodies"])
        for e in self.split:
            ids.add(e["body"])
            ids.update(e["into"])
        ids.update(e["id"] for e in self.bodies_changed)
        for e in self.coverage:
            for k in ("csp", "duty"):
                ids.update(set(e[k]["before"]) ^ set(e[k]["after"]))
        for e in self.memberships:
            ids.add(e["partnership"])
            ids.update(m["id"] for m in e["joined"])
            ids.update(m["id"] for m in e["left"])
            ids.update(m["id"] for m in e["role_changed"])
        for e in self.seats:
            ids.add(e["board"])
            ids.update(set(e["before"]) ^ set(e["after"]) if e["change"] != "role" else e["after"])
        ids.update(e["id"] for e in self.records_only)
        for e in self.links:
            ids.add(e["body"])
            for side in ("added", "removed"):
                for kind, targets in e[side].items():
                    if kind == R.accountable_to.value:
                        ids.update(targets)
        return sorted(ids)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: one key per section, plus ``findings`` (null when the checks were not run)."""
        out: dict[str, Any] = {
            "bodies": {
                "created": self.created,
                "dissolved": self.dissolved,
                "renamed": self.renamed,
                "merged": self.merged,
                "split": self.split,
                "changed": self.bodies_changed,
            },
            "areas": {
                "created": self.areas_created,
                "ended": self.areas_ended,
                "renamed": self.areas_renamed,
                "changed": self.areas_changed,
            },
            "coverage": self.coverage,
            "memberships": self.memberships,
            "seats": self.seats,
            "links": self.links,
            "records_only": self.records_only,
            "findings": self.findings,
            "names": self.names,
        }
        return out


class _View:
    """One side as it stands on a date, indexed in one pass (the checks' :class:`Snapshot`).

    Answers as ``Structure.as_of(on)`` would (a relation counts when it and
    both its ends are in force), without copying the graph; ``on=None`` reads
    every record.
    """

    def __init__(self, s: Structure, on: dt.date | None) -> None:
        from ..checks.snapshot import Snapshot

        self.structure = s
        self.snap = Snapshot(s, on)  # type: ignore[arg-type]  # None: every record is in force
        self.bodies: dict[str, Body] = self.snap.bodies
        self.areas: dict[str, Area] = self.snap.areas

    def get(self, id_: str):
        return self.bodies.get(id_) or self.areas.get(id_)

    def relations(self, kind: RelationKind) -> list[Relation]:
        return self.snap.live.get(kind, [])

    def parents(self, area: str) -> list[str]:
        return list(self.snap.parents.get(area, ()))

    def units(self) -> list[Area]:
        return self.snap.units

    def reaching(self, kind: RelationKind, area: str) -> list[str]:
        """Bodies whose ``kind`` reaches all or part of the area (``covering(area, whole=False)``)."""
        return sorted(self.snap.reaching(kind, area))


def _lineage(b: Structure, ended: set[str]) -> tuple[dict[str, list[str]], dict[tuple[str, str], str]]:
    """Successors (bodies) of each ended body, from ``succeeded_by`` in ``b``; and each link's event kind."""
    succ: dict[str, set[str]] = defaultdict(set)
    kinds: dict[tuple[str, str], str] = {}
    for p in ended:
        for rel in b.relations(R.succeeded_by, source=p):
            if isinstance(b.get(rel.target), Body):
                succ[p].add(rel.target)
                ev = b.events.get(rel.event) if rel.event else None
                if ev is not None:
                    kinds[(p, rel.target)] = ev.kind
    return {p: sorted(s) for p, s in succ.items()}, kinds


def changes(
    a: Structure,
    b: Structure,
    on_a: dt.date | None = None,
    on_b: dt.date | None = None,
    *,
    findings: bool = True,
    patch: Diff | None = None,
) -> Changes:
    """Summarise what changes from ``a`` on ``on_a`` to ``b`` on ``on_b``, in planners' terms.

    Parameters
    ----------
    a, b : Structure
        Dated structures (or snapshots).
    on_a, on_b : date, optional
        The dates to compare; ``None`` reads every record, whatever its dates.
    findings : bool
        Run the checks on both sides (needs both dates) and report findings
        introduced and resolved.
    patch : Diff, optional
        ``diff(a, b)``, when known: bodies it touches that no section names
        are listed in ``records_only``, so that no change goes unsaid.

    Returns
    -------
    Changes

    Examples
    --------
    >>> a = Structure.from_yaml('''
    ... areas: [{id: U1, name: Town, kind: unitary}]
    ... bodies: [{id: old-csp, name: Old CSP, kind: community_safety_partnership}]
    ... relations: [{kind: covers, source: old-csp, target: U1}]
    ... ''')
    >>> b = Structure.from_yaml('''
    ... areas: [{id: U1, name: Town, kind: unitary}]
    ... bodies: [{id: new-csp, name: New CSP, kind: community_safety_partnership}]
    ... relations: [{kind: covers, source: new-csp, target: U1}]
    ... ''')
    >>> c = changes(a, b, findings=False)
    >>> [e["id"] for e in c.created], [e["id"] for e in c.dissolved], c.coverage[0]["csp"]
    (['new-csp'], ['old-csp'], {'before': ['old-csp'], 'after': ['new-csp']})
    """
    sa, sb = _View(a, on_a), _View(b, on_b)
    ba, bb = sa.bodies, sb.bodies
    gone = set(ba) - set(bb)
    new = set(bb) - set(ba)
    both = set(ba) & set(bb)

    succ, ev_kind = _lineage(b, gone)
    preds: dict[str, set[str]] = defaultdict(set)
    for p, ss in succ.items():
        for s_ in ss:
            preds[s_].add(p)

    merged = []
    merged_away: set[str] = set()
    for s_ in sorted(preds):
        sole = sorted(p for p in preds[s_] if succ[p] == [s_])
        if len(sole) >= 2 or any(ev_kind.get((p, s_)) == "merge" for p in sole):
            bodies = sorted(set(sole) | ({s_} if s_ in both else set()))
            merged.append({"into": s_, "name": _name(b, s_), "bodies": bodies})
            merged_away.update(sole)
    split = [
        {"body": p, "name": ba[p].name, "into": ss}
        for p, ss in sorted(succ.items()) if len(ss) >= 2
    ]
    split_away = {e["body"] for e in split}

    lapsed = {p for ev in b.events.values() if ev.kind == "lapse" for p in ev.predecessors}

    def how(p: str) -> str:
        if p in merged_away:
            return "merged"
        if p in split_away:
            return "split"
        if succ.get(p):
            return "succeeded"
        return "lapsed" if p in lapsed else "ended"

    created = [
        {"id": i, "name": bb[i].name, "kind": bb[i].kind.value, "predecessors": sorted(preds.get(i, ()))}
        for i in sorted(new)
    ]
    dissolved = [
        {"id": i, "name": ba[i].name, "kind": ba[i].kind.value, "how": how(i), "successors": succ.get(i, [])}
        for i in sorted(gone)
    ]
    renamed = [
        {"id": i, "before": ba[i].name, "after": bb[i].name}
        for i in sorted(both) if ba[i].name != bb[i].name
    ]
    bodies_changed = []
    for i in sorted(both):
        fa, fb = _body_fields(ba[i]), _body_fields(bb[i])
        diffs = {k: {"before": fa[k], "after": fb[k]} for k in sorted(fa) if fa[k] != fb[k]}
        if diffs:
            bodies_changed.append({"id": i, "name": bb[i].name, "fields": diffs})

    # areas ------------------------------------------------------------------------------
    aa, ab = sa.areas, sb.areas
    areas_created = [{"id": i, "name": ab[i].name, "kind": ab[i].kind.value} for i in sorted(set(ab) - set(aa))]
    areas_ended = [{"id": i, "name": aa[i].name, "kind": aa[i].kind.value} for i in sorted(set(aa) - set(ab))]
    areas_renamed = []
    areas_changed = []
    for i in sorted(set(aa) & set(ab)):
        if aa[i].name != ab[i].name:
            areas_renamed.append({"id": i, "before": aa[i].name, "after": ab[i].name})
        fa, fb = _area_fields(aa[i]), _area_fields(ab[i])
        diffs = {k: {"before": fa[k], "after": fb[k]} for k in sorted(fa) if fa[k] != fb[k]}
        pa, pb = sa.parents(i), sb.parents(i)
        if pa != pb:
            diffs["within"] = {"before": pa, "after": pb}
        if diffs:
            areas_changed.append({"id": i, "name": ab[i].name, "fields": diffs})

    coverage = _coverage(sa, sb)
    memberships = _memberships(sa, sb, ba, bb)
    seats = _seats(sa, sb)
    links = _links(sa, sb, bb, ba)

    found = None
    if findings and on_a is not None and on_b is not None:
        found = _findings(a, b, on_a, on_b)

    result = Changes(
        created=created, dissolved=dissolved, renamed=renamed, merged=merged, split=split,
        bodies_changed=bodies_changed, coverage=coverage, memberships=memberships, seats=seats, links=links,
    )
    records_only = []
    if patch is not None:
        said = set(result.bodies())
        records_only = [_records_only(a, b, i) for i in patch.bodies(a, b) if i not in said]
    sections = [
        created, dissolved, renamed, merged, split, bodies_changed,
        areas_created, areas_ended, areas_renamed, areas_changed, coverage, memberships, seats, links,
        records_only,
    ]
    names = {}
    for i in sorted(_strings(sections)):
        rec = sb.get(i) or sa.get(i) or b.get(i) or a.get(i)
        if rec is not None:
            names[i] = rec.name
    return Changes(
        on_before=on_a, on_after=on_b,
        created=created, dissolved=dissolved, renamed=renamed, merged=merged, split=split,
        bodies_changed=bodies_changed,
        areas_created=areas_created, areas_ended=areas_ended, areas_renamed=areas_renamed,
        areas_changed=areas_changed,
        coverage=coverage, memberships=memberships, seats=seats, links=links, findings=found,
        records_only=records_only, names=names,
    )


def _records_only(a: Structure, b: Structure, id_: str) -> dict[str, str]:
    rec = b.get(id_) or a.get(id_)
    if isinstance(rec, Body) and (rec.start or rec.end) and (a.get(id_) is None or b.get(id_) is None):
        span = f"{rec.start or 'before the records'} to {rec.end or 'now'}"
        note = f"in force {span} only, between the dates compared"
    else:
        note = "its records changed (dates, notes or sources), nothing different in force on the dates compared"
    return {"id": id_, "name": rec.name if rec is not None else id_, "note": note}


def _strings(value) -> set[str]:
    """Every string in nested lists and dicts (keys included): the ids a summary mentions."""
    out: set[str] = set()
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            out.add(v)
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return out


def _name(s: Structure | _View, id_: str) -> str:
    rec = s.get(id_)
    return rec.name if rec is not None else id_


def _coverage(sa: _View, sb: _View) -> list[dict]:
    units = {u.id: u for u in sa.units()}
    units.update({u.id: u for u in sb.units()})
    out = []
    for uid in sorted(units):
        csp_a = sa.reaching(R.covers, uid) if uid in sa.areas else []
        csp_b = sb.reaching(R.covers, uid) if uid in sb.areas else []
        duty_a = sa.reaching(R.discharges, uid) if uid in sa.areas else []
        duty_b = sb.reaching(R.discharges, uid) if uid in sb.areas else []
        if csp_a != csp_b or duty_a != duty_b:
            out.append({
                "area": uid,
                "name": units[uid].name,
                "csp": {"before": csp_a, "after": csp_b},
                "duty": {"before": duty_a, "after": duty_b},
            })
    return out


def _memberships(sa: _View, sb: _View, ba: dict, bb: dict) -> list[dict]:
    def roles(s: _View) -> dict[str, dict[str, str | None]]:
        out: dict[str, dict[str, str | None]] = defaultdict(dict)
        for r in s.relations(R.member_of):
            out[r.target][r.source] = r.role
        return out

    ma, mb = roles(sa), roles(sb)
    out = []
    for p in sorted(set(ma) | set(mb)):
        before, after = ma.get(p, {}), mb.get(p, {})
        joined = [{"id": m, "name": _name(sb, m), "role": after[m]} for m in sorted(set(after) - set(before))]
        left = [{"id": m, "name": _name(sa, m), "role": before[m]} for m in sorted(set(before) - set(after))]
        role_changed = [
            {"id": m, "name": _name(sb, m), "before": before[m], "after": after[m]}
            for m in sorted(set(before) & set(after)) if before[m] != after[m]
        ]
        if not (joined or left or role_changed):
            continue
        status = "continuing" if p in ba and p in bb else "created" if p in bb else "dissolved"
        out.append({
            "partnership": p,
            "name": _name(sb if p in bb else sa, p),
            "status": status,
            "joined": joined,
            "left": left,
            "role_changed": role_changed,
        })
    return out


def _seats(sa: _View, sb: _View) -> list[dict]:
    def table(s: _View) -> dict[tuple[str, str], dict[str, str | None]]:
        out: dict[tuple[str, str], dict[str, str | None]] = defaultdict(dict)
        for r in s.relations(R.seat):
            # duty-holder seats (no area) are one per holder; area seats one per area
            key = (r.target, r.area) if r.area else (r.target, "", r.source)
            out[key][r.source] = r.role
        return out

    ta, tb = table(sa), table(sb)
    out = []
    for key in sorted(set(ta) | set(tb)):
        before, after = ta.get(key, {}), tb.get(key, {})
        if before == after:
            continue
        if not before:
            change = "gained"
        elif not after:
            change = "lost"
        elif set(before) != set(after):
            change = "moved"
        else:
            change = "role"
        out.append({
            "board": key[0],
            "area": key[1] or None,
            "change": change,
            "before": sorted(before),
            "after": sorted(after),
            "roles": {"before": [before[h] for h in sorted(before)], "after": [after[h] for h in sorted(after)]},
        })
    return out


_LINK_KINDS = (R.covers, R.discharges, R.serves, R.accountable_to)


def _links(sa: _View, sb: _View, bb: dict, ba: dict) -> list[dict]:
    def tuples(s: _View) -> set[tuple[str, str, str, str]]:
        return {
            (r.source, r.kind.value, r.target, r.role or "")
            for kind in _LINK_KINDS for r in s.relations(kind)
        }

    ta, tb = tuples(sa), tuples(sb)
    by_body: dict[str, dict[str, dict[str, set[str]]]] = defaultdict(lambda: {"added": defaultdict(set), "removed": defaultdict(set)})
    for src, kind, tgt, _role in tb - ta:
        by_body[src]["added"][kind].add(tgt)
    for src, kind, tgt, _role in ta - tb:
        by_body[src]["removed"][kind].add(tgt)
    out = []
    for body in sorted(by_body):
        e = by_body[body]
        out.append({
            "body": body,
            "name": bb[body].name if body in bb else _name(sa, body),
            "added": {k: sorted(v) for k, v in sorted(e["added"].items())},
            "removed": {k: sorted(v) for k, v in sorted(e["removed"].items())},
        })
    return out


def _findings(a: Structure, b: Structure, on_a: dt.date, on_b: dt.date) -> dict | None:
    try:
        from ..checks import run_state
    except ImportError:  # pragma: no cover - the checks ship with the package
        return None
    fa = {f.identity: f for f in run_state(a, on_a)}
    fb = {f.identity: f for f in run_state(b, on_b)}

    def rows(found: dict, other: dict) -> list[dict]:
        keep = [f for k, f in found.items() if k not in other]
        keep.sort(key=lambda f: (f.severity.rank, f.code, f.message, f.bodies, f.areas))
        return [{k: v for k, v in f.to_dict().items() if k != "until"} for f in keep]

    return {"introduced": rows(fb, fa), "resolved": rows(fa, fb)}
