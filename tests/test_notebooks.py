"""The planners' notebooks: run from a clean kernel, stored without outputs, public API only.

Each notebook is executed once, with nbclient, in a fresh ``python3`` kernel
from this environment (ipykernel's own kernel spec inside the venv), so a
notebook that breaks fails the suite. The notebooks assert facts in their own
cells too; the tests here check the answers planners read from the outputs.
"""

from __future__ import annotations

import ast
import importlib
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from restructure.baseline import SCENARIOS
from restructure.scenario import load_scenario

__all__: list[str] = []

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NAMES = (
    "01-thames-valley-baseline.ipynb",
    "02-oxfordshire-options.ipynb",
    "03-write-your-own-scenario.ipynb",
)
PUBLIC_MODULES = {
    "restructure",
    "restructure.apply",
    "restructure.baseline",
    "restructure.checks",
    "restructure.diff",
    "restructure.operations",
    "restructure.render",
    "restructure.scenario",
    "restructure.store",
    "restructure.summary",
}
OPTIONS = {
    "One unitary": "one-unitary.yaml",
    "Two unitaries (Oxford and Shires, Ridgeway)": "two-unitaries.yaml",
    "Three unitaries (Greater Oxford, Northern Oxfordshire, Ridgeway)": "three-unitaries.yaml",
    "Ridgeway with the Tilehurst wards in Reading": "ridgeway-reading-wards.yaml",
}


