"""What every benchmark script here measures with: CPU time, memory peak, the machine's load.

Imported by the ``bench_*.py`` scripts (run as files, so this folder is on ``sys.path``).
"""

from __future__ import annotations

import gc
import os
import resource
import tracemalloc
from collections.abc import Callable

__all__ = ["cpu", "peak", "load"]


def cpu() -> float:
    """CPU seconds of this process and its finished children (user + system)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def peak(fn: Callable[[], object]) -> int:
    """Peak bytes Python allocates while ``fn`` runs (tracemalloc), after a collection."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def load() -> list[float]:
    """The 1, 5 and 15 minute load averages, rounded."""
    return [round(x, 2) for x in os.getloadavg()]
