"""Paged named queries: one page at a time, in an order that lets the pages follow each other, so
that every page read in turn gives back exactly the whole answer (and a big store answers the
first page without reading every key)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import diplo
from graph import lookup, paging
from graph.queries import named_queries, parse_header
from graph.sparql import run_query
from graph.store import Store
from test_repeated_triples import PARAMS, twice_in_memory  # noqa: F401 - a fixture

PAGED = sorted(name for name, q in named_queries().items() if q.page)


def rows(answer) -> list[tuple[str, ...]]:  # noqa: ANN001 - an Answer
    result = answer.result
    return [tuple(str(row[v]) if row[v] is not None else "" for v in result.vars) for row in result]


def walk_pages(store: Store, name: str, size: int) -> tuple[list[tuple[str, ...]], list[int]]:
    """Every page of ``name`` read in turn: the rows one after the other, and each page's total."""
    params = PARAMS.get(name, {})
    found: list[tuple[str, ...]] = []
    totals = []
    offset = 0
    while True:
        answer = run_query(store, named=name, params=params, limit=size, offset=offset)
        totals.append(answer.total)
        if not answer.shown:
            return found, totals
        found += rows(answer)
        offset += answer.shown


def whole(store: Store, name: str) -> list[tuple[str, ...]]:
    return rows(run_query(store, named=name, params=PARAMS.get(name, {})))


def test_the_queries_that_read_every_key_are_paged():
    assert {"sources", "reactions", "reaction-details", "reactions-by", "reactions-toward", "reaction-keys"} <= set(PAGED)
    assert named_queries()["sources"].page == "source"
    assert named_queries()["reactions-by"].page_text != named_queries()["reactions-by"].text  # read via paging/reaction-keys


@pytest.mark.parametrize("name", PAGED)
def test_the_pages_of_a_query_add_up_to_its_whole_answer(store: Store, name: str):
    every = whole(store, name)
    assert every, f"{name} answers nothing on the bundled graph: the comparison would prove nothing"
    paged, totals = walk_pages(store, name, 3)
    assert Counter(paged) == Counter(every)
    assert len(set(totals)) == 1 and totals[0] >= 1


def test_ordered_pages_keep_the_whole_answers_order(store: Store):
    every = whole(store, "reactions")
    paged, _ = walk_pages(store, "reactions", 4)
    assert paged == every


def test_a_bad_page_line_is_refused_naming_the_file():
    text = "# Question: q\n# Param: none\n# Page: mood -- by name\nSELECT * WHERE { VALUES ?mood { UNDEF } }"
    with pytest.raises(ValueError, match=r"x\.rq: bad '# Page:' line"):
        parse_header("x", text)
    with pytest.raises(ValueError, match="no 'VALUES .source"):
        parse_header("x", "# Question: q\n# Param: none\n# Page: source\nSELECT * WHERE { ?source ?p ?o }")


@pytest.mark.parametrize(("command", "order", "size"), [("sources", "newest first", 10), ("actors", "most reactions first", 100)])
def test_diplo_lists_page_with_the_total_and_what_is_left(real_store: Path, command: str, order: str, size: int):
    every = json.loads(diplo("--store", str(real_store), command, "--all", "--format", "json").stdout)
    assert len(every) > 40
    first = diplo("--store", str(real_store), command, "--limit", "10")
    assert first.exit_code == 0
    assert f"note: {command} 1–10 of {len(every):,}, {order}; {len(every) - 10:,} more (--offset 10, or --all)" in first.stderr
    pages = []
    for offset in range(0, len(every), size):
        pages += json.loads(diplo("--store", str(real_store), command, "--offset", str(offset), "--limit", str(size), "--format", "json").stdout)
    assert pages == every
    if command == "sources":
        days = [s["published"] for s in every if s["published"]]
        assert days == sorted(days, reverse=True) and all(s["published"] for s in every[: len(days)]), "newest first, undated last"
    else:
        total = [a["made"] + a["voiced"] + a["received"] for a in every]
        assert total == sorted(total, reverse=True) and total[0] > total[-1]


