"""The draft register for any police force area (restructure.io.register)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from restructure import data
from restructure.checks import check_structure
from restructure.errors import ImportFailed
from restructure.io.register import COUNCILS, FIRE, LOOKUP, new_area, police_force_areas
from restructure.model import is_draft
from restructure.structure import Structure

FORCES = police_force_areas()
TODAY = dt.date(2026, 12, 2)


def test_every_force_of_england_and_wales():
    assert len(FORCES) == 43
    assert ("W15000004", "Dyfed-Powys") in FORCES


@pytest.mark.parametrize("code", [c for c, _ in FORCES], ids=[n for _, n in FORCES])
def test_register_validates_and_checks_with_no_error(code):
    s = new_area(code)
    again = Structure.from_yaml(s.to_yaml())  # validates, and reads back the same
    assert again == s
    report = check_structure(s, today=TODAY)
    assert report.counts["error"] == 0, [f.message for f in report.findings if f.severity.value == "error"]
    assert report.counts["warning"] == 0, [f.message for f in report.findings if f.severity.value == "warning"]
    # one CSP, one Duty partnership, one fire and rescue authority and a seat for every place
    for unit in s.units():
        assert len(s.covering(unit.id)) == 1
        assert len([b for b in s.serving(unit.id) if b.kind == "fire_and_rescue_authority"]) == 1
    for area in s.local_areas():
        assert len(s.seat_holders(area.id)) == 1
    # every draft shows in the check, and only drafts do
    drafts = {b.id for b in s.bodies() if is_draft(b)}
    listed = {b for f in report.findings if f.code == "DRF001" for b in f.bodies} - {b.id for b in s.bodies(kind="strategy_board") if not is_draft(b)}
    assert drafts <= listed
    assert {f.code for f in report.findings} == {"DRF001"}
    # and it agrees with the public lookups on everything both know
    from restructure.drift import drift

    assert drift(s, TODAY).disagreements == ()


def test_surrey():
    s = new_area("surrey")
    assert s.name == "Surrey draft register"
    assert [a.id for a in s.local_areas()] == ["E10000030"]
    assert len(s.units()) == 11
    assert s.body("surrey-county-council").name == "Surrey County Council"
    assert s.body("mole-valley-council").name == "Mole Valley District Council"  # mySociety's official name
    assert s.body("surrey-fire").gss == "E31000035"
    assert {b.id for b in s.bodies(kind="community_safety_partnership")} == {
        f"{n}-csp" for n in ("elmbridge", "epsom-and-ewell", "guildford", "mole-valley", "reigate-and-banstead",
                             "runnymede", "spelthorne", "surrey-heath", "tandridge", "waverley", "woking")
    }
    csp = s.body("tandridge-csp")
    assert csp.gss == "E22000287" and csp.attributes == {"ons_csp_codes": "E22000287"}
    assert csp.note.startswith("Draft: confirm the partnership's name")
    members = {b.id: role for b, role in s.members("tandridge-csp")}
    assert members == {
        "surrey-county-council": "statutory", "tandridge-council": "statutory", "surrey-police": "statutory",
        "surrey-fire": "statutory", "surrey-icb": "statutory", "surrey-probation": "statutory",
        "surrey-yjs": "co-opted",
    }
    # the county's seat: no one partnership covers the county, so the county council holds it, as a draft
    (seat,) = [r for r in s.seats("surrey-board") if r.area]
    assert seat.source == "surrey-county-council" and is_draft(seat)
    assert [r.target for r in s.relations("accountable_to", source="surrey-yjs")] == ["surrey-county-council"]
    assert set(s.sources) >= set(data.ATTRIBUTION)


def test_by_code_and_by_name_any_case_are_the_same():
    assert new_area("E23000031") == new_area("SURREY")


def test_labels_sharing_a_reorganised_council_are_one_partnership():
    s = new_area("Thames Valley")
    (csp,) = s.covering("E06000060")
    assert csp.id == "buckinghamshire-csp"
    assert csp.attributes["ons_csp_codes"] == "E22000303 E22000306 E22000311 E22000318"
    assert csp.gss is None
    # a county whose districts have their own CSPs: the county council holds the seat
    assert [b.id for b in s.seat_holders("E10000025")] == ["oxfordshire-county-council"]
    assert [b.id for b in s.seat_holders("E06000038")] == ["reading-csp"]


def test_councils_created_since_2019_take_their_predecessors_fire_authority():
    s = new_area("Thames Valley")
    (rel,) = [r for r in s.relations("serves", target="E06000060") if r.source.endswith("-fire")]
    assert rel.source == "buckinghamshire-and-milton-keynes-fire"
    assert rel.note == (
        "Buckinghamshire takes its predecessors' authority (E07000004, E07000005, E07000006, E07000007): "
        "created after the 2019 lookup (mySociety successions)."
    )
    north_yorks = new_area("North Yorkshire")
    assert [b.gss for b in north_yorks.serving("E06000065") if b.kind == "fire_and_rescue_authority"] == ["E31000027"]


def test_wales_has_a_health_board_placeholder():
    s = new_area("Gwent")
    (hb,) = s.bodies(kind="integrated_care_board")
    assert hb.name == "Local health board for Gwent (to confirm)" and is_draft(hb)


def test_unknown_force_names_the_nearest():
    with pytest.raises(ImportFailed, match=r"^no police force area 'Susrey' in England and Wales\. Did you mean 'Surrey' or 'Sussex'\?$"):
        new_area("Susrey")
    with pytest.raises(ImportFailed, match=r"Run `restructure new-area --list` for the names\.$"):
        new_area("Narnia")


def test_a_district_missing_from_the_fire_lookup_names_the_file_and_row(tmp_path):
    fire = tmp_path / "LAD19_FRA19_EW_LU.csv"
    lines = data.path(FIRE).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    fire.write_text("".join(x for x in lines if "E07000215" not in x), encoding="utf-8")
    councils = tmp_path / "uk_local_authorities_future.csv"
    rows = data.path(COUNCILS).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    councils.write_text("".join(r for r in rows if ",E07000215," not in r), encoding="utf-8")
    lookup_line = next(i for i, x in enumerate(data.path(LOOKUP).read_text(encoding="utf-8-sig").splitlines(), 1) if x.startswith("E07000215"))
    with pytest.raises(ImportFailed) as err:
        new_area("Surrey", fire=fire, councils=councils)
    assert str(err.value) == (
        f"{data.path(LOOKUP)}:{lookup_line}: district E07000215 (Tandridge) is not in LAD19_FRA19_EW_LU.csv, and "
        "uk_local_authorities_future.csv does not list it, so its fire and rescue authority is unknown. Report it: "
        "the bundled data is incomplete for this force; nothing was written."
    )


def test_a_new_council_whose_predecessors_are_missing_names_the_councils_row(tmp_path):
    fire = tmp_path / "LAD19_FRA19_EW_LU.csv"
    lines = data.path(FIRE).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    gone = tuple(f",E070001{n}," for n in range(63, 70))  # North Yorkshire's seven former districts
    fire.write_text("".join(x for x in lines if not any(g in x for g in gone)), encoding="utf-8")
    shutil.copy(data.path(COUNCILS), tmp_path / "councils.csv")
    with pytest.raises(ImportFailed, match=r"councils\.csv:\d+: district E06000065 \(North Yorkshire\) is not in "
                       r"LAD19_FRA19_EW_LU\.csv, and councils\.csv names no predecessor in it\. Report it"):
        new_area("North Yorkshire", fire=fire, councils=tmp_path / "councils.csv")


def test_a_surrey_scenario_runs_on_the_draft_register(tmp_path):
    from conftest import SCENARIOS
    from restructure.checks import check_scenario

    new_area("Surrey").save(tmp_path / "surrey.yaml")
    text = (SCENARIOS / "surrey" / "two-unitaries-2027.yaml").read_text(encoding="utf-8")
    (tmp_path / "option.yaml").write_text(text.replace("base: baseline.yaml", "base: surrey.yaml"), encoding="utf-8")
    report = check_scenario(str(tmp_path / "option.yaml"))
    codes = {f.code for f in report.findings}
    assert {"CSP003", "SVD003", "REP001", "TRN005", "DRF001"} <= codes
    (yjs,) = [f for f in report.findings if f.code == "TRN005"]
    assert yjs.bodies == ("east-surrey-council", "surrey-county-council", "surrey-yjs", "west-surrey-council")
