"""How fast the product answers on realistic stores, each figure beside its baseline in the same run.

Stores measured (each in a process of its own):

- ``real``: a store built from everything real in ../shared (``scripts/build_real_store.py``;
  pass its folder with ``--real``), as it is;
- ``synthetic-N``: ``scripts/generate_synthetic.py N`` (which copies the real store's shape,
  repeats across graphs included) loaded with ``diplo load`` into a new ``diplo init`` store.

For each: the load (synthetic only: ``Store.bulk_load`` = parse check + bulk load + compact, against
raw pyoxigraph's ``bulk_load`` of the same file into an empty store, and against raw load + compact);
the first page (50, newest first, details included) of the lookups of the busiest actor, the median
actor (by reactions made), the official who spoke most and the event with most reactions, against
the best hand-written raw pyoxigraph queries for the same page (one query for the page's IRIs,
ordered and cut in SPARQL, one for their facts); every shipped named query (paged ones: their first
page), and reactions-toward's first page for targets of several sizes (the busiest, and those
nearest 30k, 10k, 5k, 3k, 1k and 300 reactions); the whole process ``diplo actor NAME`` and its peak RSS. With ``--virtuoso URL`` (a base
URL such as http://127.0.0.1:8890; the login and update endpoints from the DIPLO_STORE_* variables
as for ``diplo``) the real store's graphs are loaded into that Virtuoso and the same lookups run
there through ``--store URL/sparql``, beside the same hand-written queries sent to it.

    python scripts/build_real_store.py test-output/real-store
    python scripts/bench_store.py --real test-output/real-store --sizes 100000 1000000

Prints a table per store and writes JSON (``--json``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGE = 50
#: The first page of sources written by hand (for Oxigraph here, for Virtuoso in bench_remote.py):
#: the count, then the page's sources ordered and cut in a subquery with their titles, dates,
#: counts and makers joined in the same request.
HAND_SOURCES_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?s { ?s a dr:SourceDocument } }"
HAND_SOURCES_PAGE = (
    "SELECT ?source ?title ?url ?published ?madeBy (COUNT(DISTINCT ?reaction) AS ?reactions) WHERE { "
    "{ SELECT ?source WHERE { { SELECT ?source (MAX(?p) AS ?newest) (MIN(STR(?t)) AS ?first) WHERE { "
    "GRAPH ?source { ?source a dr:SourceDocument } "
    "OPTIONAL { ?source schema:datePublished ?p } OPTIONAL { ?source dcterms:title ?t } } GROUP BY ?source } } "
    f"ORDER BY DESC(?newest) ?first ?source LIMIT {PAGE} }} "
    "GRAPH ?source { ?source a dr:SourceDocument OPTIONAL { ?reaction a dr:Reaction } } "
    "GRAPH ?source { ?source a dr:SourceDocument "
    "OPTIONAL { ?activity dr:sourceKind ?kind ; rdfs:label ?madeBy } } "
    "OPTIONAL { ?source dcterms:title ?title } OPTIONAL { ?source schema:url ?url } "
    "OPTIONAL { ?source schema:datePublished ?published } } "
    "GROUP BY ?source ?title ?url ?published ?madeBy ORDER BY DESC(?published) ?title ?source"
)
DR = "https://w3id.org/diplograph/ontology#"
#: Seconds before a named query is given up (it runs in a process of its own).
QUERY_TIMEOUT = 60


def median_ms(fn: Callable[[], Any], runs: int = 5) -> float:
    """Median milliseconds of ``fn`` after one warm-up run (a slow one is timed once)."""
    start = time.perf_counter()
    fn()
    first = (time.perf_counter() - start) * 1000
    if first > 5_000:
        return first
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


# -- the subjects of the lookups, found with counting queries ------------------------------------

def subjects(raw: Any) -> dict[str, str]:
    """The busiest and the median actor (by reactions made), the official who spoke most and the
    event with most reactions, as IRIs."""
    from graph.store import _prefixes

    def counts(pattern: str) -> list[tuple[str, int]]:
        text = f"SELECT ?x (COUNT(DISTINCT ?r) AS ?n) WHERE {{ {pattern} }} GROUP BY ?x ORDER BY DESC(?n) ?x"
        return [(s[0].value, int(s[1].value)) for s in raw.query(text, prefixes=_prefixes(), use_default_graph_as_union=True)]

    actors = counts("?r dr:actor ?x")
    speakers = counts("?r dr:speaker ?x")
    events = counts("?r dr:about ?x . ?r dr:stance ?s")
    return {
        "busiest actor": actors[0][0],
        "median actor": actors[len(actors) // 2][0],
        "official": speakers[0][0],
        "event": events[0][0],
    }


# -- the hand-written baselines ------------------------------------------------------------------

def raw_page_queries(kind: str, iri: str) -> tuple[str, str]:
    """The best plain SPARQL we could write for one lookup's first page: the page's reactions,
    ordered and cut in the query, and then their facts (and the labels those facts point at)."""
    who = {
        "event": f"{{ ?r dr:about <{iri}> }} UNION {{ ?part dr:partOf+ <{iri}> . ?r dr:about ?part }}",
        "official": f"{{ ?r dr:speaker <{iri}> }}",
    }.get(kind, f"{{ ?r dr:actor <{iri}> }} UNION {{ ?r dr:speaker <{iri}> }} UNION {{ ?b org:subOrganizationOf+ <{iri}> . ?r dr:actor ?b }}")
    first = (
        f"SELECT ?r (MAX(COALESCE(?d, ?na, ?nb)) AS ?when) WHERE {{ {{ SELECT DISTINCT ?r WHERE {{ {who} }} }} "
        "OPTIONAL { ?r dr:date ?d } OPTIONAL { ?r dr:notAfter ?na } OPTIONAL { ?r dr:notBefore ?nb } } "
        f"GROUP BY ?r ORDER BY DESC(?when) ?r LIMIT {PAGE}"
    )
    facts = (
        "SELECT DISTINCT ?r ?p ?o ?label WHERE { VALUES ?r { %s } "
        "{ ?r ?p ?o } UNION { ?r dr:evidence/oa:hasSelector ?o . ?o ?p ?label } "
        "UNION { ?r prov:wasDerivedFrom ?o . ?o ?p ?label } OPTIONAL { ?o skos:prefLabel ?label } }"
    )
    return first, facts


def raw_page(run: Callable[[str], list[list[Any]]], kind: str, iri: str) -> int:
    """Run the hand-written page queries through ``run``; how many reactions the page holds."""
    first, facts = raw_page_queries(kind, iri)
    page = [row[0] for row in run(first)]
    if page:
        run(facts % " ".join(f"<{r}>" for r in page))
    return len(page)


# -- one store, measured in a process of its own -------------------------------------------------

def measure(folder: Path) -> dict[str, Any]:
    """Every figure for the store in ``folder`` (this process)."""
    import pyoxigraph
    from rdflib import URIRef

    from graph.lookup import page
    from graph.store import Store, _prefixes

    store = Store.open(folder, read_only=True)
    raw = pyoxigraph.Store.read_only(str(folder / "oxigraph")) if hasattr(pyoxigraph.Store, "read_only") else store._ox
    found = subjects(raw)
    out: dict[str, Any] = {"subjects": found, "lookups": {}, "queries_ms": {}}

    def run_raw(text: str) -> list[list[Any]]:
        return [[t.value if t is not None else None for t in s] for s in raw.query(text, prefixes=_prefixes(), use_default_graph_as_union=True)]

    for label, iri in found.items():
        kind = label.split()[-1]
        args = {"event": URIRef(iri)} if kind == "event" else {"who": URIRef(iri)}
        total = page(store, limit=1, **args).total
        ours = median_ms(lambda: page(store, limit=PAGE, **args))
        theirs = median_ms(lambda: raw_page(run_raw, kind, iri))
        out["lookups"][label] = {"iri": iri, "reactions": total, "page_ms": ours, "raw_ms": theirs, "ratio": ours / theirs}
    store.close()
    return out


def time_named_query(folder: Path, name: str, whole: bool = False) -> float:
    """Median ms of one named query (its first page when paged; with ``whole``, the whole answer
    of a paged one, as ``--all`` asks it) on the store in ``folder``."""
    from graph.queries import named_query
    from graph.sparql import run_query
    from graph.store import Store

    store = Store.open(folder, read_only=True)
    query = named_query(name)
    params = sample_params(store, query)
    bounds = {"limit": PAGE} if query.page and not whole else {}
    return median_ms(lambda: run_query(store, named=name, params=params, **bounds), runs=3)


def raw_named_page(folder: Path, name: str) -> float:
    """Median ms of the best hand-written raw pyoxigraph queries for the first page of a paged
    named query: the page's keys ordered and cut in SPARQL (with the count the page note gives),
    then the page read with them (a sources page in one query, its OPTIONALs joined to the cut
    subquery; a page of actors or days: their summaries ordered and cut by the engine)."""
    import pyoxigraph

    from graph.queries import named_query
    from graph.resolve import bind_params
    from graph.store import Store, _fill_values, _prebind, _prefixes

    store = Store.open(folder, read_only=True)
    query = named_query(name)
    bound = bind_params(store, query, sample_params(store, query))
    store.close()
    raw = pyoxigraph.Store.read_only(str(folder / "oxigraph"))

    def run(text: str) -> list[list[Any]]:
        return [[t.value if t is not None else None for t in s] for s in raw.query(text, prefixes=_prefixes(), use_default_graph_as_union=True)]

    if query.page == "source":
        def once() -> Any:
            run(HAND_SOURCES_COUNT)
            return run(HAND_SOURCES_PAGE)
        return median_ms(once, runs=3)
    if query.page in HAND_COUNT_PAGES:  # the whole-graph counts: their summaries ordered and cut by the engine
        from graph.queries import internal_query

        count, cut = HAND_COUNT_PAGES[query.page], internal_query("summaries", name) + f"\nLIMIT {PAGE}"

        def counted() -> Any:
            run(count)
            return run(cut)
        return median_ms(counted, runs=3)
    if query.page == "official":  # the list ordered and cut by the engine, with its count
        from graph.queries import internal_query

        count = internal_query("paging", "count-officials")

        def officials() -> Any:
            run(count)
            return run(query.text + f"\nLIMIT {PAGE}")
        return median_ms(officials, runs=1)
    if bound.get("who") is not None:
        pattern = raw_page_queries("actor", str(bound["who"]))[0]
    else:
        who = f"?r dr:target <{bound['toward']}>" if bound.get("toward") is not None else "?r dr:stance ?s"
        pattern = (
            f"SELECT ?r (MAX(COALESCE(?d, ?na, ?nb)) AS ?when) WHERE {{ {{ SELECT DISTINCT ?r WHERE {{ {who} }} }} "
            "OPTIONAL { ?r dr:date ?d } OPTIONAL { ?r dr:notAfter ?na } OPTIONAL { ?r dr:notBefore ?nb } } "
            f"GROUP BY ?r ORDER BY DESC(?when) ?r LIMIT {PAGE}"
        )
    count = pattern.split(" ?r (MAX", 1)[1].split("OPTIONAL", 1)[0].split("WHERE", 1)[1]
    details = _prebind(query.page_text or query.text, bound)
    from rdflib import URIRef

    def page_once() -> Any:
        run(f"SELECT (COUNT(*) AS ?n) WHERE {count} }}")
        page = [row[0] for row in run(pattern)]
        return run(_fill_values(details, "reaction", [URIRef(r) for r in page]))

    return median_ms(page_once, runs=3)


#: The count of the keys a whole-graph count pages by, written by hand (of pairs: the pair
#: tallies); the page itself is the query reading the summaries with the engine's ORDER BY and LIMIT.
HAND_COUNT_PAGES = {
    "actor": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH dr:summaries { ?row dr:tallyLabel ?label } }",
    "day": "SELECT (COUNT(DISTINCT ?day) AS ?n) WHERE { GRAPH dr:summaries { ?row dr:tallyDay ?day } }",
    "pair": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH dr:summaries { ?row dr:tallySide ?side } }",
}


#: The target sizes (reactions aimed at one actor) whose reactions-toward first page is timed: the
#: busiest target and the one nearest each of these.
TOWARD_SIZES = (30_000, 10_000, 5_000, 3_000, 1_000, 300)


def toward_by_size(folder: Path) -> dict[str, Any]:
    """The first page of reactions-toward (50, details included, as ``diplo query --named
    reactions-toward`` runs it) for targets of several sizes, each beside the best hand-written
    raw pyoxigraph queries for the same page: whether the page's time depends on the target's size
    (the product chooses between walking back by day and reading the target's reactions)."""
    from collections import Counter

    import pyoxigraph
    from rdflib import URIRef

    from graph.sparql import run_query
    from graph.store import Store, _fill_values, _prebind, _prefixes

    raw = pyoxigraph.Store.read_only(str(folder / "oxigraph"))
    aimed: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    for q in raw.quads_for_pattern(None, pyoxigraph.NamedNode(DR + "target"), None, None):
        pair = (q.subject.value, q.object.value)
        if pair not in seen:  # a fact repeated in several graphs counts once
            seen.add(pair)
            aimed[q.object.value] += 1
    del seen
    ranked = aimed.most_common()
    picked = [ranked[0]] if ranked else []
    for size in TOWARD_SIZES:
        near = min(ranked, key=lambda pair: abs(pair[1] - size), default=None)
        if near is not None and near not in picked and near[1] <= size * 2:
            picked.append(near)
    store = Store.open(folder, read_only=True)
    details = named_query_text("reactions-toward")

    def run(text: str) -> list[list[Any]]:
        return [[t.value if t is not None else None for t in s] for s in raw.query(text, prefixes=_prefixes(), use_default_graph_as_union=True)]

    out: dict[str, Any] = {}
    for iri, n in picked:
        pattern = (
            f"SELECT ?r (MAX(COALESCE(?d, ?na, ?nb)) AS ?when) WHERE {{ {{ SELECT DISTINCT ?r WHERE {{ ?r dr:target <{iri}> }} }} "
            "OPTIONAL { ?r dr:date ?d } OPTIONAL { ?r dr:notAfter ?na } OPTIONAL { ?r dr:notBefore ?nb } } "
            f"GROUP BY ?r ORDER BY DESC(?when) ?r LIMIT {PAGE}"
        )
        bound = _prebind(details, {"toward": URIRef(iri)})

        def hand() -> Any:
            run(f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r dr:target <{iri}> }}")
            page = [row[0] for row in run(pattern)]
            return run(_fill_values(bound, "reaction", [URIRef(r) for r in page]))

        handle = iri.rsplit("/", 1)[-1]
        ours = median_ms(lambda: run_query(store, named="reactions-toward", params={"toward": handle}, limit=PAGE), runs=3)
        theirs = median_ms(hand, runs=3)
        out[iri] = {"reactions": n, "page_ms": ours, "raw_ms": theirs, "ratio": ours / theirs}
    store.close()
    return out


