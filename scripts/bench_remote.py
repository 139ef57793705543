"""How fast the product answers from a remote Virtuoso, each figure beside the best hand-written
query for the same answer sent to the same server in the same run (issue 12: ≤ 2× each).

What it does:

1. copies the real store (``--real``, read only; built by ``scripts/build_real_store.py``) to a
   temporary folder and dumps it with pyoxigraph to N-Quads;
2. loads that into the Virtuoso at ``--virtuoso`` (a base URL such as http://127.0.0.1:8890) the
   way ``diplo load`` does (Graph Store Protocol, graph by graph), timed; and, when ``--isql`` and
   ``--server-dir`` say where the server's isql port and working folder are (the bulk loader reads
   files on the server's side), again with Virtuoso's bulk loader (``ld_dir`` + ``rdf_loader_run``
   + ``checkpoint``), timed, after clearing the store's graphs;
3. for the lookups of bench_store.py's subjects (busiest and median actor by reactions made, the
   official who spoke most, the event with most reactions): the first page of 50 through the
   library (``graph.lookup.page``) against hand-written Virtuoso queries for the same page (its
   total, its reactions ordered and cut on the server, their facts); ``diplo actor`` through the
   library (``actor_page``: name, description, page) and as a whole ``diplo --store URL actor``
   process, against a process that sends the hand-written queries with nothing but httpx;
4. every shipped named query (paged ones: their first page of 50) through ``run_query`` against
   the hand-written query for the same rows (the shipped text itself, bound by hand, where no
   rewrite for Virtuoso answered faster).

Each pair's answers are compared (the same page in the same order, the same facts, the same
rows); a pair that differs is marked. Times are medians of ``--runs`` after a warm-up, ours and the
hand-written run alternately so that the shared machine's load falls on both.

    .ci/virtuoso /tmp/vdb
    python scripts/bench_remote.py --real /work/data/realdata-output/real-store \\
        --virtuoso http://127.0.0.1:8890 --isql 1111 --server-dir /tmp/vdb

The login and update endpoints come from the DIPLO_STORE_* variables as for ``diplo``; unset, they
default to Virtuoso's (``/sparql-auth``, ``/sparql-graph-crud-auth``, digest, dba/dba as
``.ci/virtuoso`` sets up). Prints a table and writes JSON (``--json``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
PAGE = 50
DR = "https://w3id.org/diplograph/ontology#"
DATA = "https://w3id.org/diplograph/id/"

Rows = list[tuple[Any, ...]]


def remote_env(base: str) -> dict[str, str]:
    """The DIPLO_STORE_* variables for the Virtuoso at ``base``: the environment's, else Virtuoso's
    usual endpoints and the login .ci/virtuoso sets up."""
    env = dict(os.environ)
    env.setdefault("DIPLO_STORE_UPDATE", f"{base}/sparql-auth")
    env.setdefault("DIPLO_STORE_GSP", f"{base}/sparql-graph-crud-auth")
    env.setdefault("DIPLO_STORE_USER", "dba")
    env.setdefault("DIPLO_STORE_PASSWORD", "dba")
    env.setdefault("DIPLO_STORE_AUTH", "digest")
    return env


def paired(ours: Callable[[], Any], theirs: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median milliseconds of ``ours`` and ``theirs``, run alternately after one warm-up each
    (three times as many runs when both take under 30 ms: the shared machine's noise is then
    as large as the figures)."""
    start = time.perf_counter()
    ours(), theirs()
    if time.perf_counter() - start < 0.06:
        runs *= 3
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        for fn, into in ((ours, a), (theirs, b)):
            start = time.perf_counter()
            fn()
            into.append((time.perf_counter() - start) * 1000)
    return statistics.median(a), statistics.median(b)


# -- the hand-written side: plain HTTP, nothing of the product ----------------------------------

