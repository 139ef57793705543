"""`diplo serve`: a SPARQL 1.1 endpoint over loopback, used by real clients (SPARQLWrapper,
rdflib's SPARQLStore, plain HTTP)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from conftest import diplo
from graph.server import Limits, make_app
from graph.store import Store

TOKEN = "test-token-not-secret"


def start(app) -> tuple[str, object, threading.Thread]:
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the server did not start"
    return f"http://127.0.0.1:{port}", server, thread


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    url, server, thread = start(make_app(Store.bundled(), Limits(timeout=20, max_rows=5, max_request_bytes=20_000), update_token=TOKEN))
    yield url
    server.should_exit = True
    thread.join(10)


def test_sparqlwrapper_selects_json_and_csv(endpoint: str):
    from SPARQLWrapper import CSV, JSON, SPARQLWrapper

    client = SPARQLWrapper(f"{endpoint}/sparql")
    client.setQuery("SELECT ?code WHERE { ?s dr:isoCode ?code FILTER (?code IN ('ARM', 'AZE')) } ORDER BY ?code")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert [r["code"]["value"] for r in rows] == ["ARM", "AZE"]
    client.setReturnFormat(CSV)
    assert client.query().convert().decode("utf-8").split() == ["code", "ARM", "AZE"]


def test_rdflib_sparqlstore_reads_the_seed_through_the_endpoint(endpoint: str):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    remote = Graph(store=SPARQLStore(query_endpoint=f"{endpoint}/sparql"))
    rows = remote.query(
        "PREFIX dr: <https://w3id.org/diplograph/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT DISTINCT ?label WHERE { ?r dr:actor ?a ; dr:stance ?s . ?s skos:notation 'express-support' . ?a skos:prefLabel ?label }"
    )
    assert {str(r.label) for r in rows} == {"Turkey"}


def test_results_are_capped_and_say_so(endpoint: str):
    answer = httpx.get(f"{endpoint}/sparql", params={"query": "SELECT ?s WHERE { ?s a dr:State }"},
                       headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200
    assert len(answer.json()["results"]["bindings"]) == 5
    assert answer.headers["X-Diplo-Truncated"] == "true"
    small = httpx.get(f"{endpoint}/sparql", params={"query": "SELECT ?s WHERE { ?s dr:isoCode 'TUR' }"})
    assert "X-Diplo-Truncated" not in small.headers


def test_answers_are_negotiated(endpoint: str):
    construct = "CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s dr:isoCode 'TUR' ; skos:prefLabel ?l }"
    turtle = httpx.get(f"{endpoint}/sparql", params={"query": construct})
    assert turtle.headers["content-type"].startswith("text/turtle") and '"Turkey"' in turtle.text
    triples = httpx.get(f"{endpoint}/sparql", params={"query": construct}, headers={"Accept": "application/n-triples"})
    assert triples.text.strip().endswith('"Turkey" .')
    xml = httpx.post(f"{endpoint}/sparql", content="ASK { ?s dr:isoCode 'TUR' }",
                     headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+xml"})
    assert xml.status_code == 200 and "<boolean>true</boolean>" in xml.text
    refused = httpx.get(f"{endpoint}/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert refused.status_code == 406


def test_bad_requests_get_clear_answers(endpoint: str):
    assert httpx.get(f"{endpoint}/sparql").status_code == 400
    broken = httpx.get(f"{endpoint}/sparql", params={"query": "SELECT ?s WHERE { ?s ?p"})
    assert broken.status_code == 400 and "malformed SPARQL" in broken.text
    huge = httpx.post(f"{endpoint}/sparql", content="ASK {} #" + "x" * 30_000, headers={"Content-Type": "application/sparql-query"})
    assert huge.status_code == 413
    odd = httpx.post(f"{endpoint}/sparql", content="{}", headers={"Content-Type": "application/json"})
    assert odd.status_code == 415


def test_updates_need_the_token(endpoint: str):
    update = "INSERT DATA { GRAPH <urn:test:serve> { <urn:test:a> <urn:test:b> 'c' } }"
    assert httpx.post(f"{endpoint}/sparql", data={"update": update}).status_code == 403
    wrong = httpx.post(f"{endpoint}/sparql", data={"update": update}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    ask = {"query": "ASK { <urn:test:a> <urn:test:b> 'c' }"}
    assert httpx.get(f"{endpoint}/sparql", params=ask).json()["boolean"] is False
    done = httpx.post(f"{endpoint}/sparql", content=update,
                      headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert done.status_code == 200
    assert httpx.get(f"{endpoint}/sparql", params=ask).json()["boolean"] is True


def test_health_and_views(endpoint: str):
    assert httpx.get(f"{endpoint}/healthz", timeout=60).json()["status"] == "ok"
    page = httpx.get(f"{endpoint}/view", params={"actor": "Turkey"}, timeout=60)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.text and '"Azerbaijan"' in page.text
    assert httpx.get(f"{endpoint}/view", params={"event": "Tavush clashes"}, timeout=60).status_code == 200
    missing = httpx.get(f"{endpoint}/view", params={"actor": "Atlantis"}, timeout=60)
    assert missing.status_code == 404 and "Atlantis" in missing.text
    # A confidence cut keeps the curated reactions and names itself in the title; a bad one is refused.
    cut = httpx.get(f"{endpoint}/view", params={"actor": "Turkey", "min_confidence": "0.7"}, timeout=60)
    assert cut.status_code == 200 and "confidence 0.7 or more" in cut.text and '"Azerbaijan"' in cut.text
    bad = httpx.get(f"{endpoint}/view", params={"actor": "Turkey", "min_confidence": "lots"}, timeout=60)
    assert bad.status_code == 400 and "min_confidence" in bad.text


def test_a_slow_query_is_abandoned_with_503():
    url, server, thread = start(make_app(Store.bundled(), Limits(timeout=0.05)))
    try:
        slow = httpx.get(f"{url}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?a ?d ?e . ?a ?f ?g }"}, timeout=60)
        assert slow.status_code == 503 and "longer than" in slow.text
    finally:
        server.should_exit = True
        thread.join(30)


CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PATH = "SELECT (COUNT(*) AS ?n) WHERE { ?x (dr:actor|!dr:actor|^dr:actor|!^dr:actor)* ?y }"
NORMAL = "SELECT ?c WHERE { ?s dr:isoCode 'TUR' ; dr:isoCode ?c }"


@contextmanager
def serving(app) -> Iterator[str]:
    url, server, thread = start(app)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(30)
        app.state.workers.close()


@pytest.mark.parametrize("hostile", [CARTESIAN, PATH], ids=["cartesian-product", "path-over-everything"])
def test_a_runaway_query_is_stopped_and_other_queries_are_answered_meanwhile(hostile: str):
    app = make_app(Store.bundled(), Limits(timeout=3))
    with serving(app) as url:
        outcome = {}
        runaway = threading.Thread(target=lambda: outcome.update(r=httpx.get(f"{url}/sparql", params={"query": hostile}, timeout=60)))
        runaway.start()
        time.sleep(0.5)
        during = [httpx.get(f"{url}/sparql", params={"query": NORMAL}, timeout=10) for _ in range(5)]
        runaway.join(60)
        assert outcome["r"].status_code == 503 and "stopped" in outcome["r"].text
        assert [r.status_code for r in during] == [200] * 5
        assert all("TUR" in r.text for r in during)
        after = httpx.get(f"{url}/sparql", params={"query": NORMAL}, timeout=30)
        assert after.status_code == 200 and "TUR" in after.text
        assert app.state.workers.health()["killed"] == 1
        deadline = time.monotonic() + 60
        while httpx.get(f"{url}/healthz", timeout=30).status_code != 200:
            assert time.monotonic() < deadline, "the server did not recover"
            time.sleep(0.2)


def test_healthz_reports_an_engine_that_cannot_answer():
    from graph.workers import Pool

    pool = Pool.for_store(Store.bundled(), writable=False, size=1, extra=0)  # no spare process to start
    app = make_app(Store.bundled(), Limits(timeout=30, workers=1), pool=pool)
    with serving(app) as url:
        assert httpx.get(f"{url}/healthz", timeout=30).status_code == 200
        runaway = threading.Thread(target=lambda: httpx.get(f"{url}/sparql", params={"query": CARTESIAN}, timeout=60))
        runaway.start()
        time.sleep(0.5)
        wedged = httpx.get(f"{url}/healthz", timeout=30)
        assert wedged.status_code == 503
        assert wedged.json()["workers"]["answering"] == 1 and wedged.json()["status"] == "unavailable"
        app.state.workers.close()  # ends the runaway query's worker
        runaway.join(60)


def test_a_query_past_the_memory_cap_is_stopped():
    # A time limit far off, so that on a busy machine the memory cap still comes first.
    app = make_app(Store.bundled(), Limits(timeout=300, memory_mb=250))
    growing = "SELECT (COUNT(DISTINCT ?pair) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f BIND(CONCAT(STR(?a), STR(?d), STR(?c)) AS ?pair) }"
    with serving(app) as url:
        started = time.monotonic()
        big = httpx.get(f"{url}/sparql", params={"query": growing}, timeout=330)
        assert big.status_code == 503 and "250 MB memory cap" in big.text
        assert time.monotonic() - started < 300
        assert httpx.get(f"{url}/sparql", params={"query": NORMAL}, timeout=30).status_code == 200


def test_slow_queries_cannot_take_every_worker():
    app = make_app(Store.bundled(), Limits(timeout=8, workers=1))
    with serving(app) as url:
        runaways = [threading.Thread(target=lambda: httpx.get(f"{url}/sparql", params={"query": CARTESIAN}, timeout=60)) for _ in range(2)]
        for thread in runaways:
            thread.start()
            time.sleep(1.5)
        # Both runaways hold a worker; a fresh one was started beside each.
        quick = httpx.get(f"{url}/sparql", params={"query": NORMAL}, timeout=30)
        assert quick.status_code == 200 and "TUR" in quick.text
        assert app.state.workers.health()["processes"] >= 2
        for thread in runaways:
            thread.join(60)
        assert app.state.workers.health()["killed"] == 2


def test_a_query_that_finds_every_worker_busy_waits_in_line_and_is_answered():
    from graph.workers import Pool

    # One worker and no spare: the runaway holds it for its full 3 s, longer than the wait
    # a request had before it was refused (the time limit); in line, it is answered after.
    pool = Pool.for_store(Store.bundled(), writable=False, size=1, extra=0)
    app = make_app(Store.bundled(), Limits(timeout=3, wait=60, workers=1), pool=pool)
    with serving(app) as url:
        outcome = {}
        runaway = threading.Thread(target=lambda: outcome.update(r=httpx.get(f"{url}/sparql", params={"query": CARTESIAN}, timeout=60)))
        runaway.start()
        time.sleep(0.5)
        queued = httpx.get(f"{url}/sparql", params={"query": NORMAL}, timeout=60)
        runaway.join(60)
        assert outcome["r"].status_code == 503 and "stopped" in outcome["r"].text
        assert queued.status_code == 200 and "TUR" in queued.text


def test_requests_past_the_end_of_the_line_are_refused_at_once():
    from graph.workers import Pool

    pool = Pool.for_store(Store.bundled(), writable=False, size=1, extra=0, max_waiting=1)
    app = make_app(Store.bundled(), Limits(timeout=4, wait=60, workers=1), pool=pool)
    with serving(app) as url:
        answers = {}

        def ask(name: str, query: str) -> None:
            answers[name] = httpx.get(f"{url}/sparql", params={"query": query}, timeout=60)

        threads = [threading.Thread(target=ask, args=("runaway", CARTESIAN)), threading.Thread(target=ask, args=("in line", NORMAL))]
        for thread in threads:
            thread.start()
            time.sleep(0.5)
        started = time.monotonic()
        refused = httpx.get(f"{url}/sparql", params={"query": NORMAL}, timeout=60)
        assert refused.status_code == 503 and "waiting" in refused.text
        assert time.monotonic() - started < 2  # told at once, not after waiting
        for thread in threads:
            thread.join(60)
        assert answers["runaway"].status_code == 503
        assert answers["in line"].status_code == 200


def test_healthz_says_ok_while_a_long_line_of_queries_is_being_answered():
    from graph.workers import Pool

    # One worker, 16 queries of about 0.4 s each in line: the line takes longer to clear than
    # /healthz waits, yet the engine answers all along.
    star = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?a ?d ?e . ?a ?f ?g }"
    pool = Pool.for_store(Store.bundled(), writable=False, size=1, extra=0)
    app = make_app(Store.bundled(), Limits(timeout=30, wait=120, workers=1), pool=pool)
    with serving(app) as url:
        answers: list[int] = []
        line = [threading.Thread(target=lambda: answers.append(httpx.get(f"{url}/sparql", params={"query": star}, timeout=120).status_code))
                for _ in range(16)]
        for thread in line:
            thread.start()
        time.sleep(1.0)
        assert app.state.workers.health()["waiting"] > 0
        during = httpx.get(f"{url}/healthz", timeout=30)
        for thread in line:
            thread.join(120)
        assert during.status_code == 200 and during.json()["busy"] is True
        assert answers == [200] * 16


def test_a_worker_killed_from_outside_is_replaced():
    app = make_app(Store.bundled(), Limits(timeout=30, workers=1))
    with serving(app) as url:
        import os
        import signal

        worker = app.state.workers._idle.queue[0]
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join(10)
        answer = httpx.get(f"{url}/sparql", params={"query": NORMAL}, timeout=60)
        assert answer.status_code == 200 and "TUR" in answer.text


def test_serve_refuses_updates_without_a_token(monkeypatch: pytest.MonkeyPatch):
    from conftest import diplo

    monkeypatch.delenv("DIPLO_SERVE_TOKEN", raising=False)
    result = diplo("serve", "--allow-update")
    assert result.exit_code == 2 and "DIPLO_SERVE_TOKEN" in result.stderr


def test_cors_only_for_the_origins_given():
    store = Store.bundled()
    url, server, thread = start(make_app(store, cors=["https://analyst.example.org"]))
    closed_url, closed, closed_thread = start(make_app(store))
    try:
        allowed = httpx.get(f"{url}/healthz", headers={"Origin": "https://analyst.example.org"})
        assert allowed.headers.get("access-control-allow-origin") == "https://analyst.example.org"
        other = httpx.get(f"{url}/healthz", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers
        none = httpx.get(f"{closed_url}/healthz", headers={"Origin": "https://analyst.example.org"})
        assert "access-control-allow-origin" not in none.headers
    finally:
        for srv, th in ((server, thread), (closed, closed_thread)):
            srv.should_exit = True
            th.join(10)


def test_lookups_and_a_second_server_run_beside_a_server_on_disk(store_dir):
    from conftest import diplo

    first = make_app(Store.open(store_dir, read_only=True), Limits(timeout=30))
    second = make_app(Store.open(store_dir, read_only=True), Limits(timeout=30, workers=1))
    with serving(first) as url, serving(second) as other:
        for where in (url, other):
            assert "TUR" in httpx.get(f"{where}/sparql", params={"query": NORMAL}, timeout=30).text
        looked_up = diplo("--store", str(store_dir), "actor", "Turkey")
        assert looked_up.exit_code == 0 and "Azerbaijan" in looked_up.stdout
        writer = diplo("--store", str(store_dir), "forget", "no-such-source")
        assert writer.exit_code == 2 and "in use" in writer.stderr


def test_graph_answers_are_capped_too(endpoint: str):
    everything = httpx.get(f"{endpoint}/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"},
                           headers={"Accept": "application/n-triples"})
    assert everything.status_code == 200 and everything.headers["X-Diplo-Truncated"] == "true"
    assert len(everything.text.strip().splitlines()) == 5
    described = httpx.get(f"{endpoint}/sparql", params={"query": "DESCRIBE ?s WHERE { ?s a dr:State }"},
                          headers={"Accept": "application/n-triples"})
    assert described.headers["X-Diplo-Truncated"] == "true" and len(described.text.strip().splitlines()) <= 5
    one = httpx.get(f"{endpoint}/sparql", params={"query": "CONSTRUCT { ?s dr:isoCode ?c } WHERE { ?s dr:isoCode 'TUR' ; dr:isoCode ?c }"},
                    headers={"Accept": "application/n-triples"})
    assert "X-Diplo-Truncated" not in one.headers and one.text.count('"TUR"') == 1


def test_the_row_cap_goes_into_the_query_as_a_limit():
    from graph.sparql import with_limit

    assert with_limit("SELECT * WHERE { ?s ?p ?o }", 11).rstrip().endswith("LIMIT 11")
    assert with_limit("SELECT * WHERE { ?s ?p ?o } # no limit", 11).rstrip().endswith("LIMIT 11")
    assert with_limit("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 500", 11).endswith("LIMIT 11")
    kept = "SELECT * WHERE { ?s ?p ?o } LIMIT 3"
    assert with_limit(kept, 11) == kept
    nested = "SELECT * { { SELECT * { ?s ?p 'LIMIT 900' } LIMIT 900 } } LIMIT 900"
    assert with_limit(nested, 11) == "SELECT * { { SELECT * { ?s ?p 'LIMIT 900' } LIMIT 900 } } LIMIT 11"
    assert with_limit("ASK { ?s ?p ?o }", 11) == "ASK { ?s ?p ?o }"


@pytest.fixture()
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A loopback socket that records every connection made to it (and answers nothing)."""
    calls: list[bytes] = []
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            calls.append(conn.recv(1000))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", calls
    stop.set()
    thread.join(5)
    sock.close()


