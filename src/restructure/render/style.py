"""How diagrams look: a colour-blind-safe palette, shapes, line styles and the key.

Colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal
Design"), distinguishable with every common form of colour blindness. Colour
is never the only signal: every tier also has its own shape, every relation
its own line style and arrowhead, and every change its own text marker, so a
diagram printed in black and white still reads correctly.

Labels are Graphviz HTML-like labels built only through :func:`text`, which
escapes ``&``, ``<``, ``>`` and ``"``; a body called
``<script>alert(1)</script>`` is drawn as those characters, never as markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..model import BodyKind, RelationKind, Tier
from ..text import LABEL_LIMIT
from ..text import label as _lines

__all__ = [
    "OKABE_ITO",
    "NodeStyle",
    "EdgeStyle",
    "TIER_STYLES",
    "AGENCY_STYLE",
    "COUNCIL_STYLE",
    "AREA_STYLE",
    "EDGE_STYLES",
    "CHANGE_STYLES",
    "CHANGE_MARKERS",
    "FONT",
    "node_style",
    "text",
    "tip",
    "wrap",
    "label",
    "legend_label",
    "node_name",
]

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}
"""The eight Okabe–Ito colours (plus grey), by name."""

# Light tints of the palette for fills, so black text stays legible on every fill.
_TINT = {
    "orange": "#FBE3B0",
    "sky_blue": "#CDE8F8",
    "bluish_green": "#B3E2D6",
    "yellow": "#FBF8C4",
    "blue": "#B3D4E8",
    "vermillion": "#F3CDB3",
    "reddish_purple": "#F0D7E6",
    "grey": "#EEEEEE",
}

FONT = "DejaVu Sans"
"""Font for every label: Debian's fonts-dejavu-core, with wide Unicode coverage."""


@dataclass(frozen=True)
class NodeStyle:
    """How one sort of body or area is drawn."""

    name: str
    """What the key calls it."""
    shape: str
    fill: str
    border: str
    style: str = "filled"


@dataclass(frozen=True)
class EdgeStyle:
    """How one kind of relation is drawn."""

    name: str
    """What the key calls it (``holds a seat on``)."""
    color: str
    style: str
    penwidth: str
    arrowhead: str
    sample: str
    """The line drawn in the key with text characters (the key is one HTML table)."""


TIER_STYLES: dict[Tier, NodeStyle] = {
    Tier.oversight: NodeStyle(
        "oversight", "doubleoctagon", _TINT["reddish_purple"], OKABE_ITO["reddish_purple"]
    ),
    Tier.strategic: NodeStyle("strategic board", "box", _TINT["blue"], OKABE_ITO["blue"], "filled,bold"),
    Tier.local: NodeStyle(
        "local partnership", "box", _TINT["bluish_green"], OKABE_ITO["bluish_green"], "filled,rounded"
    ),
    Tier.operational: NodeStyle("operational panel", "component", _TINT["yellow"], "#8C7F00"),
}
AGENCY_STYLE = NodeStyle("agency (duty holder)", "box", _TINT["grey"], "#666666", "filled")
COUNCIL_STYLE = NodeStyle("council", "folder", _TINT["orange"], "#A66F00")
AREA_STYLE = NodeStyle("area", "note", "#FFFFFF", "#666666")
_PARTNERSHIP_STYLE = NodeStyle(
    "partnership", "box", _TINT["sky_blue"], "#2E86C1", "filled,rounded"
)

_COUNCILS = {BodyKind.county_council, BodyKind.district_council, BodyKind.unitary_council}

