"""Synthetic structures of any size, for tests and benchmarks (not real places).

Networkx-style generators: a police force area of districts, each split into
parts, with a CSP covering and a council serving each district.
"""

from __future__ import annotations

from .model import Area, Body, Relation
from .structure import Structure

__all__ = ["districts_structure", "replicate"]


def districts_structure(n_districts: int, parts: int = 10, name: str = "synthetic") -> Structure:
    """A force area ``F1`` with ``n_districts`` districts of ``parts`` parts each.

    Each district ``Dnnnnn`` has a CSP ``csp-n`` covering it and a council
    ``council-n`` (a Serious Violence Duty holder) serving it and sitting on
    the CSP; a Strategy Board ``board`` exists with no seats. Areas number
    ``1 + n_districts * (1 + parts)``.

    Examples
    --------
    >>> s = districts_structure(3, parts=2)
    >>> sum(1 for _ in s.areas()), [b.id for b in s.covering("D00001-001")]
    (10, ['csp-1'])
    """
    s = Structure(name)
    s.add(Area(id="F1", name="Force", kind="police_force_area"))
    s.add(Body(id="board", name="Board", kind="strategy_board", tier="strategic"))
    for d in range(n_districts):
        did = f"D{d:05d}"
        s.add(Area(id=did, name=f"District {d}", kind="district"))
        s.add(Relation(kind="within", source=did, target="F1"))
        for a in range(parts):
            aid = f"{did}-{a:03d}"
            s.add(Area(id=aid, name=f"Part {a} of district {d}", kind="part"))
            s.add(Relation(kind="within", source=aid, target=did))
        s.add(Body(id=f"csp-{d}", name=f"CSP {d}", kind="community_safety_partnership", tier="local"))
        s.add(Body(id=f"council-{d}", name=f"Council {d}", kind="district_council", duties=["serious_violence_duty"]))
        s.add(Relation(kind="covers", source=f"csp-{d}", target=did))
        s.add(Relation(kind="member_of", source=f"council-{d}", target=f"csp-{d}", role="statutory"))
        s.add(Relation(kind="serves", source=f"council-{d}", target=did))
    return s


def replicate(structure: Structure, copies: int, name: str | None = None) -> Structure:
    """``copies`` disjoint copies of a structure in one, for measuring growth (not real places).

    Copy 1 keeps every id and name; copy ``k`` > 1 suffixes every id with ``.k``
    and every name with `` (k)``, and renames every reference (relation ends
    and seat areas, event predecessors, successors and areas) to match, so the
    copies are the same shape and never touch.

    Examples
    --------
    >>> s = replicate(districts_structure(2, parts=1), 3)
    >>> sum(1 for _ in s.areas()), s.area("D00001.3").name
    (15, 'District 1 (3)')
    >>> [r.target for r in s.relations("covers") if r.source == "csp-0.2"]
    ['D00000.2']
    """
    from .model import ChangeEvent

    out = Structure(name or structure.name, structure.description, structure.sources)
    records = list(structure.records())
    for k in range(1, copies + 1):
        if k == 1:
            for rec in records:
                out.add(rec)
            continue
        sfx = f".{k}"

        def ren(i: str | None, sfx: str = sfx) -> str | None:
            return None if i is None else i + sfx

        for rec in records:
            if isinstance(rec, Relation):
                rec = rec.model_copy(update={
                    "source": ren(rec.source), "target": ren(rec.target), "area": ren(rec.area), "event": ren(rec.event),
                })
            elif isinstance(rec, ChangeEvent):
                rec = rec.model_copy(update={
                    "id": ren(rec.id),
                    "predecessors": tuple(map(ren, rec.predecessors)),
                    "successors": tuple(map(ren, rec.successors)),
                    "areas": tuple(map(ren, rec.areas)),
                })
            else:
                rec = rec.model_copy(update={"id": ren(rec.id), "name": f"{rec.name} ({k})"})
            out.add(rec)
    return out
