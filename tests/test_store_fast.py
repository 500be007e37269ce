"""The store's fast paths give what the checked paths give (issue 19), and still refuse a corrupt store."""

from __future__ import annotations

import sqlite3

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SCENARIOS
from mini import mini
from restructure.apply import run_scenario
from restructure.errors import StoreError
from restructure.store import open_store
from restructure.store.rows import (
    assemble,
    assemble_trusted,
    delta,
    edit_delta,
    meta_row,
    structure_from_rows,
    structure_rows,
)
from restructure.structure import Structure, find_cycle
from restructure.synthetic import districts_structure, replicate
from test_store import pg_schema_url


@pytest.fixture
def pg_store_url(pg_url):
    """A fresh PostgreSQL schema for one test."""
    with pg_schema_url(pg_url) as url:
        yield url


@pytest.fixture(scope="module")
def scenario_result():
    """The Thames Valley baseline after a scenario: change events, dated and ended relations, attributes."""
    return run_scenario(SCENARIOS / "oxfordshire" / "two-unitaries.yaml").structure


def _same(a: Structure, b: Structure, order: bool = True) -> None:
    """Equal structures; with ``order``, built in the same order too (two rebuilds from rows)."""
    assert a.to_yaml() == b.to_yaml()
    if order:  # views and output follow the graph's order
        assert list(a.graph.nodes) == list(b.graph.nodes)
        assert list(a.graph.edges(keys=True, data="record")) == list(b.graph.edges(keys=True, data="record"))
    assert a.events == b.events
    assert a == b


def test_trusted_assembly_equals_checked_assembly(scenario_result):
    rows = structure_rows(scenario_result)
    assert any(k == "event" for k, _ in rows)
    _same(assemble_trusted(rows), assemble(rows))
    _same(assemble_trusted(rows), scenario_result, order=False)


def test_trusted_assembly_still_refuses_a_dangling_relation():
    rows = structure_rows(mini())
    del rows[("area", "D1")]
    with pytest.raises(StoreError, match=r"^the stored rows do not make a structure \(a relation names unknown id 'D1'\)"):
        structure_from_rows(rows, trusted=True)
    rows = structure_rows(mini())
    rows[("area", "D1")] = '{"id": "D1", "kind": "nowhere"}'
    with pytest.raises(StoreError, match=r"^a stored record does not validate"):
        structure_from_rows(rows, trusted=True)


def test_fast_checkout_equals_verified_checkout(sqlite_url, baseline, scenario_result):
    with open_store(sqlite_url) as store:
        store.init(baseline)
        store.commit("baseline", scenario_result, message="two unitaries")
    with open_store(sqlite_url, create=False) as store:  # nothing cached
        fast = store.checkout("baseline")
        slow = store.checkout("baseline", verify=True)
        _same(fast, slow)
        _same(fast, scenario_result, order=False)
        _same(store.checkout("baseline~1"), store.checkout("baseline~1", verify=True))


def test_fast_checkout_equals_verified_checkout_on_postgresql(pg_store_url, baseline, scenario_result):
    with open_store(pg_store_url) as store:
        store.init(baseline)
        store.commit("baseline", scenario_result, message="two unitaries")
    with open_store(pg_store_url, create=False) as store:
        _same(store.checkout("baseline"), store.checkout("baseline", verify=True))
        _same(store.checkout("baseline"), scenario_result, order=False)


def test_verify_refuses_rows_that_do_not_match_the_version_id(sqlite_url, baseline):
    with open_store(sqlite_url) as store:
        vid = store.init(baseline)
    con = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    con.execute("UPDATE version_rows SET payload = replace(payload, 'Reading', 'Raeding') WHERE key = 'E06000038'")
    con.commit()
    con.close()
    with open_store(sqlite_url, create=False) as store:
        assert store.checkout("baseline").area("E06000038").name == "Raeding"  # trusted: not re-hashed
        with pytest.raises(StoreError, match=rf"^the rows of version {vid} do not match its id \(checksum\)"):
            store.checkout("baseline", verify=True)


