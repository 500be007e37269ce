"""``restructure render`` (diagrams) and ``restructure report`` (the board pack)."""

from __future__ import annotations

from pathlib import Path

import click

from .options import DATE, count, db_option, echo_err, recorded_at_option

__all__ = ["render", "report"]

_VIEWS = ("hierarchy", "coverage", "membership")


@click.command()
@click.argument("ref", required=False)
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="File to write; its extension picks the format: .svg, .png, .pdf or .dot.")
@click.option("--view", type=click.Choice(_VIEWS), default="hierarchy", show_default=True,
              help="hierarchy: tiers boxed by local area; coverage: areas under the partnership "
              "covering them; membership: agencies and the partnerships they sit on.")
@click.option("--focus", metavar="AREA|BODY", default=None,
              help="Draw only the neighbourhood of this area or body id (with --diff too).")
@click.option("--whole", is_flag=True, default=False,
              help="With --diff: draw every local area, not only those that change (the default).")
@click.option("--as-of", "as_of", type=DATE, default=None,
              help="Draw the structure as it stands on this date (default: today; with --diff, "
              "the after structure's last change date).")
@click.option("--diff", "diff", nargs=2, metavar="A B", default=None,
              help="Draw a change diagram: structure B with what changed since A marked.")
@click.option("--after-label", "after_label", metavar="TEXT", default=None,
              help="With --diff: the change diagram's title (default: B's name, or B as typed when "
              "A and B have the same name, as a scenario's result has).")
@click.option("--phases", "phases", is_flag=True, default=False,
              help="With --diff: one change diagram per date on which B changes (the state that day, "
              "changes since the date before marked; an area without a seat or Duty partnership outlined), "
              "written as OUTPUT-0-before.svg, OUTPUT-1-DATE.svg, ...")
@click.option("--dpi", type=click.IntRange(30, 600), default=None,
              help="Resolution of .png output in dots per inch (default: 192, about 2,150 px across "
              "A4 landscape). SVG and PDF are vector.")
@click.option("--allow-empty", "allow_empty", is_flag=True, default=False,
              help="With --diff: draw even when A and B are the same structure (otherwise: "
              "'no differences' on stderr, exit 1, nothing written).")
@db_option
@recorded_at_option("ref", "diff")
def render(ref, output, view, focus, as_of, diff, whole, after_label, phases, dpi, allow_empty, db) -> None:
    """Draw a structure (REF: a structure file or stored ref) as a diagram.

    The format comes from the output's extension. Every format but .dot
    needs Graphviz's dot program; .dot is plain text for golden files and
    other tools.

    \b
    Examples:
      restructure render scenarios/baseline/thames-valley.yaml -o out/structure.svg
      restructure render scenarios/baseline/thames-valley.yaml --view coverage -o out/coverage.pdf
      restructure render scenarios/baseline/thames-valley.yaml --focus E06000038 -o out/reading.png
      restructure render --diff baseline oxon-two-unitaries -o out/change.svg
      restructure render --diff baseline oxon-two-unitaries --focus ridgeway -o out/ridgeway.svg
      restructure render --diff baseline oxon-two-unitaries --after-label "Two unitaries" -o out/change.png --dpi 300
      restructure render --diff baseline oxon-two-unitaries --phases -o out/phases.svg

    A change diagram (--diff A B) draws only the local areas where
    something changes, and names the others in its title; --whole draws
    them all. When A and B are the same structure it says "no differences"
    on stderr and exits 1, unless --allow-empty.
    """
    from .. import render as r
    from ..refs import load_structure

    if diff and ref:
        raise click.BadParameter("give either REF or --diff A B, not both", param_hint="REF")
    if not diff and not ref:
        raise click.BadParameter("name a structure file or stored ref, or use --diff A B", param_hint="REF")
    if diff and view != "hierarchy":
        raise click.BadParameter("a change diagram is always the hierarchy view", param_hint="--diff")
    if whole and not diff:
        raise click.BadParameter("--whole is for change diagrams (--diff A B); a view without --focus "
                                 "is already whole", param_hint="--whole")
    if whole and focus:
        raise click.BadParameter("give either --focus or --whole, not both", param_hint="--whole")
    if phases and not diff:
        raise click.BadParameter("--phases is for change diagrams (--diff A B)", param_hint="--phases")
    if phases and as_of is not None:
        raise click.BadParameter("--phases draws every date B changes on; leave out --as-of", param_hint="--phases")
    if allow_empty and not diff:
        raise click.BadParameter("--allow-empty is for change diagrams (--diff A B)", param_hint="--allow-empty")
    if after_label is not None and not diff:
        raise click.BadParameter("--after-label is for change diagrams (--diff A B)", param_hint="--after-label")
    try:
        fmt = r.format_of(output)
    except r.RenderError as exc:
        raise click.BadParameter(f"{exc.what}. {exc.hint}", param_hint="-o/--output") from None
    if dpi is not None and fmt != "png":
        raise click.BadParameter("--dpi is for .png output; SVG and PDF are vector", param_hint="--dpi")
    if diff:
        before = load_structure(diff[0], db=db)
        after = load_structure(diff[1], db=db)
        if not allow_empty:
            from ..diff import diff as record_diff

            if not record_diff(before, after):
                echo_err(f"no differences: {diff[0]} and {diff[1]} hold the same structure; nothing written "
                         "(--allow-empty draws it anyway)")
                raise SystemExit(1)
        if after_label is None and before.name == after.name:
            # Same names (a scenario's result keeps its base's): call B what the planner typed.
            after_label = diff[1]
        if phases:
            from ..render.change import panel_paths, transition_panels

            panels = transition_panels(before, after, focus="all" if whole else focus or "auto", label=after_label)
            if not panels:
                raise click.UsageError(f"{diff[1]} has no dates of its own after {diff[0]}: nothing to draw phase by phase")
            paths = panel_paths(output, panels)
            for panel, path in zip(panels, paths, strict=True):
                r.write(panel.scene.to_dot("panel"), path, fmt, dpi=dpi)
            echo_err(f"Wrote {len(paths)} diagrams: {paths[0]} ... {paths[-1]}")
            return
        dot = r.change_dot(before, after, on=as_of, focus="all" if whole else focus or "auto",
                           after_label=after_label)
    else:
        dot = r.to_dot(load_structure(ref, db=db), view=view, focus=focus, on=as_of)
    path = r.write(dot, output, fmt, dpi=dpi)
    echo_err(f"Wrote {path}")


