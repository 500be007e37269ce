"""The bad-input corpus (tests/corpus/bad) through every command that reads it, on SQLite and PostgreSQL.

Each file is run through each command that reads a file of its sort (a
structure, a scenario, a CSV lookup). Every run must fail the same way: exit
status 1, one line on stderr starting ``Error:`` and naming the file (and the
line, where there is one), no traceback, nothing on stdout, and nothing
written: the working folder, the output folder, the corpus and the store
hold exactly what they held before.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from restructure.cli import cli
from restructure.store import open_store
from restructure.store.schema import metadata
from restructure.structure import Structure
from test_store import pg_schema_url

CORPUS = Path(__file__).parent / "corpus"
OK_BASE = CORPUS / "ok" / "base.yaml"
OK_SCENARIO = CORPUS / "ok" / "scenario.yaml"
OK_LOOKUP = CORPUS / "ok" / "lookup.csv"

# file (under corpus/bad) -> the line the error names, or None where there is no line to name.
EXPECTED: dict[str, int | None] = {
    "structure/alias-bomb.yaml": 2,
    "structure/bell-in-id.yaml": 3,
    "structure/bidi-isolate.yaml": 3,
    "structure/c1-in-name.json": 4,
    "structure/cycle-accountable.yaml": 9,
    "structure/cycle-lineage-areas.yaml": 7,
    "structure/cycle-lineage.yaml": 8,
    "structure/cycle-within.yaml": 4,
    "structure/deep-nesting.json": None,
    "structure/deep-nesting.yaml": 1,
    "structure/duplicate-id.yaml": 4,
    "structure/empty.yaml": 1,
    "structure/end-before-start.yaml": 3,
    "structure/escape-in-name.yaml": 3,
    "structure/escape-in-structure-name.yaml": 1,
    "structure/impossible-date.yaml": 3,
    "structure/malformed.yaml": 4,
    "structure/not-a-mapping.yaml": 1,
    "structure/not-utf8.json": 1,
    "structure/not-utf8.yaml": 1,
    "structure/nul-in-note.yaml": 3,
    "structure/python-tag.yaml": 2,
    "structure/raw-escape-byte.yaml": 3,
    "structure/rtl-override.yaml": 3,
    "structure/self-lineage.yaml": 7,
    "structure/tab-in-name.yaml": 3,
    "structure/unknown-reference.yaml": 5,
    "structure/unknown-section.yaml": 2,
    "structure/wrong-sort.yaml": 8,
    "scenario/alias-bomb.yaml": 2,
    "scenario/escape-in-rename.yaml": 7,
    "scenario/escape-in-scenario-name.yaml": 1,
    "scenario/impossible-date.yaml": 5,
    "scenario/missing-base.yaml": None,
    "scenario/missing-body.yaml": 7,
    "scenario/not-utf8.yaml": 7,
    "scenario/rtl-in-rename.yaml": 7,
    "scenario/unknown-op.yaml": 7,
    "csv/empty.csv": 1,
    "csv/escape-in-name.csv": 3,
    "csv/missing-columns.csv": 1,
    "csv/not-utf8.csv": 2,
    "csv/nul-byte.csv": 1,
    "csv/rtl-in-name.csv": 2,
}

# What names a code point in the message, for the files that are bad because of one character.
CODE_POINTS = {
    "bell-in-id": "U+0007", "bidi-isolate": "U+2067", "c1-in-name": "U+009B", "escape-in-name": "U+001B",
    "escape-in-structure-name": "U+001B", "nul-in-note": "U+0000", "raw-escape-byte": "U+001B",
    "rtl-override": "U+202E", "tab-in-name": "U+0009", "escape-in-rename": "U+001B", "rtl-in-rename": "U+202E",
    "escape-in-scenario-name": "U+001B",
}


def _structure_commands(f: Path, out: Path) -> dict[str, list]:
    return {
        "validate": ["validate", f],
        "show": ["show", f, "--db"],
        "check": ["check", f, "--db"],
        "render": ["render", f, "-o", out / "s.svg", "--db"],
        "diff-a": ["diff", f, OK_BASE, "--db"],
        "diff-b-markdown": ["diff", OK_BASE, f, "--format", "markdown", "--db"],
        "render-diff": ["render", "--diff", OK_BASE, f, "-o", out / "c.svg", "--db"],
        "apply-base": ["apply", OK_SCENARIO, "--base", f, "-o", out / "r.yaml", "--db"],
        "apply-base-branch": ["apply", OK_SCENARIO, "--base", f, "--branch", "corpus", "-o", out / "r.yaml", "--db"],
        "check-base": ["check", OK_SCENARIO, "--base", f, "--db"],
        "report-base": ["report", OK_SCENARIO, "--base", f, "-o", out / "p.html", "--db"],
        "init": ["init", "--baseline", f, "--db"],
        "export": ["export", f, "-o", out / "x.yaml", "--db"],
        "export-jsonld": ["export", f, "-o", out / "x.jsonld", "--db"],
        "drift": ["drift", f, "--db"],
        "members": ["members", "town-csp", f, "--db"],
    }


def _scenario_commands(f: Path, out: Path) -> dict[str, list]:
    return {
        "validate": ["validate", f],
        "show": ["show", f, "--db"],
        "apply": ["apply", f, "-o", out / "r.yaml", "--db"],
        "apply-dry-run": ["apply", f, "--dry-run", "--db"],
        "apply-branch": ["apply", f, "--branch", "corpus", "-o", out / "r.yaml", "--db"],
        "check": ["check", f, "--db"],
        "diff": ["diff", f, "--db"],
        "diff-markdown": ["diff", f, "--format", "markdown", "--db"],
        "report": ["report", f, "-o", out / "p.html", "--db"],
        "render-diff": ["render", "--diff", OK_BASE, f, "-o", out / "c.svg", "--db"],
        "members": ["members", "town-csp", f, "--db"],
        "compare": ["compare", OK_SCENARIO, f, "-o", out / "c.csv", "--db"],
    }


def _csv_commands(f: Path, out: Path) -> dict[str, list]:
    return {
        "import-ons": ["import", "ons", f, "-o", out / "x.yaml"],
        "import-ons-counties": ["import", "ons", OK_LOOKUP, "--counties", f, "-o", out / "x.yaml"],
        "import-successions": ["import", "successions", f, "--from", "2017-01-01", "--to", "2023-12-31",
                               "-o", out / "s.yaml"],
        "drift-ons": ["drift", OK_BASE, "--ons", f],
        "drift-councils": ["drift", OK_BASE, "--councils", f],
        "drift-counties": ["drift", OK_BASE, "--counties", f],
    }


_COMMANDS = {"structure": _structure_commands, "scenario": _scenario_commands, "csv": _csv_commands}
CASES = [
    pytest.param(name, verb, id=f"{name}-{verb}")
    for name in EXPECTED
    for verb in _COMMANDS[name.split("/")[0]](Path(), Path())
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def corpus_store(request, tmp_path_factory):
    """A store holding ok/base.yaml on branch baseline: SQLite in a folder of its own, or a PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'store.db'}"
        _init(url)
        yield url
        return
    with pg_schema_url(request.getfixturevalue("pg_url")) as url:
        _init(url)
        yield url


