"""Properties of the restructure language over generated operation sequences (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mini import mini
from restructure import operations as O
from restructure.apply import apply, apply_edits, invert
from restructure.errors import ScenarioError
from restructure.model import Body, BodyKind
from restructure.operations import operations_adapter

D = dt.date(2028, 4, 1)
# Names are printable text on one line (restructure.text refuses control and bidi characters).
NAME_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
                           blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
PARTNERSHIPS = ["north-csp", "south-vale-csp", "town-csp", "shire-partnership"]
AGENCIES = ["police", "shire-cc", "north-dc", "south-dc", "vale-dc", "town-council"]


@st.composite
def op_sequences(draw):
    """Valid-looking operations; those that do not fit the structure are skipped by the test."""
    n = draw(st.integers(1, 6))
    ops = []
    for i in range(n):
        kind = draw(st.sampled_from(["merge", "dissolve", "rename", "member", "seat", "transfer", "create", "attribute", "strategy"]))
        p = draw(st.sampled_from(PARTNERSHIPS))
        q = draw(st.sampled_from([x for x in PARTNERSHIPS if x != p]))
        if kind == "merge":
            ops.append(O.Merge(bodies=(p, q), into=q))
        elif kind == "dissolve":
            ops.append(O.Dissolve(body=p, successors=(q,)) if draw(st.booleans()) else O.Dissolve(body=p, lapse=True))
        elif kind == "rename":
            ops.append(O.Rename(id=p, name=draw(st.text(NAME_CHARS, min_size=1, max_size=12))))
        elif kind == "member":
            a = draw(st.sampled_from(AGENCIES))
            ops.append(O.AddMember(body=a, partnership=p) if draw(st.booleans()) else O.RemoveMember(body=a, partnership=p))
        elif kind == "seat":
            ops.append(O.MoveSeat(board="board", area=draw(st.sampled_from(["C1", "U1"])), to=p))
        elif kind == "transfer":
            ops.append(O.TransferAreas(areas=(draw(st.sampled_from(["D1", "D2", "D3", "U1"])),), **{"from": p}, to=q))
        elif kind == "create":
            ops.append(O.CreateBody(
                body=Body(id=f"new-{i}", name=f"New {i}", kind=BodyKind.community_safety_partnership),
                covers=(draw(st.sampled_from(["D1", "D2", "U1"])),), member_of=(p,),
            ))
        elif kind == "strategy":
            ops.append(O.PublishStrategy(body=p, title=draw(st.text(NAME_CHARS, min_size=1, max_size=10))))
        else:
            ops.append(O.SetAttribute(id=p, attribute="attributes.chair", value=draw(st.text(min_size=1, max_size=8))))
    return ops


def applicable(s, ops):
    """Apply what fits, one op at a time; return the structure and the resolved edits."""
    edits = []
    for op in ops:
        try:
            out = apply(s, [op], D)
        except ScenarioError:
            continue
        s = out.structure
        edits.extend(out.resolved)
    return s, edits


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(op_sequences())
def test_apply_then_invert_is_identity(ops):
    base = mini()
    after, edits = applicable(base, ops)
    assert apply_edits(after, invert(edits)) == base


@settings(max_examples=60, deadline=None)
@given(op_sequences())
def test_no_operation_leaves_an_edge_to_a_missing_node(ops):
    after, _ = applicable(mini(), ops)
    for rel in after.relations():
        assert rel.source in after and rel.target in after
        assert rel.area is None or rel.area in after
    for rel in after.relations(on=D):
        if rel.kind == "succeeded_by":
            continue  # lineage is history: it outlives the predecessor by design
        # nothing in force points at something that is not
        assert after.get(rel.source).end is None or after.get(rel.source).end > D
        assert after.get(rel.target).end is None or after.get(rel.target).end > D


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(PARTNERSHIPS), st.sampled_from(PARTNERSHIPS))
def test_merge_keeps_the_union_of_coverage(p, q):
    s = mini()
    if p == q:
        return
    before = {r.target for b in (p, q) for r in s.relations("covers", D, source=b)}
    t = apply(s, [O.Merge(bodies=(p, q), into=q)], D).structure
    assert {r.target for r in t.relations("covers", D, source=q)} == before


@settings(max_examples=30, deadline=None)
@given(op_sequences())
def test_applying_is_deterministic(ops):
    a, _ = applicable(mini(), ops)
    b, _ = applicable(mini(), ops)
    assert a.to_yaml() == b.to_yaml()


@settings(max_examples=30, deadline=None)
@given(op_sequences())
def test_operations_round_trip_through_yaml_data(ops):
    data = operations_adapter.dump_python(ops, mode="json", by_alias=True)
    assert operations_adapter.validate_python(data) == ops


def test_resolved_edits_round_trip_as_operations():
    out = apply(mini(), [O.Merge(bodies=("north-csp", "south-vale-csp"), into="south-vale-csp")], D)
    data = operations_adapter.dump_python(out.edits, mode="json", by_alias=True)
    edits = operations_adapter.validate_python(data)
    assert apply_edits(mini(), edits) == out.structure
