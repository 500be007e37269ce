"""One report, four renderings: text for a terminal, Markdown for papers, JSON for tools, CSV for spreadsheets."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import groupby

from ..errors import count
from .engine import Report
from .registry import Finding, Severity

__all__ = ["render_text", "render_markdown", "render_json", "render_csv", "CSV_HEADER", "summary"]

Style = Callable[[str, Severity], str]


def _plain(text: str, severity: Severity) -> str:  # noqa: ARG001 - same shape as a colour style
    return text


def summary(report: Report) -> str:
    """``Subject: 2 errors, 1 warning, 0 info on 4 dates (2027-05-05 to 2028-04-01)``."""
    counts = report.counts
    found = ", ".join(count(counts[s.value], s.value, "info" if s.value == "info" else None) for s in Severity)
    dates = report.dates
    if not dates:
        when = "no dates"
    elif len(dates) == 1:
        when = f"on {dates[0].isoformat()}"
    else:
        when = f"on {len(dates)} dates ({dates[0].isoformat()} to {dates[-1].isoformat()})"
    subject = report.subject or "structure"
    return f"{subject}: {found} {when}"


def _until(f: Finding) -> str:
    return f" (until {f.until.isoformat()})" if f.until else ""


def _terminal(text: str) -> str:
    """``text.terminal(text, keep="")``, without its walk over each character of a printable line.

    ``str.isprintable`` is false for every character ``terminal`` escapes (C0 and C1
    controls, bidirectional formatting, line and paragraph separators), so a
    printable line is already safe; a report lists hundreds of them.
    """
    if text.isprintable():
        return text
    from ..text import terminal

    return terminal(text, keep="")


def render_text(report: Report, style: Style | None = None) -> str:
    """Findings grouped by severity, then date; ``style(text, severity)`` colours headings and codes.

    Examples
    --------
    >>> import datetime as dt
    >>> f = Finding("SVD001", Severity.error, "Reading (E06000038) has no partnership", dt.date(2028, 4, 1))
    >>> print(render_text(Report("Demo", (dt.date(2028, 4, 1),), (f,))), end="")
    Demo: 1 error, 0 warnings, 0 info on 2028-04-01
    <BLANKLINE>
    Errors
      2028-04-01
        SVD001  Reading (E06000038) has no partnership
    """
    style = style or _plain
    lines = [_terminal(summary(report))]
    if not report.findings:
        lines.append("No findings.")
        return "\n".join(lines) + "\n"
    by_severity = sorted(report.findings, key=lambda f: (f.severity.rank, *f.sort_key()))
    for severity, group in groupby(by_severity, key=lambda f: f.severity):
        lines += ["", style(severity.value.capitalize() + ("s" if severity != Severity.info else ""), severity)]
        for date, dated in groupby(group, key=lambda f: f.date):
            lines.append(f"  {date.isoformat() if date else 'undated'}")
            for f in dated:
                lines.append(f"    {style(f.code, severity)}  {_terminal(f.message)}{_until(f)}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    from ..text import markdown

    return markdown(text)


def render_markdown(report: Report) -> str:
    """A Markdown table of findings under a one-line summary (for board papers)."""
    lines = [f"**{_cell(summary(report))}**", ""]
    if not report.findings:
        return "\n".join(lines + ["No findings."]) + "\n"
    lines += ["| date | severity | code | finding | until |", "|---|---|---|---|---|"]
    by_severity = sorted(report.findings, key=lambda f: (f.severity.rank, *f.sort_key()))
    for f in by_severity:
        lines.append(
            f"| {f.date.isoformat() if f.date else ''} | {f.severity.value} | {f.code} | "
            f"{_cell(f.message)} | {f.until.isoformat() if f.until else ''} |"
        )
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    """The report as indented JSON (``Report.to_dict``)."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


CSV_HEADER = ("date", "until", "severity", "code", "rule", "finding", "bodies", "areas")
"""The columns of ``check --format csv``: one finding per record."""


def render_csv(report: Report, bom: bool = True) -> str:
    """One finding per record under a header row (RFC 4180; UTF-8 byte order mark for Excel).

    Examples
    --------
    >>> import datetime as dt
    >>> f = Finding("SVD001", Severity.error, "Reading has no partnership", dt.date(2028, 4, 1))
    >>> print(render_csv(Report("Demo", (dt.date(2028, 4, 1),), (f,)), bom=False).splitlines()[1])
    2028-04-01,,error,SVD001,no partnership discharges the Serious Violence Duty for an area,Reading has no partnership,,
    """
    from ..io.csvfile import dumps
    from .registry import RULES

    rows = []
    for f in sorted(report.findings, key=lambda f: (f.severity.rank, *f.sort_key())):
        rule = RULES.get(f.code)
        rows.append((
            f.date.isoformat() if f.date else "", f.until.isoformat() if f.until else "", f.severity.value,
            f.code, rule.title if rule else "", f.message, list(f.bodies), list(f.areas),
        ))
    return dumps(CSV_HEADER, rows, bom=bom)
