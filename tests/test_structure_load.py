"""The fast loader (issue 19): the same structures, errors and messages as the record-by-record path.

Loading a structure validates each section in one call, builds the graph in
bulk, makes the ``within`` links of ``parent:`` without re-validating them and
checks names with one regular expression. Each shortcut is compared here with
the slow way it replaces.
"""

from __future__ import annotations

import gc
import json
from typing import Annotated

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BeforeValidator, StringConstraints, TypeAdapter, ValidationError

from restructure import refs
from restructure.baseline import BASELINE
from restructure.checks.files import check_path
from restructure.collector import paused
from restructure.errors import ValidationFailed
from restructure.io import yamlfile
from restructure.model import RECORD_SECTIONS, Id, Relation, RelationKind
from restructure.structure import Structure, _may_cycle, _plain_within, find_cycle, validate_data
from restructure.text import _BIDI, check_name, check_text, forbidden, terminal
from test_structure import structures

__all__: list[str] = []

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- names: one regular expression search, the same answers as walking every character --------

# Characters around every edge of what is refused: C0, DEL and C1, the bidi controls, the line
# and paragraph separators and their neighbours, and ordinary text.
EDGES = "".join(chr(c) for c in (
    *range(0x00, 0x22), *range(0x7D, 0xA2), *range(0x2026, 0x2030), *range(0x2064, 0x206B), 0x200E, 0x061C,
))
TEXT = st.text() | st.text(alphabet=st.sampled_from(EDGES + "aZ9 -é😀"), max_size=30)
ALLOW = st.sampled_from(["", "\t\n", "\n", "\x1b", "\u202e"])


def _bad(ch: str, allow: str) -> bool:
    # the per-character rule the regular expression replaces (restructure.text before issue 19)
    if ch in allow:
        return False
    o = ord(ch)
    return o < 0x20 or 0x7F <= o <= 0x9F or ch in _BIDI or o in (0x2028, 0x2029)


def _forbidden_per_character(value: str, allow: str = "") -> str | None:
    for ch in value:
        if _bad(ch, allow):
            return forbidden(ch, allow)  # the description of one character
    return None


@SETTINGS
@given(TEXT, ALLOW)
def test_forbidden_agrees_with_walking_every_character(value, allow):
    expected = _forbidden_per_character(value, allow)
    assert forbidden(value, allow) == expected
    if expected is not None:
        first = next(ch for ch in value if _bad(ch, allow))
        assert f"U+{ord(first):04X}" in expected


@SETTINGS
@given(TEXT)
def test_check_name_and_check_text_refuse_exactly_what_the_walk_finds(value):
    for check, allow, tail in ((check_name, "", "in a name or id"), (check_text, "\t\n", "in text (tab and newline are)")):
        bad = _forbidden_per_character(value, allow)
        if bad is None:
            assert check(value) == value
        else:
            with pytest.raises(ValueError) as exc:
                check(value)
            assert str(exc.value) == f"{bad} is not allowed {tail}"


@SETTINGS
@given(TEXT, ALLOW)
def test_terminal_escapes_as_before(value, keep):
    expected = "".join((f"\\x{ord(c):02x}" if ord(c) <= 0xFF else f"\\u{ord(c):04x}") if _bad(c, keep) else c for c in value)
    assert terminal(value, keep) == expected


