"""`restructure show`: summaries by tier, area and body, on a date."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import BASELINE
from restructure.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_summary_by_tier_and_area():
    r = run("show", str(BASELINE), "--as-of", "2026-11-25")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == "Thames Valley baseline, on 2026-11-25: 15 areas, 56 bodies, 216 relations"
    assert "Local areas (9) and their Strategy Board seats" in r.output
    assert "Districts and unitaries (13)" in r.output
    assert "NO SEAT" not in r.output and "NONE" not in r.output


def test_area_answers_both_questions_for_oxfordshire():
    r = run("show", str(BASELINE), "--area", "E07000177", "--as-of", "2026-11-25")
    assert r.exit_code == 0, r.output
    assert "CSP covering it: Cherwell Safer Communities Partnership (cherwell-csp)" in r.output
    assert "Serious Violence Duty discharged by: Safer Oxfordshire Partnership (safer-oxfordshire)" in r.output


def test_body_on_an_earlier_date():
    before = run("show", str(BASELINE), "--body", "tv-vpp-board", "--as-of", "2026-03-31", "--format", "json")
    after = run("show", str(BASELINE), "--body", "tv-vpp-board", "--as-of", "2026-04-01", "--format", "json")
    icbs = lambda r: sorted(m["id"] for m in json.loads(r.output)["members"] if m["id"].endswith("-icb"))  # noqa: E731
    assert icbs(before) == ["blmk-icb", "bob-icb", "frimley-icb"]
    assert icbs(after) == ["central-east-icb", "thames-valley-icb"]


def test_unknown_body_suggests():
    r = run("show", str(BASELINE), "--body", "cherwel-csp")
    assert r.exit_code == 1
    assert r.output.strip() == "Error: unknown body 'cherwel-csp'. Did you mean 'cherwell-csp'?"


def test_bad_date_is_a_usage_error():
    r = run("show", str(BASELINE), "--as-of", "31/03/2026")
    assert r.exit_code == 2
    assert "'31/03/2026' is not a date: write it as YYYY-MM-DD" in r.output


def test_area_and_body_together_are_refused():
    r = run("show", str(BASELINE), "--area", "E07000177", "--body", "cherwell-csp")
    assert r.exit_code == 2


def test_a_scenario_file_stands_for_its_result():
    from conftest import SCENARIOS

    two = str(SCENARIOS / "oxfordshire" / "two-unitaries.yaml")
    r = run("show", two, "--area", "ridgeway", "--as-of", "2028-11-01")
    assert r.exit_code == 0, r.output
    assert "CSP covering it: Ridgeway Community Safety Partnership (ridgeway-csp)" in r.output
    # before vesting the area does not exist yet
    r = run("show", two, "--area", "ridgeway", "--as-of", "2028-03-31")
    assert r.exit_code == 0 and "CSP covering it: none" in r.output


def test_a_body_not_in_force_on_the_date_says_so():
    r = run("show", str(BASELINE), "--body", "safer-mk", "--as-of", "2026-11-25")
    assert r.exit_code == 0
    assert r.output.splitlines()[1] == "  NOT IN FORCE on 2026-11-25: what follows is in force that day, if anything"
    r = run("show", str(BASELINE), "--body", "safer-mk", "--as-of", "2025-01-01")
    assert "NOT IN FORCE" not in r.output and "covers: Milton Keynes (E06000042)" in r.output


def _chain_file(tmp_path):
    """A three-step chain written as a scenario on the baseline: Cherwell CSP -> northern CSP -> county CSP."""
    path = tmp_path / "chain.yaml"
    path.write_text(f"""
name: CSPs merge in two steps
base: {BASELINE}
phases:
  - name: northern CSP
    date: 2028-10-01
    operations:
      - op: merge
        bodies: [cherwell-csp, west-oxfordshire-csp]
        into: northern-csp
        new: {{id: northern-csp, name: Northern Oxfordshire CSP, kind: community_safety_partnership}}
  - name: county CSP
    date: 2029-04-01
    operations:
      - op: merge
        bodies: [northern-csp, oxford-csp, south-and-vale-csp]
        into: oxfordshire-csp
        new: {{id: oxfordshire-csp, name: Oxfordshire CSP, kind: community_safety_partnership}}
