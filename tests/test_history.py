"""The version graph (pure): heads, ancestry, merge base, log order, cycle check."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restructure.errors import StoreError
from restructure.history import VersionGraph, VersionRecord

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def v(id_, *parents, minute=0, message=None):
    return VersionRecord(id_, tuple(parents), message or id_, "ann", T0 + dt.timedelta(minutes=minute))


@pytest.fixture
def three():
    """A baseline and two scenarios branching from it."""
    return VersionGraph([v("base", minute=0), v("oxon1", "base", minute=1), v("oxon2", "base", minute=2)])


def test_heads_roots_children(three):
    assert three.heads() == ["oxon1", "oxon2"]
    assert three.roots() == ["base"]
    assert three.children("base") == ["oxon1", "oxon2"]
    assert len(three) == 3 and "oxon1" in three and "nope" not in three


def test_ancestry(three):
    assert three.ancestors("oxon1") == {"base"}
    assert three.ancestors("oxon1", include_self=True) == {"base", "oxon1"}
    assert three.is_ancestor("base", "oxon2")
    assert three.is_ancestor("oxon2", "oxon2")
    assert not three.is_ancestor("oxon1", "oxon2")
    assert not three.is_ancestor("oxon1", "base")


def test_merge_base(three):
    assert three.merge_base("oxon1", "oxon2") == "base"
    assert three.merge_base("base", "oxon2") == "base"
    merged = VersionGraph([*three, v("m", "oxon1", "oxon2", minute=3)])
    assert merged.merge_base("m", "oxon1") == "oxon1"
    assert merged.heads() == ["m"]


def test_merge_base_of_unrelated_histories_is_none():
    g = VersionGraph([v("a"), v("b")])
    assert g.merge_base("a", "b") is None


def test_log_is_newest_first_and_topological(three):
    assert [r.id for r in three.log()] == ["oxon2", "oxon1", "base"]
    assert [r.id for r in three.log(["oxon1"])] == ["oxon1", "base"]
    # A child made "earlier" (clock skew) still comes before its parent.
    skew = VersionGraph([v("p", minute=5), v("c", "p", minute=1)])
    assert [r.id for r in skew.log()] == ["c", "p"]


def test_log_ties_break_by_id_descending():
    g = VersionGraph([v("r"), v("a", "r", minute=1), v("b", "r", minute=1)])
    assert [r.id for r in g.log()] == ["b", "a", "r"]


def test_first_parents_and_nth_parent(three):
    g = VersionGraph([*three, v("oxon1b", "oxon1", minute=4)])
    assert g.first_parents("oxon1b") == ["oxon1b", "oxon1", "base"]
    assert g.nth_parent("oxon1b", 2) == "base"
    with pytest.raises(StoreError, match=r"^version 'oxon1b' has only 2 earlier versions, not 3\. Use a smaller number after ~\.$"):
        g.nth_parent("oxon1b", 3)


def test_match_prefix(three):
    assert three.match("oxon") == ["oxon1", "oxon2"]
    assert three.match("zz") == []


def test_unknown_version(three):
    with pytest.raises(StoreError, match=r"^no version 'x'\. Run `restructure log` to list versions\.$"):
        three.get("x")


def test_unknown_parent_is_refused():
    with pytest.raises(StoreError, match=r"^version 'b' names unknown parent 'a'\."):
        VersionGraph([v("b", "a")])


def test_duplicate_version_is_refused():
    with pytest.raises(StoreError, match=r"^version 'a' appears twice in the history\."):
        VersionGraph([v("a"), v("a")])


def test_cycle_is_refused():
    with pytest.raises(StoreError, match=r"^cycle in version history: (a -> b -> a|b -> a -> b)\. The store is corrupt"):
        VersionGraph([v("a", "b"), v("b", "a")])
    with pytest.raises(StoreError, match=r"^cycle in version history: c -> c\."):
        VersionGraph([v("c", "c")])


@st.composite
def dags(draw):
    n = draw(st.integers(1, 12))
    recs = []
    for i in range(n):
        parents = draw(st.lists(st.integers(0, i - 1), max_size=2, unique=True)) if i else []
        recs.append(v(f"v{i:02d}", *(f"v{p:02d}" for p in parents), minute=draw(st.integers(0, 5))))
    return recs


@settings(max_examples=50, deadline=None)
@given(dags())
def test_log_puts_every_version_before_its_parents(recs):
    g = VersionGraph(recs)
    order = [r.id for r in g.log()]
    assert sorted(order) == sorted(r.id for r in recs)
    pos = {vid: i for i, vid in enumerate(order)}
    for r in recs:
        for p in r.parents:
            assert pos[r.id] < pos[p]
    for h in g.heads():
        assert g.children(h) == []
    for a in g:
        for b in g:
            base = g.merge_base(a.id, b.id)
            if base is not None:
                assert g.is_ancestor(base, a.id) and g.is_ancestor(base, b.id)
