"""diff.changes: one frozen dataclass per kind of change; the JSON form is the public schema."""

from __future__ import annotations

import dataclasses

import pytest

from restructure.diff import changes
from restructure.diff.changes import BeforeAfter, BodyCreated, CoverageChange, Entry
from restructure.structure import Structure

A = Structure.from_yaml("""
areas: [{id: U1, name: Town, kind: unitary}]
bodies: [{id: old-csp, name: Old CSP, kind: community_safety_partnership}]
relations: [{kind: covers, source: old-csp, target: U1}]
""")
B = Structure.from_yaml("""
areas: [{id: U1, name: Town, kind: unitary}]
bodies: [{id: new-csp, name: New CSP, kind: community_safety_partnership}]
relations: [{kind: covers, source: new-csp, target: U1}]
""")


def test_sections_hold_frozen_typed_entries():
    c = changes(A, B, findings=False)
    (created,) = c.created
    assert created == BodyCreated("new-csp", "New CSP", "community_safety_partnership", ())
    assert c.coverage == [CoverageChange("U1", "Town", BeforeAfter(("old-csp",), ("new-csp",)), BeforeAfter((), ()))]
    with pytest.raises(dataclasses.FrozenInstanceError):
        created.name = "Other"  # type: ignore[misc]
    assert all(isinstance(e, Entry) for s in (c.created, c.dissolved, c.coverage, c.links) for e in s)


def test_json_form_is_plain_lists_and_dicts_in_field_order():
    c = changes(A, B, findings=False)
    data = c.to_dict()
    assert data["coverage"] == [
        {"area": "U1", "name": "Town", "csp": {"before": ["old-csp"], "after": ["new-csp"]},
         "duty": {"before": [], "after": []}},
    ]
    assert list(data["bodies"]["dissolved"][0]) == ["id", "name", "kind", "how", "successors"]
    assert data["links"] == [
        {"body": "new-csp", "name": "New CSP", "added": {"covers": ["U1"]}, "removed": {}},
        {"body": "old-csp", "name": "Old CSP", "added": {}, "removed": {"covers": ["U1"]}},
    ]
    assert data["findings"] is None


def test_an_entry_reads_like_the_dict_it_replaces():
    e = changes(A, B, findings=False).dissolved[0]
    assert e["successors"] == [] and e.successors == ()
    assert e == e.to_dict() and e != {**e.to_dict(), "how": "merged"}
