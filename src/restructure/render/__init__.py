"""Diagrams of a structure for the Strategy Board: Graphviz views, change diagrams, board pack.

A diagram is drawn for one date (``on``): only what is in force that day.
When no date is given, diagrams show **today** (the machine's local date),
because a board reads a structure as it stands now; scenario results, whose
changes lie in the future, are drawn on the date their last phase takes
effect (:func:`change_dot` and the ``report`` command do this for you).

DOT output is deterministic: nodes, clusters and edges are written in sorted
order, so the same structure and date give the same bytes (golden-file tests
rely on this). Rendering to SVG, PNG or PDF runs Graphviz's ``dot``; writing
``.dot`` needs no Graphviz at all.

Examples
--------
>>> import datetime as dt
>>> from restructure.structure import Structure
>>> s = Structure.from_yaml('''
... name: tiny
... areas: [{id: E06000038, name: Reading, kind: unitary}]
... bodies:
...   - {id: reading-csp, name: Reading CSP, kind: community_safety_partnership, tier: local}
... relations: [{kind: covers, source: reading-csp, target: E06000038}]
... ''')
>>> dot = to_dot(s, on=dt.date(2026, 11, 25))
>>> dot.startswith("digraph structure {")
True
>>> "Reading CSP" in dot
True
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import graphviz

from ..errors import RenderError
from ..structure import Structure
from .views import VIEWS, build

__all__ = [
    "VIEWS",
    "FORMATS",
    "to_dot",
    "change_dot",
    "render",
    "render_svg",
    "change_svg",
    "ChangeDiagram",
    "render_dot",
    "write",
    "format_of",
    "default_date",
    "PNG_DPI",
    "RenderError",
]

FORMATS = ("svg", "png", "pdf", "dot")
"""Output formats, named by the output file's extension."""

INSTALL_HINT = "Install it: apt-get install graphviz"

PNG_DPI = 192
"""Resolution of PNG output, in dots per inch: an A4-wide diagram is about 2,150 px wide.

Graphviz's default (96) gives about 1,060 px for the whole Thames Valley hierarchy, too
small to read; SVG and PDF stay vector."""


def default_date() -> dt.date:
    """The date diagrams show when none is given: today."""
    return dt.date.today()


def to_dot(
    structure: Structure,
    view: str = "hierarchy",
    focus: str | None = None,
    on: dt.date | None = None,
    legend: bool = True,
) -> str:
    """The DOT source of one view of a structure on a date.

    Parameters
    ----------
    structure : Structure
    view : {"hierarchy", "coverage", "membership"}
        Hierarchy: the tiered chart boxed by local area. Coverage: areas under
        the partnership covering them. Membership: agencies and the
        partnerships they sit on.
    focus : str, optional
        An area or body id: draw only its neighbourhood (see
        :func:`restructure.render.views.focus_on`).
    on : datetime.date, optional
        The date to draw (default: today).
    legend : bool
        Draw the key.

    Returns
    -------
    str
        DOT text, the same bytes for the same input.

    Raises
    ------
    RenderError
        An unknown view, or a focus id not in force on the date.
    """
    on = on or default_date()
    scene = build(structure, view, on, focus, legend=legend)
    return scene.to_dot()


def change_dot(before: Structure, after: Structure, on: dt.date | None = None,
               before_on: dt.date | None = None, legend: bool = True, focus: str | None = "auto",
               after_label: str | None = None) -> str:
    """The DOT source of a change diagram: the after structure with what changed marked.

    Parameters
    ----------
    before, after : Structure
    on : datetime.date, optional
        The date to draw ``after`` on (default: its last change date, or
        today if that is earlier).
    before_on : datetime.date, optional
        The date to read ``before`` on (default: today, or ``on`` if that is
        earlier).
    legend : bool
        Draw the key.
    focus : str, optional
        ``"auto"`` (default): only the upper-tier local areas (before or
        after) that contain a change, plus the centre; the title names the
        local areas left out. ``"all"``: the whole structure. An area or body
        id: its neighbourhood.
    after_label : str, optional
        The diagram's title (default: ``after``'s name). A scenario's result
        keeps its base's name, so pass the scenario's name when drawing one.

    Returns
    -------
    str
        DOT text.

    Raises
    ------
    RenderError
        A focus id that is neither an area nor a body in the diagram.
    """
    from .change import change_scene, dates_for

    on, before_on = dates_for(before, after, on, before_on)
    scene = change_scene(before, after, on, before_on, legend=legend, focus=focus, after_label=after_label)
    return scene.to_dot("change")


