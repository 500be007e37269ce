"""The board pack: a board paper for the Strategy Board, as one self-contained HTML file (or PDF).

:func:`board_pack` takes one option or several (scenario files, loaded
scenarios, stored refs, or an :class:`~restructure.appraisal.Appraisal`);
several make an options appraisal: the comparison first, then one section per
option. Page one says in plain sentences, with dates, what goes wrong and for
how long, then the verdict per option. Each option's section states its
assumptions and sources, its timeline, its findings (with their rules'
titles), what changes in named tables (bodies, areas, coverage per district
and unitary, memberships, Board seats; ids in small print) and the transition
drawn phase by phase. The pack ends with the data's attribution and a
provenance line (tool version, the base and its hash, when it was made).

The page comes from a jinja2 template with autoescape (``templates/pack.html``,
shipped with the package); ``template=DIR`` puts a council's own templates
first (see the README, "A council's own paper"). The SVG from Graphviz is
inlined only after :func:`safe_svg` parses it and checks it holds only the
elements Graphviz draws with, no ``on…`` handler and no external reference.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import mimetypes
import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from ..errors import RenderError

if TYPE_CHECKING:
    from ..structure import Structure

__all__ = ["board_pack", "safe_svg", "CSS", "MARKINGS", "pack_context", "phase_bases"]

CSS = resources.files("restructure.render").joinpath("templates/pack.css").read_text(encoding="utf-8")
"""The pack's stylesheet: A4 landscape pages, each diagram on one page with its heading."""

MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET")
"""UK Government Security Classifications a pack may be marked with (``--marking``)."""

# What Graphviz's SVG writer emits. Anything else (script, foreignObject, iframe, animate, use,
# set, handler...) is refused: an allowlist, checked on the parsed tree, not on the text.
_SVG_ELEMENTS = frozenset({
    "svg", "g", "title", "desc", "defs", "a", "polygon", "polyline", "path", "ellipse", "circle",
    "rect", "line", "text", "tspan", "linearGradient", "radialGradient", "stop", "clipPath",
})
_LINK_ATTRIBUTES = frozenset({"href", "src"})
_SAFE_LINK = re.compile(r"^#[A-Za-z0-9._:-]*$")


def safe_svg(svg: str) -> str:
    """SVG text fit to inline in the pack: XML prologue dropped, checked for active content.

    The SVG is parsed, and every element must be one Graphviz draws with, no
    attribute may be an event handler (``on...``), and links must stay inside
    the document (``#id``: no ``javascript:``, ``data:``, relative or
    external address). Text and tooltips are not searched: a name that merely
    mentions ``javascript:`` or ``onload=`` is text and is drawn as such.

    Raises
    ------
    RenderError
        The SVG is not well-formed, or holds a script, an event handler or an
        external reference.

    Examples
    --------
    >>> safe_svg('<?xml version="1.0"?>\\n<svg><text>&lt;script&gt;</text></svg>')
    '<svg><text>&lt;script&gt;</text></svg>'
    >>> safe_svg('<svg><g><title>javascript: onload=x</title></g></svg>')
    '<svg><g><title>javascript: onload=x</title></g></svg>'
    """
    start = svg.find("<svg")
    if start < 0:
        raise RenderError("the diagram is not SVG", "Report this as a bug")
    body = svg[start:]
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise RenderError(f"the diagram is not well-formed SVG ({exc})", "Report this as a bug") from None
    for el in root.iter():
        tag = _local(el.tag)
        if tag not in _SVG_ELEMENTS:
            raise RenderError(f"the diagram holds a <{tag}> element", "Report this as a bug")
        for key, value in el.attrib.items():
            name = _local(key).lower()
            if name.startswith("on"):
                raise RenderError(f"the diagram holds an event handler ({name})", "Report this as a bug")
            if name in _LINK_ATTRIBUTES and not _SAFE_LINK.match("".join(value.split())):
                raise RenderError("the diagram holds a script or external reference", "Report this as a bug")
            if name == "style" and "url(" in value.lower():
                raise RenderError("the diagram holds an external reference in a style", "Report this as a bug")
    return body


def _local(name: str) -> str:
    """An XML name without its namespace (``{http://www.w3.org/1999/xlink}href`` -> ``href``)."""
    return name.rpartition("}")[2]




