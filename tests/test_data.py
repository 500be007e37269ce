"""The bundled public data: present, byte-identical to the published editions, attributed."""

from __future__ import annotations

import csv
import hashlib
import re

import pytest

from restructure import data


def _readme_hashes() -> dict[str, str]:
    text = data.path("ons/LAD17_CSP17_PFA17_EW_LU.csv").parents[1].joinpath("README.md").read_text("utf-8")
    return dict(re.findall(r"^## (\S+)\n(?:- .*\n|  .*\n)*?- sha256: `([0-9a-f]{64})`", text, flags=re.M))


def test_readme_gives_a_sha256_for_every_bundled_file():
    assert set(_readme_hashes()) == set(data.FILES)


@pytest.mark.parametrize("name", sorted(data.FILES))
def test_bundled_file_is_byte_identical_to_its_recorded_edition(name):
    digest = hashlib.sha256(data.path(name).read_bytes()).hexdigest()
    assert digest == _readme_hashes()[name]


@pytest.mark.parametrize("name", sorted(data.FILES))
def test_bundled_file_parses_as_csv_with_a_header(name):
    with data.path(name).open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) > 100 and all(h.strip() for h in rows[0])


def test_unknown_file_names_the_bundled_ones():
    with pytest.raises(KeyError, match="bundled: mysociety/"):
        data.path("ons/LAD99.csv")


def test_nothing_in_the_project_reads_beside_it():
    """A fresh clone works alone: no file of the project points at a folder beside it."""
    from conftest import ROOT

    beside = ".." + "/shared"  # spelt in two parts so this file does not match itself
    places = ["README.md", "Makefile", ".ci", "src", "tests", "notebooks", "bench", "scripts", "docs"]
    found = []
    for place in places:
        path = ROOT / place
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        for f in files:
            if any(p.endswith(".egg-info") or p == "__pycache__" for p in f.parts) or f.suffix in (".csv", ".db", ".png"):
                continue
            try:
                text = f.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            found += [f"{f.relative_to(ROOT)}:{n}" for n, line in enumerate(text.splitlines(), 1) if beside in line]
    assert found == []
