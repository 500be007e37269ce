"""Lineage rules: ended bodies are succeeded or lapse; successors cover what they took over (LIN00x)."""

from __future__ import annotations

import datetime as dt

from mini import ON, found, mini
from restructure.apply import apply
from restructure.model import Body, ChangeEvent, Relation
from restructure.operations import Dissolve, Merge

VEST = dt.date(2028, 4, 1)



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
