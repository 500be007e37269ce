"""How long the continuity checks take, against one pass over the records, from 1k to 40k areas.

One command::

    .venv/bin/python bench/bench_checks.py           # 1k, 10k, 40k areas
    .venv/bin/python bench/bench_checks.py --quick   # 1k and 10k

Structures are generated here, in memory, with the national shape: police
force areas of about 8 councils each, two in five of them two-tier counties of
4 districts, every district or unitary split into small areas (the ~35,000
LSOAs under ~330 councils at national scale), one CSP per district or unitary
covering and discharging the Duty (a county partnership discharging it in
two-tier areas), councils, police, fire, ICB, probation and youth justice
serving, memberships, a Strategy Board per force area with a seat per local
area, and a scheduled change (a CSP merger) so the timeline has dates.

Stages (median of repeats, ``time.perf_counter``), each divided by the same
run's baseline, ``sum(1 for _ in s.records())`` (the least any check must do:
look at every record once):

- ``state``: every state rule on one date (``run_state``);
- ``timeline``: ``check_timeline`` over two change dates (four snapshots, the
  transition rules between them).

The Thames Valley baseline is also timed on its own (target: well under
100 ms). Ratios should stay flat as the structure grows: the rules read maps
built in one pass per date, not ancestor walks per area.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from restructure.checks import check_timeline, run_state  # noqa: E402
from restructure.model import Area, Body, Relation, Strategy  # noqa: E402
from restructure.structure import Structure  # noqa: E402

ON = dt.date(2026, 11, 25)
MERGE = dt.date(2027, 4, 1)
SV = "serious_violence_duty"


def synthetic(n_areas: int) -> Structure:
    """A structure of about ``n_areas`` areas with the national shape (see the module notes)."""
    s = Structure(f"synthetic-{n_areas}")
    add = s.add
    small_per_unit = 100
    n_units = max(2, n_areas // (small_per_unit + 1))
    units_made = 0
    f = 0
    while units_made < n_units:
        force = f"PFA{f}"
        add(Area(id=force, name=f"Force {f}", kind="police_force_area"))
        board = f"board-{f}"
        add(Body(id=board, name=f"Strategy Board {f}", kind="strategy_board"))
        add(Relation(kind="serves", source=board, target=force))
        for agency, kind in (("police", "police_force"), ("fire", "fire_and_rescue_authority"),
                             ("icb", "integrated_care_board"), ("probation", "probation_service")):
            add(Body(id=f"{agency}-{f}", name=f"{agency.title()} {f}", kind=kind, duties=frozenset({SV})))
            add(Relation(kind="serves", source=f"{agency}-{f}", target=force))
        for c in range(8):
            if units_made >= n_units:
                break
            two_tier = c % 5 < 2
            local = f"L{f}-{c}"
            add(Area(id=local, name=f"Local {f}-{c}", kind="county" if two_tier else "unitary"))
            add(Relation(kind="within", source=local, target=force))
            council = f"council-{local}"
            add(Body(id=council, name=f"Council {local}", kind="county_council" if two_tier else "unitary_council",
                     duties=frozenset({SV})))
            add(Relation(kind="serves", source=council, target=local))
            yjs = f"yjs-{local}"
            add(Body(id=yjs, name=f"Youth Justice {local}", kind="youth_justice_service", duties=frozenset({SV})))
            add(Relation(kind="serves", source=yjs, target=local))
            units = [f"{local}-D{d}" for d in range(4)] if two_tier else [local]
            if two_tier:
                county_p = f"county-partnership-{local}"
                add(Body(id=county_p, name=f"Safer {local}", kind="county_partnership",
                         strategies=(Strategy(title="Strategy", start=dt.date(2024, 1, 31)),)))
                add(Relation(kind="discharges", source=county_p, target=local))
                add(Relation(kind="seat", source=county_p, target=board, area=local))
                for m in (council, yjs, f"police-{f}", f"fire-{f}", f"icb-{f}", f"probation-{f}"):
                    add(Relation(kind="member_of", source=m, target=county_p))
            for u in units:
                if two_tier:
                    add(Area(id=u, name=f"District {u}", kind="district"))
                    add(Relation(kind="within", source=u, target=local))
                    dc = f"council-{u}"
                    add(Body(id=dc, name=f"Council {u}", kind="district_council", duties=frozenset({SV})))
                    add(Relation(kind="serves", source=dc, target=u))
                csp = f"csp-{u}"
                add(Body(id=csp, name=f"CSP {u}", kind="community_safety_partnership",
                         strategies=(Strategy(title="Strategy", start=dt.date(2024, 1, 31)),)))
                add(Relation(kind="covers", source=csp, target=u))
                if two_tier:
                    add(Relation(kind="accountable_to", source=csp, target=f"county-partnership-{local}"))
                    add(Relation(kind="member_of", source=f"council-{u}", target=csp))
                else:
                    add(Relation(kind="discharges", source=csp, target=u))
                    add(Relation(kind="seat", source=csp, target=board, area=u))
                    for m in (council, yjs, f"police-{f}", f"fire-{f}", f"icb-{f}", f"probation-{f}"):
                        add(Relation(kind="member_of", source=m, target=csp))
                for k in range(small_per_unit):
                    sa = f"{u}-S{k}"
                    add(Area(id=sa, name=f"Small area {sa}", kind="small_area"))
                    add(Relation(kind="within", source=sa, target=u))
                units_made += 1
        f += 1
    # a scheduled change: the first county's district CSPs merge (so the timeline has a date)
    first = next((a.id for a in s.areas(kind="county")), None)
    if first is not None:
        merged = f"csp-{first}-merged"
        add(Body(id=merged, name=f"CSP {first} merged", kind="community_safety_partnership", start=MERGE,
                 strategies=(Strategy(title="Strategy", start=dt.date(2024, 1, 31)),)))
        for d in range(4):
            old = s.body(f"csp-{first}-D{d}")
            for rel in list(s.relations(source=old.id)):
                s.replace(rel, rel.model_copy(update={"end": MERGE}))
            s.replace(old, old.model_copy(update={"end": MERGE}))
            add(Relation(kind="covers", source=merged, target=f"{first}-D{d}", start=MERGE))
            add(Relation(kind="succeeded_by", source=old.id, target=merged, start=MERGE))
        add(Relation(kind="accountable_to", source=merged, target=f"county-partnership-{first}", start=MERGE))
        for d in range(4):
            add(Relation(kind="member_of", source=f"council-{first}-D{d}", target=merged, start=MERGE))
    return s


def timed(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k areas only")
    args = parser.parse_args(argv)
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 40_000]

    from restructure.baseline import load_baseline

    tv = load_baseline()
    tv_state = timed(lambda: run_state(tv, ON), 20)
    tv_timeline = timed(lambda: check_timeline(tv, [ON]), 20)
    print(f"Thames Valley baseline ({sum(1 for _ in tv.records())} records): state check "
          f"{tv_state * 1000:.1f} ms, timeline on one date {tv_timeline * 1000:.1f} ms (target < 100 ms)\n")

    print("| areas | records | one pass (ms) | state (ms) | state / pass | timeline (ms) | timeline / pass | findings |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    worst = 0.0
    for n in sizes:
        s = synthetic(n)
        n_areas = sum(1 for _ in s.areas())
        records = sum(1 for _ in s.records())
        repeat = 5 if n <= 10_000 else 3
        base = timed(lambda s=s: sum(1 for _ in s.records()), repeat)
        state = timed(lambda s=s: run_state(s, ON), repeat)
        timeline = timed(lambda s=s: check_timeline(s, [ON, MERGE]), max(1, repeat - 2))
        findings = len(check_timeline(s, [ON, MERGE]).findings)
        worst = max(worst, state / base)
        print(f"| {n_areas:,} | {records:,} | {base * 1000:.1f} | {state * 1000:.1f} | {state / base:.1f} | "
              f"{timeline * 1000:.1f} | {timeline / base:.1f} | {findings} |", flush=True)
    print(f"\nworst state-check ratio: {worst:.1f}x one pass over the records")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
