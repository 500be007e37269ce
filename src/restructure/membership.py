"""Who must sit where: a partnership's required members, from the law and its footprint.

A Community Safety Partnership's **responsible authorities** (Crime and
Disorder Act 1998 s.5) are the councils for its area (county and district in
two-tier areas), the chief officer of police, the fire and rescue authority,
the integrated care board (formerly the clinical commissioning groups) and the
provider of probation services. A partnership that discharges the **Serious
Violence Duty** for an area must also bring in the Duty's specified
authorities for it (Police, Crime, Sentencing and Courts Act 2022 s.11 and
Sch.1), which add the youth offending teams (youth justice services).

Who that is follows from **who serves the partnership's footprint** on the
date, never from who was a member before: a body serving the footprint, an
area it lies within, or any part of it is required; a statutory member that
serves none of it is superfluous. Operations use :func:`belongs` to pass a
predecessor's memberships only where the successor serves the footprint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import ValidationFailed
from .model import BodyKind, RelationKind, in_force
from .text import markdown, terminal

__all__ = [
    "RESPONSIBLE_AUTHORITIES",
    "SPECIFIED_AUTHORITIES",
    "CDA_S5",
    "PCSC_S11",
    "Entry",
    "RequiredMembers",
    "required_members",
    "partnership_footprint",
    "serves_footprint",
    "belongs",
    "render_text",
    "render_markdown",
    "to_csv",
    "CSV_COLUMNS",
]

R = RelationKind
CDA_S5 = "Crime and Disorder Act 1998 s.5"
PCSC_S11 = "Police, Crime, Sentencing and Courts Act 2022 s.11 and Sch.1"

_SHORT = {CDA_S5: "CDA 1998 s.5", PCSC_S11: "PCSC Act 2022 s.11, Sch.1"}

RESPONSIBLE_AUTHORITIES: dict[BodyKind, str] = {
    BodyKind.county_council: "council",
    BodyKind.district_council: "council",
    BodyKind.unitary_council: "council",
    BodyKind.police_force: "chief officer of police",
    BodyKind.fire_and_rescue_authority: "fire and rescue authority",
    BodyKind.integrated_care_board: "integrated care board (formerly the CCGs)",
    BodyKind.probation_service: "probation provider",
}
"""CSP responsible authorities by kind of body (Crime and Disorder Act 1998 s.5)."""

SPECIFIED_AUTHORITIES: dict[BodyKind, str] = {
    **RESPONSIBLE_AUTHORITIES,
    BodyKind.youth_justice_service: "youth offending team (youth justice service)",
}
"""Serious Violence Duty specified authorities by kind of body (PCSC Act 2022 s.11 and Sch.1)."""


@dataclass(frozen=True)
class Entry:
    """One body in an answer, with its role (members) and a short reason."""

    id: str
    name: str
    kind: str
    reason: str
    role: str | None = None
    whole: bool | None = None
    """For required and missing bodies: whether it serves the whole footprint (``False``: only part of it)."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "kind": self.kind}
        if self.role is not None:
            out["role"] = self.role
        if self.whole is not None:
            out["whole"] = self.whole
        out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class RequiredMembers:
    """Who must sit on a partnership on a date, who does, who is missing and who should not.

    ``required``: the responsible authorities (and, where it discharges the
    Duty, the specified authorities) serving its footprint; ``members``: its
    members in force with their role; ``missing``: required bodies that are not
    members, directly or through a partnership reporting to it; ``superfluous``:
    statutory members that serve none of the footprint.
    """

    partnership: str
    name: str
    on: dt.date | None
    covers: tuple[str, ...]
    discharges: tuple[str, ...]
    required: tuple[Entry, ...] = ()
    members: tuple[Entry, ...] = ()
    missing: tuple[Entry, ...] = ()
    superfluous: tuple[Entry, ...] = ()
    law: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Nobody missing and nobody superfluous."""
        return not self.missing and not self.superfluous

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``partnership``, ``on``, ``required``, ``members``, ``missing``, ``superfluous``."""
        return {
            "partnership": self.partnership,
            "name": self.name,
            "on": self.on.isoformat() if self.on else None,
            "covers": list(self.covers),
            "discharges": list(self.discharges),
            "law": list(self.law),
            "required": [e.to_dict() for e in self.required],
            "members": [e.to_dict() for e in self.members],
            "missing": [e.to_dict() for e in self.missing],
            "superfluous": [e.to_dict() for e in self.superfluous],
        }


