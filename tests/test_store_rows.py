"""A structure as rows and back (store/rows.py): lossless, and deltas that compose."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mini import mini
from restructure.errors import StoreError
from restructure.model import Body, Relation
from restructure.store.rows import apply_delta, delta, record_row, structure_from_rows, structure_rows


def test_rows_round_trip_the_baseline_exactly(baseline):
    rows = structure_rows(baseline)
    assert len(rows) == len(baseline) + 1
    assert structure_from_rows(rows).to_yaml() == baseline.to_yaml()


def test_rows_keep_attribute_order_and_metadata():
    s = mini()
    s.description = "a test"
    s.sources = ("somewhere",)
    b = s.body("north-csp")
    s.replace(b, b.model_copy(update={"attributes": {"website": "w", "chair": "c"}}))
    back = structure_from_rows(structure_rows(s))
    assert list(back.body("north-csp").attributes) == ["website", "chair"]
    assert (back.description, back.sources) == ("a test", ("somewhere",))
    assert back.to_yaml() == s.to_yaml()


def test_record_row_keys():
    assert record_row(Body(id="x", name="X", kind="other"))[0] == ("body", "x")
    key, payload = record_row(Relation(kind="covers", source="a", target="b"))
    assert key == ("relation", "covers|a|b||")
    assert payload == '{"kind":"covers","source":"a","target":"b"}'


def test_corrupt_rows_are_a_store_error():
    rows = structure_rows(mini())
    rows[("area", "D1")] = '{"id": "D1", "kind": "nowhere"}'
    with pytest.raises(StoreError, match=r"^a stored record does not validate \(.*\)\. The store is corrupt"):
        structure_from_rows(rows)
    rows = structure_rows(mini())
    del rows[("area", "D1")]
    with pytest.raises(StoreError, match=r"^the stored rows do not make a structure \(covers relation names unknown id 'D1'\)\. The store is corrupt"):
        structure_from_rows(rows)


KEYS = st.tuples(st.sampled_from(["area", "body"]), st.sampled_from("abcdef"))
ROWS = st.dictionaries(KEYS, st.sampled_from(["1", "2", "3"]), max_size=8)


@settings(max_examples=50, deadline=None)
@given(ROWS, ROWS)
def test_delta_turns_before_into_after(before, after):
    d = delta(before, after)
    assert apply_delta(dict(before), d.items()) == after
    assert all(before.get(k) != v for k, v in d.items())  # only what changed
