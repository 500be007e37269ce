"""diff.scan: the one-pass comparison equals comparing every record, and the summary built from it
equals the summary built from full snapshots of both sides."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import restructure.diff.scan as scan_module
from restructure import operations as O
from restructure.diff import Diff, changes, compare, default_dates, diff, patch
from restructure.diff.changes import BeforeAfter, _changes
from restructure.diff.compare import Comparison, Side
from restructure.diff.patch import _canonical, _record_of
from restructure.diff.scan import _edits, _template, scan
from restructure.errors import RestructureError
from restructure.model import Area, Body, ChangeEvent, Relation
from restructure.structure import Structure, edge_key, edge_records
from test_checks_properties import BASE_DAY
from test_checks_properties import structures as dated_structures
from test_diff import _same
from test_diff import structures as mixed_structures

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def diff_every_record(a: Structure, b: Structure) -> Diff:
    """The diff as it was computed before the scan: every record through pydantic's ``==``, edges keyed in dicts."""
    ops: list = []
    an, bn = a.graph.nodes, b.graph.nodes
    retyped: set[str] = set()
    for id_, data in an.items():
        before = data["record"]
        other = bn.get(id_)
        if other is None:
            ops.append(O.Remove.of(before))
            continue
        after = other["record"]
        if type(before) is not type(after):
            retyped.add(id_)
            ops.append(O.Remove.of(before))
            ops.append(O.Add.of(after))
        elif before is not after and before != after:
            ops.append(O.Update.of(before, after))
    for id_, data in bn.items():
        if id_ not in an:
            ops.append(O.Add.of(data["record"]))
    ar = {(u, v, k): rel for u, v, k, rel in edge_records(a.graph)}
    br = {(u, v, k): rel for u, v, k, rel in edge_records(b.graph)}
    for k, rel in ar.items():
        other = br.get(k)
        if other is None or k[0] in retyped or k[1] in retyped:
            ops.append(O.Remove.of(rel))
        elif other is not rel and other != rel:
            ops.append(O.Update.of(rel, other))
    for k, rel in br.items():
        if k not in ar or k[0] in retyped or k[1] in retyped:
            ops.append(O.Add.of(rel))
    for id_, ev in a.events.items():
        other_ev = b.events.get(id_)
        if other_ev is None:
            ops.append(O.Remove.of(ev))
        elif other_ev is not ev and other_ev != ev:
            ops.append(O.Update.of(ev, other_ev))
    for id_, ev in b.events.items():
        if id_ not in a.events:
            ops.append(O.Add.of(ev))
    metadata = tuple(
        (f, getattr(a, f), getattr(b, f)) for f in ("name", "description", "sources") if getattr(a, f) != getattr(b, f)
    )
    return Diff(_canonical(ops), metadata)


def _fresh(rec):
    """An equal record that is not the same object (two structures read from two files)."""
    return type(rec).model_validate(rec.model_dump())


@st.composite
def edited(draw, structures) -> tuple[Structure, Structure]:
    """``a``, and ``b``: a copy of ``a`` in fresh but equal records, with some records dropped and some
    of another drawn structure's records added or put in place of ``a``'s (so most records stay equal)."""
    a, other = draw(structures()), draw(structures())
    b = Structure(a.name, a.description, a.sources)
    for _, data in a.graph.nodes(data="record"):
        b.add(_fresh(data))
    for _, _, _, rel in edge_records(a.graph):
        if draw(st.integers(0, 4)):  # most stay
            b.add(_fresh(rel))
    for ev in a.events.values():
        b.add(_fresh(ev))
    for rec in other.records():
        if not draw(st.booleans()):
            continue
        try:
            if isinstance(rec, (Area, Body)) and rec.id in b and type(b.get(rec.id)) is type(rec):
                b.replace(b.get(rec.id), rec)
            elif isinstance(rec, ChangeEvent) and rec.id in b.events:
                b.replace(b.events[rec.id], rec)
            else:
                b.add(rec)
        except RestructureError:
            pass  # a duplicate, or a relation whose ends b lacks
    if draw(st.booleans()):
        b.name = "renamed"
    return a, b