""", encoding="utf-8")
    return str(path)


def test_a_body_not_in_force_shows_its_chain_and_live_successor(tmp_path):
    r = run("show", _chain_file(tmp_path), "--body", "cherwell-csp", "--as-of", "2030-01-01")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[1] == "  NOT IN FORCE on 2030-01-01: what follows is in force that day, if anything"
    assert lines[2] == (
        "  lineage: Cherwell Safer Communities Partnership (cherwell-csp) -> Northern Oxfordshire CSP (northern-csp)"
        " from 2028-10-01 -> Oxfordshire CSP (oxfordshire-csp) from 2029-04-01"
    )
    assert lines[3] == "  in force on 2030-01-01 in its place: Oxfordshire CSP (oxfordshire-csp)"


def test_the_chain_in_json(tmp_path):
    r = run("show", _chain_file(tmp_path), "--body", "cherwell-csp", "--as-of", "2030-01-01", "--format", "json")
    d = json.loads(r.output)
    assert d["live_successors"] == [{"id": "oxfordshire-csp", "name": "Oxfordshire CSP"}]
    assert [[(x["from"]["id"], x["to"]["id"], x["date"]) for x in chain] for chain in d["chains"]] == [
        [("cherwell-csp", "northern-csp", "2028-10-01"), ("northern-csp", "oxfordshire-csp", "2029-04-01")]
    ]
    r = run("show", _chain_file(tmp_path), "--body", "cherwell-csp", "--as-of", "2027-01-01", "--format", "json")
    assert json.loads(r.output)["live_successors"] == []  # in force: nothing in its place


def test_an_abolished_area_shows_its_successor_areas():
    from conftest import SCENARIOS

    r = run("show", str(SCENARIOS / "oxfordshire" / "two-unitaries.yaml"), "--area", "E10000025", "--as-of", "2029-01-01")
    assert r.exit_code == 0, r.output
    assert "  NOT IN FORCE on 2029-01-01" in r.output
    assert "  lineage: Oxfordshire (E10000025) -> Oxford and Shires (oxford-and-shires) from 2028-04-01" in r.output
    assert "  in force on 2029-01-01 in its place: Oxford and Shires (oxford-and-shires), Ridgeway (ridgeway)" in r.output
    r = run("show", str(SCENARIOS / "oxfordshire" / "two-unitaries.yaml"), "--area", "E10000025", "--as-of", "2029-01-01",
            "--format", "json")
    assert [a["id"] for a in json.loads(r.output)["live_successors"]] == ["oxford-and-shires", "ridgeway"]


def test_area_of_a_new_unitary_lists_agencies_serving_part_of_it(tmp_path):
    from conftest import SCENARIOS

    two = SCENARIOS / "oxfordshire" / "two-unitaries.yaml"
    r = run("show", str(two), "--area", "ridgeway", "--as-of", "2028-10-01", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    part = sorted(b["id"] for b in d["duty_holders"] if b["whole"] is False)
    assert part == ["oxfordshire-fire", "oxfordshire-yjs", "royal-berkshire-fire", "west-berkshire-yjs"]
    assert all(b["part"] is not b["whole"] for b in d["duty_holders"] + d["councils"] + d["serving"])
    assert [b["id"] for b in d["councils"]] == ["ridgeway-council"]
    text = run("show", str(two), "--area", "ridgeway", "--as-of", "2028-10-01").output
    assert "Royal Berkshire Fire Authority (royal-berkshire-fire) for part of it" in text
    assert "NHS Thames Valley ICB (thames-valley-icb)," in text  # all three parts: the whole


def test_area_and_body_by_name_in_any_case():
    by_id = run("show", str(BASELINE), "--area", "E07000177", "--as-of", "2026-11-25")
    by_name = run("show", str(BASELINE), "--area", "cherwell", "--as-of", "2026-11-25")
    assert by_name.exit_code == 0, by_name.output
    assert by_name.output == by_id.output
    body = run("show", str(BASELINE), "--body", "SAFER OXFORDSHIRE PARTNERSHIP", "--as-of", "2026-11-25")
    assert body.exit_code == 0, body.output
    assert body.output.startswith("Safer Oxfordshire Partnership (safer-oxfordshire), county partnership")


def test_area_miss_suggests_the_closest_id_or_name():
    r = run("show", str(BASELINE), "--area", "Cherwel")
    assert r.exit_code == 1
    assert r.output == "Error: unknown area 'Cherwel'. Did you mean 'Cherwell'?\n"
    r = run("show", str(BASELINE), "--body", "readng-csp")
    assert r.output == "Error: unknown body 'readng-csp'. Did you mean 'reading-csp'?\n"


def test_ambiguous_area_name_lists_the_ids(tmp_path):
    from restructure.model import Area, AreaKind
    from restructure.structure import Structure

    s = Structure.load(BASELINE)
    s.add(Area(id="E05999991", name="Cherwell", kind=AreaKind.part))
    path = tmp_path / "two.yaml"
    s.save(path)
    r = run("show", str(path), "--area", "CHERWELL")
    assert r.exit_code == 1
    assert r.output == "Error: 2 areas are named 'CHERWELL': E05999991, E07000177. Give the area's id instead.\n"


def test_a_scenario_is_titled_with_its_own_name():
    from conftest import SCENARIOS

    r = run("show", str(SCENARIOS / "oxfordshire" / "two-unitaries.yaml"), "--as-of", "2028-05-01")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0].startswith(
        "Oxfordshire and West Berkshire as two unitaries (Oxford and Shires, Ridgeway) "
        "(applied to Thames Valley baseline), on 2028-05-01: "
    )
