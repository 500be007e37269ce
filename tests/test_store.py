"""The versioned store, against a real SQLite file and the real PostgreSQL server.

Every store test runs twice: on an SQLite file in the test's temporary folder
and on PostgreSQL (``RESTRUCTURE_TEST_DATABASE_URL``) in a fresh schema of its
own, so tests running in parallel never see each other's tables.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import restructure.store as store_mod
from restructure.errors import BranchMoved, StoreError
from restructure.model import Area, Relation
from restructure.store import commit_scenario, open_store, scenario_base
from restructure.store.schema import HEAD_REVISION, VERSION_TABLE, metadata
from restructure.structure import Structure
from restructure.synthetic import districts_structure

D = dt.date


# -- fixtures --------------------------------------------------------------------------


@contextmanager
def pg_schema_url(base_url: str):
    """A URL into a fresh PostgreSQL schema (``search_path``), dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    engine = sa.create_engine(base_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request):
    """A URL to an empty store location: an SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_url")
        return
    with pg_schema_url(request.getfixturevalue("pg_url")) as url:
        yield url


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    yield s
    s.close()


def synthetic(n_districts: int, areas_per_district: int = 10, name: str = "synthetic") -> Structure:
    """A force area, districts and their parts, a CSP and a council per district."""
    return districts_structure(n_districts, areas_per_district, name)


def change_relations(s: Structure, n: int, on=D(2028, 4, 1)) -> Structure:
    """End ``n`` covers relations and add their replacements: 2n changed rows."""
    out = s.copy()
    covers = sorted(out.relations("covers"), key=lambda r: r.key)[:n]
    for r in covers:
        out.replace(r, r.model_copy(update={"end": on}))
    for i, r in enumerate(covers):
        other = covers[(i + 1) % len(covers)].target
        out.add(Relation(kind="covers", source=r.source, target=other, start=on))
    return out


def count(url: str, table: str) -> int:
    with open_store(url, create=False) as s, s.engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()


# -- commit and checkout ---------------------------------------------------------------


def test_init_and_checkout_is_lossless(store, baseline):
    vid = store.init(baseline, author="ann")
    assert len(vid) == 12 and int(vid, 16) >= 0
    assert store.checkout("baseline").to_yaml() == baseline.to_yaml()
    assert store.checkout(vid).to_yaml() == baseline.to_yaml()
    assert store.checkout(vid[:6]).to_yaml() == baseline.to_yaml()
    [only] = store.log()
    assert (only.record.message, only.record.author, only.branches) == ("Baseline", "ann", ("baseline",))


def test_checkout_from_a_fresh_process_view_is_lossless(store_url, baseline):
    with open_store(store_url) as s:
        s.init(baseline)
    with open_store(store_url, create=False) as s:  # no cache: rebuilt from the rows alone
        assert s.checkout("baseline").to_yaml() == baseline.to_yaml()


def test_every_phase_of_real_scenarios_checks_out_exactly(store_url, baseline):
    from restructure.apply import run_scenario
    from restructure.baseline import SCENARIOS

    with open_store(store_url) as s:
        s.init(baseline)
        expected = {}
        for path in sorted((SCENARIOS / "oxfordshire").glob("*.yaml")):
            start = scenario_base(s, path.stem)
            outcome = run_scenario(path, start.structure, keep_phases=True)
            ids = commit_scenario(
                s, path.stem, [(p.name, p.date, p.structure) for p in outcome.phases],
                scenario_name=outcome.scenario.name, expected_head=start.expected_head,
                base_ref=start.base_version,
            )
            assert len(ids) == len(outcome.phases) >= 1
            expected.update({vid: p.structure.to_yaml() for vid, p in zip(ids, outcome.phases, strict=True)})
            assert s.head(path.stem) == ids[-1]
            assert s.version(ids[0]).parents == (start.base_version,)
    assert len(expected) >= 3
    with open_store(store_url, create=False) as s:
        for vid, text in expected.items():
            assert s.checkout(vid).to_yaml() == text, vid


def test_as_of_gives_the_state_on_a_date(store, baseline):
    store.init(baseline)
    later = change_relations(baseline, 3, on=D(2028, 4, 1))
    store.commit("baseline", later, message="re-cover three areas")
    for on in (D(2028, 3, 31), D(2028, 4, 1)):
        assert store.checkout("baseline", as_of=on).to_yaml() == later.as_of(on).to_yaml()
    assert store.checkout("baseline", as_of=D(2028, 3, 31)).to_yaml() != store.checkout(
        "baseline", as_of=D(2028, 4, 1)
    ).to_yaml()


def test_refs_tilde_prefix_tags_and_branches(store, baseline):
    v1 = store.init(baseline)
    v2 = store.commit("baseline", change_relations(baseline, 1), message="one")
    v3 = store.commit("baseline", change_relations(baseline, 2), message="two")
    assert store.resolve("baseline") == v3
    assert store.resolve("baseline~") == v2
    assert store.resolve("baseline~2") == v1
    assert store.resolve(v3[:4]) == v3
    assert store.create_branch("oxon", "baseline~1") == v2
    assert store.tag("board-paper", "oxon") == v2
    assert store.resolve("board-paper~1") == v1
    assert [(r.name, r.head.id) for r in store.branches()] == [("baseline", v3), ("oxon", v2)]
    assert [(r.name, r.head.id) for r in store.tags()] == [("board-paper", v2)]
    log = store.log()
    assert [v.record.id for v in log] == [v3, v2, v1]
    assert log[1].branches == ("oxon",) and log[1].tags == ("board-paper",)
    assert [v.record.id for v in store.log("oxon")] == [v2, v1]
    assert [v.record.id for v in store.log(limit=1)] == [v3]
    assert log[0].changes == 4 and log[1].changes == 2


def test_ref_errors(store, baseline):
    store.init(baseline)
    with pytest.raises(StoreError, match=r"^no branch, tag or version 'baselin' in .*\. Did you mean 'baseline'\?$"):
        store.checkout("baselin")
    with pytest.raises(StoreError, match=r"^version '[0-9a-f]{12}' has only 0 earlier versions, not 1\."):
        store.checkout("baseline~1")
    with pytest.raises(StoreError, match=r"^a branch named 'baseline' already exists \(at [0-9a-f]{12}\)\. Choose another name\.$"):
        store.create_branch("baseline", "baseline")
    store.tag("t1", "baseline")
    with pytest.raises(StoreError, match=r"^a tag named 't1' already exists"):
        store.tag("t1", "baseline")
    with pytest.raises(StoreError, match=r"^'t1' is a tag, not a branch\."):
        store.commit("t1", baseline, message="x")
    with pytest.raises(StoreError, match=r"^'has space' is not a valid branch name\. Use letters, digits"):
        store.create_branch("has space", "baseline")
    with pytest.raises(StoreError, match=r"^no branch 'nope'\. Create it with `restructure branch nope --from REF`\.$"):
        store.commit("nope", baseline, message="x")


def test_init_twice_is_refused(store, baseline):
    store.init(baseline)
    with pytest.raises(StoreError, match=r"^the store .* already has 1 version\. Use `restructure apply`"):
        store.init(baseline)


def test_findings_are_kept_with_the_version(store, baseline):
    from restructure.checks import Finding, Severity

    store.init(baseline)
    f = Finding("SVD001", Severity.error, "nobody discharges the duty", D(2028, 4, 1), (), ("E07000177",))
    vid = store.commit("baseline", change_relations(baseline, 1), message="m", findings=[f, {"code": "X1"}])
    stored = store.findings(vid)
    assert stored[0]["code"] == "SVD001" and stored[0]["severity"] == "error"
    assert stored[0]["areas"] == ["E07000177"]
    assert stored[1] == {"code": "X1"}
    assert len(store.log()[0].findings) == 2


def test_commit_scenario_creates_branch_and_keeps_findings_per_phase(store, baseline):
    store.init(baseline)
    p1, p2 = change_relations(baseline, 1), change_relations(baseline, 2)
    ids = commit_scenario(
        store, "oxon-test", [("shadow", D(2027, 5, 6), p1), ("vesting", D(2028, 4, 1), p2)],
        scenario_name="Oxon test", findings={"vesting": [{"code": "REP001"}]},
    )
    assert [v.record.id for v in store.log("oxon-test")][:2] == ids[::-1]
    first, second = store.version(ids[0]), store.version(ids[1])
    assert (first.scenario, first.phase, first.message) == ("Oxon test", "shadow", "Oxon test: shadow (2027-05-06)")
    assert second.phase == "vesting" and store.findings(ids[1]) == [{"code": "REP001"}]
    assert store.findings(ids[0]) == []
    assert store.resolve("baseline") == store.version(ids[0]).parents[0]
    # Again on the existing branch: on top of its head.
    more = commit_scenario(store, "oxon-test", [("later", D(2029, 1, 1), p1)], scenario_name="Oxon test")
    assert store.version(more[0]).parents == (ids[1],)


# -- storage grows with the change, not the structure ----------------------------------


@pytest.mark.parametrize("n_districts", [20, 200])
def test_delta_bytes_scale_with_change_not_structure(store, n_districts):
    s = synthetic(n_districts)
    root = store.init(s)
    vid = store.commit("baseline", change_relations(s, 10), message="ten relations")
    rows, size = store.delta_size(vid)
    full_rows, full = store.delta_size(root)
    assert rows == 20  # 10 ended + 10 new
    assert full_rows == len(s) + 1
    assert 1000 < size < 3000  # about 100 bytes a row, whatever the structure's size
    if n_districts == 200:
        assert size / full < 0.01
    assert store.checkout(vid).to_yaml() == change_relations(s, 10).to_yaml()


def test_snapshots_keep_long_histories_exact(store_url, monkeypatch):
    monkeypatch.setattr(store_mod, "SNAPSHOT_EVERY", 3)
    s = synthetic(3, 2)
    states = []
    with open_store(store_url) as st_:
        states.append((st_.init(s), s.to_yaml()))
        for i in range(7):
            s = s.copy()
            s.add(Area(id=f"N{i}", name=f"New {i}", kind="part"))
            if i % 2:
                s.remove(s.area(f"N{i - 1}"))
            states.append((st_.commit("baseline", s, message=f"step {i}"), s.to_yaml()))
    assert count(store_url, "snapshot_rows") == 2 * (len(synthetic(3, 2)) + 1) + 5  # at depths 3 and 6
    with open_store(store_url, create=False) as st_:
        for vid, text in reversed(states):
            assert st_.checkout(vid).to_yaml() == text


# -- property: checkout equals the in-memory result of the same edits -------------------

EDITS = st.lists(
    st.tuples(st.sampled_from(["add_area", "rename", "end_cover", "add_cover", "remove_area", "retitle"]),
              st.integers(0, 9)),
    min_size=1, max_size=6,
)


def _edit(s: Structure, what: str, i: int) -> None:
    areas = sorted(a.id for a in s.areas() if a.kind == "part")
    if what == "add_area":
        new = f"X{len(s)}-{i}"
        if new not in s:
            s.add(Area(id=new, name=f"New {i}", kind="part", start=D(2027, 1, 1 + i)))
    elif what == "rename" and areas:
        a = s.area(areas[i % len(areas)])
        s.replace(a, a.model_copy(update={"name": a.name + "'"}))
    elif what == "end_cover":
        covers = sorted((r for r in s.relations("covers") if r.end is None and r.start is None), key=lambda r: r.key)
        if covers:
            r = covers[i % len(covers)]
            s.replace(r, r.model_copy(update={"end": D(2028, 4, 1)}))
    elif what == "add_cover" and areas:
        rel = Relation(kind="covers", source="csp-0", target=areas[i % len(areas)], start=D(2028, 4, 1))
        if not any(r.key == rel.key for r in s.relations("covers", source="csp-0")):
            s.add(rel)
    elif what == "remove_area" and areas:
        a = areas[i % len(areas)]
        for r in list(s.relations(source=a)) + list(s.relations(target=a)):
            s.remove(r)
        s.remove(s.area(a))
    elif what == "retitle":
        s.name = f"synthetic {i}"
        s.description = None if i % 2 else f"edited {i}"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(EDITS, min_size=1, max_size=4))
def test_property_every_version_checks_out_as_built(store, steps):
    if store.head("baseline") is None:
        store.init(synthetic(2, 3))
    branch = f"h-{uuid.uuid4().hex[:8]}"
    store.create_branch(branch, "baseline")
    s = store.checkout("baseline")
    expected = []
    for edits in steps:
        s = s.copy()
        for what, i in edits:
            _edit(s, what, i)
        expected.append((store.commit(branch, s, message="step"), s.to_yaml()))
    store._cache.clear()  # rebuild from the database, not from memory
    for vid, text in expected:
        assert store.checkout(vid).to_yaml() == text


# -- compare-and-swap ------------------------------------------------------------------


def test_stale_head_is_refused_and_nothing_written(store, baseline):
    v1 = store.init(baseline)
    v2 = store.commit("baseline", change_relations(baseline, 1), message="first planner")
    before = count(_raw(store), "versions")
    with pytest.raises(BranchMoved, match=rf"^branch 'baseline' moved since you read it \(head is now {v2}\)\. Run the command again"):
        store.commit("baseline", change_relations(baseline, 2), message="second planner", expected_head=v1)
    assert count(_raw(store), "versions") == before == 2
    assert store.head("baseline") == v2


def _raw(store) -> str:
    return store._u.render_as_string(hide_password=False)


def test_commit_many_is_all_or_nothing(store, baseline):
    store.init(baseline)
    url = _raw(store)
    items = [(change_relations(baseline, n), {"message": f"phase {n}"}) for n in (1, 2, 3)]

    def fail(_head):
        raise RuntimeError("power cut")

    store.before_publish = fail
    with pytest.raises(RuntimeError, match="power cut"):
        store.commit_many("baseline", items)
    store.before_publish = None
    assert count(url, "versions") == 1 and count(url, "version_rows") == len(baseline) + 1
    ids = store.commit_many("baseline", items)
    assert len(ids) == 3 and store.head("baseline") == ids[-1]
    assert [store.version(i).parents for i in ids] == [(store.resolve("baseline~3"),), (ids[0],), (ids[1],)]


def _race(url, barrier, results, n):
    from restructure.errors import BranchMoved as Moved
    from restructure.store import open_store as op

    with op(url, create=False) as s:
        head = s.head("baseline")
        structure = s.checkout(head)
        changed = change_relations(structure, n)
        barrier.wait(timeout=60)  # both planners have read the same head
        try:
            results.put(("won", s.commit("baseline", changed, message=f"planner {n}", expected_head=head)))
        except Moved as exc:
            results.put(("moved", str(exc)))


def test_two_planners_committing_at_once_one_wins(store_url):
    with open_store(store_url) as s:
        s.init(synthetic(50))
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_race, args=(store_url, barrier, results, n)) for n in (1, 2)]
    for p in procs:
        p.start()
    got = sorted(results.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert [kind for kind, _ in got] == ["moved", "won"]
    winner = got[1][1]
    assert got[0][1] == (
        f"branch 'baseline' moved since you read it (head is now {winner}). "
        "Run the command again to apply on top of the new head."
    )
    with open_store(store_url, create=False) as s:
        assert s.head("baseline") == winner
        assert len(s.log()) == 2


# -- crash in the middle of a commit ----------------------------------------------------

KILLED = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from test_store import synthetic
    from restructure.store import open_store

    url, ready = sys.argv[1], Path(sys.argv[2])
    store = open_store(url, create=False)

    def hang(head):
        ready.write_text(head)   # inside the transaction: rows written, branch not yet moved
        time.sleep(120)

    store.before_publish = hang
    store.commit("baseline", synthetic(300, 5, name="big"), message="never lands")
    """
)


