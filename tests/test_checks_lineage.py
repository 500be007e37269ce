"""Lineage rules: ended bodies are succeeded or lapse; successors cover what they took over (LIN00x)."""

from __future__ import annotations

import datetime as dt

from mini import ON, found, mini
from restructure.apply import apply
from restructure.model import Body, ChangeEvent, Relation
from restructure.operations import Dissolve, Merge

VEST = dt.date(2028, 4, 1)
SECOND_YEAR = dt.date(2029, 4, 1)



def end(s, id_, on=VEST):
    rec = s.body(id_)
    s.replace(rec, rec.model_copy(update={"end": on}))


def test_lin001_body_ended_without_successor():
    s = mini()
    end(s, "vale-dc")
    (f,) = found(s, "LIN001", VEST)
    assert f.message == "Vale DC ended on 2028-04-01 with no successor and no recorded lapse"
    assert (f.severity.value, f.bodies) == ("error", ("vale-dc",))
    assert found(s, "LIN001", VEST - dt.timedelta(days=1)) == []  # not ended yet


def test_lin001_successor_relation_is_enough():
    s = mini()
    end(s, "vale-dc")
    s.add(Relation(kind="succeeded_by", source="vale-dc", target="south-dc", start=VEST))
    assert found(s, "LIN001", VEST) == []


def test_lin001_lapse_event_or_attribute_is_enough():
    s = mini()
    end(s, "vale-dc")
    s.add(ChangeEvent(id="e1", date=VEST, kind="lapse", predecessors=("vale-dc",)))
    assert found(s, "LIN001", VEST) == []
    s2 = mini()
    rec = s2.body("vale-dc")
    s2.replace(rec, rec.model_copy(update={"end": VEST, "attributes": {"lapse": "abolished, duties to the county"}}))
    assert found(s2, "LIN001", VEST) == []


def test_lin001_a_rename_is_not_a_successor():
    s = mini()
    end(s, "vale-dc")
    s.add(ChangeEvent(id="e1", date=ON, kind="rename", predecessors=("vale-dc",), successors=("vale-dc",)))
    assert len(found(s, "LIN001", VEST)) == 1


def test_lin001_dissolve_op_records_lineage_and_lapse():
    s = mini()
    out = apply(s, [Dissolve(body="vale-dc", lapse=True, reason="abolished")], VEST).structure
    assert found(out, "LIN001", VEST) == []
    out2 = apply(s, [Dissolve(body="vale-dc", successors=("south-dc",))], VEST).structure
    assert found(out2, "LIN001", VEST) == []


def test_lin002_successor_missing_an_area():
    s = mini()
    s.add(Body(id="new-csp", name="New CSP", kind="community_safety_partnership", start=VEST))
    s.add(Relation(kind="covers", source="new-csp", target="D2", start=VEST))
    end(s, "south-vale-csp")
    for rel in list(s.relations(source="south-vale-csp")):
        if rel.kind == "covers":
            s.replace(rel, rel.model_copy(update={"end": VEST}))
    s.add(Relation(kind="succeeded_by", source="south-vale-csp", target="new-csp", start=VEST))
    (f,) = found(s, "LIN002", VEST)
    assert f.message == "Vale (D3), covered by South and Vale CSP before 2028-04-01, is not covered by its successor New CSP"
    assert (f.bodies, f.areas) == (("new-csp", "south-vale-csp"), ("D3",))
    # on a later date the finding is the same (judged on the succession date)
    assert [x.message for x in found(s, "LIN002", dt.date(2029, 1, 1))] == [f.message]
    assert found(s, "LIN002", VEST - dt.timedelta(days=1)) == []


def test_lin002_merge_covers_everything():
    s = mini()
    merged = Body(id="shire-csp", name="Shire CSP", kind="community_safety_partnership")
    out = apply(s, [Merge(bodies=("north-csp", "south-vale-csp"), into="shire-csp", new=merged)], VEST).structure
    assert found(out, "LIN002", VEST) == [] and found(out, "LIN001", VEST) == []
    assert found(out, "CSP001", VEST) == []


# -- LIN003-LIN006: gaps, overlaps, areas that vanish, cycles -------------------------------------


