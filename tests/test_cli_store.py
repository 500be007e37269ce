"""``restructure init``, ``log``, ``branch``, ``tag``, ``export``, ``revert`` and ``apply --branch``."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from mini import MINI  # tests/mini.py: a tiny two-tier force area
from restructure.cli import cli
from restructure.store import open_store

ID = r"[0-9a-f]{12}"


@pytest.fixture
def run():
    def _run(*args, code=0):
        result = CliRunner().invoke(cli, [str(a) for a in args])
        assert result.exit_code == code, (result.output, result.exception)
        return result

    return _run


@pytest.fixture
def db(sqlite_url, run):
    """A store initialised with the Thames Valley baseline."""
    run("init", "--db", sqlite_url)
    return sqlite_url


def test_every_store_command_has_help(run):
    for verb in ("init", "log", "branch", "tag", "export", "revert"):
        out = run(verb, "--help").output
        assert "Examples:" in out and "--db URL" in out, verb
    for verb in ("init", "branch", "tag", "export", "revert"):
        assert "--dry-run" in run(verb, "--help").output, verb


def test_init_then_log(sqlite_url, run, baseline):
    out = run("init", "--db", sqlite_url, "-m", "Thames Valley, November 2026").stdout
    assert re.fullmatch(
        rf"Initialised {re.escape(sqlite_url)}: version {ID} on branch 'baseline' "
        r"\(15 areas, 60 bodies, 257 relations\)\.\n",
        out,
    )
    log = run("log", "--db", sqlite_url).stdout
    assert re.fullmatch(
        rf"{ID}  \d{{4}}-\d\d-\d\d \d\d:\d\d  \S+  Thames Valley, November 2026 \(baseline\)  "
        rf"\[{len(baseline) + 1} records changed\]\n",
        log,
    )
    with open_store(sqlite_url, create=False) as s:
        assert s.checkout("baseline").to_yaml() == baseline.to_yaml()


def test_init_dry_run_writes_nothing(tmp_path, run):
    target = tmp_path / "new.db"
    out = run("init", "--db", f"sqlite:///{target}", "--dry-run").stdout
    assert out == (
        f"Would initialise the store at sqlite:///{target} with "
        f"{__import__('restructure.baseline').baseline.BASELINE} (15 areas, 60 bodies, 257 relations) "
        "on branch 'baseline'. Nothing written (dry run).\n"
    )
    assert not target.exists()


def test_init_twice_is_an_error(db, run):
    out = run("init", "--db", db, code=1).output
    assert re.fullmatch(
        r"Error: the store .*store\.db already has 1 version\. "
        r"Use `restructure apply` to add versions, or --db for a new store\.\n",
        out,
    )


def test_branch_tag_and_log_of_a_branch(db, run):
    assert run("branch", "--db", db).stdout.startswith("baseline  ")
    assert re.fullmatch(
        rf"Would create branch 'oxon' at {ID} \(baseline\)\. Nothing written \(dry run\)\.\n",
        run("branch", "oxon", "--db", db, "--dry-run").stdout,
    )
    assert [b.split()[0] for b in run("branch", "--db", db).stdout.splitlines()] == ["baseline"]
    assert re.fullmatch(rf"Created branch 'oxon' at {ID}\.\n", run("branch", "oxon", "--from", "baseline", "--db", db).stdout)
    assert [b.split()[0] for b in run("branch", "--db", db).stdout.splitlines()] == ["baseline", "oxon"]
    assert run("tag", "--db", db).stdout == "No tags.\n"
    assert re.fullmatch(rf"Tagged {ID} as 'nov-2026'\.\n", run("tag", "nov-2026", "oxon", "--db", db).stdout)
    assert run("tag", "--db", db).stdout.startswith("nov-2026  ")
    log = run("log", "oxon", "--db", db).stdout
    assert "(baseline, oxon, tag: nov-2026)" in log
    data = json.loads(run("log", "--db", db, "--format", "json").stdout)
    assert data[0]["branches"] == ["baseline", "oxon"] and data[0]["tags"] == ["nov-2026"]
    assert data[0]["parents"] == [] and data[0]["message"] == "Baseline"


def test_branch_errors(db, run):
    out = run("branch", "oxon", "--from", "baselin", "--db", db, code=1).output
    assert out.startswith("Error: no branch, tag or version 'baselin' in ") and out.endswith(
        "Did you mean 'baseline'?\n"
    )
    out = run("tag", "only-name", "--db", db, code=2).output
    assert "give the version to tag: restructure tag NAME REF" in out


def test_export_writes_the_version(db, run, tmp_path, baseline):
    target = tmp_path / "out" / "baseline.yaml"
    result = run("export", "baseline", "-o", target, "--db", db)
    assert result.stdout == ""
    assert result.stderr == f"Wrote {target} (15 areas, 60 bodies, 257 relations)\n"
    assert target.read_text() == baseline.to_yaml()
    assert run("export", "baseline", "-o", "-", "--db", db).stdout == baseline.to_yaml()
    on = "2026-11-25"
    assert run("export", "baseline", "-o", "-", "--as-of", on, "--db", db).stdout == baseline.as_of(
        __import__("datetime").date(2026, 11, 25)
    ).to_yaml()
    dry = tmp_path / "dry.yaml"
    assert run("export", "baseline", "-o", dry, "--db", db, "--dry-run").stdout.startswith(f"Would write {dry} (")
    assert not dry.exists()


def test_store_errors_are_one_line(tmp_path, run):
    missing = tmp_path / "missing.db"
    assert run("log", "--db", f"sqlite:///{missing}", code=1).output == (
        f"Error: no store at {missing}. Run `restructure init` first, or pass --db.\n"
    )
    assert run("log", "--db", "postgresql://postgres:postgres@127.0.0.1:5999/x", code=1).output == (
        "Error: cannot connect to PostgreSQL at 127.0.0.1:5999 (connection refused). "
        "Check the server is running and the URL in --db or RESTRUCTURE_DATABASE_URL.\n"
    )
    assert run("branch", "--db", "nonsense", code=1).output == (
        "Error: 'nonsense' is not a database URL. Write sqlite:///FILE.db or "
        "postgresql://USER:PASSWORD@HOST/DATABASE.\n"
    )
    notes = tmp_path / "notes.yaml"
    notes.write_text("areas: []\n" * 300)
    assert run("export", "baseline", "-o", "-", "--db", f"sqlite:///{notes}", code=1).output == (
        f"Error: {notes} is not a restructure store (not an SQLite database). "
        "Pass --db the store's file, or a new file name to create one.\n"
    )


def test_db_from_environment(sqlite_url, run, monkeypatch):
    monkeypatch.setenv("RESTRUCTURE_DATABASE_URL", sqlite_url)
    run("init")
    assert run("branch").stdout.startswith("baseline  ")


# -- apply --branch and revert ---------------------------------------------------------

LAPSE = """
name: North CSP lapses
base: mini.yaml
phases:
  - name: lapse
    date: 2027-04-01
    operations:
      - op: dissolve
        body: north-csp
        lapse: true
        reason: test