# The id type before issue 19: the name check ran first, on every id.
_OLD_ID = TypeAdapter(Annotated[
    str,
    StringConstraints(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"),
    BeforeValidator(lambda v: check_name(v) if isinstance(v, str) else v),
])
_ID = TypeAdapter(Id)


def _outcome(adapter, value):
    try:
        return "ok", adapter.validate_python(value)
    except ValidationError as exc:  # the ValueError in ctx compares by identity: compare its text
        return [{**e, "ctx": {k: str(v) for k, v in e.get("ctx", {}).items()}} for e in exc.errors(include_url=False)]


@SETTINGS
@given(st.text(alphabet=st.sampled_from(EDGES + "aZ9._:- é\u202e"), max_size=12) | st.text() | st.integers() | st.none())
def test_an_id_fails_exactly_as_when_the_name_check_ran_first(value):
    assert _outcome(_ID, value) == _outcome(_OLD_ID, value)


# -- the graph: built in bulk, the same as adding each record ------------------------------------


def _one_by_one(data: dict) -> Structure:
    """The structure as it was built before issue 19: each record validated, then added."""
    s = Structure(data.get("name") or "", data.get("description"), data.get("sources") or ())
    recs = {}
    for section, model in RECORD_SECTIONS.items():
        recs[section] = []
        for raw in data.get(section) or []:
            raw = dict(raw)
            parent = raw.pop("parent", None) if section == "areas" else None
            recs[section].append((model.model_validate(raw), parent))
    for section in ("events", "areas", "bodies"):
        for rec, _ in recs[section]:
            s.add(rec)
    for area, parent in recs["areas"]:
        if parent:
            s.add(Relation(kind=RelationKind.within, source=area.id, target=parent))
    for rel, _ in recs["relations"]:
        s.add(rel)
    return s


def _same_structure(fast: Structure, slow: Structure) -> None:
    assert fast == slow
    assert (fast.name, fast.description, fast.sources) == (slow.name, slow.description, slow.sources)
    g, h = fast.graph, slow.graph
    # the same order everywhere: nodes, each node's successors and predecessors, each edge's keys
    assert list(g._node.items()) == list(h._node.items())
    assert [(u, list(n.items())) for u, n in g._succ.items()] == [(u, list(n.items())) for u, n in h._succ.items()]
    assert [(v, list(n.items())) for v, n in g._pred.items()] == [(v, list(n.items())) for v, n in h._pred.items()]
    for v, nbrs in g._pred.items():  # an edge's keys are one mapping, shared by both ends
        assert all(keys is g._succ[u][v] for u, keys in nbrs.items())
    assert list(fast.events.items()) == list(slow.events.items())
    for a, b in zip(fast.records(), slow.records(), strict=True):
        assert type(a) is type(b) and a == b and hash(a) == hash(b)
        assert a.model_fields_set == b.model_fields_set
        assert a.model_dump_json() == b.model_dump_json()
    assert fast._generation == slow._generation


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structures())
def test_a_structure_loaded_in_bulk_equals_one_built_record_by_record(s):
    data = json.loads(s.to_json())
    _same_structure(Structure.from_dict(data), _one_by_one(data))
    doc = yamlfile.loads(s.to_yaml())
    _same_structure(Structure.from_dict(doc.data, doc), _one_by_one(doc.data))


def test_the_baseline_loaded_in_bulk_equals_one_built_record_by_record():
    doc = yamlfile.load(BASELINE)
    _same_structure(Structure.from_dict(doc.data, doc), _one_by_one(doc.data))


def test_loading_leaves_the_callers_data_alone():
    data = json.loads(Structure.load(BASELINE).to_json())
    before = json.dumps(data)
    Structure.from_dict(data)
    assert json.dumps(data) == before


def test_parent_links_are_relations_like_any_other():
    pairs = [("E01000001", "E09000001"), ("E07000177", "E10000025")]
    made = _plain_within(pairs)
    valid = [Relation(kind="within", source=a, target=b) for a, b in pairs]
    assert made == valid
    for m, v in zip(made, valid, strict=True):
        assert m.model_fields_set == v.model_fields_set and m.key == v.key and hash(m) == hash(v)
        assert m.model_dump(exclude_defaults=True) == v.model_dump(exclude_defaults=True)
        assert m.model_copy(update={"note": "x"}) == v.model_copy(update={"note": "x"})
        with pytest.raises(ValidationError):
            m.note = "frozen"  # type: ignore[misc]
    assert made[0].model_fields_set is not made[1].model_fields_set


def test_a_parent_written_again_as_a_relation_is_refused_as_before():
    text = """
areas:
  - {id: A, name: A, kind: county}
  - {id: B, name: B, kind: district, parent: A}
relations:
  - {kind: within, source: B, target: A}
"""
    with pytest.raises(ValidationFailed) as before:
        _one_by_one(yamlfile.loads(text).data)
    with pytest.raises(ValidationFailed) as now:
        Structure.from_yaml(text)
    assert now.value.what == before.value.what == "duplicate within relation B -> A"
    assert (str(now.value), now.value.ids, now.value.line) == (str(before.value), before.value.ids, before.value.line)


# -- errors: the fast path only says that something failed; the slow path says what and where ----

