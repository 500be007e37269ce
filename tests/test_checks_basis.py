"""Legal basis rules: a reorganisation needs a structural changes order, a CSP merger the PCC's decision."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from mini import mini
from restructure.apply import apply
from restructure.checks import check_timeline, explain
from restructure.model import Basis
from restructure.operations import Merge, ReorganiseCouncils, Split, operations_adapter

D = dt.date(2028, 4, 1)
REORGANISE = {
    "op": "reorganise_councils",
    "abolish": ["shire-cc", "north-dc", "south-dc", "vale-dc"],
    "create": [{"id": "shire-council", "name": "Shire Council", "area": {"id": "SH", "name": "Shire UA"},
                "areas": ["D1", "D2", "D3"]}],
}


def codes(structure, code):
    return [f for f in check_timeline(structure, [D]).findings if f.code == code]


def test_reorganisation_without_an_order_is_a_warning():
    out = apply(mini(), operations_adapter.validate_python([REORGANISE]), D, scenario="s", phase="vesting")
    found = codes(out.structure, "BAS001")
    assert [f.message for f in found] == [
        "councils North DC, Shire County Council, South DC and Vale DC are reorganised on 2028-04-01 "
        "(s, vesting) without a structural changes order"
    ]
    assert found[0].severity.value == "warning"


def test_an_assumed_order_satisfies_the_rule_and_is_recorded_in_the_event():
    op = ReorganiseCouncils.model_validate(
        {**REORGANISE, "basis": {"kind": "structural_changes_order", "reference": "SI 2027/1", "assumed": True}}
    )
    out = apply(mini(), [op], D)
    assert codes(out.structure, "BAS001") == []
    (ev,) = [e for e in out.structure.events.values() if e.kind == "reorganise_councils"]
    assert ev.basis == Basis(kind="structural_changes_order", reference="SI 2027/1", assumed=True)


def test_phase_basis_applies_unless_the_operation_has_its_own():
    board = Basis(kind="board_decision")
    order = Basis(kind="structural_changes_order")
    op = ReorganiseCouncils.model_validate({**REORGANISE, "basis": order.model_dump()})
    merge = Merge(bodies=("north-csp", "south-vale-csp"), into="north-csp")
    out = apply(mini(), [op, merge], D, basis=board)
    by_kind = {e.kind: e.basis for e in out.structure.events.values()}
    # the membership the reorganisation ends (the county's seat outside its successors' areas) is ended
    # under the same order
    assert by_kind == {"reorganise_councils": order, "end_membership": order, "merge": board}
    # a board decision is not the PCC's: the merger is flagged
    assert [f.bodies for f in codes(out.structure, "BAS002")] == [("north-csp", "south-vale-csp")]


@pytest.mark.parametrize(
    "extra, flagged",
    [
        ({}, True),
        ({"approved_by": "pcc"}, False),
        ({"basis": {"kind": "pcc_decision", "reference": "PCC decision 1/2028"}}, False),
        ({"basis": {"kind": "secretary_of_state_approval"}}, False),
        ({"basis": {"kind": "council_resolution"}}, True),
    ],
)
def test_csp_merger_needs_the_pccs_decision(extra, flagged):
    merge = Merge.model_validate({"bodies": ["north-csp", "south-vale-csp"], "into": "north-csp", **extra})
    out = apply(mini(), [merge], D)
    assert bool(codes(out.structure, "BAS002")) is flagged


def test_csp_split_needs_the_pccs_decision_but_other_splits_do_not():
    split = Split.model_validate({"body": "south-vale-csp", "into": [
        {"id": "south-csp", "name": "South CSP", "areas": ["D2"]},
        {"id": "vale-csp", "name": "Vale CSP", "areas": ["D3"]},
    ]})
    (f,) = codes(apply(mini(), [split], D).structure, "BAS002")
    assert f.message.startswith("the CSP split of South and Vale CSP on 2028-04-01 records no decision")


def test_unknown_basis_kind_names_the_kinds():
    with pytest.raises(ValidationError, match="structural_changes_order.*pcc_decision.*board_decision"):
        Basis(kind="order_in_council")


def test_explain_cites_the_law():
    assert "Local Government and Public Involvement in Health Act 2007, Part 1" in explain("BAS001")
    text = explain("BAS002")
    assert "Crime and Disorder Act 1998" in text and "s.5A" in text and "Unconfirmed" in text


def test_the_plan_of_a_scenario_shows_each_phase_and_operation_basis(tmp_path):
    from restructure.baseline import SCENARIOS
    from restructure.scenario import load_scenario

    plan = load_scenario(SCENARIOS / "oxfordshire" / "csp-merge.yaml").plan()
    assert plan[:3] == [
        "2027-04-01  district CSPs merge",
        "       basis: PCC decision: Thames Valley PCC decision (not yet made) (assumed)",
        "    1. merge cherwell-csp, oxford-csp, south-and-vale-csp, west-oxfordshire-csp into oxfordshire-csp (new)",
    ]
    f = tmp_path / "s.yaml"
    f.write_text(
        "name: s\nbase: x.yaml\nphases:\n  - name: p\n    date: 2028-04-01\n    operations:\n"
        "      - {op: rename, id: a, name: B, basis: {kind: council_resolution, reference: 'Min. 12/2027'}}\n"
    )
    assert load_scenario(f).plan()[2] == "       basis: Council resolution: Min. 12/2027"
    f.write_text(f.read_text().replace("council_resolution", "order_in_council"))
    from restructure.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match=r"s.yaml:7: .*'structural_changes_order', 'pcc_decision'"):
        load_scenario(f)