class Virtuoso:
    """SPARQL sent as written (the ontology's prefixes declared), answers read as tuples."""

    def __init__(self, base: str, prologue: str) -> None:
        import httpx

        self.url = base + "/sparql"
        self.prologue = prologue
        self.http = httpx.Client(timeout=300)

    def rows(self, text: str, as_rdflib: bool = False) -> Rows:
        """The answer's rows, each value as the server wrote it (or, ``as_rdflib``, as rdflib
        writes the term: Virtuoso writes a boolean as 1, rdflib as true)."""
        answer = self.http.post(self.url, data={"query": self.prologue + text}, headers={"Accept": "application/sparql-results+json"})
        if answer.status_code >= 400:
            raise RuntimeError(f"Virtuoso {answer.status_code}: {answer.text.strip()[:200]}")
        data = answer.json()
        names = data["head"]["vars"]
        if as_rdflib:
            from rdflib.plugins.sparql.results.jsonresults import parseJsonTerm

            return [tuple(str(parseJsonTerm(b[n])) if n in b else None for n in names) for b in data["results"]["bindings"]]
        return [tuple(b[n]["value"] if n in b else None for n in names) for b in data["results"]["bindings"]]


def who_pattern(kind: str, iri: str) -> str:
    """The reactions ?r of one lookup: an event's (or an event's within it), or an actor's (its
    own, its bodies', those it voiced, those its officials voiced)."""
    if kind == "event":
        return f"{{ ?r dr:about <{iri}> }} UNION {{ ?part dr:partOf+ <{iri}> . ?r dr:about ?part }}"
    return (f"{{ ?r dr:actor <{iri}> }} UNION {{ ?r dr:speaker <{iri}> }} "
            f"UNION {{ ?b org:subOrganizationOf+ <{iri}> . ?r dr:actor ?b }} "
            f"UNION {{ ?post org:postIn <{iri}> . ?o org:holds ?post . ?r dr:speaker ?o }}")


def hand_page(db: Virtuoso, pattern: str) -> tuple[list[str], int]:
    """One page's reactions in lookup order (newest day first, then actor, then reaction: cut on
    the server) and the total, in one request. No test that the stance is one of the scheme's,
    which the lookups make: every reaction of the real store has one, and the comparison of the
    answers shows it (a hand-writer who knows the data may leave it out; the baseline is the
    faster for it)."""
    reactions = f"{{ SELECT DISTINCT ?r WHERE {{ {{ {pattern} }} ?r dr:stance ?s }} }}"
    text = (
        "SELECT ?r ?day ?latest ?earliest ?actor ?total WHERE { "
        f"{{ SELECT (COUNT(*) AS ?total) WHERE {{ {reactions} }} }} UNION "
        "{ SELECT ?r ?day ?latest ?earliest ?actor WHERE { "
        "{ SELECT ?r (MAX(?d) AS ?day) (MAX(?na) AS ?latest) (MIN(?nb) AS ?earliest) (MIN(STR(?a)) AS ?actor) WHERE { "
        f"{reactions} "
        "OPTIONAL { ?r dr:actor ?a } OPTIONAL { ?r dr:date ?d } OPTIONAL { ?r dr:notAfter ?na } OPTIONAL { ?r dr:notBefore ?nb } "
        "} GROUP BY ?r } } "
        f"ORDER BY DESC(COALESCE(?day, ?latest, ?earliest)) ?actor ?r LIMIT {PAGE} }} }}"
    )
    rows = db.rows(text)
    total = next(int(row[5]) for row in rows if row[5] is not None)
    page = [row for row in rows if row[0] is not None]
    # The subquery's order is the server's to keep or not: sort the page again as it was cut
    # (by actor and reaction within a day, newest day first, undated last; sorts are stable).
    page.sort(key=lambda row: (row[4] or "", row[0]))
    page.sort(key=lambda row: row[1] or row[2] or row[3] or "", reverse=True)
    return [row[0] for row in page], total


def details_template() -> str:
    """reaction-details.rq as one would send it by hand: the page's IRIs in a plain VALUES block
    (``%s``; no subselect, the same speed on Virtuoso)."""
    from graph.queries import named_query

    text = named_query("reaction-details").text
    head = "{ SELECT DISTINCT ?reaction WHERE { VALUES ?reaction { UNDEF } ?reaction a dr:Reaction } }"
    assert head in text, "reaction-details.rq changed: update the hand-written copy"
    return text.replace("%", "%%").replace(head, "VALUES ?reaction { %s }")


def hand_details_text(reactions: list[str]) -> str:
    # Read from the environment in the hand-written process, which imports nothing of the product.
    template = os.environ.get("BENCH_REMOTE_DETAILS") or details_template()
    return template % " ".join(f"<{r}>" for r in reactions)


