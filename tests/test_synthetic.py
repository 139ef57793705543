"""The synthetic benchmark graph (scripts/generate_synthetic.py) loads, fits the model, and has the
shapes of real data: the same triples in several named graphs, and a skewed activity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, diplo, script
from graph.store import Store


def generated(path: Path, reactions: int, **options: Any) -> Path:
    with path.open("w", encoding="utf-8") as out:
        script("generate_synthetic").generate(reactions, out, **options)
    return path


def loaded_shape(store_dir: Path, nq: Path) -> dict[str, Any]:
    """Load ``nq`` with `diplo load` and measure the store as scripts/store_shape.py does."""
    result = diplo("--store", str(store_dir), "load", str(nq))
    assert result.exit_code == 0, result.stderr
    store = Store.open(store_dir)
    try:
        return script("store_shape").measure(store._ox)
    finally:
        store.close()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A store made by `diplo init` with 2,000 generated reactions loaded, and its shape."""
    folder = tmp_path_factory.mktemp("synthetic")
    assert diplo("init", str(folder / "store")).exit_code == 0
    return folder / "store", loaded_shape(folder / "store", generated(folder / "syn.nq", 2000))


@pytest.fixture(scope="module")
def shape(loaded: tuple[Path, dict[str, Any]]) -> dict[str, Any]:
    return loaded[1]


def test_a_small_generated_graph_conforms_to_the_shapes(tmp_path: Path):
    result = diplo("validate", str(generated(tmp_path / "small.nq", 150)))
    assert result.exit_code == 0, result.stdout + result.stderr


def test_the_same_seed_writes_the_same_graph_and_another_seed_another(tmp_path: Path):
    one = generated(tmp_path / "a.nq", 300).read_bytes()
    assert generated(tmp_path / "b.nq", 300).read_bytes() == one
    assert generated(tmp_path / "c.nq", 300, seed=12).read_bytes() != one


def test_it_holds_the_reactions_asked_for_in_article_and_import_graphs(shape: dict[str, Any]):
    # The bundled seed graph adds its 22 curated reactions.
    assert shape["reactions"] == 2000 + 22
    kinds = shape["graphs"]["by_kind"]
    assert kinds["ingested"]["reactions"] + kinds["import"]["reactions"] == 2000
    # Import-style graphs are few and big, article-style ones many and small.
    per_graph = shape["reactions-per-graph-by-kind"]
    assert per_graph["import"]["median"] >= 71 and per_graph["ingested"]["median"] <= 10
    assert 0.04 < kinds["import"]["reactions"] / 2000 < 0.2


def test_the_activity_and_ad_hoc_officials_are_repeated_in_many_graphs(shape: dict[str, Any]):
    repeats = shape["repeats"]
    article_graphs = shape["graphs"]["by_kind"]["ingested"]["graphs"]
    # The extraction activity is described again in every article graph …
    assert repeats["by_predicate"]["dr:sourceKind"]["extra_copies"] >= article_graphs - 1
    assert repeats["copies"]["max"] == article_graphs
    # … and an official the reference graph lacks, in each graph that quotes them.
    assert repeats["by_predicate"]["org:postIn"]["triples"] > 0
    assert repeats["by_pair_of_graph_kinds"]["ingested/ingested"] > repeats["by_predicate"]["org:postIn"]["triples"]
    # States and organizations keep one label each, as in the real store.
    assert shape["label-copies-per-actor"]["max"] == 1


def test_restating_actors_repeats_their_labels_across_graphs(tmp_path: Path, store_dir: Path):
    shape = loaded_shape(store_dir, generated(tmp_path / "restated.nq", 300, restate_actors=1.0))
    assert shape["label-copies-per-actor"]["max"] > 1
    assert shape["repeats"]["by_graph_kinds"]["ingested+reference"]["triples"] > 0


def test_its_states_take_no_iso_code_of_a_real_one(loaded: tuple[Path, dict[str, Any]]):
    result = diplo("--store", str(loaded[0]), "query", "--format", "json", "-e",
                   "SELECT ?code (COUNT(DISTINCT ?s) AS ?states) WHERE { ?s dr:isoCode ?code } GROUP BY ?code")
    states = {row["code"]["value"]: int(row["states"]["value"]) for row in json.loads(result.stdout)["results"]["bindings"]}
    assert states["XAA"] == 1 and "TUR" in states  # the synthetic states beside the world's
    assert max(states.values()) == 1


def test_activity_is_skewed_toward_a_few_actors(shape: dict[str, Any]):
    per_actor = shape["reactions-per-actor"]
    assert shape["busiest-actors"][0]["actor"] == "dg:actor/syn-state-000"
    # The real store: the busiest actor has 34% of reactions, the top ten 73%.
    assert 0.25 < shape["skew"]["top1_share"] < 0.45
    assert 0.6 < shape["skew"]["top10_share"] < 0.85
    assert per_actor["max"] > 20 * per_actor["median"]


def test_reactions_carry_speakers_evidence_and_date_ranges(shape: dict[str, Any]):
    share = shape["share"]
    assert 0.4 < share["dr:speaker"] < 0.7
    assert 0.4 < share["date range (notBefore|notAfter)"] < 0.65
    assert 0.1 < share["dr:quote"] < 0.25
    assert shape["selectors-per-reaction"]["median"] == 2 and shape["selectors-per-reaction"]["count"] == 2022
    assert shape["posts-per-official"]["max"] >= 2