def test_service_is_refused_at_the_endpoint_and_fetches_nothing(endpoint: str, listener):
    remote, calls = listener
    query = f"SELECT * WHERE {{ SERVICE <{remote}> {{ ?s ?p ?o }} }}"
    refused = httpx.get(f"{endpoint}/sparql", params={"query": query}, timeout=30)
    assert refused.status_code == 400 and "SERVICE" in refused.text and "--allow-service" in refused.text
    assert len(refused.text.strip().splitlines()) == 1
    sneaky = httpx.get(f"{endpoint}/sparql", params={"query": f"SELECT * {{ ?a ?b ?c .SERVICE <{remote}> {{ }} }}"}, timeout=30)
    assert sneaky.status_code == 400
    time.sleep(0.3)
    assert calls == []


def test_service_is_refused_by_diplo_query_and_fetches_nothing(listener):
    from conftest import diplo

    remote, calls = listener
    result = diplo("query", "-e", f"SELECT * WHERE {{ SERVICE <{remote}> {{ ?s ?p ?o }} }}")
    assert result.exit_code == 2 and "SERVICE" in result.stderr and "--allow-service" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    time.sleep(0.3)
    assert calls == []


def test_allow_service_lets_a_federated_query_through(endpoint: str):
    from conftest import diplo

    query = f"SELECT ?c WHERE {{ SERVICE <{endpoint}/sparql> {{ ?s <https://w3id.org/diplograph/ontology#isoCode> 'TUR' ; <https://w3id.org/diplograph/ontology#isoCode> ?c }} }}"
    result = diplo("query", "--allow-service", "-e", query, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == ["c", "TUR"]
    app = make_app(Store.bundled(), Limits(timeout=30, workers=1), allow_service=True)
    with serving(app) as url:
        answer = httpx.get(f"{url}/sparql", params={"query": query}, headers={"Accept": "text/csv"}, timeout=60)
        assert answer.status_code == 200, answer.text
        assert answer.text.split() == ["c", "TUR"]


def test_only_the_servers_own_host_names_are_answered(endpoint: str):
    port = endpoint.rsplit(":", 1)[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}"):
        assert httpx.get(f"{endpoint}/healthz", headers={"Host": host}, timeout=30).status_code == 200, host
    for host in (f"attacker.example:{port}", "attacker.example", "127.0.0.1.attacker.example", "localhost.evil"):
        refused = httpx.get(f"{endpoint}/sparql", params={"query": NORMAL}, headers={"Host": host}, timeout=30)
        assert refused.status_code == 400 and "--allow-host" in refused.text, host


def test_allow_host_adds_a_name():
    app = make_app(Store.bundled(), Limits(timeout=30, workers=1), hosts=["diplo.internal"])
    with serving(app) as url:
        assert httpx.get(f"{url}/healthz", headers={"Host": "diplo.internal:8000"}, timeout=30).status_code == 200
        assert httpx.get(f"{url}/healthz", headers={"Host": "other.internal"}, timeout=30).status_code == 400


def test_updates_with_the_token_write_an_on_disk_store(store_dir):
    from conftest import diplo

    app = make_app(Store.open(store_dir), Limits(timeout=30), update_token=TOKEN)
    update = "INSERT DATA { GRAPH <urn:test:serve> { <urn:test:a> <urn:test:b> 'c' } }"
    with serving(app) as url:
        done = httpx.post(f"{url}/sparql", content=update, timeout=30,
                          headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        assert done.status_code == 200, done.text
        asked = httpx.get(f"{url}/sparql", params={"query": "ASK { <urn:test:a> <urn:test:b> 'c' }"}, timeout=30)
        assert asked.json()["boolean"] is True
        busy = diplo("--store", str(store_dir), "actor", "Turkey")  # the server is the store's writer
        assert busy.exit_code == 2 and "in use" in busy.stderr
    reopened = Store.open(store_dir, read_only=True)
    try:
        assert reopened.rows("SELECT ?o WHERE { <urn:test:a> <urn:test:b> ?o }") == [("c",)]
    finally:
        reopened.close()


@pytest.mark.parametrize(
    "update",
    [
        "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{remote}> {{ ?s ?p ?o }} }}",
        "DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o . SERVICE SILENT <{remote}> {{ ?s ?p ?o }} }}",
        "LOAD <{remote}>",
        "LOAD SILENT <{remote}> INTO GRAPH <urn:x:g>",
        "PREFIX x: <urn:x:> INSERT DATA {{ x:a x:b x:c }} ; LOAD <{remote}>",
        "WITH <urn:x:g> INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{remote}> {{ ?s ?p ?o }} }}",
    ],
    ids=["insert-where-service", "delete-service-silent", "load", "load-silent-into", "load-after-insert", "with-service"],
)
def test_an_update_with_the_token_cannot_make_the_server_fetch(endpoint: str, listener, update: str):
    remote, calls = listener
    before = httpx.get(f"{endpoint}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"}, headers={"Accept": "text/csv"}, timeout=30).text
    refused = httpx.post(f"{endpoint}/sparql", content=update.format(remote=remote), timeout=30,
                         headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert refused.status_code == 400, refused.text
    assert ("SERVICE" in refused.text or "LOAD" in refused.text) and "--allow-service" in refused.text
    assert len(refused.text.strip().splitlines()) == 1
    time.sleep(0.3)
    assert calls == []
    after = httpx.get(f"{endpoint}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"}, headers={"Accept": "text/csv"}, timeout=30).text
    assert after == before  # refused whole: the INSERT DATA before the LOAD did not happen either


def test_diplo_query_refuses_an_update_that_would_fetch(listener):
    from conftest import diplo

    remote, calls = listener
    for update in (f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{remote}> {{ ?s ?p ?o }} }}", f"LOAD <{remote}>"):
        result = diplo("query", "-e", update)
        assert result.exit_code == 2 and "--allow-service" in result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    time.sleep(0.3)
    assert calls == []