def hand_lookup(db: Virtuoso, kind: str, iri: str) -> tuple[list[str], int, set[tuple[Any, ...]]]:
    """The first page of one lookup by hand: its reactions in order, the total, their facts."""
    page, total = hand_page(db, who_pattern(kind, iri))
    facts = set(db.rows(hand_details_text(page))) if page else set()
    return page, total, facts


def hand_describe_text(iri: str) -> str:
    return (f"SELECT ?label ?type ?postLabel ?bodyLabel ?parentLabel WHERE {{ {{ <{iri}> skos:prefLabel ?label }} UNION {{ <{iri}> a ?type }} "
            f"UNION {{ <{iri}> org:holds ?post . ?post skos:prefLabel ?postLabel ; org:postIn ?body . ?body skos:prefLabel ?bodyLabel "
            "OPTIONAL { ?body org:subOrganizationOf/skos:prefLabel ?parentLabel } } }")


def hand_actor(db: Virtuoso, handle: str) -> tuple[str, list[str], int, set[tuple[Any, ...]]]:
    """``diplo actor HANDLE`` by hand: the actor the handle names, what it is, its first page."""
    iri = DATA + "actor/" + handle
    if not db.rows(f"SELECT ?l WHERE {{ <{iri}> skos:prefLabel ?l }} LIMIT 1"):
        raise RuntimeError(f"no actor {handle}")
    db.rows(hand_describe_text(iri))
    page, total, facts = hand_lookup(db, "actor", iri)
    return iri, page, total, facts


# -- our side -------------------------------------------------------------------------------------

def our_lookup(store: Any, kind: str, iri: str) -> tuple[list[str], int, set[tuple[Any, ...]]]:
    """The same page through the product, with the facts it read (for the comparison)."""
    from rdflib import URIRef

    from graph.lookup import chosen_page
    from graph.queries import named_query

    args = {"event": URIRef(iri)} if kind == "event" else {"who": URIRef(iri)}
    page, total = chosen_page(store, limit=PAGE, **args)
    facts = set(store.rows(named_query("reaction-details").text, values={"reaction": [URIRef(r) for r in page]})) if page else set()
    return page, total, facts


def lookups(store: Any, db: Virtuoso, found: dict[str, str], runs: int) -> dict[str, Any]:
    from rdflib import URIRef

    from graph.lookup import actor_page, page

    out: dict[str, Any] = {}
    for label, iri in found.items():
        kind = label.split()[-1]
        args = {"event": URIRef(iri)} if kind == "event" else {"who": URIRef(iri)}
        ours, theirs = our_lookup(store, kind, iri), hand_lookup(db, kind, iri)
        ms, hand_ms = paired(lambda: page(store, limit=PAGE, **args), lambda: hand_lookup(db, kind, iri), runs)
        out[f"{label} page"] = {"iri": iri, "reactions": ours[1], "ours_ms": ms, "hand_ms": hand_ms, "ratio": ms / hand_ms,
                                "same_answer": ours == theirs}
    for label in ("busiest actor", "median actor", "official"):
        handle = found[label].rsplit("/", 1)[-1]
        _, ours_page = actor_page(store, handle, limit=PAGE)
        theirs = hand_actor(db, handle)
        same = [p.reaction for p in ours_page.positions] == theirs[1] and ours_page.total == theirs[2]
        ms, hand_ms = paired(lambda: actor_page(store, handle, limit=PAGE), lambda: hand_actor(db, handle), runs)
        out[f"diplo actor {handle} (library)"] = {"iri": found[label], "reactions": ours_page.total, "ours_ms": ms, "hand_ms": hand_ms,
                                                  "ratio": ms / hand_ms, "same_answer": same}
    return out


# -- whole processes -------------------------------------------------------------------------------

def hand_process(base: str, handle: str) -> int:
    """``diplo actor HANDLE --format csv`` by hand in a process of its own: only httpx, the
    hand-written queries, the page's facts written as CSV rows (what the process is timed for)."""
    import csv

    prologue = json.loads(os.environ["BENCH_REMOTE_PROLOGUE"])
    db = Virtuoso(base, prologue)
    _, page, _, facts = hand_actor(db, handle)
    order = {r: i for i, r in enumerate(page)}
    out = csv.writer(sys.stdout)
    for row in sorted(facts, key=lambda row: (order[row[0]], *(v or "" for v in row[1:]))):
        out.writerow(row)
    assert "graph" not in sys.modules and "rdflib" not in sys.modules, "the hand-written process imports nothing of the product"
    return 0


