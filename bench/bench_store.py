"""Benchmark of the version store against plain SQL in the same run.

On a synthetic national-scale structure (a force area, 1,000 districts of 10
parts each: 11,001 areas, with a CSP and a council per district), it times

- commit of the first version (every row) and of a version that changes 10
  relations, against a plain ``executemany`` INSERT of the same rows into a
  three-column table;
- checkout of the latest version in a fresh process view (nothing cached),
  against a plain SELECT of the same rows;

and reports the bytes a 10-relation version adds as a fraction of a full
copy: logical (key and payload characters) and physical (file or relation
growth). SQLite always; PostgreSQL too when ``RESTRUCTURE_TEST_DATABASE_URL``
is set (in a scratch schema, dropped afterwards).

Run: ``.venv/bin/python bench/bench_store.py [--districts N] [--repeat N]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from restructure.model import Relation
from restructure.store import open_store
from restructure.store.rows import structure_rows
from restructure.structure import Structure
from restructure.synthetic import districts_structure

__all__ = ["synthetic", "change_relations", "run", "main"]

TABLES = ("versions", "version_parents", "refs", "version_rows", "snapshot_rows")


def synthetic(n_districts: int = 1000, parts: int = 10) -> Structure:
    """A force area, ``n_districts`` districts of ``parts`` parts, a CSP and a council per district."""
    return districts_structure(n_districts, parts, "synthetic national structure")


def change_relations(s: Structure, n: int = 10) -> Structure:
    """Move ``n`` districts' coverage to a neighbouring CSP on a date: ``n`` relations end, ``n`` begin."""
    import datetime as dt

    on = dt.date(2028, 4, 1)
    out = s.copy()
    covers = sorted(out.relations("covers"), key=lambda r: r.key)[:n]
    for i, r in enumerate(covers):
        out.replace(r, r.model_copy(update={"end": on}))
        out.add(Relation(kind="covers", source=covers[(i + 1) % n].source, target=r.target, start=on))
    return out


@contextmanager
def _location(backend: str, pg_url: str | None):
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'bench.db'}"
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield sa.make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


def _physical(store) -> int:
    """Bytes the store's tables occupy now."""
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            return Path(store.engine.url.database).stat().st_size
        return int(sum(
            conn.execute(sa.text("SELECT pg_total_relation_size(CAST(:t AS regclass))"), {"t": t}).scalar()
            for t in TABLES
        ))


def _plain(url: str, rows: list[tuple[str, str, str]]) -> tuple[float, float]:
    """Seconds to executemany-INSERT the rows into a plain table, and to SELECT them back."""
    engine = sa.create_engine(url)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        table = f"plain_{uuid.uuid4().hex[:8]}"
        cur.execute(f"CREATE TABLE {table} (kind VARCHAR(16), key TEXT, payload TEXT, PRIMARY KEY (kind, key))")
        raw.commit()
        mark = "?" if engine.dialect.name == "sqlite" else "%s"
        t0 = time.perf_counter()
        cur.executemany(f"INSERT INTO {table} VALUES ({mark}, {mark}, {mark})", rows)
        raw.commit()
        insert = time.perf_counter() - t0
        t0 = time.perf_counter()
        cur.execute(f"SELECT kind, key, payload FROM {table}")
        got = cur.fetchall()
        select = time.perf_counter() - t0
        assert len(got) == len(rows)
        cur.execute(f"DROP TABLE {table}")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()
    return insert, select


def run(backend: str, structure: Structure, changed: Structure, repeat: int, pg_url: str | None = None) -> dict:
    """Best-of-``repeat`` timings and sizes for one backend."""
    rows = [(k, key, p) for (k, key), p in structure_rows(structure).items()]
    best: dict[str, float] = {}
    sizes: dict[str, int] = {}
    for _ in range(repeat):
        with _location(backend, pg_url) as url:
            store = open_store(url)
            before = _physical(store)
            t0 = time.perf_counter()
            root = store.init(structure)
            t_init = time.perf_counter() - t0
            after_init = _physical(store)
            t0 = time.perf_counter()
            vid = store.commit("baseline", changed, message="10 relations change")
            t_change = time.perf_counter() - t0
            after_change = _physical(store)
            sizes = {
                "logical_full": store.delta_size(root)[1],
                "logical_change": store.delta_size(vid)[1],
                "physical_full": after_init - before,
                "physical_change": after_change - after_init,
            }
            store.close()
            fresh = open_store(url, create=False)  # nothing cached: rebuilt from the database
            t0 = time.perf_counter()
            out = fresh.checkout("baseline")
            t_checkout = time.perf_counter() - t0
            fresh.close()
            assert out.to_yaml() == changed.to_yaml(), "checkout is not exact"
            t_insert, t_select = _plain(url, rows)
        for key, value in (("init", t_init), ("change", t_change), ("checkout", t_checkout),
                           ("insert", t_insert), ("select", t_select)):
            best[key] = min(best.get(key, value), value)
    return {"times": best, "sizes": sizes, "rows": len(rows)}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a small table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=1000, help="districts of 10 parts each (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per backend; the best is shown (default 3)")
    args = parser.parse_args(argv)
    structure = synthetic(args.districts)
    changed = change_relations(structure, 10)
    n_areas = sum(1 for _ in structure.areas())
    n_bodies = sum(1 for _ in structure.bodies())
    backends = ["sqlite"]
    pg_url = os.environ.get("RESTRUCTURE_TEST_DATABASE_URL")
    if pg_url:
        backends.append("postgresql")
    else:
        print("(PostgreSQL skipped: RESTRUCTURE_TEST_DATABASE_URL is not set)", file=sys.stderr)
    print(f"Store benchmark: {n_areas:,} areas, {n_bodies:,} bodies, "
          f"{structure.graph.number_of_edges():,} relations; best of {args.repeat}")
    print(f"{'backend':<11} {'operation':<36} {'store s':>8} {'plain s':>8} {'ratio':>7}")
    for backend in backends:
        r = run(backend, structure, changed, args.repeat, pg_url)
        t, s = r["times"], r["sizes"]
        lines = [
            (f"commit, first version ({r['rows']:,} rows)", t["init"], t["insert"]),
            ("commit, 10 relations changed", t["change"], t["insert"]),
            ("checkout latest (cold)", t["checkout"], t["select"]),
        ]
        for what, mine, plain in lines:
            print(f"{backend:<11} {what:<36} {mine:>8.3f} {plain:>8.3f} {mine / plain:>6.1f}x")
        print(f"{backend:<11} bytes per 10-relation version: logical {s['logical_change']:,} of "
              f"{s['logical_full']:,} ({s['logical_change'] / s['logical_full']:.3%} of a full copy); "
              f"physical {s['physical_change']:,} of {s['physical_full']:,} "
              f"({s['physical_change'] / s['physical_full']:.3%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