def named_query_text(name: str) -> str:
    """The text a paged named query joins a page's keys to (its page text, else the query)."""
    from graph.queries import named_query

    query = named_query(name)
    return query.page_text or query.text


def time_full_count(folder: Path, name: str) -> float:
    """Median ms of a summarized question counted over every reaction (the query as shipped,
    not the version reading the summaries): the baseline the summaries are measured against."""
    from graph.queries import named_query
    from graph.store import Store

    store = Store.open(folder, read_only=True)
    return median_ms(lambda: store.query(named_query(name).text), runs=1)


def sample_params(store: Any, query: Any) -> dict[str, str]:
    """A value for each required parameter, as a user would type it: the busiest actor's or the
    busiest event's handle (the last segment of its IRI), or the first source's IRI."""
    given = os.environ.get("BENCH_SUBJECTS")  # found once by the parent: counting them takes a minute at 1M
    found = json.loads(given) if given else subjects(store._ox)
    values: dict[str, str] = {}
    for p in query.params:
        if p.optional:
            continue
        if p.kind == "event":
            values[p.name] = found["event"].rsplit("/", 1)[-1]
        elif p.kind == "actor":
            values[p.name] = found["busiest actor"].rsplit("/", 1)[-1]
        elif p.name == "source":
            first = "SELECT ?s WHERE { ?s a <%sSourceDocument> } LIMIT 1" % DR
            values[p.name] = next(iter(store._ox.query(first, use_default_graph_as_union=True)))[0].value
        else:
            values[p.name] = found["busiest actor"]
    return values


