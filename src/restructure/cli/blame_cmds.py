"""``restructure blame``: who last changed each relation of an area or body, in which scenario, on what authority."""

from __future__ import annotations

import json

import click

from .options import as_of_option, db_option, format_option, recorded_at_option

__all__ = ["blame"]


@click.command()
@click.argument("ref")
@click.option("--area", metavar="ID|NAME", help="Blame the relations touching this area.")
@click.option("--body", metavar="ID|NAME", help="Blame the relations touching this body.")
@as_of_option("Relations in force on this date (default: those not ended, including planned ones).")
@recorded_at_option("ref")
@format_option("text", "json", "csv")
@db_option
def blame(ref, area, body, as_of, fmt, db) -> None:
    """For each relation of an area or body, the version that last changed it.

    Lists every seat, covers, discharges, member_of, serves and accountable_to
    relation touching the area or body at REF, each with the version that last
    changed it: its branch, author, recorded time, scenario, phase, operation
    and legal basis. Versions written before the store recorded provenance
    say so.

    \b
    Examples:
      restructure blame oxon-two --area Ridgeway
      restructure blame oxon-two --body ridgeway-council --as-of 2028-04-01 --format json
      restructure blame oxon-two@{2026-12-01} --area ridgeway --format csv
    """
    from ..store import open_store
    from ..store.provenance import render_csv, render_text

    if (area is None) == (body is None):
        raise click.UsageError("say what to blame: --area ID|NAME or --body ID|NAME (one of them)")
    with open_store(db, create=False) as store:
        result = store.blame(ref, area=area, body=body, as_of=as_of)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(render_csv(result), nl=False)
    else:
        click.echo(render_text(result), nl=False)