def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _base_line(option) -> str:
    """Where an option's base came from: a file and its sha256, or a stored ref and its version id."""
    sc = getattr(option.outcome, "scenario", None)
    spec, folder = option.base_spec, None
    if spec is None and sc is not None and sc.base:
        spec = sc.base
        file = getattr(sc, "_file", None)
        folder = Path(file).parent if file else None
    name = option.base.name or "the base"
    if spec is None:
        return f"{name} (given as a structure)"
    path = Path(spec) if folder is None or Path(spec).is_absolute() else folder / spec
    if path.is_file():
        return f"{name}: {spec} (sha256 {_sha256(path)[:16]})"
    from ..errors import RestructureError
    from ..store import open_store

    try:
        store = open_store(option.db, create=False)
        try:
            return f"{name}: stored ref {spec} (version {store.resolve(spec)[:12]})"
        finally:
            store.close()
    except RestructureError:  # no store at hand: the ref as given is all the pack can say
        return f"{name}: stored ref {spec}"


def _ids_names(names: dict[str, str], ids) -> str:
    return ", ".join(names.get(i, i) for i in ids) or "none"


def _change_tables(option) -> dict[str, list[dict[str, Any]]]:
    """What changes, in named tables: bodies, areas, coverage per unit, memberships, seats."""
    from ..diff import compare

    c = compare(option.base, option.structure, option.before_on, option.on, findings=False).changes.to_dict()
    names = c.get("names", {})
    kind = lambda k: (k or "").replace("_", " ")  # noqa: E731
    bodies = []
    for e in c["bodies"]["created"]:
        pred = e.get("predecessors") or []
        bodies.append({"name": e["name"], "id": e["id"], "change": "created", "kind": kind(e.get("kind")),
                       "detail": f"from {_ids_names(names, pred)}" if pred else ""})
    for e in c["bodies"]["dissolved"]:
        how = e.get("how")
        succ = e.get("successors") or []
        detail = {
            "merged": f"merged into {_ids_names(names, succ)}",
            "split": f"split into {_ids_names(names, succ)}",
            "succeeded": f"succeeded by {_ids_names(names, succ)}",
            "lapsed": "its functions lapse",
        }.get(how, "no successor recorded")
        bodies.append({"name": e["name"], "id": e["id"], "change": "dissolved", "kind": kind(e.get("kind")),
                       "detail": detail})
    for e in c["bodies"].get("renamed", []):
        bodies.append({"name": e["after"], "id": e["id"], "change": "renamed", "kind": "",
                       "detail": f"was {e['before']}"})
    areas = [{"name": e["name"], "id": e["id"], "change": "begins", "kind": kind(e.get("kind"))}
             for e in c["areas"]["created"]]
    areas += [{"name": e["name"], "id": e["id"], "change": "ends", "kind": kind(e.get("kind"))}
              for e in c["areas"]["ended"]]
    coverage = [{
        "name": e["name"], "id": e["area"],
        "csp_before": _ids_names(names, e["csp"]["before"]), "csp_after": _ids_names(names, e["csp"]["after"]),
        "duty_before": _ids_names(names, e["duty"]["before"]), "duty_after": _ids_names(names, e["duty"]["after"]),
    } for e in c["coverage"]]
    memberships = []
    for e in c["memberships"]:
        if e.get("status") == "dissolved":
            continue  # its members go with it: said under bodies
        joined = ", ".join(m["name"] for m in e.get("joined", []))
        left = ", ".join(m["name"] for m in e.get("left", []))
        if joined or left:
            memberships.append({"name": e["name"], "id": e["partnership"], "status": e.get("status") or "",
                                "joined": joined or "none", "left": left or "none"})
    seats = [{
        "name": names.get(e["area"], e["area"]) if e["area"] else "duty holder seat", "id": e["area"] or "",
        "board": names.get(e["board"], e["board"]), "change": e["change"],
        "before": _ids_names(names, e["before"]), "after": _ids_names(names, e["after"]),
    } for e in c["seats"]]
    return {"bodies": bodies, "areas": areas, "coverage": coverage, "memberships": memberships, "seats": seats}


def _findings(option) -> list[dict[str, Any]]:
    from ..appraisal import plain
    from ..checks.registry import RULES

    order = {"error": 0, "warning": 1, "info": 2}
    rows = [{
        "date": f.date.isoformat() if f.date else "", "until": f.until.isoformat() if f.until else "",
        "severity": f.severity.value, "code": f.code, "title": RULES[f.code].title if f.code in RULES else "",
        "message": plain(f.message), "full": f.message,
    } for f in option.report.findings]
    return sorted(rows, key=lambda r: (r["date"], order.get(r["severity"], 3), r["code"], r["message"]))


