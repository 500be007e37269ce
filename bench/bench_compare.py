"""How long ``restructure compare`` takes on three Oxfordshire options, and how much memory it needs.

One command::

    .venv/bin/python bench/bench_compare.py

Three options (one, two and three unitaries) on the Thames Valley baseline, as
``restructure compare`` runs them: each scenario applied to its base, its
whole timeline checked (every effective date and the day before), and the
rows computed. Stages (median of repeats, ``time.perf_counter``), each divided
by the same run's baseline -- applying the three scenarios alone, the least
any comparison must do:

- ``compare``: :func:`restructure.appraisal.compare_options` (apply, check, rows);
- ``pack``: :func:`restructure.render.pack.board_pack` for the same three options,
  HTML with every phase panel drawn by Graphviz (what ``restructure report`` writes
  before Chromium prints it).

Peak memory is ``tracemalloc``'s peak for one compare (Python allocations), and
the process's maximum resident set size at the end.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from measure import peak  # noqa: E402

from restructure.apply import run_scenario  # noqa: E402
from restructure.appraisal import compare_options  # noqa: E402
from restructure.render.pack import board_pack  # noqa: E402

OXON = ROOT / "scenarios" / "oxfordshire"
OPTIONS = [OXON / "one-unitary.yaml", OXON / "two-unitaries.yaml", OXON / "three-unitaries.yaml"]


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    compare_options(OPTIONS)  # warm: imports, parsers
    base = median_time(lambda: [run_scenario(p) for p in OPTIONS], 5)
    cmp = median_time(lambda: compare_options(OPTIONS), 5)
    pack = median_time(lambda: board_pack(OPTIONS), 2)
    most = peak(lambda: compare_options(OPTIONS))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| stage | median | ratio to applying the three scenarios |")
    print("|---|---|---|")
    print(f"| apply three scenarios (baseline) | {base * 1000:.0f} ms | 1.0 |")
    print(f"| compare three options | {cmp * 1000:.0f} ms | {cmp / base:.1f} |")
    print(f"| board pack, three options (HTML) | {pack:.1f} s | {pack / base:.0f} |")
    print(f"\npeak Python memory of one compare: {most / 2**20:.1f} MiB; process max RSS: {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
