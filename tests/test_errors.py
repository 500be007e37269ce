"""The error family: one-line messages saying where, what and what to do."""

from __future__ import annotations

import pytest

from restructure.errors import BranchMoved, RestructureError, ScenarioError, StoreError, ValidationFailed


def test_message_has_where_what_and_hint():
    e = ScenarioError("unknown body 'x'", file="s.yaml", line=7, phase="vesting day", op_index=2, ids=("x",))
    assert str(e) == "s.yaml:7: phase vesting day, operation 2: unknown body 'x'. Fix the scenario; nothing was written."
    assert e.ids == ("x",)


def test_hint_punctuation_is_not_doubled():
    assert str(ValidationFailed("bad", "Did you mean 'y'?")) == "bad. Did you mean 'y'?"
    assert str(RestructureError("bad.")) == "bad."


def test_located_fills_only_what_is_missing():
    e = ScenarioError("x", file="a.yaml").located(file="b.yaml", line=3, op_index=1)
    assert (e.file, e.line, e.op_index) == ("a.yaml", 3, 1)
    assert str(e).startswith("a.yaml:3: operation 1: x.")


def test_family():
    assert issubclass(BranchMoved, StoreError) and issubclass(StoreError, RestructureError)
    with pytest.raises(RestructureError):
        raise BranchMoved("branch 'b' moved since you read it")


def test_did_you_mean_names_the_nearest_or_nothing():
    from restructure.errors import did_you_mean

    forces = ["North Yorkshire", "South Yorkshire", "West Yorkshire", "Surrey", "Sussex"]
    assert did_you_mean("surey", forces) == "Did you mean 'Surrey'?"
    assert did_you_mean("Yorkshire", forces, n=3) == (
        "Did you mean 'West Yorkshire', 'South Yorkshire' or 'North Yorkshire'?"
    )
    assert did_you_mean("Narnia", forces) == ""
    assert did_you_mean("cherwel-csp", iter(["cherwell-csp", "oxford-csp"])) == "Did you mean 'cherwell-csp'?"


def test_did_you_mean_is_case_blind_and_empty_when_nothing_is_close():
    from restructure.errors import did_you_mean

    assert did_you_mean("READNG", ["Reading", "Slough"]) == "Did you mean 'Reading'?"
    assert did_you_mean("qqq", ["Reading", "Slough"]) == ""
    assert did_you_mean("x", []) == ""
