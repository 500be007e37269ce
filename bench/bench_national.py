"""Issue 19's table: each step on the national small-area structure against the raw floor, ×1 and ×4.

One command (``make bench`` runs it and rewrites the README's performance table)::

    .venv/bin/python bench/bench_national.py --json out/bench.json --readme README.md
    .venv/bin/python bench/bench_national.py --scales 1 --repeat 1     # a quick look

Structures
----------
``×1`` is England and Wales at small-area level, built from the data bundled
with the package (:mod:`restructure.data`): the ONS LAD→CSP→PFA lookup (2023
for "now", 2017 for the diff's "before"), counties from ``LAD21_CTY21`` and
mySociety's LSOA lookup (about 35,000 small areas, 72,000 records). ``×4`` is
four disjoint copies of it (:func:`restructure.synthetic.replicate`): the same
shape at four times the size.

Steps and their floors (the least any program must do, on the same data, in the same run)
------------------------------------------------------------------------------------------
- full commit (``Store.init``) / raw ``sqlite3`` ``executemany`` of the same
  (version, kind, key, payload) tuples into a fresh file, committed;
- checkout (fresh store object, nothing cached) / raw ``SELECT`` of the same rows;
- a 10-operation commit (10 renames on the head) / inserting 10 rows;
- semantic diff 2017→2023 (``compare``, no checks) / set difference of the
  two structures' (kind, key, payload) tuples;
- render one police force area (``render_svg`` with ``--focus``) / bare
  ``dot -Tsvg`` on the same DOT;
- render the whole country without small areas / bare ``dot -Tsvg`` on the same DOT;
- ``restructure check FILE.yaml`` as a process / a process parsing the same
  file with PyYAML's C loader and one pass over the records; the same check
  from JSON and from a stored version (goal: under 1 s).

Beside the checkout, for information (no goal): the networkx graph of the row keys alone,
payloads unparsed (:func:`key_graph`), timed and traced the same way: what the structure's
graph costs before any record is made. Beside the focused render (which, repeated on one
structure, reuses its seat index and what the first render learnt of the force area), the
first focused render of a fresh copy.

Every step is run ``--repeat`` times (default 5; a step whose runs add up to
more than 30 s stops early) and the minimum kept. Both wall time and CPU time
(this process plus its children) are recorded; ratios use **CPU time**, which a
shared, loaded machine disturbs far less than wall time. The load average is
printed and written to the JSON. Growth is the ×4 time over the ×1 time (4.0
is linear).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import os
import platform
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from measure import cpu, load, peak  # noqa: E402

from restructure.data import path as data_path  # noqa: E402
from restructure.io.ons import import_ons  # noqa: E402
from restructure.structure import Structure  # noqa: E402
from restructure.synthetic import replicate  # noqa: E402

__all__ = ["main", "national", "run_scale", "readme_section", "STEPS"]

ON = dt.date(2024, 6, 1)
BUDGET = 30.0
"""Seconds: a step whose repeats add up to more than this stops repeating."""

STEPS = [
    # key, what, floor, goal ratio (None: absolute goal only), absolute goal in seconds
    ("commit", "full commit (`Store.init`)", "raw `sqlite3` executemany of the same tuples", 2.0, None),
    ("checkout", "checkout of a version", "raw `SELECT` of the same rows", 2.0, None),
    ("commit10", "a 10-operation commit", "inserting 10 delta rows", None, 0.05),
    ("diff", "semantic diff 2017→2023 (`compare`, no checks)", "set difference of the record tuples", 3.0, None),
    ("focus", "render one police force area", "bare `dot -Tsvg` on the same DOT", 1.5, None),
    ("country", "render the whole country without small areas", "bare `dot -Tsvg` on the same DOT", 1.3, None),
    ("check", "`restructure check` on the national YAML (process)", "PyYAML C loader + one pass (process)", 1.5, None),
    ("check_json", "`restructure check` on the national JSON (process)", "`json.load` + one pass (process)", None, 1.0),
    ("check_store", "`restructure check` of a stored version (process)", "raw `SELECT` of the rows (process)", None, 1.0),
]
GROWTH_GOALS = {"commit10": 1.3, "focus": 1.3}
"""Steps whose time should not grow with the structure: ×4 time / ×1 time at most this."""
NATIONAL_ONLY = {"check_json", "check_store"}
"""Absolute goals stated for the national structure (×1); at larger scales the step must stay linear."""
LINEAR = 1.25
"""Every other step stays linear: its ratio to the floor at the largest scale at most this times its ratio at ×1
(it grows no faster than the least any program must do; bare `dot` itself grows faster than linearly)."""


# -- measuring -----------------------------------------------------------------------------


def measure(fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> dict:
    """Minimum wall and CPU seconds of ``fn`` over ``repeat`` runs (``setup`` untimed before each)."""
    wall = best_cpu = math.inf
    spent, runs = 0.0, 0
    for _ in range(repeat):
        if setup is not None:
            setup()
        gc.collect()
        w0, c0 = time.perf_counter(), cpu()
        fn()
        w, c = time.perf_counter() - w0, cpu() - c0
        wall, best_cpu, spent, runs = min(wall, w), min(best_cpu, c), spent + w, runs + 1
        if spent > BUDGET:
            break
    return {"wall": wall, "cpu": best_cpu, "runs": runs}


# -- inputs --------------------------------------------------------------------------------


def national(edition: int = 2023, small_areas: bool = True) -> Structure:
    """England and Wales from the bundled data (small areas optional)."""
    lookup = data_path(f"ons/LAD{edition % 100}_CSP{edition % 100}_PFA{edition % 100}_EW_LU.csv")
    smalls = (data_path("mysociety/lookup_lsoa_to_registry.csv"), data_path("mysociety/uk_local_authorities_future.csv"))
    return import_ons(lookup, counties_path=data_path("ons/LAD21_CTY21_EN_LU.csv"), small_areas=smalls if small_areas else None)


def tuples(structure: Structure) -> list[tuple[str, str, str]]:
    from restructure.store.rows import structure_rows

    return [(k, key, p) for (k, key), p in structure_rows(structure).items()]


def key_graph(rows) -> object:
    """A networkx MultiDiGraph of row keys alone, each node's and edge's data its payload unparsed.

    Not a checkout: the least any checkout into the structure's graph must build (one node per
    area and body, one keyed edge per relation), with no record made. The bench reports it beside
    the checkout so the goal can be read against what the graph itself costs.
    """
    import networkx as nx

    g = nx.MultiDiGraph()
    node, succ, pred = g._node, g._succ, g._pred
    for kind, key, payload in rows:
        if kind == "relation":
            rel, u, v, area, start = key.split("|")
            keys = succ[u].get(v)
            if keys is None:
                keys = succ[u][v] = pred[v][u] = {}
            keys[f"{rel}|{area}|{start}"] = {"row": payload}
        elif kind != "structure":
            node[key] = {"row": payload}
            succ[key] = {}
            pred[key] = {}
    return g


def ten_renames(structure: Structure) -> Structure:
    """The structure with 10 small areas renamed (10 operations' worth of edits)."""
    out = structure.copy()
    areas = sorted((a for a in out.areas() if a.kind == "part" or a.id.startswith("E01")), key=lambda a: a.id)[:10]
    for a in areas:
        out.replace(a, a.model_copy(update={"name": f"{a.name} (renamed)"}))
    return out


# -- the steps -----------------------------------------------------------------------------


def run_scale(scale: int, base: dict[str, Structure], repeat: int, tmp: Path, memory: bool) -> dict:
    """Every step at one scale; returns {step: {seconds, floor, ratio}} plus sizes."""
    from restructure.diff import compare
    from restructure.render import render_svg, to_dot
    from restructure.store import open_store

    print(f"×{scale}: building …", file=sys.stderr, flush=True)
    s = replicate(base["now"], scale)
    before = replicate(base["before"], scale)
    country = replicate(base["country"], scale)
    rows = tuples(s)
    rows_before = tuples(before)
    out: dict = {"scale": scale, "records": len(rows), "steps": {}, "load_before": load()}
    counter = iter(range(10**6))

    def record(key: str, mine: dict, floor: dict, **extra) -> None:
        ratio = mine["cpu"] / floor["cpu"] if floor["cpu"] > 0 else None
        out["steps"][key] = {"mine": mine, "floor": floor, "ratio": ratio, **extra}
        r = f"×{ratio:.1f}" if ratio else "—"
        print(f"  ×{scale} {key:<12} {mine['cpu']:8.3f} s CPU ({mine['wall']:.3f} wall)  floor {floor['cpu']:.3f} s  {r}",
              file=sys.stderr, flush=True)

    # full commit
    def commit():
        store = open_store(f"sqlite:///{tmp}/store-{scale}-{next(counter)}.db")
        try:
            store.init(s)
        finally:
            store.close()

    def raw_commit():
        con = sqlite3.connect(tmp / f"raw-{scale}-{next(counter)}.db")
        con.execute("CREATE TABLE version_rows (version_id TEXT, kind TEXT, key TEXT, payload TEXT, "
                    "PRIMARY KEY (version_id, kind, key))")
        con.executemany("INSERT INTO version_rows VALUES ('v', ?, ?, ?)", rows)
        con.commit()
        con.close()

    print(f"×{scale}: commit …", file=sys.stderr, flush=True)
    record("commit", measure(commit, repeat), measure(raw_commit, repeat))

    url = f"sqlite:///{tmp}/store-{scale}.db"
    store = open_store(url)
    store.init(s)
    store.close()
    raw = tmp / f"raw-{scale}.db"
    con = sqlite3.connect(raw)
    con.execute("CREATE TABLE version_rows (version_id TEXT, kind TEXT, key TEXT, payload TEXT, "
                "PRIMARY KEY (version_id, kind, key))")
    con.executemany("INSERT INTO version_rows VALUES ('v', ?, ?, ?)", rows)
    con.commit()
    con.close()

    # checkout
    def checkout():
        st = open_store(url, create=False)  # a fresh store object: nothing cached
        try:
            return st.checkout("baseline")
        finally:
            st.close()

    def raw_select():
        c = sqlite3.connect(raw)
        try:
            return c.execute("SELECT kind, key, payload FROM version_rows WHERE version_id = 'v'").fetchall()
        finally:
            c.close()

    opened: dict = {}

    def open_fresh():  # untimed: opening (and checking the schema) is not the checkout
        opened["store"] = open_store(url, create=False)

    def checkout_only():
        try:
            return opened["store"].checkout("baseline")
        finally:
            opened["store"].close()

    print(f"×{scale}: checkout …", file=sys.stderr, flush=True)
    extra = {}
    if memory:
        open_fresh()
        extra = {"peak_bytes": peak(checkout_only), "floor_peak_bytes": peak(raw_select)}
    record("checkout", measure(checkout_only, repeat, setup=open_fresh), measure(raw_select, repeat), **extra)

    def keys_only():
        c = sqlite3.connect(raw)
        try:  # in key order, as a checkout reads them (areas and bodies before the relations naming them)
            return key_graph(c.execute("SELECT kind, key, payload FROM version_rows WHERE version_id = 'v' "
                                       "ORDER BY kind, key"))
        finally:
            c.close()

    out["graph_floor"] = {"mine": measure(keys_only, repeat), **({"peak_bytes": peak(keys_only)} if memory else {})}

    # a 10-operation commit, each run on its own branch from the same head: the planner's way,
    # a checkout edited (as `restructure apply` does) and committed by a fresh store object
    after = ten_renames(checkout())
    have = set(rows)
    delta10 = [r for r in tuples(after) if r not in have]
    branches = iter(range(10**6))
    state: dict = {}

    def new_branch():
        st = open_store(url, create=False)
        name = f"b{next(branches)}"
        st.create_branch(name, "baseline")
        st.close()
        state["store"], state["branch"] = open_store(url, create=False), name

    def commit10():
        try:
            state["store"].commit(state["branch"], after, message="10 renames")
        finally:
            state["store"].close()

    def raw10():
        c = sqlite3.connect(raw)
        n = next(counter)
        c.executemany("INSERT INTO version_rows VALUES (?, ?, ?, ?)", [(f"w{n}", *r) for r in delta10])
        c.commit()
        c.close()

    print(f"×{scale}: 10-operation commit …", file=sys.stderr, flush=True)
    record("commit10", measure(commit10, repeat, setup=new_branch), measure(raw10, repeat), delta_rows=len(delta10))

    # semantic diff 2017 -> 2023
    def diff():
        return compare(before, s, findings=False)

    def set_diff():
        a, b = set(rows_before), set(rows)
        return a - b, b - a

    print(f"×{scale}: diff …", file=sys.stderr, flush=True)
    record("diff", measure(diff, repeat), measure(set_diff, repeat))

    # renders
    def dot_only(text: str) -> Callable[[], object]:
        data = text.encode("utf-8")
        return lambda: subprocess.run(["dot", "-Tsvg"], input=data, capture_output=True, check=True)

    pfa = sorted(a.id for a in s.areas(kind="police_force_area"))[0]
    print(f"×{scale}: render one force area ({pfa}) …", file=sys.stderr, flush=True)
    record("focus", measure(lambda: render_svg(s, "hierarchy", focus=pfa, on=ON), repeat),
           measure(dot_only(to_dot(s, "hierarchy", focus=pfa, on=ON)), repeat), focus=pfa)
    # The same render on a structure not rendered before (a fresh copy each time, made untimed):
    # it also builds the seat index and walks the force area's small areas once. Information: the
    # row above is the render as a board pack or a notebook repeats it.
    fresh: dict = {}
    out["focus_first"] = measure(lambda: render_svg(fresh["s"], "hierarchy", focus=pfa, on=ON), repeat,
                                 setup=lambda: fresh.update(s=s.copy()))
    print(f"×{scale}: render the whole country …", file=sys.stderr, flush=True)
    record("country", measure(lambda: render_svg(country, "hierarchy", on=ON), repeat),
           measure(dot_only(to_dot(country, "hierarchy", on=ON)), repeat))

    # whole-process checks
    yml, js = tmp / f"national-{scale}.yaml", tmp / f"national-{scale}.json"
    s.save(yml)
    s.save(js)
    exe = str(Path(sys.executable).with_name("restructure"))
    env = {**os.environ, "RESTRUCTURE_DATABASE_URL": url, "NO_COLOR": "1"}

    def proc(*args: str) -> Callable[[], object]:
        return lambda: subprocess.run(list(args), capture_output=True, env=env, check=False)

    one_pass = "n = sum(len(v) for v in d.values() if isinstance(v, list))"
    yaml_floor = f"import sys, yaml; d = yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader); {one_pass}"
    json_floor = f"import sys, json; d = json.load(open(sys.argv[1], 'rb')); {one_pass}"
    sql_floor = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                 "n = sum(1 for _ in c.execute('SELECT kind, key, payload FROM version_rows'))")
    print(f"×{scale}: check (processes) …", file=sys.stderr, flush=True)
    record("check", measure(proc(exe, "check", str(yml)), repeat), measure(proc(sys.executable, "-c", yaml_floor, str(yml)), repeat))
    record("check_json", measure(proc(exe, "check", str(js)), repeat), measure(proc(sys.executable, "-c", json_floor, str(js)), repeat))
    record("check_store", measure(proc(exe, "check", "baseline", "--db", url), repeat),
           measure(proc(sys.executable, "-c", sql_floor, str(tmp / f"store-{scale}.db")), repeat))
    out["load_after"] = load()
    return out


