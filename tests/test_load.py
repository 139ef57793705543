"""`diplo load`: bulk-loading RDF files into a store on disk, all or nothing — even when killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, diplo, quads, script
from graph.errors import BadInput
from graph.store import JOURNAL, Store

TRIPLES = """@prefix dr: <https://w3id.org/diplograph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/diplograph/id/actor/new-league> a dr:InternationalOrganization ; skos:prefLabel "New League" .
"""


def test_a_turtle_file_loads_into_its_own_graph(tmp_path: Path, store_dir: Path):
    path = tmp_path / "league.ttl"
    path.write_text(TRIPLES, encoding="utf-8")
    before = quads(store_dir)
    result = diplo("--store", str(store_dir), "load", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["quads"] == 2
    assert quads(store_dir) == before + 2
    assert "New League" in diplo("--store", str(store_dir), "actors", "--all").stdout
    again = diplo("--store", str(store_dir), "load", str(path))
    assert again.exit_code == 2 and "--replace" in again.stderr
    assert diplo("--store", str(store_dir), "load", str(path), "--replace").exit_code == 0
    assert quads(store_dir) == before + 2


def test_a_malformed_file_changes_nothing_and_names_its_line(tmp_path: Path, store_dir: Path):
    path = tmp_path / "broken.ttl"
    path.write_text(TRIPLES + "<https://example.org/a> <https://example.org/b> .\n", encoding="utf-8")
    before = quads(store_dir)
    result = diplo("--store", str(store_dir), "load", str(path))
    assert result.exit_code == 2 and f"{path}:4:" in result.stderr
    assert quads(store_dir) == before


def test_a_load_tells_each_phase_and_a_bad_file_stops_at_the_check(tmp_path: Path, store_dir: Path, monkeypatch: pytest.MonkeyPatch):
    import graph.store

    monkeypatch.setattr(graph.store, "COMPACT_AFTER", 1)  # this small file counts as a big load
    good, bad = tmp_path / "league.ttl", tmp_path / "broken.ttl"
    good.write_text(TRIPLES, encoding="utf-8")
    bad.write_text(TRIPLES + "<https://example.org/a> .\n", encoding="utf-8")
    store = Store.open(store_dir)
    try:
        heard: list[str] = []
        store.bulk_load(good, step=heard.append)
        assert heard == ["checking", "loading", "compacting and counting"]
        heard.clear()
        store.bulk_load(good, replace=True, compact=False, step=heard.append)
        assert heard == ["checking", "loading"]
        heard.clear()
        monkeypatch.setattr(graph.store, "COMPACT_AFTER", 10**6)  # a small load leaves the files as they are
        store.bulk_load(good, replace=True, step=heard.append)
        assert heard == ["checking", "loading"]
        heard.clear()
        with pytest.raises(BadInput, match=f"{bad.name}:4:"):
            store.bulk_load(bad, step=heard.append)
        assert heard == ["checking"]
    finally:
        store.close()


def test_load_needs_a_store(tmp_path: Path):
    path = tmp_path / "league.ttl"
    path.write_text(TRIPLES, encoding="utf-8")
    result = diplo("load", str(path))
    assert result.exit_code == 2 and "--store" in result.stderr


def test_a_killed_load_leaves_the_store_openable_and_without_the_file(tmp_path: Path, store_dir: Path):
    generator = script("generate_synthetic")
    big = tmp_path / "big.nq"
    with big.open("w", encoding="utf-8") as out:
        generator.generate(40_000, out)
    before = quads(store_dir)
    env = {k: v for k, v in os.environ.items() if k != "DIPLO_STORE"}
    proc = subprocess.Popen([sys.executable, "-m", "graph", "--store", str(store_dir), "load", str(big)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    journal = store_dir / JOURNAL
    deadline = time.monotonic() + 60
    while not journal.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert journal.exists(), "the load finished before it could be killed"
    time.sleep(0.3)  # well into the bulk load
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = Store.open(store_dir)  # opening undoes the interrupted load
    try:
        assert len(store.recovered) > 1000
    finally:
        store.close()
    assert not journal.exists()
    assert quads(store_dir) == before
    assert diplo("--store", str(store_dir), "actor", "Turkey").exit_code == 0
