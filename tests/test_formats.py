"""Every answer format `diplo query` and `diplo serve` offer, on each kind of store: the bundled
graph in memory, an on-disk store, and Virtuoso (with DIPLO_TEST_VIRTUOSO, as in test_remote)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from conftest import diplo
from graph.server import GRAPH_TYPES, SELECT_TYPES, Limits, make_app
from graph.store import Store
from test_remote import remote  # noqa: F401 - the Virtuoso fixture
from test_serve import serving

SELECT = "SELECT ?c WHERE { ?s dr:isoCode 'TUR' ; dr:isoCode ?c }"
ASK = "ASK { ?s dr:isoCode 'TUR' }"
CONSTRUCT = "CONSTRUCT { ?s dr:isoCode ?c } WHERE { ?s dr:isoCode 'TUR' ; dr:isoCode ?c }"
TURKEY = URIRef("https://w3id.org/diplograph/id/actor/turkey")
ISO = URIRef("https://w3id.org/diplograph/ontology#isoCode")


@pytest.fixture(params=["memory", "disk", "virtuoso"])
def store_args(request: pytest.FixtureRequest) -> list[str]:
    """The global options that choose each kind of store."""
    if request.param == "memory":
        return []
    if request.param == "disk":
        return ["--store", str(request.getfixturevalue("store_dir"))]
    return ["--store", request.getfixturevalue("remote")]


def select_rows(fmt: str, text: str) -> list[str]:
    """The ?c column of a SELECT answer in one of the W3C result formats."""
    if fmt == "json":
        return [b["c"]["value"] for b in json.loads(text)["results"]["bindings"]]
    if fmt == "xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        return [lit.text or "" for lit in ET.fromstring(text).findall(".//r:binding[@name='c']/r:literal", ns)]
    rows = list(csv.reader(io.StringIO(text), delimiter="\t" if fmt == "tsv" else ","))
    assert rows[0] == (["?c"] if fmt == "tsv" else ["c"])
    return [r[0].strip('"') if fmt == "tsv" else r[0] for r in rows[1:]]


def ask_answer(fmt: str, text: str) -> bool:
    if fmt == "json":
        return json.loads(text)["boolean"]
    if fmt == "xml":
        return ET.fromstring(text).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"
    return {"true": True, "false": False}[text.strip()]


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv"])
def test_diplo_query_answers_select_and_ask_in_every_format(store_args: list[str], fmt: str):
    selected = diplo(*store_args, "query", "-e", SELECT, "--format", fmt)
    assert selected.exit_code == 0, selected.stderr
    if fmt == "table":
        assert "TUR" in selected.stdout and "1 row(s)" in selected.stderr
    else:
        assert select_rows(fmt, selected.stdout) == ["TUR"]
    asked = diplo(*store_args, "query", "-e", ASK, "--format", fmt)
    assert asked.exit_code == 0, asked.stderr
    assert ask_answer("json" if fmt == "table" else fmt, asked.stdout) is True


def test_diplo_query_writes_graphs_as_turtle(store_args: list[str]):
    built = diplo(*store_args, "query", "-e", CONSTRUCT)
    assert built.exit_code == 0, built.stderr
    assert (TURKEY, ISO, Literal("TUR")) in Graph().parse(data=built.stdout, format="turtle")


@pytest.fixture()
def endpoint_over(store_args: list[str]) -> Iterator[str]:
    """`diplo serve` over each kind of store."""
    if not store_args:
        store = Store.bundled()
    elif store_args[1].startswith("http"):
        from graph.remote import RemoteStore

        store = RemoteStore(store_args[1])
    else:
        from pathlib import Path

        store = Store.open(Path(store_args[1]), read_only=True)
    with serving(make_app(store, Limits(timeout=60, workers=1))) as url:
        yield url


def test_the_endpoint_answers_in_every_format_it_offers(endpoint_over: str):
    for media, fmt in SELECT_TYPES.items():
        selected = httpx.get(f"{endpoint_over}/sparql", params={"query": SELECT}, headers={"Accept": media}, timeout=60)
        assert selected.status_code == 200 and selected.headers["content-type"].startswith(media), (media, selected.text)
        assert select_rows(fmt, selected.text) == ["TUR"], media
        asked = httpx.get(f"{endpoint_over}/sparql", params={"query": ASK}, headers={"Accept": media}, timeout=60)
        assert asked.status_code == 200 and ask_answer(fmt, asked.text) is True, (media, asked.text)
    for media, fmt in GRAPH_TYPES.items():
        built = httpx.get(f"{endpoint_over}/sparql", params={"query": CONSTRUCT}, headers={"Accept": media}, timeout=60)
        assert built.status_code == 200 and built.headers["content-type"].startswith(media), (media, built.text)
        assert (TURKEY, ISO, Literal("TUR")) in Graph().parse(data=built.text, format=fmt), media


@pytest.fixture(scope="module")
def bundled_endpoint() -> Iterator[str]:
    with serving(make_app(Store.bundled(), Limits(timeout=60, workers=1))) as url:
        yield url


@pytest.mark.parametrize(
    ("accept", "status"),
    [
        ("text/csv;q=abc", 400), ("text/csv;q=nan", 400), ("text/csv;q=2", 400), ("*/*;q=0", 406),
        ("image/png", 406), (";;,", 200), ("text/*", 200), ("TEXT/CSV", 200), ("text/csv;level=1;q=0.8", 200),
    ],
)
def test_odd_accept_headers_get_an_answer_or_a_clear_refusal_never_500(bundled_endpoint: str, accept: str, status: int):
    for query in (SELECT, ASK, CONSTRUCT):
        answer = httpx.get(f"{bundled_endpoint}/sparql", params={"query": query}, headers={"Accept": accept}, timeout=60)
        # A graph has no CSV form: 406 where a SELECT or ASK answer comes as CSV.
        expected = 406 if status == 200 and query == CONSTRUCT and accept.lower().startswith("text/csv") else status
        assert answer.status_code == expected, (query, accept, answer.text)
        if expected != 200:
            assert len(answer.text.strip().splitlines()) == 1


def test_a_table_of_many_columns_keeps_the_words_readable():
    # Seven columns of a real lookup (a state's officials, curated and extracted sources): the
    # others wrap so that the words said keep a third of the width, and nothing runs past it.
    from graph.output import write_rows

    row = {"when": "2020-07-12..2020-07-14", "stance": "MEDIATE: offer mediation", "toward": "Armenia, Azerbaijan",
           "speaker": "Dmitry Peskov (Kremlin spokesman)", "for": "Russia",
           "words": "ready to provide mediation efforts as a co-chair of the Minsk Group",
           "source": "TRT World, 2020-07-14", "kind": "curated"}
    out = io.StringIO()
    write_rows([row], "table", list(row), out=out)
    lines = out.getvalue().splitlines()
    assert any("ready to provide mediation efforts" in line for line in lines)
    assert max(len(line) for line in lines) <= 160
