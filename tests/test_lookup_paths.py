"""The lookups read the same facts from every store: the bundled graph in memory and the embedded
on-disk store (Virtuoso: tests/test_remote.py). They find an actor's or event's reactions first and
read their details in batches, newest first, so that ``--limit`` reads only what it shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from conftest import diplo, diplo_json
from graph.errors import BadInput
from graph.lookup import actor_positions, page, positions, selection
from graph.queries import internal_query
from graph.resolve import NameIndex, resolve_name
from graph.store import Store


@pytest.fixture()
def on_disk(store_dir: Path):
    opened = Store.open(store_dir)
    yield opened
    opened.close()


def records(found) -> list[dict]:
    return [p.record() for p in found]


@pytest.mark.parametrize("who", ["Turkey", "Russia", "Peskov", "Armenia", "Aliyev"])
def test_an_actor_reads_the_same_on_disk_as_in_memory(store: Store, on_disk: Store, who: str):
    memory_subject, in_memory = actor_positions(store, who)
    disk_subject, on_the_disk = actor_positions(on_disk, who)
    assert memory_subject == disk_subject
    assert records(in_memory) == records(on_the_disk) and in_memory


def test_every_reaction_and_an_event_read_the_same_on_disk(store: Store, on_disk: Store):
    assert records(positions(store)) == records(positions(on_disk))
    tavush = resolve_name(store, "Tavush clashes", "event")
    assert records(positions(store, event=tavush)) == records(positions(on_disk, event=tavush))


@pytest.mark.parametrize("backend", ["memory", "disk"])
def test_a_limit_keeps_the_newest_in_the_same_order(store: Store, on_disk: Store, backend: str):
    chosen = store if backend == "memory" else on_disk
    turkey = resolve_name(chosen, "Turkey", "actor")
    every = positions(chosen, who=turkey)
    for n in (1, 2, len(every)):
        assert records(positions(chosen, who=turkey, limit=n)) == records(every[:n])


def test_limit_on_the_command_line_shows_only_the_newest():
    every = diplo_json("actor", "Turkey")["positions"]
    newest = diplo_json("actor", "Turkey", "--limit", "2")["positions"]
    assert newest == every[:2] and len(every) > 2
    table = diplo("actor", "Turkey", "--limit", "2")
    assert table.exit_code == 0 and f"positions 1–2 of {len(every)}, newest first; {len(every) - 2} more" in table.stdout
    assert diplo("actor", "Turkey", "--limit", "-1").exit_code == 2


@pytest.mark.parametrize("backend", ["memory", "disk"])
def test_pages_cover_every_position_once_in_order_with_the_total(store: Store, on_disk: Store, backend: str):
    chosen = store if backend == "memory" else on_disk
    armenia = resolve_name(chosen, "Armenia", "actor")
    every = records(positions(chosen, toward=armenia))
    pages = [page(chosen, toward=armenia, limit=3, offset=start) for start in range(0, len(every) + 3, 3)]
    assert {p.total for p in pages} == {len(every)}
    assert [r for p in pages for r in records(p.positions)] == every
    assert pages[0].more == len(every) - 3 and pages[-1].positions == [] and pages[-1].more == 0


def test_a_targets_page_read_from_the_indexes_is_the_fully_ordered_one(real_store: Path):
    """On a store on disk the reactions aimed at an actor are ordered from index reads (their
    dates first, actors and stances only for the newest days); on real data, where facts repeat
    across graphs and many reactions share a day, a page must be the full pass's."""
    from graph.lookup import chosen_page, chosen_reactions

    store = Store.open(real_store, read_only=True)
    try:
        busiest = store.rows("SELECT ?t (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r dr:target ?t } GROUP BY ?t ORDER BY DESC(?n) ?t LIMIT 3")
        for name, _ in busiest:
            target = URIRef(name)
            ordered = chosen_reactions(store, toward=target)
            assert len(ordered) > 40, f"{name}: too few reactions aimed at it to page"
            for offset in (0, 13):
                shown, total = chosen_page(store, toward=target, limit=20, offset=offset)
                assert shown == ordered[offset : offset + 20] and total >= len(ordered)
    finally:
        store.close()


def test_offset_and_all_on_the_command_line():
    every = diplo_json("event", "Tavush clashes", "--all")
    assert every["total"] == 19 and every["more"] == 0
    second = diplo_json("actor", "Armenia", "--limit", "1", "--offset", "1")
    assert second["offset"] == 1 and len(second["positions"]) == 1
    assert second["positions"] == diplo_json("actor", "Armenia")["positions"][1:2]
    assert second["more"] == second["total"] - 2
    beyond = diplo("actor", "Turkey", "--offset", "999")
    assert beyond.exit_code == 0 and "none past --offset 999" in beyond.stdout


def test_an_actors_view_holds_what_it_said_and_what_was_said_to_it(store: Store):
    found = selection(store, actor="Armenia")
    armenia = resolve_name(store, "Armenia", "actor")
    said = {p.reaction for p in positions(store, who=armenia)}
    aimed = {p.reaction for p in positions(store, toward=armenia)}
    assert {p.reaction for p in found} == said | aimed
    assert aimed - said, "the seed has reactions aimed at Armenia that Armenia did not make"
    assert all("Armenia" in p.targets for p in positions(store, toward=armenia))


def test_exactly_typed_names_resolve_like_the_full_index(store: Store):
    index = NameIndex.build(store)
    for name, kind in [("Turkey", "actor"), ("TUR", "actor"), ("armenia", "actor"), ("Tavush clashes", "event"),
                       ("tavush-2020", "event"), ("Dmitry Peskov", "actor")]:
        assert resolve_name(store, name, kind) == index.resolve(name, kind)


def test_values_fill_a_query_and_none_means_no_rows(store: Store):
    query = internal_query("lookup", "names-exact")
    found = {row.thing for row in store.query(query, values={"name": [Literal("Turkey")], "thing": []})}
    assert found == {URIRef("https://w3id.org/diplograph/id/actor/turkey")}
    assert not list(store.query(query, values={"name": [], "thing": []}))
    # As it stands (UNDEF) the file answers every name.
    assert len(list(store.query(query))) > 100


def test_a_malformed_query_on_disk_names_line_and_column(on_disk: Store):
    with pytest.raises(BadInput, match="line 2, column"):
        on_disk.query("SELECT ?x\nWHERE { ?x ?y }")


@pytest.mark.parametrize("backend", ["memory", "disk"])
def test_an_exactly_typed_name_does_not_read_every_name(store: Store, on_disk: Store, backend: str, monkeypatch: pytest.MonkeyPatch):
    def every_name(cls, _store):  # the slow path, on big stores
        raise AssertionError("read every name")

    monkeypatch.setattr(NameIndex, "build", classmethod(every_name))
    chosen = store if backend == "memory" else on_disk
    assert resolve_name(chosen, "Turkey", "actor") == URIRef("https://w3id.org/diplograph/id/actor/turkey")
    assert resolve_name(chosen, "tavush-2020", "event").endswith("/event/tavush-2020")
    with pytest.raises(AssertionError, match="read every name"):
        resolve_name(chosen, "turkish", "actor")  # an adjective: found by the folded index only
