"""The patch: primitive edits that turn one structure into another, applied and reversed.

``patch(a, diff(a, b)) == b``; ``diff(a, b).reverse()`` inverts each edit, never comparing again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .. import operations as O
from ..errors import ValidationFailed
from ..model import RECORD_FIELDS, Area, Body, ChangeEvent, Relation, RelationKind
from ..structure import Structure

__all__ = ["Diff", "diff", "patch", "edit_data"]

R = RelationKind

# -- the patch -------------------------------------------------------------------------------

# Canonical order of edits: one group rank per (edit, record sort). Any set of edits that turns
# one valid structure into another applies cleanly in this order: relations go before the nodes
# they hang on are removed, and come back after the nodes they need are added.
_REMOVE_RELATION, _REMOVE_NODE, _UPDATE_NODE, _ADD_NODE = 0, 1, 2, 3
_UPDATE_RELATION, _ADD_RELATION, _REMOVE_EVENT, _UPDATE_EVENT, _ADD_EVENT = 4, 5, 6, 7, 8


def _record_of(edit: O.Primitive):
    if type(edit) is O.Update:
        return edit.before
    return edit.area or edit.body or edit.relation or edit.event  # edit.record, without the property


_RANKS = {
    ("remove", Relation): _REMOVE_RELATION,
    ("remove", Area): _REMOVE_NODE,
    ("remove", Body): _REMOVE_NODE,
    ("update", Area): _UPDATE_NODE,
    ("update", Body): _UPDATE_NODE,
    ("add", Area): _ADD_NODE,
    ("add", Body): _ADD_NODE,
    ("update", Relation): _UPDATE_RELATION,
    ("add", Relation): _ADD_RELATION,
    ("remove", ChangeEvent): _REMOVE_EVENT,
    ("update", ChangeEvent): _UPDATE_EVENT,
    ("add", ChangeEvent): _ADD_EVENT,
}


def _rank(edit: O.Primitive) -> int:
    return _RANKS[(edit.op, type(_record_of(edit)))]


def _edit_key(edit: O.Primitive) -> tuple:
    rec = _record_of(edit)
    key = rec.key
    # areas and bodies share one id space; areas first when both are at the same rank
    sort = 0 if type(rec) is Area else 1
    return (_RANKS[(edit.op, type(rec))], sort, key if isinstance(key, tuple) else (key,))


def _canonical(edits: Iterable[O.Primitive]) -> tuple[O.Primitive, ...]:
    return tuple(sorted(edits, key=_edit_key))


_FIRST = ("id", "kind", "source", "target", "area", "role", "name", "date")
_LAST = ("start", "end", "sources", "note")


def _rec_data(rec) -> dict[str, Any]:
    """A record as plain JSON data: identity first, dates and provenance last, empty fields left out."""
    d = {k: v for k, v in rec.model_dump(mode="json", exclude_defaults=True).items() if v not in ([], {})}
    if "attributes" in d:
        d["attributes"] = dict(sorted(d["attributes"].items()))
    head = {k: d.pop(k) for k in _FIRST if k in d}
    tail = {k: d.pop(k) for k in _LAST if k in d}
    return {**head, **d, **tail}


def _field_name(rec) -> str:
    return RECORD_FIELDS[type(rec)]


def edit_data(edit: O.Primitive) -> dict[str, Any]:
    """A primitive edit as plain JSON data, in the form a scenario's ``operations`` take."""
    if isinstance(edit, O.Update):
        return {"op": "update", _field_name(edit.before): [_rec_data(edit.before), _rec_data(edit.after)]}
    return {"op": edit.op, _field_name(edit.record): _rec_data(edit.record)}


