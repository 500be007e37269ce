"""Tests of restructure.diff: the patch, its reverse, the planners' summary and its renderings."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mini import mini
from restructure import operations as O
from restructure.apply import apply, run_scenario
from restructure.diff import (
    SCHEMA,
    Diff,
    changes,
    compare,
    compare_refs,
    compare_scenario,
    default_dates,
    diff,
    patch,
)
from restructure.errors import RestructureError, ScenarioError, ValidationFailed
from restructure.io.yamlfile import dump
from restructure.model import Area, Body, ChangeEvent, Relation
from restructure.structure import Structure

D = dt.date(2030, 4, 1)
BEFORE = D - dt.timedelta(days=1)


def _applied(ops, s=None):
    return apply(s or mini(), ops, D)


def _bodies_in(edits, *structures) -> set[str]:
    """Bodies an edit list touches: body records, and the ends of relations that are bodies."""
    def is_body(i):
        return any(isinstance(s.get(i), Body) for s in structures)

    out = set()
    for e in edits:
        rec = e.before if isinstance(e, O.Update) else e.record
        if isinstance(rec, Body):
            out.add(rec.id)
        elif isinstance(rec, Relation):
            out.update(i for i in (rec.source, rec.target) if is_body(i))
    return out


# -- the patch ---------------------------------------------------------------------------------


def test_diff_of_a_structure_with_itself_is_empty():
    s = mini()
    d = diff(s, s.copy())
    assert d.ops == () and d.metadata == ()
    assert not d and d.empty and len(d) == 0
    assert compare(s, s.copy(), findings=False).stat() == "no differences"


def test_rename_is_one_update_and_patch_gives_the_other_structure():
    a = mini()
    b = _applied([O.Rename(id="north-csp", name="Northern CSP")]).structure
    d = diff(a, b)
    assert [e.summary() for e in d.ops] == [
        "update body north-csp: name",
        "add changeevent 2030-04-01-rename-1",
    ]
    assert patch(a, d) == b
    assert patch(b, d.reverse()) == a
    assert d.counts() == {"add": 1, "remove": 0, "update": 1, "total": 2}


def test_edits_are_in_canonical_order_relations_out_first_then_nodes_then_relations_in():
    a = mini()
    b = _applied([
        O.Merge(bodies=("north-csp", "south-vale-csp"), into="shire-csp",
                new=Body(id="shire-csp", name="Shire CSP", kind="community_safety_partnership")),
    ]).structure
    # a merge only ends records, so compare the structure as it stands after it with the one before
    before, after = a.as_of(BEFORE), b.as_of(D)
    d = diff(before, after)
    ops = [e.op + ":" + type(e.before if e.op == "update" else e.record).__name__ for e in d.ops]
    first_node = min(i for i, o in enumerate(ops) if not o.endswith("Relation"))
    assert all(o == "remove:Relation" for o in ops[:first_node])
    assert ops[first_node:first_node + 2] == ["remove:Body", "remove:Body"]
    assert "add:Body" in ops and ops.index("add:Body") < ops.index("add:Relation")
    assert patch(before, d) == after
    assert patch(after, d.reverse()) == before


def test_reverse_is_inversion_re_sorted_and_equals_the_diff_the_other_way():
    a = mini()
    b = _applied([
        O.Dissolve(body="south-vale-csp", successors=("north-csp",)),
        O.AddMember(body="town-council", partnership="north-csp"),
    ]).structure
    d = diff(a, b)
    back = diff(b, a)
    assert d.reverse().ops == back.ops
    assert d.reverse().reverse().ops == d.ops


def test_a_node_that_changes_from_area_to_body_is_removed_and_added_with_its_relations():
    a = Structure.from_yaml("""
areas: [{id: X, name: X, kind: district}, {id: Y, name: Y, kind: district}]
relations: [{kind: succeeded_by, source: X, target: Y}]
""")
    b = Structure.from_yaml("""