def process_seconds(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[-4:])}: {done.stderr.decode().strip()[-300:]}")
    return seconds


def processes(base: str, found: dict[str, str], prologue: str, runs: int) -> dict[str, Any]:
    env = remote_env(base) | {"BENCH_REMOTE_PROLOGUE": json.dumps(prologue), "BENCH_REMOTE_DETAILS": details_template()}
    out: dict[str, Any] = {}
    for label in ("busiest actor", "median actor", "official"):
        handle = found[label].rsplit("/", 1)[-1]
        ours = [sys.executable, "-m", "graph", "--store", base + "/sparql", "actor", handle, "--format", "csv"]
        theirs = [sys.executable, __file__, "--hand-process", base, handle]
        ms, hand_ms = paired(lambda: process_seconds(ours, env) * 1000, lambda: process_seconds(theirs, env) * 1000, runs)
        out[f"diplo actor {handle} (process)"] = {"ours_ms": ms, "hand_ms": hand_ms, "ratio": ms / hand_ms, "same_answer": None}
    return out


# -- named queries ---------------------------------------------------------------------------------

def canonical(rows: Rows) -> list[tuple[str, ...]]:
    return sorted(tuple("" if v is None else str(v) for v in row) for row in rows)


def named(store: Any, local: Any, db: Virtuoso, runs: int, prologue: str, only: list[str] | None = None) -> dict[str, Any]:
    """Every shipped named query (or those ``only`` names) through run_query against its
    hand-written form (paged ones: their first page, by hand cut on the server as well)."""
    from bench_store import sample_params
    from graph.queries import named_queries
    from graph.resolve import bind_params
    from graph.sparql import run_query
    from graph.store import _fill_values

    out: dict[str, Any] = {}
    for name, query in sorted(named_queries().items()):
        if only and name not in only:
            continue
        params = sample_params(local, query)
        paged = {"limit": PAGE} if query.page else {}

        def ours() -> Rows:
            answer = run_query(store, named=name, params=params, **paged)
            return [tuple(row) for row in answer.result]

        bound = bind_params(store, query, params)
        text = hand_named(name, query.text, bound)

        def theirs(as_rdflib: bool = False) -> Rows:
            if not query.page:
                return db.rows(text, as_rdflib)
            if query.page == "source":
                return hand_sources_page(db, as_rdflib)
            if query.page in HAND_KEYS:  # the page's actors or days ordered and cut by the server
                from graph.queries import page_variables

                rows = db.rows(HAND_KEYS[query.page].format(query=text, page=PAGE))
                keys = [_key(query.page, row[0]) if query.page != "pair" else tuple(_key(query.page, v) for v in row) for row in rows]
                return db.rows(_fill_values(text, page_variables(query.page), keys), as_rdflib)
            pattern = reaction_pattern(bound)
            page, _ = hand_page(db, pattern)
            return db.rows(_fill_values(query.page_text or text, "reaction", [_iri(r) for r in page]), as_rdflib)

        # A name the user typed (an actor's or event's handle) costs ours a lookup request; the
        # hand-written query is given the IRI.
        entry: dict[str, Any] = {"params": params, "names_resolved": sum(p.kind in ("actor", "event") and p.name in params for p in query.params)}
        try:
            mine, hand = ours(), theirs(as_rdflib=True)
            entry["rows"] = len(mine)
            entry["same_answer"] = canonical(mine) == canonical(hand)
            if not entry["same_answer"]:
                entry["hand_rows"] = len(hand)
            entry["ours_ms"], entry["hand_ms"] = paired(ours, theirs, runs)
            entry["ratio"] = entry["ours_ms"] / entry["hand_ms"]
        except Exception as e:  # a query the server refuses is reported, not hidden
            entry["error"] = str(e).strip().splitlines()[0][:160]
        out[name] = entry
    return out