def _panels(option, focus: str | None, phases: bool) -> list[dict[str, Any]]:
    from ..appraisal import long_date
    from . import render_dot
    from .change import before_scene, change_scene, phase_panels

    out = []
    if phases and option.phases:
        for i, p in enumerate(phase_panels(option.base, option.structure, option.phases, option.report.findings,
                                           label=option.label, focus=focus)):
            svg = render_dot(p.scene.to_dot("panel"), "svg").decode("utf-8")
            heading = (f"Before: {option.base.name} on {long_date(p.on)}" if i == 0
                       else f"Phase {i}: {p.title}, {long_date(p.on)}")
            out.append({"heading": heading, "on": p.on.isoformat(), "svg": safe_svg(svg), "gaps": p.gaps,
                        "short": "Before" if i == 0 else f"{i}. {p.title}"})
        return out
    b = before_scene(option.base, option.structure, option.on, option.before_on, focus=focus)
    a = change_scene(option.base, option.structure, option.on, option.before_on, focus=focus,
                     after_label=option.label)
    for heading, scene, short in ((f"Before: {option.base.name} on {option.before_on.isoformat()}", b, "Before"),
                                  (f"After: {option.label} on {option.on.isoformat()}, changes marked", a, "After")):
        svg = render_dot(scene.to_dot("panel"), "svg").decode("utf-8")
        out.append({"heading": heading, "on": "", "svg": safe_svg(svg), "gaps": [], "short": short})
    return out


def phase_bases(structure: Structure, phase: str, date: Any) -> list[str]:
    """The legal bases recorded in a phase's change events, each in one line, in event order.

    A basis marked ``assumed`` says so; a merger approved by a body without a
    basis names the approver.
    """
    out: list[str] = []
    for ev in sorted(structure.events.values(), key=lambda e: e.id):
        if ev.phase != phase or ev.date != date:
            continue
        if ev.basis is not None:
            line = ev.basis.label() + (f" ({ev.basis.url})" if ev.basis.url else "")
            line += f". {ev.basis.note}" if ev.basis.note else ""
        elif ev.approved_by:
            line = f"approved by {structure.get(ev.approved_by).name if structure.get(ev.approved_by) else ev.approved_by}"
        else:
            continue
        if line not in out:
            out.append(line)
    return out


def pack_context(appraisal, *, title: str | None = None, marking: str | None = None, phases: bool = True,
                 focus: str | None = "auto", made: dt.datetime | None = None) -> dict[str, Any]:
    """Everything the template reads: plain data, text unescaped (the template escapes it).

    Parameters
    ----------
    appraisal : Appraisal
        The options, applied and checked (:func:`restructure.appraisal.compare_options`).
    title, marking, phases, focus, made
        As for :func:`board_pack`.
    """
    from markupsafe import Markup

    from .. import __version__
    from ..appraisal import long_date
    from ..data import ATTRIBUTION

    made = made or dt.datetime.now(dt.UTC).replace(microsecond=0)
    several = len(appraisal.options) > 1
    options = []
    for n, o in enumerate(appraisal.options, start=1):
        panels = _panels(o, focus, phases)
        for p in panels:
            p["svg"] = Markup(p["svg"])
        options.append({
            "n": n, "anchor": f"option-{n}", "label": o.label, "source": o.source,
            "description": o.description, "verdict": o.verdict(), "problems": o.problems(),
            "assumptions": list(o.assumptions), "sources": list(o.sources),
            "phases": [{"date": long_date(d), "iso": d.isoformat(), "name": name, "description": desc or "",
                        "bases": phase_bases(o.structure, name, d)}
                       for name, d, desc in sorted(o.phases, key=lambda p: (p[1], p[0]))],
            "findings": _findings(o), "counts": o.report.counts, "changes": _change_tables(o), "panels": panels,
            "base": _base_line(o), "before_on": long_date(o.before_on), "on": long_date(o.on),
        })
    if title is None:
        title = f"Options appraisal: {len(appraisal.options)} options" if several else appraisal.options[0].label
    return {
        "title": title,
        "several": several,
        "marking": marking,
        "options": options,
        "comparison": Markup(appraisal.render_html()) if several else None,
        "attribution": list(ATTRIBUTION),
        "version": __version__,
        "made": made.isoformat().replace("+00:00", "Z"),
        "css": Markup(CSS),
    }


