"""``restructure validate`` and ``restructure show``."""

from __future__ import annotations

import click

from .options import DATE, count, db_option, echo_err, format_option, recorded_at_option, today

__all__ = ["validate", "show"]


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--base", metavar="FILE|REF",
    help="Apply scenario FILES to this structure (file or stored ref) instead of their own base; "
    "needed by scenarios that name none.",
)
@db_option
def validate(files: tuple[str, ...], base: str | None, db: str | None) -> None:
    """Check structure or scenario FILES against the model.

    A structure file is checked for unknown or duplicate ids, relations
    between the wrong sorts of record, missing parents, cycles and dates out
    of order; every problem is one line with its file and line. A scenario
    file is loaded and applied to its base (or to --base), so an operation
    that does not fit is reported too (--db: the store, when a base is a
    stored ref). Nothing is written.

    \b
    Examples:
      restructure validate scenarios/baseline/thames-valley.yaml
      restructure validate scenarios/oxfordshire/*.yaml
      restructure validate scenarios/history/*.yaml --base ew-2017.yaml
    """
    from ..apply import run_scenario
    from ..errors import RestructureError
    from ..io.yamlfile import load
    from ..refs import classify, load_structure
    from ..structure import validate_data

    failed = 0
    base_structure = None
    for f in files:
        try:
            named = classify(f)  # the file is parsed once, to tell and to validate
            if named.kind == "scenario":
                if base is not None and base_structure is None:
                    base_structure = load_structure(base, db=db)  # read once for every scenario
                outcome = run_scenario(f, base_structure, db=db)
                n = sum(len(p.operations) for p in outcome.phases)
                click.echo(f"{f}: ok (scenario, {count(len(outcome.phases), 'phase')}, {count(n, 'operation')})")
                continue
            doc = named.doc if named.doc is not None else load(f)
            problems = validate_data(doc.data, doc)
        except RestructureError as exc:
            problems = [exc]
        if problems:
            failed += 1
            for p in problems:
                echo_err(f"Error: {p.message()}")
        else:
            data = doc.data
            areas = data.get("areas") or []
            # a `parent:` on an area is a `within` relation written short: count it as one
            n_relations = len(data.get("relations") or []) + sum(1 for a in areas if a.get("parent"))
            click.echo(
                f"{f}: ok ({count(len(areas), 'area')}, {count(len(data.get('bodies') or []), 'body', 'bodies')}, "
                f"{count(n_relations, 'relation')})"
            )
    if failed:
        raise SystemExit(1)


def _names(items) -> str:
    return ", ".join(f"{i['name']} ({i['id']})" + (" for part of it" if i.get("part") else "") for i in items) or "none"


@click.command()
@click.argument("ref")
@click.option("--area", "area", metavar="CODE|NAME",
              help="Show one area (GSS code, or name in any case): who covers it, discharges the Duty, sits for it.")
@click.option("--body", "body", metavar="ID|NAME", help="Show one body (id, or name in any case): footprint, members, seats, lineage.")
@click.option("--as-of", "as_of", type=DATE, default=None, help="The date to show (default: today).")
@click.option("--all-dates", is_flag=True, help="Ignore dates: show every record, past and future.")
@db_option
@format_option("text", "json", "csv")
@recorded_at_option("ref")
def show(ref: str, area: str | None, body: str | None, as_of, all_dates: bool, db: str | None, fmt: str) -> None:
    """Summarise a structure (a FILE, or a stored REF) by tier, area and seat.

    A body or area not in force on the date is shown with its lines of
    succession and the bodies (or areas) in force in its place, however many
    changes ago it ended.

    \b
    Examples:
      restructure show scenarios/baseline/thames-valley.yaml
      restructure show scenarios/baseline/thames-valley.yaml --area E07000177
      restructure show scenarios/baseline/thames-valley.yaml --area Cherwell
      restructure show scenarios/baseline/thames-valley.yaml --body safer-oxfordshire --as-of 2025-01-01
      restructure show scenarios/baseline/thames-valley.yaml --body bob-icb   # ended: who does its work now
      restructure show baseline --format json          # a branch in the store
      restructure show scenarios/baseline/thames-valley.yaml --format csv > areas.csv
    """
    from ..io.yamlfile import dumps_json
    from ..summary import describe_area, describe_body, summarise

    if area and body:
        raise click.BadParameter("give --area or --body, not both", param_hint="--area/--body")
    s, title = _load_titled(ref, db)
    on = None if all_dates else (as_of or today())
    if area:
        data = describe_area(s, area, on)
    elif body:
        data = describe_body(s, body, on)
    else:
        data = summarise(s, on)
        data["name"] = title
    if fmt == "json":
        click.echo(dumps_json(data), nl=False)
    elif fmt == "csv":
        from ..io.csvfile import dumps
        from ..summary import table

        click.echo(dumps(*table(data), bom=True), nl=False)
    elif area:
        _echo_area(data, on)
    elif body:
        _echo_body(data, on)
    else:
        _echo_summary(data)


def _load_titled(ref: str, db: str | None):
    """The structure REF names, and its title: a scenario's result is called after the scenario.

    The result keeps its base's name (so diffs see no metadata change); showing
    it under the base's name would pass an option off as the baseline.
    """
    from ..refs import classify, load_structure

    named = classify(ref)
    if named.kind == "scenario":
        from ..apply import run_scenario

        outcome = run_scenario(ref, db=db)
        name = getattr(outcome.scenario, "name", None) or ref
        return outcome.structure, f"{name} (applied to {outcome.base.name})"
    s = load_structure(named, db=db)
    return s, s.name


