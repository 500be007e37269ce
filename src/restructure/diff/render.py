"""Rendering a comparison: readable text (coloured on a terminal), Markdown for board papers, CSV for spreadsheets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..text import markdown as _md
from .changes import Changes, Member
from .patch import _plain

if TYPE_CHECKING:
    from .compare import Comparison

__all__ = ["text", "markdown", "csv", "CSV_HEADER", "authority_lines"]

# -- rendering ---------------------------------------------------------------------------------


def _label(c: Changes, id_: str) -> str:
    name = c.names.get(id_)
    return f"{name} ({id_})" if name and name != id_ else id_


def _value(v) -> str:
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        if "title" in v:
            return str(v["title"])
        return "{" + ", ".join(f"{k}: {_value(x)}" for k, x in v.items()) + "}"
    return "none" if v is None else str(v)


_KIND_WORDS = {
    "covers": "covers",
    "discharges": "discharges the Duty for",
    "serves": "serves",
    "accountable_to": "accountable to",
}


def _lines(cmp: Comparison, short) -> list[tuple[str, str, str]]:
    """The summary as (section, mark, text) rows; mark is +, - or ~. Shared by text and Markdown.

    Each row's subject is ``Name (id)``; ``short`` labels the bodies and areas listed after it.
    """
    c = cmp.changes

    def many(ids) -> str:
        ids = list(ids)
        return ", ".join(short(c, i) for i in ids) if ids else "none"

    rows: list[tuple[str, str, str]] = []

    def each(sec: str, mark: str, entries, say) -> None:
        """One row per line ``say(entry)`` returns, in the entries' order."""
        rows.extend((sec, mark, line) for e in entries for line in say(e))

    def field_lines(e) -> list[str]:
        return [f"{_label(c, e.id)}: {_field_change(c, f, v)}" for f, v in e.fields.items()]

    def renamed(e) -> list[str]:
        return [f"{e.id} renamed: {e.before!r} -> {e.after!r}"]

    each("Bodies", "+", c.created, lambda e: [f"{_label(c, e.id)} created ({e.kind.replace('_', ' ')})"])
    each("Bodies", "~", c.merged, lambda e: [f"{many(e.bodies)} merged into {_label(c, e.into)}"])
    each("Bodies", "~", c.split, lambda e: [f"{_label(c, e.body)} split into {many(e.into)}"])
    # a body that merged or split is said by the merger or split row
    dissolved = [e for e in c.dissolved if e.how not in ("merged", "split")]
    tails = {"succeeded": lambda e: f"succeeded by {many(e.successors)}", "lapsed": lambda e: "functions lapse"}
    each("Bodies", "-", dissolved, lambda e: [
        f"{_label(c, e.id)} dissolved: " + tails.get(e.how, lambda e: "no successor recorded")(e)
    ])
    each("Bodies", "~", c.renamed, renamed)
    each("Bodies", "~", c.bodies_changed, field_lines)
    each("Areas", "+", c.areas_created, lambda e: [f"{_label(c, e.id)} ({e.kind.replace('_', ' ')}) begins"])
    each("Areas", "-", c.areas_ended, lambda e: [f"{e.name} ({e.id}) ends"])
    each("Areas", "~", c.areas_renamed, renamed)
    each("Areas", "~", c.areas_changed, field_lines)
    sec = _COVERAGE
    for e in c.coverage:
        parts = []
        for key, title in (("csp", "CSP"), ("duty", "Duty")):
            pair = getattr(e, key)
            before, after = pair.before, pair.after
            if before != after:
                parts.append(f"{title} {many(before)} -> {many(after)}")
        rows.append((sec, "~", f"{e.name} ({e.area}): " + "; ".join(parts)))
    sec = "Memberships"
    for e in c.memberships:
        status = {"created": " (new)", "dissolved": " (dissolved)"}.get(e.status, "")
        parts = []
        if e.joined:
            parts.append("joined " + ", ".join(short(c, m.id) + _role(m) for m in e.joined))
        if e.left:
            parts.append("left " + ", ".join(short(c, m.id) + _role(m) for m in e.left))
        for m in e.role_changed:
            parts.append(f"{short(c, m.id)} now {m.after} (was {m.before})")
        mark = "+" if e.status == "created" else "-" if e.status == "dissolved" else "~"
        rows.append((sec, mark, f"{_label(c, e.partnership)}{status}: " + "; ".join(parts)))
    sec = _SEATS
    for e in c.seats:
        where = f"seat for {_label(c, e.area)}" if e.area else "duty-holder seat"
        board = short(c, e.board)
        if e.change == "gained":
            rows.append((sec, "+", f"{where} on {board} gained, held by {many(e.after)}"))
        elif e.change == "lost":
            rows.append((sec, "-", f"{where} on {board} lost (was {many(e.before)})"))
        elif e.change == "moved":
            rows.append((sec, "~", f"{where} on {board} moves {many(e.before)} -> {many(e.after)}"))
        else:
            r = e.roles
            rows.append((sec, "~", f"{where} on {board}: role {_value(r.before)} -> {_value(r.after)}"))
    sec = "Footprints and reporting lines"
    for e in c.links:
        parts = []
        for side, word in (("added", "now "), ("removed", "no longer ")):
            for kind, targets in getattr(e, side).items():
                parts.append(f"{word}{_KIND_WORDS.get(kind, kind)} {many(targets)}")
        rows.append((sec, "~", f"{_label(c, e.body)}: " + "; ".join(parts)))
    for e in c.records_only:
        rows.append(("Not in force on either date compared", "~", f"{_label(c, e.id)}: {e.note}"))
    for line in authority_lines([e.to_dict() for e in c.authority]):
        rows.append((_AUTHORITY, "~", line))
    if c.findings is not None:
        sec = _FINDINGS
        for f in c.findings.introduced:
            rows.append((sec, "+", f"{f.severity.value} {f.code}: {f.message}"))
        for f in c.findings.resolved:
            rows.append((sec, "-", f"resolved: {f.severity.value} {f.code}: {f.message}"))
    for f, before, after in cmp.diff.metadata:
        rows.append(("Structure", "~", f"{f}: {_value(_plain(before))} -> {_value(_plain(after))}"))
    return rows


