"""``restructure import ons`` and ``restructure import successions``."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from .options import DATE, count, echo_err

__all__ = ["import_"]


@click.group("import")
def import_() -> None:
    """Build structures and scenarios from public lookup files.

    \b
    Without a file, the ONS and mySociety editions that ship with
    restructure are read (see restructure/data/README.md).

    \b
    Examples:
      restructure import ons --year 2023 --pfa "Thames Valley" -o tv-2023.yaml
      restructure import ons --year 2017 -o ew-2017.yaml
      restructure import successions --from 2017-01-01 --to 2023-12-31 --base ew-2017.yaml -o history.yaml
    """


def _rows(paths) -> int:
    total = 0
    for p in paths:
        try:
            with open(p, "rb") as f:
                total += max(sum(1 for _ in f) - 1, 0)
        except OSError:
            pass  # the importer reports a missing file properly
    return total


@contextmanager
def _progress(label: str, paths) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr when it is a terminal; nothing otherwise (logs stay clean)."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=_rows(paths), label=label, file=sys.stderr) as bar:
        yield bar.update


def _write(path: str | None, text: str) -> None:
    """Write atomically (a temporary file, then rename), or to stdout without a path."""
    if path is None:
        click.echo(text, nl=False)
        return
    from ..io.atomic import write_atomic

    write_atomic(path, text)


@import_.command("ons")
@click.argument("lookup", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--year",
    type=click.Choice(["2017", "2023"]),
    default=None,
    help="Without LOOKUP: which bundled ONS edition (January 2017 or December 2023; default 2023), "
    "with its districts under their counties.",
)
@click.option("--pfa", metavar="CODE|NAME", help="Keep one police force area (E23000029 or \"Thames Valley\"); default all of England and Wales.")
@click.option(
    "--counties",
    type=click.Path(dir_okay=False),
    help="A district-to-county lookup: ONS LADyy_CTYyy, or mySociety's uk_local_authorities_future.csv (also knows "
    "abolished districts). Default without LOOKUP: the bundled one that fits --year.",
)
@click.option(
    "--small-areas",
    "small_areas",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[FILE]",
    help="mySociety's lookup_lsoa_to_registry.csv: add small areas (LSOAs) under their councils. "
    "Alone: the bundled copy.",
)
@click.option(
    "--councils",
    type=click.Path(dir_okay=False),
    help="mySociety's uk_local_authorities_future.csv, to join --small-areas to GSS codes (default: the bundled copy).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the structure here (YAML, or JSON by extension); default stdout.")
def ons(lookup, year, pfa, counties, small_areas, councils, output) -> None:
    """Build a structure from an ONS LAD to CSP to PFA LOOKUP of any year.

    Without LOOKUP, the edition of --year that ships with restructure (ONS,
    Open Government Licence v3.0) is read, with the bundled county lookup;
    see restructure/data/README.md. Column names may carry any year (LAD17CD,
    LAD23CD, ...). ONS CSP areas (E22/W14) become statistical areas, not
    partnerships. The structure's sources carry the publishers' required
    attribution. A bad file stops with one line naming the file, line and
    problem; nothing is written.

    \b
    Examples:
      restructure import ons --year 2023 --pfa "Thames Valley" -o tv-2023.yaml
      restructure import ons --year 2017 -o ew-2017.yaml
      restructure import ons --small-areas -o ew-lsoa.yaml
      restructure import ons LAD23_CSP23_PFA23_EW_LU.csv --pfa Kent \\
          --counties LAD21_CTY21_EN_LU.csv -o kent-2023.yaml
    """
    from .. import data
    from ..io.ons import import_ons

    if lookup and year:
        raise click.BadParameter("give a LOOKUP file or --year (a bundled edition), not both", param_hint="--year")
    if councils and small_areas is None:
        raise click.BadParameter("--councils goes with --small-areas", param_hint="--councils")
    pair = None
    if small_areas is not None:
        pair = (small_areas or data.path(data.SMALL_AREAS), councils or data.path(data.COUNCILS))
    lookup_file = lookup or data.path(data.ONS_LOOKUPS[int(year or max(data.ONS_LOOKUPS))])
    with _progress("Importing", [lookup_file, *([pair[0]] if pair else [])]) as progress:
        structure = import_ons(lookup, pfa=pfa, counties_path=counties, small_areas=pair, progress=progress,
                               year=None if lookup else int(year or max(data.ONS_LOOKUPS)))
    text = structure.to_json() if output and output.endswith(".json") else structure.to_yaml()
    _write(output, text)
    n_pfa = sum(1 for _ in structure.areas(kind="police_force_area"))
    n_small = sum(1 for _ in structure.areas(kind="small_area"))
    counted = f"{len(structure.units())} districts and unitaries, {len(structure.local_areas())} local areas, {n_pfa} police force area{'s' if n_pfa != 1 else ''}"
    if pair:
        counted += f", {n_small} small areas"
    echo_err(f"{'Wrote ' + output if output else 'Imported'}: {counted}")


@import_.command("successions")
@click.argument("table", required=False, type=click.Path(dir_okay=False))
@click.option("--from", "date_from", type=DATE, required=True, help="The base's date: councils created after it are included.")
@click.option("--to", "date_to", type=DATE, required=True, help="The last vesting date to include.")
@click.option(
    "--base",
    type=click.Path(dir_okay=False),
    help="The structure the scenario applies to (e.g. from `import ons`): names abolished councils by their ids there, "
    "places new areas in their police force area and finds renames. Written as the scenario's base.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the scenario here; default stdout.")
def successions(table, date_from, date_to, base, output) -> None:
    """Turn mySociety's councils TABLE (predecessor -> successor) into a scenario.

    Without TABLE, the copy that ships with restructure (mySociety, CC BY
    4.0) is read; the scenario's sources carry its attribution. One phase
    per vesting date; councils reorganised into their successors
    with `reorganise_councils`. The file's comments say which source wins
    where mySociety's dates or names disagree. With --base from a one-force
    import (`import ons --pfa Cumbria`), councils outside it are skipped and
    counted on one line.

    \b
    Examples:
      restructure import successions --from 2017-01-01 --to 2023-12-31 --base ew-2017.yaml -o history.yaml
      restructure import successions uk_local_authorities_future.csv \\
          --from 2017-01-01 --to 2023-12-31 --base ew-2017.yaml -o history.yaml
    """
    from ..io.successions import dump_scenario, import_successions
    from ..structure import Structure

    if date_to < date_from:
        raise click.BadParameter(f"{date_to} is before --from {date_from}", param_hint="--to")
    structure = Structure.load(base) if base else None
    relative = None
    if base:
        start = Path(output).resolve().parent if output else Path.cwd()
        relative = os.path.relpath(Path(base).resolve(), start)
    skipped: list[str] = []
    scenario = import_successions(table, date_from, date_to, structure=structure, base=relative, skipped=skipped)
    _write(output, dump_scenario(scenario))
    n_ops = sum(len(p["operations"]) for p in scenario["phases"])
    echo_err(f"{'Wrote ' + output if output else 'Scenario'}: {count(len(scenario['phases']), 'phase')}, {count(n_ops, 'operation')}")
    if skipped:
        echo_err(f"Skipped {count(len(skipped), 'new council')} outside the base (e.g. {skipped[0]}): none of the councils they replace is in it.")