def whole_process(folder: Path, iri: str) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of ``diplo --store FOLDER actor HANDLE`` (its first page) in a new
    process (the handle is the IRI's last segment, which names the actor)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIPLO_STORE")}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "graph", "--store", str(folder), "actor", iri.rsplit("/", 1)[-1], "--format", "csv"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"diplo actor {iri}: {proc.stderr.read().decode().strip()[-200:] if proc.stderr else status}")
    return seconds, usage.ru_maxrss / 1024


def measure_virtuoso(folder: Path, base: str, found: dict[str, str]) -> dict[str, Any]:
    """Load the store in ``folder`` into the Virtuoso at ``base`` and time the lookups there."""
    import httpx
    import pyoxigraph
    from rdflib import URIRef

    from graph.lookup import page
    from graph.remote import RemoteStore
    from graph.store import _prefixes

    dump = folder.parent / "virtuoso-load.nq"
    raw = pyoxigraph.Store.read_only(str(folder / "oxigraph"))
    with dump.open("wb") as out:
        for graph in raw.named_graphs():
            raw.dump(out, format=pyoxigraph.RdfFormat.N_QUADS, from_graph=graph)
    remote = RemoteStore(base + "/sparql")
    start = time.perf_counter()
    remote.bulk_load(dump, replace=True)
    out: dict[str, Any] = {"load_s": time.perf_counter() - start, "lookups": {}}
    prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in _prefixes().items())

    def run_raw(text: str) -> list[list[Any]]:
        answer = httpx.post(base + "/sparql", data={"query": prologue + text}, headers={"Accept": "application/sparql-results+json"}, timeout=120)
        answer.raise_for_status()
        data = answer.json()
        names = data["head"]["vars"]
        return [[b.get(n, {}).get("value") for n in names] for b in data["results"]["bindings"]]

    for label, iri in found.items():
        kind = label.split()[-1]
        args = {"event": URIRef(iri)} if kind == "event" else {"who": URIRef(iri)}
        ours = median_ms(lambda: page(remote, limit=PAGE, **args), runs=3)
        theirs = median_ms(lambda: raw_page(run_raw, kind, iri), runs=3)
        out["lookups"][label] = {"page_ms": ours, "raw_ms": theirs, "ratio": ours / theirs}
    dump.unlink()
    return out


