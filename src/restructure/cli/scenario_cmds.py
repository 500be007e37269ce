"""``restructure schema`` and ``restructure apply``."""

from __future__ import annotations

from pathlib import Path

import click

from .options import DATE, count, db_option, echo_err

__all__ = ["schema", "apply"]


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the schema here instead of stdout.")
def schema(output: str | None) -> None:
    """Write the JSON Schema of scenario files.

    Point your editor's YAML language server at it for completion and inline
    errors while writing a scenario, e.g. add this first line to the file:

    \b
      # yaml-language-server: $schema=../../scenario.schema.json

    \b
    Example:
      restructure schema -o scenario.schema.json
    """
    from ..scenario import json_schema

    text = json_schema()
    if output:
        Path(output).write_text(text, encoding="utf-8")
        echo_err(f"Wrote {output}")
    else:
        click.echo(text, nl=False)


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--base", metavar="FILE|REF", help="The structure to apply to (default: the scenario's own base).")
@click.option("--as-of", "as_of", type=DATE, help="Apply only the phases effective on or before this date.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the resulting structure (YAML, or JSON by extension; missing folders are created).")
@click.option("--dry-run", is_flag=True, help="Print the plan, one line per operation in the order it will run; write nothing.")
@click.option("--branch", help="Commit one version per phase to this branch of the store.")
@click.option("--strict", is_flag=True, help="With --branch: refuse to commit when the checks find errors.")
@click.option("-m", "--message", help="With --branch: the commit message (default: the scenario's name).")
@db_option
def apply(scenario, base, as_of, output, dry_run, branch, strict, message, db) -> None:
    """Apply a SCENARIO to its base and write the resulting structure.

    The result keeps every record's dates, so `restructure show --as-of`
    on it reads any date of the transition. Nothing is written if any
    operation fails: the error names the file, line, phase and operation.

    \b
    Examples:
      restructure apply scenarios/oxfordshire/two-unitaries.yaml --dry-run
      restructure apply scenarios/oxfordshire/two-unitaries.yaml -o out/two-unitaries.yaml
      restructure apply scenarios/oxfordshire/one-unitary.yaml --branch oxon-single-unitary
    """
    from ..apply import run_scenario
    from ..scenario import load_scenario

    sc = load_scenario(scenario)
    outcome = run_scenario(sc, base, as_of=as_of, keep_phases=bool(branch), db=db)
    if dry_run:
        click.echo(f"Plan for {sc.name} ({count(len(outcome.phases), 'phase')}):")
        for line in sc.plan():
            click.echo(line)
        click.echo(f"{count(len(outcome.edits), 'edit')}; nothing written (dry run).")
        if branch:  # the real run applies on the branch: plan there too, so it fails the same way
            from .store_cmds import commit_outcome

            commit_outcome(outcome, branch, base_ref=base, strict=strict, message=message, db=db, dry_run=True)
        return
    if not output and not branch:
        raise click.UsageError("say where the result goes: -o FILE, --branch NAME, or --dry-run")
    if branch:
        from .store_cmds import commit_outcome

        commit_outcome(outcome, branch, base_ref=base, strict=strict, message=message, db=db)
    if output:
        outcome.structure.save(output)
        echo_err(f"Wrote {output} ({count(len(outcome.phases), 'phase')}, {count(len(outcome.edits), 'edit')})")