def _pairs():
    return st.one_of(
        st.tuples(mixed_structures(), mixed_structures()),
        st.tuples(dated_structures(), dated_structures()),
        edited(dated_structures),
        edited(mixed_structures),
    )


def _dates(a: Structure, b: Structure) -> list[dt.date]:
    found = sorted({*a.dates(), *b.dates()})
    return found + [BASE_DAY - dt.timedelta(days=1)] if found else []


@SETTINGS
@given(_pairs())
def test_scan_makes_the_same_edits_as_comparing_every_record(pair):
    a, b = pair
    d = diff(a, b)
    assert d.ops == diff_every_record(a, b).ops
    assert d.metadata == diff_every_record(a, b).metadata
    assert _same(patch(a, d), b)
    assert _same(patch(b, d.reverse()), a)
    assert diff(b, a).ops == d.reverse().ops


@SETTINGS
@given(_pairs())
def test_scan_finds_every_date_either_structure_mentions(pair):
    a, b = pair
    assert scan(a, b).dates == {*a.dates(), *b.dates()}
    assert default_dates(a, b) == (max([*a.dates(), *b.dates()]) if a.dates() or b.dates() else None)
    # without the edits (the summary on its own): the same findings, no edits made
    full, quiet = scan(a, b), scan(a, b, edits=False)
    assert not quiet.ops
    assert (quiet.changed, quiet.within, quiet.dated, quiet.units, quiet.pairs, quiet.dates) == (
        full.changed, full.within, full.dated, full.units, full.pairs, full.dates)


@SETTINGS
@given(_pairs(), st.data())
def test_summary_from_the_scan_equals_the_summary_from_every_record(pair, data):
    a, b = pair
    dates = _dates(a, b)
    if dates:
        on_a, on_b = data.draw(st.sampled_from(dates)), data.draw(st.sampled_from(dates))
    else:
        on_a = on_b = None  # nothing dated: every record is in force (the full path needs a date otherwise)
    note(f"{on_a} {on_b}\n{a.to_yaml()}\n---\n{b.to_yaml()}")
    d = diff(a, b)
    fast = _changes(a, b, on_a, on_b, findings=False, patch=d, scanned=scan(a, b))
    full = _changes(a, b, on_a, on_b, findings=False, patch=d, scanned=None)
    assert json.dumps(fast.to_dict(), default=str) == json.dumps(full.to_dict(), default=str)
    assert fast == full
    # the same dates on both sides: the summary's own pass (`changes`) agrees too
    same = _changes(a, b, on_b, on_b, findings=False, patch=d, scanned=None)
    assert _changes(a, b, on_b, on_b, findings=False, patch=d, scanned=scan(a, b)) == same


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pairs())
def test_compare_renders_exactly_as_the_full_computation(pair):
    a, b = pair
    on = max([*a.dates(), *b.dates()], default=None)
    reference = Comparison(
        Side("before", a.name, on), Side("after", b.name, on), diff_every_record(a, b),
        _changes(a, b, on, on, findings=on is not None, patch=diff_every_record(a, b), scanned=None),
    )
    got = compare(a, b)
    assert got.to_json() == reference.to_json()
    assert got.render_text(color=False, edits=True) == reference.render_text(color=False, edits=True)
    assert got.render_markdown(edits=True) == reference.render_markdown(edits=True)
    assert got.stat() == reference.stat()


def test_equal_records_in_fresh_objects_make_no_edits_and_no_summary():
    a = Structure.from_yaml("""
areas:
  - {id: C, name: Shire, kind: county}
  - {id: D1, name: North, kind: district, parent: C}
  - {id: D2, name: South, kind: district, parent: C, end: 2028-04-01}
bodies: [{id: csp, name: Shire CSP, kind: community_safety_partnership}]
relations: [{kind: covers, source: csp, target: C}]
""")
    b = Structure.from_yaml(a.to_yaml())
    assert next(iter(a.records())) is not next(iter(b.records()))
    found = scan(a, b)
    assert not found.ops and not found.changed and not found.within
    assert found.units == ({"D1", "D2"}, {"D1", "D2"})
    assert found.pairs == ({("csp", "C")}, {("csp", "C")})
    assert found.dated == {"D2"} and found.dates == {dt.date(2028, 4, 1)}
    assert compare(a, b).empty


