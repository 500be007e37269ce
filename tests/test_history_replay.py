"""Replay real reorganisations on the ONS 2017 structure and compare with the ONS 2023 lookup.

For each council the comparison takes its GSS code, its area's name, its council's name, the
police force area it lies in and which January 2017 districts it is made of.

The 2023 side is read from the ONS files alone: a council that existed in 2017 is made of itself;
a new one (a code not in the 2017 lookup) is made of the 2017 districts that no longer exist in
2023 and whose ONS CSP code it maps to. ONS's CSP codes are frozen since 2017, which is what makes
them a bridge between the two years. Where one CSP area spans districts that went to two new
councils (Dorset's, split between Bournemouth, Christchurch and Poole and Dorset), ONS alone cannot
say which district went where: those districts are checked to lie in one of the candidates and
every abolished district to lie in exactly one new council.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict

import pytest

from restructure.apply import run_scenario
from restructure.io.ons import import_ons
from restructure.io.successions import dump_scenario, import_successions
from restructure.model import AreaKind, in_force
from restructure.scenario import load_scenario

HISTORY = "scenarios/history"
AFTER = dt.date(2023, 12, 31)


@pytest.fixture(scope="module")
def data(data_dir):
    return data_dir


@pytest.fixture(scope="module")
def base2017(data):
    return import_ons(
        data / "ons" / "LAD17_CSP17_PFA17_EW_LU.csv", counties_path=data / "mysociety" / "uk_local_authorities_future.csv"
    )


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def expected2023(data):
    """Code -> (name, council name, PFA, candidate 2017 districts) from the two ONS lookups only."""
    old = _rows(data / "ons" / "LAD17_CSP17_PFA17_EW_LU.csv")
    new = _rows(data / "ons" / "LAD23_CSP23_PFA23_EW_LU.csv")
    lads17 = {r["LAD17CD"] for r in old}
    lads23 = {r["LAD23CD"] for r in new}
    in_csp17 = defaultdict(set)
    for r in old:
        in_csp17[r["CSP17CD"]].add(r["LAD17CD"])
    out = {}
    for r in new:
        code = r["LAD23CD"]
        if code in lads17:
            parts = {code}
        else:
            parts = set(out.get(code, (None, None, None, set()))[3])
            parts |= {d for d in in_csp17[r["CSP23CD"]] if d not in lads23}
        out[code] = (r["LAD23NM"], f"{r['LAD23NM']} Council", r["PFA23CD"], frozenset(parts))
    return out


def _councils(structure, on):
    """Code -> (name, council name, PFA, 2017 districts it is made of) for every unit in force."""
    out = {}
    for unit in structure.units(on):
        pfa = [a for a in structure.ancestors(unit.id, on) if structure.area(a).kind == AreaKind.police_force_area]
        parts = {
            d for d in structure.descendants(unit.id, on) if structure.area(d).kind in (AreaKind.district, AreaKind.unitary)
        }
        councils = [b for b in structure.bodies(on) if b.gss == unit.id and in_force(b, on)]
        assert len(councils) == 1, (unit.id, councils)
        out[unit.id] = (unit.name, councils[0].name, pfa[0] if len(pfa) == 1 else tuple(pfa), frozenset(parts or {unit.id}))
    return out


def _without_2017_only(parts, lads17):
    return frozenset(p for p in parts if p in lads17)


@pytest.mark.parametrize(
    "scenario, affected",
    [
        ("buckinghamshire-2020.yaml", ["E06000060"]),
        ("northamptonshire-2021.yaml", ["E06000061", "E06000062"]),
        ("suffolk-2019.yaml", ["E07000244", "E07000245"]),
    ],
)
def test_hand_written_scenario_matches_ons_2023(scenario, affected, base2017, expected2023):
    outcome = run_scenario(load_scenario(f"{HISTORY}/{scenario}"), base=base2017)
    got = _councils(outcome.structure, AFTER)
    lads17 = {a.id for a in base2017.units()}
    touched = set().union(*(expected2023[c][3] for c in affected))
    # every 2023 council over a touched 2017 district, on both sides
    want = {c: v for c, v in expected2023.items() if v[3] & touched}
    have = {c: (v[0], v[1], v[2], _without_2017_only(v[3], lads17)) for c, v in got.items() if v[3] & touched}
    assert sorted(want) == sorted(affected)
    diff = {c: (have.get(c), want.get(c)) for c in set(want) | set(have) if have.get(c) != want.get(c)}
    assert diff == {}
    # and nothing else changed: every other unit is as it was in 2017
    before = _councils(base2017, None)
    untouched = {c: v for c, v in got.items() if c not in affected}
    assert untouched == {c: v for c, v in before.items() if c not in touched}


def test_counties_after_the_replays(base2017):
    bucks = run_scenario(load_scenario(f"{HISTORY}/buckinghamshire-2020.yaml"), base=base2017).structure
    assert "E10000002" not in {a.id for a in bucks.areas(AFTER)}
    suffolk = run_scenario(load_scenario(f"{HISTORY}/suffolk-2019.yaml"), base=base2017).structure
    assert suffolk.parents("E07000244", AFTER)[0] == "E10000029"
    assert [b.id for b in suffolk.councils("E07000244", AFTER)] == ["east-suffolk-council", "suffolk-county-council"]


@pytest.fixture(scope="module")
def replayed(data, base2017, tmp_path_factory):
    table = data / "mysociety" / "uk_local_authorities_future.csv"
    scenario = import_successions(table, dt.date(2017, 1, 1), AFTER, structure=base2017)
    path = tmp_path_factory.mktemp("succ") / "successions-2017-2023.yaml"
    path.write_text(dump_scenario(scenario), encoding="utf-8")
    return run_scenario(load_scenario(path), base=base2017).structure


def test_successions_scenario_matches_ons_2023(replayed, base2017, expected2023):
    got = _councils(replayed, AFTER)
    lads17 = {a.id for a in base2017.units()}
    assert sorted(got) == sorted(expected2023)
    # names, council names and police force areas: exact, for all 318
    diff = {c: (got[c][:3], expected2023[c][:3]) for c in got if got[c][:3] != expected2023[c][:3]}
    assert diff == {}
    # 2017 districts: exact where ONS says it unambiguously
    claimed = defaultdict(set)
    for code, v in expected2023.items():
        for d in v[3]:
            claimed[d].add(code)
    ambiguous = {d for d, codes in claimed.items() if len(codes) > 1}
    assert ambiguous == {"E07000048", "E07000049", "E07000050", "E07000051", "E07000052", "E07000053"}  # Dorset CSP
    made_of = {c: _without_2017_only(v[3], lads17) for c, v in got.items()}
    for code, v in expected2023.items():
        assert made_of[code] - ambiguous == v[3] - ambiguous, code
        assert made_of[code] <= v[3], code
    # every 2017 district lies in exactly one 2023 council
    owners = defaultdict(list)
    for code, parts in made_of.items():
        for d in parts:
            owners[d].append(code)
    assert sorted(owners) == sorted(lads17)
    assert all(len(v) == 1 for v in owners.values())
    assert owners["E07000048"] == ["E06000058"]  # Christchurch went to BCP (reference: thames-valley.md)


def test_successions_scenario_ends_six_counties(replayed, base2017):
    before = {a.id for a in base2017.areas(kind=AreaKind.county)}
    after = {a.id for a in replayed.areas(AFTER, kind=AreaKind.county)}
    assert sorted(before - after) == ["E10000002", "E10000006", "E10000009", "E10000021", "E10000023", "E10000027"]


@pytest.mark.parametrize(
    "scenario, affected",
    [
        ("buckinghamshire-2020.yaml", ["E06000060"]),
        ("northamptonshire-2021.yaml", ["E06000061", "E06000062"]),
        ("suffolk-2019.yaml", ["E07000244", "E07000245"]),
    ],
)
def test_ons_csp_areas_survive_the_replay(scenario, affected, base2017, data):
    """ONS's frozen CSP geography outlives reorganisation: each new council still maps to the 2023 codes."""
    outcome = run_scenario(load_scenario(f"{HISTORY}/{scenario}"), base=base2017)
    s = outcome.structure
    want = defaultdict(set)
    for r in _rows(data / "ons" / "LAD23_CSP23_PFA23_EW_LU.csv"):
        want[r["LAD23CD"]].add(r["CSP23CD"])
    for code in affected:
        got = {
            anc
            for part in [code, *s.descendants(code, AFTER)]
            for anc in s.ancestors(part, AFTER)
            if s.area(anc).kind == AreaKind.statistical
        }
        assert got == want[code], code


