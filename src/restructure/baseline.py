"""Where the shipped scenarios and the Thames Valley baseline live."""

from __future__ import annotations

from pathlib import Path

__all__ = ["SCENARIOS", "BASELINE", "load_baseline"]

_ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = _ROOT / "scenarios"
"""The project's ``scenarios/`` folder (a checkout with an editable install)."""
BASELINE = SCENARIOS / "baseline" / "thames-valley.yaml"
"""The Thames Valley baseline structure file."""


def load_baseline():
    """Load the Thames Valley baseline structure.

    Returns
    -------
    Structure
        ``scenarios/baseline/thames-valley.yaml``, validated.

    Examples
    --------
    >>> s = load_baseline()
    >>> len(s.local_areas(on=__import__("datetime").date(2026, 11, 25)))
    9
    """
    from .structure import Structure

    return Structure.load(BASELINE)
