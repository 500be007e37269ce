"""Applying each operation: what it does, what it refuses, and that it inverts."""

from __future__ import annotations

import datetime as dt

import pytest

from mini import mini
from restructure import operations as O
from restructure.apply import apply, apply_edits, invert
from restructure.errors import IrreversibleOp, ScenarioError
from restructure.model import Body, Relation

D = dt.date(2028, 4, 1)
BEFORE = dt.date(2028, 3, 31)


def run(*ops, s=None):
    s = s or mini()
    out = apply(s, list(ops), D, scenario="test")
    # every test also checks the property the engine promises: inverting gives the input back
    assert apply_edits(out.structure, invert(out.resolved)) == s
    return out.structure


def test_apply_never_mutates_the_callers_structure():
    s = mini()
    before = s.to_yaml()
    apply(s, [O.Rename(id="north-csp", name="Northern CSP")], D)
    assert s.to_yaml() == before


def test_create_body_with_coverage_and_members():
    t = run(O.CreateBody(
        body=Body(id="new-csp", name="New CSP", kind="community_safety_partnership", tier="local"),
        covers=("D1",), members=("police",), accountable_to="shire-partnership",
    ))
    assert t.body("new-csp").start == D
    assert [b.id for b in t.covering("D1", D)] == ["new-csp", "north-csp"]
    assert [b.id for b, _ in t.members("new-csp", D)] == ["police"]
    assert [b.id for b in t.covering("D1", BEFORE)] == ["north-csp"]


def test_dissolve_ends_body_and_relations_and_records_lineage():
    t = run(O.Dissolve(body="north-csp", successors=("south-vale-csp",)))
    assert t.body("north-csp").end == D
    assert t.covering("D1", D) == []
    assert [b.id for b in t.covering("D1", BEFORE)] == ["north-csp"]
    assert t.successors("north-csp") == ["south-vale-csp"]
    (ev,) = [e for e in t.events.values() if e.kind == "dissolve"]
    assert ev.predecessors == ("north-csp",) and ev.scenario == "test" and ev.op_index == 1


def test_dissolve_must_name_successors_or_lapse():
    with pytest.raises(ValueError, match="must name successors or say 'lapse: true'"):
        O.Dissolve(body="north-csp")
    t = run(O.Dissolve(body="north-csp", lapse=True))
    assert any(e.kind == "lapse" for e in t.events.values())


def test_merge_carries_coverage_members_seats_and_strategies():
    t = run(O.Merge(
        bodies=("shire-partnership", "north-csp", "south-vale-csp"), into="shire-csp",
        new=Body(id="shire-csp", name="Shire CSP", kind="community_safety_partnership", tier="local"),
        approved_by="pcc",
    ))
    assert {a for a in ("D1", "D2", "D3") if [b.id for b in t.covering(a, D)] == ["shire-csp"]} == {"D1", "D2", "D3"}
    assert [b.id for b in t.discharging("D2", D)] == ["shire-csp"]
    assert [b.id for b in t.seat_holders("C1", D)] == ["shire-csp"]
    assert {b.id for b, _ in t.members("shire-csp", D)} == {"north-dc", "police", "shire-cc", "south-dc", "vale-dc"}
    assert [s.title for s in t.body("shire-csp").strategies] == ["Shire SV Strategy"]
    # reporting lines between the merged bodies vanish rather than point at itself
    assert list(t.relations("accountable_to", D, source="shire-csp")) == []
    (ev,) = [e for e in t.events.values() if e.kind == "merge"]
    assert ev.approved_by == "pcc"
    assert t.predecessors("shire-csp") == ["north-csp", "shire-partnership", "south-vale-csp"]


def test_merge_into_existing_body():
    t = run(O.Merge(bodies=("north-csp", "south-vale-csp"), into="south-vale-csp"))
    assert t.body("north-csp").end == D and t.body("south-vale-csp").end is None
    assert [b.id for b in t.covering("D1", D)] == ["south-vale-csp"]


def test_merge_of_one_body_is_refused():
    with pytest.raises(ValueError, match="at least two different bodies"):
        O.Merge(bodies=("north-csp", "north-csp"), into="x")


def test_split_partitions_areas():
    t = run(O.Split(body="south-vale-csp", into=(
        O.SplitPart(id="south-csp", name="South CSP", areas=("D2",)),
        O.SplitPart(id="vale-csp", name="Vale CSP", areas=("D3",)),
    )))
    assert [b.id for b in t.covering("D2", D)] == ["south-csp"]
    assert [b.id for b in t.covering("D3", D)] == ["vale-csp"]
    # each part keeps the members that serve its area: South's council does not sit on Vale's CSP
    assert {b.id for b, _ in t.members("vale-csp", D)} == {"police", "shire-cc", "vale-dc"}
    assert {b.id for b, _ in t.members("south-csp", D)} == {"police", "shire-cc", "south-dc"}
    ended = [e for e in t.events.values() if e.kind == "end_membership"]
    assert [e.old_values["member_of"] for e in ended] == ["south-dc -> south-vale-csp", "vale-dc -> south-vale-csp"]