def test_a_version_from_a_snapshot_checks_out_the_same_both_ways(sqlite_url, monkeypatch):
    import restructure.store as store_module

    monkeypatch.setattr(store_module, "SNAPSHOT_EVERY", 2)
    s = districts_structure(3, parts=2)
    with open_store(sqlite_url) as store:
        store.init(s)
        for i in range(3):
            s = s.copy()
            a = s.area(f"D0000{i}")
            s.replace(a, a.model_copy(update={"name": f"Renamed {i}"}))
            store.commit("baseline", s, message=f"rename {i}")
    with open_store(sqlite_url, create=False) as store:
        _same(store.checkout("baseline"), store.checkout("baseline", verify=True))
        _same(store.checkout("baseline"), s, order=False)


def test_replicate_makes_disjoint_valid_copies():
    s = districts_structure(2, parts=2)
    r = replicate(s, 3)
    assert len(r) == 3 * len(s)
    back = Structure.from_yaml(r.to_yaml())  # every reference resolves and validates
    assert back == r
    assert sorted(x.id for x in r.areas() if x.id.startswith("F1")) == ["F1", "F1.2", "F1.3"]


PAIRS = st.lists(st.tuples(st.sampled_from("abcdefg"), st.sampled_from("abcdefg")), max_size=12)


@settings(max_examples=200, deadline=None)
@given(PAIRS)
def test_find_cycle_agrees_with_networkx(pairs):
    found = find_cycle(pairs)
    try:
        nx.find_cycle(nx.DiGraph(pairs))
        has = True
    except nx.NetworkXNoCycle:
        has = False
    assert (found is not None) == has
    if found:
        assert all(link in pairs for link in found)
        assert all(found[i][1] == found[(i + 1) % len(found)][0] for i in range(len(found)))


# -- a commit writes the edits, not the structure ----------------------------------------

EDITS = st.lists(st.sampled_from(["rename", "rename-back", "add-area", "remove-added", "end-covers",
                                  "add-covers", "event", "meta", "noop"]), max_size=8)


def _edit(s: Structure, edits: list[str]) -> None:
    import datetime as dt

    from restructure.model import Area, ChangeEvent, Relation

    for n, e in enumerate(edits):
        d1 = s.area("D1")
        if e == "rename":
            s.replace(d1, d1.model_copy(update={"name": f"North {n}"}))
        elif e == "rename-back":
            s.replace(d1, d1.model_copy(update={"name": "North"}))
        elif e == "add-area" and "X9" not in s:
            s.add(Area(id="X9", name="New", kind="part"))
        elif e == "remove-added" and "X9" in s and not s.graph.degree("X9"):
            s.remove(s.area("X9"))
        elif e == "end-covers":
            rel = next((r for r in s.relations("covers") if r.source == "north-csp" and r.end is None), None)
            if rel is not None:
                s.replace(rel, rel.model_copy(update={"end": dt.date(2030, 4, 1)}))
        elif e == "add-covers" and not any(r.source == "town-csp" and r.target == "D1" for r in s.relations("covers")):
            s.add(Relation(kind="covers", source="town-csp", target="D1", start=dt.date(2030, 4, 1)))
        elif e == "event" and f"ev-{n}" not in s.events:
            s.add(ChangeEvent(id=f"ev-{n}", date=dt.date(2030, 4, 1), kind="note"))
        elif e == "meta":
            s.description = f"edited {n}"
        elif e == "noop":
            s.replace(d1, d1.model_copy())


@settings(max_examples=15, deadline=None)
@given(EDITS)
def test_a_commit_of_edits_stores_exactly_the_full_delta(tmp_path_factory, edits):
    url = f"sqlite:///{tmp_path_factory.mktemp('edits') / 'store.db'}"
    base = mini()
    with open_store(url) as store:
        root = store.init(base)
    with open_store(url, create=False) as store:
        s = store.checkout("baseline")
        edited = s.copy()  # copies carry the tracking on, as apply does
        _edit(edited, edits)
        assert edited.edits()[0][0] == root
        full = delta(structure_rows(base), structure_rows(edited))
        assert edit_delta(edited, meta_row(base)) == full
        vid = store.commit("baseline", edited, message="edits")
        assert store.delta_size(vid)[0] == len(full)
    with open_store(url, create=False) as store:
        _same(store.checkout("baseline"), edited, order=False)
        _same(store.checkout("baseline"), store.checkout("baseline", verify=True))


