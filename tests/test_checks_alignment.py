"""Alignment rules: Prevention Partnerships per upper-tier area; coterminosity (ALN00x)."""

from __future__ import annotations

from mini import found, mini
from restructure.model import Area, Body, Relation


def pp(s, *areas, id_="pp"):
    s.add(Body(id=id_, name="Prevention Partnership", kind="prevention_partnership"))
    for a in areas:
        s.add(Relation(kind="serves", source=id_, target=a))


def test_aln001_aligned_to_one_upper_tier_area():
    s = mini()
    pp(s, "C1")
    assert found(s, "ALN001") == []
    s2 = mini()
    pp(s2, "D1", "D2", "D3")  # every district of the county: the whole county
    assert found(s2, "ALN001") == []


def test_aln001_spans_two_areas():
    s = mini()
    pp(s, "C1", "U1")
    (f,) = found(s, "ALN001")
    assert f.message == "Prevention Partnership spans 2 upper-tier areas: Shire (C1) and Town (U1)"
    assert f.severity.value == "warning"


def test_aln001_force_wide_spans_all():
    s = mini()
    pp(s, "P1")
    (f,) = found(s, "ALN001")
    assert f.areas == ("C1", "U1")


def test_aln001_part_of_an_area():
    s = mini()
    pp(s, "D1")
    (f,) = found(s, "ALN001")
    assert f.message == "Prevention Partnership covers only part of Shire (C1)"


def test_aln001_serves_no_area():
    s = mini()
    pp(s)
    (f,) = found(s, "ALN001")
    assert f.message == "Prevention Partnership serves no area"


def test_aln002_straddles_two_fire_authorities():
    s = mini()
    s.add(Body(id="fire-a", name="Fire A", kind="fire_and_rescue_authority"))
    s.add(Body(id="fire-b", name="Fire B", kind="fire_and_rescue_authority"))
    s.add(Relation(kind="serves", source="fire-a", target="D1"))
    s.add(Relation(kind="serves", source="fire-a", target="D2"))
    assert found(s, "ALN002") == []  # Vale (D3) has no fire authority on record: one is not two
    s.add(Relation(kind="serves", source="fire-b", target="D3"))
    msgs = [f.message for f in found(s, "ALN002")]
    assert msgs == [
        "Safer Shire straddles 2 fire and rescue authorities: Fire A and Fire B",
        "South and Vale CSP straddles 2 fire and rescue authorities: Fire A and Fire B",
    ]
    assert {f.severity.value for f in found(s, "ALN002")} == {"warning"}


def test_aln002_straddles_two_icbs_and_police_force_areas():
    s = mini()
    s.add(Area(id="P2", name="Other Force", kind="police_force_area"))
    s.add(Area(id="U7", name="Border Town", kind="unitary"))
    s.add(Relation(kind="within", source="U7", target="P2"))
    for icb, area in (("icb-a", "U1"), ("icb-b", "U7")):
        s.add(Body(id=icb, name=icb.upper(), kind="integrated_care_board"))
        s.add(Relation(kind="serves", source=icb, target=area))
    s.add(Relation(kind="covers", source="town-csp", target="U7"))
    msgs = sorted(f.message for f in found(s, "ALN002"))
    assert msgs == [
        "Town CSP straddles 2 integrated care boards: ICB-A and ICB-B",
        "Town CSP straddles 2 police force areas: Mini Force (P1) and Other Force (P2)",
    ]


def test_aln002_strategy_board_is_exempt():
    s = mini()
    s.add(Area(id="P2", name="Other Force", kind="police_force_area"))
    s.add(Relation(kind="serves", source="board", target="P1"))
    s.add(Relation(kind="serves", source="board", target="P2"))
    assert found(s, "ALN002") == []
