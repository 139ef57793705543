"""Summaries kept on write: the whole-graph questions read tallies that every write keeps right,
and answer exactly what counting every reaction answers (graph/summaries.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import URIRef

from conftest import diplo, diplo_json, script
from test_doctor import doctor

ROOT = Path(__file__).resolve().parents[1]


def rows_of(store, text: str, bindings: dict | None = None) -> list[tuple]:
    """A query's rows as sorted, comparable tuples: lists written with GROUP_CONCAT as sets
    (their order is the engine's), a mediator's sample quote left out and of an example of
    someone's words only whether there is one (any one will do)."""
    from graph.sparql import result_rows

    out = []
    for row in result_rows(store.query(text, bindings or {})):
        kept = []
        for name, value in sorted(row.items()):
            if name == "words":
                continue
            if name == "example":
                value = bool(value)
            if name in ("stances", "targets", "between", "capacities") and value is not None:
                value = tuple(sorted(part for part in value.split(", ") if part))
            kept.append((name, "" if value is None else value))
        out.append(tuple(kept))
    return sorted(out)


def disagreements(folder: Path) -> dict[str, tuple[int, int]]:
    """Each summarized question whose answer from the tallies differs from counting every
    reaction, with both row counts; {} when all agree. The tallies must be current."""
    from graph import summaries
    from graph.queries import internal_query, named_query
    from graph.store import Store

    store = Store.open(folder, read_only=True)
    try:
        assert summaries.state(store) == summaries.CURRENT
        differ = {}
        # Asked about each target, or on a big store about the ten busiest and ten quietest (the
        # full count for every target of 100k took minutes).
        ranked = store.rows("SELECT ?t (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r dr:target ?t } GROUP BY ?t ORDER BY DESC(?n) ?t")
        targets = [URIRef(t) for t, _ in (ranked if len(ranked) <= 40 else ranked[:10] + ranked[-10:])]
        for name in sorted(summaries.SUMMARIZED):
            # A question about one actor is asked about each actor reactions were aimed at.
            for bindings in ([{"target": t} for t in targets] if name == "stances-toward-actor" else [{}]):
                full = rows_of(store, named_query(name).text, bindings)
                kept = rows_of(store, internal_query("summaries", name), bindings)
                assert full or name not in ("actors", "sources", "reactions-over-time"), f"{name}: nothing to compare"
                if full != kept:
                    differ[name if not bindings else f"{name} {bindings['target']}"] = (len(full), len(kept))
        counted = int(store.rows(internal_query("lookup", "count-all"))[0][0])
        if summaries.reaction_total(store) != counted:
            differ["reaction total"] = (counted, summaries.reaction_total(store))
        return differ
    finally:
        store.close()


def state_of(folder: Path) -> str | None:
    from graph import summaries
    from graph.store import Store

    store = Store.open(folder, read_only=True)
    try:
        return summaries.state(store)
    finally:
        store.close()


@pytest.fixture()
def seed_store(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    assert diplo("init", str(folder)).exit_code == 0
    return folder


def test_a_new_store_has_current_summaries_that_agree(seed_store: Path):
    assert disagreements(seed_store) == {}
    actors = {a["actor"]: a for a in diplo_json("--store", str(seed_store), "actors", "--all")}
    assert (actors["Azerbaijan"]["made"], actors["Azerbaijan"]["received"]) == (6, 11)


def test_the_real_store_summaries_agree_with_counting_every_reaction(real_store: Path):
    # Built by ingest (key by key) and an import, as a user builds a store.
    assert disagreements(real_store) == {}


def test_ingest_forget_and_repeats_keep_them_current(shared: Path, seed_store: Path, tmp_path: Path):
    posts = sorted((shared / "corpus" / "finescoop-dailymail-2020" / "posts").glob("*.md"))[:6]
    for post in posts:
        shutil.copy(post, tmp_path / post.name)
    folder = tmp_path / "in"
    folder.mkdir()
    for post in posts[:4]:
        shutil.copy(post, folder / post.name)
    assert diplo("--store", str(seed_store), "ingest", str(folder)).exit_code == 0
    assert disagreements(seed_store) == {}
    before = {s["key"]: s["reactions"] for s in diplo_json("--store", str(seed_store), "sources")}

    forgotten = next(key for key, n in before.items() if n > 0 and key != "trtworld-death-toll-tavush-2020")
    assert diplo("--store", str(seed_store), "forget", forgotten).exit_code == 0
    assert disagreements(seed_store) == {}
    assert forgotten not in {s["key"] for s in diplo_json("--store", str(seed_store), "sources")}

    # The bundled graph's export loaded beside it: every seed triple is now in two graphs.
    export = tmp_path / "bundled.ttl"
    assert diplo("export", "--format", "ttl", "-o", str(export)).exit_code == 0
    assert diplo("--store", str(seed_store), "load", str(export)).exit_code == 0
    assert disagreements(seed_store) == {}
    actors = {a["actor"]: a for a in diplo_json("--store", str(seed_store), "actors", "--all")}
    assert actors["Azerbaijan"]["made"] >= 6  # counted once, not once per graph


ID = "https://w3id.org/diplograph/id/"
DR = "https://w3id.org/diplograph/ontology#"


def reaction_file(path: Path, graph: str, reaction: str, actor: str, speaker: str, extra: str = "") -> Path:
    """A TriG file with one new appeal to Azerbaijan and Armenia by ``actor``, voiced by ``speaker``."""
    path.write_text(f"""<{graph}> {{
  <{ID}reaction/{reaction}> a <{DR}Reaction> ; <{DR}actor> <{ID}actor/{actor}> ; <{DR}speaker> <{ID}actor/{speaker}> ;
    <{DR}stance> <https://w3id.org/diplograph/stance/call-for-restraint> ; <{DR}target> <{ID}actor/azerbaijan>, <{ID}actor/armenia> ;
    <{DR}date> "2020-07-15"^^<http://www.w3.org/2001/XMLSchema#date> ; <{DR}quote> "Both sides must stop." .
  {extra}
}}
""", encoding="utf-8")
    return path


def test_new_reactions_are_added_up_and_new_posts_recounted(seed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from graph import tallies

    counted_within = []
    count = tallies.count

    def spy(store, keys=None, within=None):
        counted_within.append(within is not None)
        return count(store, keys, within)

    monkeypatch.setattr(tallies, "count", spy)
    before = {a["actor"]: a for a in diplo_json("--store", str(seed_store), "actors")}["European Union"]

    # One more appeal by the EU, voiced by its known envoy: only the new reaction is counted.
    added = reaction_file(tmp_path / "one.trig", "https://example.org/one", "r-one", "european-union", "toivo-klaar")
    assert diplo("--store", str(seed_store), "load", str(added)).exit_code == 0
    assert counted_within == [True]
    assert disagreements(seed_store) == {}
    after = {a["actor"]: a for a in diplo_json("--store", str(seed_store), "actors")}["European Union"]
    assert after["made"] == before["made"] + 1

    # A new official holding a new EU post changes whose reactions the EU's lookup lists: recounted.
    post = (f"<{ID}actor/new-envoy> <http://www.w3.org/ns/org#holds> <{ID}post/new-envoy> . "
            f"<{ID}post/new-envoy> <http://www.w3.org/ns/org#postIn> <{ID}actor/european-union> .")
    recounted = reaction_file(tmp_path / "two.trig", "https://example.org/two", "r-two", "european-union", "new-envoy", post)
    assert diplo("--store", str(seed_store), "load", str(recounted)).exit_code == 0
    assert counted_within == [True, False]
    assert disagreements(seed_store) == {}


def test_a_write_that_fails_leaves_them_pending_and_repair_rebuilds(seed_store: Path):
    from rdflib import URIRef

    from graph import summaries
    from graph.store import Store

    full = diplo_json("--store", str(seed_store), "actors")
    store = Store.open(seed_store)
    with pytest.raises(RuntimeError), summaries.kept(store, ["https://example.org/half-written"]):
        store.drop_graph(URIRef("https://w3id.org/diplograph/id/source/trtworld-death-toll-tavush-2020"))
        raise RuntimeError("the write fails half-way")
    store.close()
    assert state_of(seed_store) == summaries.PENDING
    # Pending tallies are not read: the questions count every reaction, and see the drop.
    after = {a["actor"]: a for a in diplo_json("--store", str(seed_store), "actors")}
    assert after["Azerbaijan"]["made"] < {a["actor"]: a for a in full}["Azerbaijan"]["made"]

    code, found = doctor(seed_store, "--no-shapes")
    assert code == 1 and found["summaries not current"]["count"] == 1
    _code, repaired = doctor(seed_store, "--repair", "--no-shapes")
    assert repaired["summaries not current"]["repaired"]
    assert state_of(seed_store) == summaries.CURRENT
    assert {a["actor"]: a for a in diplo_json("--store", str(seed_store), "actors")} == after


def test_a_rebuild_mends_wrong_and_doubled_tallies_and_keeps_the_right_ones(seed_store: Path):
    import pyoxigraph

    from graph import summaries, vocab
    from graph.store import Store

    store = Store.open(seed_store)
    try:
        ox, graph = store._ox, pyoxigraph.NamedNode(summaries.graph_iri())
        count = pyoxigraph.NamedNode(str(vocab.DR.reactionCount))
        nodes = sorted({q.subject.value for q in ox.quads_for_pattern(None, count, None, graph)})
        assert len(nodes) > 2
        # One tally's count made wrong, another written twice (as a write cut short might).
        wrong = next(q for q in ox.quads_for_pattern(pyoxigraph.BlankNode(nodes[0]), count, None, graph))
        ox.remove(wrong)
        ox.add(pyoxigraph.Quad(wrong.subject, count, pyoxigraph.Literal("999", datatype=wrong.object.datatype), graph))
        doubled = pyoxigraph.BlankNode(nodes[1])
        facts = len(list(ox.quads_for_pattern(doubled, None, None, graph)))
        twin = pyoxigraph.BlankNode()
        ox.extend([pyoxigraph.Quad(twin, q.predicate, q.object, graph) for q in ox.quads_for_pattern(doubled, None, None, graph)])
        kept = pyoxigraph.BlankNode(nodes[2])
        before = len(list(ox.quads_for_pattern(None, None, None, graph)))

        summaries.rebuild(store)

        assert summaries.state(store) == summaries.CURRENT
        assert not list(ox.quads_for_pattern(None, count, pyoxigraph.Literal("999", datatype=wrong.object.datatype), graph))
        assert sum(len(list(ox.quads_for_pattern(n, None, None, graph))) for n in (doubled, twin)) == facts  # one of the two
        assert list(ox.quads_for_pattern(kept, None, None, graph)), "an unchanged tally is left in place"
        assert len(list(ox.quads_for_pattern(None, None, None, graph))) == before - facts
    finally:
        store.close()
    assert disagreements(seed_store) == {}


def test_an_update_through_the_endpoint_marks_them_pending(seed_store: Path):
    from graph import summaries
    from graph.server import answer_update
    from graph.store import Store

    store = Store.open(seed_store)
    answer_update(store, "PREFIX dr: <https://w3id.org/diplograph/ontology#> "
                         "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/r> dr:actor <https://example.org/a> } }")
    assert summaries.state(store) == summaries.PENDING
    store.close()


def test_export_leaves_them_out_and_no_file_loads_into_them(seed_store: Path, tmp_path: Path):
    from graph.summaries import graph_iri

    out = tmp_path / "all.nq"
    assert diplo("--store", str(seed_store), "export", "--format", "nq", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "tavush" in text and graph_iri() not in text and "Tally" not in text

    forged = tmp_path / "forged.nq"
    forged.write_text(f'<https://example.org/x> <https://example.org/p> "1" <{graph_iri()}> .\n', encoding="utf-8")
    before = diplo_json("--store", str(seed_store), "actors")
    refused = diplo("--store", str(seed_store), "load", str(forged))
    assert refused.exit_code != 0 and "summaries" in refused.stderr
    assert diplo_json("--store", str(seed_store), "actors") == before


@pytest.mark.slow
def test_summaries_agree_at_100k_reactions(tmp_path: Path):
    generator = script("generate_synthetic")
    data = tmp_path / "syn.nq"
    with data.open("w", encoding="utf-8") as out:
        generator.generate(100_000, out)
    folder = tmp_path / "store"
    assert diplo("init", str(folder)).exit_code == 0
    loaded = diplo("--store", str(folder), "load", str(data))
    assert loaded.exit_code == 0, loaded.output + loaded.stderr
    assert disagreements(folder) == {}


def test_lookup_totals_agree_with_counting_each_actor(real_store: Path):
    from graph import summaries
    from graph.queries import internal_query
    from graph.store import Store

    store = Store.open(real_store, read_only=True)
    try:
        actors = [URIRef(a) for (a,) in store.rows("SELECT DISTINCT ?a WHERE { { ?r dr:actor ?a } UNION { ?r dr:speaker ?a } }")]
        actors += [URIRef(a) for (a,) in store.rows("SELECT DISTINCT ?a WHERE { ?p org:postIn ?a }")]
        assert len(actors) > 100
        for who in actors:
            counted = store.rows(internal_query("lookup", "count-by"), {"who": who})
            assert summaries.lookup_total(store, who) == int(counted[0][0]), who
    finally:
        store.close()


def test_a_new_name_for_a_target_reaches_the_pairs_aimed_at_it(seed_store: Path, tmp_path: Path):
    """Who sided with whom is paged by names the pair tallies carry: a name given to a target
    later must reach the tallies of everyone who reacted to it."""
    named = tmp_path / "armenia-name.ttl"
    named.write_text('<https://w3id.org/diplograph/id/actor/armenia> <http://www.w3.org/2004/02/skos/core#prefLabel> "Republic of Armenia" .\n',
                     encoding="utf-8")
    assert diplo("--store", str(seed_store), "load", str(named)).exit_code == 0
    assert disagreements(seed_store) == {}
    answer = diplo_json("--store", str(seed_store), "query", "--named", "who-sided-with-whom", "--all")
    against = {(b["actorLabel"]["value"], b["targetLabel"]["value"]) for b in answer["results"]["bindings"] if b["side"]["value"] == "against"}
    assert {("Azerbaijan", "Armenia"), ("Azerbaijan", "Republic of Armenia")} <= against
    # A page finds each pair by its key, one per pair of names: the same rows as the whole answer.
    page = diplo_json("--store", str(seed_store), "query", "--named", "who-sided-with-whom", "--limit", "1000")
    assert page["results"]["bindings"] == answer["results"]["bindings"]
