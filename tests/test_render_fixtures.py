"""Small inline structures for the render tests: two local areas, before and after a merger."""

from __future__ import annotations

import datetime as dt

from restructure.structure import Structure

ON = dt.date(2026, 11, 25)
AFTER_ON = dt.date(2028, 4, 1)

SMALL = """
name: Small valley
areas:
  - {id: PFA, name: Small Valley police area, kind: police_force_area}
  - {id: U1, name: Riverton, kind: unitary, parent: PFA}
  - {id: C1, name: Hillshire, kind: county, parent: PFA}
  - {id: D1, name: North Hills, kind: district, parent: C1}
  - {id: D2, name: South Hills, kind: district, parent: C1}
bodies:
  - {id: pcc, name: Office of the PCC, kind: pcc_office, tier: oversight}
  - {id: board, name: Strategy Board, kind: strategy_board, tier: strategic}
  - {id: riverton-csp, name: Riverton CSP, kind: community_safety_partnership, tier: local}
  - {id: north-csp, name: North Hills CSP, kind: community_safety_partnership, tier: local}
  - {id: south-csp, name: South Hills CSP, kind: community_safety_partnership, tier: local}
  - {id: riverton-panel, name: Riverton Prevention Panel, kind: prevention_partnership, tier: operational}
  - {id: riverton-council, name: Riverton Council, kind: unitary_council}
  - {id: hill-cc, name: Hillshire County Council, kind: county_council}
  - {id: police, name: Valley Police, kind: police_force, duties: [serious_violence_duty]}
relations:
  - {kind: covers, source: riverton-csp, target: U1}
  - {kind: covers, source: north-csp, target: D1}
  - {kind: covers, source: south-csp, target: D2}
  - {kind: discharges, source: riverton-csp, target: U1}
  - {kind: serves, source: riverton-council, target: U1}
  - {kind: serves, source: hill-cc, target: C1}
  - {kind: serves, source: police, target: PFA}
  - {kind: member_of, source: riverton-council, target: riverton-csp, role: statutory}
  - {kind: member_of, source: hill-cc, target: north-csp, role: statutory}
  - {kind: member_of, source: hill-cc, target: south-csp, role: co-opted}
  - {kind: member_of, source: police, target: riverton-csp, role: statutory}
  - {kind: member_of, source: police, target: north-csp, role: statutory}
  - {kind: seat, source: riverton-csp, target: board, area: U1, role: representative}
  - {kind: seat, source: north-csp, target: board, area: C1, role: representative}
  - {kind: seat, source: police, target: board, role: duty_holder}
  - {kind: accountable_to, source: board, target: pcc}
  - {kind: accountable_to, source: riverton-panel, target: riverton-csp}
  - {kind: serves, source: riverton-panel, target: U1}
"""


def small() -> Structure:
    """Two local areas: a unitary with one CSP, a county with two district CSPs."""
    return Structure.from_yaml(SMALL, "small.yaml")


def merged() -> Structure:
    """The small structure after North and South Hills CSPs merge into Hillshire CSP on 2028-04-01.

    Written by hand (not by a scenario) so these tests do not depend on the scenario engine.
    """
    from restructure.model import Body, Relation

    s = small()
    when = AFTER_ON
    for old in ("north-csp", "south-csp"):
        rec = s.body(old)
        for rel in list(s.relations(source=old)) + list(s.relations(target=old)):
            s.replace(rel, rel.model_copy(update={"end": when}))
        s.replace(rec, rec.model_copy(update={"end": when}))
    s.add(Body(id="hill-csp", name="Hillshire CSP", kind="community_safety_partnership", tier="local",
               start=when))
    for rel in (
        Relation(kind="covers", source="hill-csp", target="D1", start=when),
        Relation(kind="covers", source="hill-csp", target="D2", start=when),
        Relation(kind="member_of", source="hill-cc", target="hill-csp", role="statutory", start=when),
        Relation(kind="seat", source="hill-csp", target="board", area="C1", role="representative", start=when),
        Relation(kind="succeeded_by", source="north-csp", target="hill-csp", start=when),
        Relation(kind="succeeded_by", source="south-csp", target="hill-csp", start=when),
    ):
        s.add(rel)
    s.name = "Small valley, merged CSPs"
    return s


def with_names(*names: str) -> Structure:
    """The small structure with extra agencies serving Riverton, named as given (escaping tests)."""
    from restructure.model import Body, Relation

    s = small()
    for i, n in enumerate(names):
        s.add(Body(id=f"odd-{i}", name=n, kind="other"))
        s.add(Relation(kind="serves", source=f"odd-{i}", target="U1"))
        s.add(Relation(kind="member_of", source=f"odd-{i}", target="riverton-csp", role="co-opted"))
    return s
