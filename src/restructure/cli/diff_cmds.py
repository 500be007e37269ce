"""``restructure diff``: what changes between two structures, scenarios, versions or dates."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import click

from .options import DATE, db_option, format_option, recorded_at_option

__all__ = ["diff"]


@click.command()
@click.argument("a", metavar="A")
@click.argument("b", metavar="[B]", required=False)
@click.option(
    "--as-of", "as_of", type=DATE, multiple=True, metavar="DATE",
    help="Compare as things stand on DATE (YYYY-MM-DD). Once: both sides on that date. "
    "Twice: A on the first date, B (or A again) on the second.",
)
@click.option("--base", metavar="FILE|REF", help="When A is a scenario: the structure to apply it to (default: its own base).")
@click.option("--stat", is_flag=True, help="Print only a one-line summary of the changes.")
@format_option("text", "json", "markdown", "csv")
@click.option("--edits", is_flag=True, help="Also list every primitive edit of the patch (text, markdown and csv).")
@click.option(
    "--patch", "as_patch", is_flag=True,
    help="Write the patch instead: a one-phase scenario of add/remove/update edits (YAML) for `restructure apply`.",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are differences (like `git diff --exit-code`).")
@click.option(
    "--scope", type=click.Choice(["all", "councils"]), default="all", show_default=True,
    help="councils: compare only the districts, unitaries and counties in force (code, name, kind, council, "
    "parent, police force area), ignoring partnerships, statistical areas and former districts kept as parts.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default=None,
    help="Write to this file instead of stdout (missing folders are created). With --patch, the patch's "
    "base is written relative to the file's folder, so it applies from anywhere.",
)
@db_option
@recorded_at_option("a", "b", "base")
def diff(a, b, as_of, base, stat, fmt, edits, as_patch, exit_code, scope, output, db) -> None:
    """Show what changes from A to B, in planners' terms.

    A and B are structure files, scenario files (a scenario stands for its
    result) or refs in the store (branch, tag, version). With only A: a
    scenario file compares its base with its result; anything else needs
    --as-of twice, to compare it with itself on two dates.

    The summary lists bodies created, dissolved, merged, split and renamed;
    for each district and unitary, the CSP and the partnership discharging
    the Serious Violence Duty before and after; membership changes; Strategy
    Board seats gained, lost and moved; and findings of the checks introduced
    and resolved. Without --as-of, both sides are read on the latest date
    either mentions (a scenario: its base on the day before its first phase,
    its result on its last phase date).

    \b
    Examples:
      restructure diff scenarios/oxfordshire/two-unitaries.yaml
      restructure diff scenarios/oxfordshire/two-unitaries.yaml --stat
      restructure diff baseline.yaml other.yaml --format markdown > board-paper.md
      restructure diff baseline --as-of 2027-03-31 --as-of 2028-04-01
      restructure diff baseline oxon-single-unitary --format json
      restructure diff scenarios/oxfordshire/two-unitaries.yaml --format csv > changes.csv
      restructure diff old.yaml new.yaml --patch -o patches/patch.yaml
      restructure diff replayed.yaml ew-2023.yaml --scope councils --as-of 2024-01-01 --exit-code
    """
    from ..diff import compare_refs
    from ..io.yamlfile import dump
    from ..refs import classify

    # A is read (a YAML file parsed) once, when first asked about, and the same reading is loaded
    named_a = functools.cache(lambda: classify(a))

    def a_is_scenario() -> bool:
        return named_a().kind == "scenario"

    if len(as_of) > 2:
        raise click.BadParameter("give it at most twice", param_hint="--as-of")
    if stat and fmt != "text":
        raise click.BadParameter("--stat is a one-line text summary; leave out --format", param_hint="--stat")
    if as_patch and (stat or fmt != "text"):
        raise click.BadParameter("--patch writes YAML; leave out --stat and --format", param_hint="--patch")
    if b is None and len(as_of) != 2 and not a_is_scenario():  # the cheap tests first: this one parses A
        raise click.UsageError(
            f"nothing to compare {a} with: give B, a scenario file, or --as-of twice "
            "to compare one structure on two dates"
        )
    if base and (b is not None or not a_is_scenario()):
        raise click.BadParameter("--base goes with a scenario file A and no B", param_hint="--base")
    if scope == "councils":
        if output:
            raise click.BadParameter("--scope councils writes to stdout: leave out -o and redirect", param_hint="-o")
        _diff_councils(a, b, as_of, base, stat, fmt, edits, as_patch, exit_code, db)
        return
    cmp = compare_refs(named_a(), b, as_of, db=db, findings=not as_patch, base=base)
    if as_patch:
        # the patch applies to A itself; a scenario's base, or A on a date, must be given to `apply --base`
        patch_base = None
        if b is not None and not as_of and not a_is_scenario():
            patch_base = _portable_base(a, output)
        on = cmp.after.on or cmp.before.on or dt.date.today()
        scenario = cmp.diff.to_scenario(
            f"patch: {cmp.before.title()} -> {cmp.after.title()}", on, base=patch_base,
            description="Made by `restructure diff --patch`: primitive edits, effective whatever the phase date.",
        )
        text = dump(scenario)
    elif stat:
        text = cmp.stat() + "\n"
    elif fmt == "json":
        text = cmp.to_json()
    elif fmt == "markdown":
        text = cmp.render_markdown(edits=edits)
    elif fmt == "csv":
        from ..diff.render import csv

        text = csv(cmp, edits=edits)
    else:
        text = cmp.render_text(color=output is None, edits=edits)
    if output is None:
        click.echo(text, nl=False)
    else:
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if exit_code and not cmp.empty:
        raise SystemExit(1)


def _portable_base(a: str, output: str | None) -> str:
    """A patch's ``base:``: a file relative to the patch's own folder (absolute on stdout); a ref as given."""
    import os

    from ..refs import is_file_ref

    if not is_file_ref(a):
        return a
    if output is None:
        return str(Path(a).resolve())
    return os.path.relpath(Path(a).resolve(), Path(output).resolve().parent)


def _diff_councils(a, b, as_of, base, stat, fmt, edits, as_patch, exit_code, db) -> None:
    from ..diff import compare_councils_refs

    if as_patch or edits:
        raise click.BadParameter("--scope councils compares areas, not records: leave out --patch and --edits", param_hint="--scope")
    cmp = compare_councils_refs(a, b, as_of, db=db, base=base)
    if stat:
        click.echo(cmp.stat())
    elif fmt == "json":
        click.echo(cmp.to_json(), nl=False)
    elif fmt == "markdown":
        click.echo(cmp.render_markdown(), nl=False)
    else:
        click.echo(cmp.render_text(), nl=False)
    if exit_code and not cmp.empty:
        raise SystemExit(1)