def _field_change(c: Changes, name: str, v) -> str:
    if name == "within":
        # areas often share a name across a reorganisation (Oxfordshire county and unitary): show ids
        def full(ids) -> str:
            return ", ".join(_label(c, i) for i in ids) or "none"

        return f"now within {full(v.after)} (was {full(v.before)})"
    return f"{name} {_value(v.before)} -> {_value(v.after)}"


_COVERAGE = "Coverage by district and unitary (CSP; Serious Violence Duty)"
_SEATS = "Strategy Board seats"
_FINDINGS = "Findings of the checks"
_AUTHORITY = "Under what authority"


def authority_lines(entries: list[dict]) -> list[str]:
    """Change events grouped by date, phase and basis, one line each: what happened under what authority.

    Examples
    --------
    >>> authority_lines([
    ...     {"date": "2028-04-01", "phase": "vesting day", "kind": "reorganise_councils",
    ...      "basis": {"kind": "structural_changes_order", "reference": "SI 2027/1", "assumed": True}},
    ...     {"date": "2028-04-01", "phase": "vesting day", "kind": "dissolve",
    ...      "basis": {"kind": "structural_changes_order", "reference": "SI 2027/1", "assumed": True}},
    ...     {"date": "2028-10-01", "phase": "CSPs merge", "kind": "merge", "approved_by": "tv-pcc", "basis": None},
    ... ])
    ['2028-04-01 vesting day (reorganise councils, dissolve): Structural changes order: SI 2027/1 (assumed)', '2028-10-01 CSPs merge (merge): approved by tv-pcc; no basis recorded']
    """
    import json

    from ..model import Basis

    groups: dict[tuple, list[dict]] = {}
    for e in entries:
        key = (e["date"], e.get("phase") or "", json.dumps(e.get("basis"), sort_keys=True), e.get("approved_by") or "")
        groups.setdefault(key, []).append(e)
    out = []
    for (date, phase, _, approved), group in groups.items():
        kinds: dict[str, int] = {}
        for e in group:
            kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
        what = ", ".join(k.replace("_", " ") + (f" x{n}" if n > 1 else "") for k, n in kinds.items())
        head = f"{date} {phase}".rstrip() + f" ({what})"
        if group[0].get("basis"):
            basis = Basis.model_validate(group[0]["basis"])
            text = basis.label() + (f" <{basis.url}>" if basis.url else "") + (f"; approved by {approved}" if approved else "")
            text += f"; {basis.note}" if basis.note else ""
        else:
            text = (f"approved by {approved}; " if approved else "") + "no basis recorded"
        out.append(f"{head}: {text}")
    return out


def _short_id(c: Changes, id_: str) -> str:
    return id_


def _short_name(c: Changes, id_: str) -> str:
    return c.names.get(id_, id_)


def _role(m: Member) -> str:
    return f" ({m.role})" if m.role else ""


_COLOURS = {"+": "green", "-": "red", "~": "yellow", "": None}
_ANSI = {"red": 31, "green": 32, "yellow": 33}


def _ansi(text: str, fg: str | None = None, bold: bool = False) -> str:
    """Text in a terminal colour (ANSI SGR codes, as ``click.style`` writes them), reset after."""
    codes = ([f"\x1b[{_ANSI[fg]}m"] if fg else []) + (["\x1b[1m"] if bold else [])
    return "".join(codes) + text + "\x1b[0m"


