"""restructure: model how a local government restructure ripples through a
violence-prevention partnership, before it happens.

The public API is importable from here; heavy modules load on first use so
that ``restructure --help`` stays fast.

Examples
--------
>>> import restructure
>>> restructure.Structure  # doctest: +ELLIPSIS
<class 'restructure.structure.Structure'>
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# name -> module that defines it; loaded lazily (PEP 562).
_API = {
    "Structure": "structure",
    "Area": "model",
    "Body": "model",
    "Relation": "model",
    "ChangeEvent": "model",
    "Strategy": "model",
    "AreaKind": "model",
    "BodyKind": "model",
    "RelationKind": "model",
    "Duty": "model",
    "Tier": "model",
    "RestructureError": "errors",
    "ValidationFailed": "errors",
    "ScenarioError": "errors",
    "IrreversibleOp": "errors",
    "StoreError": "errors",
    "BranchMoved": "errors",
    "load_baseline": "baseline",
    # What the notebooks use. Functions named like a submodule (apply, diff, render) are left out:
    # the submodule would shadow them once imported. Import those from their modules.
    "load_structure": "refs",
    "Scenario": "scenario",
    "Phase": "scenario",
    "load_scenario": "scenario",
    "run_scenario": "apply",
    "Outcome": "apply",
    "check_timeline": "checks",
    "compare": "diff",
    "compare_scenario": "diff",
    "open_store": "store",
    "render_svg": "render",
    "Drift": "drift",
    "Succession": "structure",
    "compare_options": "appraisal",
    "Appraisal": "appraisal",
    "board_pack": "render.pack",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'restructure' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(__all__)