def test_a_structure_edited_from_another_version_is_committed_in_full(sqlite_url):
    s = mini()
    with open_store(sqlite_url) as store:
        store.init(s)
        old = store.checkout("baseline")
        s2 = old.copy()
        d2 = s2.area("D2")
        s2.replace(d2, d2.model_copy(update={"name": "Moved on"}))
        store.commit("baseline", s2, message="one")
        # `old` was checked out before that commit: committing it on `other` (from the new head)
        # must record the whole difference from the new head, including putting D2 back
        store.create_branch("other", "baseline")
        d1 = old.area("D1")
        old.replace(d1, d1.model_copy(update={"name": "Renamed"}))
        store.commit("other", old, message="from an older checkout")
        back = store.checkout("other", verify=True)
    assert back.area("D2").name == "South"
    assert back.area("D1").name == "Renamed"


def test_checkout_as_of_and_built_structures_are_not_tracked(sqlite_url):
    with open_store(sqlite_url) as store:
        store.init(mini())
        import datetime as dt

        assert store.checkout("baseline", as_of=dt.date(2024, 1, 1)).edits() is None
        assert store.checkout("baseline").edits() == (store.checkout("baseline").edits()[0], [])
    assert mini().edits() is None


def test_export_verify_writes_the_same_and_refuses_a_tampered_store(sqlite_url, tmp_path, baseline):
    from click.testing import CliRunner

    from restructure.cli import cli

    def run(*args):
        return CliRunner().invoke(cli, [str(a) for a in args])

    assert run("init", "--db", sqlite_url).exit_code == 0
    fast, slow = run("export", "baseline", "-o", "-", "--db", sqlite_url), run(
        "export", "baseline", "-o", "-", "--verify", "--db", sqlite_url)
    assert fast.exit_code == slow.exit_code == 0
    assert fast.stdout == slow.stdout == baseline.to_yaml()
    con = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    con.execute("UPDATE version_rows SET payload = replace(payload, 'Reading', 'Raeding') WHERE key = 'E06000038'")
    con.commit()
    con.close()
    out = tmp_path / "x.yaml"
    r = run("export", "baseline", "-o", out, "--verify", "--db", sqlite_url)
    assert r.exit_code != 0 and not out.exists()
    assert r.output.startswith("Error: the rows of version ") and "do not match its id (checksum)" in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_a_row_payload_is_model_dump_json_of_the_record(scenario_result):
    from restructure.store.rows import record_row

    recs = list(scenario_result.records())
    assert {type(r).__name__ for r in recs} >= {"Area", "Body", "Relation", "ChangeEvent"}
    for rec in recs:
        assert record_row(rec)[1] == rec.model_dump_json(exclude_defaults=True)


@pytest.mark.parametrize("removed", [False, True], ids=["rows-only", "with-a-removal"])
def test_version_id_hashes_the_same_bytes_as_one_update_per_row(scenario_result, removed):
    import datetime as dt
    import hashlib
    import json

    from restructure.history import VersionRecord
    from restructure.store import _version_id
    from restructure.store.rows import row_tuples

    rows = delta({}, structure_rows(scenario_result))
    if removed:  # the other way of joining the rows
        rows[("area", "gone")] = None
    rec = VersionRecord(id="", parents=("abc",), message="m ✓", author="a", scenario=None, phase=None,
                        created=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC))
    h = hashlib.sha256()  # the id as it was computed before (one update per row)
    h.update(json.dumps({"parents": list(rec.parents), "message": rec.message, "author": rec.author,
                         "created": rec.created.isoformat(), "scenario": rec.scenario, "phase": rec.phase},
                        sort_keys=True).encode())
    for (kind, key), payload in rows.items():
        h.update(f"\n{kind}\0{key}\0".encode())
        h.update(b"\1" if payload is None else payload.encode())
    assert _version_id(rec, row_tuples(rows)) == h.hexdigest()[:12]


# -- trusted records are the records validation gives (issue 19) -------------------------

from test_structure import structures  # noqa: E402


def _records_both_ways(s: Structure):
    """Every record of ``s`` read back from its rows with validation and without, side by side."""
    from pydantic import TypeAdapter

    from restructure.store.rows import KINDS, trusted_records

    by_kind: dict[str, list[str]] = {}
    for (kind, _), payload in sorted(structure_rows(s).items()):
        if kind != "structure":
            by_kind.setdefault(kind, []).append(payload)
    for kind, payloads in by_kind.items():
        checked = TypeAdapter(list[KINDS[kind]]).validate_json("[" + ",".join(payloads) + "]")
        yield from zip(trusted_records(kind, payloads), checked, payloads, strict=True)