def test_kill_mid_commit_leaves_the_store_as_it_was(store_url, tmp_path):
    small = synthetic(5)
    with open_store(store_url) as s:
        v1 = s.init(small)
    ready = tmp_path / "ready"
    script = KILLED.format(tests=os.path.dirname(__file__))
    proc = subprocess.Popen([sys.executable, "-c", script, store_url, str(ready)])
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert proc.poll() is None, "the committing process died before reaching the hook"
            assert time.monotonic() < deadline, "the committing process never reached the hook"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    half = ready.read_text()
    with open_store(store_url, create=False) as s:
        assert s.head("baseline") == v1
        assert [v.record.id for v in s.log()] == [v1]
        with pytest.raises(StoreError, match=f"no branch, tag or version '{half}'"):
            s.resolve(half)
        assert s.checkout("baseline").to_yaml() == small.to_yaml()
        # Not locked either: the next commit goes through.
        v2 = s.commit("baseline", change_relations(small, 1), message="after the crash")
        assert s.head("baseline") == v2
    assert count(store_url, "version_rows") == len(small) + 1 + 2


# -- migrations ------------------------------------------------------------------------


def test_store_made_at_revision_0001_opens_and_upgrades(store_url, baseline):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from restructure.store import _alembic_config, _engine, _parse_url
    from restructure.store.rows import structure_rows

    # An older release's store: schema 0001, one version written with that release's columns.
    engine = _engine(_parse_url(store_url), create=True)
    rows = structure_rows(baseline)
    with engine.connect() as conn:
        conn.execution_options(restructure_write=True)
        with conn.begin():
            command.upgrade(_alembic_config(conn), "0001")
            conn.execute(sa.text(
                "INSERT INTO versions (id, message, author, created, depth) "
                "VALUES ('aaaaaaaaaaaa', 'old baseline', 'ann', :t, 0)"
            ).bindparams(sa.bindparam("t", type_=sa.DateTime(timezone=True))), {"t": dt.datetime(2025, 1, 1, tzinfo=dt.UTC)})
            conn.execute(sa.text("INSERT INTO version_rows (version_id, kind, key, payload) VALUES ('aaaaaaaaaaaa', :k, :key, :p)"),
                         [{"k": k, "key": key, "p": p} for (k, key), p in rows.items()])
            conn.execute(sa.text("INSERT INTO refs (name, kind, head) VALUES ('baseline', 'branch', 'aaaaaaaaaaaa')"))
            assert "snapshot_rows" not in sa.inspect(conn).get_table_names()
    engine.dispose()

    with open_store(store_url, create=False) as s:
        assert s.checkout("baseline").to_yaml() == baseline.to_yaml()
        assert [v.record.message for v in s.log()] == ["old baseline"]
        with s.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
            assert ctx.get_current_revision() == HEAD_REVISION
            assert compare_metadata(ctx, metadata) == []  # the migrations build exactly schema.py
            if s.engine.dialect.name == "sqlite":  # 0004: both rows tables clustered by their key
                ddl = dict(conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
                assert ddl["version_rows"].rstrip().endswith("WITHOUT ROWID")
                assert ddl["snapshot_rows"].rstrip().endswith("WITHOUT ROWID")
        s.commit("baseline", change_relations(baseline, 1), message="after upgrade")


def test_clustering_the_rows_migrates_both_ways_and_keeps_every_version(store_url, baseline, monkeypatch):
    from alembic import command

    from restructure.store import _alembic_config

    monkeypatch.setattr(store_mod, "SNAPSHOT_EVERY", 2)  # some versions with snapshot rows too
    with open_store(store_url) as s:
        s.init(baseline)
        for n in (1, 2, 3):
            s.commit("baseline", change_relations(baseline, n), message=f"change {n}")
        ids = [v.record.id for v in s.log()]
        before = {vid: s.checkout(vid).to_yaml() for vid in ids}
    assert count(store_url, "snapshot_rows") > 0

    def rows_ddl(s) -> list[str]:
        with s.engine.connect() as conn:
            if s.engine.dialect.name != "sqlite":
                return []
            return [sql.rstrip() for (sql,) in conn.execute(sa.text(
                "SELECT sql FROM sqlite_master WHERE name IN ('version_rows', 'snapshot_rows')"
            ))]

    with open_store(store_url, create=False) as s:
        assert all(sql.endswith("WITHOUT ROWID") for sql in rows_ddl(s))
        with s.engine.connect() as conn:
            conn.execution_options(restructure_write=True)
            with conn.begin():
                command.downgrade(_alembic_config(conn), "0003")
        assert not any(sql.endswith("WITHOUT ROWID") for sql in rows_ddl(s))
    with open_store(store_url, create=False) as s:  # opening upgrades again
        assert all(sql.endswith("WITHOUT ROWID") for sql in rows_ddl(s))
        assert {vid: s.checkout(vid, verify=True).to_yaml() for vid in ids} == before


def test_store_from_a_newer_release_is_refused(store_url):
    open_store(store_url).close()
    with open_store(store_url) as s, s.engine.connect() as conn, conn.begin():
        conn.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = '9999'"))
    with pytest.raises(StoreError, match=r"^the store .* was made by a newer release of restructure \(schema 9999\)\. Upgrade restructure"):
        open_store(store_url)


# -- bad URLs, unreachable servers, files that are not stores ---------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "'not a url' is not a database URL. Write sqlite:///FILE.db or postgresql://USER:PASSWORD@HOST/DATABASE."),
        ("mysql://u@h/db", "unsupported database 'mysql' in mysql://u@h/db. Use sqlite:///FILE.db or postgresql://USER:PASSWORD@HOST/DATABASE."),
        (
            "postgresql://postgres:postgres@127.0.0.1:5999/x",
            "cannot connect to PostgreSQL at 127.0.0.1:5999 (connection refused). "
            "Check the server is running and the URL in --db or RESTRUCTURE_DATABASE_URL.",
        ),
    ],
)
def test_bad_urls_give_one_clear_line(url, message):
    with pytest.raises(StoreError) as err:
        open_store(url)
    assert str(err.value) == message