# -- loading ---------------------------------------------------------------------------------------

def load_both(nq: Path, work: Path) -> dict[str, Any]:
    """``diplo init`` + ``Store.bulk_load`` of ``nq`` against raw pyoxigraph's bulk_load (and
    compact) of the same file; returns the figures and the store's folder."""
    import pyoxigraph

    from graph.store import Store

    raw_dir = work / "raw"
    start = time.perf_counter()
    raw = pyoxigraph.Store(str(raw_dir))
    raw.bulk_load(path=str(nq), format=pyoxigraph.RdfFormat.N_QUADS)
    raw_load = time.perf_counter() - start
    start = time.perf_counter()
    raw.optimize()
    raw_compact = time.perf_counter() - start
    del raw
    store = Store.create(work / "store")
    start = time.perf_counter()
    store.bulk_load(nq)
    ours = time.perf_counter() - start
    store.close()
    return {"load_s": ours, "raw_load_s": raw_load, "raw_compact_s": raw_compact,
            "ratio_vs_raw_load": ours / raw_load, "ratio_vs_raw_load_and_compact": ours / (raw_load + raw_compact)}


# -- driver ----------------------------------------------------------------------------------------

def child(argv: list[str]) -> int:
    """The measurements that run in a process of their own; prints JSON."""
    what, folder = argv[0], Path(argv[1])
    if what == "measure":
        result = measure(folder)
    elif what == "virtuoso":
        result = measure_virtuoso(folder, argv[2], json.loads(argv[3]))
    elif what == "query":
        result = {"ms": time_named_query(folder, argv[2])}
    elif what == "subjects":
        import pyoxigraph

        result = {"subjects": subjects(pyoxigraph.Store.read_only(str(folder / "oxigraph")))}
    elif what == "whole":
        result = {"ms": time_named_query(folder, argv[2], whole=True)}
    elif what == "rawpage":
        result = {"ms": raw_named_page(folder, argv[2])}
    elif what == "toward":
        result = {"targets": toward_by_size(folder)}
    elif what == "full":
        result = {"ms": time_full_count(folder, argv[2])}
    else:
        result = load_both(Path(argv[2]), folder)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))
    return 0


