"""A structure as rows, and back: the unit the store records changes in.

Each area, body, relation and change event of a
:class:`~restructure.structure.Structure` is one row, identified by its kind
and key (an id, or a relation's kind|source|target|area|start) and carrying
its fields as compact JSON. The structure's own name, description and sources
are one more row (kind ``structure``). A version's delta is the rows that
differ from its first parent: a changed record is its key with the new
payload, a removed one its key with no payload.

No SQLAlchemy here: these are plain dictionaries.

Examples
--------
>>> from restructure.structure import Structure
>>> from restructure.model import Area
>>> s = Structure("tiny")
>>> s.add(Area(id="E06000038", name="Reading", kind="unitary"))
>>> rows = structure_rows(s)
>>> sorted(rows)
[('area', 'E06000038'), ('structure', '')]
>>> structure_from_rows(rows).to_yaml() == s.to_yaml()
True
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import networkx as nx
from pydantic import TypeAdapter, ValidationError

from ..errors import StoreError, ValidationFailed
from ..model import RECORD_FIELDS
from ..structure import Structure

__all__ = [
    "RowKey",
    "Rows",
    "KINDS",
    "record_row",
    "structure_rows",
    "structure_from_rows",
    "assemble",
    "assemble_trusted",
    "delta",
    "edit_delta",
    "meta_row",
    "apply_delta",
]

RowKey = tuple[str, str]
"""A row's identity: (record kind, key)."""
Rows = dict[RowKey, str]
"""A whole structure: row identity -> JSON payload."""

KINDS = {kind: model for model, kind in RECORD_FIELDS.items()}
"""Record kinds and their models, in the order a structure is rebuilt (ends before relations)."""

_KIND_OF = RECORD_FIELDS
_META: RowKey = ("structure", "")
_ADAPTERS = {kind: TypeAdapter(list[model]) for kind, model in KINDS.items()}