def _yaml_dates(value):
    # YAML writes real dates unquoted; the JSON form carries ISO strings
    if isinstance(value, dict):
        return {
            k: (dt.date.fromisoformat(v) if k in ("start", "end", "date") and isinstance(v, str) else _yaml_dates(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_yaml_dates(v) for v in value]
    return value


@dataclass(frozen=True)
class Diff:
    """A patch from one structure to another: primitive edits in canonical order.

    Attributes
    ----------
    ops : tuple of Add, Remove, Update
        The edits, ordered so that :func:`~restructure.apply.apply_edits` applies them.
    metadata : tuple of (field, before, after)
        Changes to the structure's ``name``, ``description`` and ``sources``.

    Examples
    --------
    >>> a = Structure.from_yaml("areas: [{id: E06000038, name: Reading, kind: unitary}]")
    >>> b = Structure.from_yaml("areas: [{id: E06000038, name: Reading Borough, kind: unitary}]")
    >>> d = diff(a, b)
    >>> [e.summary() for e in d.ops]
    ['update area E06000038: name']
    >>> patch(a, d) == b, patch(b, d.reverse()) == a
    (True, True)
    """

    ops: tuple[O.Primitive, ...] = ()
    metadata: tuple[tuple[str, Any, Any], ...] = ()

    def __len__(self) -> int:
        return len(self.ops)

    def __bool__(self) -> bool:
        return bool(self.ops or self.metadata)

    @property
    def empty(self) -> bool:
        """True when the two structures are equal (no edits, same name and sources)."""
        return not self

    def reverse(self) -> Diff:
        """The patch back: each edit inverted (:func:`~restructure.apply.invert`), in canonical order.

        Equal to ``diff(b, a)`` for ``self == diff(a, b)``, but derived without comparing again.
        """
        from ..apply import invert

        return Diff(_canonical(invert(list(self.ops))), tuple((f, after, before) for f, before, after in self.metadata))

    def apply(self, structure: Structure) -> Structure:
        """Apply the patch to a copy of ``structure`` (see :func:`patch`)."""
        return patch(structure, self)

    def counts(self) -> dict[str, int]:
        """Number of edits by kind: ``add``, ``remove``, ``update``, and in total."""
        out = {"add": 0, "remove": 0, "update": 0}
        for e in self.ops:
            out[e.op] += 1
        out["total"] = len(self.ops)
        return out

    def bodies(self, *structures: Structure) -> list[str]:
        """Bodies the patch touches: body records edited, and relation ends that are bodies.

        ``structures`` (normally the two compared) say which relation ends are
        bodies. Change events are not counted: they only record.
        """
        out: set[str] = set()
        ends: set[str] = set()
        update = O.Update
        for e in self.ops:
            # the edit's fields read from its __dict__: one field holds the record (an update's, the
            # pair before and after), as _record_of reads it, less pydantic's attribute lookups
            d = e.__dict__
            rec = d["body"]
            if rec is not None:
                out.add((rec[0] if type(e) is update else rec).id)
                continue
            rec = d["relation"]
            if rec is not None:
                if type(e) is update:
                    rec = rec[0]
                ends.add(rec.source)
                ends.add(rec.target)
        nodes = [s.graph._node for s in structures]  # the graphs' node dicts: Structure.get without its view
        for end in ends - out:  # each end once: many relations share one
            for n in nodes:
                data = n.get(end)
                if data is not None and isinstance(data["record"], Body):
                    out.add(end)
                    break
        return sorted(out)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``{"metadata": [...], "edits": [...]}`` (JSON-ready, ISO dates)."""
        return {
            "metadata": [{"field": f, "before": _plain(b), "after": _plain(a)} for f, b, a in self.metadata],
            "edits": [edit_data(e) for e in self.ops],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Diff:
        """Read back :meth:`to_dict` (or a list of edits).

        Raises
        ------
        ValidationFailed
            An entry is not a primitive edit (``add``, ``remove``, ``update``).
        """
        from pydantic import ValidationError

        from ..io.yamlfile import validation_error

        edits = data.get("edits", []) if isinstance(data, dict) else data
        try:
            ops = O.operations_adapter.validate_python(edits)
        except ValidationError as exc:
            raise validation_error(exc, None, prefix=["edits"]) from None
        for i, op in enumerate(ops):
            if not isinstance(op, (O.Add, O.Remove, O.Update)):
                raise ValidationFailed(f"edits[{i}] is '{op.op}', not a primitive edit (add, remove, update)")
        meta = data.get("metadata", []) if isinstance(data, dict) else []
        metadata = tuple(
            (m["field"], _meta_value(m["field"], m.get("before")), _meta_value(m["field"], m.get("after")))
            for m in meta
        )
        return cls(tuple(ops), metadata)

    def to_scenario(self, name: str, date: dt.date, base: str | None = None, description: str | None = None) -> dict[str, Any]:
        """The patch as a one-phase scenario of primitive edits (``restructure apply`` reads it).

        The structure's name, description and sources are not records, so a
        scenario cannot change them: they are left out.
        """
        out: dict[str, Any] = {"name": name}
        if description:
            out["description"] = description
        if base:
            out["base"] = base
        out["phases"] = [{
            "name": "patch",
            "date": date,
            "operations": [_yaml_dates(edit_data(e)) for e in self.ops],
        }]
        return out

    def _repr_markdown_(self) -> str:
        if not self:
            return "No differences."
        lines = [f"**{len(self.ops)} edits**", ""]
        lines += [f"- {e.summary()}" for e in self.ops[:200]]
        if len(self.ops) > 200:
            lines.append(f"- … and {len(self.ops) - 200} more")
        return "\n".join(lines) + "\n"


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def _meta_value(name: str, value):
    return tuple(value or ()) if name == "sources" else value


def diff(a: Structure, b: Structure) -> Diff:
    """Compare two structures record by record: the edits that turn ``a`` into ``b``.

    Every record is compared, whatever its dates. An area or body whose id
    stays but whose record changes is one ``update``; one that changes from
    an area to a body (or back) is removed and added, with its relations.

    Parameters
    ----------
    a, b : Structure

    Returns
    -------
    Diff
        ``patch(a, diff(a, b)) == b``; ``diff(a, a)`` is empty.

    Examples
    --------
    >>> a = Structure.from_yaml("areas: [{id: U1, name: Town, kind: unitary}]")
    >>> b = Structure.from_yaml('''
    ... areas: [{id: U1, name: Town, kind: unitary}]
    ... bodies: [{id: town-csp, name: Town CSP, kind: community_safety_partnership}]
    ... relations: [{kind: covers, source: town-csp, target: U1}]
    ... ''')
    >>> [e.summary() for e in diff(a, b).ops]
    ['add body town-csp', 'add covers town-csp -> U1']
    >>> [e.summary() for e in diff(b, a).ops]
    ['remove covers town-csp -> U1', 'remove body town-csp']
    """
    from .scan import scan

    found = scan(a, b)
    return Diff(tuple(found.ops), found.metadata)  # scan gives them in canonical order


def patch(structure: Structure, d: Diff) -> Structure:
    """Apply a diff to a copy of ``structure``: ``patch(a, diff(a, b)) == b``.

    Raises
    ------
    ScenarioError
        An edit does not fit: the structure is not the one the diff was made from.
    """
    from ..apply import apply_edits

    out = apply_edits(structure, d.ops)
    for f, _before, after in d.metadata:
        setattr(out, f, tuple(after) if f == "sources" else after)
    return out