@pytest.mark.parametrize("name", ["sources", "reactions-by", "reactions-toward", "reaction-keys"])
def test_walked_pages_of_a_big_store_are_the_sorted_ones(real_store: Path, monkeypatch: pytest.MonkeyPatch, name: str):
    """A store past the walking threshold finds its first pages by walking back through the days;
    on this small store, with the threshold lowered, they must be exactly the sorted pages."""
    params = {"reactions-by": {"who": "United States"}, "reactions-toward": {"toward": "United States"}}.get(name, {})
    store = Store.open(real_store, read_only=True)
    try:
        sorted_pages = [rows(run_query(store, named=name, params=params, limit=10, offset=o)) for o in (0, 10)]
        monkeypatch.setattr(paging, "WALK_FROM", 10)
        monkeypatch.setattr(lookup, "WALK_FROM", 10)
        walked_pages = [rows(run_query(store, named=name, params=params, limit=10, offset=o)) for o in (0, 10)]
        assert all(sorted_pages) and [Counter(p) for p in walked_pages] == [Counter(p) for p in sorted_pages]
        if name == "sources":
            assert walked_pages == sorted_pages
    finally:
        store.close()


@pytest.mark.parametrize("name", ["sources", "reactions-by", "reaction-keys"])
def test_pages_are_the_same_when_every_triple_is_held_twice(twice_in_memory: Store, store: Store, name: str):
    assert walk_pages(twice_in_memory, name, 2) == walk_pages(store, name, 2)


@pytest.mark.parametrize("name", ["actors", "reactions-over-time", "who-sided-with-whom", "stances-toward-actor"])
def test_pages_of_a_whole_graph_count_follow_its_order_on_a_store_with_summaries(real_store: Path, name: str):
    """A big store's counts list tens of thousands of actors, days and pairs (and thousands of
    stances toward its busiest targets): a page is chosen from the summaries, and the pages read
    in turn give the whole answer in its order."""
    from graph import summaries

    store = Store.open(real_store, read_only=True)
    try:
        assert summaries.current(store), "the pages would be cut from the whole answer, not chosen from the tallies"
        every = whole(store, name)
        paged, totals = walk_pages(store, name, 7)
        assert len(every) > 3 * 7 and Counter(paged) == Counter(every) and len(set(totals)) == 1
        if name != "actors":
            assert paged == every
        else:  # an actor with two names keeps its rows together; the ranking is the answer's
            counts = [sum(int(n) for n in row[5:8]) for row in paged]  # made, voiced, received
            assert counts == sorted(counts, reverse=True)
    finally:
        store.close()



def test_officials_pages_walked_on_a_store_on_disk_give_the_whole_list_in_order(real_store: Path):
    """A store on disk finds a page of officials by walking the bodies in the order of the names
    they speak for; read in turn, the pages are the whole list, each official where the list first
    names them (an official with posts in two states keeps their rows together on that page)."""
    store = Store.open(real_store, read_only=True)
    try:
        every = whole(store, "officials")
        paged, totals = walk_pages(store, "officials", 9)
        assert len(every) > 30 and Counter(paged) == Counter(every) and len(set(totals)) == 1
        officials = list(dict.fromkeys(row[0] for row in every))
        assert list(dict.fromkeys(row[0] for row in paged)) == officials and totals[0] == len(officials)
        assert any(paged[i][4] > paged[i + 1][4] for i in range(len(paged) - 1)), "no official speaks for two: the order proves little"
        first = run_query(store, named="officials", limit=5)
        assert first.total == totals[0] and first.more == totals[0] - 5 and first.noun == "official"
    finally:
        store.close()


def test_a_target_walked_back_by_day_pages_as_the_engine_orders(real_store: Path, monkeypatch: pytest.MonkeyPatch):
    """Reactions aimed at a busy target of a big store are found by walking back by day when that
    passes fewer reactions than reading all the target's would cost (at 1M, a target of 12.6k:
    walk 0.19 s, read 0.89 s); the page must be the one the engine's ordering gives. On this
    small store reading always costs less, so the walk's fixed cost is set to nothing."""
    from rdflib import URIRef

    store = Store.open(real_store, read_only=True)
    try:
        target = URIRef("https://w3id.org/diplograph/id/actor/russia")  # about a tenth of the store's reactions
        assert lookup._walked_page(store, None, 10, target) is None, "a small store's target is read, not walked"
        monkeypatch.setattr(lookup, "_WALK_START_US", 0)
        walked = lookup._walked_page(store, None, 10, target)
        assert walked is not None, "Russia receives enough of the real store's reactions to be walked"
        assert walked[1] < lookup.WALK_FROM
        ordered = lookup._server_page(store, None, None, 10, 0, target)
        assert len(walked[0]) == 10 and walked[0] == ordered[0] and walked[1] == ordered[1]
    finally:
        store.close()
