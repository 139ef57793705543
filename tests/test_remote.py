"""`--store http(s)://…`: the same commands against a remote SPARQL store — a real Virtuoso that
.ci/run starts on loopback (DIPLO_TEST_VIRTUOSO is its base URL). Without one these tests skip
and say so, unless DIPLO_REQUIRE_VIRTUOSO=1 makes that a failure."""

from __future__ import annotations

import json
import os
import re
import uuid
from pathlib import Path

import httpx
import pytest

from conftest import diplo
from graph.errors import BadInput
from graph.remote import RemoteStore, Truncated

VIRTUOSO = os.environ.get("DIPLO_TEST_VIRTUOSO")
ARTICLE = ("NATO called on Russia and Ukraine to show restraint on Monday, its spokesman said.\n\n"
           "“We are deeply concerned by the fighting,” Kremlin spokesman Dmitry Peskov told reporters.\n")


@pytest.fixture()
def remote(monkeypatch: pytest.MonkeyPatch) -> str:
    """The Virtuoso endpoint, with its update and graph-store endpoints and login in the environment."""
    if not VIRTUOSO:
        if os.environ.get("DIPLO_REQUIRE_VIRTUOSO") == "1":
            pytest.fail("DIPLO_REQUIRE_VIRTUOSO=1 but DIPLO_TEST_VIRTUOSO names no server")
        pytest.skip("needs a Virtuoso (.ci/run starts one and sets DIPLO_TEST_VIRTUOSO)")
    monkeypatch.setenv("DIPLO_STORE_UPDATE", f"{VIRTUOSO}/sparql-auth")
    monkeypatch.setenv("DIPLO_STORE_GSP", f"{VIRTUOSO}/sparql-graph-crud-auth")
    monkeypatch.setenv("DIPLO_STORE_USER", "dba")
    monkeypatch.setenv("DIPLO_STORE_PASSWORD", "dba")
    monkeypatch.setenv("DIPLO_STORE_AUTH", "digest")
    url = f"{VIRTUOSO}/sparql"
    result = diplo("init", url)
    assert result.exit_code == 0, result.stderr
    return url


def test_lookups_and_named_queries_answer_from_virtuoso(remote: str):
    turkey = json.loads(diplo("--store", remote, "actor", "cavusoglu", "--format", "json").stdout)
    assert turkey["actor"]["posts"][0]["on_behalf_of"] == "Turkey"
    assert {(p["stance_class"], tuple(p["targets"])) for p in turkey["positions"]} >= {("DISAPPROVE", ("Armenia",)), ("SUPPORT", ("Azerbaijan",))}
    rows = json.loads(diplo("--store", remote, "query", "--named", "who-called-for-restraint", "--param", "event=tavush-2020", "--format", "json").stdout)
    names = {b["actorLabel"]["value"] for b in rows["results"]["bindings"]}
    assert names == {"Russia", "NATO", "European Union", "United States"}
    assert diplo("--store", remote, "view", "-o", "/dev/null", "--format", "svg").exit_code == 0


def test_paged_queries_page_on_virtuoso_as_on_disk(remote: str):
    every = json.loads(diplo("--store", remote, "sources", "--all", "--format", "json").stdout)
    pages = []
    for offset in range(0, len(every) + 2, 2):
        pages += json.loads(diplo("--store", remote, "sources", "--limit", "2", "--offset", str(offset), "--format", "json").stdout)
    assert every and pages == every
    for name, param, size in (("reactions-by", "who=turkey", 3), ("reactions-toward", "toward=armenia", 3), ("reaction-keys", None, 2000)):
        args = ("--store", remote, "query", "--named", name, *(("--param", param) if param else ()), "--format", "csv")
        whole = diplo(*args, "--all").stdout.splitlines()
        first = diplo(*args, "--limit", str(size))
        total = re.search(r"reactions? .*? of ([\d,]+)|([\d,]+) reaction", first.stderr)
        assert first.exit_code == 0 and total, first.stderr
        paged = []
        for offset in range(0, int((total[1] or total[2]).replace(",", "")), size):
            paged += diplo(*args, "--limit", str(size), "--offset", str(offset)).stdout.splitlines()[1:]
        assert len(whole) > 1 and sorted(paged) == sorted(whole[1:]), name
    # The whole-graph counts page by actor, day and pair, the officials by person (chosen from
    # the whole answer: a server keeps no summaries).
    for command, size in ((("actors",), 100), (("query", "--named", "reactions-over-time"), 2), (("query", "--named", "who-sided-with-whom"), 2),
                          (("query", "--named", "officials"), 2)):
        args = ("--store", remote, *command, "--format", "csv")
        whole = diplo(*args, "--all").stdout.splitlines()
        paged = []
        for offset in range(0, len(whole), size):
            paged += diplo(*args, "--limit", str(size), "--offset", str(offset)).stdout.splitlines()[1:]
        assert len(whole) > 2 * size and sorted(paged) == sorted(whole[1:]), command