def _same_record(fast, checked, payload: str) -> None:
    import copy
    import pickle

    from pydantic import ValidationError

    from restructure.store.rows import record_row

    assert type(fast) is type(checked)
    assert fast == checked and checked == fast
    assert hash(fast) == hash(checked)
    assert fast.__dict__ == checked.__dict__ and list(fast.__dict__) == list(checked.__dict__)
    assert fast.model_fields_set == checked.model_fields_set
    assert fast.__pydantic_extra__ == checked.__pydantic_extra__
    assert fast.__pydantic_private__ == checked.__pydantic_private__
    assert record_row(fast)[1] == record_row(checked)[1] == payload
    assert fast.model_dump(exclude_unset=True) == checked.model_dump(exclude_unset=True)
    assert copy.deepcopy(fast) == fast and pickle.loads(pickle.dumps(fast)) == fast
    with pytest.raises(ValidationError, match="frozen"):
        fast.id = "changed" if hasattr(fast, "id") else fast.kind


@settings(max_examples=60, deadline=None)
@given(structures())
def test_trusted_records_equal_validated_records(s):
    for fast, checked, payload in _records_both_ways(s):
        _same_record(fast, checked, payload)


def test_trusted_records_equal_validated_records_on_a_scenario_and_the_baseline(scenario_result, baseline):
    for s in (scenario_result, baseline, replicate(districts_structure(4, parts=2), 2)):
        for fast, checked, payload in _records_both_ways(s):
            _same_record(fast, checked, payload)


def test_a_shared_set_of_fields_given_cannot_change_and_copies_apart():
    from restructure.store.rows import build_trusted

    s, _ = build_trusted([[(k, p) for (k, _), p in sorted(structure_rows(mini()).items())]])
    d1, d2 = s.area("D1"), s.area("D2")
    assert d1.model_fields_set is d2.model_fields_set  # one set per combination of fields
    with pytest.raises(TypeError, match="cannot change"):
        d1.model_fields_set.add("note")
    renamed = d1.model_copy(update={"note": "x"})
    assert renamed.model_fields_set == {"id", "name", "kind", "note"}
    assert d2.model_fields_set == {"id", "name", "kind"}
    assert type(renamed.model_fields_set) is set


@settings(max_examples=40, deadline=None)
@given(structures())
def test_trusted_assembly_equals_checked_assembly_on_random_structures(s):
    rows = structure_rows(s)
    _same(assemble_trusted(rows), assemble(rows))


# -- the serialiser: the same bytes, so the same version ids -----------------------------


def _rows_one_by_one(s: Structure) -> dict:
    from restructure.store.rows import record_row

    rows = dict(record_row(rec) for rec in s.records())
    rows[("structure", "")] = meta_row(s)
    return dict(sorted(rows.items()))


@settings(max_examples=60, deadline=None)
@given(structures())
def test_bulk_serialisation_gives_the_bytes_of_one_record_at_a_time(s):
    rows = structure_rows(s)
    assert rows == _rows_one_by_one(s)
    assert list(rows) == sorted(rows)  # in the order a delta is hashed and written