@pytest.fixture(scope="module")
def national_files(tmp_path_factory):
    """The 2017 and 2023 ONS imports of England and Wales and the 2017-2023 replay, from the bundled data."""
    from restructure import data as bundled

    table = bundled.path("mysociety/uk_local_authorities_future.csv")
    folder = tmp_path_factory.mktemp("national")
    base = import_ons(bundled.path("ons/LAD17_CSP17_PFA17_EW_LU.csv"), counties_path=table)
    base.save(folder / "ew-2017.yaml")
    import_ons(bundled.path("ons/LAD23_CSP23_PFA23_EW_LU.csv"), counties_path=table).save(folder / "ew-2023.yaml")
    scenario = import_successions(table, dt.date(2017, 1, 1), AFTER, structure=base, base="ew-2017.yaml")
    (folder / "replay.yaml").write_text(dump_scenario(scenario), encoding="utf-8")
    return folder


def test_national_replay_has_the_councils_of_ons_2023(national_files):
    """`diff --scope councils`: units and counties only, so the replay matches the later lookup exactly."""
    from click.testing import CliRunner

    from restructure.cli import cli

    replay, ons2023 = str(national_files / "replay.yaml"), str(national_files / "ew-2023.yaml")
    r = CliRunner().invoke(cli, ["diff", replay, ons2023, "--scope", "councils", "--as-of", "2024-01-01", "--exit-code"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[1] == "no differences"
    # the 2017 import itself differs from 2023: the comparison can fail
    old = str(national_files / "ew-2017.yaml")
    r = CliRunner().invoke(cli, ["diff", old, ons2023, "--scope", "councils", "--as-of", "2024-01-01", "--exit-code"])
    assert r.exit_code == 1
    assert r.output.splitlines()[1] == "11 areas added, 47 removed, 1 changed (councils only)"
    # without --scope, the full diff still compares every record (the parts a replay keeps, ONS's E22 areas)
    r = CliRunner().invoke(cli, ["diff", replay, ons2023, "--as-of", "2024-01-01", "--stat", "--exit-code"])
    assert r.exit_code == 1
    assert "areas ended" in r.output
