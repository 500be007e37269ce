"""``restructure members``: who must sit on a partnership, who does, who is missing."""

from __future__ import annotations

import click

from .options import DATE, db_option, format_option, today

__all__ = ["members"]


@click.command()
@click.argument("partnership")
@click.argument("ref", metavar="[REF|FILE]", required=False)
@click.option("--as-of", "as_of", type=DATE, default=None, help="The date to look at (default: today).")
@db_option
@format_option("text", "json", "csv", "markdown")
def members(partnership: str, ref: str | None, as_of, db: str | None, fmt: str) -> None:
    """List who must sit on PARTNERSHIP (a CSP or Duty partnership) and who does.

    REF|FILE is a structure file, a scenario file (its result) or a stored
    ref; default: the Thames Valley baseline. The required members follow
    from the law and from who serves the partnership's area on the date, never
    from who was a member before: the Crime and Disorder Act 1998 s.5
    responsible authorities for the areas it covers (each council - county and
    district in two-tier areas -, the chief officer of police, the fire and
    rescue authority, the integrated care board, the probation provider) and,
    where it discharges the Serious Violence Duty, the specified authorities
    (Police, Crime, Sentencing and Courts Act 2022 s.11 and Sch.1), which add
    the youth offending teams (youth justice services).

    Lists the required members, the members with their role, the missing
    required members and the superfluous statutory members (serving none of
    its area), each with a short reason. CSV is RFC 4180 with a header row,
    in UTF-8 with a byte order mark.

    \b
    Examples:
      restructure members cherwell-csp
      restructure members oxford-and-shires-csp scenarios/oxfordshire/two-unitaries.yaml --as-of 2028-10-01
      restructure members ridgeway-csp out/two.yaml --as-of 2028-10-01 --format json
      restructure members reading-csp --format csv > reading-members.csv
    """
    from ..baseline import BASELINE
    from ..io.yamlfile import dumps_json
    from ..membership import render_markdown, render_text, to_csv
    from ..refs import load_structure

    s = load_structure(ref or str(BASELINE), db=db)
    result = s.required_members(partnership, as_of or today())
    if fmt == "json":
        click.echo(dumps_json(result.to_dict()), nl=False)
    elif fmt == "csv":
        click.echo(to_csv(result).encode("utf-8"), nl=False)  # bytes: CRLF and the BOM kept as written
    elif fmt == "markdown":
        click.echo(render_markdown(result), nl=False)
    else:
        click.echo(render_text(result), nl=False)