def test_bulk_serialisation_keeps_version_ids(scenario_result, baseline):
    import datetime as dt

    from restructure.history import VersionRecord
    from restructure.model import Body, Strategy
    from restructure.store import _version_id
    from restructure.store.rows import row_tuples

    s = replicate(districts_structure(4, parts=2), 3)
    # three characters that separate records in a bulk dump, inside records: one at a time then
    b = s.body(next(iter(s.bodies())).id)
    s.replace(b, b.model_copy(update={"strategies": (Strategy(title="A},{B"), Strategy(title="C"))}))
    s.add(Body(id="odd", name='x"},{"y', kind="other", attributes={"k": "},{"}))
    rec = VersionRecord(id="", parents=(), message="m", author="a", scenario=None, phase=None,
                        created=dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
    for each in (s, scenario_result, baseline):
        assert structure_rows(each) == _rows_one_by_one(each)
        assert _version_id(rec, row_tuples(delta({}, structure_rows(each)))) == _version_id(rec, row_tuples(_rows_one_by_one(each)))


# -- checkout streams the rows and merges the deltas in ----------------------------------


@pytest.mark.parametrize("batch", [1, 3, 2000])
def test_a_streamed_checkout_merges_deltas_across_batches(sqlite_url, monkeypatch, batch):
    import restructure.store as store_module
    from restructure.model import Area, Relation

    monkeypatch.setattr(store_module, "_BATCH", batch)
    s = mini()
    with open_store(sqlite_url) as store:
        store.init(s)
        s = s.copy()
        s.add(Area(id="A0", name="First of all", kind="part"))  # sorts before every area
        s.add(Area(id="Z9", name="Last of all", kind="part"))  # after every area
        s.add(Relation(kind="within", source="Z9", target="D1"))
        d2 = s.area("D2")
        s.replace(d2, d2.model_copy(update={"name": "Renamed"}))
        store.commit("baseline", s, message="add and rename")
        s = s.copy()
        s.remove(s.area("A0"))
        s.description = "edited"
        store.commit("baseline", s, message="remove")
    with open_store(sqlite_url, create=False) as store:
        for ref in ("baseline", "baseline~1", "baseline~2"):
            _same(store.checkout(ref), store.checkout(ref, verify=True))
        _same(store.checkout("baseline"), s, order=False)


def _odd_ids() -> Structure:
    """Ids whose order differs between code points and a language's collation (case, punctuation)."""
    from restructure.model import Area, Body, Relation

    s = Structure("collation")
    ids = ["a-1", "A.2", "b:3", "B_4", "a1", "A1", "Z", "z", "0-x", "9.9"]
    for i in ids:
        s.add(Area(id=i, name=f"Area {i}", kind="district"))
    s.add(Body(id="csp-a", name="CSP", kind="community_safety_partnership"))
    for i in ids:
        s.add(Relation(kind="covers", source="csp-a", target=i))
    return s


def test_a_streamed_checkout_keeps_code_point_order(sqlite_url):
    s = _odd_ids()
    with open_store(sqlite_url) as store:
        store.init(s)
    with open_store(sqlite_url, create=False) as store:
        _same(store.checkout("baseline"), store.checkout("baseline", verify=True))


def test_a_streamed_checkout_keeps_code_point_order_on_postgresql(pg_store_url):
    s = _odd_ids()
    with open_store(pg_store_url) as store:
        store.init(s)
        s2 = s.copy()
        from restructure.model import Area

        s2.add(Area(id="a.0", name="Between", kind="part"))
        store.commit("baseline", s2, message="one more")
    with open_store(pg_store_url, create=False) as store:
        for ref in ("baseline", "baseline~1"):
            _same(store.checkout(ref), store.checkout(ref, verify=True))


def test_a_checkout_does_not_keep_the_rows(sqlite_url):
    with open_store(sqlite_url) as store:
        store.init(mini())
    with open_store(sqlite_url, create=False) as store:
        store.checkout("baseline")
        assert not store._cache  # streamed: the rows were never all held, nor kept


def test_revision_constants_are_alembics():
    # Opening a store compares its revision with these constants instead of asking alembic:
    # a new migration must be added to them.
    from alembic.script import ScriptDirectory

    from restructure.store import _alembic_config
    from restructure.store.schema import HEAD_REVISION, REVISIONS

    script = ScriptDirectory.from_config(_alembic_config(None))
    assert list(REVISIONS) == [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert HEAD_REVISION == script.get_current_head()


def test_opening_an_up_to_date_store_does_not_import_alembic(tmp_path):
    # Only creating or upgrading a store (or reading a revision this release does not know) needs alembic.
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'store.db'}"
    open_store(url).close()
    code = ("import sys; from restructure.store import open_store; "
            f"open_store({url!r}, create=False).close(); print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_bulk_serialisation_of_a_scenario_with_events_and_bases(scenario_result, baseline):
    # The bulk serializer writes each record's fields (string enums as the strings they are,
    # nested bases included): the bytes of the model's own serializer, record by record.
    for s in (scenario_result, baseline):
        assert structure_rows(s) == _rows_one_by_one(s)
    assert any(k == "event" for k, _ in structure_rows(scenario_result))
