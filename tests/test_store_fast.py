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
from restructure.store.rows import assemble, assemble_trusted, structure_from_rows, structure_rows
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