def text(cmp: Comparison, color: bool, edits: bool) -> str:
    def style(text: str, **kw) -> str:
        return _ansi(text, **kw) if color else text

    from ..text import terminal

    out = [
        style(terminal(f"{cmp.before.title()} -> {cmp.after.title()}", keep=""), bold=True),
        cmp.stat(),
    ]
    if cmp.empty:
        return "\n".join(out) + "\n"
    current = None
    for sec, mark, line in _lines(cmp, _short_id):
        if sec != current:
            out += ["", style(sec, bold=True)]
            current = sec
        out.append("  " + style(terminal(f"{mark} {line}", keep=""), fg=_COLOURS[mark]))
    out += ["", _findings_note(cmp.changes)]
    if edits and cmp.diff.ops:
        out += ["", style(f"Edits ({len(cmp.diff)})", bold=True)]
        for e in cmp.diff.ops:
            mark = {"add": "+", "remove": "-", "update": "~"}[e.op]
            out.append("  " + style(terminal(f"{mark} {e.summary()}", keep=""), fg=_COLOURS[mark]))
    return "\n".join(out) + "\n"


def _findings_note(c: Changes) -> str:
    if c.findings is None:
        return "Findings not compared (no dates to check on)."
    n_in, n_out = len(c.findings.introduced), len(c.findings.resolved)
    if not (n_in or n_out):
        return f"Findings of the checks: none introduced, none resolved ({c.on_before} -> {c.on_after})."
    return f"Findings of the checks: {n_in} introduced, {n_out} resolved ({c.on_before} -> {c.on_after})."




def markdown(cmp: Comparison, edits: bool) -> str:
    out = [
        f"## Changes: {_md(cmp.before.title())} → {_md(cmp.after.title())}",
        "",
        f"**{_md(cmp.stat())}**",
    ]
    if cmp.empty:
        return "\n".join(out) + "\n"
    c = cmp.changes
    if c.coverage:
        out += ["", "### Coverage by district and unitary", "",
                "| Area | CSP before | CSP after | Duty before | Duty after |", "|---|---|---|---|---|"]
        for e in c.coverage:
            cells = [_md(", ".join(_short_name(c, i) for i in ids) or "none")
                     for pair in (e.csp, e.duty) for ids in (pair.before, pair.after)]
            out.append(f"| {_md(e.name)} ({e.area}) | " + " | ".join(cells) + " |")
    if c.seats:
        out += ["", "### Strategy Board seats", "", "| Board | Seat | Change | Before | After |", "|---|---|---|---|---|"]
        for e in c.seats:
            seat = _label(c, e.area) if e.area else "duty holder"
            before = ", ".join(_short_name(c, i) for i in e.before) or "—"
            after = ", ".join(_short_name(c, i) for i in e.after) or "—"
            out.append(
                f"| {_md(_short_name(c, e.board))} | {_md(seat)} | {e.change} | {_md(before)} | {_md(after)} |"
            )
    skip = {_COVERAGE, _SEATS}
    current = None
    for sec, mark, line in _lines(cmp, _short_name):
        if sec in skip:
            continue
        if sec != current:
            out += ["", f"### {sec}", ""]
            current = sec
        word = {"+": "**new** ", "-": "**ends** ", "~": ""}[mark] if sec != _FINDINGS else (
            {"+": "**introduced** ", "-": ""}[mark]
        )
        out.append(f"- {word}{_md(line)}")
    out += ["", _findings_note(c)]
    if edits and cmp.diff.ops:
        out += ["", f"### Edits ({len(cmp.diff)})", ""]
        out += [f"- {_md(e.summary())}" for e in cmp.diff.ops]
    return "\n".join(out) + "\n"


CSV_HEADER = ("section", "change", "what")
"""The columns of ``diff --format csv``: one change per record."""


def csv(cmp: Comparison, edits: bool = False, bom: bool = True) -> str:
    """The summary as CSV, one change per record (RFC 4180; UTF-8 byte order mark for Excel).

    ``change`` is ``added``, ``ended`` or ``changed``; with ``edits`` every primitive edit
    of the patch follows in section ``Edits``.
    """
    from ..io.csvfile import dumps

    words = {"+": "added", "-": "ended", "~": "changed", "": ""}
    rows = [(sec, words[mark], line) for sec, mark, line in _lines(cmp, _short_name)]
    if edits:
        rows += [("Edits", {"add": "added", "remove": "ended", "update": "changed"}[e.op], e.summary())
                 for e in cmp.diff.ops]
    return dumps(CSV_HEADER, rows, bom=bom)