#: The keys of the first page of a whole-graph count, written by hand: the query itself as a
#: subquery, its keys ordered as its answer is and cut by the server.
HAND_KEYS = {
    "actor": "SELECT ?actor (MAX(?made_count + ?voiced_count + ?received_count) AS ?total) (MIN(STR(?label)) AS ?name) "
             "WHERE {{ {{ {query} }} }} GROUP BY ?actor ORDER BY DESC(?total) ?name LIMIT {page}",
    "day": "SELECT DISTINCT ?day WHERE {{ {{ {query} }} }} ORDER BY ?day LIMIT {page}",
    "pair": "SELECT DISTINCT ?actorLabel ?side ?targetLabel WHERE {{ {{ {query} }} }} ORDER BY ?actorLabel DESC(?side) ?targetLabel LIMIT {page}",
}


def reaction_pattern(bound: dict[str, Any]) -> str:
    """The reactions ?r a paged query's parameters choose: an actor's, those aimed at one, an
    event's, or all."""
    if bound.get("who") is not None:
        return who_pattern("actor", str(bound["who"]))
    if bound.get("toward") is not None:
        return f"?r dr:target <{bound['toward']}>"
    if bound.get("within") is not None:
        return who_pattern("event", str(bound["within"]))
    return "?r dr:stance ?any"


def hand_sources_page(db: Virtuoso, as_rdflib: bool = False) -> Rows:
    """The first page of sources by hand, as bench_store.py writes it (the same text suits Virtuoso)."""
    from bench_store import HAND_SOURCES_COUNT, HAND_SOURCES_PAGE

    db.rows(HAND_SOURCES_COUNT)
    return db.rows(HAND_SOURCES_PAGE, as_rdflib)


