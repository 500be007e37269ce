"""How long ``restructure diff`` takes on 10,000+ areas and a 50-operation scenario, against a set difference.

One command::

    .venv/bin/python bench/bench_diff.py            # 10,101 areas
    .venv/bin/python bench/bench_diff.py --units 400 # 40,401 areas

The structure is generated here, in memory: one police force area; counties of
10 districts each; every district split into 100 small areas; one CSP per
district covering it and discharging the Duty; a district council serving each
district, a county council per county; police, fire and probation serving the
force area and members of every CSP; a Strategy Board with a seat per county.
A 50-operation scenario (10 CSP mergers into new CSPs, 10 renames, 10 area
transfers, 10 new members, 5 seats moved, 5 CSPs dissolved into a neighbour)
is applied with :func:`restructure.apply.apply`.

Stages (median of repeats, ``time.perf_counter``), each divided by the same
run's baseline -- the set difference of the two versions' node tuples
``(id, record)`` and edge tuples ``(source, target, key, record)``, sets
built included (the least any diff must do):

- ``patch``: :func:`restructure.diff.diff` (the primitive edits, canonical order);
- ``summary``: :func:`restructure.diff.changes` without the checks (lineage,
  coverage of every district, memberships, seats, footprints);
- ``compare``: :func:`restructure.diff.compare`, both of the above plus the checks
  on both sides (findings introduced and resolved) -- what ``restructure diff`` runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from restructure import operations as O  # noqa: E402
from restructure.apply import apply  # noqa: E402
from restructure.diff import changes, compare, diff  # noqa: E402
from restructure.model import Area, Body, Relation  # noqa: E402
from restructure.structure import Structure  # noqa: E402

ON = dt.date(2027, 4, 1)
BEFORE = ON - dt.timedelta(days=1)
SV = frozenset({"serious_violence_duty"})


def synthetic(n_units: int) -> Structure:
    """``n_units`` districts of 100 small areas each, in counties of 10, under one force area."""
    s = Structure(f"synthetic-{n_units}")
    add = s.add
    add(Area(id="PFA", name="Force", kind="police_force_area"))
    add(Body(id="board", name="Strategy Board", kind="strategy_board", tier="strategic"))
    for agency, kind in (("police", "police_force"), ("fire", "fire_and_rescue_authority"),
                         ("probation", "probation_service")):
        add(Body(id=agency, name=agency.title(), kind=kind, duties=SV))
        add(Relation(kind="serves", source=agency, target="PFA"))
    for u in range(n_units):
        county = f"C{u // 10}"
        if u % 10 == 0:
            add(Area(id=county, name=f"County {u // 10}", kind="county"))
            add(Relation(kind="within", source=county, target="PFA"))
            add(Body(id=f"cc-{county}", name=f"County Council {u // 10}", kind="county_council", duties=SV))
            add(Relation(kind="serves", source=f"cc-{county}", target=county))
            add(Relation(kind="seat", source=f"cc-{county}", target="board", area=county, role="representative"))
        district = f"D{u}"
        add(Area(id=district, name=f"District {u}", kind="district"))
        add(Relation(kind="within", source=district, target=county))
        for k in range(100):
            small = f"S{u}-{k}"
            add(Area(id=small, name=f"Small area {u}-{k}", kind="small_area"))
            add(Relation(kind="within", source=small, target=district))
        csp, dc = f"csp-{u}", f"dc-{u}"
        add(Body(id=csp, name=f"CSP {u}", kind="community_safety_partnership", tier="local"))
        add(Body(id=dc, name=f"District Council {u}", kind="district_council", duties=SV))
        add(Relation(kind="covers", source=csp, target=district))
        add(Relation(kind="discharges", source=csp, target=district))
        add(Relation(kind="serves", source=dc, target=district))
        for member in (dc, f"cc-{county}", "police", "fire", "probation"):
            add(Relation(kind="member_of", source=member, target=csp, role="statutory"))
        add(Relation(kind="accountable_to", source=csp, target="board"))
    return s


def scenario(n_units: int) -> list:
    """50 operations on disjoint districts, spread over the structure (``n_units`` >= 100)."""
    f = n_units // 100

    def u(i: int) -> int:
        return i * f

    ops: list = []
    for i in range(0, 20, 2):  # mergers of neighbouring CSPs into new ones
        ops.append(O.Merge(bodies=(f"csp-{u(i)}", f"csp-{u(i) + 1}"), into=f"merged-{i}",
                           new=Body(id=f"merged-{i}", name=f"Merged CSP {i}", kind="community_safety_partnership")))
    for i in range(20, 30):
        ops.append(O.Rename(id=f"csp-{u(i)}", name=f"Renamed CSP {u(i)}"))
    for i in range(30, 50, 2):  # a CSP takes over its neighbour's district
        ops.append(O.TransferAreas(areas=(f"D{u(i) + 1}",), **{"from": f"csp-{u(i) + 1}"}, to=f"csp-{u(i)}"))
    for i in range(50, 70, 2):
        ops.append(O.AddMember(body=f"dc-{u(i) + 1}", partnership=f"csp-{u(i)}", role="co-opted"))
    for i in range(70, 80, 2):
        ops.append(O.Dissolve(body=f"csp-{u(i)}", successors=(f"csp-{u(i) + 1}",)))
    for k in range(5, 10):  # the county's seat moves from its council to one of its CSPs
        unit = u(10 * k + 9)
        ops.append(O.MoveSeat(board="board", area=f"C{unit // 10}", to=f"csp-{unit}"))
    assert len(ops) == 50
    return ops


def baseline(a: Structure, b: Structure) -> int:
    """Set difference of node and edge tuples: what was added and removed, nothing more."""
    na = set(a.graph.nodes(data="record"))
    nb = set(b.graph.nodes(data="record"))
    ea = set(a.graph.edges(keys=True, data="record"))
    eb = set(b.graph.edges(keys=True, data="record"))
    return len(nb - na) + len(na - nb) + len(eb - ea) + len(ea - eb)


def timed(fn, repeats: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100,
                        help="districts (100 small areas each), a multiple of 100; default 100")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    a = synthetic(args.units)
    ops = scenario(args.units)
    t0 = time.perf_counter()
    b = apply(a, ops, ON, scenario="bench").structure
    t_apply = time.perf_counter() - t0
    n_areas = sum(1 for _ in a.areas())
    print(f"structure: {n_areas} areas, {a.graph.number_of_nodes() - n_areas} bodies, "
          f"{a.graph.number_of_edges()} relations; scenario: {len(ops)} operations (applied in {t_apply:.3f} s)")

    t_base, n_base = timed(lambda: baseline(a, b), args.repeats)
    t_diff, d = timed(lambda: diff(a, b), args.repeats)
    t_sum, c = timed(lambda: changes(a, b, BEFORE, ON, findings=False, patch=d), max(1, args.repeats // 2))
    t_cmp, cmp = timed(lambda: compare(a, b, BEFORE, ON), 1)
    # the patch holds the same records as the set difference (an update is a removal and an addition there,
    # and the change events are extra)
    events = sum(1 for e in d.ops if e.op == "add" and type(e.record).__name__ == "ChangeEvent")
    n_patch = sum(2 if e.op == "update" else 1 for e in d.ops) - events
    assert n_patch == n_base, (n_patch, n_base)

    print(f"patch: {len(d)} edits ({n_base} node/edge tuples differ); {cmp.stat()}")
    print()
    print("| stage | seconds | ratio to baseline |")
    print("|---|---:|---:|")
    print(f"| baseline: set difference of node and edge tuples | {t_base:.4f} | 1.0 |")
    for name, t in (("patch: diff()", t_diff), ("summary: changes() without checks", t_sum),
                    ("compare(): patch, summary and checks", t_cmp)):
        print(f"| {name} | {t:.4f} | {t / t_base:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
