"""Run every benchmark in this folder: ``python -m bench [NAME ...]``.

Each ``bench_*.py`` script measures the project's code against a plain
baseline timed in the same run (``executemany``/``SELECT``, set differences,
a single pass over the records) and prints ratios, so figures are comparable
across noisy machines. Pass names (``store``, ``diff``…) to run only those.
"""

from __future__ import annotations

import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in argv]
    print(f"# restructure benchmarks on {platform.node()} ({platform.machine()}, Python {platform.python_version()})")
    failed = 0
    for script in scripts:
        print(f"\n## {script.stem.removeprefix('bench_')}\n", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        print(f"({script.name}: {time.perf_counter() - t0:.1f} s, exit {rc})", flush=True)
        failed += rc != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