def test_ingest_sources_and_forget_on_virtuoso(remote: str, tmp_path: Path):
    article = tmp_path / "news.txt"
    article.write_text(ARTICLE + f"\n(run {uuid.uuid4()})\n", encoding="utf-8")
    assert diplo("--store", remote, "ingest", str(article)).exit_code == 0
    listed = json.loads(diplo("--store", remote, "sources", "--all", "--format", "json").stdout)
    ours = [s for s in listed if s["title"] == str(article)]
    assert len(ours) == 1 and ours[0]["reactions"] >= 2
    again = diplo("--store", remote, "ingest", str(article))
    assert "1 unchanged" in again.stderr
    # A confidence cut reads the confidences from the server too.
    every = json.loads(diplo("--store", remote, "actor", "Russia", "--all", "--format", "json").stdout)["positions"]
    mine = [p for p in every if p["source_title"] == str(article)]
    assert mine
    cut = max(p["confidence"] for p in mine)
    kept = json.loads(diplo("--store", remote, "actor", "Russia", "--all", "--min-confidence", str(cut), "--format", "json").stdout)
    assert {p["reaction"] for p in kept["positions"]} == {p["reaction"] for p in every if p["source_kind"] != "extracted" or p["confidence"] >= cut}
    assert diplo("--store", remote, "forget", ours[0]["key"]).exit_code == 0
    assert not [s for s in json.loads(diplo("--store", remote, "sources", "--all", "--format", "json").stdout) if s["title"] == str(article)]


def test_load_and_import_on_virtuoso(remote: str, tmp_path: Path):
    ttl = tmp_path / f"league-{uuid.uuid4().hex[:8]}.ttl"
    ttl.write_text('<https://w3id.org/diplograph/id/actor/test-league> a <https://w3id.org/diplograph/ontology#InternationalOrganization> ;'
                   ' <http://www.w3.org/2004/02/skos/core#prefLabel> "Test League" .\n', encoding="utf-8")
    assert diplo("--store", remote, "load", str(ttl)).exit_code == 0
    assert "Test League" in diplo("--store", remote, "actors", "--all", "--format", "csv").stdout
    refused = diplo("--store", remote, "load", str(ttl))
    assert refused.exit_code == 2 and "--replace" in refused.stderr


def test_a_cut_answer_is_an_error_not_half_a_result():
    def virtuoso_cutting(request: httpx.Request) -> httpx.Response:
        body = {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": "urn:a"}}]}}
        return httpx.Response(200, json=body, headers={"X-SPARQL-MaxRows": "10000", "Content-Type": "application/sparql-results+json"})

    store = RemoteStore("http://virtuoso.invalid/sparql", env={}, transport=httpx.MockTransport(virtuoso_cutting))
    with pytest.raises(Truncated, match="cut the answer at 10000 rows"):
        list(store.query("SELECT ?s WHERE { ?s ?p ?o }"))


def test_an_unreachable_store_is_a_clear_error_without_hanging():
    store = RemoteStore("http://127.0.0.1:9/sparql", env={"DIPLO_STORE_TIMEOUT": "3"})
    with pytest.raises(BadInput, match="cannot reach the store"):
        store.query("ASK {}")
    result = diplo("--store", "http://127.0.0.1:9/sparql", "actor", "Turkey")
    assert result.exit_code == 2 and "127.0.0.1:9" in result.stderr


def test_a_walked_first_page_on_virtuoso_is_the_full_pass(remote: str, monkeypatch: pytest.MonkeyPatch):
    """The walk back by day that serves busy actors' first pages speaks Virtuoso's SPARQL too."""
    from graph import lookup
    from graph.resolve import resolve_name

    store = RemoteStore(remote)
    for name in ("Turkey", "Russia"):
        who = resolve_name(store, name, "actor")
        every = lookup.chosen_reactions(store, who=who)
        monkeypatch.setattr(lookup, "WALK_FROM", 0)
        assert len(every) >= 2
        assert lookup._walked_page(store, who, len(every) // 2) == (every[: len(every) // 2], len(every))
        monkeypatch.undo()
    every = lookup.chosen_reactions(store)
    monkeypatch.setattr(lookup, "WALK_FROM", 0)
    assert lookup.chosen_page(store, limit=5, offset=3) == (every[3:8], len(every))


def test_a_page_cut_by_virtuoso_is_the_page_the_embedded_store_gives(remote: str):
    """A remote store's lookups order and cut the page on the server (lookup/page-*.rq): the same
    reactions in the same order, and the same total, as the full pass over the same graph in
    memory, for an actor and for an event with events within it (whose reactions Virtuoso 7 lost
    when a path with + shared a group with a VALUES block, or sat in a UNION inside EXISTS)."""
    from rdflib import URIRef

    from graph import lookup
    from graph.sparql import run_query
    from graph.store import Store

    store, here = RemoteStore(remote), Store.bundled()
    turkey = URIRef("https://w3id.org/diplograph/id/actor/turkey")
    conflict = URIRef("https://w3id.org/diplograph/id/event/nagorno-karabakh-conflict")
    for args in ({"who": turkey}, {"event": conflict}):
        every = lookup.chosen_reactions(here, **args)
        assert len(every) >= 4
        for offset in (0, 1, len(every) - 1, len(every) + 1):
            assert lookup.chosen_page(store, limit=2, offset=offset, **args) == (every[offset : offset + 2], len(every))
    shown = {str(row.reaction) for row in run_query(store, named="reactions", params={"within": "nagorno-karabakh-conflict"}, limit=50).result}
    assert shown == {str(row.reaction) for row in run_query(here, named="reactions", params={"within": "nagorno-karabakh-conflict"}, limit=50).result}
    assert len(shown) == len(lookup.chosen_reactions(here, event=conflict))