def in_child(*args: str, timeout: float | None = None) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}")
    return json.loads(done.stdout)


def bench_paged(folder: Path, names: list[str] | None) -> dict[str, Any]:
    """Each paged named query (or those in ``names``): its first page of 50, the whole answer
    (``--all``, what it cost before it was paged) and the best hand-written raw pyoxigraph queries
    for the same page, each in a process of its own, with the first page's peak RSS."""
    from graph.queries import named_queries

    out: dict[str, Any] = {}
    print(f"{'paged query (first page of 50)':32} {'page ms':>9} {'whole ms':>10} {'page/whole':>10} {'raw ms':>9} {'page/raw':>8} {'RSS MB':>7}", flush=True)
    for name, query in sorted(named_queries().items()):
        if not query.page or (names and name not in names):
            continue
        try:
            first = in_child("query", str(folder), name, timeout=QUERY_TIMEOUT)
            page: Any = first["ms"]
            rss: Any = first["peak_rss_mb"]
        except (subprocess.TimeoutExpired, RuntimeError) as e:
            page, rss = f"{type(e).__name__}", None
        whole, whole_shown = timed("whole", folder, name)
        raw, raw_shown = timed("rawpage", folder, name)
        out[name] = {"page_ms": page, "whole_ms": whole, "raw_ms": raw, "page_rss_mb": rss}

        def ratio(a: Any, b: Any) -> str:
            if isinstance(a, float) and isinstance(b, float):
                return f"{a / b:.3f}x"
            timed_out = isinstance(a, float) and isinstance(b, str) and b.startswith(">")
            return f"< {a / QUERY_TIMEOUT / 1000:.3f}x" if timed_out else "—"

        shown = f"{page:9.1f}" if isinstance(page, float) else f"{page:>9}"
        whole_shown = whole_shown if not whole_shown.startswith("error") else "row limit" if "more than" in whole_shown else "error"
        raw_shown = raw_shown if not raw_shown.startswith("error") else "error"
        print(f"{name:32} {shown} {whole_shown.strip():>10} {ratio(page, whole):>10} {raw_shown.strip():>9} {ratio(page, raw):>8} "
              f"{rss if rss is not None else float('nan'):7.0f}", flush=True)
    return out