def execute(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in a new kernel, in the project folder; raise on the first error."""
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    return nb


@pytest.fixture(autouse=True)
def _venv_kernel(monkeypatch):
    # Look for kernel specs in this environment first, so a `python3` spec in the user's own Jupyter
    # folder (another Python) cannot be picked instead of the venv's.
    monkeypatch.setenv("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))


def read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def run(name: str) -> dict[str, list[str]]:
    """Execute a stored notebook; each code cell's id -> its outputs as text (SVG and Markdown included)."""
    nb = execute(read(name))
    out: dict[str, list[str]] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        texts = []
        previous = None
        for o in cell.outputs:
            if o.output_type == "stream":
                # The kernel flushes a stream when it likes (a loaded machine splits one print into
                # two outputs): consecutive pieces of one stream are one text, as a reader sees it.
                if previous is not None and previous.output_type == "stream" and previous.name == o.name:
                    texts[-1] += o.text
                else:
                    texts.append(o.text)
            elif "data" in o:
                data = o.data
                texts.append(data.get("image/svg+xml") or data.get("text/markdown") or data.get("text/plain", ""))
            previous = o
        out[cell.id] = texts
    return out


def markdown_rows(text: str) -> list[dict[str, str]]:
    """Read a Markdown table back into dicts."""
    lines = [ln for ln in text.splitlines() if ln.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    return [dict(zip(header, (c.strip() for c in ln.strip("|").split("|")), strict=True)) for ln in lines[2:]]


def code_cells(nb: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


# -- as stored ---------------------------------------------------------------------------------


def test_the_notebooks_are_all_here():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_stored_without_outputs_for_the_python3_kernel(name):
    nb = read(name)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name}: cell {cell.id} has stored outputs (strip them)"
            assert cell.execution_count is None, f"{name}: cell {cell.id} has an execution count"
    assert (NOTEBOOKS / name).stat().st_size < 30_000


def _imports(source: str) -> list[tuple[str, str | None]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found += [(node.module or "", alias.name) for alias in node.names]
    return found


@pytest.mark.parametrize("name", NAMES)
def test_public_api_only_and_documented(name):
    sources = code_cells(read(name))
    used = [(m, n) for src in sources for m, n in _imports(src) if m.split(".")[0] == "restructure"]
    assert used, f"{name} imports nothing from restructure"
    for module, imported in used:
        assert module in PUBLIC_MODULES, f"{name} imports from {module}, not a public module"
        if imported is None:
            continue
        assert not imported.startswith("_"), f"{name} imports private {module}.{imported}"
        obj = getattr(importlib.import_module(module), imported)
        if callable(obj):  # functions and classes; constants such as SCENARIOS carry no docstring
            assert (obj.__doc__ or "").strip(), f"{module}.{imported} has no docstring"
    for src in sources:
        private = [
            node.attr for node in ast.walk(ast.parse(src))
            if isinstance(node, ast.Attribute) and node.attr.startswith("_")
        ]
        assert private == [], f"{name} uses private attributes {private}"


# -- executed --------------------------------------------------------------------------------------


def test_baseline_notebook_answers_planners_questions():
    out = run("01-thames-valley-baseline.ipynb")
    cherwell = "".join(out["who-covers-cherwell"])
    assert "CSP covering Cherwell: cherwell-csp\n" in cherwell
    assert "Serious Violence Duty discharged by: safer-oxfordshire\n" in cherwell
    assert "held by Reading Community Safety Partnership (reading-csp)" in "".join(out["reading-seat"])
    local = markdown_rows(out["local-areas"][0])
    assert len(local) == 9
    assert {"local area": "Reading (E06000038)", "kind": "unitary",
            "Strategy Board seat held by": "Reading Community Safety Partnership (reading-csp)"} in local
    units = markdown_rows(out["units"][0])
    assert {"district or unitary": "Cherwell (E07000177)", "CSP": "cherwell-csp",
            "Duty discharged by": "safer-oxfordshire"} in units
    assert len(units) == 13
    for cell, shown in (("draw-oxfordshire", "Cherwell"), ("draw-whole", "Reading")):
        [svg] = out[cell]
        assert svg.lstrip().startswith(("<?xml", "<svg", "<!--")) and "</svg>" in svg
        assert shown in svg


def test_options_notebook_compares_the_four_options():
    out = run("02-oxfordshire-options.ipynb")
    *verdicts, table = out["comparison-table"]
    assert "".join(verdicts).startswith("Oxfordshire as one unitary: not ready as drafted.")
    rows = {r[""]: r for r in markdown_rows(table)}
    labels = [load_scenario(SCENARIOS / "oxfordshire" / file).name for file in OPTIONS.values()]
    assert list(next(iter(rows.values())))[1:] == labels  # one column per option
    for label, file in OPTIONS.items():
        name = load_scenario(SCENARIOS / "oxfordshire" / file).name
        expected = load_scenario(SCENARIOS / "oxfordshire" / file).expected
        assert rows["Community Safety Partnerships after"][name] == str(expected.csps), label
        assert rows["Strategy Board seats after"][name] == str(expected.board_seats), label
        assert rows["Errors over the transition"][name].split(":")[0] == str(expected.findings["error"]), label
    seat = rows["Days any local area lacks a Board seat"]
    assert seat[labels[0]] == "0" and seat[labels[1]].startswith("183: Ridgeway 2028-04-01 to 2028-10-01")
    findings = markdown_rows(out["findings-by-option"][0])
    assert {"option": "One unitary", "severity": "error", "rules": "CSP003"} in findings
    assert "REP001" in out["two-unitaries-findings"][0]
    wards = markdown_rows(out["tilehurst"][0])
    assert [(r["lies within"], r["CSP"], r["council"]) for r in wards] == [
        ("Ridgeway", "ridgeway-csp", "ridgeway-council"),
        ("Reading", "reading-csp", "reading-bc"),
        ("West Berkshire", "ridgeway-csp", "ridgeway-council"),
    ]
    for cell in ("change-one-unitary", "change-two-unitaries", "change-three-unitaries", "change-ridgeway-wards"):
        [svg] = out[cell]
        assert "</svg>" in svg and "DISSOLVED" in svg and "NEW" in svg, cell


def test_own_scenario_notebook_checks_commits_and_diffs():
    out = run("03-write-your-own-scenario.ipynb")
    assert out["mistakes"] == ["phase vesting day, operation 1: unknown body 'oxfrod-csp'. Did you mean 'oxford-csp'?\n"]
    checked = out["apply-and-check"]
    assert "CSP003 Oxfordshire (oxfordshire-ua) is covered only in parts" in checked[0]
    rows = {r[""]: r for r in markdown_rows(checked[-1])}
    errors = rows["Errors over the transition"]
    assert errors["Oxfordshire as one unitary"].startswith("1: CSP003 an area is covered only in parts")
    assert errors["Oxfordshire as one unitary, CSPs merged on vesting day"] == "0"
    log = markdown_rows(out["commit"][0])
    assert [r["branches"] for r in log] == ["oxon-merge-on-vesting", "", "baseline"]
    assert log[-1]["message"] == "Baseline"
    assert re.search(r"'total': \d+\}", out["patch"][0])
    assert "1 finding resolved" in out["compare"][0]


def test_a_failing_cell_fails_the_run():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("assert 1 + 1 == 3, 'a silent regression'")])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    with pytest.raises(CellExecutionError, match="a silent regression"):
        execute(nb)
