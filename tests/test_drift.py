"""Drift: the register against the public lookups, on what both know (drift.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from restructure import data
from restructure.drift import drift, render_csv, render_json, render_markdown, render_text
from restructure.errors import ImportFailed, ValidationFailed
from restructure.model import Relation

ON = dt.date(2026, 11, 25)


def drifted(baseline):
    """The baseline with Oxford taken out of Oxfordshire and Cherwell's council renamed."""
    s = baseline.copy()
    (rel,) = s.relations("within", source="E07000178")
    s.remove(rel)
    s.add(Relation(kind="within", source="E07000178", target="E23000029"))
    rec = s.body("cherwell-dc")
    s.replace(rec, rec.model_copy(update={"name": "North Oxfordshire Council"}))
    return s


def test_the_baseline_agrees_with_ons_2023(baseline):
    found = drift(baseline, ON)
    assert found.disagreements == ()
    assert found.compared == {"units": 13, "counties": 1, "councils": 14}
    assert found.sources == ("LAD23_CSP23_PFA23_EW_LU.csv", "LAD21_CTY21_EN_LU.csv", "uk_local_authorities_future.csv")


def test_a_reparented_district_and_a_renamed_council_are_exactly_two(baseline):
    found = drift(drifted(baseline), ON)
    assert [(d.code, d.record, d.field) for d in found.disagreements] == [
        ("E07000177", "council", "name"),
        ("E07000178", "unit", "county"),
    ]
    assert [d.message for d in found.disagreements] == [
        "North Oxfordshire Council (E07000177): register says named 'North Oxfordshire Council', "
        "mySociety says 'Cherwell District Council'",
        "Oxford (E07000178): register says not within a county, ONS says within Oxfordshire (E10000025)",
    ]


def test_a_change_of_style_is_not_drift(baseline):
    # Milton Keynes City Council (city status 2022) against mySociety's "Milton Keynes Council"
    assert baseline.body("milton-keynes-city-council").name == "Milton Keynes City Council"
    s = baseline.copy()
    rec = s.body("reading-bc")
    s.replace(rec, rec.model_copy(update={"name": "Reading City Council"}))
    assert drift(s, ON).disagreements == ()


def test_unit_name_and_kind(baseline):
    s = baseline.copy()
    rec = s.area("E06000038")
    s.replace(rec, type(rec).model_validate({**rec.model_dump(), "name": "Reading Borough", "kind": "district"}))
    msgs = [d.message for d in drift(s, ON).disagreements]
    assert msgs == [
        "Reading Borough (E06000038): register says a district, ONS says a unitary",
        "Reading Borough (E06000038): register says named 'Reading Borough', ONS says 'Reading'",
    ]


def test_partnerships_and_statistical_areas_are_not_drift(baseline):
    from restructure.model import Area, Body

    s = baseline.copy()
    s.add(Body(id="extra-csp", name="Extra CSP", kind="community_safety_partnership"))
    s.add(Area(id="E22000999", name="A statistical CSP area", kind="statistical"))
    s.add(Relation(kind="within", source="E22000999", target="E23000029"))
    assert drift(s, ON).disagreements == ()


def test_an_older_lookup_sees_buckinghamshire_before_its_unitary(baseline):
    found = drift(baseline, ON, ons=data.path("ons/LAD17_CSP17_PFA17_EW_LU.csv"))
    assert [(d.code, d.field) for d in found.disagreements] == [
        ("E06000060", "presence"), ("E07000004", "presence"), ("E07000005", "presence"),
        ("E07000006", "presence"), ("E07000007", "presence"),
    ]
    assert found.disagreements[0].message == (
        "Buckinghamshire (E06000060): the register has it as a unitary in force on 2026-11-25; "
        "ONS (LAD17_CSP17_PFA17_EW_LU.csv) does not list it"
    )
    assert found.disagreements[1].message == (
        "Aylesbury Vale (E07000004): ONS lists it in Thames Valley (E23000029); the register has no district "
        "or unitary with that code in force on 2026-11-25"
    )


