"""DRF001: what a register still holds as drafts to confirm."""

from __future__ import annotations

import datetime as dt

from restructure.checks import RULES, run_state
from restructure.structure import Structure

ON = dt.date(2026, 12, 2)

TEXT = """
areas: [{id: U1, name: Town, kind: unitary}]
bodies:
  - {id: board, name: Town Board, kind: strategy_board}
  - {id: town-csp, name: Town CSP, kind: community_safety_partnership,
     note: "Draft: confirm the partnership's name. Made from ONS.",
     strategies: [{title: Town SV Strategy, start: 2024-01-31}]}
  - {id: town-yjs, name: Town YJS, kind: youth_justice_service, note: "Confirmed: council site."}
  - {id: old-icb, name: Old ICB, kind: integrated_care_board, note: "draft: replace it.", end: 2026-04-01}
relations:
  - {kind: covers, source: town-csp, target: U1}
  - {kind: discharges, source: town-csp, target: U1}
  - {kind: seat, source: town-csp, target: board, area: U1, note: "Draft: the seat for Town."}
"""


def drafts(s, on=ON):
    return [f for f in run_state(s, on) if f.code == "DRF001"]


def test_drf001_lists_draft_bodies_and_seats_in_force():
    found = drafts(Structure.from_yaml(TEXT))
    assert [f.message for f in found] == [
        "1 seat on Town Board is a draft: for Town (U1)",
        "Town CSP (town-csp) is a draft: confirm the partnership's name",
    ]
    assert {f.severity.value for f in found} == {"info"}
    assert found[1].bodies == ("town-csp",)


def test_drf001_confirming_a_record_removes_its_finding():
    text = TEXT.replace("Draft: confirm the partnership's name. Made from ONS.", "Confirmed from the council's site.")
    text = text.replace('note: "Draft: the seat for Town."', 'note: "Confirmed."')
    assert drafts(Structure.from_yaml(text)) == []


def test_drf001_reads_records_in_force_on_the_date():
    found = drafts(Structure.from_yaml(TEXT), on=dt.date(2026, 3, 1))
    assert "Old ICB (old-icb) is a draft: replace it" in [f.message for f in found]


def test_drf001_is_info_and_explained():
    assert RULES["DRF001"].severity.value == "info"
    assert "Draft:" in RULES["DRF001"].explanation()
