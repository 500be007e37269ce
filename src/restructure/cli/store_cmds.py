"""``restructure init``, ``log``, ``branch``, ``tag``, ``export``, ``revert``: the version store.

Also the store side of ``restructure apply --branch`` (:func:`commit_outcome`:
print the library's plan, or commit it).
"""

from __future__ import annotations

import json

import click

from .options import (
    as_of_option,
    count,
    db_option,
    dry_run_option,
    echo_err,
    format_option,
    recorded_at_option,
)

__all__ = [
    "init",
    "log",
    "branch",
    "tag",
    "export",
    "revert",
    "commit_outcome",
    "commit_saved_plan",
]


def _size(structure) -> str:
    areas = sum(1 for _ in structure.areas())
    bodies = sum(1 for _ in structure.bodies())
    return f"{areas} areas, {bodies} bodies, {structure.graph.number_of_edges()} relations"


def _line(rec) -> str:
    from ..text import terminal

    return terminal(f"{rec.id}  {rec.created:%Y-%m-%d %H:%M}  {rec.author}  {rec.message}", keep="")


@click.command()
@click.option(
    "--baseline",
    "baseline_file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Structure file of the first version (default: the shipped Thames Valley baseline).",
)
@click.option("-m", "--message", default="Baseline", show_default=True, help="The first version's message.")
@click.option("--branch", "branch_name", default="baseline", show_default=True, help="Name of the first branch.")
@db_option
@dry_run_option
def init(baseline_file, message, branch_name, db, dry_run) -> None:
    """Create a version store whose first version is the baseline.

    \b
    Examples:
      restructure init
      restructure init --baseline scenarios/baseline/thames-valley.yaml
      restructure init --db postgresql://planner:secret@db.example/restructure
    """
    from ..baseline import BASELINE
    from ..store import open_store, resolve_url
    from ..structure import Structure

    path = baseline_file or str(BASELINE)
    structure = Structure.load(path)
    if dry_run:
        click.echo(
            f"Would initialise the store at {resolve_url(db)} with {path} ({_size(structure)}) "
            f"on branch '{branch_name}'. Nothing written (dry run)."
        )
        return
    with open_store(db) as store:
        vid = store.init(structure, message, branch=branch_name)
        click.echo(f"Initialised {store.url}: version {vid} on branch '{branch_name}' ({_size(structure)}).")


@click.command()
@click.argument("ref", required=False, metavar="[BRANCH]")
@click.option("-n", "--limit", type=click.IntRange(min=1), help="Show at most this many versions.")
@format_option("text", "json")
@db_option
def log(ref, limit, fmt, db) -> None:
    """List versions, newest first: those on BRANCH (or ref), or every version.

    \b
    Examples:
      restructure log
      restructure log oxon-single-unitary -n 5
      restructure log --format json
    """
    from ..store import open_store

    with open_store(db, create=False) as store:
        versions = store.log(ref, limit=limit)
    if fmt == "json":
        click.echo(json.dumps([v.to_dict() for v in versions], indent=2, ensure_ascii=False))
        return
    if not versions:
        click.echo("No versions in the store.")
        return
    for v in versions:
        refs = [*v.branches, *(f"tag: {t}" for t in v.tags)]
        extra = [f"{count(v.changes, 'record')} changed"]
        if v.findings:
            extra.append(count(len(v.findings), "finding"))
        deco = f" ({', '.join(refs)})" if refs else ""
        click.echo(f"{_line(v.record)}{deco}  [{'; '.join(extra)}]")


@click.command()
@click.argument("name", required=False)
@click.option("--from", "from_ref", default="baseline", show_default=True, metavar="REF",
              help="The version the new branch starts at.")
@db_option
@dry_run_option
def branch(name, from_ref, db, dry_run) -> None:
    """List branches, or create branch NAME at --from REF.

    \b
    Examples:
      restructure branch
      restructure branch oxon-two-unitaries --from baseline
    """
    _list_or_make(
        db, name, dry_run, lambda s: s.branches(), "No branches.",
        lambda s: f"Would create branch '{name}' at {s.resolve(from_ref)} ({from_ref}).",
        lambda s: f"Created branch '{name}' at {s.create_branch(name, from_ref)}.",
    )