R = RelationKind
EDGE_STYLES: dict[RelationKind, EdgeStyle] = {
    R.seat: EdgeStyle("holds a seat on", OKABE_ITO["blue"], "bold", "2.5", "normal", "━━━▶"),
    R.accountable_to: EdgeStyle("reports to", OKABE_ITO["vermillion"], "dashed", "1.6", "vee", "- - -›"),
    R.member_of: EdgeStyle("member of", "#777777", "dotted", "1.2", "odot", "·······o"),
    R.covers: EdgeStyle("covers (CSP area)", OKABE_ITO["bluish_green"], "solid", "1.2", "none", "───"),
    R.discharges: EdgeStyle(
        "discharges the Serious Violence Duty for", OKABE_ITO["reddish_purple"], "dashed", "1.6", "diamond",
        "- - -◆",
    ),
    R.serves: EdgeStyle("serves", OKABE_ITO["sky_blue"], "dotted", "1.2", "empty", "·······▷"),
    # Lineage is context, not the picture's main line: thin and grey.
    R.succeeded_by: EdgeStyle("succeeded by (lineage)", "#9A9A9A", "solid", "0.8", "empty", "───▷"),
    R.within: EdgeStyle("lies within", "#BBBBBB", "solid", "0.8", "none", "───"),
}

CHANGE_STYLES = {
    "created": NodeStyle("created", "", "", OKABE_ITO["bluish_green"], "bold"),
    "dissolved": NodeStyle("dissolved", "", "#FFFFFF", OKABE_ITO["vermillion"], "dashed"),
    "moved": NodeStyle("area moved", "note", _TINT["orange"], OKABE_ITO["orange"], "filled,bold"),
    "seat": NodeStyle("seat moved", "", "", OKABE_ITO["blue"], "bold"),
    "seat_gained": NodeStyle("seat gained", "", "", OKABE_ITO["blue"], "bold"),
}
"""How changes are marked: a border colour, a line style and a text marker on each."""

CHANGE_MARKERS = {
    "created": "+ NEW",
    "dissolved": "× DISSOLVED",
    "moved": "⇄ MOVED",
    "seat": "⇄ SEAT MOVED",
    "seat_gained": "+ SEAT",
}


def node_style(kind: BodyKind, tier: Tier | None) -> NodeStyle:
    """The style of a body: by tier, else council, partnership or agency."""
    if tier is not None:
        return TIER_STYLES[tier]
    if kind in _COUNCILS:
        return COUNCIL_STYLE
    if kind in (
        BodyKind.community_safety_partnership,
        BodyKind.county_partnership,
        BodyKind.safeguarding_partnership,
        BodyKind.prevention_partnership,
        BodyKind.health_and_wellbeing_board,
        BodyKind.strategy_board,
    ):
        return _PARTNERSHIP_STYLE
    return AGENCY_STYLE


def text(value: str) -> str:
    """Escape text for a Graphviz HTML-like label (and for HTML).

    Examples
    --------
    >>> text('<script>alert(1)</script> & "Sons"')
    '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Sons&quot;'
    """
    if not _MARKUP.search(value):  # most names: nothing to escape (a national chart has thousands)
        return value
    # quote=False then only '"' by hand: Graphviz 2.43 does not know &#x27;.
    # "]" as an entity: Graphviz's HTML-label lexer rejects some text holding a bare "]".
    return html.escape(value, quote=False).replace('"', "&quot;").replace("]", "&#93;")


_MARKUP = re.compile(r'[&<>"\]]')
"""The characters :func:`text` replaces."""


def tip(value: str) -> str:
    """Escape text for a plain Graphviz string (tooltips, edge labels).

    Graphviz reads entities in every string and backslash escapes in these,
    so both are escaped.

    Examples
    --------
    >>> tip('"A" & <B>')
    '&quot;A&quot; &amp; &lt;B&gt;'
    """
    return text(value).replace("\\", "\\\\")


def wrap(value: str, width: int = 18, limit: int | None = LABEL_LIMIT) -> list[str]:
    """Break a long name into lines on spaces, so nodes stay narrow; cut a very long one with an ellipsis.

    The full name stays in the node's tooltip.

    Examples
    --------
    >>> wrap("West Oxfordshire District Council")
    ['West Oxfordshire', 'District Council']
    >>> lines = wrap("x" * 10_000)
    >>> len(lines), lines[-1][-1]
    (9, '…')
    """
    if len(value) <= width:  # one line, as it is (``text.label`` says so too, without the call)
        return [value]
    limit = limit or len(value)
    if len(value) <= limit and not _WRAP_HARD.search(value):
        return _greedy(value, width) or _lines(value, width, limit)
    return _lines(value, width, limit)


