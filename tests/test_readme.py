"""The README is a test: every shell example runs, in order, as written.

Every fenced block of README.md in ``sh``, ``bash``, ``shell`` or ``console`` is read: in a
``console`` block the lines starting ``$ `` are commands (the others are output shown to
the reader); in the others every line that is not a comment. A line ending in ``\\`` goes on
to the next. The commands run one after another with ``bash`` in a fresh temporary folder
holding a copy of the project (as a clone's root, where the README says to run them; without
``.venv``, ``out/``, stores or caches), with the store ``RESTRUCTURE_DATABASE_URL`` in that folder and the
installed ``restructure`` first on ``PATH``. Each must exit 0, or with the status its
trailing comment gives (``# exits 1``). The README's two quick-start commands, ``make demo``
and ``make test``, are not run (the second is this suite), nor is a block preceded by
``<!-- not run by tests/test_readme.py: REASON -->``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT

README = ROOT / "README.md"
SHELL = ("sh", "bash", "shell", "console")
NOT_RUN = {"make demo", "make test"}
"""The quick start: the suite itself, and the demo (run on its own by `make demo`)."""
SKIP_MARK = re.compile(r"<!--\s*not run by tests/test_readme\.py:\s*(\S[^>]*?)\s*-->")
EXITS = re.compile(r"#.*\bexits (\d+)\b")


@dataclass(frozen=True)
class Example:
    """One command of the README: where it is, what to run, the exit status expected."""

    line: int
    command: str
    exit_code: int = 0


def _commands(lines: list[tuple[int, str]], console: bool) -> list[Example]:
    out: list[Example] = []
    pending: list[str] = []
    first = 0
    for number, text in lines:
        if not pending:
            if console:
                if not text.startswith("$ "):
                    continue  # output shown to the reader
                text = text[2:]
            elif not text.strip() or text.lstrip().startswith("#"):
                continue
            first = number
        pending.append(text)
        if text.rstrip().endswith("\\"):
            continue
        command = "\n".join(pending)
        pending = []
        found = EXITS.search(command.splitlines()[-1])
        out.append(Example(first, command, int(found.group(1)) if found else 0))
    assert not pending, f"README.md:{first}: a command ends in a backslash with nothing after it"
    return out


def readme_examples(text: str) -> tuple[list[Example], list[tuple[int, str]]]:
    """The shell examples of a README, in order, and the blocks skipped (line, reason)."""
    examples: list[Example] = []
    skipped: list[tuple[int, str]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        fence = re.match(r"^(```+)\s*(\w*)", lines[i])
        if not fence:
            i += 1
            continue
        start, lang = i, fence.group(2)
        j = i + 1
        while j < len(lines) and not lines[j].startswith(fence.group(1)):
            j += 1
        body = [(n + 1, lines[n]) for n in range(start + 1, j)]
        before = next((lines[k] for k in range(start - 1, -1, -1) if lines[k].strip()), "")
        mark = SKIP_MARK.search(before)
        if lang in SHELL:
            if mark:
                skipped.append((start + 1, mark.group(1)))
            else:
                examples += [e for e in _commands(body, lang == "console") if _bare(e.command) not in NOT_RUN]
        i = j + 1
    return examples, skipped


def _bare(command: str) -> str:
    return command.split("#", 1)[0].strip()


def test_the_reader_finds_commands_continuations_and_exit_codes():
    text = (
        "```sh\nmake demo\n```\n\n```console\n$ restructure init   # the baseline\nInitialised ...\n"
        "$ restructure check x.yaml \\\n    --as-of 2028-04-01      # errors found: exits 1\n```\n\n"
        "```python\nprint(1)\n```\n\n<!-- not run by tests/test_readme.py: starts a server -->\n"
        "```sh\njupyter lab\n```\n\n```sh\n# a comment\nrestructure log\n```\n"
    )
    examples, skipped = readme_examples(text)
    assert examples == [
        Example(6, "restructure init   # the baseline"),
        Example(8, "restructure check x.yaml \\\n    --as-of 2028-04-01      # errors found: exits 1", 1),
        Example(23, "restructure log"),
    ]
    assert skipped == [(17, "starts a server")]


_NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git", ".venv", "out", "*.db", "__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache", "*.egg-info",
    ".ipynb_checkpoints", "build", "dist",
)
"""What a fresh clone does not have: the repository, a built environment, outputs, stores, caches."""


def _environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RESTRUCTURE_", "PYTEST_", "COV_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["RESTRUCTURE_DATABASE_URL"] = f"sqlite:///{folder / 'restructure.db'}"
    env["HOME"] = str(folder)  # nothing of the user's leaks in or out
    return env


def test_every_shell_example_of_the_readme_runs_as_written(tmp_path):
    examples, skipped = readme_examples(README.read_text(encoding="utf-8"))
    assert len(examples) > 40, "the README's examples were not found: has the fence syntax changed?"
    assert len(skipped) <= 4, f"more README blocks skipped than expected: {skipped}"
    folder = tmp_path / "reader"
    folder.mkdir()
    shutil.copytree(ROOT, folder, dirs_exist_ok=True, ignore=_NOT_IN_A_CLONE)
    env = _environment(folder)
    for example in examples:
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", example.command],
            cwd=folder, env=env, capture_output=True, text=True, timeout=600, check=False,
        )
        if done.returncode != example.exit_code:
            pytest.fail(
                f"README.md:{example.line}: `{example.command}` exited {done.returncode}, "
                f"expected {example.exit_code}.\n--- stderr ---\n{done.stderr[-4000:]}"
                f"\n--- stdout (end) ---\n{done.stdout[-2000:]}",
                pytrace=False,
            )
