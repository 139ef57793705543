"""Lookups and shipped queries on a store made from real news and event data (a few dozen real
articles and the GDELT sample), where the seed and synthetic graphs hid the worst defects: the same
triple in several graphs, actors with thousands of reactions, imports beside articles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import diplo, diplo_json
from graph.queries import named_queries
from graph.store import Store
from test_repeated_triples import PARAMS, answers

#: Tight limits: a lookup on this store that needs more has regressed to reading everything.
TIGHT = ("--time-limit", "30", "--memory-limit", "1024")


@pytest.fixture(scope="module")
def with_repeats(real_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real store with the bundled graph's export loaded beside it: every world and seed triple
    then sits in two graphs, as when a user loads an export into a store."""
    copy = tmp_path_factory.mktemp("real-repeats") / "store"
    shutil.copytree(real_store, copy)
    export = copy.parent / "bundled.ttl"
    assert diplo("export", "--format", "ttl", "-o", str(export)).exit_code == 0
    assert diplo("--store", str(copy), "load", str(export)).exit_code == 0
    return copy


def busiest_actors(folder: Path, n: int = 3) -> list[str]:
    listed = diplo_json("--store", str(folder), "actors", "--all")
    return [a["actor"] for a in sorted(listed, key=lambda a: -a["made"])[:n]]


def test_the_store_holds_articles_and_imported_events(real_store: Path):
    sources = diplo_json("--store", str(real_store), "sources", "--all")
    kinds = {s["made_by"].split()[1] for s in sources if s["made_by"].startswith("diplograph")}
    assert {"extractor", "gdelt"} <= kinds and len(sources) > 40


def test_an_actors_pages_add_up_to_all_its_positions(real_store: Path):
    for name in busiest_actors(real_store):
        first = diplo_json(*TIGHT, "--store", str(real_store), "actor", name, "--limit", "10")
        every = diplo_json(*TIGHT, "--store", str(real_store), "actor", name, "--all")
        assert len(every["positions"]) == every["total"] == first["total"] > 0
        assert first["positions"] == every["positions"][:10]
        assert all(p["source"] for p in every["positions"]), "every reaction keeps its source"
        extracted = [p for p in every["positions"] if p["source_kind"] == "extracted"]
        assert all(p["evidence"] and p["start"] is not None for p in extracted), "and an article's its evidence span"


def test_lookups_answer_the_same_with_repeated_triples(real_store: Path, with_repeats: Path):
    for name in busiest_actors(real_store):
        plain = diplo(*TIGHT, "--store", str(real_store), "actor", name, "--all", "--format", "json")
        doubled = diplo(*TIGHT, "--store", str(with_repeats), "actor", name, "--all", "--format", "json")
        assert plain.exit_code == doubled.exit_code == 0
        assert plain.stdout == doubled.stdout


# source-state asks about one ingested article: test_repeated_triples covers it.
@pytest.mark.parametrize("name", sorted(set(named_queries()) - {"source-state"}))
def test_every_shipped_query_answers_the_same_with_repeated_triples(real_store: Path, with_repeats: Path, name: str):
    plain, doubled = Store.open(real_store), Store.open(with_repeats)
    try:
        assert answers(doubled, name) == answers(plain, name, PARAMS.get(name, {}))
    finally:
        plain.close()
        doubled.close()


@pytest.mark.parametrize("store_name", ["real_store", "with_repeats"])
def test_a_busy_actors_first_pages_walked_back_by_day_are_the_full_passes(
    store_name: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
):
    """The first pages of an actor with many reactions are found by walking back from the newest
    day; they must be exactly the pages that ordering all its reactions gives, with the same total
    (here every actor counts as busy, so the walk runs on real data and on repeated triples)."""
    from graph import lookup
    from graph.resolve import resolve_name

    folder = request.getfixturevalue(store_name)
    names = busiest_actors(folder)
    store = Store.open(folder)
    try:
        for name in names:
            who = resolve_name(store, name, "actor")
            every = lookup.chosen_reactions(store, who=who)
            # The walk serves pages in the first half of an actor's reactions.
            half = len(every) // 2
            pages = ((half, 0), (half // 3, half // 2))
            full = {(limit, offset): lookup.page(store, who=who, limit=limit, offset=offset) for limit, offset in pages}
            monkeypatch.setattr(lookup, "WALK_FROM", 0)
            walked = lookup._walked_page(store, who, half)
            assert walked is not None, f"{name}: the walk gave the page up"
            assert walked == (every[:half], len(every))
            for (limit, offset), expected in full.items():
                page = lookup.page(store, who=who, limit=limit, offset=offset)
                assert page.total == expected.total == len(every)
                assert page.positions == expected.positions and page.positions
            monkeypatch.undo()
        # And every reaction of the store, as a paged query (`diplo query --named reactions`) pages them.
        every = lookup.chosen_reactions(store)
        monkeypatch.setattr(lookup, "WALK_FROM", 0)
        assert lookup._walked_page(store, None, 300) == (every[:300], len(every))
        assert lookup.chosen_page(store, limit=40, offset=100) == (every[100:140], len(every))
    finally:
        store.close()