_WRAP_HARD = re.compile(r"[^\S ]|  |^ | $")
"""What :func:`_greedy` leaves to :mod:`textwrap`: any whitespace but single spaces between words
(textwrap splits at ASCII whitespace, and drops any chunk ``str.strip`` empties: a no-break space)."""


def _greedy(value: str, width: int) -> list[str] | None:
    """``text.label(value, width)`` for words parted by single spaces, none longer than a line.

    Greedy filling, as :func:`textwrap.wrap` does it (without its chunking, which costs more
    than the rest of a national chart's labels); ``None`` when a word is longer than
    ``width`` (textwrap's long-word rules apply then). Tested against ``text.label``.
    """
    words = value.split(" ")
    lines = []
    line = words[0]
    if len(line) > width:
        return None
    for w in words[1:]:
        if len(w) > width:
            return None
        if len(line) + 1 + len(w) <= width:
            line = f"{line} {w}"
        else:
            lines.append(line)
            line = w
    lines.append(line)
    return lines


def label(name: str, *small: str, marker: str | None = None, marker_color: str | None = None) -> str:
    """An HTML-like label: a marker line, the name (wrapped, bold), then small lines.

    Every string is escaped; the result is wrapped in ``<…>`` for Graphviz.
    """
    rows = []
    if marker:
        color = marker_color or OKABE_ITO["black"]
        rows.append(f'<FONT POINT-SIZE="9" COLOR="{color}"><B>{text(marker)}</B></FONT>')
    rows.append("<BR/>".join(f"<B>{text(line)}</B>" for line in wrap(name)))
    for line in small:
        rows.append(f'<FONT POINT-SIZE="9">{"<BR/>".join(text(x) for x in wrap(line, 34))}</FONT>')
    return "<" + "<BR/>".join(rows) + ">"


def legend_label(nodes: list[NodeStyle], edges: list[EdgeStyle], changes: list[str] = ()) -> str:
    """The key: one HTML table naming each node style, line style and change marker used."""
    rows = ['<TR><TD COLSPAN="2"><B>Key</B></TD></TR>']
    for st in nodes:
        rows.append(
            f'<TR><TD BGCOLOR="{st.fill}" BORDER="1" COLOR="{st.border}" WIDTH="28"> </TD>'
            f'<TD ALIGN="LEFT">{text(st.name)} ({text(_SHAPE_WORDS.get(st.shape, st.shape))})</TD></TR>'
        )
    for st in edges:
        rows.append(
            f'<TR><TD><FONT COLOR="{st.color}">{text(st.sample)}</FONT></TD>'
            f'<TD ALIGN="LEFT">{text(st.name)} ({text(st.style)} line)</TD></TR>'
        )
    for key in changes:
        st = CHANGE_STYLES[key]
        rows.append(
            f'<TR><TD><FONT COLOR="{st.border}"><B>{text(CHANGE_MARKERS[key])}</B></FONT></TD>'
            f'<TD ALIGN="LEFT">{text(st.name)} ({text(_CHANGE_WORDS[key])})</TD></TR>'
        )
    return (
        '<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2" COLOR="#999999">'
        + "".join(rows)
        + "</TABLE>>"
    )


_SHAPE_WORDS = {
    "doubleoctagon": "octagon",
    "box": "box",
    "component": "tabbed box",
    "folder": "folder",
    "note": "page",
}
_CHANGE_WORDS = {
    "created": "thick green border",
    "dissolved": "dashed vermillion border",
    "moved": "orange, thick border",
    "seat": "thick blue line, labelled",
    "seat_gained": "thick blue line, labelled",
}


def node_name(prefix: str, id_: str) -> str:
    """A DOT node name for a body (``b``) or area (``a``) id.

    Ids may contain ``:``, which DOT reads as a port; ``%`` never occurs in an
    id, so the mapping stays one-to-one.

    Examples
    --------
    >>> node_name("b", "tv:police")
    'b/tv%3Apolice'
    """
    return f"{prefix}/{id_.replace(':', '%3A')}"