def test_fetching_keywords_count_even_where_rdflib_cannot_parse():
    from graph.errors import BadInput
    from graph.sparql import refuse_service

    # Oxigraph-only syntax rdflib rejects: the keyword in the text's structure is enough.
    for text in ("LOAD <http://127.0.0.1:9/> INTO GRAPH <urn:g> ;;", "INSERT { ?s ?p ?o } WHERE { service <http://x/> { ?s ?p ?o } } }"):
        with pytest.raises(BadInput, match="allow-service"):
            refuse_service(text)
    # The words inside literals, IRIs, comments or as variable names do not.
    refuse_service("SELECT ?service ?load WHERE { ?service <urn:LOAD> 'SERVICE <http://x/>' } # LOAD <http://x/>")


def test_named_queries_page_through_the_endpoint_as_on_the_command_line(endpoint: str):
    def page(offset: int) -> httpx.Response:
        return httpx.get(f"{endpoint}/named/reactions", params={"limit": "2", "offset": str(offset)},
                         headers={"Accept": "application/sparql-results+json"})

    first = page(0)
    assert first.status_code == 200
    assert (first.headers["X-Diplo-Total"], first.headers["X-Diplo-Offset"], first.headers["X-Diplo-More"]) == ("22", "0", "20")
    seen = []
    for offset in range(0, 22, 2):
        seen += [b["reaction"]["value"] for b in page(offset).json()["results"]["bindings"]]
    command = json.loads(diplo("query", "--named", "reactions", "--all", "--format", "json").stdout)
    assert seen == [b["reaction"]["value"] for b in command["results"]["bindings"]]
    by = httpx.get(f"{endpoint}/named/reactions-by", params={"who": "Turkey", "limit": "1"}, headers={"Accept": "text/csv"})
    assert by.status_code == 200 and by.headers["X-Diplo-Total"] == "4" and by.text.splitlines()[0] == "reaction,field,value"
    assert httpx.get(f"{endpoint}/named/no-such-query").status_code == 404
    assert httpx.get(f"{endpoint}/named/sources", params={"limit": "none"}).status_code == 400