# -- report --------------------------------------------------------------------------------


def machine() -> dict:
    try:
        cpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next((ln.split(":", 1)[1].strip() for ln in cpu.splitlines() if ln.startswith("Model name")), "?")
    except OSError:
        model = platform.processor() or "?"
    return {"cpu": model, "cpus": os.cpu_count(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}"}


def _goal(step: tuple, row: dict | None, scale: int) -> str | None:
    """``met``/``missed`` for one scale's row, or None where the goal is not judged at that scale."""
    key, _, _, ratio_goal, abs_goal = step
    if row is None:
        return None
    if ratio_goal is not None:
        return "met" if row["ratio"] is not None and row["ratio"] <= ratio_goal else "missed"
    if key in NATIONAL_ONLY and scale != 1:
        return None
    return "met" if row["mine"]["cpu"] < abs_goal else "missed"


def table(result: dict) -> str:
    """The markdown ratio table: one line per step, ×1 and ×4 side by side, and growth."""
    scales = result["scales"]
    head = "| step | floor | " + " | ".join(f"×{r['scale']} (CPU s, ratio)" for r in scales)
    head += " | growth ×4/×1 | goal | verdict |" if len(scales) > 1 else " | goal | verdict |"
    lines = [head, "|---|---|" + "--:|" * len(scales) + ("--:|" if len(scales) > 1 else "") + "---|---|"]
    for step in STEPS:
        key, what, floor, ratio_goal, abs_goal = step
        cells, verdicts = [], []
        for r in scales:
            row = r["steps"].get(key)
            if row is None:
                cells.append("—")
                continue
            ratio = f"×{row['ratio']:.1f}" if row["ratio"] is not None else "—"
            cells.append(f"{row['mine']['cpu']:.3f} s vs {row['floor']['cpu']:.3f} s, {ratio}")
            verdict = _goal(step, row, r["scale"])
            if verdict is not None:
                verdicts.append(verdict)
        goal = f"≤ {ratio_goal:g}× floor" if ratio_goal is not None else f"< {abs_goal * 1000:g} ms"
        if key in NATIONAL_ONLY:
            goal += " at ×1"
        if len(scales) > 1:
            a, b = scales[0]["steps"].get(key), scales[-1]["steps"].get(key)
            growth = b["mine"]["cpu"] / a["mine"]["cpu"] if a and b and a["mine"]["cpu"] else None
            cells.append(f"{growth:.2f}" if growth is not None else "—")
            if key in GROWTH_GOALS:
                goal += f"; growth ≤ {GROWTH_GOALS[key]:g}"
                if growth is not None:
                    verdicts.append("met" if growth <= GROWTH_GOALS[key] else "missed")
            else:
                goal += "; linear"
                if a and b and a["ratio"] and b["ratio"] is not None:
                    verdicts.append("met" if b["ratio"] <= LINEAR * a["ratio"] else "missed")
        verdict = "missed" if "missed" in verdicts else ("met" if verdicts else "—")
        lines.append(f"| {what} | {floor} | " + " | ".join(cells) + f" | {goal} | {verdict} |")
    mem = [r for r in scales if "peak_bytes" in r["steps"].get("checkout", {})]
    if mem:
        r = mem[-1]["steps"]["checkout"]
        lines += ["", f"Memory peak of checkout at ×{mem[-1]['scale']}: {r['peak_bytes'] / 2**20:,.0f} MiB "
                  f"(raw rows as Python tuples: {r['floor_peak_bytes'] / 2**20:,.0f} MiB, "
                  f"×{r['peak_bytes'] / r['floor_peak_bytes']:.1f}; goal ≤ 2×: "
                  f"{'met' if r['peak_bytes'] <= 2 * r['floor_peak_bytes'] else 'missed'})."]
    for r in scales:  # information, no goal: a focused render of a structure never rendered before
        first, focus = r.get("focus_first"), r["steps"].get("focus")
        if first is not None and focus is not None:
            lines += ["", f"At ×{r['scale']} the first focused render of a structure (its seat index built and the "
                          f"force area's small areas walked once; later renders reuse both) takes "
                          f"{first['cpu']:.3f} s, ×{first['cpu'] / focus['floor']['cpu']:.1f} bare `dot`."]
    for r in scales:  # information, no goal: what the structure's graph costs before any record is made
        g, co = r.get("graph_floor"), r["steps"].get("checkout")
        if g is None or co is None:
            continue
        line = (f"At ×{r['scale']} the networkx graph of the row keys alone, payloads unparsed (no record made: the "
                f"least a checkout into the structure's graph must build) takes {g['mine']['cpu']:.3f} s, "
                f"×{g['mine']['cpu'] / co['floor']['cpu']:.1f} the raw `SELECT`")
        if "peak_bytes" in g and "floor_peak_bytes" in co:
            line += (f", and peaks at {g['peak_bytes'] / 2**20:,.0f} MiB, "
                     f"×{g['peak_bytes'] / co['floor_peak_bytes']:.1f} the raw rows")
        lines += ["", line + "."]
    return "\n".join(lines) + "\n"


def readme_section(result: dict) -> str:
    m = result["machine"]
    loads = [x for r in result["scales"] for x in (r["load_before"][0], r["load_after"][0])]
    sizes = ", ".join(f"×{r['scale']}: {r['records']:,} records" for r in result["scales"])
    return (
        f"Measured {result['when']} with `make bench` ({sizes}); {m['cpu']}, {m['cpus']} CPUs, "
        f"Python {m['python']}, {m['system']}; **load average {min(loads):.1f}–{max(loads):.1f} during the run**"
        f" (the goals are stated for load ≤ 2: at a higher load every ratio is noisier). Each cell: the "
        f"step's CPU seconds vs the floor's, best of {result['repeat']}, and their ratio.\n\n" + table(result)
    )


MARK_START, MARK_END = "<!-- bench:national:start -->", "<!-- bench:national:end -->"


def write_readme(path: Path, result: dict) -> None:
    """Replace the text between the bench markers in the README with this run's table."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(MARK_START) + ".*?" + re.escape(MARK_END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{path} has no {MARK_START} … {MARK_END} block to rewrite")
    block = f"{MARK_START}\n{readme_section(result)}{MARK_END}"
    path.write_text(pattern.sub(lambda _: block, text), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,4", help="comma-separated copies of the national structure (default 1,4)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per step; the minimum is kept (default 5)")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run of checkout")
    parser.add_argument("--json", default="out/bench.json", help="write the numbers here (default out/bench.json)")
    parser.add_argument("--readme", default=None, help="rewrite the performance table in this README")
    parser.add_argument("--report", metavar="JSON", default=None,
                        help="measure nothing: print (and with --readme write) the table of an earlier run's JSON")
    args = parser.parse_args(argv)
    if args.report:
        result = json.loads(Path(args.report).read_text(encoding="utf-8"))
        if args.readme:
            write_readme(Path(args.readme), result)
        sys.stdout.write(readme_section(result))
        return 0
    print("building the national structures from the bundled data …", file=sys.stderr, flush=True)
    base = {"now": national(2023), "before": national(2017), "country": national(2023, small_areas=False)}
    result = {"when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
              "repeat": args.repeat, "load_start": load(), "scales": []}
    with tempfile.TemporaryDirectory() as tmp:
        for scale in (int(x) for x in args.scales.split(",")):
            result["scales"].append(run_scale(scale, base, args.repeat, Path(tmp), memory=not args.no_memory))
            result["load_end"] = load()
            # written after every scale: a long run interrupted still leaves what it measured
            if args.json:
                Path(args.json).parent.mkdir(parents=True, exist_ok=True)
                Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
            if args.readme:
                write_readme(Path(args.readme), result)
    sys.stdout.write(readme_section(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
