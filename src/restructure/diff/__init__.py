"""What changes between two structures: a patch of primitive edits and a planners' summary.

Two views of one comparison:

* :class:`Diff` -- the *patch*: primitive :class:`~restructure.operations.Add`,
  ``Remove`` and ``Update`` edits keyed by record identity (areas and bodies by
  id, relations by kind, source, target, area and start, change events by id),
  in an order :func:`~restructure.apply.apply_edits` can apply. ``patch(a,
  diff(a, b)) == b``. Its reverse is derived by inverting the edits, never by
  comparing again; re-sorted into the same canonical order, it is exactly
  ``diff(b, a)``. The structures' name, description and sources are carried as
  ``metadata`` so that patching reproduces ``b`` exactly.
* :class:`Changes` -- the *semantic* summary, in planners' terms: bodies
  created, dissolved (with successors), renamed, merged (who into whom) and
  split (into what), from lineage; for each unit of Serious Violence Duty
  coverage, the partnership covering it and discharging the Duty before and
  after; membership changes per partnership; Strategy Board seats gained, lost
  or moved; footprints and reporting lines gained or lost; findings of the
  checks introduced and resolved. It compares ``a`` on one date with ``b`` on
  another (for a scenario: the base on the day before its first phase with the
  result on its last phase date).

:class:`Comparison` holds both and renders them as text, a one-line stat,
JSON (schema ``restructure-diff/1``, see the README's "Diff" section) or Markdown
for board papers. Every list is sorted with an explicit key, so diffs of diffs
are meaningful.

The package follows those parts: :mod:`.scan` (one pass over both structures: the edits, the dates and
the ids the summary must look at), :mod:`.patch` (the edits, apply, reverse), :mod:`.changes` (the
planners' summary), :mod:`.compare` (sides and comparisons), :mod:`.render` (text, Markdown) and
:mod:`.scope` (``--scope councils``: the districts, unitaries and counties in force, nothing else).
"""

from __future__ import annotations

from .changes import Changes, changes
from .compare import (
    SCHEMA,
    Comparison,
    Side,
    compare,
    compare_refs,
    compare_scenario,
    default_dates,
)
from .patch import Diff, diff, patch
from .scope import CouncilsComparison, compare_councils, compare_councils_refs, councils_of

__all__ = [
    "SCHEMA",
    "Diff",
    "Changes",
    "Side",
    "Comparison",
    "diff",
    "patch",
    "changes",
    "compare",
    "compare_scenario",
    "compare_refs",
    "default_dates",
    "CouncilsComparison",
    "councils_of",
    "compare_councils",
    "compare_councils_refs",
]
