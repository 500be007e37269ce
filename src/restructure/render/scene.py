"""A diagram before it is written as DOT: nodes, stacks, clusters, tier ranks and edges.

Views fill a :class:`Scene`; change diagrams mark it up (:meth:`Scene.mark`);
:meth:`Scene.to_dot` writes it with every node, cluster and edge in sorted
order, so the same structure gives the same DOT bytes every time.

The DOT text is written directly, quoted as the ``graphviz`` library quotes it
(:func:`quote`): the same bytes as :meth:`Scene.to_digraph`, which builds it
through the library's statement methods and is kept as the reference the
tests compare against (a national chart has thousands of attributes, and the
library's per-call argument handling cost more than all the rest of the writing).

A *stack* is one table-shaped node listing several bodies, one row each (the
councils and agencies of a local area). Each row is a port, so edges still
start at the right body, and the chart stays narrow enough for A4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import graphviz

from .style import FONT, OKABE_ITO, label, text, wrap

__all__ = ["Scene", "Cluster", "Row", "Stack", "quote", "quote_edge", "NODE_ATTRS", "EDGE_ATTRS"]


NODE_ATTRS = {"fontname": FONT, "fontsize": "11", "margin": "0.08,0.03"}
"""Every node's default attributes."""
EDGE_ATTRS = {"fontname": FONT, "fontsize": "9", "arrowsize": "0.7"}
"""Every edge's default attributes."""


@dataclass
class Cluster:
    """A box around nodes (a local area, a partnership's footprint)."""

    label: str
    """An HTML-like label (already escaped)."""
    attrs: dict[str, str] = field(default_factory=dict)
    order: str = ""
    """Sort key: clusters are written in this order, then by name."""


@dataclass
class Row:
    """One body in a stack."""

    name: str
    small: tuple[str, ...]
    fill: str
    border: str
    marker: str | None = None
    marker_color: str | None = None
    dashed: bool = False
    bold: bool = False
    hidden: bool = False
    """Kept for its room only (a body not in force on this panel's date): drawn in white."""
    room: tuple[str, ...] = ()
    """All the small lines any panel gives this row, in order: those not in :attr:`small` keep
    their room only (drawn in the fill colour), so the row is the same size on every panel."""