@contextmanager
def _no_gc() -> Iterator[None]:
    # Building tens of thousands of small objects triggers repeated full collections that
    # find nothing to free; pausing the collector makes a national checkout ~3x faster.
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _json(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def record_row(record) -> tuple[RowKey, str]:
    """The row of one record: ((kind, key), JSON payload)."""
    kind = _KIND_OF[type(record)]
    key = "|".join(record.key) if kind == "relation" else record.key
    # Fields in declaration order and free-form mappings (attributes, old_values) in their own
    # order: the order YAML output follows, so a checkout is byte-identical to what was committed.
    # (pydantic's serializer called directly: what model_dump_json(exclude_defaults=True) does, less its wrapper)
    return (kind, key), record.__pydantic_serializer__.to_json(record, exclude_defaults=True).decode()


def structure_rows(structure: Structure) -> Rows:
    """Every row of a structure, including its ``structure`` row (name, description, sources)."""
    rows: Rows = {}
    with _no_gc():
        for rec in structure.records():
            key, payload = record_row(rec)
            rows[key] = payload
    rows[_META] = meta_row(structure)
    return rows


def meta_row(structure: Structure) -> str:
    """The payload of a structure's own row: its name, description and sources."""
    meta: dict[str, Any] = {"name": structure.name}
    if structure.description:
        meta["description"] = structure.description
    if structure.sources:
        meta["sources"] = list(structure.sources)
    return _json(meta)


def edit_delta(structure: Structure, meta_before: str) -> dict[RowKey, str | None] | None:
    """The delta of a tracked structure against what it was checked out as, from its edits alone.

    The same rows :func:`delta` would find between the checkout's rows and
    :func:`structure_rows` of the structure, at a cost in proportion to the
    records edited (see :meth:`Structure.track`). ``None`` when the structure
    is not tracked.
    """
    tracked = structure.edits()
    if tracked is None:
        return None
    out: dict[RowKey, str | None] = {}
    for before, now in tracked[1]:
        if before is None and now is None:
            continue  # added and removed again
        old = record_row(before) if before is not None else None
        new = record_row(now) if now is not None else None
        key = (new or old)[0]  # type: ignore[index]
        payload = new[1] if new is not None else None
        if (old[1] if old is not None else None) != payload:
            out[key] = payload
    meta = meta_row(structure)
    if meta != meta_before:
        out[_META] = meta
    return dict(sorted(out.items()))


def structure_from_rows(rows: Mapping[RowKey, str], *, trusted: bool = False) -> Structure:
    """Rebuild a structure from its rows (the exact inverse of :func:`structure_rows`).

    Parameters
    ----------
    rows : mapping
    trusted : bool
        The rows are the store's own (written by :func:`structure_rows` in a
        commit): build the graph in bulk (:func:`assemble_trusted`) instead of
        record by record with every check of :meth:`Structure.add`. The result
        is the same structure; a corrupt store is still refused.

    Raises
    ------
    StoreError
        A row does not validate or names a record that is missing (a corrupt store).
    """
    try:
        return assemble_trusted(rows) if trusted else assemble(rows)
    except ValidationError as exc:
        raise StoreError(f"a stored record does not validate ({exc.errors()[0]['msg']})",
                         "The store is corrupt or from a newer release") from None
    except ValidationFailed as exc:
        raise StoreError(f"the stored rows do not make a structure ({exc.what})",
                         "The store is corrupt or from a newer release") from None


def _by_kind(rows: Mapping[RowKey, str]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The ``structure`` row's data and the payloads of each kind, in key order."""
    by_kind: dict[str, list[tuple[str, str]]] = {k: [] for k in KINDS}
    meta: dict[str, Any] = {}
    for (kind, key), payload in rows.items():
        if (kind, key) == _META:
            meta = json.loads(payload)
        elif kind in by_kind:
            by_kind[kind].append((key, payload))
        else:
            raise StoreError(f"unknown row kind '{kind}' in the store", "Upgrade restructure")
    return meta, {k: [p for _, p in sorted(v)] for k, v in by_kind.items()}


def assemble_trusted(rows: Mapping[RowKey, str]) -> Structure:
    """Rebuild a structure from the store's own rows, in bulk.

    Each kind's payloads are parsed in one call (pydantic-core, in Rust) and the
    graph is built with one ``add_nodes_from`` and one ``add_edges_from``, in the
    order :func:`assemble` would add them, so the structure (and its YAML) is
    identical. The per-record checks of :meth:`Structure.add` are replaced by
    one count: every relation end must be an area or body row (row keys are
    unique in the store, so duplicates cannot occur).

    Raises
    ------
    pydantic.ValidationError
        A payload does not parse.
    ValidationFailed
        A relation names a record that is missing.
    """
    from ..structure import edge_key

    meta, by_kind = _by_kind(rows)
    s = Structure(meta.get("name", ""), meta.get("description"), meta.get("sources") or ())
    with _no_gc():
        parsed = {kind: _ADAPTERS[kind].validate_json("[" + ",".join(by_kind[kind]) + "]") for kind in by_kind}
        s.events = {ev.id: ev for ev in parsed["event"]}
        # networkx's own adjacency dicts, filled directly (what add_node/add_edge do, less their
        # per-call checks): a MultiDiGraph keeps node -> {neighbour: {key: data}}, the key dict
        # shared by both directions. The tests compare the result with the checked build.
        g = s.graph
        node, succ, pred = g._node, g._succ, g._pred
        for kind in ("area", "body"):
            for rec in parsed[kind]:
                node[rec.id] = {"record": rec}
                succ[rec.id] = {}
                pred[rec.id] = {}
        for r in parsed["relation"]:
            u, v = r.source, r.target
            out = succ.get(u)
            if out is None or v not in pred:
                missing = u if out is None else v
                raise ValidationFailed(f"a relation names unknown id '{missing}'", ids=(missing,))
            keys = out.get(v)
            if keys is None:
                keys = out[v] = pred[v][u] = {}
            keys[edge_key(r)] = {"record": r}
        clear = getattr(nx, "_clear_cache", None)
        if clear is not None:
            clear(g)
    return s


def assemble(rows: Mapping[RowKey, str]) -> Structure:
    """Rebuild a structure from rows, raising the model's own errors (for rows not yet stored).

    Raises
    ------
    pydantic.ValidationError
        A payload does not validate.
    ValidationFailed
        A relation names a missing record, or an id is duplicated.
    """
    meta, by_kind = _by_kind(rows)
    s = Structure(meta.get("name", ""), meta.get("description"), meta.get("sources") or ())
    with _no_gc():
        for kind in ("event", "area", "body", "relation"):
            # One JSON array per kind: pydantic validates it in one call, far faster than row by row.
            for rec in _ADAPTERS[kind].validate_json("[" + ",".join(by_kind[kind]) + "]"):
                s.add(rec)
    return s


def delta(before: Mapping[RowKey, str], after: Mapping[RowKey, str]) -> dict[RowKey, str | None]:
    """The rows that turn ``before`` into ``after``: changed or new payloads, ``None`` for removed.

    Examples
    --------
    >>> delta({("area", "a"): "1", ("area", "b"): "2"}, {("area", "a"): "1", ("area", "c"): "3"})
    {('area', 'b'): None, ('area', 'c'): '3'}
    """
    out: dict[RowKey, str | None] = {k: None for k in before if k not in after}
    for k, v in after.items():
        if before.get(k) != v:
            out[k] = v
    return dict(sorted(out.items()))


def apply_delta(rows: Rows, changes: Iterable[tuple[RowKey, str | None]]) -> Rows:
    """Apply a delta to rows in place and return them."""
    for k, v in changes:
        if v is None:
            rows.pop(k, None)
        else:
            rows[k] = v
    return rows