def _marking(value: str | None) -> str | None:
    """A UK Government Security Classification, upper case; anything else is a usage error."""
    if value is None:
        return None
    from ..render.pack import MARKINGS

    if value.upper() not in MARKINGS:
        raise click.BadParameter(f"'{value}' is not one of {', '.join(MARKINGS)}", param_hint="--marking")
    return value.upper()


@click.command()
@click.argument("options", nargs=-1, required=True, metavar="SCENARIO...")
@click.option("--base", default=None, metavar="FILE|REF",
              help="Structure (file or stored ref) to apply every option to (default: each scenario's base).")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="File to write: .html (one self-contained page) or .pdf (printed by headless Chromium).")
@click.option("--title", default=None,
              help="Heading of the pack (default: the scenario's name, or \"Options appraisal: N options\").")
@click.option("--marking", default=None, metavar="MARKING", callback=lambda c, p, v: _marking(v),
              help="Protective marking at the top and foot of every page: OFFICIAL, OFFICIAL-SENSITIVE, SECRET or TOP SECRET "
              "(UK Government Security Classifications).")
@click.option("--template", "template", default=None, metavar="DIR", type=click.Path(file_okay=False, exists=True),
              help="Folder of a council's own templates: pack.html (may extend restructure/pack.html), "
              "logo and CSS files.")
@click.option("--no-phases", "no_phases", is_flag=True, default=False,
              help="Draw each option before and after only, not phase by phase.")
@db_option
@recorded_at_option("options", "base")
def report(options, base, output, title, marking, template, no_phases, db) -> None:
    """Write the board pack for one SCENARIO, or an options appraisal for several.

    Page one says in plain sentences, with dates, what goes wrong and for
    how long, then each option's verdict; several options are compared
    side by side; then, per option, its assumptions and sources, timeline,
    findings, what changes (in named tables) and the transition drawn phase
    by phase. Each SCENARIO is a scenario file or a stored ref (with
    --base). The .html page has no scripts and no network references;
    .pdf is the same page printed on A4 landscape by headless Chromium.

    \b
    Examples:
      restructure report scenarios/oxfordshire/two-unitaries.yaml -o out/board-pack.html
      restructure report scenarios/oxfordshire/one-unitary.yaml scenarios/oxfordshire/two-unitaries.yaml \\
        scenarios/oxfordshire/three-unitaries.yaml -o out/options.pdf --marking OFFICIAL-SENSITIVE
      restructure report scenarios/oxfordshire/csp-merge.yaml --template my-council/ -o out/pack.html
    """
    from ..render.pack import board_pack

    suffix = Path(output).suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise click.BadParameter("the board pack is .html or .pdf: end the file name in one of them",
                                 param_hint="--output")
    if suffix == ".pdf":
        from ..render.pdf import find_chromium

        find_chromium()  # before the work: a missing Chromium is said at once
    html = board_pack(list(options), base=base, db=db, title=title, template=template,
                      marking=marking, phases=not no_phases)
    path = Path(output)
    if suffix == ".pdf":
        from ..render.pdf import html_to_pdf

        html_to_pdf(html, path)
    else:
        from ..io.atomic import write_atomic

        write_atomic(path, html)
    echo_err(f"Wrote {path} ({count(len(options), 'option')})")
