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