def test_wrong_password_and_missing_database(pg_url):
    u = sa.make_url(pg_url)
    with pytest.raises(StoreError, match=rf"^cannot connect to PostgreSQL at {u.host}:{u.port} \(password authentication failed for user '{u.username}'\)\."):
        open_store(u.set(password="wrong-password").render_as_string(hide_password=False))
    with pytest.raises(StoreError, match=rf"^cannot connect to PostgreSQL at {u.host}:{u.port} \(database 'no_such_db_x' does not exist\)\."):
        open_store(u.set(database="no_such_db_x").render_as_string(hide_password=False))


def test_files_that_are_not_stores(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("name: not a database\n" * 200)
    with pytest.raises(StoreError) as err:
        open_store(f"sqlite:///{text}")
    assert str(err.value) == (
        f"{text} is not a restructure store (not an SQLite database). "
        "Pass --db the store's file, or a new file name to create one."
    )
    other = tmp_path / "other.db"
    import sqlite3

    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreError, match=r"^.*other\.db is not a restructure store \(it holds other tables: invoices\)\."):
        open_store(f"sqlite:///{other}")
    with pytest.raises(StoreError, match=r"^no store at .*missing\.db\. Run `restructure init` first, or pass --db\.$"):
        open_store(f"sqlite:///{tmp_path / 'missing.db'}", create=False)
    assert not (tmp_path / "missing.db").exists()
    with pytest.raises(StoreError, match=r"is a folder, not a store file"):
        open_store(f"sqlite:///{tmp_path}")
    with pytest.raises(StoreError, match=r"^cannot create a store at .*: folder .*nowhere does not exist\."):
        open_store(f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}")


