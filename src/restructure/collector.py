"""When Python's cyclic garbage collector runs while a national structure is built.

Reading, checking out, importing or comparing a national structure allocates
hundreds of thousands of records, dicts and strings and frees almost none:
each collection those allocations trigger walks every one of them again and
finds nothing (half the time of parsing the national YAML; a fifth of a
checkout). None of this code makes reference cycles, so nothing waits longer
to be freed while the collector is paused. This module is the one place that
pauses it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused"]


@contextmanager
def paused(*, long_lived: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, then restore it as it was.

    Parameters
    ----------
    long_lived : bool
        What the block built will live on (a checked-out structure): move it
        straight to the oldest generation when the block ends (``gc.freeze``
        then ``gc.unfreeze``), so the next young collection does not walk it
        all again. Skipped when a caller has frozen objects on purpose.

    Examples
    --------
    >>> import gc
    >>> with paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if long_lived and not gc.get_freeze_count():  # never thaw what a caller froze
                gc.freeze()
                gc.unfreeze()
            gc.enable()