def _list_or_make(db, name, dry_run: bool, listing, empty: str, would, make) -> None:
    """Without NAME, one line per branch or tag (name, then its head version), or ``empty``;
    with it, what would be made (``--dry-run``) or make it: each a function of the open store."""
    from ..store import open_store

    with open_store(db, create=False) as store:
        if name is None:
            refs = listing(store)
            if not refs:
                click.echo(empty)
            for r in refs:
                click.echo(f"{r.name}  {_line(r.head)}")
        elif dry_run:
            click.echo(f"{would(store)} Nothing written (dry run).")
        else:
            click.echo(make(store))


@click.command()
@click.argument("name", required=False)
@click.argument("ref", required=False)
@db_option
@dry_run_option
def tag(name, ref, db, dry_run) -> None:
    """List tags, or tag the version REF as NAME (tags never move).

    \b
    Examples:
      restructure tag
      restructure tag board-paper-2027-01 oxon-single-unitary
    """
    if name is not None and ref is None:
        raise click.BadParameter("give the version to tag: restructure tag NAME REF", param_hint="REF")
    _list_or_make(
        db, name, dry_run, lambda s: s.tags(), "No tags.",
        lambda s: f"Would tag {s.resolve(ref)} ({ref}) as '{name}'.",
        lambda s: f"Tagged {s.tag(name, ref)} as '{name}'.",
    )


_EXPORT_FORMATS = ("yaml", "json", "jsonld")
_EXPORT_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".jsonld": "jsonld"}


@click.command()
@click.argument("ref")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="File to write (- for YAML on stdout); its format follows --format, else its suffix "
                   "(.yaml or .yml YAML, .json JSON, .jsonld JSON-LD).")
@click.option("--format", "fmt", type=click.Choice(_EXPORT_FORMATS), default=None,
              help="yaml or json (this tool's own formats), or jsonld: W3C ORG and Popolo terms for other tools.")
@as_of_option("Export only what is in force on this date (YYYY-MM-DD).")
@click.option("--verify", is_flag=True, default=False,
              help="For a stored version: check its rows against its id (a checksum) and rebuild it with "
                   "every check, instead of trusting the store's own rows (slower).")
@db_option
@dry_run_option
@recorded_at_option("ref")
def export(ref, output, fmt, as_of, verify, db, dry_run) -> None:
    """Write the structure of REF (a stored version, or a FILE) to a file.

    \b
    Examples:
      restructure export baseline -o baseline.yaml
      restructure export oxon-single-unitary --as-of 2028-04-01 -o vesting-day.yaml
      restructure export scenarios/baseline/thames-valley.yaml --format jsonld -o thames-valley.jsonld
      restructure export baseline --verify -o baseline.yaml
    """
    from pathlib import Path

    from ..refs import load_structure

    if fmt is None:
        fmt = "yaml" if output == "-" else _EXPORT_SUFFIXES.get(Path(output).suffix.lower())
        if fmt is None:
            raise click.BadParameter(
                f"cannot tell the format of '{output}': give --format {', '.join(_EXPORT_FORMATS)}, "
                f"or a file ending in {', '.join(_EXPORT_SUFFIXES)}",
                param_hint="-o/--output",
            )
    structure = load_structure(ref, db=db, as_of=as_of, verify=verify)
    if dry_run:
        click.echo(f"Would write {output} ({_size(structure)}, {fmt}). Nothing written (dry run).")
        return
    if fmt == "jsonld":
        from ..io.jsonld import dumps_jsonld

        text = dumps_jsonld(structure)
    else:
        text = structure.to_json() if fmt == "json" else structure.to_yaml()
    if output == "-":
        click.echo(text, nl=False)
        return
    from ..io.atomic import write_atomic

    write_atomic(output, text)  # a failed write never leaves half a file
    echo_err(f"Wrote {output} ({_size(structure)})")


@click.command()
@click.argument("ref")
@click.option("--branch", "branch_name", metavar="NAME",
              help="The branch to add the revert to (default: REF itself, when it is a branch).")