@dataclass
class Stack:
    """A table-shaped node of bodies, one row (and port) each."""

    heading: str | None
    rows: dict[str, Row] = field(default_factory=dict)
    """Rows by body id."""
    columns: int = 1
    """Bodies side by side per table row (a long list in two columns keeps the page short)."""

    def label(self) -> str:
        cells = []
        span = f' COLSPAN="{self.columns}"' if self.columns > 1 else ""
        if self.heading:
            cells.append(f'<TR><TD BORDER="0"{span}><FONT POINT-SIZE="9"><I>{text(self.heading)}</I></FONT></TD></TR>')
        rows = self.rows
        for id_ in sorted(rows, key=lambda i: (rows[i].name, i)) if len(rows) > 1 else rows:
            r = self.rows[id_]
            parts = []
            if r.marker:
                parts.append(
                    f'<FONT POINT-SIZE="9" COLOR="{r.marker_color or OKABE_ITO["black"]}"><B>{text(r.marker)}</B></FONT>'
                )
            ink = f' COLOR="{r.fill}"' if r.hidden else ""
            lines = wrap(r.name, 22)
            if ink:
                parts.append("<BR/>".join(f"<FONT{ink}><B>{text(x)}</B></FONT>" for x in lines))
            elif len(lines) == 1:  # most names: one line
                parts.append(f"<B>{text(lines[0])}</B>")
            else:
                parts.append("<BR/>".join(f"<B>{text(x)}</B>" for x in lines))
            # Small lines wrap like a node's, so one long "was: …" line never widens the column.
            for x in r.room or r.small:
                faint = ink or (f' COLOR="{r.fill}"' if x not in r.small else "")
                parts += [f'<FONT POINT-SIZE="8"{faint}>{text(line)}</FONT>' for line in wrap(x, 34)]
            style = ' STYLE="dashed"' if r.dashed else ""
            # A bold border takes its width from the padding, so marking a row never resizes it
            # (the panels of a transition keep every body in the same place).
            border, pad = ("3", "1") if r.bold else ("1", "3")
            cells.append(
                f'<TD PORT="{port(id_)}" BGCOLOR="{r.fill}" COLOR="{r.border}" BORDER="{border}"{style}'
                f' CELLPADDING="{pad}">{"<BR/>".join(parts)}</TD>'
            )
        head = cells[:1] if self.heading else []
        body = cells[len(head):]
        # Fill down the columns (reading order is down, then across), one table row at a time.
        n = -(-len(body) // self.columns) if body else 0
        if self.columns == 1:
            grid = [f"<TR>{cell}</TR>" for cell in body]
        else:
            grid = ["<TR>" + "".join(body[r + c * n] for c in range(self.columns) if r + c * n < len(body)) + "</TR>"
                    for r in range(n)]
        return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3">' + "".join(head + grid) + "</TABLE>>"


def port(id_: str) -> str:
    """The port of a body's row (prefixed, so an id like ``n`` is never a compass point)."""
    return "p_" + id_.replace(":", "%3A")


_CLUSTER_KEYS = frozenset({"label", "labelloc", "fontname", "fontsize"})
"""The attributes every cluster is given (a cluster's own may not set them again)."""


@dataclass
class Scene:
    """Nodes, stacks, clusters, ranks and edges of one diagram."""

    title: str
    """An HTML-like graph label (already escaped)."""
    rankdir: str = "RL"
    graph_attrs: dict[str, str] = field(default_factory=dict)
    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    stacks: dict[str, Stack] = field(default_factory=dict)
    node_cluster: dict[str, str] = field(default_factory=dict)
    clusters: dict[str, Cluster] = field(default_factory=dict)
    ranks: dict[str, list[str]] = field(default_factory=dict)
    rank_order: tuple[str, ...] = ()
    """Rank names in layout order; consecutive non-empty ranks are chained with
    invisible edges so tiers never swap."""
    edges: dict[tuple[str, str, str], dict[str, str]] = field(default_factory=dict)
    """Edges keyed by (tail, head, kind)."""
    where: dict[str, str] = field(default_factory=dict)
    """Where each body or area id is drawn: a node name, or ``stack:port``."""
    spare_rank: str | None = None
    """A rank with room to spare (the outer column of the shorter half), for the key."""
    parts: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    """Each drawn record's label parts (name, small lines), to re-label when marking."""

    def node(self, name: str, cluster: str | None = None, rank: str | None = None, **attrs: str) -> None:
        """Add (or update) a node, optionally inside a cluster and on a tier rank."""
        got = self.nodes.get(name)
        if got is None:
            self.nodes[name] = attrs  # a new dict each call (keyword arguments): kept as it is
        else:
            got.update(attrs)
        if cluster is not None:
            self.node_cluster[name] = cluster
        if rank is not None:
            self.ranks.setdefault(rank, [])
            if name not in self.ranks[rank]:
                self.ranks[rank].append(name)

    def row(self, stack: str, heading: str | None, id_: str, row: Row,
            cluster: str | None = None, rank: str | None = None, columns: int = 1) -> None:
        """Add a body as a row of a stack node (made on first use, with ``columns`` side by side)."""
        got = self.stacks.get(stack)
        if got is None:
            got = self.stacks[stack] = Stack(heading, columns=columns)
            self.node(stack, cluster=cluster, rank=rank, shape="plain")
        got.rows[id_] = row
        self.where[id_] = f"{stack}:{port(id_)}"
        self.parts[id_] = (row.name, row.small)

    def edge(self, tail: str, head: str, kind: str, **attrs: str) -> None:
        """Add (or update) an edge between two drawn ids (see :attr:`where`) or node names."""
        self.edges.setdefault((self.where.get(tail, tail), self.where.get(head, head), kind), {}).update(attrs)

    def mark(self, id_: str, marker: str, color: str, dashed: bool = False, bold: bool = False,
             fill: str | None = None) -> None:
        """Mark a drawn body or area as changed: a text marker, a border colour and line style."""
        place = self.where[id_]
        stack, _, _ = place.partition(":")
        if stack in self.stacks and id_ in self.stacks[stack].rows:
            r = self.stacks[stack].rows[id_]
            r.marker, r.marker_color, r.border, r.dashed, r.bold = marker, color, color, dashed, bold
            if fill:
                r.fill = fill
            return
        name, small = self.parts[id_]
        attrs = self.nodes[place]
        attrs["label"] = label(name, *small, marker=marker, marker_color=color)
        attrs["color"] = color
        attrs["penwidth"] = "3" if bold else "2"
        base = [s for s in attrs.get("style", "").split(",") if s and s not in ("dashed", "bold", "solid")]
        attrs["style"] = ",".join([*base, "dashed" if dashed else "bold"])
        if fill:
            attrs["fillcolor"] = fill

    def _layout(self) -> tuple[dict[str, str], list[tuple]]:
        """The graph's attributes and its statements, in the order they are written.

        Statements: ``("node", name, attrs)``, ``("cluster", name, attrs, [(name, attrs), …])``,
        ``("rank", [name, …])`` and ``("edge", tail, head, attrs)``. Both writers
        (:meth:`to_dot`, :meth:`to_digraph`) follow this one order.
        """
        for key, stack in self.stacks.items():
            self.nodes[key]["label"] = stack.label()
        graph = {
            "rankdir": self.rankdir,
            "newrank": "true",
            "fontname": FONT,
            "fontsize": "16",
            "label": self.title,
            "labelloc": "t",
            "nodesep": "0.12",
            "ranksep": "0.25",
            "size": "11.2,7.8",  # A4 landscape (11.7 x 8.3 in) less margins
            "margin": "0.1",
        }
        clash = graph.keys() & self.graph_attrs.keys()
        if clash:  # as a keyword argument given twice would (the library path passes them so)
            raise TypeError(f"graph attribute set twice: {sorted(clash)}")
        graph.update(self.graph_attrs)
        out: list[tuple] = []
        nodes, node_cluster = self.nodes, self.node_cluster
        for n in sorted(n for n in nodes if n not in node_cluster):
            out.append(("node", n, nodes[n]))
        by_cluster: dict[str, list[str]] = {}
        for n, c in node_cluster.items():
            by_cluster.setdefault(c, []).append(n)
        ordered = sorted(self.clusters, key=lambda k: (self.clusters[k].order, k))
        for i, key in enumerate(ordered):
            members = sorted(by_cluster.get(key, ()))
            if not members:
                continue
            cl = self.clusters[key]
            attrs = {"label": cl.label, "labelloc": "t", "fontname": FONT, "fontsize": "12"}
            if not _CLUSTER_KEYS.isdisjoint(cl.attrs):
                raise TypeError(f"cluster attribute set twice: {sorted(attrs.keys() & cl.attrs.keys())}")
            attrs.update(cl.attrs)
            out.append(("cluster", f"cluster_{i}_{_safe(key)}", attrs, [(n, nodes[n]) for n in members]))
        present = [r for r in self.rank_order if self.ranks.get(r)]
        for r in present:
            out.append(("rank", sorted(self.ranks[r])))
        for lower, upper in zip(present, present[1:], strict=False):
            out.append(("edge", min(self.ranks[lower]), min(self.ranks[upper]), {"style": "invis"}))
        for (tail, head, _kind), attrs in sorted(self.edges.items()):
            out.append(("edge", tail, head, attrs))
        return graph, out

    def to_dot(self, name: str = "structure") -> str:
        """The scene as DOT text, everything in sorted order.

        The same text as ``to_digraph(name).source``, written directly: see :func:`quote`.

        Examples
        --------
        >>> sc = Scene(title="<<B>Tiny</B>>")
        >>> sc.node("b/x y", label="<<B>X</B>>", tooltip='say "hi"')
        >>> print(sc.to_dot().splitlines()[4].strip())
        "b/x y" [label=<<B>X</B>> tooltip="say \\"hi\\""]
        >>> sc.to_dot() == sc.to_digraph().source
        True
        """
        graph, statements = self._layout()
        memo: dict = {}  # this diagram's quoted strings and pairs (not kept: each render pays its own)
        lines = [f"digraph {quote(name)} {{\n",
                 f"\tgraph [{_a_list(graph, memo, label_first=False)}]\n",
                 f"\tnode [{_a_list(NODE_ATTRS, memo, label_first=False)}]\n",
                 f"\tedge [{_a_list(EDGE_ATTRS, memo, label_first=False)}]\n"]
        add = lines.append
        for st in statements:
            what = st[0]
            if what == "node":
                add(f"\t{quote(st[1], memo)}{_attr_list(st[2], memo)}\n")
            elif what == "edge":
                add(f"\t{quote_edge(st[1], memo)} -> {quote_edge(st[2], memo)}{_attr_list(st[3], memo)}\n")
            elif what == "cluster":
                add(f"\tsubgraph {quote(st[1], memo)} {{\n")
                add(f"\t\t{_a_list(st[2], memo, label_first=False)}\n")
                for n, attrs in st[3]:
                    add(f"\t\t{quote(n, memo)}{_attr_list(attrs, memo)}\n")
                add("\t}\n")
            else:  # rank
                add("\t{\n\t\trank=same\n")
                for n in st[1]:
                    add(f"\t\t{quote(n, memo)}\n")
                add("\t}\n")
        add("}\n")
        return "".join(lines)

    def to_digraph(self, name: str = "structure") -> graphviz.Digraph:
        """The scene as a :class:`graphviz.Digraph`, everything in sorted order.

        Built through the library's statement methods: the reference :meth:`to_dot` is tested
        against (and what to use to add to the graph with the library).
        """
        graph, statements = self._layout()
        g = graphviz.Digraph(name=name)
        g.attr("graph", **graph)
        g.attr("node", **NODE_ATTRS)
        g.attr("edge", **EDGE_ATTRS)
        for st in statements:
            if st[0] == "node":
                g.node(st[1], **_sorted(st[2]))
            elif st[0] == "edge":
                g.edge(st[1], st[2], **_sorted(st[3]))
            elif st[0] == "cluster":
                with g.subgraph(name=st[1]) as sub:
                    sub.attr(**st[2])
                    for n, attrs in st[3]:
                        sub.node(n, **_sorted(attrs))
            else:
                with g.subgraph() as sub:
                    sub.attr(rank="same")
                    for n in st[1]:
                        sub.node(n)
        return g


# -- writing DOT ---------------------------------------------------------------------------
# The graphviz library's quoting rules (graphviz/quoting.py, 0.20), restated so a scene is
# written in one pass of string formatting; tests/test_render_dot.py checks them against the
# library on hostile text.

_HTML = re.compile(r"<.*>$", re.DOTALL)
_ID = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?))$")
_KEYWORDS = frozenset({"node", "edge", "graph", "digraph", "subgraph", "strict"})
# A quote after an even run of backslashes gets one; after an odd run it counts as escaped.
_ESCAPE_QUOTES = re.compile(r'(?P<escaped_backslashes>(?:\\{2})*)\\?(?P<literal_quote>")')
_KEYS: dict[str, str] = {}
"""Attribute names already quoted (a small vocabulary: ``label``, ``color``, ``style`` …)."""


