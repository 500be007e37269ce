"""`restructure export`: a stored version or a file, as YAML, JSON or JSON-LD (ORG / Popolo)."""

from __future__ import annotations

import json

import pytest
import rdflib
from click.testing import CliRunner

from conftest import BASELINE
from restructure.cli import cli

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # inside rdflib


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_file_exports_to_jsonld_that_rdflib_reads(tmp_path):
    out = tmp_path / "x.jsonld"
    r = run("export", BASELINE, "--format", "jsonld", "--as-of", "2026-11-25", "-o", out)
    assert r.exit_code == 0, r.output
    g = rdflib.Graph().parse(out, format="json-ld")
    (n,) = g.query("""
        PREFIX org: <http://www.w3.org/ns/org#> PREFIX popolo: <http://www.popoloproject.com/ontology#>
        SELECT (COUNT(?post) AS ?n) WHERE { ?post a org:Post ; org:postIn <urn:restructure:body:tv-vpp-board> ;
                                            popolo:area ?a }""")
    assert int(n[0]) == 9


def test_the_suffix_picks_the_format_and_stdout_works(tmp_path):
    out = tmp_path / "sub" / "x.jsonld"
    assert run("export", BASELINE, "-o", out).exit_code == 0
    assert "@context" in json.loads(out.read_text(encoding="utf-8"))
    r = run("export", BASELINE, "--format", "jsonld", "-o", "-")
    assert r.exit_code == 0 and json.loads(r.output)["@context"]["org"] == "http://www.w3.org/ns/org#"
    out = tmp_path / "x.yaml"
    assert run("export", BASELINE, "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("name: Thames Valley baseline")


def test_an_unknown_format_exits_2_naming_the_formats(tmp_path):
    out = tmp_path / "x.ttl"
    r = run("export", BASELINE, "--format", "turtle", "-o", out)
    assert r.exit_code == 2
    assert "'turtle' is not one of 'yaml', 'json', 'jsonld'" in r.output
    assert not out.exists()
    r = run("export", BASELINE, "-o", out)  # nor from the suffix
    assert r.exit_code == 2 and not out.exists()
    assert "cannot tell the format of" in r.output and "give --format yaml, json, jsonld" in r.output


def test_dry_run_writes_nothing(tmp_path):
    out = tmp_path / "x.jsonld"
    r = run("export", BASELINE, "-o", out, "--dry-run")
    assert r.exit_code == 0 and "jsonld" in r.output and "Nothing written" in r.output
    assert not out.exists()