"""

RENAME = """
name: Rename town
base: mini.yaml
phases:
  - name: rename
    date: 2027-04-01
    operations:
      - {op: rename, id: town-csp, name: Town Safer Partnership}
  - name: rename again
    date: 2028-04-01
    operations:
      - {op: rename, id: town-csp, name: Town Community Safety Partnership}
"""


@pytest.fixture
def mini_db(tmp_path, run, sqlite_url):
    (tmp_path / "mini.yaml").write_text(MINI)
    (tmp_path / "lapse.yaml").write_text(LAPSE)
    (tmp_path / "rename.yaml").write_text(RENAME)
    run("init", "--baseline", tmp_path / "mini.yaml", "--db", sqlite_url)
    return sqlite_url


def test_apply_branch_commits_one_version_per_phase(mini_db, run, tmp_path):
    out = run("apply", tmp_path / "rename.yaml", "--branch", "town", "--db", mini_db).stdout
    m = re.fullmatch(rf"Committed 2 versions to branch 'town': ({ID}) ({ID})\n", out)
    assert m
    with open_store(mini_db, create=False) as s:
        assert s.head("town") == m.group(2)
        assert s.version(m.group(1)).phase == "rename"
        assert s.checkout("town").body("town-csp").name == "Town Community Safety Partnership"
        assert s.checkout("town~1").body("town-csp").name == "Town Safer Partnership"
        assert s.checkout("baseline").body("town-csp").name == "Town CSP"
    log = run("log", "town", "--db", mini_db).stdout.splitlines()
    assert len(log) == 3 and "Rename town: rename again (2028-04-01) (town)" in log[0]


def test_apply_strict_refuses_error_findings_and_writes_nothing(mini_db, run, tmp_path):
    result = run("apply", tmp_path / "lapse.yaml", "--branch", "lapse", "--strict", "--db", mini_db, code=1)
    assert re.search(r"Error: not committed: the checks found 2 errors \(listed above\)\. Fix the scenario, or commit "
                     r"without --strict to keep the findings with the version\.\n$", result.output)
    with open_store(mini_db, create=False) as s:
        assert s.head("lapse") is None and len(s.log()) == 1


def test_apply_keeps_findings_with_the_version(mini_db, run, tmp_path):
    result = run("apply", tmp_path / "lapse.yaml", "--branch", "lapse", "--db", mini_db)
    assert re.search(r"^error: \w+\d+ ", result.stderr, re.M)
    with open_store(mini_db, create=False) as s:
        stored = s.findings("lapse")
    assert stored and any(f["severity"] == "error" for f in stored)
    assert re.search(r"\d+ findings\]", run("log", "lapse", "--db", mini_db).stdout)


def test_revert_restores_the_state_before(mini_db, run, tmp_path):
    run("apply", tmp_path / "rename.yaml", "--branch", "town", "--db", mini_db)
    dry = run("revert", "town", "--db", mini_db, "--dry-run").stdout
    assert re.fullmatch(rf"Would revert {ID} \(Rename town: rename again \(2028-04-01\)\) on 'town': \d+ records "
                        r"restored\. Nothing written \(dry run\)\.\n", dry)
    out = run("revert", "town", "--db", mini_db).stdout
    assert re.fullmatch(rf"Reverted {ID} on 'town': version {ID} \(\d+ records restored\)\.\n", out)
    with open_store(mini_db, create=False) as s:
        assert s.checkout("town").to_yaml() == s.checkout("town~2").to_yaml()
    out = run("revert", "baseline", "--db", mini_db, code=1).output
    assert re.fullmatch(rf"Error: cannot revert {ID}: it is the first version\. Nothing comes before it\.\n", out)
    with open_store(mini_db, create=False) as s:
        older = s.resolve("town~1")
    out = run("revert", older, "--db", mini_db, code=2).output
    assert f"'{older}' is not a branch: say which branch to revert on" in out and "--branch" in out
    run("revert", "town~2", "--branch", "town", "--db", mini_db)


BROKEN = """
name: Broken
base: mini.yaml
phases:
  - name: fine
    date: 2027-04-01
    operations:
      - {op: rename, id: town-csp, name: Town Safer Partnership}
  - name: broken
    date: 2028-04-01
    operations:
      - {op: rename, id: no-such-body, name: Nobody}
