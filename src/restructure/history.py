"""The version graph: versions like commits, their ancestry, heads and merge points.

Pure logic over plain :class:`VersionRecord` values; the store
(:mod:`restructure.store`) persists the records and builds a
:class:`VersionGraph` from them. Nothing here touches a database.

Examples
--------
>>> import datetime as dt
>>> t = dt.datetime(2026, 11, 25, tzinfo=dt.timezone.utc)
>>> g = VersionGraph([
...     VersionRecord("a1", (), "baseline", "ann", t),
...     VersionRecord("b2", ("a1",), "vesting day", "ann", t + dt.timedelta(minutes=1)),
...     VersionRecord("c3", ("a1",), "two unitaries", "bob", t + dt.timedelta(minutes=2)),
... ])
>>> g.heads()
['b2', 'c3']
>>> g.merge_base("b2", "c3")
'a1'
>>> [v.id for v in g.log(["b2", "c3"])]
['c3', 'b2', 'a1']
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .errors import StoreError

__all__ = ["VersionRecord", "VersionGraph"]


@dataclass(frozen=True)
class VersionRecord:
    """One version of the structure, like a commit.

    Parameters
    ----------
    id : str
        Short hex id (12 characters in the store).
    parents : tuple of str
        The versions it was made from: none for the first version, one
        normally, two or more for a merge. The first parent is the one its
        changes are recorded against.
    message : str
        What the version is, in the planner's words.
    author : str
        Who made it.
    created : datetime
        When it was made (UTC).
    scenario, phase : str, optional
        The scenario and phase that made it, when a scenario did.
    """

    id: str
    parents: tuple[str, ...]
    message: str
    author: str
    created: dt.datetime
    scenario: str | None = None
    phase: str | None = None

    @property
    def parent(self) -> str | None:
        """The first parent (the version this one's changes are recorded against)."""
        return self.parents[0] if self.parents else None


class VersionGraph:
    """The ancestry of versions: heads, ancestors, merge bases, log order.

    Parameters
    ----------
    records : iterable of VersionRecord

    Raises
    ------
    StoreError
        A version names a parent that is not among the records, or the
        parents form a cycle (a corrupt store).
    """

    def __init__(self, records: Iterable[VersionRecord]):
        self._records: dict[str, VersionRecord] = {}
        for rec in records:
            if rec.id in self._records:
                raise StoreError(f"version '{rec.id}' appears twice in the history", ids=(rec.id,))
            self._records[rec.id] = rec
        self._children: dict[str, list[str]] = {v: [] for v in self._records}
        for rec in self._records.values():
            for p in rec.parents:
                if p not in self._records:
                    raise StoreError(
                        f"version '{rec.id}' names unknown parent '{p}'", ids=(rec.id, p)
                    )
                self._children[p].append(rec.id)
        self._check_acyclic()

    # -- records -----------------------------------------------------------------

    def __contains__(self, id_: str) -> bool:
        return id_ in self._records

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[VersionRecord]:
        return iter(self._records.values())

    def get(self, id_: str) -> VersionRecord:
        """The version with this exact id; :class:`StoreError` if there is none."""
        try:
            return self._records[id_]
        except KeyError:
            raise StoreError(f"no version '{id_}'", "Run `restructure log` to list versions", ids=(id_,)) from None

    def match(self, prefix: str) -> list[str]:
        """Ids starting with ``prefix``, sorted."""
        return sorted(v for v in self._records if v.startswith(prefix))

    # -- shape ---------------------------------------------------------------------

    def roots(self) -> list[str]:
        """Versions without parents, sorted."""
        return sorted(v for v, rec in self._records.items() if not rec.parents)

    def heads(self) -> list[str]:
        """Versions that no other version was made from, sorted."""
        return sorted(v for v, kids in self._children.items() if not kids)

    def children(self, id_: str) -> list[str]:
        """Versions made directly from this one, sorted."""
        self.get(id_)
        return sorted(self._children[id_])

    def _check_acyclic(self) -> None:
        # Iterative depth-first search with colours; a grey parent is a back edge.
        white, grey, black = 0, 1, 2
        colour = dict.fromkeys(self._records, white)
        for start in sorted(self._records):
            if colour[start] != white:
                continue
            stack = [(start, iter(self._records[start].parents))]
            path = [start]
            colour[start] = grey
            while stack:
                node, parents = stack[-1]
                nxt = next(parents, None)
                if nxt is None:
                    colour[node] = black
                    stack.pop()
                    path.pop()
                elif colour[nxt] == grey:
                    cycle = path[path.index(nxt):] + [nxt]
                    raise StoreError(
                        f"cycle in version history: {' -> '.join(cycle)}",
                        "The store is corrupt; restore it from a backup",
                        ids=tuple(cycle),
                    )
                elif colour[nxt] == white:
                    colour[nxt] = grey
                    path.append(nxt)
                    stack.append((nxt, iter(self._records[nxt].parents)))

    # -- ancestry ------------------------------------------------------------------

    def ancestors(self, id_: str, include_self: bool = False) -> set[str]:
        """Every version this one was made from, at any depth."""
        self.get(id_)
        seen: set[str] = {id_} if include_self else set()
        todo = list(self._records[id_].parents)
        while todo:
            v = todo.pop()
            if v not in seen:
                seen.add(v)
                todo.extend(self._records[v].parents)
        return seen

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        """Whether ``descendant`` was made (at any depth) from ``ancestor``; a version is its own ancestor."""
        self.get(ancestor)
        return ancestor == descendant or ancestor in self.ancestors(descendant)

    def first_parents(self, id_: str) -> list[str]:
        """The first-parent chain from this version back to its root, newest first."""
        chain = [self.get(id_).id]
        while self._records[chain[-1]].parents:
            chain.append(self._records[chain[-1]].parents[0])
        return chain

    def nth_parent(self, id_: str, n: int) -> str:
        """The version ``n`` steps back along first parents (``branch~n``)."""
        chain = self.first_parents(id_)
        if n >= len(chain):
            raise StoreError(
                f"version '{id_}' has only {len(chain) - 1} earlier versions, not {n}",
                "Use a smaller number after ~",
                ids=(id_,),
            )
        return chain[n]

    def merge_base(self, a: str, b: str) -> str | None:
        """The best common ancestor of two versions (the newest, when several are best).

        ``None`` when they share no history.
        """
        common = self.ancestors(a, include_self=True) & self.ancestors(b, include_self=True)
        if not common:
            return None
        # A best common ancestor is not an ancestor of another common ancestor.
        below = set()
        for c in common:
            below |= self.ancestors(c) & common
        best = common - below
        return max(best, key=lambda v: (self._records[v].created, v))

    # -- order ---------------------------------------------------------------------

    def log(self, heads: Iterable[str] | None = None) -> list[VersionRecord]:
        """Versions reachable from ``heads`` (all if None), newest first.

        Topological: every version comes before its parents; among versions
        ready at the same time the newest (then the greatest id) comes first.
        """
        if heads is None:
            reach = set(self._records)
        else:
            reach = set()
            for h in heads:
                reach |= self.ancestors(h, include_self=True)
        pending = {v: sum(1 for c in self._children[v] if c in reach) for v in reach}
        heap = [self._order_key(v) for v, n in pending.items() if n == 0]
        heapq.heapify(heap)
        out: list[VersionRecord] = []
        while heap:
            _, _, v = heapq.heappop(heap)
            rec = self._records[v]
            out.append(rec)
            for p in rec.parents:
                pending[p] -= 1
                if pending[p] == 0:
                    heapq.heappush(heap, self._order_key(p))
        return out

    def _order_key(self, v: str) -> tuple:
        rec = self._records[v]
        # heapq pops the smallest: negate time so the newest comes first, ties by id descending.
        return (-rec.created.timestamp(), _Desc(v), v)


class _Desc(str):
    """A string that sorts in reverse (for ties in the log heap)."""

    __slots__ = ()

    def __lt__(self, other: str) -> bool:  # type: ignore[override]
        return str.__gt__(self, other)
