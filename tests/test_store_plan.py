"""store.plan: plan_scenario_commit / commit_planned, the library behind `apply --branch`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from mini import MINI
from restructure.apply import run_scenario
from restructure.errors import BranchMoved, StoreError
from restructure.scenario import load_scenario
from restructure.store import commit_planned, open_store, plan_scenario_commit
from restructure.structure import Structure
from test_cli_store import LAPSE, RENAME  # the scenarios `apply --branch` is tested with


@pytest.fixture
def files(tmp_path):
    for name, text in (("mini.yaml", MINI), ("rename.yaml", RENAME), ("lapse.yaml", LAPSE)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture
def store(files, sqlite_url):
    s = open_store(sqlite_url)
    s.init(Structure.load(files / "mini.yaml"))
    yield s
    s.close()


def test_a_plan_writes_nothing_and_says_what_it_will_do(store, files):
    root = store.head("baseline")
    plan = plan_scenario_commit(store, run_scenario(files / "rename.yaml", keep_phases=True), "town")
    assert (plan.branch, plan.head, plan.base_version, plan.applied_on) == ("town", None, root, root)
    assert [(p.name, p.date) for p in plan.phases] == [("rename", dt.date(2027, 4, 1)), ("rename again", dt.date(2028, 4, 1))]
    assert plan.describe() == f"Would commit 2 versions to branch 'town' as a new branch from {root}"
    assert not plan.reapplied and plan.refusal() is None
    assert plan.scenario == "Rename town" and plan.scenario_file == str(files / "rename.yaml")
    assert store.head("town") is None and len(store.log()) == 1
    data = json.loads(json.dumps(plan.to_dict()))
    assert data["phases"][0]["edits"][0]["op"] == "update"
    assert data["phases"][0]["edits"][0]["body"][1]["name"] == "Town Safer Partnership"


def test_committing_the_plan_adds_one_version_per_phase(store, files):
    plan = plan_scenario_commit(store, run_scenario(files / "rename.yaml", keep_phases=True), "town", message="Try")
    ids = commit_planned(store, plan)
    assert store.head("town") == ids[1]
    assert store.version(ids[0]).message == "Try: rename (2027-04-01)"
    assert store.checkout("town").body("town-csp").name == "Town Community Safety Partnership"


def test_a_plan_without_structures_is_rebuilt_from_its_edits(store, files):
    outcome = run_scenario(files / "rename.yaml", keep_phases=True)
    plan = plan_scenario_commit(store, outcome, "town")
    bare = dataclasses.replace(plan, phases=tuple(dataclasses.replace(p, structure=None) for p in plan.phases))
    ids = commit_planned(store, bare)
    assert store.checkout(ids[0]).to_yaml() == plan.phases[0].structure.to_yaml()
    assert store.checkout(ids[1]).to_yaml() == outcome.structure.to_yaml()


def test_on_a_branch_that_moved_on_the_scenario_is_applied_again(store, files):
    commit_planned(store, plan_scenario_commit(store, run_scenario(files / "rename.yaml", keep_phases=True), "town"))
    head = store.head("town")
    plan = plan_scenario_commit(store, run_scenario(files / "lapse.yaml", keep_phases=True), "town")
    assert plan.reapplied and plan.head == head == plan.base_version
    assert plan.describe() == f"Would commit 1 version to branch 'town' on top of its head {head}"
    commit_planned(store, plan)
    now = store.checkout("town")
    assert now.body("town-csp").name == "Town Community Safety Partnership"
    assert now.body("north-csp").end == dt.date(2027, 4, 1)


def test_a_plan_on_a_stale_head_is_refused(store, files):
    commit_planned(store, plan_scenario_commit(store, run_scenario(files / "rename.yaml", keep_phases=True), "town"))
    plan = plan_scenario_commit(store, run_scenario(files / "lapse.yaml", keep_phases=True), "town")
    commit_planned(store, plan_scenario_commit(store, run_scenario(files / "lapse.yaml", keep_phases=True), "town"))
    moved = store.head("town")
    with pytest.raises(BranchMoved):
        commit_planned(store, plan)
    assert store.head("town") == moved


def test_strict_refuses_a_plan_with_errors_and_writes_nothing(store, files):
    plan = plan_scenario_commit(store, run_scenario(files / "lapse.yaml", keep_phases=True), "lapse", strict=True)
    assert plan.errors
    n = len(plan.errors)
    message = (
        f"not committed: the checks found {n} error{'' if n == 1 else 's'} (listed above). "
        "Fix the scenario, or commit without --strict to keep the findings with the version."
    )
    assert str(plan.refusal()) == message
    with pytest.raises(StoreError, match=r"^not committed: the checks found"):
        commit_planned(store, plan)
    assert store.head("lapse") is None
    lenient = dataclasses.replace(plan, strict=False)
    ids = commit_planned(store, lenient)
    assert [f["code"] for f in store.findings(ids[-1])] == [f.code for f in plan.findings]


def test_a_file_base_is_committed_as_applied_to_it(store, files):
    sc = load_scenario(files / "rename.yaml")
    outcome = run_scenario(sc, str(files / "mini.yaml"), keep_phases=True)
    plan = plan_scenario_commit(store, outcome, "town", base_ref=str(files / "mini.yaml"))
    assert plan.applied_on is None and not plan.reapplied
    bare = dataclasses.replace(plan, phases=tuple(dataclasses.replace(p, structure=None) for p in plan.phases))
    with pytest.raises(StoreError, match="does not carry its structures"):
        commit_planned(store, bare)
    commit_planned(store, plan)
    assert store.checkout("town").to_yaml() == outcome.structure.to_yaml()
