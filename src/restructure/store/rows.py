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

import json
import operator
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from itertools import groupby, islice, repeat
from operator import itemgetter
from typing import Any

from pydantic import ValidationError
from pydantic_core import SchemaSerializer, SchemaValidator, core_schema

from ..collector import paused
from ..errors import StoreError, ValidationFailed
from ..model import RECORD_FIELDS, records_adapter
from ..structure import Structure

__all__ = [
    "RowKey",
    "Rows",
    "RowTuple",
    "row_tuples",
    "KINDS",
    "record_row",
    "structure_rows",
    "structure_from_rows",
    "assemble",
    "assemble_trusted",
    "build_trusted",
    "trusted_records",
    "corrupt_store",
    "delta",
    "edit_delta",
    "meta_row",
    "apply_delta",
]

RowKey = tuple[str, str]
"""A row's identity: (record kind, key)."""
Rows = dict[RowKey, str]
"""A whole structure: row identity -> JSON payload."""
RowTuple = tuple[str, str, "str | None"]
"""One row of a delta as it is written and hashed: (kind, key, payload, or ``None`` when removed)."""

KINDS = {kind: model for model, kind in RECORD_FIELDS.items()}
"""Record kinds and their models, in the order a structure is rebuilt (ends before relations)."""

_KIND_OF = RECORD_FIELDS
_META: RowKey = ("structure", "")


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
    """Every row of a structure, including its ``structure`` row (name, description, sources).

    The rows come in (kind, key) order, the order a version's delta is hashed
    and written in. Payloads are exactly :func:`record_row`'s, made with one
    call to pydantic's serializer per kind of record.
    """
    rows: Rows = {}
    with paused(long_lived=True):
        by_kind: dict[str, list[tuple[str, Any]]] = {kind: [] for kind in KINDS}
        for data in structure.graph._node.values():
            rec = data["record"]
            by_kind[_KIND_OF[type(rec)]].append((rec.id, rec))
        # A relation's key is "|".join(r.key), read from the record's fields in one comprehension
        # (a function call per relation cost a fifth of serialising a national structure; a
        # StrEnum member joins as its value).
        by_kind["relation"] = [
            ("|".join((v["kind"], v["source"], v["target"], v["area"] or "", start.isoformat() if start else "")), r)
            for nbrs in structure.graph._succ.values() for keydict in nbrs.values() for data in keydict.values()
            for r in (data["record"],) for v in (r.__dict__,) for start in (v["start"],)
        ]
        by_kind["event"] = [(ev.id, ev) for ev in structure.events.values()]
        for kind in sorted(by_kind):
            pairs = sorted(by_kind[kind], key=_KEY)
            keys = zip(repeat(kind), map(_KEY, pairs))
            rows.update(zip(keys, _payloads(KINDS[kind], list(map(_RECORD, pairs))), strict=True))
    rows[_META] = meta_row(structure)
    return rows


_KEY, _RECORD = itemgetter(0), itemgetter(1)  # of (key, record) pairs, and of (kind, payload) rows
_DICT = operator.attrgetter("__dict__")


