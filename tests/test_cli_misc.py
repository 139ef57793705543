"""The command as a whole: help with examples, a light start, extra data, exports, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph

from conftest import DATA, diplo, diplo_json
from graph.cli import cli

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str):
    result = diplo(command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert f"diplo {command}" in result.stdout


def test_python_dash_m_graph_is_the_same_command():
    out = subprocess.run([sys.executable, "-m", "graph", "--help"], capture_output=True, text=True, check=True)
    assert "Usage: diplo" in out.stdout


def test_help_and_actor_lookup_do_not_import_heavy_libraries():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from graph.cli import cli\n"
        "r = CliRunner().invoke(cli, ['--help'])\n"
        "assert r.exit_code == 0\n"
        "r = CliRunner().invoke(cli, ['actor', 'Turkey'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in ('pyvis', 'networkx', 'pyshacl', 'jinja2', 'numpy', 'scipy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_extra_data_adds_reactions_on_top_of_the_bundled_graph():
    data = diplo_json("--data", str(DATA / "reaction-good.ttl"), "actor", "France")
    assert [p["stance"] for p in data["positions"]] == ["call for restraint"]
    assert data["positions"][0]["quote"] == "France calls on both sides to show restraint"
    # Without it, France (a Minsk Group co-chair) has said nothing in the seed.
    assert diplo_json("actor", "France")["positions"] == []


def test_malformed_turtle_names_file_and_line():
    result = diplo("--data", str(DATA / "malformed.ttl"), "actor", "Turkey")
    assert result.exit_code == 2
    assert f"{DATA / 'malformed.ttl'}:12: malformed RDF" in result.stderr
    assert "Traceback" not in result.output


def test_missing_data_file_is_a_usage_error(tmp_path: Path):
    result = diplo("--data", str(tmp_path / "nope.ttl"), "actors")
    assert result.exit_code == 2
    assert "nope.ttl" in result.stderr


def test_unknown_rdf_suffix_is_refused(tmp_path: Path):
    odd = tmp_path / "reactions.docx"
    odd.write_text("x")
    result = diplo("--data", str(odd), "actors")
    assert result.exit_code == 2 and "unknown RDF file type" in result.stderr


@pytest.mark.parametrize("fmt", ["ttl", "nt", "trig", "nq", "jsonld"])
def test_export_rdf_round_trips(tmp_path: Path, fmt: str, store):
    out = tmp_path / f"graph.{fmt}"
    result = diplo("export", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    parser = {"ttl": "turtle", "nt": "nt", "trig": "trig", "nq": "nquads", "jsonld": "json-ld"}[fmt]
    loaded = Dataset() if fmt in ("trig", "nq", "jsonld") else Graph()
    loaded.parse(out, format=parser)
    assert len(loaded) == len(store.data_graph()) or len(list(loaded.quads())) >= len(store.data_graph())


def test_export_graphml_for_gephi(tmp_path: Path):
    out = tmp_path / "reactions.graphml"
    assert diplo("export", "--format", "graphml", "-o", str(out)).exit_code == 0
    g = nx.read_graphml(out)
    edges = [(u, v, d["stance_class"]) for u, v, d in g.edges(data=True)]
    assert ("Turkey", "Azerbaijan", "SUPPORT") in edges
    assert ("Turkey", "Armenia", "DISAPPROVE") in edges
    assert g.nodes["Turkey"]["kind"] == "State"


def test_export_csv_of_reactions():
    result = diplo("export", "--format", "csv")
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 + 22
    assert "stance_class" in lines[0]


def test_export_to_an_unwritable_place_fails_cleanly(tmp_path: Path):
    target = tmp_path / "missing-folder" / "graph.ttl"
    result = diplo("export", "--format", "ttl", "-o", str(target))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr
    assert not target.parent.exists()


def test_query_json_is_w3c_sparql_results():
    result = diplo("query", "--named", "officials", "--format", "json")
    data = json.loads(result.stdout)
    assert set(data) >= {"head", "results"}
    assert "personLabel" in data["head"]["vars"]


def test_a_store_with_unreadable_summaries_says_so_and_how_to_mend_it(tmp_path: Path):
    from rdflib import URIRef

    from graph import summaries
    from graph.store import Store

    folder = tmp_path / "store"
    assert diplo("init", str(folder)).exit_code == 0
    assert "summaries" not in diplo("--store", str(folder), "actors").stderr
    store = Store.open(folder)
    with pytest.raises(RuntimeError), summaries.kept(store, ["https://example.org/half-written"]):
        store.drop_graph(URIRef("https://example.org/half-written"))
        raise RuntimeError("the write fails half-way")
    store.close()

    warned = diplo("--store", str(folder), "actors")
    assert warned.exit_code == 0
    assert "summaries were left pending" in warned.stderr
    assert f"diplo --store {folder} doctor --repair" in warned.stderr
    assert diplo("--store", str(folder), "doctor", "--repair", "--no-shapes").exit_code == 0
    assert "summaries" not in diplo("--store", str(folder), "actors").stderr


def test_source_kinds_are_the_ontologys_and_every_producer_writes_one():
    from graph import vocab

    kinds = vocab.source_kinds()
    assert kinds == ("curated", "extracted", "gdelt", "icews", "csv")
    # --source-kind offers what shapes.ttl lists, and refuses the rest by name.
    assert "[curated|extracted|gdelt|icews|csv]" in diplo("timeline", "--help").stdout
    bad = diplo("blocs", "--source-kind", "rumour")
    assert bad.exit_code == 2 and "'rumour' is not one of 'curated', 'extracted', 'gdelt', 'icews', 'csv'" in bad.stderr
    # What the bundled graph writes is among them, and so is each importer's kind (its command's name).
    from graph.cli import import_

    assert {p["source_kind"] for p in diplo_json("actor", "Turkey")["positions"]} == {"curated"}
    assert set(import_.commands) <= set(kinds)