def _key(page: str, value: str) -> Any:
    """A page key as the server wrote it, as the RDF term the query's VALUES block takes (a
    pair's names and side as plain literals, as the graphs write them)."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    return Literal(value, datatype=XSD.date) if page == "day" else Literal(value) if page == "pair" else _iri(value)


def _iri(text: str) -> Any:
    from rdflib import URIRef

    return URIRef(text)


def hand_named(name: str, text: str, bound: dict[str, Any]) -> str:
    """The hand-written form of one named query for Virtuoso: a rewrite where one answered faster
    (:data:`REWRITES`), else the shipped text with its parameters written in."""
    from graph.store import _prebind

    rewrite = REWRITES.get(name)
    return rewrite(bound) if rewrite else _prebind(text, bound)


#: Hand-written Virtuoso forms that beat the shipped text (same rows), by query name.
REWRITES: dict[str, Callable[[dict[str, Any]], str]] = {}


# -- loading ---------------------------------------------------------------------------------------

def dump_real(real: Path, work: Path) -> tuple[Path, Path]:
    """A copy of the real store (it is never written) and its N-Quads dump."""
    import pyoxigraph

    copy = work / "real-store"
    shutil.copytree(real, copy)
    nq = work / "real.nq"
    store = pyoxigraph.Store(str(copy / "oxigraph"))
    with nq.open("wb") as out:
        store.dump(out, format=pyoxigraph.RdfFormat.N_QUADS)
    del store
    return copy, nq


def isql(port: int, statements: str) -> str:
    done = subprocess.run(["isql-vt", str(port), "dba", os.environ.get("DIPLO_STORE_PASSWORD", "dba"), f"exec={statements}"],
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql: {(done.stdout + done.stderr).strip()[-300:]}")
    return done.stdout


def clear(port: int) -> None:
    """Drop every graph of the data set (Virtuoso's own graphs stay)."""
    isql(port, f"log_enable(3,1); DELETE FROM DB.DBA.RDF_QUAD WHERE __ro2sq(id_to_iri(G)) LIKE '{DATA}%'; checkpoint;")


def quad_count(db: Virtuoso) -> int:
    return int(db.rows(f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{DATA}")) }}')[0][0])


def load(base: str, nq: Path, db: Virtuoso, port: int | None, server_dir: Path | None) -> dict[str, Any]:
    """Load the dump the product's way (Graph Store Protocol) and, when the server's isql port
    and folder are known, with the bulk loader; each timed from an empty data set."""
    from graph.remote import RemoteStore

    out: dict[str, Any] = {}
    if port is not None:
        clear(port)
    store = RemoteStore(base + "/sparql", env=remote_env(base))
    start = time.perf_counter()
    store.bulk_load(nq, replace=True)
    out["gsp_s"] = time.perf_counter() - start
    out["gsp_quads"] = quad_count(db)
    store.close()
    if port is not None and server_dir is not None:
        clear(port)
        staged = server_dir / "bench-remote.nq"
        shutil.copyfile(nq, staged)
        try:
            start = time.perf_counter()
            isql(port, f"DELETE FROM DB.DBA.load_list; ld_dir('.', 'bench-remote.nq', '{DATA}graph/unnamed'); "
                       "rdf_loader_run(); checkpoint;")
            out["bulk_loader_s"] = time.perf_counter() - start
        finally:
            staged.unlink()
        out["bulk_loader_quads"] = quad_count(db)
        if out["bulk_loader_quads"] != out["gsp_quads"]:
            raise RuntimeError(f"the bulk loader loaded {out['bulk_loader_quads']} quads, the Graph Store Protocol {out['gsp_quads']}")
    return out


# -- driver ----------------------------------------------------------------------------------------

def show(title: str, rows: dict[str, Any]) -> None:
    print(f"\n{title:44} {'ours ms':>9} {'hand ms':>9} {'ratio':>6}  same")
    for name, e in rows.items():
        if "error" in e:
            print(f"{name:44} error: {e['error'][:90]}")
            continue
        same = {True: "yes", False: "NO", None: "-"}[e.get("same_answer")]
        mark = " *" if e.get("names_resolved") else ""
        print(f"{name + mark:44} {e['ours_ms']:9.1f} {e['hand_ms']:9.1f} {e['ratio']:5.2f}x  {same}")
    if any(e.get("names_resolved") for e in rows.values()):
        print("* ours resolves the name typed (a handle) with one more request; the hand-written query is given the IRI")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real", type=Path, help="A store built by scripts/build_real_store.py (copied, never changed).")
    parser.add_argument("--virtuoso", default=os.environ.get("DIPLO_TEST_VIRTUOSO", "http://127.0.0.1:8890"), help="Virtuoso's base URL.")
    parser.add_argument("--isql", type=int, metavar="PORT", help="Virtuoso's isql port: also time its bulk loader.")
    parser.add_argument("--server-dir", type=Path, help="The Virtuoso's working folder (its DirsAllowed '.'), for the bulk loader.")
    parser.add_argument("--skip-load", action="store_true", help="The data is loaded already (subjects still come from --real).")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=["lookups", "processes", "queries"], nargs="*")
    parser.add_argument("--queries", nargs="*", metavar="NAME", help="Only these named queries (default: every one).")
    parser.add_argument("--json", type=Path, default=Path("test-output/bench_remote.json"))
    parser.add_argument("--hand-process", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.hand_process:
        return hand_process(*args.hand_process)
    if not args.real:
        parser.error("--real: the real store's folder is needed")
    os.environ.update(remote_env(args.virtuoso))
    import pyoxigraph

    from bench_store import subjects
    from graph.remote import RemoteStore
    from graph.store import Store, _prefixes

    prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in _prefixes().items())
    db = Virtuoso(args.virtuoso, prologue)
    result: dict[str, Any] = {"virtuoso": args.virtuoso, "runs": args.runs}
    with tempfile.TemporaryDirectory(prefix="bench-remote-") as tmp:
        copy, nq = dump_real(args.real, Path(tmp))
        if not args.skip_load:
            result["load"] = load(args.virtuoso, nq, db, args.isql, args.server_dir)
            print(f"load of {nq.stat().st_size / 1e6:.0f} MB of N-Quads: Graph Store Protocol (diplo load) {result['load']['gsp_s']:.1f} s"
                  + (f", bulk loader {result['load']['bulk_loader_s']:.1f} s" if "bulk_loader_s" in result["load"] else ""))
        local = Store.open(copy)
        found = subjects(pyoxigraph.Store.read_only(str(copy / "oxigraph")))
        result["subjects"] = found
        store = RemoteStore(args.virtuoso + "/sparql")
        wanted = set(args.only or ["lookups", "processes", "queries"])
        if "lookups" in wanted:
            result["lookups"] = lookups(store, db, found, args.runs)
            show("lookup (first page of 50)", result["lookups"])
        if "processes" in wanted:
            result["processes"] = processes(args.virtuoso, found, prologue, max(3, args.runs // 2))
            show("whole process, --format csv", result["processes"])
        if "queries" in wanted:
            result["queries"] = named(store, local, db, args.runs, prologue, args.queries)
            show("named query (paged: first page of 50)", result["queries"])
        local.close()
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