def test_a_scenario_result_reports_the_new_unitaries(two_unitaries_result):
    found = drift(two_unitaries_result, dt.date(2029, 1, 1))
    fields = {(d.code, d.record, d.field) for d in found.disagreements}
    assert ("ridgeway", "unit", "presence") in fields and ("E10000025", "county", "presence") in fields
    assert ("E07000177", "council", "presence") in fields


@pytest.fixture(scope="module")
def two_unitaries_result():
    from conftest import SCENARIOS
    from restructure.apply import run_scenario

    return run_scenario(SCENARIOS / "oxfordshire" / "two-unitaries.yaml").structure


@pytest.mark.parametrize(
    ("option", "path", "needs"),
    [
        ("ons", "mysociety/uk_local_authorities_future.csv", "LADyyCD, LADyyNM, PFAyyCD, PFAyyNM"),
        ("councils", "ons/LAD23_CSP23_PFA23_EW_LU.csv", "gss-code, official-name, nice-name, alt-names"),
        ("counties", "ons/LAD19_FRA19_EW_LU.csv", "LADyyCD, CTYyyCD, CTYyyNM"),
    ],
)
def test_a_lookup_of_the_wrong_kind_names_the_columns_it_needs(baseline, option, path, needs):
    with pytest.raises(ImportFailed, match=f"drift needs the columns {needs}") as info:
        drift(baseline, ON, **{option: data.path(path)})
    assert f"with --{option}" in info.value.message()


def test_a_register_without_a_police_force_area_says_so():
    from restructure.structure import Structure

    with pytest.raises(ValidationFailed, match="no police force area in force on 2026-11-25"):
        drift(Structure("empty"), ON)


def test_renderings(baseline):
    found = drift(drifted(baseline), ON)
    text = render_text(found)
    assert text.splitlines()[1] == "2 disagreements:"
    assert render_text(drift(baseline, ON)).splitlines()[1].startswith("No drift:")
    md = render_markdown(found)
    assert "| E07000178 | Oxford | unit | county | none | Oxfordshire (E10000025) | ONS |" in md
    assert json.loads(render_json(found))["disagreements"][1]["field"] == "county"
    raw = render_csv(found)
    assert raw.startswith("\ufeffcode,name,record,field,register,public,source,message\r\n")
    rows = list(csv.DictReader(io.StringIO(raw[1:], newline="")))
    assert [r["code"] for r in rows] == ["E07000177", "E07000178"]
    assert rows[0]["message"].startswith("North Oxfordshire Council (E07000177): register says named")


UNITS = ["E06000036", "E06000037", "E06000038", "E06000039", "E06000040", "E06000041", "E06000042",
         "E06000060", "E07000177", "E07000178", "E07000179", "E07000180", "E07000181"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sets(st.sampled_from(UNITS)), st.sets(st.sampled_from(UNITS)))
def test_exactly_the_changed_units_and_councils_drift(baseline, renamed_units, renamed_councils):
    """Renaming any units (and, separately, their councils' place) reports exactly those, nothing else."""
    s = baseline.copy()
    for code in renamed_units:
        rec = s.area(code)
        s.replace(rec, rec.model_copy(update={"name": rec.name + " Vale"}))
    councils = {b.gss: b for b in s.bodies() if b.gss}
    for code in renamed_councils:
        rec = councils[code]
        s.replace(rec, rec.model_copy(update={"name": "Newplace Council"}))
    got = {(d.code, d.record, d.field) for d in drift(s, ON).disagreements}
    assert got == {(c, "unit", "name") for c in renamed_units} | {(c, "council", "name") for c in renamed_councils}


def test_a_unit_outside_any_police_force_area(baseline):
    s = baseline.copy()
    (rel,) = s.relations("within", source="E06000038")
    s.remove(rel)
    (d,) = drift(s, ON).disagreements
    assert d.message == "Reading (E06000038): register says in no police force area, ONS says in Thames Valley (E23000029)"
    assert (d.field, d.register, d.public) == ("police force area", "none", "Thames Valley (E23000029)")
