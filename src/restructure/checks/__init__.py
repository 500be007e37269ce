"""Continuity checks: does any area lose its partnership or its Strategy Board voice, at any point?

Rules have stable codes, like a linter's, grouped by concern:

========  =====================================================================
prefix    concern (module)
========  =====================================================================
SVD, CSP  coverage: the Serious Violence Duty and the CSP footprint (coverage)
MEM       membership of the partnership for an area (membership)
REP       representation on the Strategy Board (representation)
LIN       lineage: successors and lapses (lineage)
BAS       legal basis: orders and decisions behind a change (basis)
STR       a Serious Violence Strategy in force (strategy)
ALN       alignment and coterminosity (alignment)
TRN       transition: what a change took away (transition)
DRF       drafts still to confirm, in a register made by ``new-area`` (drafts)
========  =====================================================================

State rules look at one structure on one date; transition rules at a before
and an after. :func:`check_timeline` runs both over every effective date of a
scenario and the day before each.

Examples
--------
>>> import datetime as dt
>>> from restructure.structure import Structure
>>> from restructure.checks import run_state, RULES
>>> s = Structure.from_yaml('''
... areas: [{id: E06000038, name: Reading, kind: unitary}]
... bodies:
...   - {id: reading-csp, name: Reading CSP, kind: community_safety_partnership,
...      strategies: [{title: Reading Serious Violence Strategy, start: 2024-03-01}]}
... relations:
...   - {kind: covers, source: reading-csp, target: E06000038}
...   - {kind: discharges, source: reading-csp, target: E06000038}
... ''')
>>> run_state(s, dt.date(2026, 11, 25))
[]
>>> [f.message for f in run_state(s, dt.date(2024, 2, 1))]  # strategies were due by 2024-01-31
['Reading CSP (reading-csp) has no Serious Violence Strategy in force for Reading (E06000038)']
>>> RULES["STR001"].severity.value
'error'
"""

from __future__ import annotations

# Importing the concern modules registers their rules.
from . import alignment, basis, coverage, drafts, lineage, membership, representation, strategy, transition  # noqa: F401
from .config import Config, UnknownRule, find_pyproject
from .engine import Report, check_timeline, evaluation_dates, run_state, run_transition
from .files import check_path, check_scenario, check_structure, structure_dates
from .registry import RULES, Finding, Rule, Severity, rule, rules
from .render import render_json, render_markdown, render_text
from .snapshot import Snapshot

__all__ = [
    "Severity",
    "Finding",
    "Rule",
    "rule",
    "rules",
    "RULES",
    "Config",
    "UnknownRule",
    "find_pyproject",
    "Report",
    "Snapshot",
    "run_state",
    "run_transition",
    "check_timeline",
    "evaluation_dates",
    "check_path",
    "check_scenario",
    "check_structure",
    "structure_dates",
    "render_text",
    "render_markdown",
    "render_json",
    "explain",
]


def explain(code: str) -> str:
    """The rationale and statutory basis of a rule, as ``--explain`` prints it.

    Raises
    ------
    UnknownRule
        No rule has this code; the message lists the codes.
    """
    found = RULES.get(code.upper())
    if found is None:
        raise UnknownRule(f"unknown rule code '{code}' (codes: {', '.join(sorted(RULES))})", ids=(code,))
    return found.explanation()