@db_option
@dry_run_option
def revert(ref, branch_name, db, dry_run) -> None:
    """Undo the changes of version REF with a new version on a branch.

    Reverting a branch's latest version restores the state before it; an
    earlier version is undone on top of the later ones, unless they changed
    the same records again.

    \b
    Examples:
      restructure revert oxon-single-unitary
      restructure revert 3f9a2c1b --branch oxon-single-unitary
    """
    from ..store import open_store

    with open_store(db, create=False) as store:
        if branch_name is None:
            name = ref.split("~", 1)[0]
            if name not in {b.name for b in store.branches()}:
                raise click.BadParameter(f"'{ref}' is not a branch: say which branch to revert on", param_hint="--branch")
            branch_name = name
        plan = store.plan_revert(ref, branch_name)
        if dry_run:
            click.echo(
                f"Would revert {plan.version.id} ({plan.version.message}) on '{branch_name}': "
                f"{plan.restored} records restored. Nothing written (dry run)."
            )
            return
        vid = store.revert(ref, branch_name)
        click.echo(f"Reverted {plan.version.id} on '{branch_name}': version {vid} ({plan.restored} records restored).")


def commit_outcome(
    outcome, branch: str, *, base_ref=None, strict: bool = False, message=None, db=None, dry_run: bool = False,
    save_plan: str | None = None, output: str | None = None,
) -> list[str]:
    """``apply --branch``: plan the commit (:func:`~restructure.store.plan_scenario_commit`), say so, commit it.

    The note (re-applied on the branch) and the checks' findings go to stderr;
    ``--dry-run`` prints the plan and commits nothing (with ``save_plan`` it is
    also written to that file: :func:`~restructure.store.plans.save_plan`);
    otherwise the plan is committed (:func:`~restructure.store.commit_planned`).
    Both refuse the same way under ``--strict``. With ``output`` the structure
    committed (re-applied on the branch, if it was) is written to that file:
    written first to a temporary name, put in place only once the commit is
    made, so a failed write commits nothing and a refused commit writes nothing.

    Returns
    -------
    list of str
        The new version ids (none for a dry run).
    """
    from ..store import commit_planned, open_store, plan_scenario_commit
    from ..text import terminal

    with open_store(db) as store:
        plan = plan_scenario_commit(store, outcome, branch, base_ref=base_ref, strict=strict, message=message)
        if plan.reapplied:
            where = f"branch '{branch}' is at" if plan.head else "the branch starts from"
            echo_err(
                f"Note: {where} version {plan.base_version}, not the structure the scenario was run on: "
                "applying it on top of that version"
            )
        for f in plan.findings:
            echo_err(terminal(f"{f.severity.value}: {f.code} {f.message}", keep=""))
        if dry_run:
            refused = plan.refusal()
            if refused is not None:
                raise refused
            click.echo(f"{plan.describe()}. Nothing written (dry run).")
            if save_plan:
                from ..io.atomic import write_atomic
                from ..store.plans import save_plan as saved_text

                write_atomic(save_plan, saved_text(store, plan))
                echo_err(f"Saved the plan to {save_plan}: commit it with `restructure apply --plan {save_plan}`")
            return []
        from contextlib import nullcontext

        from ..io.atomic import staged

        with staged(output, plan.result.dumps(output)) if output else nullcontext() as pending:
            ids = commit_planned(store, plan)
            if pending is not None:
                pending.publish()
        click.echo(f"Committed {count(len(ids), 'version')} to branch '{branch}': {' '.join(ids)}")
    return ids


def commit_saved_plan(path: str, *, db=None, dry_run: bool = False) -> list[str]:
    """``restructure apply --plan FILE``: commit a saved plan exactly, or refuse in one line."""
    from pathlib import Path

    from ..errors import StoreError
    from ..store import open_store
    from ..store.plans import check_saved, commit_saved, load_plan

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot read the plan {path} ({exc.strerror})", "Check the path") from None
    saved = load_plan(text, source=f"the plan {path}")
    with open_store(db, create=False) as store:
        if dry_run:
            check_saved(store, saved)
            click.echo(f"{saved.plan.describe()} ({saved.plan.scenario}). Nothing written (dry run).")
            return []
        ids = commit_saved(store, saved)
    click.echo(f"Committed {count(len(ids), 'version')} to branch '{saved.plan.branch}': {' '.join(ids)}")
    return ids
