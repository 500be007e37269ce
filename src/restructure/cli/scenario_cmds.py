"""``restructure schema`` and ``restructure apply``."""

from __future__ import annotations

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
        from ..io.atomic import write_atomic

        write_atomic(output, text)
        echo_err(f"Wrote {output}")
    else:
        click.echo(text, nl=False)


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False), required=False)
@click.option("--base", metavar="FILE|REF", help="The structure to apply to (default: the scenario's own base).")
@click.option("--as-of", "as_of", type=DATE, help="Apply only the phases effective on or before this date.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the resulting structure (YAML, or JSON by extension; missing folders are created).")
@click.option("--dry-run", is_flag=True, help="Print the plan, one line per operation in the order it will run; write nothing.")
@click.option("--branch", help="Commit one version per phase to this branch of the store.")
@click.option("--strict", is_flag=True, help="With --branch: refuse to commit when the checks find errors.")
@click.option("-m", "--message", help="With --branch: the commit message (default: the scenario's name).")
@click.option("--save-plan", "save_plan", metavar="FILE", type=click.Path(dir_okay=False),
              help="With --branch --dry-run: write the exact commit (edits, branch head, base, hash) to FILE, "
              "for `restructure apply --plan FILE`.")
@click.option("--plan", "plan_file", metavar="FILE", type=click.Path(dir_okay=False),
              help="Commit a plan saved with --save-plan exactly (no SCENARIO); refused if the branch moved "
              "or the file was changed.")
@db_option
def apply(scenario, base, as_of, output, dry_run, branch, strict, message, save_plan, plan_file, db) -> None:
    """Apply a SCENARIO to its base and write the resulting structure.

    The result keeps every record's dates, so `restructure show --as-of`
    on it reads any date of the transition. Nothing is written if any
    operation fails: the error names the file, line, phase and operation.

    With --branch --dry-run --save-plan FILE the commit is worked out and
    saved; `restructure apply --plan FILE` later commits exactly that, or
    refuses (writing nothing) if the branch has moved or the file was edited.

    \b
    Examples:
      restructure apply scenarios/oxfordshire/two-unitaries.yaml --dry-run
      restructure apply scenarios/oxfordshire/two-unitaries.yaml -o out/two-unitaries.yaml
      restructure apply scenarios/oxfordshire/one-unitary.yaml --branch oxon-single-unitary
      restructure apply scenarios/oxfordshire/two-unitaries.yaml --branch oxon-two --dry-run --save-plan plan.json
      restructure apply --plan plan.json
    """
    if plan_file is not None:
        given = [name for name, v in (("SCENARIO", scenario), ("--branch", branch), ("--base", base),
                                      ("-o", output), ("--as-of", as_of), ("--save-plan", save_plan),
                                      ("--message", message), ("--strict", strict)) if v]
        if given:
            raise click.UsageError(f"--plan commits a saved plan as it is: drop {', '.join(given)}")
        from .store_cmds import commit_saved_plan

        commit_saved_plan(plan_file, db=db, dry_run=dry_run)
        return
    if scenario is None:
        raise click.UsageError("give a SCENARIO file, or --plan FILE to commit a saved plan")
    if save_plan and not (branch and dry_run):
        raise click.BadParameter("a plan is saved from a dry run on a branch: add --branch NAME --dry-run",
                                 param_hint="--save-plan")
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

            commit_outcome(
                outcome, branch, base_ref=base, strict=strict, message=message, db=db, dry_run=True,
                save_plan=save_plan,
            )
        return
    if not output and not branch:
        raise click.UsageError("say where the result goes: -o FILE, --branch NAME, or --dry-run")
    if branch:
        from .store_cmds import commit_outcome

        # -o gets what the branch gets: the scenario re-applied on the branch's latest version, if it was
        commit_outcome(outcome, branch, base_ref=base, strict=strict, message=message, db=db, output=output)
    elif output:
        outcome.structure.save(output)
    if output:
        echo_err(f"Wrote {output} ({count(len(outcome.phases), 'phase')}, {count(len(outcome.edits), 'edit')})")