BAD = [
    # (file, message, line): the first problem, found record by record as before
    ("areas:\n  - {id: A, name: A, kind: county}\n  - {id: B, name: \"B\\e\", kind: county}\n",
     "'name': control character U+001B (ESCAPE) is not allowed in a name or id", 3),
    ("areas:\n  - {id: A, name: A, kind: county}\n  - {id: \"B\\a\", name: B, kind: county}\n",
     "'id': control character U+0007 (BELL) is not allowed in a name or id", 3),
    ("areas:\n  - {id: A, name: A, kind: county}\n  - {id: B C, name: B, kind: county}\n",
     "'id': String should match pattern '^[A-Za-z0-9][A-Za-z0-9._:-]*$'", 3),
    ("areas:\n  - {id: A, name: A, kind: county}\n  - just text\n", "areas[1] must be a mapping", 3),
    ("areas:\n  - {id: A, name: A, kind: county, colour: red}\n", "unknown field 'colour'", 2),
    ("bodies:\n  - {id: b, name: B, kind: other}\n  - {id: c, name: C}\n", "missing field 'kind'", 3),
    ("areas:\n  - {id: A, name: A, kind: county, parent: Z}\n", "unknown area 'Z'", 2),
    ("areas:\n  - {id: A, name: A, kind: county, parent: 7}\n", "parent must be an area id", 2),
    ("areas:\n  - {id: A, name: A, kind: county, parent: [B]}\n", "parent must be an area id", 2),
    ("areas:\n  - {id: A, name: A, kind: county}\n  - {id: A, name: A2, kind: county}\n", "duplicate id 'A'", 3),
    ("areas:\n  - {id: A, name: A, kind: county, parent: B}\n  - {id: B, name: B, kind: county, parent: A}\n",
     "cycle in geography (areas within each other): A -> B -> A", 3),
]


@pytest.mark.parametrize(("text", "message", "line"), BAD)
def test_a_bad_record_is_reported_with_its_message_and_line(text, message, line):
    with pytest.raises(ValidationFailed) as exc:
        Structure.from_yaml(text, "f.yaml")
    assert (exc.value.what, exc.value.file, exc.value.line) == (message, "f.yaml", line)


def test_every_problem_in_every_section_is_still_listed():
    text = (
        "areas:\n  - {id: A, name: \"A\\e\", kind: county}\n  - {id: B, name: B, kind: nowhere}\n"
        "bodies:\n  - {id: b, name: B, kind: other, colour: red}\n"
    )
    doc = yamlfile.loads(text, "f.yaml")
    found = [(p.what, p.line) for p in validate_data(doc.data, doc)]
    assert found == [
        ("'name': control character U+001B (ESCAPE) is not allowed in a name or id", 2),
        ("'kind': Input should be 'police_force_area', 'county', 'unitary', 'district', 'part', 'ward', "
         "'small_area' or 'statistical'", 3),
        ("unknown field 'colour'", 5),
    ]


PAIRS = st.lists(st.tuples(st.sampled_from("abcdefg"), st.sampled_from("abcdefg")), max_size=12)


@settings(max_examples=300, deadline=None)
@given(PAIRS)
def test_the_quick_cycle_test_never_misses_a_cycle(pairs):
    assert _may_cycle(pairs) == (find_cycle(pairs) is not None)


# -- the garbage collector, paused while reading ----------------------------------------------------


def test_reading_pauses_the_collector_and_always_restarts_it():
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    with pytest.raises(ValidationFailed):
        Structure.from_yaml("areas:\n  - {id: A, name: \"A\\e\", kind: county}\n")
    with pytest.raises(ValidationFailed):
        Structure.from_json("{")
    assert gc.isenabled()
    gc.disable()
    try:
        Structure.load(BASELINE)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def test_long_lived_objects_go_to_the_oldest_generation_unless_a_caller_froze_some():
    def young(objects):
        gen0 = {id(o) for o in gc.get_objects(generation=0)}
        return [x for x in objects if id(x) in gen0]

    gc.collect()
    with paused():
        kept = [[i] for i in range(100)]  # lists: tracked by the collector
    assert young(kept) == kept  # left where they were made
    with paused(long_lived=True):
        built = [[i] for i in range(100)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert young(built) == []  # moved to the oldest generation
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with paused(long_lived=True):
            [{"record": i} for i in range(10)]
        assert gc.get_freeze_count() == frozen  # the caller's frozen objects stay frozen
    finally:
        gc.unfreeze()


# -- the file is read once -----------------------------------------------------------------------


def test_check_reads_a_structure_file_once(monkeypatch, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(BASELINE.read_text(encoding="utf-8"), encoding="utf-8")
    reads = []
    real = yamlfile.load
    monkeypatch.setattr(yamlfile, "load", lambda p: reads.append(p) or real(p))
    report = check_path(str(path))
    assert reads == [path] and report.subject == "Thames Valley baseline"


def test_a_classified_name_loads_without_reading_again(monkeypatch):
    expected = Structure.load(BASELINE)
    named = refs.classify(BASELINE)
    assert (named.kind, named.name, named.path) == ("structure", str(BASELINE), BASELINE)
    monkeypatch.setattr(yamlfile, "load", lambda p: pytest.fail("read twice"))
    assert refs.load_structure(named) == expected
    assert refs.classify("baseline~1") == refs.Named("ref", "baseline~1", refs.Path("baseline~1"), None)