def bench(name: str, folder: Path, load: dict[str, Any] | None, virtuoso: str | None = None,
          names: list[str] | None = None, lookups: bool = True) -> dict[str, Any]:
    from graph.queries import named_queries

    print(f"\n== {name}: {folder}", flush=True)
    row: dict[str, Any] = {"store": name, "load": load}
    if load:
        print(f"load (check + bulk load + compact + tallies) {load['load_s']:.1f} s; raw bulk_load {load['raw_load_s']:.1f} s "
              f"({load['ratio_vs_raw_load']:.2f}x), raw bulk_load + compact {load['raw_load_s'] + load['raw_compact_s']:.1f} s "
              f"({load['ratio_vs_raw_load_and_compact']:.2f}x)")
    if not os.environ.get("BENCH_SUBJECTS"):
        os.environ["BENCH_SUBJECTS"] = json.dumps(in_child("subjects", str(folder))["subjects"])
    row["subjects"] = json.loads(os.environ["BENCH_SUBJECTS"])
    row["paged"] = bench_paged(folder, names)
    if not names or "reactions-toward" in names:
        row["toward"] = in_child("toward", str(folder))["targets"]
        print(f"{'reactions-toward, by target':32} {'reactions':>9} {'page ms':>9} {'raw ms':>9} {'page/raw':>8}")
        for iri, figures in row["toward"].items():
            print(f"  {iri.rsplit('/', 1)[-1][:30]:30} {figures['reactions']:>9,} {figures['page_ms']:9.1f} {figures['raw_ms']:9.1f} {figures['ratio']:7.3f}x", flush=True)
    if not lookups:
        row["queries_ms"] = {}
        for query in sorted(names or []):
            if not named_queries()[query].page:
                ms, shown = timed("query", folder, query)
                row["queries_ms"][query] = ms
                print(f"{query:32} {shown:>9}", flush=True)
        return row
    row.update(in_child("measure", str(folder)))
    print(f"{'lookup (first page of 50)':28} {'reactions':>9} {'ours ms':>9} {'raw ms':>8} {'ratio':>6} {'process s':>9} {'RSS MB':>7}")
    for label, figures in row["lookups"].items():
        seconds, rss = whole_process(folder, figures["iri"]) if "actor" in label or label == "official" else (None, None)
        figures.update(process_s=seconds, process_rss_mb=rss)
        print(f"{label:28} {figures['reactions']:>9,} {figures['page_ms']:>9.1f} {figures['raw_ms']:>8.1f} {figures['ratio']:>5.1f}x "
              f"{seconds if seconds is not None else float('nan'):>9.2f} {rss if rss is not None else float('nan'):>7.0f}")
    if virtuoso:
        row["virtuoso"] = in_child("virtuoso", str(folder), virtuoso, json.dumps(row["subjects"]))
        print(f"on Virtuoso (loaded in {row['virtuoso']['load_s']:.0f} s):")
        for label, figures in row["virtuoso"]["lookups"].items():
            print(f"  {label:26} ours {figures['page_ms']:8.1f} ms, hand-written {figures['raw_ms']:8.1f} ms, {figures['ratio']:.1f}x")
    from graph.summaries import SUMMARIZED

    print(f"{'named query':32} {'ms':>9}   (summarized: counting every reaction instead, ratio)")
    row["full_count_ms"] = {}
    for query in sorted(named_queries()):
        if names and query not in names:
            continue
        ms, shown = timed("query", folder, query)
        row["queries_ms"][query] = ms
        extra = ""
        if query in SUMMARIZED:
            full, full_shown = timed("full", folder, query)
            row["full_count_ms"][query] = full
            ratio = f"{ms / full:.3f}x" if isinstance(ms, float) and isinstance(full, float) else "—"
            extra = f"   full count {full_shown.strip()} ms, {ratio}"
        print(f"{query:32} {shown:>9}{extra}", flush=True)
    return row


