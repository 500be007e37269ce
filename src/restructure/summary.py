"""Plain-data answers to planners' questions about one structure on one date.

``restructure show`` renders these; notebooks can use them directly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .model import Tier, in_force
from .structure import Structure

__all__ = ["summarise", "describe_area", "describe_body", "table", "markdown_table", "TIER_TITLES"]

TIER_TITLES = {
    Tier.oversight: "Oversight",
    Tier.strategic: "Strategic",
    Tier.local: "Local partnerships",
    Tier.operational: "Operational",
    None: "Agencies and councils",
}


def _ref(s: Structure, id_: str) -> dict[str, str]:
    rec = s.get(id_)
    return {"id": id_, "name": rec.name if rec else id_}


def _with_parts(s: Structure, whole, any_part) -> list[dict[str, Any]]:
    # a partnership over only some parts of the area (after a reorganisation) is marked as such
    whole_ids = {b.id for b in whole}
    return [{**_ref(s, b.id), "part": b.id not in whole_ids, "whole": b.id in whole_ids} for b in any_part]


def _lineage(s: Structure, id_: str, on: dt.date | None) -> dict[str, Any]:
    """Predecessors, successors and, for a record not in force, the live successors and chains."""
    out: dict[str, Any] = {
        "predecessors": [_ref(s, p) for p in s.predecessors(id_)],
        "successors": [_ref(s, x) for x in s.successors(id_)],
        "live_successors": [],
        "chains": [],
    }
    rec = s.get(id_)
    if on is not None and rec.end is not None and rec.end <= on:
        found = s.live_successors(id_, on)
        out["live_successors"] = [_ref(s, x) for x in found.live]
        out["chains"] = [
            [{"from": _ref(s, x.predecessor), "to": _ref(s, x.successor), "date": x.date} for x in chain]
            for chain in found.chains
        ]
    return out


def describe_area(s: Structure, area: str, on: dt.date | None) -> dict[str, Any]:
    """Everything planners ask about an area: who covers it, who discharges the Duty, who sits for it.

    Lists of partnerships, councils and agencies mark with ``whole: false`` (and ``part: true``) those
    that cover or serve only some parts of the area (a new unitary over former
    districts served by two fire authorities).
    ``area`` is an id or a name in any case (:meth:`Structure.lookup`).

    Examples
    --------
    >>> import datetime as dt
    >>> from restructure.baseline import load_baseline
    >>> d = describe_area(load_baseline(), "E07000177", dt.date(2026, 11, 25))
    >>> d["covered_by"][0]["id"], d["duty_discharged_by"][0]["id"]
    ('cherwell-csp', 'safer-oxfordshire')
    """
    a = s.lookup(area, "area")
    seats = s.seats_by_area()  # once, not once per ancestor
    seat_area = next(
        (x for x in [a.id, *s.ancestors(a.id, on)] if any(in_force(r, on) for r in seats.get(x, ()))), None
    )
    return {
        "id": a.id,
        "name": a.name,
        "kind": a.kind.value,
        "in_force": in_force(a, on),
        "start": a.start,
        "end": a.end,
        "within": [_ref(s, p) for p in s.parents(a.id, on)],
        "contains": [_ref(s, c) for c in s.children(a.id, on)],
        "covered_by": _with_parts(s, s.covering(a.id, on), s.covering(a.id, on, whole=False)),
        "duty_discharged_by": _with_parts(s, s.discharging(a.id, on), s.discharging(a.id, on, whole=False)),
        "councils": _with_parts(s, s.councils(a.id, on), s.councils(a.id, on, whole=False)),
        "duty_holders": _with_parts(s, s.duty_holders(a.id, on), s.duty_holders(a.id, on, whole=False)),
        "serving": _with_parts(s, s.serving(a.id, on), s.serving(a.id, on, whole=False)),
        "board_seat": {
            "area": seat_area,
            "holders": [_ref(s, b.id) for b in s.seat_holders(seat_area, on)] if seat_area else [],
        },
        **_lineage(s, a.id, on),
        "sources": list(a.sources),
        "note": a.note,
    }


def describe_body(s: Structure, body: str, on: dt.date | None) -> dict[str, Any]:
    """A body's kind, tier, dates, duties, footprint, members, memberships, seats and lineage.

    For a body not in force on ``on``, ``live_successors`` and ``chains`` say who does its work
    that day, through any number of successions (:meth:`Structure.live_successors`). ``body`` is
    an id or a name in any case (:meth:`Structure.lookup`).
    """
    b = s.lookup(body, "body")
    return {
        "id": b.id,
        "name": b.name,
        "kind": b.kind.value,
        "in_force": in_force(b, on),
        "tier": b.tier.value if b.tier else None,
        "gss": b.gss,
        "start": b.start,
        "end": b.end,
        "duties": sorted(d.value for d in b.duties),
        "covers": [_ref(s, r.target) for r in sorted(s.relations("covers", on, source=b.id), key=lambda r: r.target)],
        "discharges": [
            _ref(s, r.target) for r in sorted(s.relations("discharges", on, source=b.id), key=lambda r: r.target)
        ],
        "serves": [_ref(s, r.target) for r in sorted(s.relations("serves", on, source=b.id), key=lambda r: r.target)],
        "members": [{**_ref(s, m.id), "role": role} for m, role in s.members(b.id, on)],
        "member_of": [_ref(s, p.id) for p in s.memberships(b.id, on)],
        "seats": [
            {"board": r.target, "area": r.area, "role": r.role}
            for r in sorted(s.relations("seat", on, source=b.id), key=lambda r: (r.target, r.area or ""))
        ],
        "accountable_to": [
            _ref(s, r.target) for r in sorted(s.relations("accountable_to", on, source=b.id), key=lambda r: r.target)
        ],
        **_lineage(s, b.id, on),
        "strategies": [st.model_dump(mode="json", exclude_defaults=True) for st in b.strategies],
        "attributes": dict(sorted(b.attributes.items())),
        "sources": list(b.sources),
        "note": b.note,
    }


def summarise(s: Structure, on: dt.date | None) -> dict[str, Any]:
    """The whole structure on a date: bodies by tier, local areas with their partnerships and seats.

    Examples
    --------
    >>> import datetime as dt
    >>> from restructure.baseline import load_baseline
    >>> d = summarise(load_baseline(), dt.date(2026, 11, 25))
    >>> len(d["local_areas"]), len(d["units"])
    (9, 13)
    """
    snap = s.as_of(on) if on else s
    tiers: dict[str, list] = {}
    every_body = sorted(snap.bodies(), key=lambda b: b.id)  # one walk of the nodes, not one per tier
    for tier, title in TIER_TITLES.items():
        bodies = [b for b in every_body if b.tier == tier]
        tiers[title] = [
            {
                "id": b.id,
                "name": b.name,
                "kind": b.kind.value,
                "covers": sorted(r.target for r in snap.relations("covers", source=b.id)),
                "discharges": sorted(r.target for r in snap.relations("discharges", source=b.id)),
            }
            for b in bodies
        ]
    local = []
    for a in snap.local_areas():
        local.append({
            "id": a.id,
            "name": a.name,
            "seat": [b.id for b in snap.seat_holders(a.id)],
            "duty_discharged_by": [b.id for b in snap.discharging(a.id, whole=False)],
        })
    units = []
    for u in snap.units():
        units.append({
            "id": u.id,
            "name": u.name,
            "kind": u.kind.value,
            "covered_by": [b.id for b in snap.covering(u.id, whole=False)],
            "duty_discharged_by": [b.id for b in snap.discharging(u.id, whole=False)],
        })
    return {
        "name": s.name,
        "on": on,
        "counts": {
            "areas": sum(1 for _ in snap.areas()),
            "bodies": len(every_body),
            "relations": snap.count_relations(),
        },
        "tiers": tiers,
        "local_areas": local,
        "units": units,
        "board_seats": [
            {"board": r.target, "area": r.area, "holder": r.source, "role": r.role} for r in snap.seats()
        ],
    }


def _ids(items) -> str:
    return "; ".join(i["id"] if isinstance(i, dict) else str(i) for i in items)


def table(d: dict[str, Any]) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """A summary or description as one spreadsheet table: (header, rows), for ``show --format csv``.

    A whole structure (:func:`summarise`) gives one record per local area and per district or
    unitary: its CSP, the partnership discharging the Duty, and who holds its Board seat. One
    area or body (:func:`describe_area`, :func:`describe_body`) gives one record per fact.

    Examples
    --------
    >>> import datetime as dt
    >>> from restructure.baseline import load_baseline
    >>> header, rows = table(summarise(load_baseline(), dt.date(2026, 11, 25)))
    >>> header[:3], len(rows)
    (('level', 'id', 'name'), 22)
    """
    if "local_areas" in d:
        header = ("level", "id", "name", "kind", "csp", "duty_discharged_by", "board_seat_held_by")
        rows: list[tuple[Any, ...]] = [
            ("local area", a["id"], a["name"], "", "", _ids(a["duty_discharged_by"]), _ids(a["seat"]))
            for a in d["local_areas"]
        ]
        rows += [
            ("district or unitary", u["id"], u["name"], u["kind"], _ids(u["covered_by"]),
             _ids(u["duty_discharged_by"]), "")
            for u in d["units"]
        ]
        return header, rows
    rows = []
    for key, value in d.items():
        if isinstance(value, dict) and "holders" in value:  # an area's board seat
            value = f"{value['area'] or ''}: {_ids(value['holders'])}" if value["area"] else ""
        elif isinstance(value, dict):
            value = "; ".join(f"{k}={v}" for k, v in value.items())
        elif isinstance(value, list):
            value = "; ".join(
                (x.get("id") or x.get("title") or str(x)) if isinstance(x, dict) else str(x) for x in value
            )
        rows.append((key, "" if value is None else value))
    return ("field", "value"), rows


def markdown_table(rows: list[dict[str, Any]], columns: list[str] | None = None) -> str:
    """A list of dicts as a Markdown table, columns in the first row's order (for notebooks and papers).

    Examples
    --------
    >>> print(markdown_table([{"area": "Reading", "CSP": "reading-csp"}]), end="")
    | area | CSP |
    | --- | --- |
    | Reading | reading-csp |
    """
    columns = columns or (list(rows[0]) if rows else [])

    from .text import markdown as cell

    lines = ["| " + " | ".join(cell(c) for c in columns) + " |", "|" + " --- |" * len(columns)]
    lines += ["| " + " | ".join(cell(row.get(c, "")) for c in columns) + " |" for row in rows]
    return "\n".join(lines) + "\n"