def quote(value: str, memo: dict[str, str] | None = None) -> str:
    """A DOT identifier for a string, quoted only when it must be: as the ``graphviz`` library quotes.

    An HTML-like label (``<…>``) and a plain identifier or number stay as they are; anything
    else is put in double quotes, with each ``"`` not already escaped by a backslash escaped.
    ``memo`` keeps what one diagram has quoted (colours and styles repeat on every node).

    Examples
    --------
    >>> quote("rankdir"), quote("0.12"), quote("#FAFAFA"), quote("<<B>x</B>>"), quote("node")
    ('rankdir', '0.12', '"#FAFAFA"', '<<B>x</B>>', '"node"')
    >>> print(quote('say "hi"'))
    "say \\"hi\\""
    """
    if memo is not None:
        got = memo.get(value)
        if got is not None:
            return got
    # _HTML.match, without scanning the whole label: "<", and a ">" at the end (or before a final
    # newline, where "$" also matches); ids without a '"' need no escaping (most of them).
    if value[:1] == "<" and (value[-1:] == ">" or value[-2:] == ">\n"):
        got = value
    elif not _ID.match(value) or value.lower() in _KEYWORDS:
        if '"' in value:
            got = '"' + _ESCAPE_QUOTES.sub(r"\g<escaped_backslashes>\\\g<literal_quote>", value) + '"'
        else:
            got = f'"{value}"'
    else:
        got = value
    if memo is not None:
        memo[value] = got
    return got


