"""A store made of many sources holds the same triple in several named graphs (an actor's label in
the world graph and again in a source's; a file loaded beside the bundled graphs), and the union of
the graphs repeats it. Every shipped query must answer exactly as if each triple were held once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import URIRef

from conftest import diplo
from graph.queries import named_queries
from graph.resolve import bind_params
from graph.store import Store

#: Values for the parameters that shipped queries require (names a user would type).
PARAMS = {
    "describe": {"thing": "https://w3id.org/diplograph/id/actor/dmitry-peskov"},
    "reactions-by": {"who": "Turkey"},
    "reactions-toward": {"toward": "Armenia"},
    "reactions-about": {"within": "tavush-2020"},
    "events-within": {"within": "nagorno-karabakh-conflict"},
    "stances-toward-actor": {"target": "Armenia"},
    # The curated seed has no extractor state (the on-disk test asks about an ingested article).
    "source-state": {"source": "https://w3id.org/diplograph/id/source/trtworld-death-toll-tavush-2020"},
}

#: An article of our own, ingested into the on-disk stores so that queries about extracted sources
#: (source-state) have something to answer.
ARTICLE = (
    "MOSCOW — Russia is deeply concerned about the clashes on the Armenian-Azerbaijani border, "
    "Kremlin spokesman Dmitry Peskov told reporters on Tuesday. Turkey condemned Armenia.\n"
)


def answers(store: Store, name: str, params: dict[str, str] | None = None) -> Counter[tuple[str, ...]]:
    """Every row of a named query, as a multiset (row counts matter, not just the set)."""
    query = named_queries()[name]
    bindings = bind_params(store, query, params if params is not None else PARAMS.get(name, {}))
    result = store.query(query.text, bindings)
    if result.type == "ASK":
        return Counter([(str(result.askAnswer),)])
    return Counter(tuple(str(row[v]) if row[v] is not None else "" for v in result.vars) for row in result)


@pytest.fixture(scope="module")
def twice_in_memory() -> Store:
    """The bundled graph with every triple held a second time, in a graph of its own."""
    doubled = Store.bundled()
    copy = doubled.dataset.graph(URIRef("urn:diplograph-test:copy"))
    for s, p, o, _ in list(doubled.quads()):
        copy.add((s, p, o))
    return doubled


@pytest.fixture(scope="module")
def stores_on_disk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two stores made by `diplo init` with the same article ingested; the second has the bundled
    graph's export loaded beside it, as a user would (diplo export, then diplo load)."""
    root = tmp_path_factory.mktemp("repeats")
    once, twice, export, article = root / "once", root / "twice", root / "seed.ttl", root / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    for folder in (once, twice):
        assert diplo("init", str(folder)).exit_code == 0
        assert diplo("--store", str(folder), "ingest", str(article)).exit_code == 0
    assert diplo("export", "--format", "ttl", "-o", str(export)).exit_code == 0
    loaded = diplo("--store", str(twice), "load", str(export))
    assert loaded.exit_code == 0, loaded.output
    return once, twice


def test_the_repeated_store_really_holds_each_triple_twice(store: Store, twice_in_memory: Store):
    label = (URIRef("https://w3id.org/diplograph/id/actor/turkey"), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), None)
    assert len(list(store.dataset.quads(label))) == 1
    assert len(list(twice_in_memory.dataset.quads(label))) == 2


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_shipped_query_answers_the_same_in_memory(store: Store, twice_in_memory: Store, name: str):
    assert answers(twice_in_memory, name) == answers(store, name)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_shipped_query_answers_the_same_on_disk(stores_on_disk: tuple[Path, Path], name: str):
    once, twice = (Store.open(folder) for folder in stores_on_disk)
    params = PARAMS.get(name, {})
    if name == "source-state":
        article = next(row.source for row in once.query(named_queries()["sources"].text) if "article.txt" in str(row.title))
        params = {"source": str(article)}
    try:
        expected = answers(once, name, params)
        assert expected, f"{name} answers nothing here: the comparison would prove nothing"
        assert answers(twice, name, params) == expected
    finally:
        once.close()
        twice.close()


def test_the_lookups_answer_the_same_when_the_seed_is_loaded_twice(stores_on_disk: tuple[Path, Path]):
    once, twice = stores_on_disk
    for args in (("actor", "Turkey", "--all"), ("actor", "Peskov"), ("event", "Tavush clashes", "--all"), ("actors",)):
        first, second = (diplo("--store", str(f), *args, "--format", "json") for f in (once, twice))
        assert first.exit_code == second.exit_code == 0
        assert first.stdout == second.stdout


def test_an_official_restated_by_many_sources_is_known_once_and_speaks_for_the_state(tmp_path: Path):
    # Every source that quotes an official restates the official's post; joining those repeats
    # made the gazetteer's rows grow as the fourth power of the sources (past 4 GB at 100k reactions).
    from datetime import date

    from graph.documents import Document
    from graph.extract import Extractor

    sources = 30
    person = "https://example.org/person/ayla-demir"
    post = "https://example.org/post/ayla-demir-spokesperson"
    graphs = "\n".join(
        f"""<https://example.org/source/{i}> {{
  <{person}> a dr:Person ; skos:prefLabel "Ayla Demir" ; skos:altLabel "A. Demir" ; org:holds <{post}> .
  <{post}> org:postIn <https://w3id.org/diplograph/id/actor/turkey> ; dr:startDate "2019-01-01"^^xsd:date .
}}"""
        for i in range(sources)
    )
    trig = tmp_path / "officials.trig"
    trig.write_text(
        "@prefix dr: <https://w3id.org/diplograph/ontology#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" + graphs,
        encoding="utf-8",
    )
    folder = tmp_path / "store"
    assert diplo("init", str(folder)).exit_code == 0
    assert diplo("--store", str(folder), "load", str(trig)).exit_code == 0

    store = Store.open(folder, read_only=True)
    try:
        extractor = Extractor.from_store(store)
    finally:
        store.close()
    official = extractor.gaz.actors[person]
    assert (official.label, official.kind) == ("Ayla Demir", "person")
    assert [(body.rsplit("/", 1)[-1], str(start)) for body, start, _ in official.speaks_for] == [("turkey", "2019-01-01")]
    assert extractor.gaz.names["A. Demir"] == person
    text = "Turkish spokesperson Ayla Demir condemned Armenia on Tuesday."
    said = extractor.extract(Document(name="test", text=text, published=date(2020, 7, 14)))
    assert [(r.actor, r.speaker_iri, r.targets) for r in said] == [("Turkey", person, ["Armenia"])]