def _pair(pred_end, succ_start, rel_start=VEST):
    """Two CSPs, the second succeeding the first (a tiny file, not the mini force)."""
    from restructure.structure import Structure

    s = Structure("pair")
    s.add(Body(id="old-csp", name="Old CSP", kind="community_safety_partnership", end=pred_end))
    s.add(Body(id="new-csp", name="New CSP", kind="community_safety_partnership", start=succ_start))
    s.add(Relation(kind="succeeded_by", source="old-csp", target="new-csp", start=rel_start))
    return s


def test_lin003_gap_between_end_and_successor_start_gives_the_days():
    s = _pair(VEST, dt.date(2028, 10, 1))
    (f,) = found(s, "LIN003", dt.date(2028, 6, 1))
    assert f.message == "Old CSP ended on 2028-04-01, 183 days before its successor New CSP started on 2028-10-01"
    assert (f.severity.value, f.bodies) == ("warning", ("new-csp", "old-csp"))
    assert found(s, "LIN003", VEST - dt.timedelta(days=1)) == []  # not ended yet


def test_lin003_no_gap_on_the_same_day_or_with_a_shadow_period():
    assert found(_pair(VEST, VEST), "LIN003", SECOND_YEAR) == []
    assert found(_pair(VEST, dt.date(2027, 5, 6)), "LIN003", SECOND_YEAR) == []  # shadow authority first


def test_lin004_overlap_both_in_force():
    s = _pair(dt.date(2028, 7, 1), VEST)
    (f,) = found(s, "LIN004", VEST)
    assert f.message == "Old CSP stays in force until 2028-07-01, 91 days after its successor New CSP took over on 2028-04-01"
    assert f.severity.value == "warning"
    s = _pair(None, VEST)
    (f,) = found(s, "LIN004", VEST)
    assert f.message == "Old CSP has no end date, though New CSP succeeded it on 2028-04-01: both are in force"


def test_lin004_not_for_a_clean_handover_or_a_merge_into_an_existing_body(baseline):
    assert found(_pair(VEST, VEST), "LIN004", VEST) == []
    # MK: Safer MK's role passed to the long-standing MK Together on 2025-04-01
    assert found(baseline, "LIN004", ON) == [] and found(baseline, "LIN003", ON) == []


def test_lin005_area_ended_with_no_successor_and_no_parts():
    s = mini()
    rec = s.area("D3")
    s.replace(rec, rec.model_copy(update={"end": VEST}))
    (f,) = found(s, "LIN005", VEST)
    assert f.message == "Vale (D3) ended on 2028-04-01 with no successor area and no parts living on"
    assert (f.severity.value, f.areas) == ("error", ("D3",))
    assert found(s, "LIN005", VEST - dt.timedelta(days=1)) == []


def test_lin005_not_when_parts_live_on_or_a_successor_is_recorded():
    from restructure.model import Area

    s = mini()
    s.add(Area(id="D3-north", name="Vale north", kind="part"))
    s.add(Relation(kind="within", source="D3-north", target="D3", end=VEST))
    s.add(Relation(kind="within", source="D3-north", target="D2", start=VEST))
    rec = s.area("D3")
    s.replace(rec, rec.model_copy(update={"end": VEST}))
    assert found(s, "LIN005", VEST) == []  # its part lives on inside South
    t = mini()
    rec = t.area("D3")
    t.replace(rec, rec.model_copy(update={"end": VEST}))
    t.add(Relation(kind="succeeded_by", source="D3", target="D2", start=VEST))
    assert found(t, "LIN005", VEST) == []


def test_lin005_reorganisations_leave_no_area_behind():
    from conftest import SCENARIOS
    from restructure.apply import run_scenario

    for name in ("one-unitary", "two-unitaries", "three-unitaries"):
        s = run_scenario(SCENARIOS / "oxfordshire" / f"{name}.yaml").structure
        assert found(s, "LIN005", dt.date(2030, 1, 1)) == [], name


def test_lin006_cycle_built_in_code():
    s = _pair(VEST, VEST)
    assert found(s, "LIN006", VEST) == []
    s.add(Relation(kind="succeeded_by", source="new-csp", target="old-csp", start=VEST))
    (f,) = found(s, "LIN006", VEST)
    assert f.message == "lineage goes round in a circle: new-csp -> old-csp -> new-csp"
    assert (f.severity.value, f.bodies) == ("error", ("new-csp", "old-csp"))


def test_new_lineage_rules_explain_themselves():
    from restructure.checks import explain

    for code, basis in (("LIN003", "Structural Changes"), ("LIN004", "s.5"), ("LIN005", "Code History"), ("LIN006", "cycle")):
        assert basis in explain(code), code
