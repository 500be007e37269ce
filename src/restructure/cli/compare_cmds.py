"""``restructure compare``: options side by side."""

from __future__ import annotations

import click

from .options import echo_err, format_option

__all__ = ["compare"]


@click.command()
@click.argument("options", nargs=-1, required=True, metavar="OPTION...")
@click.option("--base", default=None, metavar="FILE|REF",
              help="Structure (file or stored ref) every option is applied to (default: each scenario's own base). "
              "Needed when an option is a stored ref.")
@format_option("text", "markdown", "json", "csv", "html")
@click.option("-o", "--output", "output", default=None, type=click.Path(dir_okay=False),
              help="File to write (default: standard output).")
@click.option("--db", envvar="RESTRUCTURE_DATABASE_URL", metavar="URL",
              help="Store URL, when an option or --base is a stored ref (default: $RESTRUCTURE_DATABASE_URL, "
              "else sqlite:///restructure.db).")
def compare(options, base, fmt, output, db) -> None:
    """Compare options side by side: one column per OPTION (a scenario file or stored ref).

    Rows: local areas and Board seats after; CSPs and Duty partnerships
    after; councils created and abolished; districts and unitaries that
    change CSP; the days any unit lacks a Duty partnership and any local
    area lacks a Board seat over the transition; fire, ICB and police force
    boundaries straddled; errors and warnings with their rules' titles;
    required members missing. Then each option's verdict and its problems
    in plain sentences with dates.

    \b
    Examples:
      restructure compare scenarios/oxfordshire/one-unitary.yaml scenarios/oxfordshire/two-unitaries.yaml scenarios/oxfordshire/three-unitaries.yaml
      restructure compare scenarios/oxfordshire/*.yaml --format csv -o out/options.csv
      restructure compare scenarios/oxfordshire/two-unitaries.yaml scenarios/oxfordshire/csp-merge.yaml --format markdown
    """
    from ..appraisal import compare_options

    appraisal = compare_options(list(options), base=base, db=db)
    text = {
        "text": appraisal.render_text,
        "markdown": appraisal.render_markdown,
        "json": appraisal.render_json,
        "csv": appraisal.render_csv,
        "html": lambda: appraisal.render_html(full=True),
    }[fmt]()
    if output is None:
        click.echo(text, nl=False)
        return
    from ..io.atomic import write_atomic

    path = write_atomic(output, text)
    n = len(appraisal.options)
    echo_err(f"Wrote {path} ({n} option{'' if n == 1 else 's'})")
