"""Provenance in the store: blame, refs at a recorded time, and stores made before provenance.

Every test runs on a real SQLite file and on the real PostgreSQL server (a
fresh schema per test).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import test_store
from restructure.apply import apply
from restructure.baseline import SCENARIOS
from restructure.cli import cli
from restructure.errors import StoreError
from restructure.history import VersionGraph, VersionRecord
from restructure.model import Basis, BasisKind
from restructure.operations import Rename
from restructure.store import _recorded_by, open_store
from restructure.store.provenance import BEFORE_PROVENANCE

# The store fixtures of test_store: an empty store on a real SQLite file and in a fresh PostgreSQL schema.
pg_schema_url = test_store.pg_schema_url
store_url = test_store.store_url

FIXTURES = Path(__file__).parent / "fixtures"
TWO = SCENARIOS / "oxfordshire" / "two-unitaries.yaml"
TWO_NAME = "Oxfordshire and West Berkshire as two unitaries (Oxford and Shires, Ridgeway)"




def run(*args, code=0):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert code is None or result.exit_code == code, (result.output, result.exception)
    return result


@pytest.fixture
def two_unitaries(store_url):
    """A store with the baseline and the two-unitary scenario applied to branch oxon-two."""
    run("init", "--db", store_url)
    run("apply", TWO, "--branch", "oxon-two", "--db", store_url)
    return store_url


# -- blame -------------------------------------------------------------------------------


def test_blame_names_scenario_phase_operation_and_basis(two_unitaries):
    with open_store(two_unitaries, create=False) as s:
        vesting, realigned = s.log("oxon-two")[1].record.id, s.head("oxon-two")
        blame = s.blame("oxon-two", body="Ridgeway Council", as_of=dt.date(2028, 4, 1))
        serves = [ln for ln in blame.lines if ln.relation.kind.value == "serves"]
        assert [(ln.relation.target, ln.version, ln.branch, ln.scenario, ln.phase, ln.op_index) for ln in serves] == [
            ("ridgeway", vesting, "oxon-two", TWO_NAME, "vesting day", 1)
        ]
        basis = serves[0].basis
        assert (basis.kind.value, basis.assumed) == ("structural_changes_order", True)
        assert basis.reference == "The Oxfordshire and West Berkshire (Structural Changes) Order (not yet made)"
        assert serves[0].operation.startswith("reorganise councils: abolish oxfordshire-cc")

        # Ridgeway's Strategy Board seat: assigned when the CSPs realign, on the PCC's (assumed) decision
        (seat,) = [ln for ln in s.blame("oxon-two", area="ridgeway").lines if ln.relation.kind.value == "seat"]
        assert (seat.relation.source, seat.version, seat.phase) == (
            "ridgeway-csp", realigned, "CSPs and Prevention Partnerships realigned"
        )
        assert seat.basis.kind.value == "pcc_decision" and seat.basis.assumed
        assert seat.author and seat.recorded.tzinfo is not None


def test_blame_cli_text_json_csv(two_unitaries):
    text = run("blame", "oxon-two", "--area", "Ridgeway", "--db", two_unitaries).stdout
    assert text.startswith("Ridgeway (ridgeway) at oxon-two (")
    assert "ridgeway-csp seat tv-vpp-board for ridgeway (from 2028-10-01)" in text
    assert f"scenario {TWO_NAME}, phase vesting day, operation 1: reorganise councils" in text
    assert "basis: Structural changes order: The Oxfordshire and West Berkshire (Structural Changes) Order (not yet made) (assumed)" in text

    data = json.loads(run("blame", "oxon-two", "--area", "ridgeway", "--format", "json", "--db", two_unitaries).stdout)
    assert data["subject"] == "ridgeway" and {r["kind"] for r in data["relations"]} == {"seat", "discharges", "serves"}
    assert all(r["branch"] == "oxon-two" and r["provenance"] for r in data["relations"])

    csv_out = run("blame", "oxon-two", "--area", "ridgeway", "--format", "csv", "--db", two_unitaries).stdout
    assert csv_out.startswith("\ufeff")  # UTF-8 BOM, so spreadsheets read names right
    csv_lines = csv_out[1:].splitlines()
    assert csv_lines[0].startswith("kind,source,target,area,start,end,version,branch,author,recorded,scenario,phase")
    assert len(csv_lines) == 1 + len(data["relations"])
    assert any(",pcc_decision,Thames Valley PCC decision (not yet made),,,yes,yes," in ln for ln in csv_lines)


def test_blame_errors_are_one_line(two_unitaries):
    out = run("blame", "oxon-two", "--area", "Nowhere", "--db", two_unitaries, code=1).output
    assert out.startswith("Error: no area with id or name 'Nowhere'.") and out.count("\n") == 1
    out = run("blame", "oxon-two", "--db", two_unitaries, code=2).output
    assert "say what to blame: --area ID|NAME or --body ID|NAME" in out
    with open_store(two_unitaries, create=False) as s, pytest.raises(StoreError, match="say what to blame"):
        s.blame("oxon-two", area="ridgeway", body="ridgeway-council")


# -- refs at a recorded time ------------------------------------------------------------


def test_recorded_time_before_and_after_a_commit_gives_the_two_heads(store_url, baseline):
    with open_store(store_url) as s:
        v1 = s.init(baseline, author="ann")
        s.create_branch("oxon", "baseline")
        t1 = s.version(v1).created
        after = apply(baseline, [Rename(id="oxford-csp", name="Oxford Safer Partnership")], dt.date(2027, 1, 1)).structure
        v2 = s.commit("oxon", after, message="rename", author="bob")
        t2 = s.version(v2).created
        assert t1 < t2
        between = t1 + (t2 - t1) / 2
        assert s.resolve(f"oxon@{{{t1.isoformat()}}}") == v1
        assert s.resolve(f"oxon@{{{between.isoformat()}}}") == v1
        assert s.resolve(f"oxon@{{{t2.isoformat()}}}") == v2
        assert s.resolve(f"oxon@{{{dt.date.today().isoformat()}}}") == v2  # a date: the end of that day
        assert s.resolve(f"oxon@{{{t2.isoformat()}}}~1") == v1
        assert s.checkout(f"oxon@{{{between.isoformat()}}}").body("oxford-csp").name != "Oxford Safer Partnership"

        with pytest.raises(StoreError, match=r"^recorded time 2020-01-01 is before the store's first version"):
            s.resolve("oxon@{2020-01-01}")
        with pytest.raises(StoreError, match=r"^recorded time 2999-01-01T12:00 is in the future"):
            s.resolve("oxon@{2999-01-01T12:00}")
        with pytest.raises(StoreError, match=r"^'yesterday' is not a recorded time"):
            s.resolve("oxon@{yesterday}")


def test_recorded_at_option_of_blame(two_unitaries):
    with open_store(two_unitaries, create=False) as s:
        first = s.log("oxon-two")[-1].record
    out = run("blame", "oxon-two", "--recorded-at", first.created.isoformat(), "--area", "E06000037",
              "--db", two_unitaries).stdout
    assert f"at oxon-two@{{{first.created.isoformat()}}} ({first.id})" in out
    assert "committed directly: Baseline" in out  # the baseline, before the scenario


# -- stores made before provenance --------------------------------------------------------


def _copy_fixture_store(url: str, tmp_path: Path) -> None:
    """Put the schema-0002 fixture store at ``url``: the file itself, or its rows in PostgreSQL."""
    from alembic import command

    from restructure.store import _alembic_config, _engine, _parse_url

    source = FIXTURES / "store-0002.db"
    u = _parse_url(url)
    if u.get_backend_name() == "sqlite":
        shutil.copy(source, u.database)
        return
    src = sa.create_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    shutil.copy(source, tmp_path / "copy.db")
    engine = _engine(u, create=True)
    with src.connect() as read, engine.connect() as conn:
        conn.execution_options(restructure_write=True)
        with conn.begin():
            command.upgrade(_alembic_config(conn), "0002")
            meta = sa.MetaData()
            meta.reflect(read)
            for name in ("versions", "version_parents", "refs", "version_rows", "snapshot_rows"):
                rows = [dict(r._mapping) for r in read.execute(sa.select(meta.tables[name]))]
                if rows:
                    conn.execute(sa.table(name, *(sa.column(c) for c in rows[0])).insert(), rows)
    src.dispose()
    engine.dispose()


def test_a_store_made_before_provenance_stays_readable(store_url, tmp_path):
    _copy_fixture_store(store_url, tmp_path)
    expected = json.loads((FIXTURES / "store-0002.checksums.json").read_text())
    with open_store(store_url, create=False) as s:
        versions = s.log()
        assert sorted(v.record.id for v in versions) == sorted(expected)
        for vid, digest in expected.items():
            assert hashlib.sha256(s.checkout(vid).to_yaml().encode()).hexdigest() == digest, vid
        assert {v.branch for v in versions} == {None} and all(v.bases == () for v in versions)
        lines = s.blame("before-provenance", area="ridgeway").lines
        assert lines and all(not ln.provenance and ln.origin() == BEFORE_PROVENANCE for ln in lines)
        assert lines[0].scenario == TWO_NAME  # the version's own record is still there
    text = run("blame", "oxon-two", "--area", "ridgeway", "--db", store_url).stdout
    assert BEFORE_PROVENANCE in text
    # new commits on the upgraded store record provenance
    run("apply", SCENARIOS / "oxfordshire" / "one-unitary.yaml", "--branch", "oxon-one", "--db", store_url)
    with open_store(store_url, create=False) as s:
        lines = s.blame("oxon-one", area="oxfordshire-ua").lines
        assert lines and all(ln.provenance and ln.branch == "oxon-one" for ln in lines)


def test_recorded_at_works_in_every_reading_command(two_unitaries, tmp_path):
    with open_store(two_unitaries, create=False) as s:
        first = s.log("oxon-two")[-1].record.created.isoformat()
    db = ("--db", two_unitaries)
    then = ("--recorded-at", first)
    assert run("show", "oxon-two", *then, "--format", "json", *db).stdout == run("show", "baseline", "--format", "json", *db).stdout
    assert run("show", f"oxon-two@{{{first}}}", "--format", "json", *db).stdout == run("show", "baseline", "--format", "json", *db).stdout
    run("diff", "oxon-two", "baseline", *then, "--exit-code", *db)
    run("diff", "oxon-two", "baseline", "--exit-code", *db, code=1)
    run("export", "oxon-two", *then, "-o", tmp_path / "then.yaml", *db)
    run("export", "baseline", "-o", tmp_path / "baseline.yaml", *db)
    assert (tmp_path / "then.yaml").read_text() == (tmp_path / "baseline.yaml").read_text()
    on = ("--as-of", "2028-10-01", "--format", "json")
    checked_then = run("check", "oxon-two", *then, *on, *db, code=None).stdout
    assert checked_then == run("check", "baseline", *on, *db, code=None).stdout
    assert checked_then != run("check", "oxon-two", *on, *db, code=None).stdout
    run("render", "oxon-two", *then, "-o", tmp_path / "then.dot", *db)
    run("render", "baseline", "-o", tmp_path / "baseline.dot", *db)
    assert (tmp_path / "then.dot").read_text() == (tmp_path / "baseline.dot").read_text()
    run("report", TWO, "--base", "oxon-two", *then, "-o", tmp_path / "pack.html", *db)
    assert "Under what authority" in (tmp_path / "pack.html").read_text()
    out = run("show", TWO, *then, *db, code=2).output
    assert "every ref given is a file" in out
    out = run("show", "oxon-two@{2000-01-01}", *db, code=1).output
    assert out.startswith("Error: recorded time 2000-01-01 is before the store's first version")


# -- saved plans ----------------------------------------------------------------------------


def _versions(url):
    with open_store(url, create=False) as s:
        return sorted(v.record.id for v in s.log())


def test_a_saved_plan_commits_exactly_what_a_direct_apply_would(store_url, tmp_path):
    db = ("--db", store_url)
    run("init", *db)
    plan = tmp_path / "plans" / "two.json"
    out = run("apply", TWO, "--branch", "oxon-two", "--dry-run", "--save-plan", plan, *db)
    assert "Would commit 3 versions to branch 'oxon-two' as a new branch from" in out.stdout
    assert f"Saved the plan to {plan}" in out.stderr
    assert len(_versions(store_url)) == 1  # nothing written
    data = json.loads(plan.read_text())
    assert (data["format"], data["branch"], data["head"]) == ("restructure-plan/1", "oxon-two", None)
    assert data["hash"].startswith("sha256:") and [p["name"] for p in data["phases"]] == [
        "shadow authorities", "vesting day", "CSPs and Prevention Partnerships realigned"
    ]

    assert "Nothing written (dry run)" in run("apply", "--plan", plan, "--dry-run", *db).stdout
    assert "Committed 3 versions to branch 'oxon-two'" in run("apply", "--plan", plan, *db).stdout
    run("apply", TWO, "--branch", "direct", *db)
    run("diff", "oxon-two", "direct", "--exit-code", *db)
    run("diff", "oxon-two~1", "direct~1", "--exit-code", *db)
    with open_store(store_url, create=False) as s:  # provenance and findings travel with the plan
        (seat,) = [ln for ln in s.blame("oxon-two", area="ridgeway").lines if ln.relation.kind.value == "seat"]
        assert (seat.branch, seat.phase, seat.basis.kind.value) == (
            "oxon-two", "CSPs and Prevention Partnerships realigned", "pcc_decision"
        )
        assert s.findings("oxon-two") == s.findings("direct") != []

    # on an existing branch: the plan records its head, and is refused once the branch moves
    one = SCENARIOS / "oxfordshire" / "csp-merge.yaml"
    run("branch", "csp", "--from", "baseline", *db)
    plan2 = tmp_path / "csp.json"
    run("apply", one, "--branch", "csp", "--dry-run", "--save-plan", plan2, *db)
    run("apply", SCENARIOS / "oxfordshire" / "one-unitary.yaml", "--branch", "csp", *db)  # someone else commits
    before = _versions(store_url)
    out = run("apply", "--plan", plan2, *db, code=1).output
    assert out.startswith("Error: branch 'csp' moved since the plan was made (it was at ") and out.count("\n") == 1
    assert _versions(store_url) == before


def test_an_edited_plan_or_one_from_another_store_is_refused(store_url, tmp_path):
    db = ("--db", store_url)
    run("init", *db)
    plan = tmp_path / "two.json"
    run("apply", TWO, "--branch", "oxon-two", "--dry-run", "--save-plan", plan, *db)
    edited = tmp_path / "edited.json"
    edited.write_text(plan.read_text().replace('"name": "vesting day"', '"name": "vesting  day"'))
    out = run("apply", "--plan", edited, *db, code=1).output
    assert out == (f"Error: the plan {edited} was changed after it was saved (its hash does not match). "
                   "Make the plan again: restructure apply SCENARIO --branch B --dry-run --save-plan FILE.\n")
    other = f"sqlite:///{tmp_path / 'other.db'}"
    run("init", "--db", other)
    out = run("apply", "--plan", plan, "--db", other, code=1).output
    assert out.startswith("Error: the plan was made on another store (its first version is ")
    assert len(_versions(other)) == 1 and len(_versions(store_url)) == 1
    (tmp_path / "junk.json").write_text("[]")
    assert "is not a saved plan" in run("apply", "--plan", tmp_path / "junk.json", *db, code=1).output
    assert "--save-plan" in run("apply", TWO, "--dry-run", "--save-plan", plan, *db, code=2).output
    out = run("apply", TWO, "--branch", "y", "--base", SCENARIOS / "baseline" / "thames-valley.yaml", "--dry-run",
              "--save-plan", tmp_path / "file-base.json", *db, code=1).output
    assert out.splitlines()[-1].startswith("Error: a plan made on a structure file (--base FILE) cannot be saved")
    assert not (tmp_path / "file-base.json").exists()
    assert "drop SCENARIO, --branch" in run("apply", TWO, "--branch", "x", "--plan", plan, *db, code=2).output


# -- properties (pure) ----------------------------------------------------------------------

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@given(st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=12), st.integers(0, 130_000))
def test_a_recorded_time_names_the_newest_version_recorded_by_then(gaps, probe):
    times = [T0]
    for g in gaps:
        times.append(times[-1] + dt.timedelta(minutes=g))
    records = [VersionRecord(f"v{i:02d}", (f"v{i - 1:02d}",) if i else (), "m", "ann", t) for i, t in enumerate(times)]
    graph = VersionGraph(records)
    when = T0 + dt.timedelta(minutes=probe)
    head = records[-1].id
    if when < T0:
        return
    got = _recorded_by(graph, head, "b", when, "t") if when <= dt.datetime.now(dt.UTC) else None
    if got is not None:
        expected = max((r for r in records if r.created <= when), key=lambda r: r.created).id
        assert got == expected


# Names and notes are printable text (restructure.text refuses control and bidi characters).
NAME_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
                           blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@given(st.builds(
    Basis, kind=st.sampled_from(list(BasisKind)), reference=st.none() | st.text(NAME_CHARS, min_size=1, max_size=20),
    date=st.none() | st.dates(), url=st.none() | st.just("https://www.legislation.gov.uk/"), assumed=st.booleans(),
    note=st.none() | st.text(NAME_CHARS, max_size=30),
))
def test_a_basis_round_trips_through_its_plain_data(basis):
    assert Basis.model_validate(basis.to_dict()) == basis
    assert Basis.model_validate_json(json.dumps(basis.to_dict())) == basis
    assert basis.label().endswith("(assumed)") == basis.assumed
