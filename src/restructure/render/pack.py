"""The board pack: one self-contained HTML file for the Strategy Board.

Before and after diagrams (inline SVG), the changes in words, the findings of
the checks by date, and the timeline of phases. No scripts, no external
addresses: it opens offline and prints to A4 landscape PDF from any browser.

Every piece of text is escaped with :func:`html.escape`; the SVG from
Graphviz is inlined only after checking it holds no ``<script>`` element, no
``on…=`` handler and no external reference (Graphviz escapes labels, and
the labels were escaped before that, so this is a second line of defence).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import RenderError
from ..structure import Structure

__all__ = ["board_pack", "phase_bases", "safe_svg", "CSS"]

CSS = """
@page { size: A4 landscape; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 11pt; color: #111; margin: 0 12px; }
h1 { font-size: 18pt; margin: 8px 0 2px; }
h2 { font-size: 14pt; border-bottom: 2px solid #0072B2; padding-bottom: 2px; margin-top: 18px; }
p.sub { color: #444; margin: 0 0 8px; }
section.diagram { page-break-before: always; break-before: page; }
section.diagram:first-of-type { page-break-before: auto; break-before: auto; }
figure { margin: 0; }
figure svg { width: 100%; height: auto; max-height: 175mm; display: block; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; }
th, td { border: 1px solid #999; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #EEE; }
td.date { white-space: nowrap; }
td.basis p { margin: 0 0 0.3em 0; font-size: 0.9em; }
tr { page-break-inside: avoid; break-inside: avoid; }
td.error { color: #D55E00; font-weight: bold; }
td.warning { color: #8C5A00; font-weight: bold; }
ul.changes li { margin: 2px 0; }
p.group { font-weight: bold; margin: 8px 0 2px; }
.none { color: #555; font-style: italic; }
@media print { body { margin: 0; } h2 { page-break-after: avoid; break-after: avoid; } }
"""
"""The pack's stylesheet: A4 landscape pages, each diagram on its own page."""

_DANGER = re.compile(
    r"<\s*script|<\s*foreignObject|<\s*iframe|<[^>]*\son[a-z]+\s*=|<[^>]*javascript:"
    r"|<[^>]*(?:href|src)\s*=\s*\"(?:https?:)?//",
    re.IGNORECASE,
)


def safe_svg(svg: str) -> str:
    """SVG text fit to inline in the pack: XML prologue dropped, checked for active content.

    Raises
    ------
    RenderError
        The SVG holds a script, an event handler or an external reference.

    Examples
    --------
    >>> safe_svg('<?xml version="1.0"?>\\n<svg><text>&lt;script&gt;</text></svg>')
    '<svg><text>&lt;script&gt;</text></svg>'
    """
    start = svg.find("<svg")
    if start < 0:
        raise RenderError("the diagram is not SVG", "Report this as a bug")
    body = svg[start:]
    if _DANGER.search(body):
        raise RenderError("the diagram holds a script or external reference", "Report this as a bug")
    return body


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _finding_rows(findings: Any) -> list[dict[str, str]]:
    """Findings as rows, from a checks ``Report``, a list of ``Finding`` or a list of dicts."""
    items = getattr(findings, "findings", findings) or ()
    rows = []
    for f in items:
        d = f.to_dict() if hasattr(f, "to_dict") else dict(f)
        sev = d.get("severity")
        rows.append(
            {
                "date": str(d.get("date") or ""),
                "until": str(d.get("until") or ""),
                "severity": str(getattr(sev, "value", sev) or ""),
                "code": str(d.get("code") or ""),
                "message": str(d.get("message") or ""),
            }
        )
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(rows, key=lambda r: (r["date"], order.get(r["severity"], 3), r["code"], r["message"]))


def _diff_html(lines: list[str]) -> str:
    """Lines of text as HTML: unindented lines are headings, indented ones items under them."""
    out: list[str] = []
    in_list = False
    for line in lines:
        if not line.strip():
            continue
        if line.startswith(" "):
            if not in_list:
                out.append('<ul class="changes">')
                in_list = True
            out.append(f"<li>{_e(line.strip())}</li>")
        else:
            if in_list:
                out.append("</ul>")
                in_list = False
            out.append(f'<p class="group">{_e(line)}</p>')
    if in_list:
        out.append("</ul>")
    if not any(x.startswith(" ") for x in lines) and out:
        # A plain list of sentences: every line is an item.
        return '<ul class="changes">' + "".join(f"<li>{_e(x)}</li>" for x in lines if x.strip()) + "</ul>"
    return "".join(out)


def phase_bases(structure: Structure, phase: str, date: Any) -> list[str]:
    """The legal bases recorded in a phase's change events, each in one line, in event order.

    A basis marked ``assumed`` says so; a merger approved by a body without a
    basis names the approver.
    """
    out: list[str] = []
    for ev in sorted(structure.events.values(), key=lambda e: e.id):
        if ev.phase != phase or ev.date != date:
            continue
        if ev.basis is not None:
            line = ev.basis.label() + (f" ({ev.basis.url})" if ev.basis.url else "")
            line += f". {ev.basis.note}" if ev.basis.note else ""
        elif ev.approved_by:
            line = f"approved by {structure.get(ev.approved_by).name if structure.get(ev.approved_by) else ev.approved_by}"
        else:
            continue
        if line not in out:
            out.append(line)
    return out


def board_pack(
    before: Structure,
    after: Structure,
    *,
    title: str,
    phases: Sequence[tuple[str, dt.date, str | None]] = (),
    findings: Any = (),
    diff_text: Iterable[str] | None = None,
    on: dt.date | None = None,
    before_on: dt.date | None = None,
    before_svg: str | None = None,
    after_svg: str | None = None,
    focus: str | None = "auto",
    after_label: str | None = None,
) -> str:
    """The board pack as one self-contained HTML page.

    Parameters
    ----------
    before, after : Structure
        The structure now and after the restructure (``after`` may be dated:
        it is drawn on ``on``).
    title : str
        The pack's heading (the scenario's name).
    phases : sequence of (name, date, description)
        The timeline.
    findings : checks Report, or list of Finding or dicts
        Each with ``date``, ``severity``, ``code``, ``message`` (and ``until``).
    diff_text : str or iterable of str, optional
        The changes in words; by default computed from the two structures. A
        string is read as text grouped by headings: indented lines are items
        under the unindented line before them (``Comparison.render_text``).
    on, before_on : datetime.date, optional
        Dates to draw ``after`` and ``before`` on (see
        :func:`restructure.render.change.dates_for`).
    before_svg, after_svg : str, optional
        Diagrams already drawn (tests and callers with their own views); by
        default the change diagram after, and the before structure drawn with
        the same focus (the same local areas, as they stood before).
    focus : str, optional
        What the diagrams draw (see :func:`restructure.render.change_dot`):
        by default only the local areas that change; ``"all"`` for everything.
    after_label : str, optional
        What the after side is called in its heading and diagram title. By
        default ``after``'s name, or ``title`` when ``after`` has the same name
        as ``before`` (a scenario's result keeps its base's name, and the
        board must not read the after picture as today's structure).

    Returns
    -------
    str
        HTML, UTF-8, no scripts and no external references.

    Raises
    ------
    RenderError
        Graphviz's ``dot`` is not installed.
    """
    from . import render_dot
    from .change import before_scene, change_scene, changes, dates_for, describe

    if after_label is None:
        after_label = after.name if after.name and after.name != before.name else title

    on, before_on = dates_for(before, after, on, before_on)
    ch = changes(before, after, on, before_on)
    if diff_text is None:
        diff_text = describe(before, after, ch)
    diff_lines = diff_text.splitlines() if isinstance(diff_text, str) else list(diff_text)
    if before_svg is None:
        dot = before_scene(before, after, on, before_on, focus=focus).to_digraph("structure").source
        before_svg = render_dot(dot, "svg").decode("utf-8")
    if after_svg is None:
        dot = change_scene(before, after, on, before_on, focus=focus, after_label=after_label).to_digraph("change").source
        after_svg = render_dot(dot, "svg").decode("utf-8")
    rows = _finding_rows(findings)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="sub">Board pack: the structure on {_e(before_on.isoformat())} (before) and on'
        f" {_e(on.isoformat())} (after).</p>",
    ]
    # At a glance first: the board reads the verdict, then the timeline, then the detail.
    counts = {sev: sum(1 for r in rows if r["severity"] == sev) for sev in ("error", "warning", "info")}
    verdict = (
        "No findings: every area keeps its partnership and its Strategy Board seat on every date checked."
        if not rows
        else f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info finding(s) "
        "over the transition: see the findings below."
    )
    out.append('<section class="glance"><h2>At a glance</h2>')
    out.append(f"<p><strong>{_e(verdict)}</strong></p>")
    if diff_lines:
        out.append(f"<p>{_e(diff_lines[0].strip())}</p>")
    out.append("</section>")
    out.append('<section class="timeline"><h2>Timeline of phases</h2>')
    if phases:
        out.append(
            "<table><thead><tr><th>Date</th><th>Phase</th><th>What happens</th><th>Under what authority</th>"
            "</tr></thead><tbody>"
        )
        for name, date, description in sorted(phases, key=lambda p: (p[1], p[0])):
            bases = phase_bases(after, name, date)
            authority = "".join(f"<p>{_e(b)}</p>" for b in bases) or '<p class="none">no basis recorded</p>'
            out.append(
                f"<tr><td class=\"date\">{_e(date.isoformat() if hasattr(date, 'isoformat') else date)}</td>"
                f"<td>{_e(name)}</td><td>{_e(description or '')}</td><td class=\"basis\">{authority}</td></tr>"
            )
        out.append("</tbody></table>")
    else:
        out.append('<p class="none">No phases.</p>')
    out.append("</section>")
    out.append('<section class="findings"><h2>Findings of the checks, by date</h2>')
    if rows:
        out.append(
            "<table><thead><tr><th>From</th><th>Until</th><th>Severity</th><th>Rule</th><th>Finding</th>"
            "</tr></thead><tbody>"
        )
        for r in rows:
            out.append(
                f"<tr><td class=\"date\">{_e(r['date'])}</td><td class=\"date\">{_e(r['until'])}</td>"
                f'<td class="{_e(r["severity"])}">{_e(r["severity"])}</td>'
                f"<td>{_e(r['code'])}</td><td>{_e(r['message'])}</td></tr>"
            )
        out.append("</tbody></table>")
    else:
        out.append('<p class="none">No findings.</p>')
    out.append("</section>")
    out.append('<section class="summary"><h2>What changes</h2>')
    if diff_lines:
        out.append(_diff_html(diff_lines))
    else:
        out.append('<p class="none">No change to bodies, coverage or board seats.</p>')
    out.append("</section>")
    out.append(
        f'<section class="diagram before"><h2>Before: {_e(before.name)} on {_e(before_on.isoformat())}</h2>'
        f"<figure>{safe_svg(before_svg)}</figure></section>"
    )
    out.append(
        f'<section class="diagram after"><h2>After: {_e(after_label)} on {_e(on.isoformat())}, changes marked</h2>'
        f"<figure>{safe_svg(after_svg)}</figure></section>"
    )
    out.append("</body></html>")
    return "\n".join(out) + "\n"