def _str_enums(schema: Any) -> Any:
    """A model's pydantic-core schema with its string enums serialised as the strings they are.

    A ``StrEnum`` member is a ``str`` whose characters are its value, so the bytes are the same;
    the enum serializer asks each member for ``.value``, a Python property call per record, where
    the string serializer reads the characters directly. (An enum with a serializer of its own
    is left as it is.)
    """
    if isinstance(schema, list):
        return [_str_enums(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if schema.get("type") == "enum" and schema.get("sub_type") == "str" and "serialization" not in schema:
        out = core_schema.str_schema()
        if "ref" in schema:  # definitions may point at it
            out["ref"] = schema["ref"]
        return out
    return {k: _str_enums(v) for k, v in schema.items()}


def _fields_schema(model: type) -> Any:
    """The schema of a model's fields (what its serializer writes from the record's ``__dict__``)."""
    schema = model.__pydantic_core_schema__
    while schema["type"] != "model":  # validators around the model do not serialise
        schema = schema["schema"]
    fields = schema["schema"]
    if fields.get("computed_fields") or schema.get("root_model"):
        raise TypeError(f"{model.__name__}: the store serialises plain fields only")
    # the same fields as a typed dict (a model's fields serialise only inside the model)
    return core_schema.typed_dict_schema({
        name: core_schema.typed_dict_field(
            f["schema"], serialization_alias=f.get("serialization_alias"),
            serialization_exclude=f.get("serialization_exclude"),
        )
        for name, f in fields["fields"].items()
    })


@cache
def _dumpers() -> dict[type, SchemaSerializer]:
    # Built on first use (importing the store stays cheap, `--help`). A model schema would bring
    # back the class's own prebuilt serializer, enums and all: the serializer is of its fields,
    # given each record's __dict__ (the same fields, in the same order, with the same defaults).
    return {model: SchemaSerializer(core_schema.list_schema(_str_enums(_fields_schema(model))))
            for model in RECORD_FIELDS}


def _payloads(model: type, records: list) -> list[str]:
    """The payloads of records of one model: :func:`record_row`'s, in one call to the serializer."""
    if not records:
        return []
    text = _dumpers()[model].to_json(list(map(_DICT, records)), exclude_defaults=True).decode()
    # "[{…},{…}]": records are JSON objects, so they are separated by "},{". Those three
    # characters inside a record (in a string, or between two strategies) make more pieces than
    # records: then serialise one record at a time.
    # (A NUL character marks the cuts: pydantic escapes it in strings, so it is not in the text.)
    parts = text[1:-1].replace("},{", "}\0{").split("\0")
    if len(parts) != len(records):
        return [record_row(r)[1] for r in records]
    return parts


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
    with corrupt_store():
        return assemble_trusted(rows) if trusted else assemble(rows)


@contextmanager
def corrupt_store() -> Iterator[None]:
    """Turn a stored row that does not validate, or rows that do not make a structure, into a :class:`StoreError`."""
    try:
        yield
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
            raise _unknown_kind(kind)
    return meta, {k: [p for _, p in sorted(v)] for k, v in by_kind.items()}


def _unknown_kind(kind: str) -> StoreError:
    return StoreError(f"unknown row kind '{kind}' in the store", "Upgrade restructure")


# -- the store's own rows, rebuilt in bulk ----------------------------------------------


def _trusting(schema: Any) -> Any:
    """A model's pydantic-core schema less the checks a row passed when the store wrote it.

    Function validators (the characters of names and notes, dates in order) and
    string constraints (the id pattern) go; types, enums, required fields and
    ``extra="forbid"`` stay, so a row of another shape is still refused.
    """
    if isinstance(schema, list):
        return [_trusting(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if schema.get("type") in ("function-before", "function-after", "function-wrap") and "schema" in schema:
        inner = dict(_trusting(schema["schema"]))
        if "ref" in schema:  # definitions may point at the wrapper
            inner["ref"] = schema["ref"]
        return inner
    out = {k: _trusting(v) for k, v in schema.items()}
    if out.get("type") == "str":
        for constraint in ("pattern", "min_length", "max_length"):
            out.pop(constraint, None)
    return out


@cache
def _trusted_validators() -> dict[str, SchemaValidator]:
    # built on first use: importing the store stays cheap (`--help`)
    return {
        kind: SchemaValidator(core_schema.list_schema(_trusting(model.__pydantic_core_schema__)))
        for kind, model in KINDS.items()
    }


def trusted_records(kind: str, payloads: Iterable[str]) -> list:
    """Records of one kind from the store's own payloads, in one call to pydantic-core.

    The records are what pydantic's validation gives (the same class, fields
    and set of fields given), less the checks the rows passed when they were
    written: see :func:`_trusting`. The tests compare them with validated ones.

    Raises
    ------
    pydantic.ValidationError
        A payload does not have the record's shape (a corrupt store).
    """
    validators = _trusted_validators()
    if kind not in validators:
        raise _unknown_kind(kind)
    return validators[kind].validate_json("[" + ",".join(payloads) + "]")


class _SharedFields(set):
    """The names of the fields a record was given, one set shared by every record given the same.

    pydantic gives each record its own set (``model_fields_set``); tens of
    thousands of identical sets cost more memory than the records' values. The
    shared set refuses changes in place; ``copy`` gives a plain set, which is
    what ``model_copy(update=)`` updates.
    """

    __slots__ = ()

    def _refuse(self, *_args, **_kwargs):
        raise TypeError("a record's shared set of fields given cannot change")

    add = discard = remove = pop = clear = update = _refuse
    difference_update = intersection_update = symmetric_difference_update = _refuse
    __ior__ = __iand__ = __isub__ = __ixor__ = _refuse  # type: ignore[assignment]

    def __copy__(self) -> set:
        return set(self)

    def __reduce__(self):
        return set, (list(self),)


class _Data:
    """Lends its ``__dict__`` as networkx's attribute dict of a node or an edge, ``{"record": rec}``.

    An instance's dict shares its keys with every other instance's (CPython's
    key-sharing dicts), half the memory of a dict literal; it is a plain dict
    all the same (networkx and callers may add keys to it).
    """


def build_trusted(batches: Iterable[Iterable[tuple[str, str]]]) -> tuple[Structure, str]:
    """Rebuild a structure from the store's own rows, streamed in (kind, key) order.

    Parameters
    ----------
    batches : iterable of lists of (kind, payload)
        Every row of a version, sorted by kind then key (areas, bodies,
        events, relations, then the ``structure`` row), in batches: only one
        batch of rows is held next to the structure being built.

    Returns
    -------
    (Structure, str)
        The structure, in the order :func:`assemble` would build it, and the
        payload of its ``structure`` row.

    Raises
    ------
    pydantic.ValidationError
        A payload does not parse.
    ValidationFailed
        A relation names a record that is missing.
    StoreError
        A row of a kind this release does not know.
    """
    s = Structure()
    meta = ""
    # networkx's own adjacency dicts, filled directly (what add_node/add_edge do, less their
    # per-call checks): a MultiDiGraph keeps node -> {neighbour: {key: data}}, the key dict
    # shared by both directions. The tests compare the result with the checked build.
    g = s.graph
    node, succ, pred = g._node, g._succ, g._pred
    ids: dict[str, str] = {}  # one string per id, shared by the node and its relations
    edge_keys: dict[str, str] = {}
    fields_given: dict[frozenset[str], _SharedFields] = {}

    def shared_fields(given: set[str]) -> _SharedFields:
        names = frozenset(given)
        shared = fields_given.get(names)
        if shared is None:
            shared = fields_given[names] = _SharedFields(given)
        return shared

    set_attr = object.__setattr__
    # Records mostly have the fields of the record before (rows come grouped by kind):
    # compare with that set first, look the others up.
    shared = _SharedFields()
    with paused(long_lived=True):
        for batch in batches:
            for kind, rows in groupby(batch, key=_KEY):
                if kind == "structure":
                    meta = list(rows)[-1][1]
                    continue
                records = trusted_records(kind, map(_RECORD, rows))
                if kind == "relation":
                    for r in records:
                        given = r.__pydantic_fields_set__
                        if given != shared:
                            shared = shared_fields(given)
                        set_attr(r, "__pydantic_fields_set__", shared)
                        values = r.__dict__
                        u = ids.get(values["source"])
                        v = ids.get(values["target"])
                        if u is None or v is None:
                            missing = r.source if u is None else r.target
                            raise ValidationFailed(f"a relation names unknown id '{missing}'", ids=(missing,))
                        values["source"] = u
                        values["target"] = v
                        start = values["start"]
                        # edge_key(r), without its f-string's enum formatting; one string per key
                        k = values["kind"] + "|" + (values["area"] or "") + "|" + (start.isoformat() if start else "")
                        k = edge_keys.setdefault(k, k)
                        out = succ[u]
                        keys = out.get(v)
                        if keys is None:
                            keys = out[v] = pred[v][u] = {}
                        data = _Data()
                        data.record = r
                        keys[k] = data.__dict__
                elif kind == "event":
                    for ev in records:
                        given = ev.__pydantic_fields_set__
                        if given != shared:
                            shared = shared_fields(given)
                        set_attr(ev, "__pydantic_fields_set__", shared)
                        s.events[ev.id] = ev
                else:
                    for rec in records:
                        given = rec.__pydantic_fields_set__
                        if given != shared:
                            shared = shared_fields(given)
                        set_attr(rec, "__pydantic_fields_set__", shared)
                        n = rec.id
                        ids[n] = n
                        data = _Data()
                        data.record = rec
                        node[n] = data.__dict__
                        succ[n] = {}
                        pred[n] = {}
    data = json.loads(meta) if meta else {}
    s.name, s.description, s.sources = data.get("name", ""), data.get("description"), tuple(data.get("sources") or ())
    return s, meta


def assemble_trusted(rows: Mapping[RowKey, str]) -> Structure:
    """Rebuild a structure from the store's own rows, in bulk (:func:`build_trusted` on a mapping).

    Raises
    ------
    pydantic.ValidationError
        A payload does not parse.
    ValidationFailed
        A relation names a record that is missing.
    """
    return build_trusted([[(kind, payload) for (kind, _), payload in sorted(rows.items())]])[0]


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
    with paused(long_lived=True):
        for kind in ("event", "area", "body", "relation"):
            # One JSON array per kind: pydantic validates it in one call, far faster than row by row.
            for rec in records_adapter(KINDS[kind]).validate_json("[" + ",".join(by_kind[kind]) + "]"):
                s.add(rec)
    return s


def delta(before: Mapping[RowKey, str], after: Mapping[RowKey, str]) -> dict[RowKey, str | None]:
    """The rows that turn ``before`` into ``after``: changed or new payloads, ``None`` for removed.

    Examples
    --------
    >>> delta({("area", "a"): "1", ("area", "b"): "2"}, {("area", "a"): "1", ("area", "c"): "3"})
    {('area', 'b'): None, ('area', 'c'): '3'}
    """
    if not before:  # a first version: every row, sorted (structure_rows gives them sorted already)
        keys = list(after)
        if all(map(operator.lt, keys, islice(keys, 1, None))):
            return dict(after)
        return dict(sorted(after.items()))
    out: dict[RowKey, str | None] = {k: None for k in before if k not in after}
    for k, v in after.items():
        if before.get(k) != v:
            out[k] = v
    return dict(sorted(out.items()))


def row_tuples(changes: Mapping[RowKey, str | None]) -> list[RowTuple]:
    """A delta's rows as (kind, key, payload) tuples, in its order (the form they are written and hashed in).

    Examples
    --------
    >>> row_tuples({("area", "a"): "{}", ("area", "b"): None})
    [('area', 'a', '{}'), ('area', 'b', None)]
    """
    # made in C (tuple concatenation): one tuple per row of a national commit
    return list(map(operator.add, changes.keys(), zip(changes.values())))


def apply_delta(rows: Rows, changes: Iterable[tuple[RowKey, str | None]]) -> Rows:
    """Apply a delta to rows in place and return them."""
    for k, v in changes:
        if v is None:
            rows.pop(k, None)
        else:
            rows[k] = v
    return rows