def test_empty_postgres_schema_is_no_store_until_created(store_url):
    if store_url.startswith("sqlite"):
        with pytest.raises(StoreError, match=r"^no store at "):
            open_store(store_url, create=False)
        return
    with pytest.raises(StoreError, match=r"^no store at PostgreSQL at .*\. Run `restructure init` first"):
        open_store(store_url, create=False)
    open_store(store_url).close()
    open_store(store_url, create=False).close()


def test_default_url_is_a_file_in_the_working_directory(tmp_path, monkeypatch, baseline):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RESTRUCTURE_DATABASE_URL", raising=False)
    with open_store() as s:
        s.init(baseline)
        assert s.url == "sqlite:///restructure.db"
    assert (tmp_path / "restructure.db").is_file()
    monkeypatch.setenv("RESTRUCTURE_DATABASE_URL", f"sqlite:///{tmp_path / 'team.db'}")
    open_store().close()
    assert (tmp_path / "team.db").is_file()


# -- revert ----------------------------------------------------------------------------


def test_revert_head_restores_its_parent(store, baseline):
    v1 = store.init(baseline)
    store.commit("baseline", change_relations(baseline, 2), message="two")
    vid = store.revert("baseline", "baseline")
    assert store.version(vid).message.startswith("Revert ") and store.version(vid).message.endswith(": two")
    assert store.checkout(vid).to_yaml() == store.checkout(v1).to_yaml() == baseline.to_yaml()