@pytest.mark.parametrize(
    "parts, message",
    [
        ((("a", ("D2",)), ("b", ("D2",))), "gives area 'D2' twice"),
        ((("a", ("D2",)), ("b", ("D1",))), "leaves out area\\(s\\) D3"),
    ],
)
def test_split_with_gaps_or_overlaps_is_refused(parts, message):
    op = O.Split(body="south-vale-csp", into=tuple(O.SplitPart(id=i, name=i, areas=a) for i, a in parts))
    with pytest.raises(ScenarioError, match=message):
        apply(mini(), [op], D)


def test_transfer_areas():
    t = run(O.TransferAreas(areas=("D2",), **{"from": "south-vale-csp"}, to="north-csp"))
    assert [b.id for b in t.covering("D2", D)] == ["north-csp"]
    with pytest.raises(ScenarioError, match="'north-csp' does not cover area 'D3'"):
        apply(mini(), [O.TransferAreas(areas=("D3",), **{"from": "north-csp"}, to="town-csp")], D)


def test_reorganise_councils_abolishes_creates_and_passes_on():
    t = run(O.ReorganiseCouncils(
        abolish=("shire-cc", "north-dc", "south-dc", "vale-dc"),
        create=(
            O.NewCouncil(id="north-council", name="North Council", area=O.NewArea(id="NU", name="North"), areas=("D1",)),
            O.NewCouncil(id="south-council", name="South Council", area=O.NewArea(id="SU", name="South"), areas=("D2", "D3")),
        ),
        end_areas=("C1",),
    ))
    assert [a.id for a in t.units(D)] == ["NU", "SU", "U1"]
    assert [a.id for a in t.local_areas(D)] == ["NU", "SU", "U1"]
    assert [a.id for a in t.units(BEFORE)] == ["D1", "D2", "D3", "U1"]
    assert t.area("C1").end == D
    # memberships pass from the abolished councils to their successors
    assert "north-council" in {b.id for b, _ in t.members("north-csp", D)}
    assert sorted(t.successors("shire-cc")) == ["north-council", "south-council"]
    # the county's Duty discharge passes to the surviving parts; its seat ends (two successors)
    assert [b.id for b in t.discharging("SU", D)] == ["shire-partnership"]
    assert t.seat_holders("C1", D) == []
    assert t.body("north-council").duties == mini().body("north-dc").duties


def test_reorganise_refuses_a_council_without_successor():
    op = O.ReorganiseCouncils(
        abolish=("north-dc", "town-council"),
        create=(O.NewCouncil(id="n", name="N", area=O.NewArea(id="NU", name="N"), areas=("D1",)),),
    )
    with pytest.raises(ScenarioError, match="council 'town-council' has no successor"):
        apply(mini(), [op], D)


def test_reorganise_refuses_to_end_an_area_with_areas_left_in_it():
    op = O.ReorganiseCouncils(
        abolish=("north-dc",),
        create=(O.NewCouncil(id="n", name="N", area=O.NewArea(id="NU", name="N"), areas=("D1",)),),
        end_areas=("C1",),
    )
    with pytest.raises(ScenarioError, match="cannot end area 'C1': D2, D3 still lie"):
        apply(mini(), [op], D)


def test_split_area_and_move_area():
    t = run(
        O.SplitArea(area="D1", parts=(O.PartSpec(id="D1a", name="North A"), O.PartSpec(id="D1b", name="North B"))),
        O.MoveArea(area="D1b", to="U1"),
    )
    assert t.children("D1", D) == ["D1a"]
    assert [b.id for b in t.covering("D1b", D)] == ["town-csp"]
    assert [b.id for b in t.covering("D1a", D)] == ["north-csp"]


def test_members_and_seats():
    t = run(
        O.AddMember(body="town-council", partnership="north-csp", role="co-opted"),
        O.RemoveMember(body="police", partnership="north-csp"),
        O.MoveSeat(board="board", area="U1", to="police"),
        O.RemoveSeat(board="board", body="police"),
    )
    assert ("town-council", "co-opted") in {(b.id, r) for b, r in t.members("north-csp", D)}
    assert "police" not in {b.id for b, _ in t.members("north-csp", D)}
    assert [r.area for r in t.seats("board", D) if r.source == "police"] == []


def test_assign_seat_refuses_a_second_seat_for_an_area():
    with pytest.raises(ScenarioError, match="already has a seat for 'U1', held by 'town-csp'"):
        apply(mini(), [O.AssignSeat(board="board", area="U1", body="north-csp")], D)


def test_set_attribute_and_rename_record_old_values():
    t = run(
        O.Rename(id="north-csp", name="Northern CSP"),
        O.SetAttribute(id="north-csp", attribute="attributes.website", value="https://example.org"),
        O.SetAttribute(id="north-csp", attribute="tier", value="strategic"),
    )
    b = t.body("north-csp")
    assert (b.name, b.attributes, b.tier.value) == ("Northern CSP", {"website": "https://example.org"}, "strategic")
    assert {e.old_values.get("name") for e in t.events.values() if e.kind == "rename"} == {"North CSP"}
    with pytest.raises(ScenarioError, match="cannot set 'colour' of 'north-csp'"):
        apply(mini(), [O.SetAttribute(id="north-csp", attribute="colour", value="red")], D)
    with pytest.raises(ScenarioError, match="cannot set north-csp.tier to 'top'"):
        apply(mini(), [O.SetAttribute(id="north-csp", attribute="tier", value="top")], D)