def _when(on) -> str:
    return f"on {on}" if on else "over all dates"


def _echo_lineage(d: dict, on) -> None:
    """For a record not in force: each line of succession, and who is in force on the date."""
    if d["in_force"] or d["end"] is None or on < d["end"]:
        return  # not started yet: nothing has succeeded it
    for chain in d["chains"]:
        steps = "".join(f" -> {x['to']['name']} ({x['to']['id']})" + (f" from {x['date']}" if x["date"] else "") for x in chain)
        _say(f"  lineage: {d['name']} ({d['id']}){steps}")
    live = _names(d["live_successors"]) if d["live_successors"] else "none (no line of succession reaches a body or area in force)"
    _say(f"  in force on {on} in its place: {live}")


def _echo_area(d: dict, on) -> None:
    dates = f", {d['start'] or '…'} to {d['end'] or 'now'}" if d["start"] or d["end"] else ""
    _say(f"{d['name']} ({d['id']}), {d['kind']}{dates}, {_when(on)}")
    if not d["in_force"]:
        _say(f"  NOT IN FORCE on {on}")
        for key, title in (("predecessors", "succeeded"), ("successors", "succeeded by")):
            if d[key]:
                _say(f"  {title}: {_names(d[key])}")
        _echo_lineage(d, on)
    rows = [
        ("within", _names(d["within"])),
        ("contains", _names(d["contains"])),
        ("CSP covering it", _names(d["covered_by"])),
        ("Serious Violence Duty discharged by", _names(d["duty_discharged_by"])),
        ("councils", _names(d["councils"])),
        ("duty holders serving it", _names(d["duty_holders"])),
        (
            "Strategy Board seat",
            (f"for {d['board_seat']['area']}: " + _names(d["board_seat"]["holders"])) if d["board_seat"]["area"] else "none",
        ),
    ]
    for k, v in rows:
        _say(f"  {k}: {v}")
    if d["note"]:
        _say(f"  note: {d['note']}")


def _echo_body(d: dict, on) -> None:
    dates = ""
    if d["start"] or d["end"]:
        dates = f", {d['start'] or '…'} to {d['end'] or 'now'}"
    _say(f"{d['name']} ({d['id']}), {d['kind'].replace('_', ' ')}{dates}, {_when(on)}")
    if not d["in_force"]:
        _say(f"  NOT IN FORCE on {on}: what follows is in force that day, if anything")
        _echo_lineage(d, on)
    if d["tier"]:
        _say(f"  tier: {d['tier']}")
    if d["duties"]:
        _say(f"  duties: {', '.join(x.replace('_', ' ') for x in d['duties'])}")
    for key, title in (
        ("covers", "covers"),
        ("discharges", "discharges the Serious Violence Duty for"),
        ("serves", "serves"),
        ("accountable_to", "accountable to"),
        ("member_of", "member of"),
        ("predecessors", "succeeded"),
        ("successors", "succeeded by"),
    ):
        if d[key]:
            _say(f"  {title}: {_names(d[key])}")
    if d["members"]:
        _say(f"  members ({len(d['members'])}):")
        for m in d["members"]:
            _say(f"    {m['name']} ({m['id']})" + (f", {m['role']}" if m["role"] else ""))
    for seat in d["seats"]:
        _say(f"  seat on {seat['board']}" + (f" for {seat['area']}" if seat["area"] else "") + f" ({seat['role']})")
    for st in d["strategies"]:
        _say(f"  strategy: {st['title']}" + (f" (from {st['start']})" if st.get("start") else ""))
    if d["note"]:
        _say(f"  note: {d['note']}")


def _echo_summary(d: dict) -> None:
    c = d["counts"]
    _say(f"{d['name']}, {_when(d['on'])}: {c['areas']} areas, {c['bodies']} bodies, {c['relations']} relations")
    for title, bodies in d["tiers"].items():
        if not bodies:
            continue
        _say(f"\n{title}")
        for b in bodies:
            foot = ""
            if b["covers"]:
                foot += f"  covers {', '.join(b['covers'])}"
            if b["discharges"]:
                foot += f"  discharges SVD for {', '.join(b['discharges'])}"
            _say(f"  {b['id']:<34} {b['name']}{foot}")
    rows = [
        (a["id"], a["name"], ", ".join(a["seat"]) or "NO SEAT", ", ".join(a["duty_discharged_by"]) or "NONE")
        for a in d["local_areas"]
    ]
    _say(f"\nLocal areas ({len(rows)}) and their Strategy Board seats")
    _table(rows, ("", "", "seat: ", "Duty: "))
    rows = [
        (u["id"], u["name"], ", ".join(u["covered_by"]) or "NONE", ", ".join(u["duty_discharged_by"]) or "NONE")
        for u in d["units"]
    ]
    _say(f"\nDistricts and unitaries ({len(rows)}): CSP, and who discharges the Serious Violence Duty")
    _table(rows, ("", "", "CSP: ", "Duty: "))


def _table(rows, labels) -> None:
    """Aligned columns (widths from the data: new areas have long slug ids)."""
    widths = [max((len(r[i]) for r in rows), default=0) for i in range(len(labels))]
    for r in rows:
        cells = [f"{label}{value:<{w}}" for label, value, w in zip(labels, r, widths, strict=True)]
        _say(("  " + "  ".join(cells)).rstrip())


def _say(line: str) -> None:
    """Print a line of the summary; control characters from names show as escapes, not commands."""
    from ..text import terminal

    click.echo(terminal(line))
