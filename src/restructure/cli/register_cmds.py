"""``restructure new-area``: a draft register for any police force area."""

from __future__ import annotations

import click

from .import_cmds import _write
from .options import count, echo_err

__all__ = ["new_area"]


@click.command("new-area")
@click.option("--pfa", metavar="NAME|CODE", help='The police force area: its name ("Surrey") or GSS code (E23000031), any case.')
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the register here (YAML, or JSON by extension); default stdout.")
@click.option("--list", "list_", is_flag=True, help="List the 43 police force areas of England and Wales and exit.")
def new_area(pfa, output, list_) -> None:
    """Build a draft partnership register for any police force area.

    From the public data bundled with restructure (ONS and mySociety): the
    force area, counties, districts and unitaries with their councils; the
    police and the PCC's office; the fire and rescue authority of each
    district; and, as drafts to confirm, one Community Safety Partnership
    per ONS CSP area, a youth justice service per upper-tier council, the ICB
    and probation region as placeholders, and a strategy board with one seat
    per local area. Each draft's note begins "Draft:"; `restructure check`
    lists them (DRF001). An unknown force names the nearest; nothing is
    written on error.

    \b
    Examples:
      restructure new-area --pfa Surrey -o surrey.yaml && restructure check surrey.yaml
      restructure new-area --pfa E23000028 -o essex.yaml
      restructure new-area --list
    """
    from ..io.register import new_area as build
    from ..io.register import police_force_areas
    from ..model import is_draft

    if list_:
        for code, name in police_force_areas():
            click.echo(f"{code}  {name}")
        return
    if not pfa:
        raise click.UsageError("Give --pfa NAME|CODE (restructure new-area --list names them).")
    structure = build(pfa)
    text = structure.to_json() if output and output.endswith(".json") else structure.to_yaml()
    _write(output, text)
    drafts = sum(1 for b in structure.bodies() if is_draft(b)) + sum(1 for r in structure.relations() if is_draft(r))
    csps = sum(1 for _ in structure.bodies(kind="community_safety_partnership"))
    where = f"Wrote {output}" if output else "Built"
    then = f" run `restructure check {output}` to list them" if output else ""
    echo_err(
        f"{where}: {structure.name}, {count(len(structure.units()), 'district and unitary', 'districts and unitaries')}, "
        f"{count(len(structure.local_areas()), 'local area')}, {count(csps, 'draft CSP')}; "
        f"{count(drafts, 'draft record')} to confirm{':' + then if then else ''}"
    )