def _init(url: str) -> None:
    with open_store(url) as store:
        store.init(Structure.load(OK_BASE), "Baseline", branch="baseline")


def _dump(url: str) -> dict[str, list]:
    """Every row of every table of the store, sorted: equal before and after means nothing written."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t.name: sorted((tuple(map(repr, row)) for row in conn.execute(t.select())), key=repr)
                for t in metadata.sorted_tables
            }
    finally:
        engine.dispose()


def _listing(*folders: Path) -> dict[str, str]:
    """Every file under the folders with a hash of its bytes."""
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in folders
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(("name", "verb"), CASES)
def test_bad_input_is_one_line_and_writes_nothing(name, verb, corpus_store, tmp_path, monkeypatch):
    kind = name.split("/")[0]
    f = CORPUS / "bad" / name
    out = tmp_path / "out"
    out.mkdir()
    args = _COMMANDS[kind](f, out)[verb]
    if args[-1] == "--db":
        args = [*args, corpus_store]
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # a stray default (./restructure.db) or a payload's file would land here
    before = _listing(tmp_path, CORPUS), _dump(corpus_store)

    result = CliRunner().invoke(cli, [str(a) for a in args])

    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    message = lines[0]
    assert message.startswith("Error: ")
    assert "Traceback" not in message
    assert message.isprintable(), message  # no control character from the file reaches the terminal
    line = EXPECTED[name]
    if verb.startswith("drift") and name == "csv/missing-columns.csv":
        line = None  # drift names the file and the columns it needs, not the header's line
    assert (f"{f}:{line}:" if line else str(f)) in message, message
    stem = f.stem
    if stem in CODE_POINTS:
        assert CODE_POINTS[stem] in message
    assert (_listing(tmp_path, CORPUS), _dump(corpus_store)) == before


def test_every_bad_file_is_listed():
    on_disk = {str(p.relative_to(CORPUS / "bad")) for p in (CORPUS / "bad").rglob("*") if p.is_file()}
    assert on_disk == set(EXPECTED)
