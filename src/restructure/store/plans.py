"""Saved plans: a scenario's commit worked out now, written to a file, committed exactly later.

``restructure apply SCENARIO --branch B --dry-run --save-plan plan.json``
writes the :class:`~restructure.store.plan.ScenarioCommitPlan` that
:func:`~restructure.store.plan.plan_scenario_commit` made: per phase, the
primitive edits (records added, removed, updated, each carrying all of
itself) and the operation and legal basis behind each changed row; the
findings of the checks; the branch head it was computed on and the version
its edits apply to; plus the store's first version (which names the store).
A SHA-256 hash over all of it makes a changed file detectable.
``restructure apply --plan plan.json`` commits exactly that with
:func:`~restructure.store.plan.commit_planned`, or refuses in one line,
writing nothing, if the file was changed, the plan is for another store, or
the branch moved since.

Like ``terraform plan -out``: the plan is applied as computed, never
recomputed.

Examples
--------
>>> from restructure.store import open_store, plan_scenario_commit
>>> from restructure.apply import run_scenario
>>> from restructure.baseline import BASELINE, SCENARIOS
>>> from restructure.structure import Structure
>>> store = open_store("sqlite://")
>>> _ = store.init(Structure.load(BASELINE), author="ann")
>>> out = run_scenario(SCENARIOS / "oxfordshire" / "csp-merge.yaml")
>>> text = save_plan(store, plan_scenario_commit(store, out, "oxon-csp"))
>>> saved = load_plan(text)
>>> saved.plan.branch, len(saved.plan.phases), saved.plan.head is None
('oxon-csp', 2, True)
>>> ids = commit_saved(store, saved, author="ann")
>>> store.head("oxon-csp") == ids[-1]
True
>>> store.close()
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ..errors import BranchMoved, StoreError
from ..model import Basis
from .plan import PlannedPhase, ScenarioCommitPlan, commit_planned
from .provenance import RowOrigin

__all__ = ["SavedPlan", "save_plan", "load_plan", "check_saved", "commit_saved", "PLAN_FORMAT"]

PLAN_FORMAT = "restructure-plan/1"
"""The ``format`` field of a saved plan file."""

_REDO = "Make the plan again: restructure apply SCENARIO --branch B --dry-run --save-plan FILE"


@dataclass(frozen=True)
class SavedPlan:
    """A plan read back from its file, with the store it was made on."""

    store_root: str
    """The id of the store's first version: a plan only applies to the store it was made on."""
    plan: ScenarioCommitPlan


def _origins_data(origins: dict) -> list[dict]:
    return [
        {"kind": k, "key": key, "op_index": o.op_index, "operation": o.operation,
         "basis": o.basis.to_dict() if o.basis is not None else None}
        for (k, key), o in sorted(origins.items())
    ]


def _digest(body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def save_plan(store, plan: ScenarioCommitPlan) -> str:
    """The text of a plan file: the plan (:meth:`ScenarioCommitPlan.to_dict`), provenance, store, hash.

    Raises
    ------
    StoreError
        The plan was made on a structure file (``--base FILE``): its edits do
        not apply to a stored version, so it cannot be committed later.
    """
    if plan.applied_on is None:
        raise StoreError(
            "a plan made on a structure file (--base FILE) cannot be saved: its edits apply to that file, "
            "not to a stored version",
            "Commit it now without --dry-run, or base it on a stored ref",
        )
    body = {"format": PLAN_FORMAT, "store": {"root": store.root()}, **plan.to_dict()}
    for data, phase in zip(body["phases"], plan.phases, strict=True):
        data["origins"] = _origins_data(phase.origins)
    body["hash"] = _digest(body)
    return json.dumps(body, indent=1, ensure_ascii=False) + "\n"


def load_plan(text: str, source: str = "the plan") -> SavedPlan:
    """Read a plan file, refusing one that is not a plan or whose hash does not match.

    Raises
    ------
    StoreError
        Not a plan file, or changed since it was written.
    """
    from ..checks import Finding, Severity
    from ..operations import operations_adapter

    try:
        data = json.loads(text)
    except ValueError:
        raise StoreError(f"{source} is not a saved plan (not JSON)", _REDO) from None
    if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
        raise StoreError(f"{source} is not a saved plan (its format is not {PLAN_FORMAT})", _REDO)
    stated = data.pop("hash", None)
    if stated != _digest(data):
        raise StoreError(f"{source} was changed after it was saved (its hash does not match)", _REDO)
    day = lambda s: dt.date.fromisoformat(s) if s else None  # noqa: E731
    try:
        phases = tuple(
            PlannedPhase(
                p["name"], dt.date.fromisoformat(p["date"]),
                tuple(operations_adapter.validate_python(p["edits"])),
                origins={
                    (o["kind"], o["key"]): RowOrigin(
                        o["op_index"], o["operation"], Basis.model_validate(o["basis"]) if o["basis"] else None
                    )
                    for o in p["origins"]
                },
            )
            for p in data["phases"]
        )
        findings = tuple(
            Finding(f["code"], Severity(f["severity"]), f["message"], day(f["date"]), tuple(f["bodies"]),
                    tuple(f["areas"]), day(f["until"]))
            for f in data["findings"]
        )
        plan = ScenarioCommitPlan(
            branch=data["branch"], head=data["head"], base_version=data["base_version"], scenario=data["scenario"],
            phases=phases, message=data["message"], findings=findings, reapplied=data["reapplied"],
            applied_on=data["applied_on"], strict=data["strict"], scenario_file=data["scenario_file"],
        )
        return SavedPlan(data["store"]["root"], plan)
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"{source} is not a valid saved plan ({exc})", _REDO) from None


def check_saved(store, saved: SavedPlan) -> None:
    """Refuse a plan made on another store, or for a branch that has moved since (writes nothing).

    Raises
    ------
    StoreError
        The plan was made on another store, or refuses under ``strict``.
    BranchMoved
        The branch moved (or was created) since the plan was made.
    """
    root = store.root()
    if root != saved.store_root:
        raise StoreError(
            f"the plan was made on another store (its first version is {saved.store_root}, this store's is {root})",
            "Make the plan again against this store, or pass --db the store it was made on",
        )
    plan = saved.plan
    head = store.head(plan.branch)
    if head != plan.head:
        was = f"at {plan.head}" if plan.head else "not yet created"
        now = f"is now at {head}" if head else "no longer exists"
        raise BranchMoved(f"branch '{plan.branch}' moved since the plan was made (it was {was}, it {now})", _REDO)
    refused = plan.refusal()
    if refused is not None:
        raise refused


def commit_saved(store, saved: SavedPlan, *, author: str | None = None) -> list[str]:
    """Commit a saved plan exactly (:func:`~restructure.store.plan.commit_planned`), or refuse, writing nothing.

    Returns
    -------
    list of str
        The new version ids, one per phase.

    Raises
    ------
    StoreError, BranchMoved
        As :func:`check_saved`.
    """
    check_saved(store, saved)
    return commit_planned(store, saved.plan, author=author)