def _environment(template: str | Path | None):
    import jinja2

    shipped = jinja2.PackageLoader("restructure.render", "templates")
    loaders: list[jinja2.BaseLoader] = []
    folder = None
    if template is not None:
        folder = Path(template)
        if not folder.is_dir():
            raise RenderError(f"no template folder at {folder}", "Give --template a folder holding pack.html "
                              "(and any images and CSS it uses)")
        loaders.append(jinja2.FileSystemLoader(str(folder)))
    loaders.append(shipped)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([*loaders, jinja2.PrefixLoader({"restructure": shipped})]),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )

    def inline(name: str):
        """A file of the template folder as a data: address (a logo), so the pack stays self-contained."""
        from markupsafe import Markup

        if folder is None:
            raise RenderError(f"inline({name!r}) needs a template folder", "Give --template DIR")
        path = (folder / name).resolve()
        if folder.resolve() not in path.parents or not path.is_file():
            raise RenderError(f"no file {name} in the template folder {folder}", "Put it beside pack.html")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Markup(f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}")

    def stylesheet(name: str):
        """A CSS file of the template folder, to put inside ``<style>``."""
        from markupsafe import Markup

        if folder is None or not (folder / name).is_file():
            return Markup("")
        css = (folder / name).read_text(encoding="utf-8")
        if re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", css, re.IGNORECASE):
            raise RenderError(f"{name} loads something from the network", "Use inline() for images; no @import")
        return Markup(css.replace("</", "<\\/"))

    env.globals.update(inline=inline, stylesheet=stylesheet)
    return env


def board_pack(
    options: Any,
    *,
    base: Any = None,
    db: str | None = None,
    title: str | None = None,
    marking: str | None = None,
    template: str | Path | None = None,
    phases: bool = True,
    focus: str | None = "auto",
    made: dt.datetime | None = None,
) -> str:
    """The board pack for one option or several, as one self-contained HTML page.

    Parameters
    ----------
    options : Appraisal, or sequence of scenario files, Scenarios or stored refs, or one of them
        What the Strategy Board decides on. Several make an options appraisal: the comparison
        first, then a section per option.
    base : Structure, file or stored ref, optional
        What every option is applied to (default: each scenario's own base).
    db : str, optional
        The store's URL, for stored refs.
    title : str, optional
        The pack's heading (default: the option's name, or "Options appraisal: …").
    marking : str, optional
        A protective marking (``OFFICIAL-SENSITIVE``) printed at the top and foot of every page.
    template : folder, optional
        A council's own templates: its ``pack.html`` replaces the shipped one (it may
        ``{% extends "restructure/pack.html" %}`` and fill the ``header``, ``footer`` and
        ``styles`` blocks), ``inline("logo.png")`` inlines a file of the folder.
    phases : bool
        Draw each option phase by phase (default), else before and after only.
    focus : str, optional
        What the diagrams draw (see :func:`restructure.render.change_dot`).
    made : datetime, optional
        When the pack was made (default: now, UTC), for its provenance line.

    Returns
    -------
    str
        HTML, UTF-8, no external references.

    Raises
    ------
    RestructureError
        An option does not apply, the template folder is missing or broken, or Graphviz's
        ``dot`` is not installed.
    """
    import jinja2

    from ..appraisal import Appraisal, compare_options

    if marking is not None and marking not in MARKINGS:
        raise RenderError(f"'{marking}' is not a UK Government Security Classification",
                          f"Use one of {', '.join(MARKINGS)}")
    if not isinstance(options, Appraisal):
        specs = list(options) if isinstance(options, list | tuple) else [options]
        options = compare_options(specs, base=base, db=db)
    context = pack_context(options, title=title, marking=marking, phases=phases, focus=focus, made=made)
    env = _environment(template)
    try:
        return env.get_template("pack.html").render(**context)
    except jinja2.TemplateError as exc:
        where = f" at line {exc.lineno}" if getattr(exc, "lineno", None) else ""
        raise RenderError(f"the pack template cannot be used{where}: {exc.message}",
                          'Fix the template (see the README, "A council\'s own paper")') from None