def timed(what: str, folder: Path, query: str) -> tuple[Any, str]:
    """A child's median ms for one query and how to print it (a timeout or error as text)."""
    try:
        ms: Any = in_child(what, str(folder), query, timeout=QUERY_TIMEOUT)["ms"]
        return ms, f"{ms:9.1f}"
    except subprocess.TimeoutExpired:
        return f"> {QUERY_TIMEOUT} s", f"> {QUERY_TIMEOUT} s"
    except RuntimeError as e:
        return f"error: {str(e)[:60]}", f"error: {str(e)[:60]}"


def main(argv: list[str] | None = None) -> int:
    global QUERY_TIMEOUT
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real", type=Path, help="A store built by scripts/build_real_store.py (read, never changed).")
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000], help="Synthetic stores to build, in reactions.")
    parser.add_argument("--existing", type=Path, nargs="*", default=[], metavar="DIR",
                        help="Stores already built (e.g. a synthetic 1M store loaded earlier) to measure as they are.")
    parser.add_argument("--virtuoso", metavar="URL", help="Also time the real store's lookups on this Virtuoso (base URL).")
    parser.add_argument("--json", type=Path, default=Path("test-output/bench_store.json"))
    parser.add_argument("--query-timeout", type=float, default=QUERY_TIMEOUT)
    parser.add_argument("--queries", nargs="*", metavar="NAME", help="Only these named queries (default: every one).")
    parser.add_argument("--skip-lookups", action="store_true", help="Only the named queries (paged ones against their whole answer and raw pages).")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child)
    QUERY_TIMEOUT = args.query_timeout
    # The product's own query limit would end the slowest lookups (the busiest actor of 1M) before
    # they can be measured: the benchmark reports their time instead.
    os.environ.setdefault("DIPLO_TIME_LIMIT", "1800")
    rows = []
    if args.queries:
        from graph.queries import named_queries

        unknown = sorted(set(args.queries) - set(named_queries()))
        if unknown:
            parser.error(f"--queries: no named query {', '.join(unknown)} (diplo query --list names them)")
    options = {"names": args.queries, "lookups": not args.skip_lookups}
    if args.real:
        rows.append(bench("real", args.real, None, args.virtuoso, **options))
        os.environ.pop("BENCH_SUBJECTS", None)
    for folder in args.existing:
        rows.append(bench(folder.name, folder, None, **options))
        os.environ.pop("BENCH_SUBJECTS", None)
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        for size in args.sizes:
            nq = Path(tmp) / f"synthetic-{size}.nq"
            subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_synthetic.py"), str(size), "-o", str(nq)], check=True, capture_output=True)
            work = Path(tmp) / f"s{size}"
            work.mkdir()
            load = in_child("load", str(work), str(nq))
            rows.append(bench(f"synthetic-{size}", work / "store", load, **options))
            os.environ.pop("BENCH_SUBJECTS", None)
            nq.unlink()
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