def quote_edge(value: str, memo: dict[str, str] | None = None) -> str:
    """An edge end (``node[:port[:compass]]``) with node and port each quoted, as the library does.

    Examples
    --------
    >>> quote_edge("s/oxon:p_oxon-cc")
    '"s/oxon":"p_oxon-cc"'
    """
    node, _, rest = value.partition(":")
    if not rest:
        return quote(node, memo)
    port, _, compass = rest.partition(":")
    head = f"{quote(node, memo)}:{quote(port, memo)}"
    return f"{head}:{compass}" if compass else head


def _key(name: str) -> str:
    got = _KEYS.get(name)
    if got is None:
        if len(_KEYS) > 1_000:  # attribute names are a small vocabulary; never let it grow
            _KEYS.clear()
        got = _KEYS[name] = quote(name)
    return got


def _a_list(attrs: dict[str, str | None], memo: dict, label_first: bool = True) -> str:
    """``k=v`` pairs by key (``label`` first when ``label_first``, as the library writes a
    statement's label argument), ``None`` values left out.

    ``memo`` also keeps each written ``k=v`` pair by ``(k, v)``: most attributes repeat on
    every node and cluster of a diagram (colours, styles, fonts); labels are written afresh.
    """
    shape = (label_first, *attrs)  # the keys in the order given: one sort per shape of attribute dict
    keys = memo.get(shape)
    if keys is None:
        keys = sorted(attrs)
        if label_first and "label" in attrs:
            keys.remove("label")
            keys.insert(0, "label")
        keys = memo[shape] = tuple(keys)
    parts = []
    for k in keys:
        v = attrs[k]
        if v is None:
            continue
        if k == "label":
            parts.append(f"label={quote(v, memo)}")
            continue
        pair = memo.get((k, v))
        if pair is None:
            pair = memo[k, v] = f"{_key(k)}={quote(v, memo)}"
        parts.append(pair)
    return " ".join(parts)


def _attr_list(attrs: dict[str, str | None], memo: dict) -> str:
    """`` [k=v …]``, or nothing for no attributes."""
    if not attrs:
        return ""
    content = _a_list(attrs, memo)
    return f" [{content}]" if content else ""


def _sorted(attrs: dict[str, str]) -> dict[str, str]:
    return {k: attrs[k] for k in sorted(attrs)}


def _safe(key: str) -> str:
    if key.isalnum():  # most keys (GSS codes): every character kept
        return key
    return "".join(ch if ch.isalnum() else "_" for ch in key)