areas: [{id: Y, name: Y, kind: district}]
bodies: [{id: X, name: X, kind: other}, {id: Z, name: Z, kind: other}]
relations: [{kind: succeeded_by, source: X, target: Z}]
""")
    d = diff(a, b)
    assert [e.summary() for e in d.ops] == [
        "remove succeeded_by X -> Y",
        "remove area X",
        "add body X",
        "add body Z",
        "add succeeded_by X -> Z",
    ]
    assert patch(a, d) == b and patch(b, d.reverse()) == a


def test_name_description_and_sources_are_carried_as_metadata():
    a = mini()
    b = a.copy()
    b.name, b.description, b.sources = "mini force, revised", "changed", ("a source",)
    d = diff(a, b)
    assert d.ops == ()
    assert d.metadata == (
        ("name", "mini force", "mini force, revised"),
        ("description", None, "changed"),
        ("sources", (), ("a source",)),
    )
    assert patch(a, d) == b and patch(b, d.reverse()) == a
    assert compare(a, b, findings=False).stat() == (
        "no changes in force on the dates compared; 0 edits, name or sources changed"
    )


def test_patch_refuses_a_structure_it_was_not_made_from():
    a = mini()
    b = _applied([O.Rename(id="north-csp", name="Northern CSP")]).structure
    other = _applied([O.Rename(id="north-csp", name="Something else")]).structure
    with pytest.raises(ScenarioError, match="cannot update body 'north-csp': it has changed since"):
        patch(other, diff(a, b))


def test_to_dict_round_trips_and_is_json():
    a = mini()
    b = _applied([
        O.Rename(id="north-csp", name="Northern CSP"),
        O.TransferAreas(areas=("D3",), **{"from": "south-vale-csp"}, to="north-csp"),
    ]).structure
    b.name = "renamed"
    d = diff(a, b)
    data = json.loads(json.dumps(d.to_dict()))
    assert data["metadata"] == [{"field": "name", "before": "mini force", "after": "renamed"}]
    assert data["edits"][1] == {
        "op": "update",
        "relation": [
            {"kind": "covers", "source": "south-vale-csp", "target": "D3"},
            {"kind": "covers", "source": "south-vale-csp", "target": "D3", "end": "2030-04-01"},
        ],
    }
    again = Diff.from_dict(data)
    assert again == d


def test_from_dict_refuses_an_operation_that_is_not_a_primitive_edit():
    with pytest.raises(ValidationFailed, match=r"edits\[0\] is 'rename', not a primitive edit"):
        Diff.from_dict({"edits": [{"op": "rename", "id": "x", "name": "y"}]})


def test_the_patch_as_a_scenario_applies_to_the_base_and_gives_the_other_structure(tmp_path):
    a = mini()
    b = _applied([
        O.Merge(bodies=("north-csp", "south-vale-csp"), into="north-csp"),
        O.Rename(id="D1", name="Northern"),
    ]).structure
    (tmp_path / "a.yaml").write_text(a.to_yaml())
    scenario = diff(a, b).to_scenario("patch", D, base="a.yaml")
    (tmp_path / "patch.yaml").write_text(dump(scenario))
    out = run_scenario(tmp_path / "patch.yaml")
    assert out.structure == b
    assert "2030-04-01" in (tmp_path / "patch.yaml").read_text()


# -- the planners' summary ---------------------------------------------------------------------


def test_merge_into_a_new_partnership_in_planners_terms():
    a = mini()
    b = _applied([
        O.Merge(bodies=("north-csp", "south-vale-csp"), into="shire-csp",
                new=Body(id="shire-csp", name="Shire CSP", kind="community_safety_partnership", tier="local")),
    ]).structure
    c = changes(a, b, BEFORE, D, findings=False)
    assert c.created == [{"id": "shire-csp", "name": "Shire CSP", "kind": "community_safety_partnership",
                          "predecessors": ["north-csp", "south-vale-csp"]}]
    assert [(e["id"], e["how"], e["successors"]) for e in c.dissolved] == [
        ("north-csp", "merged", ["shire-csp"]),
        ("south-vale-csp", "merged", ["shire-csp"]),
    ]
    assert c.merged == [{"into": "shire-csp", "name": "Shire CSP", "bodies": ["north-csp", "south-vale-csp"]}]
    assert c.split == []
    assert [(e["area"], e["csp"]) for e in c.coverage] == [
        ("D1", {"before": ["north-csp"], "after": ["shire-csp"]}),
        ("D2", {"before": ["south-vale-csp"], "after": ["shire-csp"]}),
        ("D3", {"before": ["south-vale-csp"], "after": ["shire-csp"]}),
    ]
    new = next(m for m in c.memberships if m["partnership"] == "shire-csp")
    assert new["status"] == "created"
    assert [m["id"] for m in new["joined"]] == ["north-dc", "police", "shire-cc", "south-dc", "vale-dc"]
    links = {e["body"]: e for e in c.links}
    assert links["shire-csp"]["added"] == {"accountable_to": ["shire-partnership"], "covers": ["D1", "D2", "D3"]}
    assert c.names["shire-csp"] == "Shire CSP" and c.names["D1"] == "North"


def test_merge_into_an_existing_survivor_lists_the_survivor_among_the_merged():
    a = mini()
    b = _applied([O.Merge(bodies=("north-csp", "south-vale-csp"), into="north-csp")]).structure
    c = changes(a, b, BEFORE, D, findings=False)
    assert c.created == []
    assert c.merged == [{"into": "north-csp", "name": "North CSP", "bodies": ["north-csp", "south-vale-csp"]}]
    north = next(m for m in c.memberships if m["partnership"] == "north-csp")
    assert [m["id"] for m in north["joined"]] == ["south-dc", "vale-dc"]
    assert north["left"] == [] and north["status"] == "continuing"


def test_split_names_the_parts():
    b = _applied([
        O.Split(body="south-vale-csp", into=(
            O.SplitPart(id="south-csp", name="South CSP", areas=("D2",)),
            O.SplitPart(id="vale-csp", name="Vale CSP", areas=("D3",)),
        )),
    ]).structure
    c = changes(mini(), b, BEFORE, D, findings=False)
    assert c.split == [{"body": "south-vale-csp", "name": "South and Vale CSP", "into": ["south-csp", "vale-csp"]}]
    assert [e["how"] for e in c.dissolved] == ["split"]
    assert c.merged == []


def test_dissolve_with_a_successor_and_lapse():
    b = _applied([
        O.Dissolve(body="north-csp", successors=("south-vale-csp",)),
        O.Dissolve(body="shire-partnership", lapse=True),
    ]).structure
    c = changes(mini(), b, BEFORE, D, findings=False)
    assert [(e["id"], e["how"], e["successors"]) for e in c.dissolved] == [
        ("north-csp", "succeeded", ["south-vale-csp"]),
        ("shire-partnership", "lapsed", []),
    ]
    assert c.merged == []  # one body succeeding another by a dissolve is not a merger


def test_rename_and_other_fields():
    b = _applied([
        O.Rename(id="north-csp", name="Northern CSP"),
        O.SetAttribute(id="police", attribute="attributes.website", value="https://example.org"),
        O.Rename(id="D1", name="Northshire"),
    ]).structure
    c = changes(mini(), b, BEFORE, D, findings=False)
    assert c.renamed == [{"id": "north-csp", "before": "North CSP", "after": "Northern CSP"}]
    assert c.bodies_changed == [{
        "id": "police", "name": "Mini Police",
        "fields": {"attributes": {"before": {}, "after": {"website": "https://example.org"}}},
    }]
    assert c.areas_renamed == [{"id": "D1", "before": "North", "after": "Northshire"}]
    assert c.bodies() == ["north-csp", "police"]


def test_seats_gained_lost_moved():
    b = _applied([
        O.MoveSeat(board="board", area="C1", to="north-csp"),
        O.RemoveSeat(board="board", area="U1"),
        O.AssignSeat(board="board", body="town-council"),
    ]).structure
    c = changes(mini(), b, BEFORE, D, findings=False)
    assert [(e["area"], e["change"], e["before"], e["after"]) for e in c.seats] == [
        (None, "gained", [], ["town-council"]),
        ("C1", "moved", ["shire-partnership"], ["north-csp"]),
        ("U1", "lost", ["town-csp"], []),
    ]
    counts = c.counts()
    assert (counts["seats_gained"], counts["seats_lost"], counts["seats_moved"]) == (1, 1, 1)


def test_a_transfer_there_and_back_changes_records_only():
    a = mini()
    b = _applied([
        O.TransferAreas(areas=("D2",), **{"from": "south-vale-csp"}, to="north-csp"),
        O.TransferAreas(areas=("D2",), **{"from": "north-csp"}, to="south-vale-csp"),
    ]).structure
    d = diff(a, b)
    assert changes(a, b, BEFORE, D, findings=False).empty
    c = changes(a, b, BEFORE, D, findings=False, patch=d)
    # South's council follows its district out and back: its membership of the CSP is re-made that day
    note = "its records changed (dates, notes or sources), nothing different in force on the dates compared"
    assert c.records_only == [
        {"id": "south-dc", "name": "South DC", "note": note},
        {"id": "south-vale-csp", "name": "South and Vale CSP", "note": note},
    ]
    assert compare(a, b, BEFORE, D, findings=False).stat() == (
        "2 bodies changed only between the dates or in their records; 8 edits"
    )


def test_a_body_in_force_only_between_the_dates_compared():
    a = mini()
    s1 = apply(a, [O.CreateBody(body=Body(id="shadow", name="Shadow", kind="other"))], dt.date(2029, 1, 1)).structure
    b = apply(s1, [O.Dissolve(body="shadow", lapse=True)], dt.date(2029, 6, 1)).structure
    c = changes(a, b, dt.date(2028, 12, 31), D, findings=False, patch=diff(a, b))
    assert c.created == [] and c.dissolved == []
    assert c.records_only == [{
        "id": "shadow", "name": "Shadow", "note": "in force 2029-01-01 to 2029-06-01 only, between the dates compared",
    }]
    assert c.bodies() == ["shadow"]


def test_findings_introduced_and_resolved():
    a = mini()
    b = _applied([O.Dissolve(body="town-csp", lapse=True)]).structure
    c = changes(a, b, BEFORE, D)
    codes = {f["code"] for f in c.findings["introduced"]}
    assert {"CSP001", "SVD001"} <= codes
    assert all(f["date"] == "2030-04-01" for f in c.findings["introduced"])
    back = changes(b, a, D, BEFORE)
    assert {f["code"] for f in back.findings["resolved"]} == codes


def test_findings_are_not_run_without_dates():
    c = changes(mini(), mini(), findings=True)
    assert c.findings is None and c.empty


def test_one_structure_on_two_dates():
    s = _applied([O.Dissolve(body="north-csp", successors=("south-vale-csp",))]).structure
    c = changes(s, s, BEFORE, D, findings=False)
    assert [e["id"] for e in c.dissolved] == ["north-csp"]
    assert changes(s, s, BEFORE, BEFORE, findings=False).empty
    assert diff(s.as_of(BEFORE), s.as_of(D))  # the patch between the two dates is not empty


def test_default_dates_is_the_latest_date_either_structure_mentions():
    a = mini()
    b = _applied([O.Rename(id="north-csp", name="N")]).structure
    assert default_dates(a, a) is None
    assert default_dates(a, b) == D
    cmp = compare(a, b, findings=False)
    assert cmp.before.on == cmp.after.on == D


# -- a comparison and its renderings -----------------------------------------------------------


def _merge_comparison():
    a = mini()
    out = apply(a, [
        O.Merge(bodies=("north-csp", "south-vale-csp"), into="shire-csp",
                new=Body(id="shire-csp", name="Shire CSP", kind="community_safety_partnership", tier="local")),
        O.MoveSeat(board="board", area="C1", to="shire-csp"),
    ], D, scenario="merge")
    from restructure.apply import Outcome, PhaseResult

    outcome = Outcome(scenario=None, base=a, structure=out.structure,
                      phases=[PhaseResult("merge", D, None, [], out.resolved)])
    return compare_scenario(outcome, label="merge")


def test_compare_scenario_reads_the_base_the_day_before_and_the_result_on_the_last_date():
    cmp = _merge_comparison()
    assert (cmp.before.on, cmp.after.on) == (BEFORE, D)
    assert cmp.stat() == (
        "1 body created, 2 dissolved, 1 merged, 3 areas change CSP, 3 partnerships change members, "
        "1 seat moved, 3 bodies change footprint or reporting line; 30 edits"
    )


def test_text_rendering_is_grouped_and_coloured_only_when_asked():
    cmp = _merge_comparison()
    plain = cmp.render_text(color=False)
    assert "\x1b[" not in plain
    lines = plain.splitlines()
    assert lines[0] == "merge (base) on 2030-03-31 -> merge (result) on 2030-04-01"
    assert "Bodies" in lines and "Strategy Board seats" in lines
    assert "  + Shire CSP (shire-csp) created (community safety partnership)" in lines
    assert "  ~ north-csp, south-vale-csp merged into Shire CSP (shire-csp)" in lines
    assert "  ~ seat for Shire (C1) on board moves shire-partnership -> shire-csp" in lines
    assert "  ~ North (D1): CSP north-csp -> shire-csp" in lines
    assert lines[-1].startswith("Findings of the checks: ")
    assert "\x1b[" in cmp.render_text(color=True)
    with_edits = cmp.render_text(color=False, edits=True)
    assert "Edits (30)" in with_edits
    assert "  ~ update relation covers north-csp -> D1: end" in with_edits.splitlines()


def test_markdown_for_board_papers():
    md = _merge_comparison().render_markdown()
    assert md.startswith("## Changes: merge (base) on 2030-03-31 → merge (result) on 2030-04-01\n")
    assert "| North (D1) | North CSP | Shire CSP | Safer Shire | Safer Shire |" in md
    assert "| Strategy Board | Shire (C1) | moved | Safer Shire | Shire CSP |" in md
    assert "- **new** Shire CSP (shire-csp) created (community safety partnership)" in md
    assert _merge_comparison()._repr_markdown_() == md


def test_json_schema_is_stable():
    data = json.loads(_merge_comparison().to_json())
    assert list(data) == ["schema", "before", "after", "empty", "stat", "counts", "changes", "metadata", "edits"]
    assert data["schema"] == SCHEMA == "restructure-diff/1"
    assert data["before"] == {"label": "merge (base)", "name": "mini force", "on": "2030-03-31"}
    assert list(data["changes"]) == [
        "bodies", "areas", "coverage", "memberships", "seats", "links", "records_only", "authority", "findings",
        "names",
    ]
    assert list(data["changes"]["bodies"]) == ["created", "dissolved", "renamed", "merged", "split", "changed"]
    assert data["counts"]["edits"] == len(data["edits"]) == 30
    assert set(data["changes"]["findings"]) == {"introduced", "resolved"}


def test_an_empty_comparison_says_so():
    s = mini()
    cmp = compare(s, s.copy())
    assert cmp.empty
    assert cmp.render_text(color=False) == "before -> after\nno differences\n"
    assert "**no differences**" in cmp.render_markdown()


def test_compare_refs_needs_something_to_compare_with(tmp_path):
    (tmp_path / "a.yaml").write_text(mini().to_yaml())
    with pytest.raises(ValidationFailed, match="nothing to compare"):
        compare_refs(str(tmp_path / "a.yaml"))
    same = compare_refs(str(tmp_path / "a.yaml"), as_of=[BEFORE, D])
    assert same.empty and same.before.label == same.after.label



@pytest.mark.parametrize("b, as_of", [
    ("a", []), ("a", [BEFORE, D]), (None, [BEFORE, D]), ("b", []), ("b", [D]), ("scenario", []), ("scenario", [D]),
])
def test_compare_refs_of_a_classified_name_equals_the_name(tmp_path, b, as_of):
    # what classify made of A (the CLI's way to parse a file once) compares as A's name does
    from conftest import SCENARIOS
    from restructure.refs import classify

    (tmp_path / "a.yaml").write_text(mini().to_yaml())
    changed = mini()
    changed.name = "changed"
    (tmp_path / "b.yaml").write_text(changed.to_yaml())
    a = str(tmp_path / "a.yaml")
    if b == "scenario":  # a scenario alone: its base against its result
        a, b = str(SCENARIOS / "oxfordshire" / "one-unitary.yaml"), None
    b = {"a": a, "b": str(tmp_path / "b.yaml")}.get(b)
    plain = compare_refs(a, b, as_of)
    classified = compare_refs(classify(a), b, as_of)
    assert classified.to_dict() == plain.to_dict()
    assert (classified.before, classified.after) == (plain.before, plain.after)

# -- properties --------------------------------------------------------------------------------

POOL = ("a", "b", "c", "d")
NAMES = st.sampled_from(["One", "Two"])
DATES = st.sampled_from([None, dt.date(2027, 4, 1), dt.date(2028, 4, 1)])


@st.composite
def structures(draw) -> Structure:
    """Small structures over a shared pool of ids, so two drawn ones overlap, differ and retype."""
    s = Structure(draw(st.sampled_from(["s", "t"])), draw(st.sampled_from([None, "d"])),
                  draw(st.sampled_from([(), ("src",)])))
    for id_ in POOL:
        what = draw(st.sampled_from(["none", "area", "body"]))
        end = draw(DATES)
        if what == "area":
            s.add(Area(id=id_, name=draw(NAMES), kind=draw(st.sampled_from(["district", "unitary"])), end=end))
        elif what == "body":
            s.add(Body(id=id_, name=draw(NAMES), kind=draw(st.sampled_from(["community_safety_partnership", "other"])),
                       end=end, attributes=draw(st.sampled_from([{}, {"k": "v"}]))))
    ids = sorted(n for n in s.graph.nodes)
    if ids:
        for _ in range(draw(st.integers(0, 6))):
            kind = draw(st.sampled_from(["covers", "member_of", "within", "succeeded_by"]))
            rel = Relation(kind=kind, source=draw(st.sampled_from(ids)), target=draw(st.sampled_from(ids)),
                           start=draw(DATES), role=draw(st.sampled_from([None, "statutory"])))
            try:
                s.add(rel)
            except RestructureError:
                pass  # a duplicate
    for ev in ("e1", "e2"):
        if draw(st.booleans()):
            s.add(ChangeEvent(id=ev, date=dt.date(2028, 4, 1), kind=draw(st.sampled_from(["merge", "rename"]))))
    return s


def _same(x: Structure, y: Structure) -> bool:
    """Equal records and metadata (Structure.__eq__ can pick a different `parent:` for two `within`s).

    Records are compared by key and by value, not by repr: two equal sets of duties can print in
    different orders (hash order: a PYTHONHASHSEED made equal structures look different).
    """
    def recs(s):
        return (s.name, s.description, s.sources, {(type(r).__name__, r.key): r for r in s.records()})

    return recs(x) == recs(y)


@settings(max_examples=40, deadline=None)
@given(structures(), structures())
def test_property_patch_and_reverse_on_generated_structures(a, b):
    assert not diff(a, a.copy())
    d = diff(a, b)
    assert _same(patch(a, d), b)
    assert _same(patch(b, d.reverse()), a)
    back = diff(b, a)
    assert back.ops == d.reverse().ops and back.metadata == d.reverse().metadata
    assert Diff.from_dict(json.loads(json.dumps(d.to_dict()))) == d


@st.composite
def operations_on_mini(draw):
    """A valid sequence of operations on the mini structure, all on one date (invalid draws are skipped)."""
    s = mini()
    ops, resolved = [], []
    for i in range(draw(st.integers(1, 6))):
        bodies = sorted(b.id for b in s.bodies(D))
        partnerships = sorted(b.id for b in s.bodies(D) if b.is_partnership)
        covers = sorted((r.source, r.target) for r in s.relations("covers", D) if s.body(r.source).end is None)
        choice = draw(st.sampled_from([
            "rename", "attribute", "add_member", "remove_member", "merge_new", "merge_into",
            "dissolve", "lapse", "assign_seat", "move_seat", "remove_seat", "transfer", "split",
        ]))
        pick = lambda xs: draw(st.sampled_from(xs))  # noqa: E731
        if not bodies:
            break
        if choice == "rename":
            op = O.Rename(id=pick(bodies + ["D1", "U1"]), name=pick(["Alpha", "Beta"]))
        elif choice == "attribute":
            op = O.SetAttribute(id=pick(bodies), attribute=pick(["tier", "note", "attributes.website"]),
                                value=pick(["local", "strategic", None]))
        elif choice == "add_member":
            op = O.AddMember(body=pick(bodies), partnership=pick(partnerships or bodies))
        elif choice == "remove_member":
            rels = sorted((r.source, r.target) for r in s.relations("member_of", D))
            if not rels:
                continue
            m, p = pick(rels)
            op = O.RemoveMember(body=m, partnership=p)
        elif choice in ("merge_new", "merge_into"):
            if len(partnerships) < 2:
                continue
            x, y = pick(partnerships), pick(partnerships)
            if x == y:
                continue
            if choice == "merge_new":
                new_id = f"merged-{i}"
                op = O.Merge(bodies=(x, y), into=new_id,
                             new=Body(id=new_id, name="Merged", kind="community_safety_partnership"))
            else:
                op = O.Merge(bodies=(x, y), into=x)
        elif choice == "dissolve":
            op = O.Dissolve(body=pick(bodies), successors=(pick(bodies),))
        elif choice == "lapse":
            op = O.Dissolve(body=pick(bodies), lapse=True)
        elif choice == "assign_seat":
            op = O.AssignSeat(board="board", body=pick(bodies), area=pick([None, "C1", "U1"]))
        elif choice == "move_seat":
            seats = sorted((r.area, r.source) for r in s.relations("seat", D) if r.area)
            if not seats:
                continue
            area, holder = pick(seats)
            to = pick(bodies)
            if to == holder:
                continue  # moving a seat to its holder re-dates it: a change of records, not of who sits
            op = O.MoveSeat(board="board", area=area, to=to)
        elif choice == "remove_seat":
            op = O.RemoveSeat(board="board", area=pick(["C1", "U1"]))
        elif choice == "transfer":
            if not covers:
                continue
            src, area = pick(covers)
            to = pick(partnerships or bodies)
            if to == src:
                continue  # a transfer to itself re-dates the relation only
            op = O.TransferAreas(areas=(area,), **{"from": src}, to=to)
        else:
            multi = sorted({src for src, _ in covers if sum(1 for x, _ in covers if x == src) >= 2})
            if not multi:
                continue
            body = pick(multi)
            areas = sorted(a for x, a in covers if x == body)
            op = O.Split(body=body, into=(
                O.SplitPart(id=f"{body}-{i}a", name="Part A", areas=tuple(areas[:1])),
                O.SplitPart(id=f"{body}-{i}b", name="Part B", areas=tuple(areas[1:])),
            ))
        try:
            out = apply(s, [op], D)
        except ScenarioError:
            continue
        s = out.structure
        ops.append(op)
        resolved.extend(out.edits)
    return ops, resolved, s


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations_on_mini())
def test_property_applied_operations_patch_reverse_and_name_the_bodies_touched(drawn):
    ops, resolved, b = drawn
    a = mini()
    assert not diff(a, a.copy())
    d = diff(a, b)
    assert patch(a, d) == b
    assert patch(b, d.reverse()) == a
    assert diff(b, a).ops == d.reverse().ops
    # the summary names exactly the bodies the net patch touches, all of them touched by the operations;
    # only those whose change is not in force (a relation re-dated) fall to `records_only`
    net = _bodies_in(d.ops, a, b)
    assert set(d.bodies(a, b)) == net
    said = set(changes(a, b, BEFORE, D, findings=False).bodies())
    assert said <= net <= _bodies_in(resolved, a, b)
    c = changes(a, b, BEFORE, D, findings=False, patch=d)
    assert set(c.bodies()) == net
    assert {e["id"] for e in c.records_only} == net - said
    records_changed = any(not isinstance(e.before if isinstance(e, O.Update) else e.record, ChangeEvent) for e in d.ops)
    assert c.empty == (not records_changed)


def test_diff_says_under_what_authority_each_change_happens():
    from restructure.model import Basis

    order = Basis(kind="structural_changes_order", reference="SI 2027/1", assumed=True, note="Not yet made.")
    reorganise = O.ReorganiseCouncils.model_validate({
        "abolish": ["shire-cc", "north-dc", "south-dc", "vale-dc"],
        "create": [{"id": "shire-council", "name": "Shire Council", "area": {"id": "SH", "name": "Shire UA"},
                    "areas": ["D1", "D2", "D3"]}],
    })
    merge = O.Merge(bodies=("north-csp", "south-vale-csp"), into="north-csp", approved_by="pcc")
    a = mini()
    b = apply(a, [reorganise], D, phase="vesting day", basis=order).structure
    b = apply(b, [merge], D + dt.timedelta(days=1), phase="CSPs merge").structure
    cmp = compare(a, b, D - dt.timedelta(days=1), D + dt.timedelta(days=1), findings=False)
    authority = cmp.changes.to_dict()["authority"]
    basis = {"kind": "structural_changes_order", "reference": "SI 2027/1", "assumed": True, "note": "Not yet made."}
    # the county's CSP membership outside its successor's area ends under the same order
    assert [(e["kind"], e["phase"], e["basis"]) for e in authority] == [
        ("end_membership", "vesting day", basis),
        ("reorganise_councils", "vesting day", basis),
        ("merge", "CSPs merge", None),
    ]
    text = cmp.render_text(color=False)
    assert "Under what authority\n" in text
    assert f"  ~ {D} vesting day (end membership, reorganise councils): Structural changes order: SI 2027/1 (assumed); Not yet made." in text
    assert "CSPs merge (merge): approved by pcc; no basis recorded" in text
    md = cmp.render_markdown()
    assert "### Under what authority" in md and "- Structural changes order" not in md
    assert f"- {D} vesting day (end membership, reorganise councils): Structural changes order: SI 2027/1 (assumed)" in md
    assert json.loads(json.dumps(cmp.to_dict()))["changes"]["authority"] == authority
