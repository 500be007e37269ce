"""A diagram before it is written as DOT: nodes, stacks, clusters, tier ranks and edges.

Views fill a :class:`Scene`; change diagrams mark it up (:meth:`Scene.mark`);
:meth:`Scene.to_digraph` writes it with every node, cluster and edge in sorted
order, so the same structure gives the same DOT bytes every time.

A *stack* is one table-shaped node listing several bodies, one row each (the
councils and agencies of a local area). Each row is a port, so edges still
start at the right body, and the chart stays narrow enough for A4.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import graphviz

from .style import FONT, OKABE_ITO, label, text, wrap

__all__ = ["Scene", "Cluster", "Row", "Stack"]


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
        for id_ in sorted(self.rows, key=lambda i: (self.rows[i].name, i)):
            r = self.rows[id_]
            parts = []
            if r.marker:
                parts.append(
                    f'<FONT POINT-SIZE="9" COLOR="{r.marker_color or OKABE_ITO["black"]}"><B>{text(r.marker)}</B></FONT>'
                )
            ink = f' COLOR="{r.fill}"' if r.hidden else ""
            parts.append("<BR/>".join(f"<FONT{ink}><B>{text(x)}</B></FONT>" if ink else f"<B>{text(x)}</B>"
                                      for x in wrap(r.name, 22)))
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
        grid = ["<TR>" + "".join(body[r + c * n] for c in range(self.columns) if r + c * n < len(body)) + "</TR>"
                for r in range(n)]
        return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3">' + "".join(head + grid) + "</TABLE>>"


def port(id_: str) -> str:
    """The port of a body's row (prefixed, so an id like ``n`` is never a compass point)."""
    return "p_" + id_.replace(":", "%3A")


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
        self.nodes.setdefault(name, {}).update(attrs)
        if cluster is not None:
            self.node_cluster[name] = cluster
        if rank is not None:
            self.ranks.setdefault(rank, [])
            if name not in self.ranks[rank]:
                self.ranks[rank].append(name)

    def row(self, stack: str, heading: str | None, id_: str, row: Row,
            cluster: str | None = None, rank: str | None = None, columns: int = 1) -> None:
        """Add a body as a row of a stack node (made on first use, with ``columns`` side by side)."""
        if stack not in self.stacks:
            self.stacks[stack] = Stack(heading, columns=columns)
            self.node(stack, cluster=cluster, rank=rank, shape="plain")
        self.stacks[stack].rows[id_] = row
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

    def to_digraph(self, name: str = "structure") -> graphviz.Digraph:
        """Write the scene as a :class:`graphviz.Digraph`, everything in sorted order."""
        for key, stack in self.stacks.items():
            self.nodes[key]["label"] = stack.label()
        g = graphviz.Digraph(name=name)
        g.attr(
            "graph",
            rankdir=self.rankdir,
            newrank="true",
            fontname=FONT,
            fontsize="16",
            label=self.title,
            labelloc="t",
            nodesep="0.12",
            ranksep="0.25",
            size="11.2,7.8",  # A4 landscape (11.7 x 8.3 in) less margins
            margin="0.1",
            **self.graph_attrs,
        )
        g.attr("node", fontname=FONT, fontsize="11", margin="0.08,0.03")
        g.attr("edge", fontname=FONT, fontsize="9", arrowsize="0.7")
        loose = sorted(n for n in self.nodes if n not in self.node_cluster)
        for n in loose:
            g.node(n, **_sorted(self.nodes[n]))
        by_cluster: dict[str, list[str]] = {}
        for n, c in self.node_cluster.items():
            by_cluster.setdefault(c, []).append(n)
        ordered = sorted(self.clusters, key=lambda k: (self.clusters[k].order, k))
        for i, key in enumerate(ordered):
            members = sorted(by_cluster.get(key, ()))
            if not members:
                continue
            cl = self.clusters[key]
            with g.subgraph(name=f"cluster_{i}_{_safe(key)}") as sub:
                sub.attr(label=cl.label, labelloc="t", fontname=FONT, fontsize="12", **_sorted(cl.attrs))
                for n in members:
                    sub.node(n, **_sorted(self.nodes[n]))
        present = [r for r in self.rank_order if self.ranks.get(r)]
        for r in present:
            with g.subgraph() as sub:
                sub.attr(rank="same")
                for n in sorted(self.ranks[r]):
                    sub.node(n)
        for lower, upper in zip(present, present[1:], strict=False):
            g.edge(sorted(self.ranks[lower])[0], sorted(self.ranks[upper])[0], style="invis")
        for (tail, head, _kind), attrs in sorted(self.edges.items()):
            g.edge(tail, head, **_sorted(attrs))
        return g


def _sorted(attrs: dict[str, str]) -> dict[str, str]:
    return {k: attrs[k] for k in sorted(attrs)}


def _safe(key: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in key)