def test_revert_of_an_earlier_version_keeps_later_changes(store, baseline):
    store.init(baseline)
    a = baseline.copy()
    a.add(Area(id="X1", name="New part", kind="part"))
    va = store.commit("baseline", a, message="add X1")
    b = a.copy()
    b.add(Area(id="X2", name="Another", kind="part"))
    store.commit("baseline", b, message="add X2")
    plan = store.plan_revert(va, "baseline")
    assert plan.restored == 1
    store.revert(va, "baseline")
    now = store.checkout("baseline")
    assert "X1" not in now and "X2" in now
    # Changing X2 again and then reverting "add X2"'s parent change is fine; a record changed since is not.
    c = now.copy()
    c.replace(c.area("X2"), c.area("X2").model_copy(update={"name": "Renamed"}))
    store.commit("baseline", c, message="rename X2")
    with pytest.raises(StoreError, match=r"^cannot revert [0-9a-f]{12} on 'baseline': 1 record it changed was changed again since \(area X2\)\. Revert the later versions first\.$"):
        store.revert("baseline~2", "baseline")
    with pytest.raises(StoreError, match=r"^cannot revert [0-9a-f]{12}: it is the first version\."):
        store.revert("baseline~4", "baseline")


def test_revert_refuses_to_remove_what_later_versions_use(store, baseline):
    store.init(baseline)
    a = baseline.copy()
    a.add(Area(id="X1", name="New part", kind="part"))
    va = store.commit("baseline", a, message="add X1")
    b = a.copy()
    b.add(Relation(kind="within", source="X1", target=sorted(x.id for x in baseline.areas())[0]))
    store.commit("baseline", b, message="place X1")
    with pytest.raises(StoreError, match=rf"^cannot revert {va} on 'baseline': later versions build on what it changed \(within relation names unknown id 'X1'\)\. Revert the later versions first\.$"):
        store.plan_revert(va, "baseline")


def test_a_name_taken_between_read_and_write_is_one_clear_error(store, baseline, monkeypatch):
    """Two planners tagging at once: the second gets a StoreError, not a database traceback."""
    store.init(baseline)
    store.tag("board-paper", "baseline")  # the other planner's tag, already written
    real = store._refs
    # ...but this planner read the store just before it was
    monkeypatch.setattr(store, "_refs", lambda conn: {k: v for k, v in real(conn).items() if k != "board-paper"})
    with pytest.raises(StoreError, match=r"^a branch or tag named 'board-paper' was created since you read the store\."):
        store.tag("board-paper", "baseline")
    monkeypatch.undo()
    assert [r.name for r in store.tags()] == ["board-paper"]