"""


def test_apply_output_beside_a_branch_is_what_the_branch_got(mini_db, run, tmp_path):
    from restructure.structure import Structure

    run("apply", tmp_path / "rename.yaml", "--branch", "town", "--db", mini_db)
    out = tmp_path / "out" / "lapse.yaml"
    result = run("apply", tmp_path / "lapse.yaml", "--branch", "town", "-o", out, "--db", mini_db)
    assert "applying it on top" in result.stderr  # re-applied on the branch's latest version
    written = Structure.load(out)
    with open_store(mini_db, create=False) as s:
        assert written == s.checkout("town")
    # both scenarios' changes, not only the second's as run on its own base
    assert written.body("town-csp").name == "Town Community Safety Partnership"
    assert written.body("north-csp").end is not None


def test_apply_as_of_commits_the_same_phases_when_reapplied(mini_db, run, tmp_path):
    run("apply", tmp_path / "lapse.yaml", "--branch", "town", "--db", mini_db)
    out = run("apply", tmp_path / "rename.yaml", "--as-of", "2027-06-01", "--branch", "town", "--db", mini_db)
    assert "applying it on top" in out.stderr
    assert re.fullmatch(rf"Committed 1 version to branch 'town': {ID}\n", out.stdout)
    with open_store(mini_db, create=False) as s:
        assert s.checkout("town").body("town-csp").name == "Town Safer Partnership"
        assert len(s.log("town")) == 3  # baseline, lapse, the first rename only


def test_apply_of_a_failing_scenario_writes_nothing(mini_db, run, tmp_path):
    (tmp_path / "broken.yaml").write_text(BROKEN)
    out = run("apply", tmp_path / "broken.yaml", "--branch", "broken", "--db", mini_db, code=1).output
    assert out.startswith("Error: ") and "no-such-body" in out
    with open_store(mini_db, create=False) as s:
        assert s.head("broken") is None and len(s.log()) == 1


def test_apply_on_an_existing_branch_builds_on_its_latest_version(mini_db, run, tmp_path):
    run("apply", tmp_path / "rename.yaml", "--branch", "town", "--db", mini_db)
    result = run("apply", tmp_path / "lapse.yaml", "--branch", "town", "--db", mini_db)
    assert re.search(rf"Note: branch 'town' is at version {ID}, not the structure the scenario was run on: applying it on top", result.stderr)
    with open_store(mini_db, create=False) as s:
        now = s.checkout("town")
        # Both scenarios' changes are there: the second did not overwrite the first.
        assert now.body("town-csp").name == "Town Community Safety Partnership"
        assert now.body("north-csp").end is not None
        assert len(s.log("town")) == 4
