"""``restructure check``: continuity findings for a structure or a scenario, by date."""

from __future__ import annotations

import sys

import click

from .options import DATE, db_option, format_option, no_cycle_collection, recorded_at_option

__all__ = ["check"]

_COLOURS = {"error": ("red", True), "warning": ("yellow", True), "info": ("cyan", False)}


def _colour(text: str, severity) -> str:
    fg, bold = _COLOURS[severity.value]
    return click.style(text, fg=fg, bold=bold)


def _is_terminal() -> bool:
    """Colour only for a person at a terminal; plain text when piped, captured, --no-color or NO_COLOR."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.color is not None:
        return ctx.color
    return sys.stdout.isatty()


def _parse_severity(ctx, param, values):
    out = {}
    for value in values:
        code, sep, level = value.partition("=")
        if not sep or not code or not level:
            raise click.BadParameter(f"'{value}' is not CODE=LEVEL (e.g. SVD003=warning)", ctx, param)
        if level.lower() not in ("error", "warning", "info"):
            raise click.BadParameter(f"level '{level}' is not one of error, warning, info", ctx, param)
        out[code.upper()] = level.lower()
    return out


def _codes_known(ctx, param, values):
    from ..checks import RULES

    for code in values:
        if code.upper() not in RULES:
            raise click.BadParameter(f"unknown rule code '{code}' (codes: {', '.join(sorted(RULES))})", ctx, param)
    return values


@click.command()
@click.argument("path", required=False, metavar="PATH")
@click.option("--base", metavar="FILE|REF", help="Scenario: the structure to apply it to (default: its own base). "
              "Structure: the current structure to compare it with (what it would lose).")
@click.option("--as-of", "as_of", type=DATE, default=None,
              help="Check only this date (YYYY-MM-DD); for a scenario also the day before it. "
              "Default: a scenario's effective dates and the day before each; a structure today "
              "and its later change dates.")
@format_option("text", "json", "markdown", "csv")
@click.option("--disable", multiple=True, metavar="CODE", callback=_codes_known,
              help="Switch a rule off (repeatable); adds to [tool.restructure] disable in pyproject.toml.")
@click.option("--severity", "severity", multiple=True, metavar="CODE=LEVEL", callback=_parse_severity,
              help="Re-grade a rule: error, warning or info (repeatable), e.g. --severity SVD003=warning.")
@click.option("--explain", metavar="CODE", default=None,
              help="Print a rule's rationale and statutory basis, and exit.")
@click.option("--rules", "list_rules", is_flag=True, help="List every rule's code, severity and title, and exit.")
@db_option
@recorded_at_option("path", "base")
def check(path, base, as_of, fmt, disable, severity, explain, list_rules, db) -> None:
    """Check that no area loses its partnership or its Strategy Board voice.

    PATH is a scenario file (top-level `phases:`), a structure file, or a
    stored ref. A scenario is checked on every effective date and the day
    before each, so gaps between phases show; a structure on today and its
    later change dates. Findings are grouped by severity and date. Exit
    status 1 when any error is found, else 0. Rules are configured in
    pyproject.toml under [tool.restructure] (disable = [...], severity =
    {CODE = "warning"}), found from the working directory upward.

    \b
    Examples:
      restructure check scenarios/oxfordshire/two-unitaries.yaml
      restructure check scenarios/baseline/thames-valley.yaml --as-of 2026-11-25
      restructure check proposed.yaml --base scenarios/baseline/thames-valley.yaml
      restructure check scenarios/oxfordshire/one-unitary.yaml --format json
      restructure check scenarios/oxfordshire/two-unitaries.yaml --format csv > findings.csv
      restructure check --explain SVD001
    """
    from ..checks import Config, check_path, render_json, render_markdown, render_text, rules
    from ..checks import explain as explain_rule
    from ..checks.render import render_csv

    if explain:
        click.echo(explain_rule(explain), nl=False)
        return
    if list_rules:
        for r in rules():
            click.echo(f"{r.code}  {r.severity.value:<7}  {r.kind:<10}  {r.title}")
        return
    if path is None:
        raise click.UsageError("name a scenario or structure to check, or use --explain CODE or --rules")
    config = Config.load().with_overrides(disable, severity)
    with no_cycle_collection():
        report = check_path(path, base=base, as_of=as_of, config=config, db=db)
    if fmt == "json":
        click.echo(render_json(report), nl=False)
    elif fmt == "markdown":
        click.echo(render_markdown(report), nl=False)
    elif fmt == "csv":
        click.echo(render_csv(report), nl=False)
    else:
        click.echo(render_text(report, _colour if _is_terminal() else None), nl=False)
    if report.errors:
        click.get_current_context().exit(1)