def format_of(path: str | Path) -> str:
    """The output format named by a file's extension.

    Raises
    ------
    RenderError
        The extension is not one of svg, png, pdf, dot.

    Examples
    --------
    >>> format_of("out/structure.svg")
    'svg'
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix == "gv":
        suffix = "dot"
    if suffix not in FORMATS:
        raise RenderError(
            f"cannot tell the format of '{path}' from its extension",
            f"End the file name in one of: {', '.join('.' + f for f in FORMATS)}",
        )
    return suffix


def render_dot(dot: str, fmt: str, dpi: int | None = None) -> bytes:
    """Run Graphviz's ``dot`` on DOT text; ``fmt`` ``dot`` returns the text itself.

    Parameters
    ----------
    dot : str
    fmt : {"svg", "png", "pdf", "dot"}
    dpi : int, optional
        Resolution of PNG output (default :data:`PNG_DPI`); other formats ignore it.

    Raises
    ------
    RenderError
        ``dot`` is not installed, or failed.
    """
    if fmt == "dot":
        return dot.encode("utf-8")
    if fmt == "png":
        dot = _with_dpi(dot, dpi or PNG_DPI)
    try:
        return graphviz.pipe("dot", fmt, dot.encode("utf-8"), quiet=True)
    except graphviz.ExecutableNotFound:
        raise RenderError("Graphviz's dot was not found", INSTALL_HINT) from None
    except graphviz.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise RenderError(
            f"Graphviz's dot failed: {detail[0] if detail else exc}",
            "Write the diagram with -o FILE.dot (no Graphviz needed) and report that file as a bug",
        ) from None


def _with_dpi(dot: str, dpi: int) -> str:
    """DOT text with a resolution set: a graph attribute statement after the opening line.

    Only PNG output gets it (SVG sizes would change with it too), so ``.dot`` files and
    goldens stay as they are.
    """
    head, sep, rest = dot.partition("\n")
    return f"{head}{sep}\tgraph [dpi={int(dpi)}]\n{rest}"


def render(
    structure: Structure,
    path: str | Path,
    view: str = "hierarchy",
    focus: str | None = None,
    on: dt.date | None = None,
    legend: bool = True,
    dpi: int | None = None,
) -> Path:
    """Draw one view of a structure to a file; the format comes from the extension.

    Parameters
    ----------
    structure : Structure
    path : str or Path
        Ends in ``.svg``, ``.png``, ``.pdf`` or ``.dot``. Parent folders are made.
    view, focus, on, legend
        As for :func:`to_dot`.
    dpi : int, optional
        Resolution of ``.png`` output (default :data:`PNG_DPI`).

    Returns
    -------
    Path
        The file written. Nothing is written when drawing fails.

    Raises
    ------
    RenderError
        Unknown extension or view, focus not found, or Graphviz missing (for
        any format but ``.dot``).
    """
    fmt = format_of(path)
    return write(to_dot(structure, view, focus, on, legend), path, fmt, dpi=dpi)


def write(dot: str, path: str | Path, fmt: str | None = None, dpi: int | None = None) -> Path:
    """Render DOT text to a file (atomically: a failure leaves no file); ``dpi`` for PNG."""
    from ..io.atomic import write_atomic

    path = Path(path)
    return write_atomic(path, render_dot(dot, fmt or format_of(path), dpi=dpi))


def render_svg(structure: Structure, view: str = "hierarchy", focus: str | None = None,
               on: dt.date | None = None) -> str:
    """One view of a structure as SVG text (notebooks display structures with this).

    Raises
    ------
    RenderError
        Graphviz's ``dot`` is not installed.
    """
    return render_dot(to_dot(structure, view, focus, on), "svg").decode("utf-8")


def change_svg(before: Structure, after: Structure, on: dt.date | None = None,
               before_on: dt.date | None = None, focus: str | None = "auto",
               after_label: str | None = None) -> str:
    """A change diagram as SVG text (see :func:`change_dot`).

    Raises
    ------
    RenderError
        Graphviz's ``dot`` is not installed, or a focus id is not in the diagram.
    """
    return render_dot(change_dot(before, after, on, before_on, focus=focus, after_label=after_label),
                      "svg").decode("utf-8")


class ChangeDiagram:
    """Two structures whose change diagram a notebook displays as SVG.

    ``focus`` and ``after_label`` as for :func:`change_dot` (default: only the local areas
    that change, titled with ``after``'s name).

    Examples
    --------
    >>> from restructure.baseline import load_baseline
    >>> d = ChangeDiagram(load_baseline(), load_baseline())
    >>> d._repr_svg_().lstrip().startswith("<?xml")
    True
    """

    def __init__(self, before: Structure, after: Structure, on: dt.date | None = None,
                 before_on: dt.date | None = None, focus: str | None = "auto", after_label: str | None = None):
        self.before, self.after, self.on, self.before_on = before, after, on, before_on
        self.focus, self.after_label = focus, after_label

    def to_dot(self) -> str:
        """The diagram's DOT text."""
        return change_dot(self.before, self.after, self.on, self.before_on, focus=self.focus,
                          after_label=self.after_label)

    def _repr_svg_(self) -> str:
        return change_svg(self.before, self.after, self.on, self.before_on, focus=self.focus,
                          after_label=self.after_label)