def test_link_and_unlink():
    rel = O._RelationSpec(kind="serves", source="police", target="U1")
    t = run(O.Link(relation=rel))
    assert "police" in [b.id for b in t.serving("U1", D)]
    t = run(O.Unlink(relation=O._RelationSpec(kind="covers", source="north-csp", target="D1")))
    assert t.covering("D1", D) == []
    with pytest.raises(ScenarioError, match="no covers relation north-csp -> D2 in force"):
        apply(mini(), [O.Unlink(relation=O._RelationSpec(kind="covers", source="north-csp", target="D2"))], D)


def test_a_body_used_after_its_dissolution_is_an_error():
    with pytest.raises(ScenarioError, match="body 'north-csp' was dissolved on 2028-04-01, before 2028-04-01") as err:
        apply(mini(), [O.Dissolve(body="north-csp", lapse=True), O.AddMember(body="police", partnership="north-csp")], D)
    assert err.value.op_index == 2


def test_unknown_id_suggests_the_closest():
    with pytest.raises(ScenarioError, match="unknown body 'nort-csp'. Did you mean 'north-csp'?"):
        apply(mini(), [O.Dissolve(body="nort-csp", lapse=True)], D)


def test_a_failed_operation_leaves_no_partial_edits():
    from restructure.apply import resolve

    s = mini()
    # fails only after creating the new area and re-parenting D1: those edits must be undone
    op = O.ReorganiseCouncils(
        abolish=("north-dc",),
        create=(O.NewCouncil(id="n", name="N", area=O.NewArea(id="NU", name="N"), areas=("D1",)),),
        end_areas=("C1",),
    )
    with pytest.raises(ScenarioError, match="cannot end area 'C1'"):
        resolve(s, op, D)
    assert s == mini()


def test_primitive_edits_refuse_stale_records():
    s = mini()
    stale = Relation(kind="covers", source="north-csp", target="D1", note="changed")
    with pytest.raises(ScenarioError, match="cannot remove covers relation north-csp -> D1: it has changed since"):
        apply_edits(s, [O.Remove.of(stale)])


def test_unresolved_operations_cannot_be_inverted():
    with pytest.raises(IrreversibleOp, match="'dissolve' is not resolved"):
        invert([O.Dissolve(body="north-csp", lapse=True)])


def test_applying_is_deterministic():
    ops = [O.Merge(bodies=("north-csp", "south-vale-csp"), into="south-vale-csp")]
    assert apply(mini(), ops, D).structure.to_yaml() == apply(mini(), ops, D).structure.to_yaml()


def test_no_op_transfers_and_seat_moves_are_refused():
    with pytest.raises(ScenarioError, match="transfer_areas from 'north-csp' to itself changes nothing"):
        apply(mini(), [O.TransferAreas(areas=("D1",), **{"from": "north-csp"}, to="north-csp")], D)
    with pytest.raises(ScenarioError, match="'town-csp' already holds the seat for 'U1'"):
        apply(mini(), [O.MoveSeat(board="board", area="U1", to="town-csp")], D)


def test_parent_shorthand_does_not_depend_on_insertion_order():
    from restructure.model import Area, Relation
    from restructure.structure import Structure

    def build(order):
        s = Structure("x")
        for a in ("A", "B", "C"):
            s.add(Area(id=a, name=a, kind="district"))
        for t in order:
            s.add(Relation(kind="within", source="A", target=t))
        return s

    assert build(["B", "C"]).to_yaml() == build(["C", "B"]).to_yaml()


def test_publish_strategy_closes_the_strategy_gap():
    import datetime as dt

    from restructure.checks import run_state

    s = mini()
    s.replace(s.body("town-csp"), s.body("town-csp").model_copy(update={"strategies": ()}))
    assert [f.code for f in run_state(s, D)] == ["STR001"]
    t = run(O.PublishStrategy(body="town-csp", title="Town SV Strategy 2028"), s=s)
    assert [(x.title, x.start) for x in t.body("town-csp").strategies] == [("Town SV Strategy 2028", D)]
    assert run_state(t, D) == [] and [f.code for f in run_state(t, D - dt.timedelta(days=1))] == ["STR001"]
    with pytest.raises(ScenarioError, match="would lapse \\(2028-01-01\\) before it starts"):
        apply(mini(), [O.PublishStrategy(body="town-csp", title="x", end=dt.date(2028, 1, 1))], D)


def test_every_operation_has_a_resolver():
    from restructure.apply import _RESOLVERS

    primitives = {O.Add, O.Remove, O.Update}  # applied as they are
    ops = set(O.OPERATIONS.values())
    assert ops - primitives == set(_RESOLVERS), "an operation without a resolver in apply._RESOLVERS, or the reverse"
    assert len(O.OPERATIONS) == len(ops) == 22