def test_a_changed_parent_area_looks_again_at_what_lies_within_it():
    a = Structure.from_yaml("""
areas:
  - {id: C, name: Shire, kind: county}
  - {id: D1, name: North, kind: district, parent: C}
""")
    b = Structure.from_yaml("""
areas:
  - {id: C, name: Shire, kind: county, end: 2028-04-01}
  - {id: D1, name: North, kind: district, parent: C}
""")
    on = dt.date(2028, 4, 1)
    c = compare(a, b)
    # C has ended on the date compared: D1 no longer lies within an area in force, though its relation is unchanged
    assert [e.id for e in c.changes.areas_ended] == ["C"]
    assert c.changes.areas_changed[0].fields["within"] == BeforeAfter(("C",), ())
    assert c.changes == _changes(a, b, on, on, findings=True, patch=c.diff, scanned=None)


def test_relations_other_than_within_keep_each_sides_order_between_the_same_two_bodies():
    # two memberships of one body in one partnership (different areas): the last one read gives the role
    text = """
bodies:
  - {id: p, name: P, kind: community_safety_partnership}
  - {id: m, name: M, kind: other}
areas: [{id: A1, name: One, kind: unitary}, {id: A2, name: Two, kind: unitary}]
relations:
  - {kind: member_of, source: m, target: p, area: %s, role: first}
  - {kind: member_of, source: m, target: p, area: %s, role: second}
"""
    a = Structure.from_yaml(text % ("A1", "A2"))
    b = Structure.from_yaml(text % ("A2", "A1"))
    fast = _changes(a, b, None, None, findings=False, patch=None, scanned=scan(a, b))
    assert fast == _changes(a, b, None, None, findings=False, patch=None, scanned=None)


def test_changes_without_dates_reads_every_record_even_when_records_are_dated():
    # the full snapshots needed a date for dated records (a TypeError); the summary reads them all, as documented
    a = Structure.from_yaml("areas: [{id: U1, name: Town, kind: unitary, end: 2020-01-01}]")
    b = Structure.from_yaml("areas: [{id: U1, name: Town, kind: unitary, end: 2020-01-01}, {id: U2, name: Two, kind: unitary}]")
    assert changes(a, a.copy(), findings=False).empty
    assert [e.id for e in changes(a, b, findings=False).areas_created] == ["U2"]


# -- the edits, built from a validated template ---------------------------------------------------


def _validated(edit):
    """The edit as pydantic validates it (``Add.of`` and the like): the reference for the fast edits."""
    return type(edit).of(*edit.pair) if isinstance(edit, O.Update) else type(edit).of(edit.record)


def _assert_same_edit(fast, slow) -> None:
    assert type(fast) is type(slow)
    assert list(fast.__dict__) == list(slow.__dict__)  # the fields, in the same order
    for name, value in slow.__dict__.items():
        held = fast.__dict__[name]
        if isinstance(value, tuple):  # an update's pair: the records themselves, not copies
            assert type(held) is tuple and len(held) == len(value)
            assert all(h is v for h, v in zip(held, value, strict=True))
        else:
            assert held is value or held == value
    assert fast.__pydantic_fields_set__ == slow.__pydantic_fields_set__
    assert fast.__pydantic_extra__ == slow.__pydantic_extra__
    assert fast.__pydantic_private__ == slow.__pydantic_private__
    assert fast == slow and hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    assert fast.model_dump_json() == slow.model_dump_json()
    assert fast.summary() == slow.summary()
    assert fast.inverse() == slow.inverse()
    # each edit its own set of fields given: a copy that sets one more leaves the others alone
    noted = fast.model_copy(update={"note": "why"})
    assert noted.__pydantic_fields_set__ == slow.__pydantic_fields_set__ | {"note"}
    assert fast.__pydantic_fields_set__ == slow.__pydantic_fields_set__


