"""``restructure drift``: where the register disagrees with ONS and mySociety."""

from __future__ import annotations

import click

from .options import DATE, db_option, format_option, today

__all__ = ["drift"]

_FILE = click.Path(dir_okay=False)


@click.command()
@click.argument("ref")
@click.option("--ons", type=_FILE, default=None, metavar="FILE",
              help="An ONS 'LAD to CSP to PFA' lookup (default: the bundled December 2023 one).")
@click.option("--councils", type=_FILE, default=None, metavar="FILE",
              help="mySociety's councils table, uk_local_authorities_future.csv (default: the bundled one).")
@click.option("--counties", type=_FILE, default=None, metavar="FILE",
              help="An ONS 'LAD to county' lookup (default: the bundled April 2021 one).")
@click.option("--as-of", "as_of", type=DATE, default=None, help="The date to compare on (default: today).")
@click.option("--exit-code", is_flag=True, help="Exit 1 when there is drift (for scripts and CI).")
@db_option
@format_option("text", "json", "csv", "markdown")
def drift(ref, ons, councils, counties, as_of, exit_code, db, fmt) -> None:
    """Compare the register REF (a FILE or stored ref) with the public lookups.

    Only what both know is compared, within the register's police force
    areas: the districts and unitaries in force (code, name, kind, county,
    police force area), the counties, and the councils (kind and name; a
    change of style such as city status is not drift). Partnerships, parts
    of districts and ONS statistical areas are not drift. Each disagreement
    is one sentence; CSV is RFC 4180 with a header row and a UTF-8 BOM.

    \b
    Examples:
      restructure drift scenarios/baseline/thames-valley.yaml
      restructure drift baseline --as-of 2026-11-25 --exit-code
      restructure drift scenarios/oxfordshire/two-unitaries.yaml --as-of 2029-01-01 --format csv > drift.csv
      restructure drift scenarios/baseline/thames-valley.yaml --ons LAD17_CSP17_PFA17_EW_LU.csv
    """
    from .. import drift as lib
    from ..refs import load_structure

    structure = load_structure(ref, db=db)
    found = lib.drift(structure, as_of or today(), ons=ons, councils=councils, counties=counties)
    render = {"text": lib.render_text, "json": lib.render_json, "csv": lib.render_csv, "markdown": lib.render_markdown}
    click.echo(render[fmt](found), nl=False)
    if exit_code and found.disagreements:
        raise SystemExit(1)
