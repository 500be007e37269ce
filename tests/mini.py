"""A tiny two-tier police force area for pure tests (not real data)."""

MINI = """
name: mini force
areas:
  - {id: P1, name: Mini Force, kind: police_force_area}
  - {id: C1, name: Shire, kind: county, parent: P1}
  - {id: D1, name: North, kind: district, parent: C1}
  - {id: D2, name: South, kind: district, parent: C1}
  - {id: D3, name: Vale, kind: district, parent: C1}
  - {id: U1, name: Town, kind: unitary, parent: P1}
bodies:
  - {id: pcc, name: PCC office, kind: pcc_office, tier: oversight}
  - {id: board, name: Strategy Board, kind: strategy_board, tier: strategic}
  - {id: shire-partnership, name: Safer Shire, kind: county_partnership, tier: local,
     strategies: [{title: Shire SV Strategy, start: 2024-01-31}]}
  - {id: north-csp, name: North CSP, kind: community_safety_partnership, tier: local}
  - {id: south-vale-csp, name: South and Vale CSP, kind: community_safety_partnership, tier: local}
  - {id: town-csp, name: Town CSP, kind: community_safety_partnership, tier: local,
     strategies: [{title: Town SV Strategy, start: 2024-01-31}]}
  - {id: shire-cc, name: Shire County Council, kind: county_council, duties: [serious_violence_duty]}
  - {id: north-dc, name: North DC, kind: district_council, duties: [serious_violence_duty]}
  - {id: south-dc, name: South DC, kind: district_council, duties: [serious_violence_duty]}
  - {id: vale-dc, name: Vale DC, kind: district_council, duties: [serious_violence_duty]}
  - {id: town-council, name: Town Council, kind: unitary_council, duties: [serious_violence_duty]}
  - {id: police, name: Mini Police, kind: police_force, duties: [serious_violence_duty]}
relations:
  - {kind: covers, source: north-csp, target: D1}
  - {kind: covers, source: south-vale-csp, target: D2}
  - {kind: covers, source: south-vale-csp, target: D3}
  - {kind: covers, source: town-csp, target: U1}
  - {kind: discharges, source: shire-partnership, target: C1}
  - {kind: discharges, source: town-csp, target: U1}
  - {kind: serves, source: shire-cc, target: C1}
  - {kind: serves, source: north-dc, target: D1}
  - {kind: serves, source: south-dc, target: D2}
  - {kind: serves, source: vale-dc, target: D3}
  - {kind: serves, source: town-council, target: U1}
  - {kind: serves, source: police, target: P1}
  - {kind: member_of, source: north-dc, target: north-csp, role: statutory}
  - {kind: member_of, source: shire-cc, target: north-csp, role: statutory}
  - {kind: member_of, source: south-dc, target: south-vale-csp, role: statutory}
  - {kind: member_of, source: vale-dc, target: south-vale-csp, role: statutory}
  - {kind: member_of, source: shire-cc, target: south-vale-csp, role: statutory}
  - {kind: member_of, source: police, target: north-csp, role: statutory}
  - {kind: member_of, source: police, target: south-vale-csp, role: statutory}
  - {kind: member_of, source: police, target: town-csp, role: statutory}
  - {kind: member_of, source: town-council, target: town-csp, role: statutory}
  - {kind: member_of, source: shire-cc, target: shire-partnership, role: statutory}
  - {kind: accountable_to, source: north-csp, target: shire-partnership}
  - {kind: accountable_to, source: south-vale-csp, target: shire-partnership}
  - {kind: accountable_to, source: board, target: pcc}
  - {kind: seat, source: shire-partnership, target: board, area: C1, role: representative}
  - {kind: seat, source: town-csp, target: board, area: U1, role: representative}
  - {kind: seat, source: police, target: board, role: duty_holder}
"""


def mini():
    from restructure.structure import Structure

    return Structure.from_yaml(MINI, "mini.yaml")


ON = __import__("datetime").date(2026, 11, 25)
"""The date the rule tests check on."""


def found(s, code, on=ON):
    """The findings of one rule on a structure (state rules, one date)."""
    from restructure.checks import run_state

    return [f for f in run_state(s, on) if f.code == code]


def drop(s, kind, source, target):
    """Remove the one relation of a kind between two records (edits ``s`` in place)."""
    (rel,) = [r for r in s.relations(kind, source=source) if r.target == target]
    s.remove(rel)