@SETTINGS
@given(_pairs())
def test_edits_built_from_a_template_are_the_validated_edits_field_by_field(pair):
    a, b = pair
    for fast in scan(a, b).ops:
        _assert_same_edit(fast, _validated(fast))


@SETTINGS
@given(_pairs())
def test_edits_are_the_same_when_every_one_is_validated(pair):
    a, b = pair
    fast = diff(a, b)
    saved = scan_module._SETTERS
    scan_module._SETTERS = None  # a pydantic without the slots: every edit validated
    try:
        slow = diff(a, b)
    finally:
        scan_module._SETTERS = saved
    assert [repr(e) for e in fast.ops] == [repr(e) for e in slow.ops]
    for f, s in zip(fast.ops, slow.ops, strict=True):
        _assert_same_edit(f, s)


def test_the_template_is_refused_unless_the_validated_edit_holds_the_record_itself():
    area = Area(id="U1", name="Town", kind="unitary")
    twin = Area(id="U1", name="Town", kind="unitary")  # equal, not the same object
    edit = O.Add.of(area)
    assert _template(edit, "area", area, False) is not None
    assert _template(edit, "area", twin, False) is None  # pydantic copied the record: validate every edit
    noted = O.Add(area=area, note="why")  # a field given besides the record
    assert _template(noted, "area", area, False) is None
    renamed = area.model_copy(update={"name": "City"})
    update = O.Update.of(area, renamed)
    assert _template(update, "area", (area, renamed), True) is not None
    assert _template(update, "area", (twin, renamed), True) is None
    # mixed record types: one template each, the first of each validated
    records = [area, Body(id="b", name="B", kind="other"), twin, Body(id="c", name="C", kind="other")]
    for fast, record in zip(_edits(O.Remove, records), records, strict=True):
        _assert_same_edit(fast, O.Remove.of(record))


def test_an_id_that_changes_type_has_its_relations_removed_and_added_though_met_before_it():
    # No valid structure keeps a relation on an id that is an area on one side and a body on the
    # other; the graph is built by hand so that the pass meets that relation (from "u", the first
    # id) before it learns that "X" changed type, and must go again.
    rel = Relation(kind="within", source="u", target="X")
    a, b = Structure(), Structure()
    a.add(Area(id="u", name="U", kind="ward"))
    a.add(Area(id="X", name="X", kind="district"))
    a.add(rel)
    b.add(Area(id="u", name="U", kind="ward"))
    b.add(Body(id="X", name="X", kind="other"))
    b.graph.add_edge("u", "X", key=edge_key(rel), record=rel)
    assert list(a.graph._node) == ["u", "X"]
    found = scan(a, b)
    assert [e.summary() for e in found.ops] == [
        "remove within u -> X", "remove area X", "add body X", "add within u -> X",
    ]
    assert found.ops == list(diff_every_record(a, b).ops)
    assert found.changed == {"X"} and found.within == {"u"} and found.units == ({"X"}, set())


def _bodies_reference(d: Diff, *structures: Structure) -> list[str]:
    """``Diff.bodies`` as it read each edit's record through ``_record_of`` and ``isinstance``."""
    out: set[str] = set()
    ends: set[str] = set()
    for e in d.ops:
        rec = _record_of(e)
        if isinstance(rec, Body):
            out.add(rec.id)
        elif isinstance(rec, Relation):
            ends.add(rec.source)
            ends.add(rec.target)
    out.update(end for end in ends - out if any(isinstance(s.get(end), Body) for s in structures))
    return sorted(out)


@SETTINGS
@given(_pairs())
def test_the_bodies_a_patch_touches_read_from_the_edits_fields_are_the_same(pair):
    a, b = pair
    d = diff(a, b)
    for patch_ in (d, d.reverse(), Diff.from_dict(d.to_dict())):  # fast edits, validated, read back
        assert patch_.bodies(a, b) == _bodies_reference(patch_, a, b)
        assert patch_.bodies(b) == _bodies_reference(patch_, b)