def partnership_footprint(s, partnership: str, on: dt.date | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The areas a partnership covers (CSP) and those it discharges the Duty for, on a date."""
    covers = tuple(sorted({r.target for r in s.relations(R.covers, on, source=partnership)}))
    discharges = tuple(sorted({r.target for r in s.relations(R.discharges, on, source=partnership)}))
    return covers, discharges


def _reach(s, areas: Iterable[str], on, footprints: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
    """Body id -> ``"whole"`` or ``"part"``: how each body serves a set of areas.

    Whole when it serves every one of the areas whole (each directly, through an
    area it lies within, or through all of its parts); part when it serves any of them
    at least in part. ``footprints`` keeps each area's ``serves`` footprint for the next
    call on the same structure and date.
    """
    areas = list(areas)
    counts: dict[str, int] = {}
    out: dict[str, str] = {}
    footprints = {} if footprints is None else footprints
    for a in areas:
        # one walk of the area per footprint: serving(a) and serving(a, whole=False) walked it twice
        fp = footprints.get(a)
        if fp is None:
            fp = footprints[a] = s._footprint(a, R.serves, on)
        for b in sorted((s.body(x) for x in fp), key=lambda b: b.id):  # as serving(a, whole=False)
            out[b.id] = "part"
            if fp[b.id] == "whole":
                counts[b.id] = counts.get(b.id, 0) + 1
    for b, n in counts.items():
        if n == len(areas):
            out[b] = "whole"
    return out


def serves_footprint(s, body: str, areas: Iterable[str], on) -> str | None:
    """How a body serves a set of areas: ``"whole"``, ``"part"``, or ``None`` (none of it).

    A body serving an area, an area it lies within, or every part of it serves
    it whole; one serving only some of its parts serves part of it.
    """
    return _reach(s, areas, on).get(body)


def belongs(s, member: str, partnership: str, on: dt.date, expand: dict[str, list[str]] | None = None) -> bool:
    """Whether ``member`` may hold (or take over) a membership of ``partnership`` on ``on``.

    ``True`` when the member serves part of the partnership's footprint (its
    covered and Duty areas, else the areas it serves), and when either has no
    footprint on record (nothing to judge by). ``expand`` maps areas that are
    ending to the areas that carry on for them (a county's former districts).
    """
    covers, discharges = partnership_footprint(s, partnership, on)
    fp = set(covers) | set(discharges) or {r.target for r in s.relations(R.serves, on, source=partnership)}
    served = {r.target for r in s.relations(R.serves, on, source=member)}
    if not fp or not served:
        return True
    if expand:
        fp = {x for a in fp for x in ([a, *expand[a]] if a in expand else [a])}
    related: set[str] = set()
    for a in fp:
        related.add(a)
        related.update(s.ancestors(a, on))
        related.update(s.descendants(a, on))
    return bool(served & related)


def _names(s, ids: Iterable[str]) -> str:
    labels = sorted(s.get(i).name if s.get(i) is not None else i for i in ids)
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def required_members(s, partnership: str, on: dt.date | None) -> RequiredMembers:
    """Who must sit on a CSP or Duty partnership on a date, and who is missing or superfluous.

    Parameters
    ----------
    s : Structure
    partnership : str
        A body that covers areas (a CSP) or discharges the Serious Violence Duty for them.
    on : date, optional
        The date (``None``: every record, whatever its dates).

    Returns
    -------
    RequiredMembers

    Raises
    ------
    ValidationFailed
        An unknown body, or one that neither covers nor discharges the Duty for any area on the date.

    Examples
    --------
    >>> import datetime as dt
    >>> from restructure.baseline import load_baseline
    >>> rm = required_members(load_baseline(), "reading-csp", dt.date(2026, 11, 25))
    >>> [e.id for e in rm.missing], "royal-berkshire-fire" in [e.id for e in rm.required]
    ([], True)
    """
    p = s.body(partnership)
    covers, discharges = partnership_footprint(s, p.id, on)
    if not covers and not discharges:
        when = f" on {on}" if on else ""
        raise ValidationFailed(
            f"'{p.id}' ({p.name}) is not a Community Safety Partnership or Duty partnership{when}: it covers no area "
            "and discharges the Serious Violence Duty for none",
            "Give a partnership that covers or discharges for an area (see `restructure show --body`)",
            ids=(p.id,),
        )
    law = ([CDA_S5] if covers else []) + ([PCSC_S11] if discharges else [])
    footprint = sorted({*covers, *discharges})
    footprints: dict[str, dict[str, str]] = {}  # the three reaches share areas
    by_covers = _reach(s, covers, on, footprints) if covers else {}
    by_discharges = _reach(s, discharges, on, footprints) if discharges else {}
    by_all = _reach(s, footprint, on, footprints)
    inside = {d for a in footprint for d in s.descendants(a, on)}
    required: list[Entry] = []
    for b_id in sorted(by_all):
        b = s.body(b_id)
        if b.id == p.id:
            continue
        bases = []
        if b.kind in RESPONSIBLE_AUTHORITIES and b_id in by_covers:
            bases.append(CDA_S5)
        if b.kind in SPECIFIED_AUTHORITIES and b_id in by_discharges:
            bases.append(PCSC_S11)
        if not bases:
            continue
        how = by_all[b_id]
        if how == "whole":
            scope = "the whole area"
        else:
            served = {r.target for r in s.relations(R.serves, on, source=b.id)}
            scope = f"part of the area ({_names(s, served & inside)})"
        required.append(Entry(
            b.id, b.name, b.kind.value,
            f"{SPECIFIED_AUTHORITIES[b.kind]} serving {scope}; {'; '.join(_SHORT[x] for x in bases)}",
            whole=how == "whole",
        ))
    members = [
        Entry(m.id, m.name, m.kind.value, _member_reason(by_all.get(m.id), s, m.id, on), role=role)
        for m, role in s.members(p.id, on)
    ]
    direct = {e.id for e in members}
    through = _through_sub_partnerships(s, p.id, on)
    missing = []
    for e in required:
        if e.id in direct:
            continue
        via = through.get(e.id)
        if via:
            continue
        missing.append(Entry(e.id, e.name, e.kind, f"not a member; {e.reason}", whole=e.whole))
    required_ids = {e.id for e in required}
    superfluous = []
    for e in members:
        if e.role != "statutory" or e.id in required_ids:
            continue
        served = [r.target for r in s.relations(R.serves, on, source=e.id)]
        if not served:
            continue  # serves nothing on record (a partnership, an office): nothing to judge by
        if e.id not in by_all:
            superfluous.append(Entry(
                e.id, e.name, e.kind,
                f"statutory member serving none of the footprint: serves {_names(s, served)}",
                role=e.role,
            ))
    return RequiredMembers(
        p.id, p.name, on, covers, discharges,
        tuple(required), tuple(members), tuple(missing), tuple(superfluous), tuple(law),
    )


def _member_reason(how: str | None, s, member: str, on) -> str:
    if how == "whole":
        return "serves the area"
    if how == "part":
        return "serves part of the area"
    if not any(True for _ in s.relations(R.serves, on, source=member)):
        return "serves no area on record"
    return "serves none of the area"


def _through_sub_partnerships(s, partnership: str, on) -> dict[str, str]:
    """Body -> the partnership through which it sits (a member of a CSP reporting to this one)."""
    found: dict[str, str] = {}
    seen = {partnership}
    todo = [partnership]
    while todo:
        p = todo.pop()
        subs = [r.source for r in s.relations(R.accountable_to, on, target=p)]
        subs += [m.id for m, _ in s.members(p, on)]
        for sub in sorted(subs):
            b = s.body(sub)
            if sub in seen or not in_force(b, on) or not b.is_partnership:
                continue
            seen.add(sub)
            todo.append(sub)
            for m, _ in s.members(sub, on):
                found.setdefault(m.id, sub)
    return found


# -- renderings ----------------------------------------------------------------------

_SECTIONS = (
    ("required", "Required"),
    ("members", "Members"),
    ("missing", "Missing"),
    ("superfluous", "Superfluous"),
)
CSV_COLUMNS = ("partnership", "on", "section", "id", "name", "kind", "role", "whole", "reason")
"""The columns of :func:`to_csv`, in order."""


def _title(rm: RequiredMembers) -> str:
    when = f"on {rm.on}" if rm.on else "over all dates"
    return f"{rm.name} ({rm.partnership}), {when}"


def _basis(rm: RequiredMembers) -> str:
    parts = []
    if rm.covers:
        parts.append(f"covers {', '.join(rm.covers)} ({CDA_S5})")
    if rm.discharges:
        parts.append(f"discharges the Serious Violence Duty for {', '.join(rm.discharges)} ({PCSC_S11})")
    return "; ".join(parts)


def render_text(rm: RequiredMembers) -> str:
    """The answer as plain text: one section per list, each body with its reason."""
    lines = [_title(rm), f"  {_basis(rm)}"]
    for key, title in _SECTIONS:
        entries = getattr(rm, key)
        lines.append(f"{title} ({len(entries)})" + ("" if entries else ": none"))
        for e in entries:
            role = f", {e.role}" if e.role else ""
            lines.append(f"  {e.name} ({e.id}){role}: {e.reason}")
    return terminal("\n".join(lines) + "\n")


def render_markdown(rm: RequiredMembers) -> str:
    """The answer as Markdown for a board paper: a heading and one table per list."""
    lines = [f"### Members of {markdown(_title(rm))}", "", markdown(_basis(rm)) + "."]
    for key, title in _SECTIONS:
        entries = getattr(rm, key)
        lines += ["", f"**{title}** ({len(entries)})", ""]
        if not entries:
            lines.append("None.")
            continue
        lines += ["| body | id | role | reason |", "|---|---|---|---|"]
        for e in entries:
            lines.append(f"| {markdown(e.name)} | `{e.id}` | {markdown(e.role or '')} | {markdown(e.reason)} |")
    return "\n".join(lines) + "\n"


def to_csv(rm: RequiredMembers, bom: bool = True) -> str:
    """The answer as CSV (RFC 4180, :mod:`restructure.io.csvfile`), one row per body per list.

    The text has a header row (:data:`CSV_COLUMNS`) and, by default, the UTF-8
    byte order mark, so that spreadsheets read names right.
    """
    from .io.csvfile import dumps

    on = rm.on.isoformat() if rm.on else ""
    rows = []
    for key, _ in _SECTIONS:
        for e in getattr(rm, key):
            whole = "" if e.whole is None else ("yes" if e.whole else "no")
            rows.append([rm.partnership, on, key, e.id, e.name, e.kind, e.role or "", whole, e.reason])
    return dumps(CSV_COLUMNS, rows, bom=bom)
